//! HearingDesk sync server (docs/sync-protocol.md): the city committee's relay with an org-scoped
//! change log, device enrolment and content-addressed blobs.
//!
//! - [`storage`]: the one storage trait; [`sqlite`]: its embedded SQLite implementation (the
//!   default); [`postgres`]: its PostgreSQL implementation (`--database postgres://…`);
//!   [`blobs`]: blob files, shared by both;
//! - [`logic`]: the protocol's rules that do not depend on the store (org scoping, codes, tokens);
//! - [`api`]: the HTTP API on axum; [`admin`]: the admin commands of the binary.

use std::path::Path;
use std::sync::Arc;

pub mod admin;
pub mod api;
pub mod blobs;
pub mod logic;
pub mod postgres;
pub mod sqlite;
pub mod storage;

/// Opens the store the command line names: PostgreSQL when `database` is given (blobs under
/// `data` when given), else SQLite in `data`. The error is said in Chinese.
pub async fn open_store(
    data: Option<&Path>,
    database: Option<&str>,
) -> Result<Arc<dyn storage::Storage>, String> {
    match database {
        Some(url) => Ok(Arc::new(
            postgres::PostgresStorage::connect(url, data)
                .await
                .map_err(|e| e.to_string())?,
        )),
        None => {
            let data =
                data.ok_or("请用 --data 指定数据目录（或用 --database 指定 PostgreSQL 数据库）")?;
            Ok(Arc::new(
                sqlite::SqliteStorage::open(data).map_err(|e| e.to_string())?,
            ))
        }
    }
}
