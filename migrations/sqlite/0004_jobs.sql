-- Reminders and follow-ups, written in the same transaction as what causes them. A job runs at
-- most once: the process that flips it from pending to done, in the transaction that does its
-- work, owns it.
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    -- callback, defer_remind, defer_due, aftercare, staff_digest
    kind        TEXT    NOT NULL,
    due_at      INTEGER NOT NULL,
    case_id     INTEGER,
    request_id  INTEGER,
    -- JSON: what the job needs (ping count, days before, …)
    payload     TEXT    NOT NULL DEFAULT '{}',
    -- pending, done, cancelled
    status      TEXT    NOT NULL DEFAULT 'pending',
    created_at  INTEGER NOT NULL,
    done_at     INTEGER
);
CREATE INDEX jobs_due ON jobs (status, due_at);

-- A hotline call recorded on a request waiting for staff.
ALTER TABLE requests ADD COLUMN last_call_at INTEGER;
-- Staff recorded the (deferred) job as done.
ALTER TABLE requests ADD COLUMN job_done_at INTEGER;
ALTER TABLE requests ADD COLUMN job_done_by TEXT;
-- The customer asked for no check-ins (/tatnhac).
ALTER TABLE customers ADD COLUMN reminders_off INTEGER NOT NULL DEFAULT 0;
