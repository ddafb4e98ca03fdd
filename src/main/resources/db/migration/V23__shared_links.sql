-- Share links (issue 13): a read-only snapshot of a conversation, reachable without signing in by
-- whoever has its link. The id is the link's secret: 128 random bits, base64url. The snapshot is one
-- JSON document, taken when the link is made (later messages are not shared), read whole, never
-- queried inside. Revoking deletes the row. Portable between H2 (default) and PostgreSQL.
create table shared_link (
    id          varchar(32)              primary key,
    owner_id    bigint                   not null references app_user (id) on delete cascade,
    pane_id     bigint                   not null references pane (id) on delete cascade,
    title       varchar(200)             not null,
    created_at  timestamp with time zone not null,
    snapshot    text                     not null
);

create index shared_link_by_owner on shared_link (owner_id, created_at);
