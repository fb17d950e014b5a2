-- The statistics over every hearing (全部, no period) without reading every opinion and panelist
-- (stats.rs): at 100k cases, 161k opinions grouped per hearing (~80 ms) and 200k panelists
-- (~75 ms) per call. Two running tallies, kept by triggers as opinions and participants are
-- written (by the forms and by sync alike; a hearing's deletion cascades to its participants,
-- whose delete trigger runs as well):
--   hearing_votes: per hearing, its opinions and how many say 同意 / 不同意;
--   panel_people:  per panelist (a pool person by id, or someone outside the pool by name), the
--                  invitations as 听证员 and how many were attended.
-- A row is removed when nothing is left to count. Readers with a period or a case filter still
-- read the opinions and participants themselves.
CREATE TABLE IF NOT EXISTS hearing_votes (
    hearing_id TEXT PRIMARY KEY,
    agree      INTEGER NOT NULL,
    disagree   INTEGER NOT NULL,
    opinions   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

DELETE FROM hearing_votes;
INSERT INTO hearing_votes (hearing_id, agree, disagree, opinions)
    SELECT hearing_id, sum(vote = 'agree'), sum(vote = 'disagree'), count(*)
    FROM opinions GROUP BY hearing_id;

DROP TRIGGER IF EXISTS opinions_votes_insert;
CREATE TRIGGER opinions_votes_insert AFTER INSERT ON opinions BEGIN
    INSERT INTO hearing_votes (hearing_id, agree, disagree, opinions)
        VALUES (NEW.hearing_id, NEW.vote = 'agree', NEW.vote = 'disagree', 1)
        ON CONFLICT (hearing_id) DO UPDATE SET agree = agree + excluded.agree,
            disagree = disagree + excluded.disagree, opinions = opinions + 1;
END;

DROP TRIGGER IF EXISTS opinions_votes_delete;
CREATE TRIGGER opinions_votes_delete AFTER DELETE ON opinions BEGIN
    UPDATE hearing_votes SET agree = agree - (OLD.vote = 'agree'),
        disagree = disagree - (OLD.vote = 'disagree'), opinions = opinions - 1
        WHERE hearing_id = OLD.hearing_id;
    DELETE FROM hearing_votes WHERE hearing_id = OLD.hearing_id AND opinions <= 0;
END;

DROP TRIGGER IF EXISTS opinions_votes_update;
CREATE TRIGGER opinions_votes_update AFTER UPDATE OF hearing_id, vote ON opinions BEGIN
    UPDATE hearing_votes SET agree = agree - (OLD.vote = 'agree'),
        disagree = disagree - (OLD.vote = 'disagree'), opinions = opinions - 1
        WHERE hearing_id = OLD.hearing_id;
    DELETE FROM hearing_votes WHERE hearing_id = OLD.hearing_id AND opinions <= 0;
    INSERT INTO hearing_votes (hearing_id, agree, disagree, opinions)
        VALUES (NEW.hearing_id, NEW.vote = 'agree', NEW.vote = 'disagree', 1)
        ON CONFLICT (hearing_id) DO UPDATE SET agree = agree + excluded.agree,
            disagree = disagree + excluded.disagree, opinions = opinions + 1;
END;

-- The organ's decisions on the hearings held, and the hearings in other states with their ids
-- (to leave their tallies out), from one covering index.
CREATE INDEX IF NOT EXISTS hearings_decision ON hearings (status, organ_decision, id);

-- The statistics over every case count by category from this index (by organ and org from
-- theirs), row by row in SQLite instead of reading every case.
CREATE INDEX IF NOT EXISTS cases_category ON cases (category);

-- person_id '' and the name: someone outside the person pool; else the pool person and name ''.
CREATE TABLE IF NOT EXISTS panel_people (
    person_id TEXT NOT NULL,
    name      TEXT NOT NULL,
    invited   INTEGER NOT NULL,
    attended  INTEGER NOT NULL,
    PRIMARY KEY (person_id, name)
) STRICT, WITHOUT ROWID;

DELETE FROM panel_people;
INSERT INTO panel_people (person_id, name, invited, attended)
    SELECT coalesce(person_id, ''), CASE WHEN person_id IS NULL THEN name ELSE '' END,
           count(*), sum(invitation = 'attended')
    FROM participants WHERE role = 'panelist' GROUP BY 1, 2;

DROP TRIGGER IF EXISTS participants_panel_insert;
CREATE TRIGGER participants_panel_insert AFTER INSERT ON participants
WHEN NEW.role = 'panelist' BEGIN
    INSERT INTO panel_people (person_id, name, invited, attended)
        VALUES (coalesce(NEW.person_id, ''),
                CASE WHEN NEW.person_id IS NULL THEN NEW.name ELSE '' END,
                1, NEW.invitation = 'attended')
        ON CONFLICT (person_id, name) DO UPDATE SET invited = invited + 1,
            attended = attended + excluded.attended;
END;

DROP TRIGGER IF EXISTS participants_panel_delete;
CREATE TRIGGER participants_panel_delete AFTER DELETE ON participants
WHEN OLD.role = 'panelist' BEGIN
    UPDATE panel_people SET invited = invited - 1,
        attended = attended - (OLD.invitation = 'attended')
        WHERE person_id = coalesce(OLD.person_id, '')
          AND name = CASE WHEN OLD.person_id IS NULL THEN OLD.name ELSE '' END;
    DELETE FROM panel_people WHERE invited <= 0 AND person_id = coalesce(OLD.person_id, '')
        AND name = CASE WHEN OLD.person_id IS NULL THEN OLD.name ELSE '' END;
END;

DROP TRIGGER IF EXISTS participants_panel_update;
CREATE TRIGGER participants_panel_update AFTER UPDATE OF role, invitation, person_id, name
ON participants WHEN OLD.role = 'panelist' OR NEW.role = 'panelist' BEGIN
    UPDATE panel_people SET invited = invited - 1,
        attended = attended - (OLD.invitation = 'attended')
        WHERE OLD.role = 'panelist' AND person_id = coalesce(OLD.person_id, '')
          AND name = CASE WHEN OLD.person_id IS NULL THEN OLD.name ELSE '' END;
    DELETE FROM panel_people WHERE invited <= 0 AND person_id = coalesce(OLD.person_id, '')
        AND name = CASE WHEN OLD.person_id IS NULL THEN OLD.name ELSE '' END;
    INSERT INTO panel_people (person_id, name, invited, attended)
        SELECT coalesce(NEW.person_id, ''),
               CASE WHEN NEW.person_id IS NULL THEN NEW.name ELSE '' END,
               1, NEW.invitation = 'attended'
        WHERE NEW.role = 'panelist'
        ON CONFLICT (person_id, name) DO UPDATE SET invited = invited + 1,
            attended = attended + excluded.attended;
END;
