-- A row's content may go out as several messages (a long text cut to the channel's limits):
-- how many of them were sent, so that a restart goes on with the next one instead of sending
-- the first ones again. Rows written before hold one message each and start at 0.
ALTER TABLE outbox ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;
