-- Roles and disabled accounts (issue 14). Portable between H2 (default) and PostgreSQL.

-- ADMIN or USER. The first account of an existing install becomes the admin, as a new install's does.
alter table app_user add column role varchar(16) not null default 'USER';
update app_user set role = 'ADMIN' where id = (select min(id) from app_user);

-- A disabled account cannot sign in; its data stays.
alter table app_user add column enabled boolean not null default true;

-- One row that every account creation locks (select ... for update) before it counts the accounts,
-- so that "is this the first account?" and the insert are one step on H2 and PostgreSQL alike:
-- two visitors of a fresh install signing up at once make exactly one owner.
create table account_gate (id int primary key);
insert into account_gate (id) values (1);
