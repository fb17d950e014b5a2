-- Full-text search (FTS5, trigram) over cases, petitioners, testimony, opinions and documents.
--
-- search_docs holds one row per searchable record (its text as a headline `head` — case number,
-- original case number, title; a petitioner's name; a document's number — and a `body`, fields
-- joined by U+001F) and the case it belongs to. Triggers on the base tables keep it in step with
-- every insert, update and delete, whoever writes (the store, or sync applying remote rows with
-- plain SQL); triggers on search_docs keep two contentless FTS5 indexes in step with it:
--
--   search_fts    tokenize='trigram': queries whose every term has 3 or more characters;
--   search_short  the text as its bigrams (each character with the next, the last one alone),
--                 tokenize='ascii' (every non-ASCII character is a token character): terms of 1
--                 or 2 characters, which trigram cannot match, as one token (2) or a prefix (1,
--                 itself indexed: prefix='1'). Only rowids and columns are kept (detail=column).
--
-- The filters (kind, case state, org subtree, handling organ, registration year/month/day) are
-- tokens in a third column `tags`, so a filtered search stays an index lookup: each value has a
-- small number in search_keys, written as one trigram (U+F000 and two characters U+E000–U+EFFF,
-- which no typed text contains) in search_fts and as the token `t<n>` in search_short. A change
-- of a case's state, org, organ or date re-tags every record of the case.
--
-- The migration can run again over its own objects (a test rewinding user_version): it then
-- rebuilds the index.
--
-- Full ID and phone numbers are never indexed: petitioners' id_number and phone are not in
-- search_docs (a query that is an ID number is looked up in petitioners_id_number instead).

CREATE TABLE IF NOT EXISTS search_keys (
    n     INTEGER PRIMARY KEY,
    value TEXT NOT NULL UNIQUE        -- 'kind:case', 'status:closed', 'org:<id>', 'd:2025-03-15' …
) STRICT;

CREATE TABLE IF NOT EXISTS search_docs (
    id         INTEGER PRIMARY KEY,   -- the rowid of both FTS tables
    kind       TEXT NOT NULL,         -- case | petitioner | testimony | opinion | document
    ref        TEXT NOT NULL,         -- the record: its id; a petitioner '<case id>#<seq>'
    case_id    TEXT NOT NULL,         -- '' while a record's hearing has not arrived (sync)
    hearing_id TEXT,
    head       TEXT NOT NULL,
    body       TEXT NOT NULL,
    UNIQUE (kind, ref)
) STRICT;
CREATE INDEX IF NOT EXISTS search_docs_case ON search_docs (case_id);
CREATE INDEX IF NOT EXISTS search_docs_hearing ON search_docs (hearing_id) WHERE hearing_id IS NOT NULL;

-- Whether a testimony entry was corrected, for the result (“已更正”) without a scan.
CREATE INDEX IF NOT EXISTS testimony_supersedes ON testimony (supersedes) WHERE supersedes IS NOT NULL;

CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5 (
    head, body, tags,
    content = '', contentless_delete = 1,
    tokenize = 'trigram'
);

CREATE VIRTUAL TABLE IF NOT EXISTS search_short USING fts5 (
    head, body, tags,
    content = '', contentless_delete = 1, detail = 'column', prefix = '1',
    tokenize = "ascii tokenchars '!#$%&()*+,-./:;<=>?@[\]^_`{|}~'"
);

-- Every org with each of its ancestors and itself: an org filter covers its whole subtree with
-- one key. Rebuilt from orgs whenever an org is added, moved or removed (there are few).
CREATE TABLE IF NOT EXISTS search_org_tree (
    org_id   TEXT NOT NULL,
    ancestor TEXT NOT NULL,
    PRIMARY KEY (org_id, ancestor)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS search_org_tree_ancestor ON search_org_tree (ancestor);

-- The filter values of a case's records: its state; `sub:` every org above (and being) its
-- owning org or its handling organ; `organ:` the handling organ; its registration year, month, day.
CREATE VIEW IF NOT EXISTS search_case_keys (case_id, value) AS
    SELECT id, 'status:' || status FROM cases
    UNION ALL SELECT DISTINCT c.id, 'sub:' || t.ancestor FROM cases c
        JOIN search_org_tree t ON t.org_id IN (c.org_id, c.handling_organ_id)
    UNION ALL SELECT id, 'organ:' || handling_organ_id FROM cases
    UNION ALL SELECT id, 'y:' || substr(registered_on, 1, 4) FROM cases
    UNION ALL SELECT id, 'm:' || substr(registered_on, 1, 7) FROM cases
    UNION ALL SELECT id, 'd:' || substr(registered_on, 1, 10) FROM cases;

-- search_docs → the two indexes. The text of search_short: for each character position
-- (json_each over an array of length(text) zeros), the character and the next one.
DROP TRIGGER IF EXISTS search_docs_ai;
CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
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
END;

DROP TRIGGER IF EXISTS search_docs_ad;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    DELETE FROM search_fts WHERE rowid = OLD.id;
    DELETE FROM search_short WHERE rowid = OLD.id;
END;

-- Also used to re-tag: `UPDATE search_docs SET case_id = case_id WHERE case_id = …`.
DROP TRIGGER IF EXISTS search_docs_au;
CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
    DELETE FROM search_fts WHERE rowid = OLD.id;
    DELETE FROM search_short WHERE rowid = OLD.id;
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
END;

-- Cases: number, original case number and title are the headline; the body is the demands, the
-- background and the nine 四明五清 fields, in this order (search.rs names them).
DROP TRIGGER IF EXISTS search_cases_ai;
CREATE TRIGGER search_cases_ai AFTER INSERT ON cases BEGIN
    DELETE FROM search_docs WHERE kind = 'case' AND ref = NEW.id;
    INSERT INTO search_docs (kind, ref, case_id, hearing_id, head, body) VALUES (
        'case', NEW.id, NEW.id, NULL,
        NEW.number || char(31) || NEW.original_case_number || char(31) || NEW.title,
        NEW.demands || char(31) || NEW.background || char(31) || NEW.historical_facts || char(31)
            || NEW.problem_nature || char(31) || NEW.handling_principle || char(31)
            || NEW.petition_demands || char(31) || NEW.responsible_parties || char(31)
            || NEW.social_relations || char(31) || NEW.crux || char(31) || NEW.existing_replies
            || char(31) || NEW.errors_and_flaws
    );
    -- Records that arrived before their case (sync) get its tags now.
    UPDATE search_docs SET case_id = case_id WHERE case_id = NEW.id AND kind <> 'case';
END;

DROP TRIGGER IF EXISTS search_cases_au_text;
CREATE TRIGGER search_cases_au_text AFTER UPDATE OF number, original_case_number, title, demands,
    background, historical_facts, problem_nature, handling_principle, petition_demands,
    responsible_parties, social_relations, crux, existing_replies, errors_and_flaws ON cases
WHEN NEW.number IS NOT OLD.number OR NEW.original_case_number IS NOT OLD.original_case_number
    OR NEW.title IS NOT OLD.title OR NEW.demands IS NOT OLD.demands
    OR NEW.background IS NOT OLD.background OR NEW.historical_facts IS NOT OLD.historical_facts
    OR NEW.problem_nature IS NOT OLD.problem_nature
    OR NEW.handling_principle IS NOT OLD.handling_principle
    OR NEW.petition_demands IS NOT OLD.petition_demands
    OR NEW.responsible_parties IS NOT OLD.responsible_parties
    OR NEW.social_relations IS NOT OLD.social_relations OR NEW.crux IS NOT OLD.crux
    OR NEW.existing_replies IS NOT OLD.existing_replies
    OR NEW.errors_and_flaws IS NOT OLD.errors_and_flaws
BEGIN
    UPDATE search_docs SET
        head = NEW.number || char(31) || NEW.original_case_number || char(31) || NEW.title,
        body = NEW.demands || char(31) || NEW.background || char(31) || NEW.historical_facts
            || char(31) || NEW.problem_nature || char(31) || NEW.handling_principle || char(31)
            || NEW.petition_demands || char(31) || NEW.responsible_parties || char(31)
            || NEW.social_relations || char(31) || NEW.crux || char(31) || NEW.existing_replies
            || char(31) || NEW.errors_and_flaws
    WHERE kind = 'case' AND ref = NEW.id;
END;

DROP TRIGGER IF EXISTS search_cases_au_tags;
CREATE TRIGGER search_cases_au_tags AFTER UPDATE OF status, org_id, handling_organ_id, registered_on
    ON cases
WHEN NEW.status IS NOT OLD.status OR NEW.org_id IS NOT OLD.org_id
    OR NEW.handling_organ_id IS NOT OLD.handling_organ_id
    OR NEW.registered_on IS NOT OLD.registered_on
BEGIN
    UPDATE search_docs SET case_id = case_id WHERE case_id = NEW.id;
END;

DROP TRIGGER IF EXISTS search_cases_ad;
CREATE TRIGGER search_cases_ad AFTER DELETE ON cases BEGIN
    DELETE FROM search_docs WHERE kind = 'case' AND ref = OLD.id;
END;

-- Petitioners: the name is the headline; address and representative the body. Not the ID
-- number, the phone or the credit code.
DROP TRIGGER IF EXISTS search_petitioners_ai;
CREATE TRIGGER search_petitioners_ai AFTER INSERT ON petitioners BEGIN
    DELETE FROM search_docs WHERE kind = 'petitioner' AND ref = NEW.case_id || '#' || NEW.seq;
    INSERT INTO search_docs (kind, ref, case_id, hearing_id, head, body) VALUES (
        'petitioner', NEW.case_id || '#' || NEW.seq, NEW.case_id, NULL,
        NEW.name, NEW.address || char(31) || NEW.representative
    );
END;

DROP TRIGGER IF EXISTS search_petitioners_au;
CREATE TRIGGER search_petitioners_au AFTER UPDATE OF case_id, seq, name, address, representative
    ON petitioners BEGIN
    DELETE FROM search_docs WHERE kind = 'petitioner' AND ref = OLD.case_id || '#' || OLD.seq;
    DELETE FROM search_docs WHERE kind = 'petitioner' AND ref = NEW.case_id || '#' || NEW.seq;
    INSERT INTO search_docs (kind, ref, case_id, hearing_id, head, body) VALUES (
        'petitioner', NEW.case_id || '#' || NEW.seq, NEW.case_id, NULL,
        NEW.name, NEW.address || char(31) || NEW.representative
    );
END;

DROP TRIGGER IF EXISTS search_petitioners_ad;
CREATE TRIGGER search_petitioners_ad AFTER DELETE ON petitioners BEGIN
    DELETE FROM search_docs WHERE kind = 'petitioner' AND ref = OLD.case_id || '#' || OLD.seq;
END;

-- Testimony: every entry, corrected ones too (the old text stays on record, struck through).
DROP TRIGGER IF EXISTS search_testimony_ai;
CREATE TRIGGER search_testimony_ai AFTER INSERT ON testimony BEGIN
    DELETE FROM search_docs WHERE kind = 'testimony' AND ref = NEW.id;
    INSERT INTO search_docs (kind, ref, case_id, hearing_id, head, body) VALUES (
        'testimony', NEW.id,
        coalesce((SELECT case_id FROM hearings WHERE id = NEW.hearing_id), ''),
        NEW.hearing_id, '', NEW.text
    );
END;

DROP TRIGGER IF EXISTS search_testimony_au;
CREATE TRIGGER search_testimony_au AFTER UPDATE OF hearing_id, text ON testimony
WHEN NEW.text IS NOT OLD.text OR NEW.hearing_id IS NOT OLD.hearing_id
BEGIN
    UPDATE search_docs SET
        body = NEW.text, hearing_id = NEW.hearing_id,
        case_id = coalesce((SELECT case_id FROM hearings WHERE id = NEW.hearing_id), '')
    WHERE kind = 'testimony' AND ref = NEW.id;
END;

DROP TRIGGER IF EXISTS search_testimony_ad;
CREATE TRIGGER search_testimony_ad AFTER DELETE ON testimony BEGIN
    DELETE FROM search_docs WHERE kind = 'testimony' AND ref = OLD.id;
END;

-- Opinions (评议意见): facts, law and reasons.
DROP TRIGGER IF EXISTS search_opinions_ai;
CREATE TRIGGER search_opinions_ai AFTER INSERT ON opinions BEGIN
    DELETE FROM search_docs WHERE kind = 'opinion' AND ref = NEW.id;
    INSERT INTO search_docs (kind, ref, case_id, hearing_id, head, body) VALUES (
        'opinion', NEW.id,
        coalesce((SELECT case_id FROM hearings WHERE id = NEW.hearing_id), ''),
        NEW.hearing_id, '', NEW.facts || char(31) || NEW.law || char(31) || NEW.reasons
    );
END;

DROP TRIGGER IF EXISTS search_opinions_au;
CREATE TRIGGER search_opinions_au AFTER UPDATE OF hearing_id, facts, law, reasons ON opinions
WHEN NEW.facts IS NOT OLD.facts OR NEW.law IS NOT OLD.law OR NEW.reasons IS NOT OLD.reasons
    OR NEW.hearing_id IS NOT OLD.hearing_id
BEGIN
    UPDATE search_docs SET
        body = NEW.facts || char(31) || NEW.law || char(31) || NEW.reasons,
        hearing_id = NEW.hearing_id,
        case_id = coalesce((SELECT case_id FROM hearings WHERE id = NEW.hearing_id), '')
    WHERE kind = 'opinion' AND ref = NEW.id;
END;

DROP TRIGGER IF EXISTS search_opinions_ad;
CREATE TRIGGER search_opinions_ad AFTER DELETE ON opinions BEGIN
    DELETE FROM search_docs WHERE kind = 'opinion' AND ref = OLD.id;
END;

-- Documents: the number and the person a per-person document is for; the text.
DROP TRIGGER IF EXISTS search_documents_ai;
CREATE TRIGGER search_documents_ai AFTER INSERT ON documents BEGIN
    DELETE FROM search_docs WHERE kind = 'document' AND ref = NEW.id;
    INSERT INTO search_docs (kind, ref, case_id, hearing_id, head, body) VALUES (
        'document', NEW.id, NEW.case_id, NEW.hearing_id,
        NEW.number || char(31) || NEW.subject_name, NEW.text
    );
END;

DROP TRIGGER IF EXISTS search_documents_au;
CREATE TRIGGER search_documents_au AFTER UPDATE OF case_id, hearing_id, number, subject_name, text
    ON documents
WHEN NEW.text IS NOT OLD.text OR NEW.number IS NOT OLD.number
    OR NEW.subject_name IS NOT OLD.subject_name OR NEW.case_id IS NOT OLD.case_id
    OR NEW.hearing_id IS NOT OLD.hearing_id
BEGIN
    UPDATE search_docs SET
        head = NEW.number || char(31) || NEW.subject_name, body = NEW.text,
        case_id = NEW.case_id, hearing_id = NEW.hearing_id
    WHERE kind = 'document' AND ref = NEW.id;
END;

DROP TRIGGER IF EXISTS search_documents_ad;
CREATE TRIGGER search_documents_ad AFTER DELETE ON documents BEGIN
    DELETE FROM search_docs WHERE kind = 'document' AND ref = OLD.id;
END;

-- A hearing that arrives after its records (sync), or moves to another case.
DROP TRIGGER IF EXISTS search_hearings_ai;
CREATE TRIGGER search_hearings_ai AFTER INSERT ON hearings BEGIN
    UPDATE search_docs SET case_id = NEW.case_id
    WHERE hearing_id = NEW.id AND kind IN ('testimony', 'opinion') AND case_id IS NOT NEW.case_id;
END;

DROP TRIGGER IF EXISTS search_hearings_au;
CREATE TRIGGER search_hearings_au AFTER UPDATE OF case_id ON hearings
WHEN NEW.case_id IS NOT OLD.case_id
BEGIN
    UPDATE search_docs SET case_id = NEW.case_id
    WHERE hearing_id = NEW.id AND kind IN ('testimony', 'opinion');
END;

-- Orgs: the tree of ancestors, rebuilt on every change of the org tree; the records of cases under
-- an org that moved are re-tagged.
DROP TRIGGER IF EXISTS search_orgs_ai;
CREATE TRIGGER search_orgs_ai AFTER INSERT ON orgs BEGIN
    DELETE FROM search_org_tree;
    INSERT INTO search_org_tree (org_id, ancestor)
    SELECT org_id, ancestor FROM (
        WITH RECURSIVE up (org_id, ancestor) AS (
            SELECT id, id FROM orgs
            UNION SELECT up.org_id, o.parent_id FROM up JOIN orgs o ON o.id = up.ancestor
            WHERE o.parent_id IS NOT NULL
        ) SELECT org_id, ancestor FROM up
    );
    UPDATE search_docs SET case_id = case_id WHERE case_id IN (
        SELECT id FROM cases
        WHERE org_id IN (SELECT org_id FROM search_org_tree WHERE ancestor = NEW.id)
           OR handling_organ_id IN (SELECT org_id FROM search_org_tree WHERE ancestor = NEW.id));
END;

DROP TRIGGER IF EXISTS search_orgs_au;
CREATE TRIGGER search_orgs_au AFTER UPDATE OF id, parent_id ON orgs
WHEN NEW.parent_id IS NOT OLD.parent_id OR NEW.id IS NOT OLD.id
BEGIN
    DELETE FROM search_org_tree;
    INSERT INTO search_org_tree (org_id, ancestor)
    SELECT org_id, ancestor FROM (
        WITH RECURSIVE up (org_id, ancestor) AS (
            SELECT id, id FROM orgs
            UNION SELECT up.org_id, o.parent_id FROM up JOIN orgs o ON o.id = up.ancestor
            WHERE o.parent_id IS NOT NULL
        ) SELECT org_id, ancestor FROM up
    );
    UPDATE search_docs SET case_id = case_id WHERE case_id IN (
        SELECT id FROM cases
        WHERE org_id IN (SELECT org_id FROM search_org_tree WHERE ancestor = NEW.id)
           OR handling_organ_id IN (SELECT org_id FROM search_org_tree WHERE ancestor = NEW.id));
END;

DROP TRIGGER IF EXISTS search_orgs_ad;
CREATE TRIGGER search_orgs_ad AFTER DELETE ON orgs BEGIN
    DELETE FROM search_org_tree WHERE org_id = OLD.id OR ancestor = OLD.id;
END;

-- Backfill: the org tree, then every record already here (run again, the migration rebuilds the
-- index).
DELETE FROM search_org_tree;
INSERT INTO search_org_tree (org_id, ancestor)
SELECT org_id, ancestor FROM (
    WITH RECURSIVE up (org_id, ancestor) AS (
        SELECT id, id FROM orgs
        UNION SELECT up.org_id, o.parent_id FROM up JOIN orgs o ON o.id = up.ancestor
        WHERE o.parent_id IS NOT NULL
    ) SELECT org_id, ancestor FROM up
);
DELETE FROM search_docs;
INSERT INTO search_docs (kind, ref, case_id, hearing_id, head, body)
SELECT 'case', id, id, NULL,
    number || char(31) || original_case_number || char(31) || title,
    demands || char(31) || background || char(31) || historical_facts || char(31)
        || problem_nature || char(31) || handling_principle || char(31) || petition_demands
        || char(31) || responsible_parties || char(31) || social_relations || char(31) || crux
        || char(31) || existing_replies || char(31) || errors_and_flaws
FROM cases ORDER BY registered_on, number;

INSERT INTO search_docs (kind, ref, case_id, hearing_id, head, body)
SELECT 'petitioner', case_id || '#' || seq, case_id, NULL, name,
    address || char(31) || representative
FROM petitioners ORDER BY case_id, seq;

INSERT INTO search_docs (kind, ref, case_id, hearing_id, head, body)
SELECT 'testimony', t.id, coalesce(h.case_id, ''), t.hearing_id, '', t.text
FROM testimony t LEFT JOIN hearings h ON h.id = t.hearing_id ORDER BY t.created_at, t.seq;

INSERT INTO search_docs (kind, ref, case_id, hearing_id, head, body)
SELECT 'opinion', o.id, coalesce(h.case_id, ''), o.hearing_id, '',
    o.facts || char(31) || o.law || char(31) || o.reasons
FROM opinions o LEFT JOIN hearings h ON h.id = o.hearing_id ORDER BY o.created_at;

INSERT INTO search_docs (kind, ref, case_id, hearing_id, head, body)
SELECT 'document', id, case_id, hearing_id, number || char(31) || subject_name, text
FROM documents ORDER BY created_at;
