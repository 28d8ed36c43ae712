-- Refund requests keep their facts and decision (JSON of dialogue::RefundRecord).
ALTER TABLE requests ADD COLUMN refund TEXT;
