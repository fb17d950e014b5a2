-- Who decided each approval, and whether it was entered on the deciding org's behalf.
--
-- The approval chain now says per level who decides (config: the handling organ, the 政法委 it
-- belongs to, the 上级政法委, or a named org). A decision records the org that decides at its
-- level (`org_id`, NULL where the handling organ decides), and `proxy` = 1 when it was typed on a
-- desk of another org — 代录: entered from the deciding org's paper decision, shown as such
-- wherever the decision shows. Decisions made before this migration are left as they were:
-- their deciding org is not known.
ALTER TABLE approvals ADD COLUMN org_id TEXT;
ALTER TABLE approvals ADD COLUMN proxy INTEGER NOT NULL DEFAULT 0;
