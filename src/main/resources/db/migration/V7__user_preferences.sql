-- Per-user settings of the screen, remembered across devices and sessions. A table of its own
-- (one row per user that changed something) rather than columns on app_user, which stays about
-- signing in. Portable between H2 (default) and PostgreSQL.

create table user_preference (
    user_id      bigint     not null primary key references app_user (id) on delete cascade,
    -- SYSTEM (follow the operating system), LIGHT or DARK
    color_scheme varchar(8) not null
);
