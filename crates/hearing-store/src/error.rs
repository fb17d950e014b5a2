//! Store errors: each has a stable code and a Chinese message that says what to do next.

use hearing_core::rules::Refusal;
use hearing_core::ValidationErrors;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Validation(#[from] ValidationErrors),
    #[error("找不到{entity}（{id}），它可能已被删除或尚未同步")]
    NotFound { entity: &'static str, id: String },
    #[error("{0}")]
    Conflict(String),

    /// The record belongs to another org (seen here through sync): this desk may only read it.
    #[error("{0}")]
    ReadOnly(String),

    /// Login, password or key-slot problem; the message says what to do.
    #[error("{0}")]
    Auth(String),
    /// The logged-in operator's role does not allow the step.
    #[error("{0}")]
    Forbidden(String),
    /// The database is encrypted and nobody is logged in.
    #[error("{0}")]
    Locked(String),

    /// Sync with the server failed (offline, refused, a bad answer); the message says why.
    #[error("{0}")]
    Sync(String),
    /// A guarded step whose conditions are not met; every unmet condition is listed.
    #[error("{0}")]
    Refused(#[from] Refusal),
    #[error(
        "数据库由更新版本的听证工作台创建（结构版本 {found}，本程序支持到 {supported}）。为保护数据，本程序未作任何修改；请升级听证工作台后再打开"
    )]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("文件不是听证工作台数据库，或已损坏：{0}")]
    NotADatabase(String),
    #[error("无法访问 {path}：{source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("数据库操作失败：{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("数据格式错误：{0}")]
    Json(#[from] serde_json::Error),
    /// A statistics export (XLSX) could not be made; the message says why.
    #[error("{0}")]
    Export(String),
}

impl StoreError {
    /// Stable code for programs and the UI.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "validation",
            Self::NotFound { .. } => "not_found",
            Self::Conflict(_) => "conflict",
            Self::Sync(_) => "sync",
            Self::Auth(_) => "auth",
            Self::Forbidden(_) => "forbidden",
            Self::Locked(_) => "locked",
            Self::ReadOnly(_) => "read_only",
            Self::Refused(_) => "refused",
            Self::SchemaTooNew { .. } => "schema_too_new",
            Self::NotADatabase(_) => "not_a_database",
            Self::Io { .. } => "io",
            Self::Sqlite(_) => "database",
            Self::Json(_) => "data_format",
            Self::Export(_) => "export",
        }
    }

    /// Errors while first reading a file: "file is not a database" becomes a clear message.
    pub(crate) fn from_open(e: rusqlite::Error) -> StoreError {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotADatabase(e.to_string()),
            _ => StoreError::Sqlite(e),
        }
    }

    pub(crate) fn not_found(entity: &'static str, id: &str) -> StoreError {
        StoreError::NotFound {
            entity,
            id: id.to_owned(),
        }
    }
}
