-- The org a logged change is about, when it is not the owning org (sync protocol: `scopeOrg`):
-- a committee's decision on an organ's case is owned by the committee and about the organ, and
-- the server lets the organ's desks see it. NULL: the owning org.
ALTER TABLE change_log ADD COLUMN scope_org TEXT;
