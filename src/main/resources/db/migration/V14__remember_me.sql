-- Remember-me (issue 14): persistent sign-in tokens, shared by every node through the database,
-- so that a browser whose node died (or restarted) is signed in again by any other node.
-- Spring Security's persistent-token scheme: the cookie holds (series, token); the token changes
-- on every use, the series stays for the life of the sign-in. previous_token and rotated_at let a
-- burst of requests that all carry the cookie of just before (the tabs of one browser reconnecting
-- at once after their node died) pass, instead of being taken for a stolen cookie.
create table remember_me_token (
    series         varchar(64)              primary key,
    username       varchar(64)              not null,
    token          varchar(64)              not null,
    last_used      timestamp with time zone not null,
    previous_token varchar(64),
    rotated_at     timestamp with time zone
);
create index remember_me_token_by_user on remember_me_token (username);
