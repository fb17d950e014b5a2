-- Requests for closure approval, counted: each 提请终结审批 of a case starts a new round
-- (cases.approval_round), and a decision belongs to the round it was made in
-- (approvals.round). Only the current round's decisions count: after a level returned the request
-- (不同意) and the case went back to be revised (退回重办), a new request needs every level again,
-- and a returned request is never counted as approved. Cases and decisions from before this
-- migration share round 0.
ALTER TABLE cases ADD COLUMN approval_round INTEGER NOT NULL DEFAULT 0;
ALTER TABLE approvals ADD COLUMN round INTEGER NOT NULL DEFAULT 0;
