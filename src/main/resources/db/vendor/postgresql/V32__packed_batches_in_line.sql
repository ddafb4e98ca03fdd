-- PostgreSQL only (db/vendor/{vendor}, see spring.flyway.locations in application.properties).
-- A deflated 4 000-character batch is about 1.7-2.1 KB: over the 2 KB at which PostgreSQL moves a
-- value out of line into the TOAST table (2 KB pieces, each with an entry in the TOAST index, after a
-- vain try to compress it again). MAIN keeps it in its row: one heap tuple and one primary-key entry
-- per batch, and the TOAST table, its index and free-space map are not written (issue 15, measured in
-- docs/perf/README.md). A value too big for a page still goes out of line.
alter table message_chunk alter column packed set storage main;
