-- Documents (DESIGN.md §4): drafts filled from templates, frozen finals with their PDF, and
-- their life after printing: signed scan, service (送达回证) data, filing.
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id),
    hearing_id TEXT NULL REFERENCES hearings(id),
    kind TEXT NOT NULL,
    number TEXT NOT NULL DEFAULT '',
    num_prefix TEXT NOT NULL DEFAULT '',
    num_year INTEGER NOT NULL DEFAULT 0,
    num_seq INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    -- the document this one is a new version of
    previous_id TEXT NULL REFERENCES documents(id),
    state TEXT NOT NULL DEFAULT 'draft'
        CHECK (state IN ('draft', 'final', 'printed', 'signed', 'served', 'filed')),
    text TEXT NOT NULL,
    text_sha256 TEXT NULL,
    pdf_sha256 TEXT NULL,
    pdf BLOB NULL,
    verification_code TEXT NULL,
    scan_path TEXT NULL,
    scan_sha256 TEXT NULL,
    service TEXT NOT NULL DEFAULT '{}',
    finalized_at TEXT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX documents_case ON documents(case_id, kind);
CREATE INDEX documents_pdf ON documents(pdf_sha256);
CREATE INDEX documents_code ON documents(verification_code);
CREATE INDEX documents_number ON documents(num_prefix, num_year, num_seq);
