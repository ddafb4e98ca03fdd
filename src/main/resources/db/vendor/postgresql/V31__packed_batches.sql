-- A streaming reply's batch may be stored deflated (raw DEFLATE of its UTF-8, chat.internal.BatchText)
-- in packed, with content then ''; a batch that would not shrink (a short one) keeps its text in
-- content and an empty packed. Rows written before this column existed have it null and their text
-- in content. Issue 15: PostgreSQL's own compression (pglz, per row, only over 2 KB) kept 0.65 of a
-- prose batch, DEFLATE 0.42, and the batches are one of the two copies of an answer that the database
-- writes, in WAL and in pages (docs/perf/README.md, "Disk bytes per answer byte").
-- One migration per database (db/vendor/{vendor}, see spring.flyway.locations): H2's is a BLOB.
alter table message_chunk add column packed bytea;
-- A packed 4 000-character batch is about 1.7-2.1 KB: over the 2 KB at which PostgreSQL moves a value
-- out of line into the TOAST table (2 KB pieces, each with an entry in the TOAST index, after a vain
-- try to compress it again). MAIN keeps it in its row: one heap tuple and one primary-key entry per
-- batch, and the TOAST table, its index and free-space map are not written. A value too big for a
-- page still goes out of line.
alter table message_chunk alter column packed set storage main;
