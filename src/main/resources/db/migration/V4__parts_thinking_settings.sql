-- Tool calls and thinking as parts of a reply, per-answer timing, per-conversation settings.
-- Portable between H2 (default) and PostgreSQL: text, timestamp with time zone, no dialect syntax.

-- Thought summaries, shown apart from the answer and never sent back as its text.
alter table message add column thinking text not null default '';
-- Milliseconds from the request to the model's first token (null: none arrived, or a user message).
alter table message add column first_token_ms integer;

-- Thought text while a reply streams: one row per batch keyed by offset, like message_chunk.
create table thought_chunk (
    message_id  bigint  not null references message (id) on delete cascade,
    start_pos   integer not null,
    content     text    not null,
    primary key (message_id, start_pos)
);

-- Non-text parts of a reply, in order (seq). A tool call stands in the answer at text offset
-- "anchor": the text before it was written before the call, the text after it after the result.
create table message_part (
    message_id  bigint        not null references message (id) on delete cascade,
    seq         integer       not null,
    anchor      integer       not null,
    kind        varchar(16)   not null,
    name        varchar(100)  not null,
    args        text          not null,
    status      varchar(16)   not null,
    result      text,
    error       varchar(2000),
    primary key (message_id, seq)
);

-- Regenerated answers: earlier versions stay, marked superseded; the conversation (what the
-- model is sent and what a pane shows) follows the one version per prompt that is not.
alter table message add column superseded boolean not null default false;

alter table pane add column system_instruction text;
alter table pane add column temperature double precision;
