//! Blobs as files `<data>/blobs/ab/cdef…`, written atomically (temporary file in
//! `<data>/blobs/tmp`, fsync, rename, fsync of the folder). Both stores keep blobs this way, so a
//! database holds only rows and a blob is never half written.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::storage::{StoreError, StoreResult};

/// The blob folder of a data directory.
#[derive(Debug, Clone)]
pub struct BlobDir {
    root: PathBuf,
}

fn backend(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

impl BlobDir {
    /// Creates `<data>/blobs/tmp` when missing.
    pub fn open(data: &Path) -> StoreResult<BlobDir> {
        let root = data.join("blobs");
        fs::create_dir_all(root.join("tmp")).map_err(|e| {
            StoreError::Invalid(format!("无法创建数据目录 {}：{e}", data.display()))
        })?;
        Ok(BlobDir { root })
    }

    fn path(&self, sha256: &str) -> PathBuf {
        let (head, tail) = sha256.split_at(2.min(sha256.len()));
        self.root.join(head).join(tail)
    }

    /// Stores the bytes durably; `true` when new, `false` when already held.
    pub async fn put(&self, sha256: &str, bytes: Vec<u8>) -> StoreResult<bool> {
        let path = self.path(sha256);
        let tmp = self.root.join("tmp");
        tokio::task::spawn_blocking(move || {
            if path.is_file() {
                return Ok(false);
            }
            write_atomically(&tmp, &path, &bytes).map_err(backend)?;
            Ok(true)
        })
        .await
        .map_err(|e| StoreError::Backend(format!("写入文件任务异常终止：{e}")))?
    }

    pub async fn get(&self, sha256: &str) -> StoreResult<Option<Vec<u8>>> {
        match tokio::fs::read(self.path(sha256)).await {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(backend(e)),
        }
    }

    pub async fn len(&self, sha256: &str) -> StoreResult<Option<u64>> {
        match tokio::fs::metadata(self.path(sha256)).await {
            Ok(m) => Ok(Some(m.len())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(backend(e)),
        }
    }
}

/// Writes `bytes` to `path` so that the file is either absent or whole: a temporary file in
/// `tmp_dir`, fsync, rename, fsync of the folder.
fn write_atomically(tmp_dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("blob path without a folder"))?;
    fs::create_dir_all(dir)?;
    fs::create_dir_all(tmp_dir)?;
    let mut rnd = [0u8; 8];
    getrandom::fill(&mut rnd).map_err(|e| std::io::Error::other(e.to_string()))?;
    let tmp = tmp_dir.join(hex::encode(rnd));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        fs::File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
