-- The bigram index's text (search_short: each character with the next, the last one alone,
-- separated by spaces) is made by the store's SQL function hd_bigrams, in one pass over the
-- text. Built in SQL (`substr(text, k, 2)` for every position k) it cost time quadratic in the
-- text's length: about a fifth of indexing a first pull's records. The function is registered
-- on every connection the store opens (search::register_functions); the trigger is otherwise
-- the one of 013.

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
        hd_bigrams(NEW.head),
        hd_bigrams(NEW.body),
        (SELECT coalesce(group_concat('t' || k.n, ' '), '')
         FROM search_keys k WHERE k.value IN (
             SELECT 'kind:' || NEW.kind UNION ALL SELECT value FROM search_case_keys WHERE case_id = NEW.case_id))
    );
    DELETE FROM search_backlog WHERE id = NEW.id;
END;
