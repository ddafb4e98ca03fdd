-- The column PostgreSQL stores a streaming reply's deflated batches in (db/vendor/postgresql/V31, issue
-- 15), so that the same statements run on both. H2 leaves it empty and keeps the batches as text:
-- here a binary column's values stay in the table's B-tree leaf, which H2 rewrites whole at every
-- background store while a reply streams, whereas long text (a CLOB) is kept apart and written once
-- (s3v: 2.0-2.3 bytes written per answer byte as text, 3.6 deflated in VARBINARY, 10.9 in a BLOB;
-- docs/perf/README.md, "Disk bytes per answer byte"). One migration per database (db/vendor/{vendor},
-- see spring.flyway.locations in application.properties).
alter table message_chunk add column packed varbinary;
