-- Continuation of a reply on another node (issue 16): when the node generating a reply dies or
-- its drain on shutdown times out, a surviving node claims the reply (message.node_id, compare
-- and set) and asks the model to go on from the stored text. Each place where the answer was
-- taken up again is recorded here, as answer offsets (UTF-16 units) separated by commas, so that
-- every view can mark the seam ("continued after a server restart"). A column rather than a
-- table: read with the row, at no extra query per page of messages.
alter table message add column seams varchar(200) not null default '';
