//! Repository for orgs (单位).

use hearing_core::access::Permission;
use hearing_core::{Org, OrgInput, OrgKind};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::write::Writer;
use crate::{Result, Store, StoreError};

const COLUMNS: &str = "id, parent_id, name, short_name, kind, code, created_at, updated_at";

fn from_row(r: &Row) -> rusqlite::Result<Org> {
    let kind: String = r.get(4)?;
    Ok(Org {
        id: r.get(0)?,
        parent_id: r.get(1)?,
        name: r.get(2)?,
        short_name: r.get(3)?,
        kind: OrgKind::parse(&kind).unwrap_or(OrgKind::Other),
        code: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Org> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM orgs WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::not_found("单位", id))
}

/// All orgs, parents before children (by depth), then by name.
pub fn list(conn: &Connection) -> Result<Vec<Org>> {
    let mut stmt = conn.prepare(&format!(
        "WITH RECURSIVE tree (id, depth, path) AS (
             SELECT id, 0, code FROM orgs WHERE parent_id IS NULL
             UNION ALL
             SELECT o.id, t.depth + 1, t.path || '/' || o.code FROM orgs o JOIN tree t ON o.parent_id = t.id
         )
         SELECT {COLUMNS} FROM orgs JOIN tree USING (id) ORDER BY tree.path"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The ids of `root` and every org below it, in `orgs` (a list of the tree).
pub(crate) fn subtree(orgs: &[Org], root: &str) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    let mut todo = vec![root.to_owned()];
    while let Some(id) = todo.pop() {
        if out.insert(id.clone()) {
            todo.extend(
                orgs.iter()
                    .filter(|o| o.parent_id.as_deref() == Some(id.as_str()))
                    .map(|o| o.id.clone()),
            );
        }
    }
    out
}

/// This desk's org in `orgs`, else the root of the tree (a desk without an org speaks for the
/// whole tree: the demo city's desk, a desk working alone).
pub(crate) fn desk_org_or_root<'a>(conn: &Connection, orgs: &'a [Org]) -> Result<Option<&'a Org>> {
    let own = crate::meta_get(conn, "org_id")?;
    Ok(orgs
        .iter()
        .find(|o| Some(&o.id) == own.as_ref())
        .or_else(|| orgs.iter().find(|o| o.parent_id.is_none())))
}

/// Inserts a checked org; used by [`Store::create_org`] and the demo loader.
pub(crate) fn insert(w: &mut Writer, input: &OrgInput) -> Result<String> {
    if let Some(parent) = &input.parent_id {
        get(w.tx(), parent)?;
    }
    let taken: Option<String> = w
        .tx()
        .query_row(
            "SELECT name FROM orgs WHERE code = ?1",
            [&input.code],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(name) = taken {
        return Err(StoreError::Conflict(format!(
            "单位代码 {} 已被“{name}”使用，请换一个",
            input.code
        )));
    }
    let id = uuid::Uuid::now_v7().to_string();
    w.tx().execute(
        "INSERT INTO orgs (id, parent_id, name, short_name, kind, code, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![
            id,
            input.parent_id,
            input.name,
            input.short_name,
            input.kind.as_str(),
            input.code,
            w.now()
        ],
    )?;
    w.describe("org", &id, format!("新建单位“{}”", input.name));
    Ok(id)
}

impl Store {
    /// Adds an org. Its code must be unique; its parent, if given, must exist.
    pub fn create_org(&mut self, input: &OrgInput) -> Result<Org> {
        let input = input.validate()?;
        self.write(Permission::ManageSettings, "新建单位", |w| {
            let id = insert(w, &input)?;
            get(w.tx(), &id)
        })
    }

    /// Creates this desk's own org and binds the desk to it (first run, "start empty").
    pub fn init_desk(&mut self, input: &OrgInput) -> Result<Org> {
        if let Some(existing) = self.desk_org_id()? {
            let org = get(self.conn(), &existing)?;
            return Err(StoreError::refused(format!(
                "本机已属于“{}”，不能再次初始化",
                org.name
            )));
        }
        let org = self.create_org(input)?;
        self.set_desk_org(&org.id)?;
        Ok(org)
    }

    /// Binds this desk to an existing org. Which org a desk works for decides which records it
    /// may write, so the binding is audited like any write.
    pub fn set_desk_org(&mut self, org_id: &str) -> Result<()> {
        self.write(Permission::ManageSettings, "设定本机单位", |w| {
            let org = get(w.tx(), org_id)?;
            let before = crate::meta_get(w.tx(), "org_id")?;
            if before.as_deref() == Some(org_id) {
                return Ok(());
            }
            w.tx().execute(
                "INSERT INTO desk_meta (key, value) VALUES ('org_id', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [org_id],
            )?;
            w.audit_unlogged();
            w.describe("org", org_id, format!("本机设定为“{}”的工作台", org.name));
            Ok(())
        })
    }
}
