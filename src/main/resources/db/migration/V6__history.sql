-- The chat-history side list. Portable between H2 (default) and PostgreSQL.

-- True once the conversation has a title worth keeping: the user renamed it, or it was given one
-- from its first exchange. A flag rather than comparing with the default "Chat N", which a user
-- may well type.
alter table pane add column title_set boolean not null default false;

-- Deleting a conversation only marks it, so that it can be undone; a marked conversation is
-- invisible everywhere (side list, panes, search, the search tool). Marked rows stay stored.
alter table pane add column deleted_at timestamp with time zone;
