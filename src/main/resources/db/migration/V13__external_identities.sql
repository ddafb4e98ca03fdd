-- Single sign-on (issue 14): accounts created on their first OpenID Connect sign-in. Portable
-- between H2 (default) and PostgreSQL.

-- Who an identity provider says a user is: its issuer and the user's subject there, which never
-- change (a user name or an e-mail address may, and may be reused). An account is found by this
-- pair only, never by its name, so a provider user called "alice" does not get a local alice's account.
create table external_identity (
    issuer     varchar(255)             not null,
    subject    varchar(255)             not null,
    user_id    bigint                   not null references app_user (id) on delete cascade,
    created_at timestamp with time zone not null,
    primary key (issuer, subject)
);
create index external_identity_by_user on external_identity (user_id);

-- An account made by single sign-on has no password: password sign-in never finds it.
alter table app_user alter column password_hash drop not null;
