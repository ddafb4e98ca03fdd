-- Answers grounded in web sources (issue 13). Portable between H2 (default) and PostgreSQL.

-- A pane's "Search the web" toggle, remembered with the conversation like its model and settings.
alter table pane add column web_search boolean not null default false;

-- The sources behind an answer, its citations (answer offsets tied to sources), the search queries
-- and Google's search entry point, as one JSON document (null: the answer was not grounded). It is
-- read and written whole, with the answer, never queried inside: a column rather than tables.
alter table message add column grounding text;
