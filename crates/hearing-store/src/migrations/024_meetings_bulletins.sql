-- The committee's own work: 会商研判 (case conferences) and 通报 (periodic reports).
--
-- A meeting is the record of the org that holds it (`org_id`); `proxy` = 1: entered on a desk of
-- another org working alone (代录), from the paper minutes — then it is the record of that desk's
-- org (`entered_by`, when the desk had one), as a 代录 slip is the case's. It is numbered per holding org and
-- year (2026年第12期: `num_year`, `num_seq`). `attendees` is a JSON list of
-- {name, unit, personId, presence: present|attending|absent}.
CREATE TABLE meetings (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL,
    proxy       INTEGER NOT NULL DEFAULT 0,
    entered_by  TEXT,
    number      TEXT NOT NULL,
    num_year    INTEGER NOT NULL,
    num_seq     INTEGER NOT NULL,
    title       TEXT NOT NULL,
    held_on     TEXT NOT NULL,
    time        TEXT NOT NULL DEFAULT '',
    place       TEXT NOT NULL DEFAULT '',
    chair       TEXT NOT NULL DEFAULT '',
    recorder    TEXT NOT NULL DEFAULT '',
    attendees   TEXT NOT NULL DEFAULT '[]',
    intro       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX meetings_org ON meetings (org_id, num_year, num_seq);
CREATE INDEX meetings_held ON meetings (held_on);

-- One case on a meeting's agenda (`seq`: its place), with why it is there (`source`: 'manual' or
-- the 预警 kind that proposed it, `reason` in words), the discussion and the conclusion
-- (`conclusion`: continue|hearing|close|legal|other; `conclusion_text`), the responsible org and
-- the deadline, and the 交办单 issued from it (`slip_id`). The meeting's org, its proxy flag and
-- `entered_by` (which make the owner, as the meeting's), title and date are copied here: the item also goes to the desks of the case's org
-- (its scope), which do not receive the meeting itself.
CREATE TABLE meeting_items (
    id                 TEXT PRIMARY KEY,
    meeting_id         TEXT NOT NULL,
    org_id             TEXT NOT NULL,
    proxy              INTEGER NOT NULL DEFAULT 0,
    entered_by         TEXT,
    meeting_title      TEXT NOT NULL,
    held_on            TEXT NOT NULL,
    case_id            TEXT NOT NULL REFERENCES cases (id),
    seq                INTEGER NOT NULL,
    source             TEXT NOT NULL DEFAULT 'manual',
    reason             TEXT NOT NULL DEFAULT '',
    discussion         TEXT NOT NULL DEFAULT '',
    conclusion         TEXT NOT NULL DEFAULT '',
    conclusion_text    TEXT NOT NULL DEFAULT '',
    responsible_org_id TEXT,
    deadline           TEXT,
    slip_id            TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
) STRICT;
CREATE INDEX meeting_items_meeting ON meeting_items (meeting_id, seq);
CREATE INDEX meeting_items_case ON meeting_items (case_id);

-- A 通报 as issued: numbered per issuing org and year from its prefix (青政法通〔2026〕3号), for
-- a period and an org subtree, with the text as printed and the figures as exported (JSON), so
-- that a reprint is the same document.
CREATE TABLE bulletins (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL,
    number      TEXT NOT NULL,
    num_prefix  TEXT NOT NULL,
    num_year    INTEGER NOT NULL,
    num_seq     INTEGER NOT NULL,
    period      TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL,
    subtree_id  TEXT,
    title       TEXT NOT NULL,
    issued_on   TEXT NOT NULL,
    issued_by   TEXT NOT NULL,
    body        TEXT NOT NULL,
    figures     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX bulletins_number ON bulletins (org_id, num_prefix, num_year, num_seq);
