-- Indexes for the statistics and early-warning queries (stats.rs, warnings.rs). The statistics
-- read each table once through an index holding every column they need (no row lookups), and
-- count in Rust; the warnings look up the few rows near a deadline. (IF NOT EXISTS: a test may
-- rewind user_version and open again.)

-- Every case measure in one read: state, category, organ, owning org, dates, id.
CREATE INDEX IF NOT EXISTS cases_stats ON cases (status, registered_on, category, handling_organ_id, org_id, closed_on, id);
-- Hearings by date with their state, case and the organ's decision.
CREATE INDEX IF NOT EXISTS hearings_stats ON hearings (scheduled_on, status, case_id, organ_decision, id);
-- Hearings not yet held (notice warnings).
CREATE INDEX IF NOT EXISTS hearings_status ON hearings (status, scheduled_on);
-- The panel's votes per hearing.
CREATE INDEX IF NOT EXISTS opinions_hearing_vote ON opinions (hearing_id, vote);
-- Panel members per hearing with their invitation and person.
CREATE INDEX IF NOT EXISTS participants_panel ON participants (role, hearing_id, invitation, person_id, name);
-- 三单 by deadline with kind, state, completion and case.
CREATE INDEX IF NOT EXISTS slips_stats ON supervision_slips (deadline, kind, status, done_on, case_id);
-- Repeat petitioners: the same ID number, or the same name and address, on several cases.
CREATE INDEX IF NOT EXISTS petitioners_repeat_id ON petitioners (id_number, case_id, name);
CREATE INDEX IF NOT EXISTS petitioners_repeat_name ON petitioners (name, address, case_id);
-- The last follow-up of a closed case.
CREATE INDEX IF NOT EXISTS followups_case ON followups (case_id, on_date);
