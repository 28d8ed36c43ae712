-- A row sent in several parts (a long text cut to the channel's limits) keeps the message id
-- of its last part in outbox.message_id; the earlier parts' ids are kept here, so that an
-- answer to any part of a case's message finds its case. Rows sent in one part need no line.
CREATE TABLE outbox_sent_parts (
    outbox_id  BIGINT NOT NULL,
    part       BIGINT NOT NULL,
    message_id BIGINT NOT NULL,
    PRIMARY KEY (outbox_id, part)
);
CREATE INDEX outbox_sent_parts_message ON outbox_sent_parts (message_id);
