//! Loads the fictional city of `hearing_demo` into an empty desk, in one write. The desk
//! becomes the city committee's desk, which sees every county's cases.

use hearing_core::access::Permission;
use std::collections::HashMap;

use hearing_demo::demo_data;
use serde::Serialize;

use crate::{Result, Store, StoreError};

/// What the demo loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DemoSummary {
    pub orgs: u32,
    pub persons: u32,
    pub cases: u32,
}

impl Store {
    /// True when no org has been created yet: the first-run screen is due.
    pub fn is_empty(&self) -> Result<bool> {
        let n: i64 = self
            .conn()
            .query_row("SELECT count(*) FROM orgs", [], |r| r.get(0))?;
        Ok(n == 0)
    }

    /// Loads the demo city. Refused when the desk already holds data, so nothing real is mixed
    /// with fiction.
    pub fn load_demo(&mut self) -> Result<DemoSummary> {
        if !self.is_empty()? {
            return Err(StoreError::refused(
                "本机已有数据，不能再载入演示数据；如需体验，请另选一个空的数据目录",
            ));
        }
        let data = demo_data();
        let today = self.today();
        let root = self.write(Permission::ManageSettings, "载入演示数据", |w| {
            let mut ids: HashMap<&str, String> = HashMap::new();
            let mut root = None;
            for o in &data.orgs {
                let mut input = o.input.clone();
                input.parent_id = match o.parent {
                    Some(p) => Some(lookup(&ids, p)?),
                    None => None,
                };
                let input = input.validate()?;
                let id = crate::orgs::insert(w, &input)?;
                if o.parent.is_none() && root.is_none() {
                    root = Some(id.clone());
                }
                ids.insert(o.key, id);
            }
            for p in &data.persons {
                let valid = p.input.validate(today)?;
                crate::persons::insert(w, &lookup(&ids, p.org)?, &valid, p.active)?;
            }
            for c in &data.cases {
                let mut input = c.input.clone();
                input.handling_organ_id = lookup(&ids, c.organ)?;
                let valid = input.validate(today)?;
                crate::cases::insert(w, &lookup(&ids, c.org)?, &valid, c.status, &c.analysis)?;
            }
            w.describe(
                "desk",
                "demo",
                format!(
                    "载入演示数据：{} 个单位、{} 名人员、{} 件案件",
                    data.orgs.len(),
                    data.persons.len(),
                    data.cases.len()
                ),
            );
            root.ok_or_else(|| StoreError::Internal("演示数据缺少根单位".to_owned()))
        })?;
        self.set_desk_org(&root)?;
        Ok(DemoSummary {
            orgs: data.orgs.len() as u32,
            persons: data.persons.len() as u32,
            cases: data.cases.len() as u32,
        })
    }
}

fn lookup(ids: &HashMap<&str, String>, key: &str) -> Result<String> {
    ids.get(key)
        .cloned()
        .ok_or_else(|| StoreError::Internal(format!("演示数据引用了不存在的单位 {key}")))
}
