-- The outbox's indexes hold only the rows they are read for: a message sent leaves the pending
-- indexes (instead of moving to the sent rows' part of them, which grew with every message),
-- failed messages have their own small index, and the relay index holds relayed rows alone.
DROP INDEX outbox_pending;
DROP INDEX outbox_pending_by_chat;
DROP INDEX outbox_by_source;
CREATE INDEX outbox_pending ON outbox (id) WHERE status = 'pending';
CREATE INDEX outbox_pending_by_chat ON outbox (channel, address, id) WHERE status = 'pending';
CREATE INDEX outbox_failed ON outbox (created_at) WHERE status = 'failed';
CREATE INDEX outbox_by_source ON outbox (source) WHERE source IS NOT NULL;
