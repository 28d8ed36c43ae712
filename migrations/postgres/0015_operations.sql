-- What the bot notices about itself: a process starting, an update given up, a health alert
-- raised ('alert') and cleared ('well'). The morning summary counts them; the latest
-- alert/well row of each `what` is what keeps an alert from being said twice.
CREATE TABLE health_events (
    id     BIGSERIAL PRIMARY KEY,
    at     BIGINT  NOT NULL,
    -- start, update_failed, alert, well
    kind   TEXT    NOT NULL,
    -- which alert: outbox_stuck, sends_failing, database_down ('' for the others)
    what   TEXT    NOT NULL DEFAULT '',
    detail TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX health_events_by_time ON health_events (at);
CREATE INDEX health_events_by_what ON health_events (what, id);

-- Every view of a customer's personal data on the staff web page: who looked, when, at what.
CREATE TABLE personal_data_views (
    id          BIGSERIAL PRIMARY KEY,
    at          BIGINT  NOT NULL,
    staff_id    BIGINT  NOT NULL,
    staff_name  TEXT    NOT NULL,
    -- the case or request looked at (KN-000123, BL-000012), or 'list' for the list of open ones
    what        TEXT    NOT NULL,
    customer_id BIGINT
);
CREATE INDEX personal_data_views_by_time ON personal_data_views (at);

-- At most one pending morning summary, even when two processes start together.
CREATE UNIQUE INDEX jobs_one_pending_summary ON jobs (kind) WHERE kind = 'morning_summary' AND status = 'pending';
