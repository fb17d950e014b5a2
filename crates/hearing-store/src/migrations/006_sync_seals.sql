-- Sync, continued (docs/sync-protocol.md, "Merge rules"): signed transcripts and case numbers.

-- A signed transcript seals its testimony entries. sync_history now also keeps every value
-- written to a testimony row (every column; a delete as the column '$delete') and every
-- signature of a hearing (hearings.transcript_hash set, by_freeze = 1), so that the entries of a
-- signed transcript are settled from their history whatever the order changes arrive in.
-- Rows already recorded are backfilled with the version of their current values.
INSERT OR IGNORE INTO sync_history (tbl, pk, col, hlc, device, change_id, value, by_freeze)
SELECT 'testimony', t.id, v.col, v.hlc, v.device, v.change_id,
    json_quote(json_extract(json_object(
        'id', t.id, 'hearing_id', t.hearing_id, 'seq', t.seq, 'step_key', t.step_key,
        'speaker_role', t.speaker_role, 'speaker_name', t.speaker_name, 'text', t.text,
        'supersedes', t.supersedes, 'created_at', t.created_at, 'updated_at', t.updated_at
    ), '$.' || v.col)), 0
FROM testimony t JOIN sync_versions v ON v.tbl = 'testimony' AND v.pk = t.id;

INSERT OR IGNORE INTO sync_history (tbl, pk, col, hlc, device, change_id, value, by_freeze)
SELECT 'hearings', h.id, 'transcript_hash', v.hlc, v.device, v.change_id,
    json_quote(h.transcript_hash), 1
FROM hearings h
JOIN sync_versions v ON v.tbl = 'hearings' AND v.pk = h.id AND v.col = 'transcript_hash'
WHERE h.transcript_hash IS NOT NULL;

-- The entries of a hearing, found from their history when its signature arrives.
CREATE INDEX sync_history_parent ON sync_history (tbl, col, value) WHERE col = 'hearing_id';

-- Cases received with a number another case here already has: stored under a stand-in until the
-- desk that gave the number renumbers the case (a normal change that reaches every desk).
CREATE TABLE sync_number_holds (
    case_id TEXT PRIMARY KEY,
    number  TEXT NOT NULL,   -- the number the case has in the synced data
    held    TEXT NOT NULL    -- the stand-in stored here meanwhile
) STRICT, WITHOUT ROWID;
