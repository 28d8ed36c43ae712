-- Outbox rows are routed by channel, and a channel's address need not be a number (a Zalo user
-- id is a string): outbox.chat_id (BIGINT) becomes outbox.address (TEXT), every row keeping its
-- chat id as decimal text. The pending-by-chat index now names the channel too, since a chat is
-- (channel, address).
ALTER TABLE outbox RENAME COLUMN chat_id TO address;
ALTER TABLE outbox ALTER COLUMN address TYPE TEXT USING address::TEXT;
DROP INDEX outbox_pending_by_chat;
CREATE INDEX outbox_pending_by_chat ON outbox (status, channel, address, id);

-- Zalo Official Account tokens (OAuth v4): one row per app. A refresh token is good for one
-- refresh only and each refresh gives a new pair, so the pair is written here before it is used;
-- `claimed_until` is set by the one process spending `refresh_token` (a conditional update), so
-- no other spends it meanwhile.
CREATE TABLE zalo_tokens (
    app_id        TEXT    PRIMARY KEY,
    access_token  TEXT    NOT NULL,
    refresh_token TEXT    NOT NULL,
    -- Unix seconds when the access token runs out (0: none yet)
    expires_at    BIGINT  NOT NULL,
    -- the first refresh token from the settings this row started from (a new one in the
    -- settings replaces the pair)
    seed_token    TEXT    NOT NULL,
    claimed_until BIGINT,
    -- the last refresh's error, until a refresh succeeds; whether staff were told of it
    failure       TEXT,
    failure_told  BIGINT  NOT NULL DEFAULT 0,
    updated_at    BIGINT  NOT NULL
);

-- Zalo's free reply window: when each user last wrote, and how many messages went to them since.
CREATE TABLE zalo_windows (
    user_id     TEXT    PRIMARY KEY,
    last_in_at  BIGINT  NOT NULL,
    replies     BIGINT  NOT NULL DEFAULT 0
);
