//! Repository for the person pool (人员库).

use hearing_core::access::Permission;
use hearing_core::paging::clamp;
use hearing_core::person::ValidPerson;
use hearing_core::{
    Page, Person, PersonInput, PersonKind, PersonLevel, PersonListQuery, PersonSort, SortDir,
};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};

use crate::write::Writer;
use crate::{Result, Store, StoreError};

const COLUMNS: &str = "id, org_id, name, kind, level, unit, title, phone, id_number, licence_no, \
                       law_firm, expertise, term_start, term_end, active, note, created_at, updated_at";

fn from_row(r: &Row) -> rusqlite::Result<Person> {
    let kind: String = r.get(3)?;
    let level: Option<String> = r.get(4)?;
    Ok(Person {
        id: r.get(0)?,
        org_id: r.get(1)?,
        name: r.get(2)?,
        kind: PersonKind::parse(&kind).unwrap_or(PersonKind::Other),
        level: level.as_deref().and_then(PersonLevel::parse),
        unit: r.get(5)?,
        title: r.get(6)?,
        phone: r.get(7)?,
        id_number: r.get(8)?,
        licence_no: r.get(9)?,
        law_firm: r.get(10)?,
        expertise: r.get(11)?,
        term_start: r.get(12)?,
        term_end: r.get(13)?,
        active: r.get(14)?,
        note: r.get(15)?,
        created_at: r.get(16)?,
        updated_at: r.get(17)?,
    })
}

/// The checked form of a stored person, to tell whether an edit changes anything; `None` if a
/// stored date is not one (an edit then always writes).
fn valid(p: &Person) -> Option<ValidPerson> {
    let day = |d: &Option<String>| -> Option<Option<chrono::NaiveDate>> {
        match d {
            None => Some(None),
            Some(d) => crate::parse_day(d).map(Some),
        }
    };
    Some(ValidPerson {
        name: p.name.clone(),
        kind: p.kind,
        level: p.level,
        unit: p.unit.clone(),
        title: p.title.clone(),
        phone: p.phone.clone(),
        id_number: p.id_number.clone(),
        licence_no: p.licence_no.clone(),
        law_firm: p.law_firm.clone(),
        expertise: p.expertise.clone(),
        term_start: day(&p.term_start)?,
        term_end: day(&p.term_end)?,
        note: p.note.clone(),
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Person> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM persons WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::not_found("人员", id))
}

/// A page of the pool, ID numbers and phones masked.
pub fn list(conn: &Connection, q: &PersonListQuery) -> Result<Page<Person>> {
    let (page, page_size) = clamp(q.page, q.page_size);
    let mut filter = vec!["1 = 1".to_owned()];
    let mut args: Vec<SqlValue> = Vec::new();
    if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let pattern = crate::cases::like_pattern(s);
        args.push(SqlValue::Text(pattern));
        let n = args.len();
        filter.push(format!(
            "(name LIKE ?{n} ESCAPE '\\' OR unit LIKE ?{n} ESCAPE '\\' OR title LIKE ?{n} ESCAPE '\\' \
             OR ifnull(law_firm, '') LIKE ?{n} ESCAPE '\\' OR expertise LIKE ?{n} ESCAPE '\\')"
        ));
    }
    if let Some(kind) = q.kind {
        args.push(SqlValue::Text(kind.as_str().to_owned()));
        filter.push(format!("kind = ?{}", args.len()));
    }
    if let Some(level) = q.level {
        args.push(SqlValue::Text(level.as_str().to_owned()));
        filter.push(format!("level = ?{}", args.len()));
    }
    if let Some(active) = q.active {
        args.push(SqlValue::Integer(i64::from(active)));
        filter.push(format!("active = ?{}", args.len()));
    }
    let where_sql = filter.join(" AND ");
    let total: u32 = conn.query_row(
        &format!("SELECT count(*) FROM persons WHERE {where_sql}"),
        params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    let order = match q.sort.unwrap_or_default() {
        PersonSort::Name => "name",
        PersonSort::Kind => "kind",
        PersonSort::UpdatedAt => "updated_at",
    };
    let dir = match q.dir.unwrap_or(SortDir::Asc) {
        SortDir::Asc => "ASC",
        SortDir::Desc => "DESC",
    };
    let offset = i64::from(page - 1) * i64::from(page_size);
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM persons WHERE {where_sql} ORDER BY active DESC, {order} {dir}, id LIMIT {page_size} OFFSET {offset}"
    ))?;
    let items = stmt
        .query_map(params_from_iter(args.iter()), from_row)?
        .map(|p| p.map(Person::masked))
        .collect::<rusqlite::Result<_>>()?;
    Ok(Page {
        items,
        total,
        page,
        page_size,
    })
}

/// Inserts a checked person into the pool of `org_id`; used by [`Store::create_person`] and the
/// demo loader.
pub(crate) fn insert(
    w: &mut Writer,
    org_id: &str,
    p: &ValidPerson,
    active: bool,
) -> Result<String> {
    let id = uuid::Uuid::now_v7().to_string();
    w.tx().execute(
        &format!("INSERT INTO persons ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)"),
        params![
            id, org_id, p.name, p.kind.as_str(), p.level.map(|l| l.as_str()), p.unit, p.title,
            p.phone, p.id_number, p.licence_no, p.law_firm, p.expertise, p.term_start, p.term_end,
            active, p.note, w.now()
        ],
    )?;
    w.describe("person", &id, format!("新增{}“{}”", p.kind.label(), p.name));
    Ok(id)
}

impl Store {
    /// Adds a person to the pool of this desk's org.
    pub fn create_person(&mut self, input: &PersonInput) -> Result<Person> {
        let p = input.validate(self.today())?;
        let org_id = self.require_desk_org()?;
        self.write(Permission::EditPersons, "新增人员", |w| {
            let id = insert(w, &org_id, &p, true)?;
            get(w.tx(), &id)
        })
    }

    /// Saves the edited fields of a person; the change log records only what changed.
    pub fn update_person(&mut self, id: &str, input: &PersonInput) -> Result<Person> {
        let p = input.validate(self.today())?;
        self.write(
            Permission::EditPersons,"修改人员", |w| {
            let old = get(w.tx(), id)?;
            if valid(&old).as_ref() == Some(&p) {
                return Ok(old);
            }
            w.tx().execute(
                "UPDATE persons SET name = ?2, kind = ?3, level = ?4, unit = ?5, title = ?6, phone = ?7,
                 id_number = ?8, licence_no = ?9, law_firm = ?10, expertise = ?11, term_start = ?12,
                 term_end = ?13, note = ?14, updated_at = ?15 WHERE id = ?1",
                params![
                    id, p.name, p.kind.as_str(), p.level.map(|l| l.as_str()), p.unit, p.title, p.phone,
                    p.id_number, p.licence_no, p.law_firm, p.expertise, p.term_start, p.term_end, p.note,
                    w.now()
                ],
            )?;
            let names = w.logged_columns("persons", id)?;
            w.describe("person", id, format!("修改人员“{}”：{}", p.name, names.join("、")));
            get(w.tx(), id)
        })
    }

    /// Takes a person out of the pool (or back in). People are never deleted: past hearings
    /// name them.
    pub fn set_person_active(&mut self, id: &str, active: bool) -> Result<Person> {
        self.write(
            Permission::EditPersons,
            if active {
                "启用人员"
            } else {
                "停用人员"
            },
            |w| {
                let old = get(w.tx(), id)?;
                if old.active == active {
                    return Ok(old);
                }
                w.tx().execute(
                    "UPDATE persons SET active = ?2, updated_at = ?3 WHERE id = ?1",
                    params![id, active, w.now()],
                )?;
                let verb = if active { "重新启用" } else { "停用" };
                w.describe("person", id, format!("{verb}人员“{}”", old.name));
                get(w.tx(), id)
            },
        )
    }

    /// The desk's org, or a clear error when the desk has not been set up.
    pub(crate) fn require_desk_org(&self) -> Result<String> {
        self.desk_org_id()?.ok_or_else(|| {
            StoreError::refused("本机尚未设置所属单位：请先在首次使用向导中载入演示数据或新建单位")
        })
    }
}
