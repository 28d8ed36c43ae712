-- The company's invoices, imported by staff (cskh invoices import): the bot then knows the
-- payment and job dates of an invoice number instead of asking for them.
CREATE TABLE invoices (
    number        TEXT PRIMARY KEY,
    customer_name TEXT    NOT NULL,
    phone         TEXT,
    amount        INTEGER,
    paid_on       TEXT    NOT NULL,
    job_on        TEXT,
    -- paid, done, cancelled
    status        TEXT    NOT NULL,
    updated_at    INTEGER NOT NULL
);

-- Whether the request's invoice was in the registry: known, unknown, disputed (the customer
-- said the dates on record are wrong); NULL when no registry was loaded.
ALTER TABLE requests ADD COLUMN registry TEXT;
-- The phone the customer gave matches the one on the invoice.
ALTER TABLE cases ADD COLUMN phone_verified INTEGER NOT NULL DEFAULT 0;
