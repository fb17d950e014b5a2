//! Store errors: what happened, as a variant a program can act on ([`StoreError::code`]), with a
//! Chinese message that says what to do next. Callers classify by the code, never by the text.

use hearing_core::rules::Refusal;
use hearing_core::ValidationErrors;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Input that fails the checks of its fields; each problem names its field.
    #[error("{0}")]
    Validation(#[from] ValidationErrors),
    #[error("找不到{entity}（{id}），它可能已被删除或尚未同步")]
    NotFound { entity: &'static str, id: String },
    /// What must be unique is taken already (a case number, an org code).
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
    /// The desk's database is being replaced (accounts being set up, a restore): try again soon.
    #[error("{0}")]
    Busy(String),

    /// The sync server could not be reached (offline, refused the connection, timed out).
    #[error("无法连接同步服务器 {url}：{detail}")]
    Offline { url: String, detail: String },
    /// The sync server answered with a refusal (its HTTP status and its own code).
    #[error("{message}（{code}，HTTP {status}）")]
    ServerRefused {
        status: u16,
        code: String,
        message: String,
    },
    /// The sync server's answer (or a change in it) is not what the protocol says.
    #[error("服务器的应答无法识别：{0}")]
    BadAnswer(String),

    /// A guarded step whose conditions are not met; every unmet condition is listed.
    #[error("{0}")]
    Refused(#[from] Refusal),
    #[error(
        "数据库由更新版本的听证工作台创建（结构版本 {found}，本程序支持到 {supported}）。为保护数据，本程序未作任何修改；请升级听证工作台后再打开"
    )]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("文件不是听证工作台数据库，或已损坏：{0}")]
    NotADatabase(String),
    /// A file of the desk (a backup, an attached scan) is damaged, replaced or not one of ours.
    #[error("{0}")]
    Damaged(String),
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
    /// A document could not be made (its template, fonts or layout); the message says why.
    #[error("{0}")]
    Document(String),
    /// Something that should not happen did (a worker thread died); retrying may help.
    #[error("{0}")]
    Internal(String),
}

/// Every kind of error a HearingDesk program reports, as the stable code programs and the UI
/// classify by (snake_case on the wire: `"not_found"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Validation,
    NotFound,
    Conflict,
    ReadOnly,
    Auth,
    Forbidden,
    Locked,
    Offline,
    ServerRefused,
    BadAnswer,
    Refused,
    SchemaTooNew,
    NotADatabase,
    Damaged,
    Io,
    Database,
    DataFormat,
    Export,
    Document,
    Internal,
    /// The app is in the middle of a long step (setting up accounts, a restore): try again soon.
    Busy,
}

impl ErrorCode {
    /// Every code, for checks that each is handled.
    pub const ALL: [ErrorCode; 21] = [
        ErrorCode::Validation,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::ReadOnly,
        ErrorCode::Auth,
        ErrorCode::Forbidden,
        ErrorCode::Locked,
        ErrorCode::Offline,
        ErrorCode::ServerRefused,
        ErrorCode::BadAnswer,
        ErrorCode::Refused,
        ErrorCode::SchemaTooNew,
        ErrorCode::NotADatabase,
        ErrorCode::Damaged,
        ErrorCode::Io,
        ErrorCode::Database,
        ErrorCode::DataFormat,
        ErrorCode::Export,
        ErrorCode::Document,
        ErrorCode::Internal,
        ErrorCode::Busy,
    ];

    /// The code as written on the wire and in `sync_runs.error_code`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Validation => "validation",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::ReadOnly => "read_only",
            Self::Auth => "auth",
            Self::Forbidden => "forbidden",
            Self::Locked => "locked",
            Self::Offline => "offline",
            Self::ServerRefused => "server_refused",
            Self::BadAnswer => "bad_answer",
            Self::Refused => "refused",
            Self::SchemaTooNew => "schema_too_new",
            Self::NotADatabase => "not_a_database",
            Self::Damaged => "damaged",
            Self::Io => "io",
            Self::Database => "database",
            Self::DataFormat => "data_format",
            Self::Export => "export",
            Self::Document => "document",
            Self::Internal => "internal",
            Self::Busy => "busy",
        }
    }

    pub fn parse(s: &str) -> Option<ErrorCode> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

impl StoreError {
    /// Stable code for programs and the UI.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Validation(_) => ErrorCode::Validation,
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::ReadOnly(_) => ErrorCode::ReadOnly,
            Self::Auth(_) => ErrorCode::Auth,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::Locked(_) => ErrorCode::Locked,
            Self::Busy(_) => ErrorCode::Busy,
            Self::Offline { .. } => ErrorCode::Offline,
            Self::ServerRefused { .. } => ErrorCode::ServerRefused,
            Self::BadAnswer(_) => ErrorCode::BadAnswer,
            Self::Refused(_) => ErrorCode::Refused,
            Self::SchemaTooNew { .. } => ErrorCode::SchemaTooNew,
            Self::NotADatabase(_) => ErrorCode::NotADatabase,
            Self::Damaged(_) => ErrorCode::Damaged,
            Self::Io { .. } => ErrorCode::Io,
            Self::Sqlite(_) => ErrorCode::Database,
            Self::Json(_) => ErrorCode::DataFormat,
            Self::Export(_) => ErrorCode::Export,
            Self::Document(_) => ErrorCode::Document,
            Self::Internal(_) => ErrorCode::Internal,
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

    /// A refused step with one unmet condition.
    pub(crate) fn refused(why: impl Into<String>) -> StoreError {
        StoreError::Refused(Refusal::one(why.into()))
    }

    /// One field's problem.
    pub(crate) fn field(field: &str, code: &str, message: impl Into<String>) -> StoreError {
        StoreError::Validation(ValidationErrors(vec![hearing_core::FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }]))
    }
}

impl From<hearing_sync::client::ClientError> for StoreError {
    fn from(e: hearing_sync::client::ClientError) -> StoreError {
        use hearing_sync::client::ClientError;
        match e {
            ClientError::Offline { url, detail } => StoreError::Offline { url, detail },
            ClientError::Server {
                status,
                code,
                message,
            } => StoreError::ServerRefused {
                status,
                code,
                message,
            },
            ClientError::Protocol(m) => StoreError::BadAnswer(m),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn every_code_reads_back_and_serialises_as_written() {
        for c in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(c.as_str()), Some(c));
            let json = serde_json::to_string(&c).expect("json");
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
    }
}
