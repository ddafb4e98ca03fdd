-- Edit and regenerate make a conversation a tree: every message records the one it follows
-- (parent_id: the prompt an answer answers, the answer a prompt follows; null for a first prompt).
-- Messages with the same parent are versions of one another, and "replaced" marks the versions
-- not chosen. "superseded" keeps its meaning, materialised for cheap paging: not on the
-- conversation's current path (the chosen version at every level), so hidden.
-- No foreign key on parent_id: whole panes are deleted in one statement (cascade), and deleting
-- an exchange re-attaches the messages after it before it deletes.

alter table message add column parent_id bigint;
alter table message add column replaced boolean not null default false;
create index message_by_parent on message (parent_id);

update message set replaced = superseded;

-- Before this, a conversation was a list in id order: an answer follows the latest prompt before
-- it, a prompt the latest message before it that was still part of the conversation.
update message set parent_id = (
    select max(p.id) from message p
     where p.pane_id = message.pane_id and p.id < message.id and p.role = 'USER')
 where role = 'ASSISTANT';

update message set parent_id = (
    select max(p.id) from message p
     where p.pane_id = message.pane_id and p.id < message.id and p.superseded = false)
 where role = 'USER';

-- A retried answer used to leave the failed attempt in the conversation beside it; now the
-- attempt is an earlier version: of several visible answers to one prompt, the latest stays.
update message set replaced = true, superseded = true
 where role = 'ASSISTANT' and superseded = false
   and exists (select 1 from message n
                where n.parent_id = message.parent_id and n.role = 'ASSISTANT'
                  and n.superseded = false and n.id > message.id);
