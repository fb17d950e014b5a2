-- 待审批 at scale: which org each request in 终结审批 waits for, kept on the desk.
--
-- `approval_waits` holds, per case in 终结审批, each level of its chain that an org of the tree
-- decides, undecided in the current request, every required level before it approved: the org
-- it waits for, the level and its place in the chain, and since when (the last decision before
-- it) — one row per case and org, at the org's first such level. The 工作台's 待审批
-- reads it by org (`approval_waits_org`) instead of working out every case's chain. Which org
-- decides depends on the configuration and the org tree, so the rows are worked out in Rust
-- (`inbox::refresh_waits`); the triggers below only note the cases to work out again
-- (`approval_dirty`) whenever a case, a decision or the org tree changes — by this desk or by
-- sync — and the inbox does it before it reads. Local to the desk: not synced, not logged.
-- (`ON CONFLICT DO NOTHING`, not `OR IGNORE`: a trigger's OR clause gives way to the writing
-- statement's own.)
CREATE TABLE approval_waits (
    case_id     TEXT NOT NULL,
    position    INTEGER NOT NULL,
    org_id      TEXT NOT NULL,
    level_key   TEXT NOT NULL,
    level_title TEXT NOT NULL,
    ready_since TEXT,
    PRIMARY KEY (case_id, position)
) STRICT;
CREATE INDEX approval_waits_org ON approval_waits (org_id, ready_since, case_id, position);
CREATE TABLE approval_dirty (case_id TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
INSERT INTO approval_dirty (case_id) SELECT id FROM cases WHERE status = 'closureApproval';

CREATE TRIGGER waits_approval_ins AFTER INSERT ON approvals BEGIN
    INSERT INTO approval_dirty (case_id) VALUES (NEW.case_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER waits_approval_upd AFTER UPDATE ON approvals BEGIN
    INSERT INTO approval_dirty (case_id) VALUES (NEW.case_id), (OLD.case_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER waits_approval_del AFTER DELETE ON approvals BEGIN
    INSERT INTO approval_dirty (case_id) VALUES (OLD.case_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER waits_case_ins AFTER INSERT ON cases BEGIN
    INSERT INTO approval_dirty (case_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER waits_case_upd AFTER UPDATE OF status, approval_round, handling_organ_id, org_id
    ON cases BEGIN
    INSERT INTO approval_dirty (case_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER waits_case_del AFTER DELETE ON cases BEGIN
    INSERT INTO approval_dirty (case_id) VALUES (OLD.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER waits_org_ins AFTER INSERT ON orgs BEGIN
    INSERT INTO approval_dirty (case_id)
        SELECT id FROM cases WHERE status = 'closureApproval'
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER waits_org_upd AFTER UPDATE OF parent_id, kind ON orgs BEGIN
    INSERT INTO approval_dirty (case_id)
        SELECT id FROM cases WHERE status = 'closureApproval'
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER waits_org_del AFTER DELETE ON orgs BEGIN
    INSERT INTO approval_dirty (case_id)
        SELECT id FROM cases WHERE status = 'closureApproval'
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER waits_config_ins AFTER INSERT ON config_versions BEGIN
    INSERT INTO approval_dirty (case_id)
        SELECT id FROM cases WHERE status = 'closureApproval'
        ON CONFLICT DO NOTHING;
END;
