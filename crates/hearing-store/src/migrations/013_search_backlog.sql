-- The search index may be written after the records it indexes.
--
-- A desk's first sync brings every record of its org at once (a million testimony entries on a
-- city desk). Indexing each record as it arrives costs FTS5 a segment per statement and the
-- merging of those segments: most of the time of such a pull. So while `search_state.defer` is 1
-- (sync sets it for the page it applies, in the page's transaction) a record added to or changed
-- in search_docs is only listed in search_backlog; the store indexes the backlog in bulk — with
-- the page while it holds at most 200 records, at the end of the sync run while at most 20,000,
-- else in the background after the run (Store::search_catch_up) — and a search says how many
-- records are still waiting. Every other writer indexes at once, as before.
--
-- The rule the triggers keep: a search_docs record is in the two FTS indexes exactly when its id
-- is not in search_backlog. Indexing a record (search_docs → search_keys, search_fts,
-- search_short) is written once, as the INSTEAD OF trigger of search_index_queue: inserting ids
-- (with their kind, case and text) into that view indexes those records and takes them off the backlog, one at a time or (the
-- catch-up) many in one statement.
--
-- Like 008 the migration can run again over its own objects (a test rewinding user_version).

CREATE TABLE IF NOT EXISTS search_state (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    defer INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT OR IGNORE INTO search_state (id) VALUES (1);
UPDATE search_state SET defer = 0;

CREATE TABLE IF NOT EXISTS search_backlog (
    id INTEGER PRIMARY KEY            -- a search_docs id not yet in search_fts / search_short
) STRICT;
-- Run again after 008 rebuilt the index (tests): what is indexed is not waiting.
DELETE FROM search_backlog
WHERE id NOT IN (SELECT id FROM search_docs) OR id IN (SELECT id FROM search_fts_docsize);

DROP VIEW IF EXISTS search_index_queue;
CREATE VIEW search_index_queue (id, kind, case_id, head, body) AS
    SELECT b.id, d.kind, d.case_id, d.head, d.body
    FROM search_backlog b CROSS JOIN search_docs d ON d.id = b.id;  -- the backlog drives the join

-- The record to index comes with its kind, case and text (the filters' keys are looked up per
-- case: the view search_case_keys is only narrowed to one case by a constant). The text of
-- search_short: for each character position (json_each over an array of length(text) zeros),
-- the character and the next one.
DROP TRIGGER IF EXISTS search_index_queue_ii;
CREATE TRIGGER search_index_queue_ii INSTEAD OF INSERT ON search_index_queue BEGIN
    INSERT INTO search_keys (value)
    SELECT v.value FROM (
        SELECT 'kind:' || NEW.kind AS value
        UNION ALL SELECT value FROM search_case_keys WHERE case_id = NEW.case_id
    ) v WHERE NOT EXISTS (SELECT 1 FROM search_keys k WHERE k.value = v.value);
    INSERT INTO search_fts (rowid, head, body, tags) VALUES (
        NEW.id, NEW.head, NEW.body,
        (SELECT coalesce(group_concat(char(61440, 57344 + k.n / 4096, 57344 + k.n % 4096), ''), '')
         FROM search_keys k WHERE k.value IN (
             SELECT 'kind:' || NEW.kind UNION ALL SELECT value FROM search_case_keys WHERE case_id = NEW.case_id))
    );
    INSERT INTO search_short (rowid, head, body, tags) VALUES (
        NEW.id,
        (SELECT coalesce(group_concat(substr(NEW.head, j.key + 1, 2), ' '), '')
         FROM json_each('[' || substr(replace(hex(zeroblob(length(NEW.head))), '00', ',0'), 2) || ']') j),
        (SELECT coalesce(group_concat(substr(NEW.body, j.key + 1, 2), ' '), '')
         FROM json_each('[' || substr(replace(hex(zeroblob(length(NEW.body))), '00', ',0'), 2) || ']') j),
        (SELECT coalesce(group_concat('t' || k.n, ' '), '')
         FROM search_keys k WHERE k.value IN (
             SELECT 'kind:' || NEW.kind UNION ALL SELECT value FROM search_case_keys WHERE case_id = NEW.case_id))
    );
    DELETE FROM search_backlog WHERE id = NEW.id;
END;

-- A new record joins the backlog, and unless indexing is deferred is indexed at once.
DROP TRIGGER IF EXISTS search_docs_ai;
CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT OR IGNORE INTO search_backlog (id) VALUES (NEW.id);
    INSERT INTO search_index_queue (id, kind, case_id, head, body)
    SELECT NEW.id, NEW.kind, NEW.case_id, NEW.head, NEW.body FROM search_state WHERE defer = 0;
END;

-- A changed record leaves the indexes (if it was in them) and is indexed again, now or later.
-- Also used to re-tag: `UPDATE search_docs SET case_id = case_id WHERE case_id = …`.
DROP TRIGGER IF EXISTS search_docs_au;
CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
    DELETE FROM search_fts WHERE rowid = OLD.id
        AND NOT EXISTS (SELECT 1 FROM search_backlog WHERE id = OLD.id);
    DELETE FROM search_short WHERE rowid = OLD.id
        AND NOT EXISTS (SELECT 1 FROM search_backlog WHERE id = OLD.id);
    INSERT OR IGNORE INTO search_backlog (id) VALUES (NEW.id);
    INSERT INTO search_index_queue (id, kind, case_id, head, body)
    SELECT NEW.id, NEW.kind, NEW.case_id, NEW.head, NEW.body FROM search_state WHERE defer = 0;
END;

DROP TRIGGER IF EXISTS search_docs_ad;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    DELETE FROM search_fts WHERE rowid = OLD.id
        AND NOT EXISTS (SELECT 1 FROM search_backlog WHERE id = OLD.id);
    DELETE FROM search_short WHERE rowid = OLD.id
        AND NOT EXISTS (SELECT 1 FROM search_backlog WHERE id = OLD.id);
    DELETE FROM search_backlog WHERE id = OLD.id;
END;
