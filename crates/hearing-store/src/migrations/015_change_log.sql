-- One change log (issue 19). Until now a desk kept two logs: `changes` (entity-level maps built by
-- hand in Rust, read by the audit chain only) and `sync_outbox` (row changes recorded by triggers,
-- deleted once the server had them). From here on there is one append-only log of row changes,
-- written by the synced tables' triggers in the writing transaction (local changes, `local` = 1)
-- and by the apply path for every change a pull brings (`local` = 0). Audit events name its ids;
-- push sends the local rows after the cursor `desk_meta.sync_pushed`; nothing is deleted when the
-- server acknowledges.
--
-- Rows:
-- - a local change carries its whole payload in `cols` (a JSON object: the columns it set), its id
--   is "<device>-<seq, 12 digits>";
-- - a pulled change keeps its id, clock, org, device, table and row, and in `cols` the names of
--   the columns it set (a JSON array): the values are in the rows and their versions, and a desk
--   never sends another desk's change again;
-- - `op` is `upsert` or `delete`; two kinds come only from this migration: `legacy` (a row of the
--   old `changes` table, its entity and fields kept in `tbl`, `pk` and `cols`, so the audit events
--   written before still name a row) and `applied` (a pulled change of which only the id was kept,
--   so that it is still not applied twice).
CREATE TABLE change_log (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    id        TEXT NOT NULL UNIQUE,
    hlc       TEXT NOT NULL,
    org_id    TEXT NOT NULL,
    device_id TEXT NOT NULL,
    tbl       TEXT NOT NULL,
    pk        TEXT NOT NULL,
    op        TEXT NOT NULL,      -- upsert | delete | legacy | applied
    cols      TEXT NOT NULL,      -- JSON: the columns set (local) or their names (pulled)
    at        TEXT NOT NULL,      -- when the change was made (UTC)
    local     INTEGER NOT NULL    -- 1: made on this desk; 0: received from the server
) STRICT;
-- Push reads the local changes after its cursor without walking past the pulled ones.
CREATE INDEX change_log_local ON change_log (seq) WHERE local = 1;

INSERT INTO change_log (id, hlc, org_id, device_id, tbl, pk, op, cols, at, local)
SELECT id, '', org_id, device_id, entity, entity_id, 'legacy', fields, device_time, 1
FROM changes ORDER BY seq;

INSERT INTO change_log (id, hlc, org_id, device_id, tbl, pk, op, cols, at, local)
SELECT change_id, '', '', '', '', '', 'applied', '[]', '', 0
FROM sync_applied ORDER BY change_id;

-- Everything so far is history, not work to send.
INSERT INTO desk_meta (key, value)
SELECT 'sync_pushed', CAST(COALESCE((SELECT max(seq) FROM change_log), 0) AS TEXT)
WHERE true
ON CONFLICT (key) DO UPDATE SET value = excluded.value;

-- The changes not yet acknowledged keep the ids they were versioned under.
INSERT INTO change_log (id, hlc, org_id, device_id, tbl, pk, op, cols, at, local)
SELECT s.device || '-' || printf('%012d', o.seq), o.hlc, o.org_id, s.device, o.tbl, o.pk, o.op,
       o.cols, o.at, 1
FROM sync_outbox o, sync_state s ORDER BY o.seq;

-- A new local change's id is made from its seq: it must be past every id the outbox gave out.
UPDATE sqlite_sequence SET seq = max(seq, COALESCE(
    (SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'), 0))
WHERE name = 'change_log';
INSERT INTO sqlite_sequence (name, seq)
SELECT 'change_log', seq FROM sqlite_sequence
WHERE name = 'sync_outbox' AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'change_log');

DROP TABLE changes;
DROP TABLE sync_outbox;
DROP TABLE sync_applied;
