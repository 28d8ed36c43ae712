-- Personal data: consent on record, inputs held until the customer answers the notice,
-- erasure on request, retention, and who looked at a customer's data.

-- Every answer a customer gave to a notice, never rewritten: the proof of consent.
CREATE TABLE consents (
    id             BIGSERIAL PRIMARY KEY,
    customer_id    BIGINT  NOT NULL REFERENCES customers(id),
    -- service (keeping their data to serve them), photos (photos used in advertising)
    purpose        TEXT    NOT NULL,
    -- the version of the notice they answered
    notice_version BIGINT  NOT NULL,
    -- 1 yes, 0 no or withdrawn
    given          BIGINT  NOT NULL,
    -- where they answered: telegram, shell, …; on_file when the company holds it in writing
    channel        TEXT    NOT NULL,
    at             BIGINT  NOT NULL
);
CREATE INDEX consents_by_customer ON consents (customer_id, purpose, id);

-- What a customer sent before answering the notice: it goes on after "Đồng ý" and is
-- deleted after "Không đồng ý".
CREATE TABLE held_inputs (
    id          BIGSERIAL PRIMARY KEY,
    customer_id BIGINT  NOT NULL REFERENCES customers(id),
    -- JSON of the input
    input       TEXT    NOT NULL,
    at          BIGINT  NOT NULL
);
CREATE INDEX held_inputs_by_customer ON held_inputs (customer_id, id);

-- A customer's request to erase their data: asked (waiting for their confirmation),
-- pending (confirmed, open requests or cases first), done, or cancelled.
CREATE TABLE erasures (
    id           BIGSERIAL PRIMARY KEY,
    customer_id  BIGINT  NOT NULL REFERENCES customers(id),
    status       TEXT    NOT NULL,
    -- 1 when it came with the withdrawal of consent
    withdrawal   BIGINT  NOT NULL DEFAULT 0,
    asked_at     BIGINT  NOT NULL,
    confirmed_at BIGINT,
    -- the day it must be done by
    due_at       BIGINT,
    done_at      BIGINT,
    -- the last reminder to staff while it waits
    pinged_at    BIGINT
);
CREATE INDEX erasures_by_customer ON erasures (customer_id, id);

-- Every view of customers' personal data by staff: who, when, what.
CREATE TABLE data_access_log (
    id      BIGSERIAL PRIMARY KEY,
    at      BIGINT  NOT NULL,
    who     TEXT    NOT NULL,
    -- case (/case), export (/export in the group), cli_export (cskh export)
    action  TEXT    NOT NULL,
    subject TEXT    NOT NULL
);
CREATE INDEX data_access_log_by_time ON data_access_log (at);

ALTER TABLE customers ADD COLUMN erased_at BIGINT;
ALTER TABLE requests ADD COLUMN erased_at BIGINT;
ALTER TABLE cases ADD COLUMN erased_at BIGINT;
-- Files and free text of a closed request or case are purged after the retention period.
ALTER TABLE requests ADD COLUMN purged_at BIGINT;
ALTER TABLE cases ADD COLUMN purged_at BIGINT;
-- 1 once the customer corrected their name: the channel's name no longer replaces it.
ALTER TABLE customers ADD COLUMN name_corrected BIGINT NOT NULL DEFAULT 0;
