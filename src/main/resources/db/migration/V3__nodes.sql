-- Several app nodes over one database (chat.cluster.mode=postgres): each node renews its lease
-- here, and each streaming reply names the node generating it, so that a surviving node can end
-- the replies of a node whose lease ran out. Timestamps come from the database's clock only, so
-- the nodes' clocks need not agree.
create table node (
    id            varchar(100)             primary key,
    heartbeat_at  timestamp with time zone not null
);

alter table message add column node_id varchar(100);
