-- How the last hotline call to a request's customer went: 'reached', or 'no_answer' (staff are
-- reminded to call again). NULL with a last_call_at: a call recorded before this column, reached.
ALTER TABLE requests ADD COLUMN last_call TEXT;
