//! The one error type every command returns: a stable code the UI classifies by, a Chinese
//! message to show, and per-field problems for forms.

use hearing_core::FieldError;
use hearing_store::StoreError;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppError {
    pub code: String,
    pub message: String,
    pub fields: Vec<FieldError>,
    /// For a refused step: every condition that is not met, one per line.
    pub unmet: Vec<String>,
}

impl AppError {
    pub fn new(code: &str, message: impl Into<String>) -> AppError {
        AppError {
            code: code.to_owned(),
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
            code: e.code().to_owned(),
            message: e.to_string(),
            fields,
            unmet,
        }
    }
}

pub type CmdResult<T> = Result<T, AppError>;
