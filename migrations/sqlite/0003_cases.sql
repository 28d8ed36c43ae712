-- Complaints (khiếu nại) as cases: KN-000123. The case row holds where it stands; its history,
-- never rewritten, is in case_events.
CREATE TABLE cases (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id     INTEGER NOT NULL REFERENCES customers(id),
    category        TEXT    NOT NULL,
    description     TEXT    NOT NULL,
    invoice         TEXT,
    urgent          INTEGER NOT NULL DEFAULT 0,
    phone           TEXT,
    call_consent    INTEGER NOT NULL DEFAULT 0,
    -- open, claimed, resolved, step3, closed
    status          TEXT    NOT NULL,
    -- the policy's step: 1 received, 2 handled by customer care, 3 legal authorities
    step            INTEGER NOT NULL DEFAULT 1,
    claimed_by      TEXT,
    claimed_by_id   INTEGER,
    claimed_at      INTEGER,
    last_call_at    INTEGER,
    last_call       TEXT,
    rating          INTEGER,
    rating_comment  TEXT,
    -- where the case lives in the staff group: a forum topic, or a card message
    topic_id        INTEGER,
    card_message_id INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    closed_at       INTEGER
);
CREATE INDEX cases_by_customer ON cases (customer_id, id);
CREATE INDEX cases_by_status ON cases (status, id);

CREATE TABLE case_events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id  INTEGER NOT NULL REFERENCES cases(id),
    at       INTEGER NOT NULL,
    -- customer, staff:ID:NAME, bot
    actor    TEXT    NOT NULL,
    -- created, customer_message, staff_message, note, claimed, called, resolved, step3, closed,
    -- reopened, rated, delivery_failed
    kind     TEXT    NOT NULL,
    text     TEXT,
    -- JSON list of attachments
    media    TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX case_events_by_case ON case_events (case_id, id);

-- Outbox rows that belong to a case go into its topic, known only once the topic exists.
ALTER TABLE outbox ADD COLUMN case_id INTEGER;
