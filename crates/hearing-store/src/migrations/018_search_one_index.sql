-- One search index instead of two, and the filters' tokens kept per case.
--
-- Until now every record was written into two FTS5 indexes: search_fts (trigram, for terms of
-- three or more characters) and search_short (bigrams, detail=column, with a prefix index, for
-- terms of one or two). Indexing a first pull's million records cost about 75 s, and each record
-- looked its case's filter values up three times. Now there is one index, search_bigrams: the
-- text as its bigrams (each character with the next, the last one of a field alone; made by the
-- store's function hd_bigrams, which also turns the characters the tokenizer would drop — white
-- space, control characters, quotes — into characters of their own), with positions
-- (detail=full). A term of two characters is one token; a longer term is the phrase of its
-- bigrams, which matches exactly where the term occurs; a term of one character is a prefix
-- (`"王" *`). Indexing the same million records takes about a fifth of the time.
--
-- The filters (kind, case state, org subtree, handling organ, registration year/month/day) stay
-- tokens `t<n>` of a third column `tags`, n a number of search_keys. A case's tokens are kept in
-- search_case_tags, refreshed when the case or the org tree changes (inserting the case's id
-- into the view search_case_retag refreshes them and re-tags the case's records), so indexing a
-- record reads them with one lookup.
--
-- The rule of 013 holds: a search_docs record is in the index exactly when its id is not in
-- search_backlog, and indexing is written once, as the INSTEAD OF trigger of search_index_queue.
--
-- Like 008 the migration can run again over its own objects (a test rewinding user_version).

DROP TRIGGER IF EXISTS search_docs_ai;
DROP TRIGGER IF EXISTS search_docs_au;
DROP TRIGGER IF EXISTS search_docs_ad;
DROP TRIGGER IF EXISTS search_index_queue_ii;
DROP TABLE IF EXISTS search_fts;
DROP TABLE IF EXISTS search_short;
DROP TABLE IF EXISTS search_bigrams;

CREATE VIRTUAL TABLE search_bigrams USING fts5 (
    head, body, tags,
    content = '', contentless_delete = 1,
    tokenize = "ascii tokenchars '!#$%&()*+,-./:;<=>?@[\]^_`{|}~'"
);
-- A batch of the catch-up (20,000 records) is tokenized in memory and written as one segment,
-- and segments are merged eight at a time: the bulk indexing's cost halves (BENCHMARKS.md).
INSERT INTO search_bigrams (search_bigrams, rank) VALUES ('hashsize', 16777216);
INSERT INTO search_bigrams (search_bigrams, rank) VALUES ('automerge', 8);

-- A row here: the catch-up wrote the index in large batches, and its segments are to be merged
-- into one, a step at a time in the background (Store::search_merge_step). Left unmerged, FTS5
-- merges them piecemeal during later writes: a testimony save would then now and then take
-- tens of milliseconds. `started`: the first step (which puts every segment on one level) ran.
CREATE TABLE IF NOT EXISTS search_merge (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    started INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO search_keys (value)
SELECT v FROM (SELECT 'kind:case' AS v UNION ALL SELECT 'kind:petitioner'
    UNION ALL SELECT 'kind:testimony' UNION ALL SELECT 'kind:opinion' UNION ALL SELECT 'kind:document')
WHERE v NOT IN (SELECT value FROM search_keys);

CREATE TABLE IF NOT EXISTS search_case_tags (
    case_id TEXT PRIMARY KEY,
    tags    TEXT NOT NULL                  -- 't12 t40 t41 …': the case's filter values
) STRICT, WITHOUT ROWID;

DROP VIEW IF EXISTS search_case_retag;
CREATE VIEW search_case_retag (case_id) AS SELECT id FROM cases WHERE 0;

DROP TRIGGER IF EXISTS search_case_retag_ii;
CREATE TRIGGER search_case_retag_ii INSTEAD OF INSERT ON search_case_retag BEGIN
    INSERT INTO search_keys (value)
    SELECT DISTINCT value FROM search_case_keys
    WHERE case_id = NEW.case_id AND value NOT IN (SELECT value FROM search_keys);
    DELETE FROM search_case_tags WHERE case_id = NEW.case_id;
    INSERT INTO search_case_tags (case_id, tags)
    SELECT NEW.case_id, group_concat('t' || k.n, ' ') FROM search_keys k
    WHERE k.value IN (SELECT value FROM search_case_keys WHERE case_id = NEW.case_id)
    HAVING count(*) > 0;
    UPDATE search_docs SET case_id = case_id WHERE case_id = NEW.case_id;
END;

CREATE TRIGGER search_index_queue_ii INSTEAD OF INSERT ON search_index_queue BEGIN
    INSERT INTO search_bigrams (rowid, head, body, tags) VALUES (
        NEW.id, hd_bigrams(NEW.head), hd_bigrams(NEW.body),
        coalesce((SELECT 't' || n FROM search_keys WHERE value = 'kind:' || NEW.kind), '')
            || coalesce((SELECT ' ' || tags FROM search_case_tags WHERE case_id = NEW.case_id), '')
    );
    DELETE FROM search_backlog WHERE id = NEW.id;
END;

-- A new record joins the backlog, and unless indexing is deferred is indexed at once.
CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT OR IGNORE INTO search_backlog (id) VALUES (NEW.id);
    INSERT INTO search_index_queue (id, kind, case_id, head, body)
    SELECT NEW.id, NEW.kind, NEW.case_id, NEW.head, NEW.body FROM search_state WHERE defer = 0;
END;

-- A changed record leaves the index (if it was in it) and is indexed again, now or later.
-- Also used to re-tag: `UPDATE search_docs SET case_id = case_id WHERE case_id = …`.
CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
    DELETE FROM search_bigrams WHERE rowid = OLD.id
        AND NOT EXISTS (SELECT 1 FROM search_backlog WHERE id = OLD.id);
    INSERT OR IGNORE INTO search_backlog (id) VALUES (NEW.id);
    INSERT INTO search_index_queue (id, kind, case_id, head, body)
    SELECT NEW.id, NEW.kind, NEW.case_id, NEW.head, NEW.body FROM search_state WHERE defer = 0;
END;

CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    DELETE FROM search_bigrams WHERE rowid = OLD.id
        AND NOT EXISTS (SELECT 1 FROM search_backlog WHERE id = OLD.id);
    DELETE FROM search_backlog WHERE id = OLD.id;
END;

-- Cases: their tags first (records that arrived before their case, by sync, are re-tagged), then
-- their own record (search.rs names its fields).
DROP TRIGGER IF EXISTS search_cases_ai;
CREATE TRIGGER search_cases_ai AFTER INSERT ON cases BEGIN
    DELETE FROM search_docs WHERE kind = 'case' AND ref = NEW.id;
    INSERT INTO search_case_retag (case_id) VALUES (NEW.id);
    INSERT INTO search_docs (kind, ref, case_id, hearing_id, head, body) VALUES (
        'case', NEW.id, NEW.id, NULL,
        NEW.number || char(31) || NEW.original_case_number || char(31) || NEW.title,
        NEW.demands || char(31) || NEW.background || char(31) || NEW.historical_facts || char(31)
            || NEW.problem_nature || char(31) || NEW.handling_principle || char(31)
            || NEW.petition_demands || char(31) || NEW.responsible_parties || char(31)
            || NEW.social_relations || char(31) || NEW.crux || char(31) || NEW.existing_replies
            || char(31) || NEW.errors_and_flaws
    );
END;

DROP TRIGGER IF EXISTS search_cases_au_tags;
CREATE TRIGGER search_cases_au_tags AFTER UPDATE OF status, org_id, handling_organ_id, registered_on
    ON cases
WHEN NEW.status IS NOT OLD.status OR NEW.org_id IS NOT OLD.org_id
    OR NEW.handling_organ_id IS NOT OLD.handling_organ_id
    OR NEW.registered_on IS NOT OLD.registered_on
BEGIN
    INSERT INTO search_case_retag (case_id) VALUES (NEW.id);
END;

DROP TRIGGER IF EXISTS search_cases_ad;
CREATE TRIGGER search_cases_ad AFTER DELETE ON cases BEGIN
    DELETE FROM search_case_tags WHERE case_id = OLD.id;
    DELETE FROM search_docs WHERE kind = 'case' AND ref = OLD.id;
END;

-- Orgs: the tree of ancestors, rebuilt on every change of the org tree (inserting the org's id
-- into the view search_org_moved); the cases under an org that moved get their tags again.
DROP VIEW IF EXISTS search_org_moved;
CREATE VIEW search_org_moved (org_id) AS SELECT id FROM orgs WHERE 0;

DROP TRIGGER IF EXISTS search_org_moved_ii;
CREATE TRIGGER search_org_moved_ii INSTEAD OF INSERT ON search_org_moved BEGIN
    DELETE FROM search_org_tree;
    INSERT INTO search_org_tree (org_id, ancestor)
    SELECT org_id, ancestor FROM (
        WITH RECURSIVE up (org_id, ancestor) AS (
            SELECT id, id FROM orgs
            UNION SELECT up.org_id, o.parent_id FROM up JOIN orgs o ON o.id = up.ancestor
            WHERE o.parent_id IS NOT NULL
        ) SELECT org_id, ancestor FROM up
    );
    INSERT INTO search_case_retag (case_id)
    SELECT id FROM cases
    WHERE org_id IN (SELECT org_id FROM search_org_tree WHERE ancestor = NEW.org_id)
       OR handling_organ_id IN (SELECT org_id FROM search_org_tree WHERE ancestor = NEW.org_id);
END;

DROP TRIGGER IF EXISTS search_orgs_ai;
CREATE TRIGGER search_orgs_ai AFTER INSERT ON orgs BEGIN
    INSERT INTO search_org_moved (org_id) VALUES (NEW.id);
END;

DROP TRIGGER IF EXISTS search_orgs_au;
CREATE TRIGGER search_orgs_au AFTER UPDATE OF id, parent_id ON orgs
WHEN NEW.parent_id IS NOT OLD.parent_id OR NEW.id IS NOT OLD.id
BEGIN
    INSERT INTO search_org_moved (org_id) VALUES (NEW.id);
END;

-- Backfill: every case's tags in one pass, then every record into the backlog. A desk of up to
-- 20,000 records is indexed here; a larger one by the background catch-up, which the search view
-- reports as it goes.
INSERT INTO search_keys (value)
SELECT DISTINCT value FROM search_case_keys WHERE value NOT IN (SELECT value FROM search_keys);
DELETE FROM search_case_tags;
INSERT INTO search_case_tags (case_id, tags)
SELECT v.case_id, group_concat('t' || k.n, ' ')
FROM search_case_keys v JOIN search_keys k ON k.value = v.value
GROUP BY v.case_id;

DELETE FROM search_backlog;
INSERT INTO search_backlog (id) SELECT id FROM search_docs;
INSERT INTO search_index_queue (id, kind, case_id, head, body)
SELECT id, kind, case_id, head, body FROM search_index_queue
WHERE (SELECT count(*) FROM search_backlog) <= 20000
ORDER BY id;
