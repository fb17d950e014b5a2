-- Operator accounts of this desk (not synced: each desk has its own). Passwords are not stored
-- here: each operator's password unlocks a copy of the database key kept in keys.json (see
-- keys.rs); without it the database cannot be opened at all.
CREATE TABLE operators (
    id TEXT PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'organizer', 'clerk', 'closure_officer', 'read_only')),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    disabled_at TEXT NULL,
    last_login_at TEXT NULL,
    password_changed_at TEXT NOT NULL
);
