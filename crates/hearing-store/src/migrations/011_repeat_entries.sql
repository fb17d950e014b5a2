-- Statistics and warnings without reading every petitioner (stats.rs, warnings.rs).
--
-- Repeat petitioners are people on two or more cases: the same ID number, or the same name and
-- (non-empty) address. Finding them read all petitioners twice (140k rows at 100k cases,
-- ~110 ms per statistics or warnings call). `repeat_entries` holds the petitioners of the
-- identities found on more than one case, in identity order, kept by the triggers below as
-- petitioners are written (by the forms and by sync alike): each write refreshes the identities
-- it touches — their entries are removed, and put back from `petitioners` if the identity still
-- spans two cases. Readers still keep only groups spanning two cases.
--   kind 'i': a = ID number, b = '';  kind 'n': a = name, b = address.
CREATE TABLE IF NOT EXISTS repeat_entries (
    kind    TEXT NOT NULL,
    a       TEXT NOT NULL,
    b       TEXT NOT NULL,
    case_id TEXT NOT NULL,
    name    TEXT NOT NULL,
    PRIMARY KEY (kind, a, b, case_id, name)
) WITHOUT ROWID;

DELETE FROM repeat_entries;
INSERT OR IGNORE INTO repeat_entries (kind, a, b, case_id, name)
    SELECT 'i', p.id_number, '', p.case_id, p.name FROM petitioners p
    WHERE p.id_number IN (SELECT id_number FROM petitioners WHERE id_number > ''
                          GROUP BY id_number HAVING count(DISTINCT case_id) > 1);
INSERT OR IGNORE INTO repeat_entries (kind, a, b, case_id, name)
    SELECT 'n', p.name, p.address, p.case_id, p.name FROM petitioners p
    JOIN (SELECT name, address FROM petitioners WHERE address > ''
          GROUP BY name, address HAVING count(DISTINCT case_id) > 1) g
      ON g.name = p.name AND g.address = p.address;

DROP TRIGGER IF EXISTS petitioners_repeat_insert;
CREATE TRIGGER petitioners_repeat_insert AFTER INSERT ON petitioners BEGIN
    DELETE FROM repeat_entries WHERE kind = 'i' AND a = NEW.id_number AND b = '';
    INSERT OR IGNORE INTO repeat_entries (kind, a, b, case_id, name)
        SELECT 'i', p.id_number, '', p.case_id, p.name FROM petitioners p
        WHERE p.id_number = NEW.id_number AND NEW.id_number > ''
          AND (SELECT count(DISTINCT case_id) FROM petitioners WHERE id_number = NEW.id_number) > 1;
    DELETE FROM repeat_entries WHERE kind = 'n' AND a = NEW.name AND b = NEW.address;
    INSERT OR IGNORE INTO repeat_entries (kind, a, b, case_id, name)
        SELECT 'n', p.name, p.address, p.case_id, p.name FROM petitioners p
        WHERE p.name = NEW.name AND p.address = NEW.address AND NEW.address > ''
          AND (SELECT count(DISTINCT case_id) FROM petitioners
               WHERE name = NEW.name AND address = NEW.address) > 1;
END;

DROP TRIGGER IF EXISTS petitioners_repeat_delete;
CREATE TRIGGER petitioners_repeat_delete AFTER DELETE ON petitioners BEGIN
    DELETE FROM repeat_entries WHERE kind = 'i' AND a = OLD.id_number AND b = '';
    INSERT OR IGNORE INTO repeat_entries (kind, a, b, case_id, name)
        SELECT 'i', p.id_number, '', p.case_id, p.name FROM petitioners p
        WHERE p.id_number = OLD.id_number AND OLD.id_number > ''
          AND (SELECT count(DISTINCT case_id) FROM petitioners WHERE id_number = OLD.id_number) > 1;
    DELETE FROM repeat_entries WHERE kind = 'n' AND a = OLD.name AND b = OLD.address;
    INSERT OR IGNORE INTO repeat_entries (kind, a, b, case_id, name)
        SELECT 'n', p.name, p.address, p.case_id, p.name FROM petitioners p
        WHERE p.name = OLD.name AND p.address = OLD.address AND OLD.address > ''
          AND (SELECT count(DISTINCT case_id) FROM petitioners
               WHERE name = OLD.name AND address = OLD.address) > 1;
END;

DROP TRIGGER IF EXISTS petitioners_repeat_update;
CREATE TRIGGER petitioners_repeat_update AFTER UPDATE OF case_id, name, id_number, address
ON petitioners BEGIN
    DELETE FROM repeat_entries WHERE kind = 'i' AND a = OLD.id_number AND b = '';
    INSERT OR IGNORE INTO repeat_entries (kind, a, b, case_id, name)
        SELECT 'i', p.id_number, '', p.case_id, p.name FROM petitioners p
        WHERE p.id_number = OLD.id_number AND OLD.id_number > ''
          AND (SELECT count(DISTINCT case_id) FROM petitioners WHERE id_number = OLD.id_number) > 1;
    DELETE FROM repeat_entries WHERE kind = 'n' AND a = OLD.name AND b = OLD.address;
    INSERT OR IGNORE INTO repeat_entries (kind, a, b, case_id, name)
        SELECT 'n', p.name, p.address, p.case_id, p.name FROM petitioners p
        WHERE p.name = OLD.name AND p.address = OLD.address AND OLD.address > ''
          AND (SELECT count(DISTINCT case_id) FROM petitioners
               WHERE name = OLD.name AND address = OLD.address) > 1;
    DELETE FROM repeat_entries WHERE kind = 'i' AND a = NEW.id_number AND b = '';
    INSERT OR IGNORE INTO repeat_entries (kind, a, b, case_id, name)
        SELECT 'i', p.id_number, '', p.case_id, p.name FROM petitioners p
        WHERE p.id_number = NEW.id_number AND NEW.id_number > ''
          AND (SELECT count(DISTINCT case_id) FROM petitioners WHERE id_number = NEW.id_number) > 1;
    DELETE FROM repeat_entries WHERE kind = 'n' AND a = NEW.name AND b = NEW.address;
    INSERT OR IGNORE INTO repeat_entries (kind, a, b, case_id, name)
        SELECT 'n', p.name, p.address, p.case_id, p.name FROM petitioners p
        WHERE p.name = NEW.name AND p.address = NEW.address AND NEW.address > ''
          AND (SELECT count(DISTINCT case_id) FROM petitioners
               WHERE name = NEW.name AND address = NEW.address) > 1;
END;

-- Lawfully closed cases by closure date with their registration date (time to closure), read
-- without the wider cases_stats when no org filter applies.
CREATE INDEX IF NOT EXISTS cases_closure_days ON cases (status, closed_on, registered_on);

-- The early warnings name each case (id, number, title): read from indexes, not from the cases'
-- rows (at 100k cases the rows fill 50k pages; 27k warnings read them one by one).
-- By id: the cases of repeat groups, and of slips, hearings and 领导包案 warned about.
CREATE INDEX IF NOT EXISTS cases_ref ON cases (id, number, title, status);
-- By state and registration date (handling limits); also the register's pages by state
-- (cases::list), for which it replaces cases_status_registered.
CREATE INDEX IF NOT EXISTS cases_status_ref ON cases (status, registered_on, number, id, title);
DROP INDEX IF EXISTS cases_status_registered;
-- Closed cases by their closure date (the follow-up warnings read the last year's).
CREATE INDEX IF NOT EXISTS cases_closure_date
    ON cases (status, coalesce(closed_on, served_on, filed_on), id);
-- A case's follow-ups by date, with their kind (the last one's is named).
CREATE INDEX IF NOT EXISTS followups_case_kind ON followups (case_id, on_date, kind);
DROP INDEX IF EXISTS followups_case;
