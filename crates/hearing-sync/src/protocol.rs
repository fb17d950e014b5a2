//! The wire types of protocol version 1 (docs/sync-protocol.md). JSON, camelCase.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::hlc::Hlc;

pub const PROTOCOL_VERSION: u32 = 1;
/// The header every request but `health` carries.
pub const PROTOCOL_HEADER: &str = "x-hearing-protocol";
/// Most changes in one pushed page.
pub const MAX_PUSH_CHANGES: usize = 500;
/// Largest request body (push) in bytes.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// Largest blob in bytes.
pub const MAX_BLOB_BYTES: usize = 32 * 1024 * 1024;
/// Most changes in one pulled page, and the default.
pub const MAX_PULL_LIMIT: usize = 1000;
pub const DEFAULT_PULL_LIMIT: usize = 500;

/// The tables that sync, in an order where a parent comes before its children.
pub const SYNCED_TABLES: [&str; 20] = [
    "orgs",
    "persons",
    "cases",
    "petitioners",
    "hearings",
    "participants",
    "testimony",
    "evidence",
    "challenges",
    "opinions",
    "approvals",
    "leader_assignments",
    "supervision_slips",
    "slip_feedback",
    "visit_reviews",
    "followups",
    "meetings",
    "meeting_items",
    "bulletins",
    "documents",
];

/// Tables whose rows are written once and never edited: their changes never conflict.
pub const APPEND_ONLY_TABLES: [&str; 7] = [
    "testimony",
    "evidence",
    "challenges",
    "approvals",
    "slip_feedback",
    "visit_reviews",
    "followups",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Upsert,
    Delete,
}

/// One row change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// UUIDv7 made by the desk: the unit of idempotence.
    pub id: String,
    /// The org owning the row (scoping).
    pub org_id: String,
    pub device_id: String,
    /// Hybrid logical clock, text form.
    pub hlc: String,
    pub table: String,
    /// Primary key; a composite key is a JSON array text.
    pub pk: String,
    pub op: Op,
    /// The columns set (upsert); empty for delete.
    #[serde(default)]
    pub cols: Map<String, Value>,
    /// Device wall time (RFC 3339), for people only.
    #[serde(default)]
    pub at: String,
    /// The org the row is about, when it is not the owning org: a committee's decision on an
    /// organ's case is owned by the committee and about the organ. Desks of this org's subtree
    /// see the change too (the owner's see it anyway). Absent: the owning org.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope_org: Option<String>,
}

impl Change {
    /// Checks what the server and a desk must check before storing or applying a change; the
    /// message is for the clerk.
    pub fn validate(&self) -> Result<Hlc, String> {
        let short = |s: &str| s.chars().take(40).collect::<String>();
        if self.id.is_empty() || self.id.len() > 64 {
            return Err(format!("更改编号“{}”无效", short(&self.id)));
        }
        if self.org_id.is_empty() || self.device_id.is_empty() || self.pk.is_empty() {
            return Err(format!("更改 {} 缺少单位、设备或主键", short(&self.id)));
        }
        if self
            .scope_org
            .as_deref()
            .is_some_and(|s| s.is_empty() || s.len() > 64)
        {
            return Err(format!("更改 {} 的相关单位无效", short(&self.id)));
        }
        if !SYNCED_TABLES.contains(&self.table.as_str()) {
            return Err(format!(
                "更改 {} 涉及不同步的数据表“{}”",
                short(&self.id),
                short(&self.table)
            ));
        }
        if self.op == Op::Delete && !self.cols.is_empty() {
            return Err(format!("删除类更改 {} 不应带字段", short(&self.id)));
        }
        for (k, v) in &self.cols {
            let ok_name = !k.is_empty()
                && k.len() <= 64
                && k.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !ok_name {
                return Err(format!(
                    "更改 {} 的字段名“{}”无效",
                    short(&self.id),
                    short(k)
                ));
            }
            let ok_value = match v {
                Value::Null | Value::String(_) | Value::Number(_) => true,
                Value::Object(o) => o.len() == 1 && o.get("$blob").is_some_and(Value::is_string),
                _ => false,
            };
            if !ok_value {
                return Err(format!(
                    "更改 {} 的字段“{k}”值类型无效（只允许文本、数字、空值）",
                    short(&self.id)
                ));
            }
        }
        self.hlc.parse::<Hlc>().map_err(|e| e.to_string())
    }
}

/// An org of the server's tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Org {
    pub id: String,
    pub parent_id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub short_name: String,
    /// committee | court | procuratorate | police | justice | other
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    pub status: String,
    pub protocols: Vec<u32>,
    pub server: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnrollRequest {
    pub code: String,
    #[serde(default)]
    pub device_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnrollResponse {
    pub device_id: String,
    pub token: String,
    pub org_id: String,
    /// The whole tree visible to the device.
    pub orgs: Vec<Org>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PushRequest {
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PushResponse {
    /// New to the server.
    pub accepted: Vec<String>,
    /// Already held (a page delivered twice, a retried push).
    pub duplicates: Vec<String>,
    /// The server's log position after this page.
    pub cursor: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PullResponse {
    pub changes: Vec<Change>,
    pub cursor: String,
    pub more: bool,
}

/// The answer of `GET /v1/wait`: whether changes for the device arrived after its cursor (then
/// it pulls), or the wait timed out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaitResponse {
    pub changed: bool,
}

/// The longest `GET /v1/wait` holds a request, in seconds.
pub const MAX_WAIT_SECS: u64 = 30;

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// bad_request | unsupported_protocol | invalid_code | unauthorized | forbidden | not_found
    /// | too_large | hash_mismatch | internal
    pub code: String,
    pub message: String,
}

impl ErrorBody {
    pub fn new(code: &str, message: impl Into<String>) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: code.to_owned(),
                message: message.into(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change() -> Change {
        serde_json::from_value(json!({
            "id": "0193a1b2-0000-7000-8000-000000000001",
            "orgId": "org-1", "deviceId": "dev-1", "hlc": "1764201600000-00000",
            "table": "cases", "pk": "case-1", "op": "upsert",
            "cols": {"title": "标题", "analysis_completeness": 3, "closed_on": null},
            "at": "2026-11-27T08:00:00Z"
        }))
        .unwrap()
    }

    #[test]
    fn a_good_change_validates() {
        assert!(change().validate().is_ok());
    }

    #[test]
    fn bad_changes_are_named() {
        let mut c = change();
        c.table = "desk_meta".into();
        assert!(c.validate().unwrap_err().contains("不同步的数据表"));
        let mut c = change();
        c.hlc = "yesterday".into();
        assert!(c.validate().unwrap_err().contains("时钟值"));
        let mut c = change();
        c.cols.insert("title; DROP".into(), json!("x"));
        assert!(c.validate().unwrap_err().contains("字段名"));
        let mut c = change();
        c.cols.insert("title".into(), json!(["a"]));
        assert!(c.validate().unwrap_err().contains("值类型"));
        let mut c = change();
        c.op = Op::Delete;
        assert!(c.validate().unwrap_err().contains("删除"));
    }

    #[test]
    fn wire_names_are_camel_case() {
        let v = serde_json::to_value(change()).unwrap();
        assert!(v.get("orgId").is_some() && v.get("deviceId").is_some());
        assert_eq!(v["op"], "upsert");
    }
}
