-- How soon a row goes out beside the other chats' rows: 0 a reply to a customer who just wrote,
-- 1 staff's messages (and every row written before this column), 2 bulk work (reminders).
ALTER TABLE outbox ADD COLUMN priority BIGINT NOT NULL DEFAULT 1;
