//! Key slots: the database is encrypted (SQLCipher) with one random 256-bit key; each operator's
//! password unlocks a copy of that key. A slot holds the Argon2id parameters and salt, and the
//! database key encrypted (AES-256-GCM) with the key derived from the password. Changing a
//! password rewrites one slot and removing an operator deletes one; the database is never
//! re-encrypted. A wrong password fails the GCM tag check — no password hash is stored besides.
//!
//! The slots live in `keys.json` next to the database (they must be readable before the database
//! can be opened). Failed attempts and the lock-out time are kept in the slot for the same reason.

use std::path::{Path, PathBuf};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::{Result, StoreError};

/// The key slots file inside a desk's data directory.
pub const KEYS_FILE: &str = "keys.json";

/// Failed logins in a row that lock a slot, and for how long.
pub const MAX_FAILED: u32 = 5;
pub const LOCK_MINUTES: i64 = 15;

/// The database key. Zeroed when dropped.
#[derive(Clone)]
pub struct DbKey(Zeroizing<[u8; 32]>);

impl DbKey {
    pub fn random() -> Result<DbKey> {
        let mut k = Zeroizing::new([0u8; 32]);
        fill_random(&mut k[..])?;
        Ok(DbKey(k))
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The SQLCipher raw-key literal `x'…'` (the key is used as is, no PBKDF2 on every open).
    pub(crate) fn pragma_literal(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::with_capacity(67));
        s.push_str("x'");
        for b in self.0.iter() {
            s.push_str(&format!("{b:02x}"));
        }
        s.push('\'');
        s
    }

    /// A key for another purpose (attachments, backups), derived so that it never equals the
    /// database key itself.
    pub fn derive(&self, purpose: &str) -> DbKey {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"HearingDesk key derivation v1\0");
        h.update(purpose.as_bytes());
        h.update([0]);
        h.update(self.0.as_slice());
        let mut out = Zeroizing::new([0u8; 32]);
        out.copy_from_slice(&h.finalize());
        DbKey(out)
    }
}

impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbKey(…)")
    }
}

/// Argon2id cost. The default (64 MiB, 3 passes) takes about half a second here; tests of debug
/// builds may ask for a cheap one with `HEARINGDESK_TEST_FAST_KDF=1` (ignored by release builds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
}

impl KdfParams {
    pub fn for_new_slot() -> KdfParams {
        if cfg!(debug_assertions)
            && std::env::var_os("HEARINGDESK_TEST_FAST_KDF").is_some_and(|v| v == "1")
        {
            return KdfParams {
                m_kib: 1024,
                t: 1,
                p: 1,
            };
        }
        KdfParams {
            m_kib: 64 * 1024,
            t: 3,
            p: 1,
        }
    }
}

/// One operator's copy of the database key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Slot {
    pub operator_id: String,
    /// Login name, compared case-sensitively after trimming.
    pub login: String,
    pub kdf: KdfParams,
    pub salt: String,
    pub nonce: String,
    pub wrapped_key: String,
    #[serde(default)]
    pub failed: u32,
    /// RFC 3339; logins are refused until then.
    #[serde(default)]
    pub locked_until: Option<String>,
}

/// The slots file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct KeySlots {
    pub version: u32,
    /// Random id of the encrypted database, bound into every slot (a slot copied from another
    /// desk does not open this one).
    pub database_id: String,
    pub slots: Vec<Slot>,
}

impl KeySlots {
    pub fn path(dir: &Path) -> PathBuf {
        dir.join(KEYS_FILE)
    }

    /// The slots of the desk in `dir`; `None` when the desk has no accounts yet.
    pub fn load(dir: &Path) -> Result<Option<KeySlots>> {
        let path = Self::path(dir);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(StoreError::Io {
                    path: path.display().to_string(),
                    source: e,
                })
            }
        };
        let slots: KeySlots = serde_json::from_str(&text).map_err(|e| {
            StoreError::Auth(format!(
                "钥匙文件 {} 已损坏，无法读取（{e}）；请从备份恢复",
                path.display()
            ))
        })?;
        if slots.version != 1 {
            return Err(StoreError::Auth(format!(
                "钥匙文件 {} 的格式版本 {} 不受支持，请升级听证工作台",
                path.display(),
                slots.version
            )));
        }
        Ok(Some(slots))
    }

    /// Writes the file atomically (temporary file, fsync, rename), readable by the owner only.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = Self::path(dir);
        let tmp = dir.join(format!("{KEYS_FILE}.tmp"));
        let io = |e: std::io::Error, p: &Path| StoreError::Io {
            path: p.display().to_string(),
            source: e,
        };
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| StoreError::Auth(format!("无法写出钥匙文件：{e}")))?;
        {
            use std::io::Write as _;
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt as _;
                opts.mode(0o600);
            }
            let mut f = opts.open(&tmp).map_err(|e| io(e, &tmp))?;
            f.write_all(text.as_bytes()).map_err(|e| io(e, &tmp))?;
            f.sync_all().map_err(|e| io(e, &tmp))?;
        }
        std::fs::rename(&tmp, &path).map_err(|e| io(e, &path))?;
        Ok(())
    }

    pub fn new_database() -> Result<KeySlots> {
        Ok(KeySlots {
            version: 1,
            database_id: uuid::Uuid::now_v7().to_string(),
            slots: Vec::new(),
        })
    }

    pub fn find(&self, login: &str) -> Option<&Slot> {
        let login = login.trim();
        self.slots.iter().find(|s| s.login == login)
    }

    /// Adds (or replaces) the slot of `operator_id` so that `password` unlocks `key`.
    pub fn put(
        &mut self,
        operator_id: &str,
        login: &str,
        password: &str,
        key: &DbKey,
    ) -> Result<()> {
        let kdf = KdfParams::for_new_slot();
        let mut salt = [0u8; 16];
        fill_random(&mut salt)?;
        let mut nonce = [0u8; 12];
        fill_random(&mut nonce)?;
        let kek = derive_kek(password, &salt, kdf)?;
        let cipher = Aes256Gcm::new_from_slice(&kek[..])
            .map_err(|e| StoreError::Auth(format!("密钥长度错误：{e}")))?;
        let aad = self.aad(operator_id);
        let wrapped = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: key.bytes(),
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| StoreError::Auth("无法加密数据库密钥".into()))?;
        let slot = Slot {
            operator_id: operator_id.to_owned(),
            login: login.trim().to_owned(),
            kdf,
            salt: B64.encode(salt),
            nonce: B64.encode(nonce),
            wrapped_key: B64.encode(wrapped),
            failed: 0,
            locked_until: None,
        };
        self.slots.retain(|s| s.operator_id != operator_id);
        self.slots.push(slot);
        Ok(())
    }

    pub fn remove(&mut self, operator_id: &str) -> bool {
        let before = self.slots.len();
        self.slots.retain(|s| s.operator_id != operator_id);
        self.slots.len() != before
    }

    /// Opens the slot of `login` with `password`: the database key, or why not. Counts failures
    /// and locks the slot after [`MAX_FAILED`] in a row; the caller saves the file afterwards.
    pub fn unlock(
        &mut self,
        login: &str,
        password: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(String, DbKey)> {
        let aad_base = self.database_id.clone();
        let login = login.trim();
        let Some(slot) = self.slots.iter_mut().find(|s| s.login == login) else {
            return Err(StoreError::Auth("用户名或密码不正确".into()));
        };
        if let Some(until) = slot
            .locked_until
            .as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        {
            if until > now {
                let local = until.with_timezone(&chrono_tz::Asia::Shanghai);
                return Err(StoreError::Auth(format!(
                    "密码连续输错 {MAX_FAILED} 次，账号已锁定至 {}；请稍后再试或请管理员重设密码",
                    local.format("%H:%M")
                )));
            }
        }
        let opened = open_slot(slot, password, &aad_base);
        match opened {
            Ok(key) => {
                slot.failed = 0;
                slot.locked_until = None;
                Ok((slot.operator_id.clone(), key))
            }
            Err(StoreError::Auth(_)) => {
                slot.failed += 1;
                if slot.failed >= MAX_FAILED {
                    slot.failed = 0;
                    slot.locked_until =
                        Some((now + chrono::Duration::minutes(LOCK_MINUTES)).to_rfc3339());
                    return Err(StoreError::Auth(format!(
                        "密码连续输错 {MAX_FAILED} 次，账号锁定 {LOCK_MINUTES} 分钟"
                    )));
                }
                Err(StoreError::Auth(format!(
                    "用户名或密码不正确（还可再试 {} 次）",
                    MAX_FAILED - slot.failed
                )))
            }
            Err(e) => Err(e),
        }
    }

    fn aad(&self, operator_id: &str) -> String {
        slot_aad(&self.database_id, operator_id)
    }
}

fn open_slot(slot: &Slot, password: &str, database_id: &str) -> Result<DbKey> {
    let corrupt = || StoreError::Auth(format!("钥匙文件中“{}”的记录已损坏", slot.login));
    let salt = B64.decode(&slot.salt).map_err(|_| corrupt())?;
    let nonce = B64.decode(&slot.nonce).map_err(|_| corrupt())?;
    let wrapped = B64.decode(&slot.wrapped_key).map_err(|_| corrupt())?;
    if nonce.len() != 12 || salt.len() < 8 {
        return Err(corrupt());
    }
    // Refuse absurd parameters from a tampered file instead of allocating gigabytes.
    let k = slot.kdf;
    if k.m_kib > 4 * 1024 * 1024 || k.t > 64 || k.p > 16 {
        return Err(StoreError::Auth(format!(
            "钥匙文件中“{}”的参数不合理，拒绝使用",
            slot.login
        )));
    }
    let kek = derive_kek(password, &salt, k)?;
    let cipher = Aes256Gcm::new_from_slice(&kek[..]).map_err(|_| corrupt())?;
    let aad = slot_aad(database_id, &slot.operator_id);
    let plain = Zeroizing::new(
        cipher
            .decrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: &wrapped,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| StoreError::Auth("用户名或密码不正确".into()))?,
    );
    if plain.len() != 32 {
        return Err(corrupt());
    }
    let mut key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(&plain);
    Ok(DbKey(key))
}

fn slot_aad(database_id: &str, operator_id: &str) -> String {
    format!("hearingdesk-slot-v1\0{database_id}\0{operator_id}")
}

fn derive_kek(password: &str, salt: &[u8], kdf: KdfParams) -> Result<Zeroizing<[u8; 32]>> {
    let params = Params::new(kdf.m_kib, kdf.t, kdf.p, Some(32))
        .map_err(|e| StoreError::Auth(format!("密钥派生参数无效：{e}")))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(password.as_bytes(), salt, &mut out[..])
        .map_err(|e| StoreError::Auth(format!("无法由密码派生密钥：{e}")))?;
    Ok(out)
}

fn fill_random(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| StoreError::Auth(format!("无法取得随机数：{e}")))
}
