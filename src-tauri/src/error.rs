//! The one error type every command returns: a stable code the UI classifies by (a union of
//! literals in TypeScript, [`ErrorCode`]), a Chinese message to show, and per-field problems for
//! forms.

use hearing_core::FieldError;
pub use hearing_store::ErrorCode;
use hearing_store::StoreError;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    pub fields: Vec<FieldError>,
    /// For a refused step: every condition that is not met, one per line.
    pub unmet: Vec<String>,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError {
            code,
            message: message.into(),
            fields: Vec::new(),
            unmet: Vec::new(),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        let fields = match &e {
            StoreError::Validation(v) => v.0.clone(),
            _ => Vec::new(),
        };
        let unmet = match &e {
            StoreError::Refused(r) => r.unmet.clone(),
            _ => Vec::new(),
        };
        AppError {
            code: e.code(),
            message: e.to_string(),
            fields,
            unmet,
        }
    }
}

pub type CmdResult<T> = Result<T, AppError>;
