//! Loads the fictional city of `hearing_demo` into an empty desk, in one write. The desk
//! becomes the city committee's desk, which sees every county's cases.
//!
//! On a desk enrolled in the demo network (`hearing-server demo`: the same org tree, each org's
//! id its code), it loads that desk's own part instead: the demo people of its org and the demo
//! cases its org handles, owned by it — one of them at 拟终结, ready for a hearing.

use hearing_core::access::Permission;
use hearing_core::CaseStatus;
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
        if self.sync_credentials()?.is_some() {
            return self.load_org_demo();
        }
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

impl Store {
    /// The demo part of this enrolled desk's org (see the module documentation).
    fn load_org_demo(&mut self) -> Result<DemoSummary> {
        let Some(org_id) = self.desk_org_id()? else {
            return Err(StoreError::refused(
                "本机尚未设定所属单位，不能载入演示数据",
            ));
        };
        let org = crate::orgs::get(self.conn(), &org_id)?;
        let data = demo_data();
        let Some(me) = data.orgs.iter().find(|o| o.input.code == org.code) else {
            return Err(StoreError::refused(format!(
                "本机所属的“{}”（{}）不是演示城市的单位，不能载入演示数据；演示网络请用 hearing-server demo 签发的注册码注册",
                org.name, org.code
            )));
        };
        let held: i64 = self.conn().query_row(
            "SELECT (SELECT count(*) FROM cases WHERE org_id = ?1)
                  + (SELECT count(*) FROM persons WHERE org_id = ?1)",
            [&org_id],
            |r| r.get(0),
        )?;
        if held > 0 {
            return Err(StoreError::refused(format!(
                "“{}”在本机已有案件或人员，不能再载入演示数据",
                org.name
            )));
        }
        let persons: Vec<_> = data.persons.iter().filter(|p| p.org == me.key).collect();
        let mut cases: Vec<_> = data
            .cases
            .iter()
            .filter(|c| c.organ == me.key)
            .cloned()
            .collect();
        // One case ready for a hearing: if none is at 拟终结, the first still being handled (or
        // the first at all) is loaded there.
        if !cases
            .iter()
            .any(|c| c.status == CaseStatus::ProposedClosure)
        {
            let pick = cases
                .iter()
                .position(|c| c.status.is_active())
                .or((!cases.is_empty()).then_some(0));
            if let Some(c) = pick.and_then(|i| cases.get_mut(i)) {
                c.status = CaseStatus::ProposedClosure;
            }
        }
        let today = self.today();
        self.write(Permission::ManageSettings, "载入演示数据", |w| {
            for p in &persons {
                let valid = p.input.validate(today)?;
                crate::persons::insert(w, &org_id, &valid, p.active)?;
            }
            for c in &cases {
                let mut input = c.input.clone();
                input.handling_organ_id = org_id.clone();
                let valid = input.validate(today)?;
                crate::cases::insert(w, &org_id, &valid, c.status, &c.analysis)?;
            }
            w.describe(
                "desk",
                "demo",
                format!(
                    "载入“{}”的演示数据：{} 名人员、{} 件案件",
                    org.name,
                    persons.len(),
                    cases.len()
                ),
            );
            Ok(())
        })?;
        Ok(DemoSummary {
            orgs: 0,
            persons: persons.len() as u32,
            cases: cases.len() as u32,
        })
    }
}

fn lookup(ids: &HashMap<&str, String>, key: &str) -> Result<String> {
    ids.get(key)
        .cloned()
        .ok_or_else(|| StoreError::Internal(format!("演示数据引用了不存在的单位 {key}")))
}
