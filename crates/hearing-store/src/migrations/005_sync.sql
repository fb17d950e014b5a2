-- Sync (docs/sync-protocol.md). Row changes of the synced tables are recorded by triggers
-- (created by the store at open, from the tables' columns) into sync_outbox, in the same
-- transaction as the write.

-- One row: the desk's hybrid logical clock, its device id for the triggers, and whether the
-- store is applying remote changes (then the triggers record nothing).
CREATE TABLE sync_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    hlc      TEXT NOT NULL DEFAULT '0000000000000-00000',
    device   TEXT NOT NULL DEFAULT '',
    applying INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO sync_state (id) VALUES (1);

-- Local row changes not yet acknowledged by the server. The change id is
-- "<device>-<seq, 12 digits>", made when pushed.
CREATE TABLE sync_outbox (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    tbl    TEXT NOT NULL,
    pk     TEXT NOT NULL,
    op     TEXT NOT NULL,       -- upsert | delete
    cols   TEXT NOT NULL,       -- JSON object
    org_id TEXT NOT NULL,
    hlc    TEXT NOT NULL,
    at     TEXT NOT NULL
) STRICT;

-- The version of each column's current value (for last-writer-wins).
CREATE TABLE sync_versions (
    tbl       TEXT NOT NULL,
    pk        TEXT NOT NULL,
    col       TEXT NOT NULL,
    hlc       TEXT NOT NULL,
    device    TEXT NOT NULL,
    change_id TEXT NOT NULL,
    PRIMARY KEY (tbl, pk, col)
) STRICT, WITHOUT ROWID;

CREATE TABLE sync_tombstones (
    tbl       TEXT NOT NULL,
    pk        TEXT NOT NULL,
    hlc       TEXT NOT NULL,
    device    TEXT NOT NULL,
    change_id TEXT NOT NULL,
    PRIMARY KEY (tbl, pk)
) STRICT, WITHOUT ROWID;

-- Every value written to a frozen column (documents' content), so that the frozen content and
-- the conflicts do not depend on the order changes arrive in.
CREATE TABLE sync_history (
    tbl       TEXT NOT NULL,
    pk        TEXT NOT NULL,
    col       TEXT NOT NULL,
    hlc       TEXT NOT NULL,
    device    TEXT NOT NULL,
    change_id TEXT NOT NULL,
    value     TEXT NOT NULL,    -- JSON
    by_freeze INTEGER NOT NULL,
    PRIMARY KEY (tbl, pk, col, hlc, device, change_id)
) STRICT, WITHOUT ROWID;

-- Remote changes applied (idempotence).
CREATE TABLE sync_applied (
    change_id TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

-- Changes (or columns) not applied, for a person to settle.
CREATE TABLE sync_conflicts (
    id         INTEGER PRIMARY KEY,
    change_id  TEXT NOT NULL,
    tbl        TEXT NOT NULL,
    pk         TEXT NOT NULL,
    col        TEXT NOT NULL,
    theirs     TEXT NOT NULL,   -- JSON value of the change
    ours       TEXT NOT NULL,   -- JSON value kept
    reason     TEXT NOT NULL,
    at         TEXT NOT NULL,
    settled_at TEXT,
    settled_by TEXT,
    UNIQUE (change_id, col)
) STRICT;

-- One row per sync run.
CREATE TABLE sync_runs (
    id        INTEGER PRIMARY KEY,
    started   TEXT NOT NULL,
    finished  TEXT,
    pushed    INTEGER NOT NULL DEFAULT 0,
    pulled    INTEGER NOT NULL DEFAULT 0,
    conflicts INTEGER NOT NULL DEFAULT 0,
    error     TEXT
) STRICT;
