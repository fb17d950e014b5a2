-- Foundation: desk identity, orgs, the person pool, cases with petitioners, change log, audit chain.

CREATE TABLE desk_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE orgs (
    id         TEXT PRIMARY KEY,
    parent_id  TEXT REFERENCES orgs (id),
    name       TEXT NOT NULL,
    short_name TEXT NOT NULL,
    kind       TEXT NOT NULL,
    code       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX orgs_parent ON orgs (parent_id);

CREATE TABLE persons (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES orgs (id),
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    level      TEXT,
    unit       TEXT NOT NULL,
    title      TEXT NOT NULL,
    phone      TEXT,
    id_number  TEXT,
    licence_no TEXT,
    law_firm   TEXT,
    expertise  TEXT NOT NULL,
    term_start TEXT,
    term_end   TEXT,
    active     INTEGER NOT NULL,
    note       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX persons_kind ON persons (kind, active);
CREATE INDEX persons_name ON persons (name);

CREATE TABLE cases (
    id                    TEXT PRIMARY KEY,
    number                TEXT NOT NULL UNIQUE,
    org_id                TEXT NOT NULL REFERENCES orgs (id),
    handling_organ_id     TEXT NOT NULL REFERENCES orgs (id),
    case_officer          TEXT NOT NULL,
    title                 TEXT NOT NULL,
    category              TEXT NOT NULL,
    original_case_number  TEXT NOT NULL,
    rulings               TEXT NOT NULL, -- JSON array of Ruling
    demands               TEXT NOT NULL,
    background            TEXT NOT NULL,
    historical_facts      TEXT NOT NULL,
    problem_nature        TEXT NOT NULL,
    handling_principle    TEXT NOT NULL,
    petition_demands      TEXT NOT NULL,
    responsible_parties   TEXT NOT NULL,
    social_relations      TEXT NOT NULL,
    crux                  TEXT NOT NULL,
    existing_replies      TEXT NOT NULL,
    errors_and_flaws      TEXT NOT NULL,
    analysis_completeness INTEGER NOT NULL,
    status                TEXT NOT NULL,
    registered_on         TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
) STRICT;
CREATE INDEX cases_status ON cases (status, registered_on);
CREATE INDEX cases_registered ON cases (registered_on);
CREATE INDEX cases_organ ON cases (handling_organ_id);
CREATE INDEX cases_updated ON cases (updated_at);
CREATE INDEX cases_org ON cases (org_id);

-- Rewritten as a whole when a case is saved; in the change log they are the case's
-- `petitioners` field.
CREATE TABLE petitioners (
    case_id             TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    seq                 INTEGER NOT NULL,
    kind                TEXT NOT NULL,
    name                TEXT NOT NULL,
    id_number           TEXT,
    phone               TEXT,
    address             TEXT NOT NULL,
    credit_code         TEXT,
    credit_code_warning TEXT,
    representative      TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
) STRICT;
CREATE INDEX petitioners_name ON petitioners (name);
CREATE INDEX petitioners_id_number ON petitioners (id_number);

-- The change log: one row per entity changed by one write, in the order written.
CREATE TABLE changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,  -- UUIDv7
    org_id      TEXT NOT NULL,         -- the org owning the entity
    device_id   TEXT NOT NULL,
    entity      TEXT NOT NULL,         -- org | person | case
    entity_id   TEXT NOT NULL,
    op          TEXT NOT NULL,         -- create | update
    fields      TEXT NOT NULL,         -- JSON object: the fields set
    device_time TEXT NOT NULL          -- when the user confirmed it (UTC)
) STRICT;
CREATE INDEX changes_entity ON changes (entity, entity_id);

-- The audit trail: each event's hash covers the previous event's hash.
CREATE TABLE audit_events (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    summary    TEXT NOT NULL,
    change_ids TEXT NOT NULL,          -- JSON array of change ids written with it
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
) STRICT;
CREATE INDEX audit_entity ON audit_events (entity, entity_id);
