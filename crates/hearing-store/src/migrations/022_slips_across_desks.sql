-- 三单 across desks: a 交办单 or 督办单 is the issuing org's record, its 反馈 the receiving org's.
--
-- A slip names the org that issued it (`issuer_org_id`) and the org that answers it
-- (`to_org_id`); `from_unit`/`to_unit` keep their names as printed. It is numbered per issuing
-- org and year from the desk's prefix for its kind (青政法督〔2026〕12号: `number`, `num_prefix`,
-- `num_year`, `num_seq`), dated (`issued_on`) and signed (`issued_by`). `proxy` = 1: entered on a
-- desk of another org working alone (代录), from the issuer's paper slip. The issuer accepts an
-- answer (status 'done', `done_on`, `reviewed_by`) or sends it back (`round` + 1, `return_reason`).
-- Slips from before this migration name no orgs: they stay the case org's records, as they were.
ALTER TABLE supervision_slips ADD COLUMN issuer_org_id TEXT;
ALTER TABLE supervision_slips ADD COLUMN to_org_id TEXT;
ALTER TABLE supervision_slips ADD COLUMN number TEXT NOT NULL DEFAULT '';
ALTER TABLE supervision_slips ADD COLUMN num_prefix TEXT NOT NULL DEFAULT '';
ALTER TABLE supervision_slips ADD COLUMN num_year INTEGER NOT NULL DEFAULT 0;
ALTER TABLE supervision_slips ADD COLUMN num_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE supervision_slips ADD COLUMN issued_on TEXT NOT NULL DEFAULT '';
ALTER TABLE supervision_slips ADD COLUMN issued_by TEXT NOT NULL DEFAULT '';
ALTER TABLE supervision_slips ADD COLUMN proxy INTEGER NOT NULL DEFAULT 0;
ALTER TABLE supervision_slips ADD COLUMN round INTEGER NOT NULL DEFAULT 0;
ALTER TABLE supervision_slips ADD COLUMN return_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE supervision_slips ADD COLUMN reviewed_by TEXT NOT NULL DEFAULT '';
CREATE INDEX slips_number ON supervision_slips (issuer_org_id, num_prefix, num_year, num_seq);
CREATE INDEX slips_to_org ON supervision_slips (to_org_id, status);

-- 反馈单: the receiving org's answer to a slip in one round (办理情况, 化解/终结结果, 承办人,
-- 负责人) (a returned slip is answered again in
-- a new row). Written once, never edited. `org_id` is the answering org; `proxy` = 1: entered on
-- a desk of another org working alone (代录).
CREATE TABLE slip_feedback (
    id          TEXT PRIMARY KEY,
    slip_id     TEXT NOT NULL REFERENCES supervision_slips (id),
    case_id     TEXT NOT NULL REFERENCES cases (id),
    org_id      TEXT,
    round       INTEGER NOT NULL,
    text        TEXT NOT NULL,
    outcome     TEXT NOT NULL DEFAULT '',
    answered_by TEXT NOT NULL,
    head        TEXT NOT NULL DEFAULT '',
    answered_on TEXT NOT NULL,
    proxy       INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX slip_feedback_slip ON slip_feedback (slip_id, round);
