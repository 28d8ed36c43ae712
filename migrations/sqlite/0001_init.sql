-- Everyone who has talked to the bot. id is the Telegram user id.
CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    username    TEXT,
    lang        TEXT    NOT NULL,
    -- 1 once Telegram said the customer blocked the bot; cleared when they write again.
    unreachable INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- The conversation state (JSON of dialogue::Conversation), one row per customer.
CREATE TABLE conversations (
    customer_id INTEGER PRIMARY KEY REFERENCES customers(id),
    state       TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- Deferral requests and hand-offs. Dates are TEXT YYYY-MM-DD, instants Unix seconds.
CREATE TABLE requests (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    customer_id     INTEGER NOT NULL REFERENCES customers(id),
    invoice         TEXT,
    paid_on         TEXT,
    -- scheduled_state: NULL not asked, 'date' scheduled_on holds it, 'none' no date yet.
    scheduled_state TEXT,
    scheduled_on    TEXT,
    new_date        TEXT,
    reason          TEXT,
    reason_text     TEXT,
    -- confirmation: NULL not asked, JSON attachment, or 'none'.
    confirmation    TEXT,
    attachments     TEXT    NOT NULL DEFAULT '[]',
    unread_answers  TEXT    NOT NULL DEFAULT '[]',
    outcome         TEXT,
    rules_cited     TEXT    NOT NULL DEFAULT '',
    decision        TEXT,
    created_at      INTEGER NOT NULL,
    decided_by      TEXT,
    decided_by_id   INTEGER,
    decided_at      INTEGER
);
CREATE INDEX requests_by_customer ON requests (customer_id, id);

-- Every change of a request: never rewritten.
CREATE TABLE request_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL REFERENCES requests(id),
    at         INTEGER NOT NULL,
    actor      TEXT    NOT NULL,
    event      TEXT    NOT NULL
);

-- Messages to send, written in the same transaction as what caused them.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id         INTEGER NOT NULL,
    thread_id       INTEGER,
    customer_id     INTEGER,
    request_id      INTEGER,
    payload         TEXT    NOT NULL,
    -- pending, sent, failed
    status          TEXT    NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    message_id      INTEGER
);
CREATE INDEX outbox_pending ON outbox (status, id);

-- Updates already handled: a redelivered update is a no-op.
CREATE TABLE processed_updates (
    key TEXT PRIMARY KEY,
    at  INTEGER NOT NULL
);
