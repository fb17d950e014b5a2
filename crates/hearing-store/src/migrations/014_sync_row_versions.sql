-- One version for a whole row (sync). A row that a pull brings here for the first time, whole
-- (the change carries every column) and with nothing known of it before (no row, no version, no
-- tombstone, no history), is recorded with one row here instead of one sync_versions row per
-- column and — for testimony — one sync_history row per column: a tenth of the writes of a
-- desk's first pull. The version of a column is the newer of its sync_versions row and its
-- row's version here; a later change of one column adds its sync_versions row as before. A
-- testimony entry without history gets it, from these versions, when a change of it or of its
-- hearing's signature arrives (sync::seed_history), as an entry made before history was kept.
CREATE TABLE IF NOT EXISTS sync_row_versions (
    tbl       TEXT NOT NULL,
    pk        TEXT NOT NULL,
    hlc       TEXT NOT NULL,
    device    TEXT NOT NULL,
    change_id TEXT NOT NULL,
    PRIMARY KEY (tbl, pk)
) STRICT, WITHOUT ROWID;
