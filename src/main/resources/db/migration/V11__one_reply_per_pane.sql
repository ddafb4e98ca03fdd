-- One running reply per pane, enforced by the database for every node alike (issue 14): a streaming
-- reply carries its pane's id in streaming_pane, which a unique index allows once; the reply's end
-- sets it back to null (several nulls are allowed on H2 and PostgreSQL). A partial unique index
-- would say the same on PostgreSQL, but H2 has none.
alter table message add column streaming_pane bigint;
create unique index one_streaming_reply_per_pane on message (streaming_pane);

-- How many of the oldest messages of the conversation were left out of the request for this reply,
-- because the whole conversation would not fit the model's context (chat.streaming.max-context-tokens).
alter table message add column context_dropped integer not null default 0;
