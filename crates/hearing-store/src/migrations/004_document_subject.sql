-- Per-person documents: a 邀请函 or 听证员评议意见表 is for one panelist. The participant's id and
-- the name printed in the document are kept; no foreign key, because a participant still in draft
-- may be removed from the hearing while the document remains on record.
ALTER TABLE documents ADD COLUMN subject_id TEXT NULL;
ALTER TABLE documents ADD COLUMN subject_name TEXT NOT NULL DEFAULT '';
CREATE INDEX documents_subject ON documents(subject_id);
