//! Repository for cases (涉法涉诉信访事项) and their petitioners.

use hearing_core::access::Permission;
use hearing_core::case::ValidCase;
use hearing_core::paging::clamp;
use hearing_core::validate::mask_id_number;
use hearing_core::{
    Case, CaseAnalysis, CaseCategory, CaseCounts, CaseListQuery, CaseSort, CaseStatus, CaseSummary,
    Page, Petitioner, PetitionerKind, SortDir, StatusCount,
};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};

use crate::write::Writer;
use crate::{Result, Store, StoreError};

const COLUMNS: &str =
    "c.id, c.number, c.org_id, c.handling_organ_id, o.name, c.case_officer, c.title, \
    c.category, c.original_case_number, c.rulings, c.demands, c.background, c.historical_facts, \
    c.problem_nature, c.handling_principle, c.petition_demands, c.responsible_parties, \
    c.social_relations, c.crux, c.existing_replies, c.errors_and_flaws, c.status, c.registered_on, \
    c.created_at, c.updated_at";

/// `%text%` for LIKE, with `%`, `_` and `\` in the user's text taken literally.
pub(crate) fn like_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

fn from_row(r: &Row) -> rusqlite::Result<Case> {
    let category: String = r.get(7)?;
    let rulings: String = r.get(9)?;
    let status: String = r.get(21)?;
    let analysis = CaseAnalysis {
        historical_facts: r.get(12)?,
        problem_nature: r.get(13)?,
        handling_principle: r.get(14)?,
        petition_demands: r.get(15)?,
        responsible_parties: r.get(16)?,
        social_relations: r.get(17)?,
        crux: r.get(18)?,
        existing_replies: r.get(19)?,
        errors_and_flaws: r.get(20)?,
    };
    Ok(Case {
        id: r.get(0)?,
        number: r.get(1)?,
        org_id: r.get(2)?,
        handling_organ_id: r.get(3)?,
        handling_organ_name: r.get(4)?,
        case_officer: r.get(5)?,
        title: r.get(6)?,
        category: CaseCategory::parse(&category).unwrap_or(CaseCategory::Other),
        petitioners: Vec::new(),
        original_case_number: r.get(8)?,
        rulings: serde_json::from_str(&rulings).unwrap_or_default(),
        demands: r.get(10)?,
        background: r.get(11)?,
        analysis_items: analysis.items(),
        analysis_completeness: analysis.completeness(),
        analysis,
        status: CaseStatus::parse(&status).unwrap_or(CaseStatus::Registered),
        registered_on: r.get(22)?,
        created_at: r.get(23)?,
        updated_at: r.get(24)?,
    })
}

fn petitioners(conn: &Connection, case_id: &str) -> Result<Vec<Petitioner>> {
    let mut stmt = conn.prepare(
        "SELECT kind, name, id_number, phone, address, credit_code, credit_code_warning, representative
         FROM petitioners WHERE case_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        let kind: String = r.get(0)?;
        Ok(Petitioner {
            kind: PetitionerKind::parse(&kind).unwrap_or(PetitionerKind::Person),
            name: r.get(1)?,
            id_number: r.get(2)?,
            phone: r.get(3)?,
            address: r.get(4)?,
            credit_code: r.get(5)?,
            credit_code_warning: r.get(6)?,
            representative: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: &str) -> Result<Case> {
    let mut case = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM cases c JOIN orgs o ON o.id = c.handling_organ_id WHERE c.id = ?1"),
            [id],
            from_row,
        )
        .optional()?
        .ok_or_else(|| StoreError::not_found("案件", id))?;
    case.petitioners = petitioners(conn, id)?;
    Ok(case)
}

/// Finds a case by its register number.
pub fn id_by_number(conn: &Connection, number: &str) -> Result<String> {
    conn.query_row("SELECT id FROM cases WHERE number = ?1", [number], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| StoreError::not_found("案件", number))
}

/// A page of the case register: filtered, sorted, ID numbers masked.
pub fn list(conn: &Connection, q: &CaseListQuery) -> Result<Page<CaseSummary>> {
    let (page, page_size) = clamp(q.page, q.page_size);
    let mut filter = vec!["1 = 1".to_owned()];
    let mut args: Vec<SqlValue> = Vec::new();
    if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let n = s.chars().count();
        if n > crate::search::MAX_QUERY_CHARS {
            return Err(StoreError::Validation(hearing_core::ValidationErrors(
                vec![hearing_core::FieldError {
                    field: "search".into(),
                    code: "search.tooLong".into(),
                    message: format!(
                        "搜索内容太长（{n} 个字），最多 {} 个字；请只输入案号、姓名或标题中的字词",
                        crate::search::MAX_QUERY_CHARS
                    ),
                }],
            )));
        }
        args.push(SqlValue::Text(like_pattern(s)));
        let n = args.len();
        args.push(SqlValue::Text(s.to_uppercase()));
        let id_number = format!(
            "c.id IN (SELECT p.case_id FROM petitioners p WHERE p.id_number = ?{})",
            args.len()
        );
        let fields = format!(
            "(c.number LIKE ?{n} ESCAPE '\\' OR c.title LIKE ?{n} ESCAPE '\\' \
             OR c.original_case_number LIKE ?{n} ESCAPE '\\' OR c.demands LIKE ?{n} ESCAPE '\\' \
             OR EXISTS (SELECT 1 FROM petitioners p WHERE p.case_id = c.id \
                        AND p.name LIKE ?{n} ESCAPE '\\'))"
        );
        // The search index narrows the cases to those whose records hold the text (at 100k
        // cases: 1 ms instead of a 1 s scan); the fields are then checked as typed.
        match crate::search::case_candidates(conn, s)? {
            Some(expr) => {
                args.push(SqlValue::Text(expr));
                filter.push(format!(
                    "((c.id IN (SELECT d.case_id FROM search_bigrams f JOIN search_docs d ON d.id = f.rowid \
                                WHERE search_bigrams MATCH ?{}) AND {fields}) OR {id_number})",
                    args.len()
                ));
            }
            None => filter.push(format!("({fields} OR {id_number})")),
        }
    }
    if let Some(status) = q.status {
        args.push(SqlValue::Text(status.as_str().to_owned()));
        filter.push(format!("c.status = ?{}", args.len()));
    }
    if let Some(category) = q.category {
        args.push(SqlValue::Text(category.as_str().to_owned()));
        filter.push(format!("c.category = ?{}", args.len()));
    }
    if let Some(organ) = q.handling_organ_id.as_deref().filter(|o| !o.is_empty()) {
        args.push(SqlValue::Text(organ.to_owned()));
        filter.push(format!("c.handling_organ_id = ?{}", args.len()));
    }
    if q.active_only == Some(true) {
        let active: Vec<String> = CaseStatus::ALL
            .iter()
            .filter(|s| s.is_active())
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        filter.push(format!("c.status IN ({})", active.join(", ")));
    }
    let where_sql = filter.join(" AND ");
    let total: u32 = conn.query_row(
        &format!("SELECT count(*) FROM cases c WHERE {where_sql}"),
        params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    let order = match q.sort.unwrap_or_default() {
        CaseSort::RegisteredOn => "c.registered_on",
        CaseSort::Number => "c.number",
        CaseSort::UpdatedAt => "c.updated_at",
        CaseSort::Status => "c.status",
    };
    let dir = match q.dir.unwrap_or_default() {
        SortDir::Asc => "ASC",
        SortDir::Desc => "DESC",
    };
    let offset = i64::from(page - 1) * i64::from(page_size);
    // The page's rows are picked first by their keys alone (an index walk, however deep the
    // page), then only those rows are read with their petitioners.
    let mut stmt = conn.prepare(&format!(
        "SELECT c.id, c.number, c.title, c.category,
                (SELECT group_concat(name, '、') FROM (SELECT name FROM petitioners WHERE case_id = c.id ORDER BY seq)),
                (SELECT id_number FROM petitioners WHERE case_id = c.id ORDER BY seq LIMIT 1),
                o.short_name, c.status, c.registered_on, c.analysis_completeness, c.updated_at
         FROM (SELECT c.rowid AS rid FROM cases c WHERE {where_sql}
               ORDER BY {order} {dir}, c.number {dir} LIMIT {page_size} OFFSET {offset}) page
         JOIN cases c ON c.rowid = page.rid JOIN orgs o ON o.id = c.handling_organ_id
         ORDER BY {order} {dir}, c.number {dir}"
    ))?;
    let items = stmt
        .query_map(params_from_iter(args.iter()), |r| {
            let category: String = r.get(3)?;
            let status: String = r.get(7)?;
            let id_number: Option<String> = r.get(5)?;
            Ok(CaseSummary {
                id: r.get(0)?,
                number: r.get(1)?,
                title: r.get(2)?,
                category: CaseCategory::parse(&category).unwrap_or(CaseCategory::Other),
                petitioner_names: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                petitioner_id_masked: id_number.as_deref().map(mask_id_number),
                handling_organ_name: r.get(6)?,
                status: CaseStatus::parse(&status).unwrap_or(CaseStatus::Registered),
                registered_on: r.get(8)?,
                analysis_completeness: r.get(9)?,
                updated_at: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Page {
        items,
        total,
        page,
        page_size,
    })
}

/// Counts for the 工作台: totals, by state, and active cases with an incomplete analysis.
pub fn counts(conn: &Connection) -> Result<CaseCounts> {
    let mut stmt = conn.prepare(
        "SELECT status, count(*), sum(analysis_completeness < 100) FROM cases GROUP BY status",
    )?;
    let mut out = CaseCounts::default();
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, u32>(1)?,
            r.get::<_, u32>(2)?,
        ))
    })?;
    for row in rows {
        let (status, count, incomplete) = row?;
        let status = CaseStatus::parse(&status).unwrap_or(CaseStatus::Registered);
        out.total += count;
        if status.is_active() {
            out.active += count;
            out.analysis_incomplete += incomplete;
        }
        out.by_status.push(StatusCount { status, count });
    }
    out.by_status.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.status.as_str().cmp(b.status.as_str()))
    });
    Ok(out)
}

/// The checked form of a stored case's register fields, to tell whether an edit changes
/// anything; `None` if its stored date is not one (an edit then always writes).
fn valid(c: &Case) -> Option<ValidCase> {
    Some(ValidCase {
        number: Some(c.number.clone()),
        handling_organ_id: c.handling_organ_id.clone(),
        case_officer: c.case_officer.clone(),
        title: c.title.clone(),
        category: c.category,
        petitioners: c.petitioners.clone(),
        original_case_number: c.original_case_number.clone(),
        rulings: c.rulings.clone(),
        demands: c.demands.clone(),
        background: c.background.clone(),
        registered_on: crate::parse_day(&c.registered_on)?,
    })
}

/// The next free register number for an org and year: `DHQ-2026-007`.
fn next_number(conn: &Connection, org_code: &str, year: &str) -> Result<String> {
    crate::numbering::next_free_case_number(conn, org_code, year, &[])
}

fn ensure_number_free(conn: &Connection, number: &str, except_id: Option<&str>) -> Result<()> {
    let holder: Option<String> = conn
        .query_row("SELECT id FROM cases WHERE number = ?1", [number], |r| {
            r.get(0)
        })
        .optional()?;
    match holder {
        Some(h) if Some(h.as_str()) != except_id => Err(StoreError::Conflict(format!(
            "案件编号 {number} 已被另一案件使用；请改用其他编号，或留空自动编号"
        ))),
        _ => Ok(()),
    }
}

fn write_petitioners(w: &Writer, case_id: &str, list: &[Petitioner]) -> Result<()> {
    w.tx()
        .execute("DELETE FROM petitioners WHERE case_id = ?1", [case_id])?;
    for (seq, p) in list.iter().enumerate() {
        w.tx().execute(
            "INSERT INTO petitioners (case_id, seq, kind, name, id_number, phone, address, credit_code, credit_code_warning, representative)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![case_id, seq as i64, p.kind.as_str(), p.name, p.id_number, p.phone, p.address, p.credit_code, p.credit_code_warning, p.representative],
        )?;
    }
    Ok(())
}

/// Inserts a checked case owned by `org_id` in the given state; used by [`Store::create_case`]
/// and by the demo loader.
pub(crate) fn insert(
    w: &mut Writer,
    org_id: &str,
    c: &ValidCase,
    status: CaseStatus,
    analysis: &CaseAnalysis,
) -> Result<String> {
    crate::orgs::get(w.tx(), &c.handling_organ_id).map_err(|_| {
        StoreError::Validation(hearing_core::ValidationErrors(vec![
            hearing_core::FieldError {
                field: "handlingOrganId".into(),
                code: "not_found".into(),
                message: "所选承办单位不存在，请重新选择".into(),
            },
        ]))
    })?;
    let number = match &c.number {
        Some(n) => {
            ensure_number_free(w.tx(), n, None)?;
            n.clone()
        }
        None => {
            let org = crate::orgs::get(w.tx(), org_id)?;
            next_number(w.tx(), &org.code, &c.registered_on.format("%Y").to_string())?
        }
    };
    let id = uuid::Uuid::now_v7().to_string();
    let a = analysis;
    w.tx().execute(
        "INSERT INTO cases (id, number, org_id, handling_organ_id, case_officer, title, category,
            original_case_number, rulings, demands, background, historical_facts, problem_nature,
            handling_principle, petition_demands, responsible_parties, social_relations, crux,
            existing_replies, errors_and_flaws, analysis_completeness, status, registered_on,
            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
            ?19, ?20, ?21, ?22, ?23, ?24, ?24)",
        params![
            id,
            number,
            org_id,
            c.handling_organ_id,
            c.case_officer,
            c.title,
            c.category.as_str(),
            c.original_case_number,
            serde_json::to_string(&c.rulings)?,
            c.demands,
            c.background,
            a.historical_facts,
            a.problem_nature,
            a.handling_principle,
            a.petition_demands,
            a.responsible_parties,
            a.social_relations,
            a.crux,
            a.existing_replies,
            a.errors_and_flaws,
            a.completeness(),
            status.as_str(),
            c.registered_on,
            w.now()
        ],
    )?;
    write_petitioners(w, &id, &c.petitioners)?;
    w.for_case(&id);
    w.describe("case", &id, format!("登记案件 {number}“{}”", c.title));
    Ok(id)
}

impl Store {
    /// Registers a new case owned by this desk's org.
    pub fn create_case(&mut self, input: &hearing_core::CaseInput) -> Result<Case> {
        let c = input.validate(self.today())?;
        let org_id = self.require_desk_org()?;
        self.write(Permission::EditCases, "登记案件", |w| {
            let id = insert(
                w,
                &org_id,
                &c,
                CaseStatus::Registered,
                &CaseAnalysis::default(),
            )?;
            get(w.tx(), &id)
        })
    }

    /// Saves the edited register fields of a case; the change log records only what changed.
    pub fn update_case(&mut self, id: &str, input: &hearing_core::CaseInput) -> Result<Case> {
        let c = input.validate(self.today())?;
        self.write(
            Permission::EditCases,"修改案件", |w| {
            let old = get(w.tx(), id)?;
            crate::orgs::get(w.tx(), &c.handling_organ_id)?;
            let number = c.number.clone().unwrap_or_else(|| old.number.clone());
            ensure_number_free(w.tx(), &number, Some(id))?;
            let edited = ValidCase {
                number: Some(number.clone()),
                ..c.clone()
            };
            if valid(&old).as_ref() == Some(&edited) {
                return Ok(old);
            }
            w.tx().execute(
                "UPDATE cases SET number = ?2, handling_organ_id = ?3, case_officer = ?4, title = ?5,
                    category = ?6, original_case_number = ?7, rulings = ?8, demands = ?9,
                    background = ?10, registered_on = ?11, updated_at = ?12 WHERE id = ?1",
                params![
                    id, number, c.handling_organ_id, c.case_officer, c.title, c.category.as_str(),
                    c.original_case_number, serde_json::to_string(&c.rulings)?, c.demands,
                    c.background, c.registered_on, w.now()
                ],
            )?;
            let mut names = w.logged_columns("cases", id)?;
            if old.petitioners != c.petitioners {
                write_petitioners(w, id, &c.petitioners)?;
                names.push("petitioners".to_owned());
            }
            w.for_case(id);
            w.describe("case", id, format!("修改案件 {number}：{}", names.join("、")));
            get(w.tx(), id)
        })
    }

    /// Saves the 四明五清 analysis of a case.
    pub fn set_case_analysis(&mut self, id: &str, analysis: &CaseAnalysis) -> Result<Case> {
        let a = analysis.validate()?;
        self.write(
            Permission::EditCases,"四明五清分析", |w| {
            let old = get(w.tx(), id)?;
            if old.analysis == a {
                return Ok(old);
            }
            w.tx().execute(
                "UPDATE cases SET historical_facts = ?2, problem_nature = ?3, handling_principle = ?4,
                    petition_demands = ?5, responsible_parties = ?6, social_relations = ?7, crux = ?8,
                    existing_replies = ?9, errors_and_flaws = ?10, analysis_completeness = ?11,
                    updated_at = ?12 WHERE id = ?1",
                params![
                    id, a.historical_facts, a.problem_nature, a.handling_principle, a.petition_demands,
                    a.responsible_parties, a.social_relations, a.crux, a.existing_replies,
                    a.errors_and_flaws, a.completeness(), w.now()
                ],
            )?;
            w.for_case(id);
            w.describe(
                "case",
                id,
                format!("更新案件 {} 的四明五清分析（完成度 {}%）", old.number, a.completeness()),
            );
            get(w.tx(), id)
        })
    }
}
