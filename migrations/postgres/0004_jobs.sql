-- Reminders and follow-ups, written in the same transaction as what causes them. A job runs at
-- most once: the process that flips it from pending to done, in the transaction that does its
-- work, owns it.
CREATE TABLE jobs (
    id          BIGSERIAL PRIMARY KEY,
    -- callback, defer_remind, defer_due, aftercare, staff_digest
    kind        TEXT    NOT NULL,
    due_at      BIGINT NOT NULL,
    case_id     BIGINT,
    request_id  BIGINT,
    -- JSON: what the job needs (ping count, days before, …)
    payload     TEXT    NOT NULL DEFAULT '{}',
    -- pending, done, cancelled
    status      TEXT    NOT NULL DEFAULT 'pending',
    created_at  BIGINT NOT NULL,
    done_at     BIGINT
);
CREATE INDEX jobs_due ON jobs (status, due_at);

-- A hotline call recorded on a request waiting for staff.
ALTER TABLE requests ADD COLUMN last_call_at BIGINT;
-- Staff recorded the (deferred) job as done.
ALTER TABLE requests ADD COLUMN job_done_at BIGINT;
ALTER TABLE requests ADD COLUMN job_done_by TEXT;
-- The customer asked for no check-ins (/tatnhac).
ALTER TABLE customers ADD COLUMN reminders_off BIGINT NOT NULL DEFAULT 0;
