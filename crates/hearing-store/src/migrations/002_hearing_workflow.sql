-- The hearing workflow: jurisdiction configuration (versioned), hearings with participants,
-- notices, testimony, evidence, opinions and signatures; closure approvals; leader assignment
-- (领导包案), supervision slips (三单), visit reviews (逢访必查) and after-closure follow-ups.

-- Every saved configuration is a new version; a hearing records the version it used.
CREATE TABLE config_versions (
    version    INTEGER PRIMARY KEY,
    config     TEXT NOT NULL,          -- JSON JurisdictionConfig
    created_at TEXT NOT NULL
) STRICT;

ALTER TABLE cases ADD COLUMN served_on TEXT;
ALTER TABLE cases ADD COLUMN filed_on TEXT;
ALTER TABLE cases ADD COLUMN closed_on TEXT;
ALTER TABLE cases ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';

-- The case an audit event belongs to, for the case timeline (not covered by the hash: derived).
ALTER TABLE audit_events ADD COLUMN case_id TEXT;
CREATE INDEX audit_case ON audit_events (case_id, seq);

CREATE TABLE hearings (
    id                        TEXT PRIMARY KEY,
    case_id                   TEXT NOT NULL REFERENCES cases (id),
    org_id                    TEXT NOT NULL REFERENCES orgs (id),
    title                     TEXT NOT NULL,
    scheduled_on              TEXT NOT NULL,   -- YYYY-MM-DD
    start_time                TEXT NOT NULL,   -- HH:MM
    venue                     TEXT NOT NULL,
    mode                      TEXT NOT NULL,
    public                    INTEGER NOT NULL,
    non_public_reason         TEXT NOT NULL,
    status                    TEXT NOT NULL,
    status_reason             TEXT NOT NULL,
    current_step              INTEGER NOT NULL,
    config_version            INTEGER NOT NULL REFERENCES config_versions (version),
    announcement_published_on TEXT,
    draw_seed                 TEXT,
    draw_log                  TEXT NOT NULL,   -- JSON: the draws made, with pool and result
    transcript_hash           TEXT,
    transcript_signed_at      TEXT,
    organ_decision            TEXT,            -- Vote
    organ_decision_reason     TEXT NOT NULL,
    created_at                TEXT NOT NULL,
    updated_at                TEXT NOT NULL
) STRICT;
CREATE INDEX hearings_case ON hearings (case_id);
CREATE INDEX hearings_scheduled ON hearings (scheduled_on);

-- Everyone who takes part in a hearing in a role: panel, presider, clerk, parties, observers.
-- For panelists the row is also the invitation.
CREATE TABLE participants (
    id                     TEXT PRIMARY KEY,
    hearing_id             TEXT NOT NULL REFERENCES hearings (id) ON DELETE CASCADE,
    seq                    INTEGER NOT NULL,
    person_id              TEXT REFERENCES persons (id),
    role                   TEXT NOT NULL,
    name                   TEXT NOT NULL,
    unit                   TEXT NOT NULL,
    invitation             TEXT NOT NULL,   -- InvitationStatus
    invitation_history     TEXT NOT NULL,   -- JSON [{status, at}]
    recusal_unresolved     INTEGER NOT NULL,
    recusal_note           TEXT NOT NULL,
    confidentiality_signed INTEGER NOT NULL,
    notice_served_on       TEXT,
    notice_method          TEXT NOT NULL,
    signature              TEXT NOT NULL,   -- SignatureStatus
    signature_note         TEXT NOT NULL,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL
) STRICT;
CREATE INDEX participants_hearing ON participants (hearing_id, seq);
CREATE INDEX participants_person ON participants (person_id);

-- Testimony is append-only once sealed; a correction is a new entry that supersedes an old one.
CREATE TABLE testimony (
    id           TEXT PRIMARY KEY,
    hearing_id   TEXT NOT NULL REFERENCES hearings (id),
    seq          INTEGER NOT NULL,
    step_key     TEXT NOT NULL,
    speaker_role TEXT NOT NULL,
    speaker_name TEXT NOT NULL,
    text         TEXT NOT NULL,
    supersedes   TEXT REFERENCES testimony (id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (hearing_id, seq)
) STRICT;

CREATE TABLE evidence (
    id           TEXT PRIMARY KEY,
    hearing_id   TEXT NOT NULL REFERENCES hearings (id),
    seq          INTEGER NOT NULL,
    title        TEXT NOT NULL,
    submitted_by TEXT NOT NULL,
    description  TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;

-- 质证: each party's view of one evidence item.
CREATE TABLE challenges (
    id          TEXT PRIMARY KEY,
    evidence_id TEXT NOT NULL REFERENCES evidence (id),
    party       TEXT NOT NULL,
    opinion     TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE opinions (
    id             TEXT PRIMARY KEY,
    hearing_id     TEXT NOT NULL REFERENCES hearings (id),
    participant_id TEXT NOT NULL REFERENCES participants (id),
    facts          TEXT NOT NULL,
    law            TEXT NOT NULL,
    vote           TEXT NOT NULL,
    reasons        TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (hearing_id, participant_id)
) STRICT;

CREATE TABLE approvals (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    level_key   TEXT NOT NULL,
    level_title TEXT NOT NULL,
    approver    TEXT NOT NULL,
    opinion     TEXT NOT NULL,
    approved    INTEGER NOT NULL,
    decided_on  TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX approvals_case ON approvals (case_id, created_at);

CREATE TABLE leader_assignments (
    case_id             TEXT PRIMARY KEY REFERENCES cases (id),
    leader_a            TEXT NOT NULL,
    leader_a_title      TEXT NOT NULL,
    leader_b            TEXT NOT NULL,
    leader_b_title      TEXT NOT NULL,
    problem_list        TEXT NOT NULL,
    responsibility_list TEXT NOT NULL,
    confirmed_a         INTEGER NOT NULL,
    confirmed_b         INTEGER NOT NULL,
    signed_a            INTEGER NOT NULL,
    signed_b            INTEGER NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;

CREATE TABLE supervision_slips (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    kind       TEXT NOT NULL,
    from_unit  TEXT NOT NULL,
    to_unit    TEXT NOT NULL,
    content    TEXT NOT NULL,
    deadline   TEXT NOT NULL,
    status     TEXT NOT NULL,
    done_on    TEXT,
    reply      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX slips_case ON supervision_slips (case_id);
CREATE INDEX slips_deadline ON supervision_slips (status, deadline);

CREATE TABLE visit_reviews (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    visit_on   TEXT NOT NULL,
    reviewer   TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    note       TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE followups (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    kind       TEXT NOT NULL,
    on_date    TEXT NOT NULL,
    locality   TEXT NOT NULL,
    note       TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
