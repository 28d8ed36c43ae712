-- Delivery reads one chat's pending messages in order, and which chats have one due.
CREATE INDEX outbox_pending_by_chat ON outbox (status, chat_id, id);
