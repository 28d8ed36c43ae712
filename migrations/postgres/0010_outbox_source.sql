-- The staff message a row relays to a customer (its chat and message id in the staff group): an
-- edit of that message edits the customer's copy instead of sending it again.
ALTER TABLE outbox ADD COLUMN source TEXT;
CREATE INDEX outbox_by_source ON outbox (source);
