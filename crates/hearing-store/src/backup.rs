//! Backup and restore of a whole desk in one file, taken while the desk is in use.
//!
//! The database is copied with SQLite's online backup (a consistent snapshot, page by page, other
//! writers only briefly held), into a copy keyed like the original: on a desk with accounts the
//! backup holds the encrypted database, the key slots and the sealed scans — nothing in it is
//! readable without an operator's password. A desk without accounts makes an unencrypted backup
//! and says so.
//!
//! File layout: `HDBACKUP1\n`, a little-endian u32 length and a JSON header (what the backup is,
//! every file's name, length and SHA-256), then the files' bytes in header order. Restoring checks
//! every hash and the database's integrity before touching the target, and moves whatever was
//! there aside instead of deleting it.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use hearing_core::access::Permission;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::keys::{DbKey, KeySlots, KEYS_FILE};
use crate::{Result, Store, StoreError, DB_FILE};

const MAGIC: &[u8; 10] = b"HDBACKUP1\n";
/// Largest header accepted (a corrupt length must not allocate gigabytes).
const MAX_HEADER: u32 = 16 * 1024 * 1024;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BackupFile {
    pub name: String,
    pub len: u64,
    pub sha256: String,
}

/// What a backup holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BackupHeader {
    pub format: u32,
    pub created_at: String,
    pub app_version: String,
    pub encrypted: bool,
    pub schema_version: i64,
    pub device_id: String,
    pub files: Vec<BackupFile>,
}

/// Progress of a backup or restore: what is being done and how far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress<'a> {
    pub stage: &'a str,
    pub done: u64,
    pub total: u64,
}

fn io(e: std::io::Error, p: &Path) -> StoreError {
    StoreError::Io {
        path: p.display().to_string(),
        source: e,
    }
}

/// The backup file is damaged, incomplete or not a backup.
fn bad(msg: impl Into<String>) -> StoreError {
    StoreError::Damaged(msg.into())
}

fn sha256_file(path: &Path) -> Result<(u64, String)> {
    let mut f = std::fs::File::open(path).map_err(|e| io(e, path))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut n = 0u64;
    loop {
        let got = f.read(&mut buf).map_err(|e| io(e, path))?;
        if got == 0 {
            break;
        }
        h.update(&buf[..got]);
        n += got as u64;
    }
    Ok((n, hex::encode(h.finalize())))
}

/// A restored desk leaves the sync network until it is enrolled again: its change numbers
/// start again where the backup was taken, and the server may already hold changes with those
/// numbers from before the restore — sent again under the same device, they would be taken for
/// those and dropped. Enrolment with a new code gives a new device (new change ids, a new audit
/// chain on the server); the server URL is kept to fill the form, and when it happened is noted.
fn forget_enrolment(conn: &Connection) -> Result<bool> {
    let enrolled: bool = conn
        .query_row(
            "SELECT count(*) FROM desk_meta WHERE key = 'sync_token'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map_err(StoreError::from_open)?
        > 0;
    if enrolled {
        conn.execute_batch(&format!(
            "DELETE FROM desk_meta WHERE key IN ('sync_token', 'sync_audit_pushed');
             INSERT INTO desk_meta (key, value) VALUES ('restored_unenrolled', '{}')
             ON CONFLICT (key) DO UPDATE SET value = excluded.value;",
            crate::timestamp(crate::now())
        ))?;
    }
    Ok(enrolled)
}

fn open_with(path: &Path, key: Option<&DbKey>) -> Result<Connection> {
    let conn = crate::open_connection(path)?;
    if let Some(k) = key {
        conn.execute_batch(&format!(
            "PRAGMA key = \"{}\";",
            k.pragma_literal().as_str()
        ))?;
    }
    Ok(conn)
}

impl Store {
    /// Writes a backup of this desk to `out` (replaced atomically when complete). Administrators
    /// only on a desk with accounts. Returns the header written.
    pub fn backup_to(
        &self,
        out: &Path,
        mut progress: impl FnMut(Progress),
    ) -> Result<BackupHeader> {
        self.require(Permission::ManageSettings)?;
        let dir = self
            .path
            .parent()
            .map(Path::to_owned)
            .ok_or_else(|| StoreError::Internal("数据库路径无效".into()))?;
        let out_dir = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_owned)
            .unwrap_or_else(|| PathBuf::from("."));
        let snapshot = out_dir.join(format!(
            ".hearingdesk-backup-{}.db",
            uuid::Uuid::now_v7().simple()
        ));
        let result = self.backup_with_snapshot(&dir, out, &snapshot, &mut progress);
        let _ = std::fs::remove_file(&snapshot);
        result
    }

    fn backup_with_snapshot(
        &self,
        dir: &Path,
        out: &Path,
        snapshot: &Path,
        progress: &mut impl FnMut(Progress),
    ) -> Result<BackupHeader> {
        {
            let mut dst = open_with(snapshot, self.key.as_ref())?;
            let b = rusqlite::backup::Backup::new(&self.conn, &mut dst)?;
            loop {
                let step = b.step(256)?;
                let p = b.progress();
                let total = p.pagecount.max(1) as u64;
                progress(Progress {
                    stage: "复制数据库",
                    done: total - (p.remaining.max(0) as u64).min(total),
                    total,
                });
                match step {
                    rusqlite::backup::StepResult::Done => break,
                    rusqlite::backup::StepResult::More => {}
                    _ => std::thread::sleep(std::time::Duration::from_millis(20)),
                }
            }
        }
        let mut files: Vec<(String, PathBuf)> = vec![(DB_FILE.to_owned(), snapshot.to_owned())];
        if self.key.is_some() {
            files.push((KEYS_FILE.to_owned(), KeySlots::path(dir)));
        }
        let scans = dir.join("scans");
        if let Ok(entries) = std::fs::read_dir(&scans) {
            let mut names: Vec<String> = entries
                .filter_map(|e| e.ok())
                .filter(|e| e.path().is_file())
                .filter_map(|e| e.file_name().to_str().map(str::to_owned))
                .filter(|n| !n.ends_with(".part"))
                .collect();
            names.sort();
            for n in names {
                files.push((format!("scans/{n}"), scans.join(&n)));
            }
        }
        let mut listed = Vec::with_capacity(files.len());
        for (name, path) in &files {
            let (len, sha256) = sha256_file(path)?;
            listed.push(BackupFile {
                name: name.clone(),
                len,
                sha256,
            });
        }
        let header = BackupHeader {
            format: 1,
            created_at: crate::timestamp(crate::now()),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            encrypted: self.key.is_some(),
            schema_version: self.schema_version()?,
            device_id: self.device_id.clone(),
            files: listed,
        };
        let total: u64 = header.files.iter().map(|f| f.len).sum();
        let part = out.with_file_name(format!(
            "{}.part",
            out.file_name().and_then(|n| n.to_str()).unwrap_or("backup")
        ));
        {
            let mut w =
                std::io::BufWriter::new(std::fs::File::create(&part).map_err(|e| io(e, &part))?);
            let head = serde_json::to_vec(&header)?;
            w.write_all(MAGIC).map_err(|e| io(e, &part))?;
            w.write_all(&(head.len() as u32).to_le_bytes())
                .map_err(|e| io(e, &part))?;
            w.write_all(&head).map_err(|e| io(e, &part))?;
            let mut done = 0u64;
            for (f, (_, path)) in header.files.iter().zip(&files) {
                let mut r = std::fs::File::open(path).map_err(|e| io(e, path))?;
                let copied =
                    std::io::copy(&mut (&mut r).take(f.len), &mut w).map_err(|e| io(e, &part))?;
                if copied != f.len {
                    return Err(StoreError::refused(format!(
                        "{} 在备份过程中被改动，请重试",
                        f.name
                    )));
                }
                done += f.len;
                progress(Progress {
                    stage: "写入备份文件",
                    done,
                    total,
                });
            }
            let file = w.into_inner().map_err(|e| io(e.into_error(), &part))?;
            file.sync_all().map_err(|e| io(e, &part))?;
        }
        std::fs::rename(&part, out).map_err(|e| io(e, out))?;
        Ok(header)
    }
}

/// Reads and checks a backup's header (the file's content is checked by [`restore`]).
pub fn read_header(backup: &Path) -> Result<BackupHeader> {
    let mut f = std::fs::File::open(backup).map_err(|e| io(e, backup))?;
    read_header_from(&mut f, backup)
}

fn read_header_from(f: &mut impl Read, backup: &Path) -> Result<BackupHeader> {
    let not_backup = || {
        bad(format!(
            "{} 不是听证工作台备份文件，或已损坏",
            backup.display()
        ))
    };
    let mut magic = [0u8; 10];
    f.read_exact(&mut magic).map_err(|_| not_backup())?;
    if &magic != MAGIC {
        return Err(not_backup());
    }
    let mut len = [0u8; 4];
    f.read_exact(&mut len).map_err(|_| not_backup())?;
    let len = u32::from_le_bytes(len);
    if len == 0 || len > MAX_HEADER {
        return Err(not_backup());
    }
    let mut head = vec![0u8; len as usize];
    f.read_exact(&mut head).map_err(|_| not_backup())?;
    let header: BackupHeader = serde_json::from_slice(&head).map_err(|_| not_backup())?;
    if header.format != 1 {
        return Err(StoreError::refused(format!(
            "备份格式版本 {} 不受支持，请升级听证工作台",
            header.format
        )));
    }
    for file in &header.files {
        let safe = file.name == DB_FILE
            || file.name == KEYS_FILE
            || file.name.strip_prefix("scans/").is_some_and(|n| {
                !n.is_empty() && !n.contains(['/', '\\']) && n != ".." && n != "."
            });
        if !safe {
            return Err(bad(format!("备份中的文件名“{}”无效，拒绝恢复", file.name)));
        }
    }
    if !header.files.iter().any(|f| f.name == DB_FILE) {
        return Err(not_backup());
    }
    Ok(header)
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RestoreReport {
    pub header: BackupHeader,
    /// Where the desk's previous files were moved, if there were any.
    pub moved_aside: Option<String>,
    /// The backup was of an enrolled desk: the restored desk syncs again only after a new
    /// enrolment (see `forget_enrolment`).
    pub sync_unenrolled: bool,
}

/// Restores `backup` into the data directory `dir`. An encrypted backup needs the login and
/// password of one of its operators (as they were when the backup was made). Every file's hash
/// and the database's integrity are checked first; then the desk's current files, if any, are
/// moved into `dir/before-restore-<time>/` (only with `replace`; otherwise a desk that has a
/// database is refused) and the backup's files put in their place.
pub fn restore(
    backup: &Path,
    dir: &Path,
    login: Option<(&str, &str)>,
    replace: bool,
    mut progress: impl FnMut(Progress),
) -> Result<RestoreReport> {
    let mut f = std::io::BufReader::new(std::fs::File::open(backup).map_err(|e| io(e, backup))?);
    let header = read_header_from(&mut f, backup)?;
    let has_db = dir.join(DB_FILE).exists();
    if has_db && !replace {
        return Err(StoreError::refused(format!(
            "{} 中已有数据库。确认要用备份替换时，请选择“替换”（命令行加 --replace）：现有文件会移到 before-restore-时间 文件夹，不会删除",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| io(e, dir))?;
    let staging = dir.join(format!(".restore-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(staging.join("scans")).map_err(|e| io(e, &staging))?;
    let result = (|| -> Result<RestoreReport> {
        let total: u64 = header.files.iter().map(|f| f.len).sum();
        let mut done = 0u64;
        for file in &header.files {
            let target = staging.join(&file.name);
            let mut w = std::fs::File::create(&target).map_err(|e| io(e, &target))?;
            let mut h = Sha256::new();
            let mut left = file.len;
            let mut buf = vec![0u8; 1 << 16];
            while left > 0 {
                let want = left.min(buf.len() as u64) as usize;
                f.read_exact(&mut buf[..want])
                    .map_err(|_| bad(format!("备份文件不完整：{} 缺少内容", file.name)))?;
                h.update(&buf[..want]);
                w.write_all(&buf[..want]).map_err(|e| io(e, &target))?;
                left -= want as u64;
                done += want as u64;
                progress(Progress {
                    stage: "读取并校验备份",
                    done,
                    total,
                });
            }
            w.sync_all().map_err(|e| io(e, &target))?;
            if hex::encode(h.finalize()) != file.sha256 {
                return Err(bad(format!(
                    "备份中的 {} 校验值不符：备份文件已损坏或被改动，未作任何恢复",
                    file.name
                )));
            }
        }
        let key = if header.encrypted {
            let Some(mut slots) = KeySlots::load(&staging)? else {
                return Err(bad("加密备份中缺少钥匙文件，无法恢复"));
            };
            let Some((user, password)) = login else {
                return Err(StoreError::Auth(
                    "这是加密备份：请输入备份时本机一名操作员的用户名和密码".into(),
                ));
            };
            let (_, key) = slots.unlock(user, password, chrono::Utc::now())?;
            Some(key)
        } else {
            None
        };
        progress(Progress {
            stage: "检查数据库完整性",
            done: 0,
            total: 1,
        });
        let unenrolled;
        {
            let conn = open_with(&staging.join(DB_FILE), key.as_ref())?;
            let check: String = conn
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .map_err(StoreError::from_open)?;
            if check != "ok" {
                return Err(bad(format!("备份中的数据库未通过完整性检查：{check}")));
            }
            unenrolled = forget_enrolment(&conn)?;
        }
        let moved_aside = if has_db || dir.join(KEYS_FILE).exists() {
            let aside = dir.join(format!(
                "before-restore-{}",
                chrono::Local::now().format("%Y%m%d-%H%M%S")
            ));
            std::fs::create_dir_all(&aside).map_err(|e| io(e, &aside))?;
            for name in [
                DB_FILE.to_owned(),
                format!("{DB_FILE}-wal"),
                format!("{DB_FILE}-shm"),
                KEYS_FILE.to_owned(),
                "scans".to_owned(),
            ] {
                let from = dir.join(&name);
                if from.exists() {
                    std::fs::rename(&from, aside.join(&name)).map_err(|e| io(e, &from))?;
                }
            }
            Some(aside.display().to_string())
        } else {
            None
        };
        // The database last: until it is in place the desk does not open as restored.
        for name in [KEYS_FILE, "scans", DB_FILE] {
            let from = staging.join(name);
            if from.exists() {
                let to = dir.join(name);
                std::fs::rename(&from, &to).map_err(|e| io(e, &to))?;
            }
        }
        progress(Progress {
            stage: "完成",
            done: 1,
            total: 1,
        });
        Ok(RestoreReport {
            header: header.clone(),
            moved_aside,
            sync_unenrolled: unenrolled,
        })
    })();
    let _ = std::fs::remove_dir_all(&staging);
    result
}
