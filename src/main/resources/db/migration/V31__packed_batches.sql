-- A streaming reply's batch may be stored deflated (raw DEFLATE of its UTF-8, chat.internal.BatchText)
-- in packed, with content then ''; a batch that would not shrink (a short one) keeps its text in
-- content and an empty packed. Rows written before this column existed have it null and their text
-- in content. Issue 15: PostgreSQL's own compression kept 0.65 of a prose batch, DEFLATE 0.42, and
-- the batches are one of the two copies of an answer that the database writes (docs/perf/README.md,
-- "Disk bytes per answer byte"). Portable: H2 and PostgreSQL both know bytea.
alter table message_chunk add column packed bytea;
