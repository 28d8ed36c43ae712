-- Values the bot makes or learns by itself and keeps across restarts: the secret that signs
-- the invoice deep links (made at the first start when no setting gives one), the bot's
-- username as Telegram last told it (so QR codes can be printed without Telegram).
CREATE TABLE bot_values (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
