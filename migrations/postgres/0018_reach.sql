-- Values the bot makes or learns by itself and keeps across restarts: the secret that signs
-- the invoice deep links (made at the first start when no setting gives one), the bot's
-- username as Telegram last told it (so QR codes can be printed without Telegram).
CREATE TABLE bot_values (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Telegram Business: the company's own account connected to the bot, with what it allows.
CREATE TABLE business_connections (
    id          TEXT PRIMARY KEY,
    owner_id    BIGINT NOT NULL,
    can_reply   INTEGER NOT NULL,
    enabled     INTEGER NOT NULL,
    updated_at  BIGINT NOT NULL
);
-- A customer's chat with the company's account. Its id, below -(2^53), is the chat address of
-- the customer's identity and outbox rows: outside every Telegram id, so never a real chat.
-- quiet_until: a person of the company wrote there; the bot stays silent until then.
CREATE TABLE business_chats (
    id            BIGSERIAL PRIMARY KEY,
    connection_id TEXT NOT NULL,
    chat_id       BIGINT NOT NULL,
    quiet_until   BIGINT NOT NULL DEFAULT 0,
    UNIQUE (connection_id, chat_id)
);
