-- One holder at a time for work that must run in one process only (sending the outbox,
-- running reminders): several replicas share a database, one of them holds the lease.
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
