//! Operator accounts and encryption at rest.
//!
//! A new desk works without accounts (a plain database, everything allowed) until the first
//! administrator is set up; from then on the database is encrypted with SQLCipher under a random
//! key, each operator's password unlocks a copy of that key ([`crate::keys`]), and every write
//! checks the logged-in operator's role ([`Store::require`]).
//!
//! Setting up accounts converts the plain database in place: it is exported into an encrypted
//! file next to it, the key slots are written, then the encrypted file replaces the plain one.
//! An interruption at any point leaves either the plain database (setup not done) or the
//! encrypted one with its slots; [`finish_interrupted_setup`] completes the last step.

use std::path::{Path, PathBuf};

use chrono::Utc;
use hearing_core::access::{Permission, Role};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::keys::{DbKey, KeySlots};
use crate::{audit, Result, Store, StoreError, DB_FILE};

/// One operator of this desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Operator {
    pub id: String,
    pub login: String,
    pub name: String,
    pub role: Role,
    pub created_at: String,
    pub disabled_at: Option<String>,
    pub last_login_at: Option<String>,
}

/// What an administrator types to add an operator (or to set up the first one).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NewOperator {
    pub login: String,
    pub name: String,
    pub role: Role,
    pub password: String,
}

/// Whether the desk in a data directory has a database and accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum DeskLock {
    /// No accounts yet: the database (if any) is plain and opens without a password.
    Open,
    /// Accounts are set up: the database is encrypted and needs a login.
    Locked,
}

/// Minimum password length.
pub const MIN_PASSWORD: usize = 8;

fn encrypting_path(db: &Path) -> PathBuf {
    db.with_file_name(format!("{DB_FILE}.encrypting"))
}

/// The desk's state, from the files alone (nothing is opened or written).
pub fn desk_lock(dir: &Path) -> Result<DeskLock> {
    Ok(if KeySlots::load(dir)?.is_some() {
        DeskLock::Locked
    } else {
        DeskLock::Open
    })
}

/// After an interruption between writing the key slots and replacing the plain database, puts
/// the (complete, synced) encrypted copy in place.
pub fn finish_interrupted_setup(dir: &Path) -> Result<()> {
    let db = dir.join(DB_FILE);
    let tmp = encrypting_path(&db);
    if tmp.exists() && KeySlots::load(dir)?.is_some() && is_plain_sqlite(&db) {
        std::fs::rename(&tmp, &db).map_err(|e| io(e, &db))?;
        remove_side_files(&db);
    }
    Ok(())
}

fn is_plain_sqlite(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|_| &head == b"SQLite format 3\0")
}

fn remove_side_files(db: &Path) {
    for ext in ["-wal", "-shm"] {
        let p = db.with_file_name(format!("{DB_FILE}{ext}"));
        let _ = std::fs::remove_file(p);
    }
}

fn io(e: std::io::Error, p: &Path) -> StoreError {
    StoreError::Io {
        path: p.display().to_string(),
        source: e,
    }
}

/// Checks what an administrator typed for an operator; every problem in Chinese.
pub fn check_new_operator(o: &NewOperator) -> Result<()> {
    let mut problems = Vec::new();
    let login = o.login.trim();
    if login.is_empty() {
        problems.push("用户名不能为空".to_owned());
    } else if login.chars().count() > 32 {
        problems.push("用户名不能超过 32 个字符".to_owned());
    } else if login.chars().any(|c| c.is_whitespace() || c.is_control()) {
        problems.push("用户名不能含空格或控制字符".to_owned());
    }
    let name = o.name.trim();
    if name.is_empty() {
        problems.push("姓名不能为空".to_owned());
    } else if name.chars().count() > 40 {
        problems.push("姓名不能超过 40 个字符".to_owned());
    }
    if let Err(e) = check_password(&o.password) {
        problems.push(e);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Auth(problems.join("；")))
    }
}

/// A password must be at least [`MIN_PASSWORD`] characters and mix letters and digits.
pub fn check_password(p: &str) -> std::result::Result<(), String> {
    let n = p.chars().count();
    if n < MIN_PASSWORD {
        return Err(format!("密码至少 {MIN_PASSWORD} 位（现为 {n} 位）"));
    }
    if n > 256 {
        return Err("密码不能超过 256 个字符".to_owned());
    }
    let letters = p.chars().any(char::is_alphabetic);
    let digits = p.chars().any(|c| c.is_ascii_digit());
    if !(letters && digits) {
        return Err("密码须同时包含字母和数字".to_owned());
    }
    Ok(())
}

fn row_to_operator(r: &rusqlite::Row) -> rusqlite::Result<Operator> {
    let role: String = r.get(3)?;
    Ok(Operator {
        id: r.get(0)?,
        login: r.get(1)?,
        name: r.get(2)?,
        role: Role::parse(&role).unwrap_or(Role::ReadOnly),
        created_at: r.get(4)?,
        disabled_at: r.get(5)?,
        last_login_at: r.get(6)?,
    })
}

const OPERATOR_COLS: &str = "id, login, name, role, created_at, disabled_at, last_login_at";

pub(crate) fn operator_by_id(conn: &Connection, id: &str) -> Result<Option<Operator>> {
    Ok(conn
        .query_row(
            &format!("SELECT {OPERATOR_COLS} FROM operators WHERE id = ?1"),
            [id],
            row_to_operator,
        )
        .optional()?)
}

/// The actor and device recorded in audit events.
/// Who acts, on which device, and when (the store's clock).
type Who = (String, String, String);

/// An audit event for an accounts step, in the caller's transaction. Accounts are written
/// outside [`Store::write`] on purpose: operators and key slots are this desk's own (never
/// synced, so nothing to log), and most steps run where `Store::write` cannot — before anyone is
/// logged in (the first administrator, a login), or around re-keying the database file, when the
/// operator `write` would check is the one being changed. Each step is audited here instead.
fn audit_only(
    who: &Who,
    conn: &Connection,
    action: &str,
    entity: &str,
    id: &str,
    summary: &str,
) -> Result<()> {
    audit::append(
        conn,
        &audit::NewEvent {
            at: &who.2,
            actor: &who.0,
            device_id: &who.1,
            action,
            entity,
            entity_id: id,
            summary,
            change_ids: &[],
            case_id: None,
        },
    )
}

/// Logs in to the encrypted desk in `dir`: the database opened with the key `password`
/// unlocks, as `login`. Failures are counted in the slot; five in a row lock it for 15 minutes.
pub fn login(dir: &Path, login: &str, password: &str) -> Result<Store> {
    finish_interrupted_setup(dir)?;
    let Some(mut slots) = KeySlots::load(dir)? else {
        return Err(StoreError::Auth(
            "本机尚未设置操作员账户，无需登录（请先由管理员完成首次设置）".into(),
        ));
    };
    let outcome = slots.unlock(login, password, Utc::now());
    slots.save(dir)?;
    let (operator_id, key) = outcome?;
    let mut store = Store::open_keyed(&dir.join(DB_FILE), Some(key))?;
    let Some(op) = operator_by_id(&store.conn, &operator_id)? else {
        return Err(StoreError::Auth("该账户已不存在，请联系管理员".into()));
    };
    if op.disabled_at.is_some() {
        return Err(StoreError::Auth("该账户已停用，请联系管理员".into()));
    }
    store.actor = op.name.clone();
    let now = store.now_text();
    store.enforce_foreign_keys()?;
    let tx = store.conn.transaction()?;
    tx.execute(
        "UPDATE operators SET last_login_at = ?2 WHERE id = ?1",
        params![op.id, now],
    )?;
    tx.commit()?;
    let summary = format!("{}（{}）登录", op.name, op.role.label());
    store.operator = Some(op);
    store.audit_event("登录", "operator", &operator_id, &summary)?;
    Ok(store)
}

impl Store {
    /// The operator logged in, if the desk has accounts.
    pub fn operator(&self) -> Option<&Operator> {
        self.operator.as_ref()
    }

    /// Whether this desk's database is encrypted (accounts are set up).
    pub fn is_encrypted(&self) -> bool {
        self.key.is_some()
    }

    /// Refuses, with a message naming the role and what is missing, unless the logged-in
    /// operator may do `p`. A desk without accounts allows everything.
    pub fn require(&self, p: Permission) -> Result<()> {
        match &self.operator {
            Some(op) if !op.role.allows(p) => Err(StoreError::Forbidden(format!(
                "当前账户“{}”的角色是{}，没有“{}”的权限",
                op.name,
                op.role.label(),
                p.label()
            ))),
            Some(_) => Ok(()),
            None if self.key.is_some() => Err(StoreError::Auth("请先登录".into())),
            None => Ok(()),
        }
    }

    /// Appends an audit event that changes no table (a login, a reveal of personal data).
    pub fn audit_event(
        &mut self,
        action: &str,
        entity: &str,
        id: &str,
        summary: &str,
    ) -> Result<()> {
        let who = (self.actor.clone(), self.device_id.clone(), self.now_text());
        self.enforce_foreign_keys()?;
        let tx = self.conn.transaction()?;
        audit_only(&who, &tx, action, entity, id, summary)?;
        tx.commit()?;
        Ok(())
    }

    /// Every operator of this desk (administrators only; others see themselves).
    pub fn operators(&self) -> Result<Vec<Operator>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {OPERATOR_COLS} FROM operators ORDER BY created_at, login"
        ))?;
        let all = stmt
            .query_map([], row_to_operator)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(match &self.operator {
            Some(me) if !me.role.allows(Permission::ManageOperators) => {
                all.into_iter().filter(|o| o.id == me.id).collect()
            }
            _ => all,
        })
    }

    fn data_dir(&self) -> Result<PathBuf> {
        self.path
            .parent()
            .map(Path::to_owned)
            .ok_or_else(|| StoreError::Auth("数据库路径无效".into()))
    }

    /// Sets up accounts on a desk that has none: creates the administrator and converts the
    /// plain database into an encrypted one (and encrypts the attached scans). Consumes the
    /// store; returns it reopened, logged in as the administrator.
    pub fn setup_accounts(mut self, admin: &NewOperator) -> Result<Store> {
        if self.key.is_some() || self.has_operators()? {
            return Err(StoreError::Auth("本机已设置操作员账户".into()));
        }
        if admin.role != Role::Admin {
            return Err(StoreError::Auth("首个账户必须是管理员".into()));
        }
        check_new_operator(admin)?;
        let dir = self.data_dir()?;
        let key = DbKey::random()?;
        let mut slots = KeySlots::new_database()?;
        let id = uuid::Uuid::now_v7().to_string();
        slots.put(&id, &admin.login, &admin.password, &key)?;
        self.actor = admin.name.trim().to_owned();
        let now = self.now_text();
        {
            let who = (self.actor.clone(), self.device_id.clone(), self.now_text());
            self.enforce_foreign_keys()?;
            let tx = self.conn.transaction()?;
            tx.execute(
                "INSERT INTO operators (id, login, name, role, created_at, created_by, password_changed_at)
                 VALUES (?1, ?2, ?3, 'admin', ?4, ?3, ?4)",
                params![id, admin.login.trim(), admin.name.trim(), now],
            )?;
            let summary = format!(
                "设置操作员账户：管理员 {}（{}），数据库改为加密存储",
                admin.name.trim(),
                admin.login.trim()
            );
            audit_only(&who, &tx, "启用账户和加密", "operator", &id, &summary)?;
            tx.commit()?;
        }
        // Export into an encrypted copy, synced to disk before the slots exist.
        let db = self.path.clone();
        let tmp = encrypting_path(&db);
        let _ = std::fs::remove_file(&tmp);
        let version = self.schema_version()?;
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        let tmp_str = tmp
            .to_str()
            .ok_or_else(|| StoreError::Auth("数据目录路径含无法处理的字符".into()))?;
        self.conn.execute(
            "ATTACH DATABASE ?1 AS enc KEY ?2",
            params![tmp_str, key.pragma_literal().as_str()],
        )?;
        let exported = (|| -> Result<()> {
            self.conn
                .query_row("SELECT sqlcipher_export('enc')", [], |_| Ok(()))?;
            self.conn
                .pragma_update(Some("enc"), "user_version", version)?;
            Ok(())
        })();
        self.conn.execute_batch("DETACH DATABASE enc;")?;
        exported?;
        std::fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(|e| io(e, &tmp))?;
        crate::scans::encrypt_all(&dir, &key)?;
        slots.save(&dir)?;
        drop(self);
        std::fs::rename(&tmp, &db).map_err(|e| io(e, &db))?;
        remove_side_files(&db);
        login(&dir, &admin.login, &admin.password)
    }

    fn has_operators(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM operators)", [], |r| r.get(0))?)
    }

    fn slots(&self) -> Result<(PathBuf, KeySlots, DbKey)> {
        let dir = self.data_dir()?;
        let (Some(slots), Some(key)) = (KeySlots::load(&dir)?, self.key.clone()) else {
            return Err(StoreError::Auth(
                "本机尚未设置操作员账户（设置 → 操作员账户 → 首次设置）".into(),
            ));
        };
        Ok((dir, slots, key))
    }

    /// Adds an operator (administrators only).
    pub fn add_operator(&mut self, o: &NewOperator) -> Result<Operator> {
        self.require(Permission::ManageOperators)?;
        check_new_operator(o)?;
        let (dir, mut slots, key) = self.slots()?;
        let login = o.login.trim();
        let taken: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM operators WHERE login = ?1)",
            [login],
            |r| r.get(0),
        )?;
        if taken || slots.find(login).is_some() {
            return Err(StoreError::Auth(format!("用户名“{login}”已被使用")));
        }
        let id = uuid::Uuid::now_v7().to_string();
        slots.put(&id, login, &o.password, &key)?;
        let now = self.now_text();
        let who = (self.actor.clone(), self.device_id.clone(), self.now_text());
        self.enforce_foreign_keys()?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO operators (id, login, name, role, created_at, created_by, password_changed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5)",
            params![id, login, o.name.trim(), o.role.key(), now, self.actor],
        )?;
        let summary = format!(
            "新增操作员 {}（{}），角色：{}",
            o.name.trim(),
            login,
            o.role.label()
        );
        audit_only(&who, &tx, "新增操作员", "operator", &id, &summary)?;
        // The slot goes to disk before the commit: a crash leaves an unused slot at worst.
        slots.save(&dir)?;
        tx.commit()?;
        operator_by_id(&self.conn, &id)?.ok_or_else(|| StoreError::not_found("操作员", &id))
    }

    /// Changes an operator's role (administrators only; the last administrator stays one).
    pub fn set_operator_role(&mut self, id: &str, role: Role) -> Result<Operator> {
        self.require(Permission::ManageOperators)?;
        let op =
            operator_by_id(&self.conn, id)?.ok_or_else(|| StoreError::not_found("操作员", id))?;
        if op.role == Role::Admin && role != Role::Admin && self.active_admins()? <= 1 {
            return Err(StoreError::Auth("至少要保留一名管理员".into()));
        }
        let who = (self.actor.clone(), self.device_id.clone(), self.now_text());
        self.enforce_foreign_keys()?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE operators SET role = ?2 WHERE id = ?1",
            params![id, role.key()],
        )?;
        let summary = format!(
            "操作员 {} 的角色由{}改为{}",
            op.name,
            op.role.label(),
            role.label()
        );
        audit_only(&who, &tx, "修改操作员角色", "operator", id, &summary)?;
        tx.commit()?;
        if self.operator.as_ref().is_some_and(|me| me.id == id) {
            if let Some(me) = self.operator.as_mut() {
                me.role = role;
            }
        }
        operator_by_id(&self.conn, id)?.ok_or_else(|| StoreError::not_found("操作员", id))
    }

    fn active_admins(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM operators WHERE role = 'admin' AND disabled_at IS NULL",
            [],
            |r| r.get(0),
        )?)
    }

    /// Disables an operator and deletes their key slot: their password no longer opens the
    /// database (administrators only; not oneself, not the last administrator).
    pub fn disable_operator(&mut self, id: &str) -> Result<Operator> {
        self.require(Permission::ManageOperators)?;
        let op =
            operator_by_id(&self.conn, id)?.ok_or_else(|| StoreError::not_found("操作员", id))?;
        if self.operator.as_ref().is_some_and(|me| me.id == id) {
            return Err(StoreError::Auth("不能停用当前登录的账户".into()));
        }
        if op.role == Role::Admin && op.disabled_at.is_none() && self.active_admins()? <= 1 {
            return Err(StoreError::Auth("至少要保留一名管理员".into()));
        }
        let (dir, mut slots, _) = self.slots()?;
        slots.remove(id);
        let now = self.now_text();
        let who = (self.actor.clone(), self.device_id.clone(), self.now_text());
        self.enforce_foreign_keys()?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE operators SET disabled_at = ?2 WHERE id = ?1 AND disabled_at IS NULL",
            params![id, now],
        )?;
        let summary = format!("停用操作员 {}（{}）", op.name, op.login);
        audit_only(&who, &tx, "停用操作员", "operator", id, &summary)?;
        tx.commit()?;
        slots.save(&dir)?;
        operator_by_id(&self.conn, id)?.ok_or_else(|| StoreError::not_found("操作员", id))
    }

    /// Sets a new password for an operator: an administrator for anyone (reset), anyone for
    /// themselves with their current password. Only that operator's slot is rewritten.
    pub fn set_password(&mut self, id: &str, current: Option<&str>, new: &str) -> Result<()> {
        check_password(new).map_err(StoreError::Auth)?;
        let me = self
            .operator
            .clone()
            .ok_or_else(|| StoreError::Auth("请先登录".into()))?;
        let op =
            operator_by_id(&self.conn, id)?.ok_or_else(|| StoreError::not_found("操作员", id))?;
        if op.disabled_at.is_some() {
            return Err(StoreError::Auth("该账户已停用".into()));
        }
        let (dir, mut slots, key) = self.slots()?;
        if me.id == id {
            let current = current.ok_or_else(|| StoreError::Auth("请输入当前密码".into()))?;
            slots
                .unlock(&op.login, current, Utc::now())
                .map_err(|_| StoreError::Auth("当前密码不正确".into()))?;
        } else {
            self.require(Permission::ManageOperators)?;
        }
        slots.put(id, &op.login, new, &key)?;
        let now = self.now_text();
        let who = (self.actor.clone(), self.device_id.clone(), self.now_text());
        self.enforce_foreign_keys()?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE operators SET password_changed_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        let summary = if me.id == id {
            format!("{} 修改了自己的密码", op.name)
        } else {
            format!("管理员 {} 重设了 {} 的密码", me.name, op.name)
        };
        audit_only(&who, &tx, "修改密码", "operator", id, &summary)?;
        slots.save(&dir)?;
        tx.commit()?;
        Ok(())
    }
}

/// Personal data shown in full after a reveal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Revealed {
    pub name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
}

impl Store {
    /// The full ID and phone number of a case's petitioner (`seq` as stored: 0 for the first). Needs the role's
    /// permission; every reveal is an audit event on the case's timeline.
    pub fn reveal_petitioner(&mut self, case_id: &str, seq: u32) -> Result<Revealed> {
        self.require(Permission::RevealPersonalData)?;
        let (number, r): (String, Revealed) = self
            .conn
            .query_row(
                "SELECT c.number, p.name, p.id_number, p.phone FROM petitioners p
                 JOIN cases c ON c.id = p.case_id WHERE p.case_id = ?1 AND p.seq = ?2",
                params![case_id, seq],
                |r| {
                    Ok((
                        r.get(0)?,
                        Revealed {
                            name: r.get(1)?,
                            id_number: r.get(2)?,
                            phone: r.get(3)?,
                        },
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::not_found("信访人", &format!("{case_id}#{seq}")))?;
        let summary = format!("查看案件 {number} 信访人 {} 的完整身份证号和电话", r.name);
        self.reveal_event(
            "petitioner",
            &format!("{case_id}#{seq}"),
            &summary,
            Some(case_id),
        )?;
        Ok(r)
    }

    /// The full ID and phone number of a person in the pool; audited like
    /// [`Store::reveal_petitioner`].
    pub fn reveal_person(&mut self, person_id: &str) -> Result<Revealed> {
        self.require(Permission::RevealPersonalData)?;
        let r = self
            .conn
            .query_row(
                "SELECT name, id_number, phone FROM persons WHERE id = ?1",
                [person_id],
                |r| {
                    Ok(Revealed {
                        name: r.get(0)?,
                        id_number: r.get(1)?,
                        phone: r.get(2)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::not_found("人员", person_id))?;
        let summary = format!("查看人员库中 {} 的完整身份证号和电话", r.name);
        self.reveal_event("person", person_id, &summary, None)?;
        Ok(r)
    }

    /// A case with its petitioners' full ID and phone numbers, for the edit form: needs the
    /// rights to edit cases and to see personal data; opening a form that shows a full number is
    /// audited like [`Store::reveal_petitioner`].
    pub fn case_for_edit(&mut self, case_id: &str) -> Result<hearing_core::Case> {
        self.require(Permission::EditCases)?;
        self.require(Permission::RevealPersonalData)?;
        let case = crate::cases::get(&self.conn, case_id)?;
        if case
            .petitioners
            .iter()
            .any(|p| p.id_number.is_some() || p.phone.is_some())
        {
            let summary = format!("编辑案件 {} 时查看信访人的完整身份证号和电话", case.number);
            self.reveal_event("case", case_id, &summary, Some(case_id))?;
        }
        Ok(case)
    }

    /// A person of the pool in full, for the edit form; audited when it shows a full number.
    pub fn person_for_edit(&mut self, person_id: &str) -> Result<hearing_core::Person> {
        self.require(Permission::EditPersons)?;
        self.require(Permission::RevealPersonalData)?;
        let person = crate::persons::get(&self.conn, person_id)?;
        if person.id_number.is_some() || person.phone.is_some() {
            let summary = format!("编辑人员库中 {} 时查看完整身份证号和电话", person.name);
            self.reveal_event("person", person_id, &summary, None)?;
        }
        Ok(person)
    }

    fn reveal_event(
        &mut self,
        entity: &str,
        id: &str,
        summary: &str,
        case_id: Option<&str>,
    ) -> Result<()> {
        let who = (self.actor.clone(), self.device_id.clone(), self.now_text());
        self.enforce_foreign_keys()?;
        let tx = self.conn.transaction()?;
        audit::append(
            &tx,
            &audit::NewEvent {
                at: &who.2,
                actor: &who.0,
                device_id: &who.1,
                action: "查看个人信息",
                entity,
                entity_id: id,
                summary,
                change_ids: &[],
                case_id,
            },
        )?;
        tx.commit()?;
        Ok(())
    }
}
