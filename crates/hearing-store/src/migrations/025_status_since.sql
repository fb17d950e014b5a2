-- The day a case entered its current state (`status_since`), for 类案/积案 analysis: where cases
-- stall. Set by every state change from now on; for the cases already here, the closure, service
-- or filing day where the state has one, else the registration day (NULL: read as such).
ALTER TABLE cases ADD COLUMN status_since TEXT;
