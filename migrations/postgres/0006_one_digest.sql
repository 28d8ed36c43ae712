-- At most one pending morning digest, even when two processes start together.
CREATE UNIQUE INDEX jobs_one_pending_digest ON jobs (kind) WHERE kind = 'staff_digest' AND status = 'pending';
