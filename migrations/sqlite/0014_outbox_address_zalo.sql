-- Outbox rows are routed by channel, and a channel's address need not be a number (a Zalo user
-- id is a string): outbox.chat_id (INTEGER) becomes outbox.address (TEXT). SQLite cannot change
-- a column's type, so the table is built again with every row as it was (same ids, the
-- telegram chat id as its decimal text) and its indexes; the pending-by-chat index now names
-- the channel too, since a chat is (channel, address).
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    -- the channel that sends it: telegram (the staff group and Telegram customers), shell, zalo
    channel         TEXT    NOT NULL DEFAULT 'telegram',
    -- where in that channel: a Telegram chat id, a Zalo user id, …
    address         TEXT    NOT NULL,
    thread_id       INTEGER,
    customer_id     INTEGER,
    request_id      INTEGER,
    case_id         INTEGER,
    payload         TEXT    NOT NULL,
    -- pending, sent, failed
    status          TEXT    NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    message_id      INTEGER,
    source          TEXT,
    parts_sent      INTEGER NOT NULL DEFAULT 0
);
INSERT INTO outbox_new (id, channel, address, thread_id, customer_id, request_id, case_id, payload,
                        status, attempts, next_attempt_at, last_error, created_at, sent_at,
                        message_id, source, parts_sent)
SELECT id, channel, CAST(chat_id AS TEXT), thread_id, customer_id, request_id, case_id, payload,
       status, attempts, next_attempt_at, last_error, created_at, sent_at,
       message_id, source, parts_sent
FROM outbox;
-- New rows go on from the old table's last id, not from its largest id left.
DELETE FROM sqlite_sequence WHERE name = 'outbox_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox_new', seq FROM sqlite_sequence WHERE name = 'outbox';
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (status, id);
CREATE INDEX outbox_pending_by_chat ON outbox (status, channel, address, id);
CREATE INDEX outbox_by_source ON outbox (source);

-- Zalo Official Account tokens (OAuth v4): one row per app. A refresh token is good for one
-- refresh only and each refresh gives a new pair, so the pair is written here before it is used;
-- `claimed_until` is set by the one process spending `refresh_token` (a conditional update), so
-- no other spends it meanwhile.
CREATE TABLE zalo_tokens (
    app_id        TEXT    PRIMARY KEY,
    access_token  TEXT    NOT NULL,
    refresh_token TEXT    NOT NULL,
    -- Unix seconds when the access token runs out (0: none yet)
    expires_at    INTEGER NOT NULL,
    -- the first refresh token from the settings this row started from (a new one in the
    -- settings replaces the pair)
    seed_token    TEXT    NOT NULL,
    claimed_until INTEGER,
    -- the last refresh's error, until a refresh succeeds; whether staff were told of it
    failure       TEXT,
    failure_told  INTEGER NOT NULL DEFAULT 0,
    updated_at    INTEGER NOT NULL
);

-- Zalo's free reply window: when each user last wrote, and how many messages went to them since.
CREATE TABLE zalo_windows (
    user_id     TEXT    PRIMARY KEY,
    last_in_at  INTEGER NOT NULL,
    replies     INTEGER NOT NULL DEFAULT 0
);
