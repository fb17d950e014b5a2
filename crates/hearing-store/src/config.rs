//! The jurisdiction configuration, versioned: every save is a new version and a hearing keeps
//! the version it was planned under, so changing the rules never rewrites a past hearing.

use hearing_core::access::Permission;
use hearing_core::config::JurisdictionConfig;
use rusqlite::{params, Connection, OptionalExtension};

use crate::{timestamp, Result, Store};

/// The current configuration and its version; the built-in defaults (version 0) until one is
/// saved.
pub fn current(conn: &Connection) -> Result<(u32, JurisdictionConfig)> {
    let row: Option<(u32, String)> = conn
        .query_row(
            "SELECT version, config FROM config_versions ORDER BY version DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        Some((v, json)) => Ok((v, parse(&json)?)),
        None => Ok((0, JurisdictionConfig::default())),
    }
}

/// A stored version as it reads today: a level saved before its decider was configurable names
/// the one its key implied.
fn parse(json: &str) -> Result<JurisdictionConfig> {
    let mut cfg: JurisdictionConfig = serde_json::from_str(json)?;
    for level in &mut cfg.approval_chain {
        level.decided_by = Some(level.decider());
    }
    // The 三单 are numbered since schema 22: a configuration saved before has no prefix for
    // them, and gets the built-in one.
    // The same for the 通报 since schema 24.
    for kind in ["assignSlip", "superviseSlip", "bulletin"] {
        if cfg.doc_prefix(kind).is_none() {
            cfg.doc_prefixes
                .extend(hearing_core::config::default_doc_prefix(kind));
        }
    }
    Ok(cfg)
}

/// A stored version (0 = the built-in defaults).
pub fn version(conn: &Connection, version: u32) -> Result<JurisdictionConfig> {
    if version == 0 {
        return Ok(JurisdictionConfig::default());
    }
    let json: Option<String> = conn
        .query_row(
            "SELECT config FROM config_versions WHERE version = ?1",
            [version],
            |r| r.get(0),
        )
        .optional()?;
    match json {
        Some(j) => Ok(parse(&j)?),
        None => Ok(JurisdictionConfig::default()),
    }
}

/// Makes sure the version a hearing points to exists as a row (version 0 = defaults is stored
/// on first use so the foreign key holds).
pub(crate) fn ensure_stored(conn: &Connection) -> Result<u32> {
    let (v, cfg) = current(conn)?;
    if v > 0 {
        return Ok(v);
    }
    conn.execute(
        "INSERT OR IGNORE INTO config_versions (version, config, created_at) VALUES (0, ?1, ?2)",
        params![serde_json::to_string(&cfg)?, timestamp(crate::now())],
    )?;
    Ok(0)
}

impl Store {
    /// Saves a new version of the configuration after checking it.
    pub fn save_config(&mut self, cfg: &JurisdictionConfig) -> Result<u32> {
        let cfg = cfg.validate()?;
        self.require_desk_org()?;
        // A named deciding org must be one of the tree.
        let mut e = hearing_core::ValidationErrors::default();
        for (i, level) in cfg.approval_chain.iter().enumerate() {
            if let Some(org) = level.decider_org_id.as_deref() {
                if crate::orgs::get(self.conn(), org).is_err() {
                    e.push(
                        format!("approvalChain.{i}.deciderOrgId"),
                        "unknown",
                        format!(
                            "“{}”一级指定的审批单位（{org}）不在本机的单位树中",
                            level.title
                        ),
                    );
                }
            }
        }
        e.into_result(())?;
        self.write(
            Permission::ManageSettings,
            "修改听证规则配置",
            |w| {
                let (v, _) = current(w.tx())?;
                let next = v + 1;
                w.tx().execute(
                    "INSERT INTO config_versions (version, config, created_at) VALUES (?1, ?2, ?3)",
                    params![next, serde_json::to_string(&cfg)?, w.now()],
                )?;
                w.audit_unlogged();
                w.describe(
                    "config",
                    &next.to_string(),
                    format!("保存听证规则配置第 {next} 版"),
                );
                Ok(next)
            },
        )
    }
}
