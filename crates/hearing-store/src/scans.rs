//! Attached files (scans of signed documents) kept beside the database. On a desk with accounts
//! they are encrypted like the database: AES-256-GCM under a key derived from the database key,
//! the file named by the SHA-256 of its plain content (bound into the encryption as associated
//! data, so a file renamed or swapped does not decrypt).
//!
//! Format: `HDENC1` · 12-byte nonce · ciphertext with tag.

use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};

use crate::keys::DbKey;
use crate::{Result, StoreError};

const MAGIC: &[u8; 6] = b"HDENC1";

fn cipher(key: &DbKey) -> Result<Aes256Gcm> {
    let k = key.derive("attachments");
    Aes256Gcm::new_from_slice(k.bytes()).map_err(|e| StoreError::Auth(format!("附件密钥无效：{e}")))
}

/// The name a file is stored under, without the extension: the associated data.
fn aad(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned()
}

pub fn is_sealed(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

fn seal(key: &DbKey, path: &Path, plain: &[u8]) -> Result<Vec<u8>> {
    let mut nonce = [0u8; 12];
    getrandom::fill(&mut nonce).map_err(|e| StoreError::Auth(format!("无法取得随机数：{e}")))?;
    let name = aad(path);
    let ct = cipher(key)?
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: plain,
                aad: name.as_bytes(),
            },
        )
        .map_err(|_| StoreError::Auth("无法加密附件".into()))?;
    let mut out = Vec::with_capacity(MAGIC.len() + 12 + ct.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

fn unseal(key: &DbKey, path: &Path, data: &[u8]) -> Result<Vec<u8>> {
    let body = &data[MAGIC.len()..];
    if body.len() < 12 + 16 {
        return Err(StoreError::Damaged(format!(
            "附件 {} 已损坏",
            path.display()
        )));
    }
    let (nonce, ct) = body.split_at(12);
    let name = aad(path);
    cipher(key)?
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ct,
                aad: name.as_bytes(),
            },
        )
        .map_err(|_| {
            StoreError::Damaged(format!("附件 {} 已损坏或被替换，无法解密", path.display()))
        })
}

fn io(e: std::io::Error, p: &Path) -> StoreError {
    StoreError::Io {
        path: p.display().to_string(),
        source: e,
    }
}

/// Writes an attachment: sealed when the desk has a key, else as is.
pub(crate) fn write(key: Option<&DbKey>, path: &Path, plain: &[u8]) -> Result<()> {
    let bytes = match key {
        Some(k) => seal(k, path, plain)?,
        None => plain.to_vec(),
    };
    let tmp = path.with_extension("part");
    std::fs::write(&tmp, &bytes).map_err(|e| io(e, &tmp))?;
    std::fs::rename(&tmp, path).map_err(|e| io(e, path))
}

/// Reads an attachment back in plain.
pub(crate) fn read(key: Option<&DbKey>, path: &Path) -> Result<Vec<u8>> {
    let data = std::fs::read(path).map_err(|e| io(e, path))?;
    if !is_sealed(&data) {
        return Ok(data);
    }
    match key {
        Some(k) => unseal(k, path, &data),
        None => Err(StoreError::Auth("附件已加密，请先登录".into())),
    }
}

/// Seals every plain attachment under `<dir>/scans` (when accounts are set up).
pub(crate) fn encrypt_all(dir: &Path, key: &DbKey) -> Result<()> {
    let scans = dir.join("scans");
    let entries = match std::fs::read_dir(&scans) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(e, &scans)),
    };
    for entry in entries {
        let path = entry.map_err(|e| io(e, &scans))?.path();
        if !path.is_file() || path.extension().is_some_and(|e| e == "part") {
            continue;
        }
        let data = std::fs::read(&path).map_err(|e| io(e, &path))?;
        if !is_sealed(&data) {
            write(Some(key), &path, &data)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_files_open_only_under_their_own_name_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let key = DbKey::random().unwrap();
        let a = dir.path().join("aaaa.png");
        write(Some(&key), &a, b"scan").unwrap();
        assert!(is_sealed(&std::fs::read(&a).unwrap()));
        assert_eq!(read(Some(&key), &a).unwrap(), b"scan");
        // Renamed (another document's name): refused.
        let b = dir.path().join("bbbb.png");
        std::fs::copy(&a, &b).unwrap();
        assert!(read(Some(&key), &b).is_err());
        // Another desk's key, or none: refused.
        assert!(read(Some(&DbKey::random().unwrap()), &a).is_err());
        assert!(read(None, &a).is_err());
        // Plain files (a desk without accounts) read as they are.
        let c = dir.path().join("cccc.png");
        write(None, &c, b"plain").unwrap();
        assert_eq!(read(Some(&key), &c).unwrap(), b"plain");
    }
}
