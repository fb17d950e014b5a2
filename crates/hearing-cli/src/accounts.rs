//! Operator accounts, personal data reveals, backup and restore from the command line.
//!
//! Passwords are never arguments (they would show in the process list and shell history): they
//! come from `HEARINGDESK_PASSWORD` (the logged-in operator) and `HEARINGDESK_NEW_PASSWORD` (a
//! password being set), or are asked for on the terminal without echo.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use hearing_core::access::{Role, ROLES};
use hearing_store::accounts::{self, NewOperator};
use hearing_store::{backup, cases, Store};

#[derive(Subcommand)]
pub enum AccountCommand {
    /// First-time set-up: create the administrator and encrypt this desk's database.
    Setup {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
    },
    /// The operators of this desk (administrators see all, others themselves).
    List,
    /// Add an operator (administrators): role admin | organizer | clerk | closure_officer | read_only.
    Add {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        role: String,
    },
    /// Change an operator's role (administrators).
    Role { login: String, role: String },
    /// Disable an operator: their password no longer opens the database (administrators).
    Disable { login: String },
    /// Set a password: your own (asks for the current one), or another's as administrator.
    Passwd { login: Option<String> },
    /// Who is logged in.
    Whoami,
}

/// Reads a secret: from `var` if set, else from the terminal without echo, else one line of
/// standard input.
pub fn secret(var: &str, prompt: &str) -> Result<String> {
    if let Ok(v) = std::env::var(var) {
        return Ok(v);
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("{prompt}");
        std::io::stderr().flush().ok();
        let echo_off = std::process::Command::new("stty")
            .arg("-echo")
            .stdin(std::fs::File::open("/dev/tty")?)
            .status()
            .is_ok_and(|s| s.success());
        let mut line = String::new();
        let read = stdin.lock().read_line(&mut line);
        if echo_off {
            let _ = std::process::Command::new("stty")
                .arg("echo")
                .stdin(std::fs::File::open("/dev/tty")?)
                .status();
            eprintln!();
        }
        read.context("无法读取密码")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line).context("无法读取密码")?;
    if line.is_empty() {
        bail!("需要密码：请设置环境变量 {var}，或在终端中运行以便输入");
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn new_password(confirm: bool) -> Result<String> {
    let p = secret("HEARINGDESK_NEW_PASSWORD", "新密码：")?;
    if confirm && std::env::var_os("HEARINGDESK_NEW_PASSWORD").is_none() {
        let again = secret("HEARINGDESK_NEW_PASSWORD", "再输入一次：")?;
        if again != p {
            bail!("两次输入的密码不一致，未作修改");
        }
    }
    Ok(p)
}

fn parse_role(s: &str) -> Result<Role> {
    Role::parse(s).with_context(|| {
        let all: Vec<String> = ROLES
            .iter()
            .map(|r| format!("{}（{}）", r.key(), r.label()))
            .collect();
        format!("未知角色“{s}”，可选：{}", all.join("、"))
    })
}

fn by_login(store: &Store, login: &str) -> Result<accounts::Operator> {
    store
        .operators()?
        .into_iter()
        .find(|o| o.login == login.trim())
        .with_context(|| format!("没有用户名为“{login}”的操作员"))
}

pub fn setup(dir: &Path, login: &str, name: &str) -> Result<()> {
    let store = Store::open_dir(dir)?;
    let password = new_password(true)?;
    let store = store.setup_accounts(&NewOperator {
        login: login.into(),
        name: name.into(),
        role: Role::Admin,
        password,
    })?;
    println!(
        "已设置管理员 {}（{}），数据库已加密：{}",
        name,
        login,
        store.path().display()
    );
    println!("此后使用命令行须加 --user {login}（密码取自 HEARINGDESK_PASSWORD 或终端输入）");
    Ok(())
}

pub fn account_cmd(store: &mut Store, command: AccountCommand) -> Result<()> {
    match command {
        AccountCommand::Setup { .. } => unreachable!("handled before the store is opened"),
        AccountCommand::List => {
            for o in store.operators()? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    o.login,
                    o.name,
                    o.role.label(),
                    if o.disabled_at.is_some() {
                        "已停用"
                    } else {
                        "在用"
                    },
                    o.last_login_at.as_deref().unwrap_or("从未登录")
                );
            }
        }
        AccountCommand::Add { login, name, role } => {
            let role = parse_role(&role)?;
            let password = new_password(true)?;
            let o = store.add_operator(&NewOperator {
                login,
                name,
                role,
                password,
            })?;
            println!(
                "已新增操作员 {}（{}），角色：{}",
                o.name,
                o.login,
                o.role.label()
            );
        }
        AccountCommand::Role { login, role } => {
            let role = parse_role(&role)?;
            let o = by_login(store, &login)?;
            let o = store.set_operator_role(&o.id, role)?;
            println!("{}（{}）的角色现为{}", o.name, o.login, o.role.label());
        }
        AccountCommand::Disable { login } => {
            let o = by_login(store, &login)?;
            store.disable_operator(&o.id)?;
            println!("已停用 {}（{}），其密码不再能打开数据库", o.name, o.login);
        }
        AccountCommand::Passwd { login } => {
            let me = store
                .operator()
                .cloned()
                .context("请用 --user 登录后再修改密码")?;
            let target = match login {
                Some(l) => by_login(store, &l)?,
                None => me.clone(),
            };
            let current = if target.id == me.id {
                Some(secret("HEARINGDESK_PASSWORD", "当前密码：")?)
            } else {
                None
            };
            let new = new_password(true)?;
            store.set_password(&target.id, current.as_deref(), &new)?;
            println!("已修改 {}（{}）的密码", target.name, target.login);
        }
        AccountCommand::Whoami => match store.operator() {
            Some(o) => println!("{}（{}），角色：{}", o.name, o.login, o.role.label()),
            None => println!("本机未设置操作员账户（数据库未加密）"),
        },
    }
    Ok(())
}

/// Prints a petitioner's full ID and phone (audited).
pub fn reveal(store: &mut Store, case: &str, petitioner: u32) -> Result<()> {
    let id = cases::id_by_number(store.conn(), case)?;
    let seq = petitioner.checked_sub(1).context("信访人序号从 1 开始")?;
    let r = store.reveal_petitioner(&id, seq)?;
    println!(
        "{}\t身份证号：{}\t电话：{}",
        r.name,
        r.id_number.as_deref().unwrap_or("-"),
        r.phone.as_deref().unwrap_or("-")
    );
    eprintln!("（本次查看已记入审计日志）");
    Ok(())
}

fn show_progress(p: backup::Progress) {
    if std::io::stderr().is_terminal() {
        let pct = (p.done * 100).checked_div(p.total).unwrap_or(100);
        eprint!("\r{}：{pct:>3}%   ", p.stage);
    }
}

pub fn backup(store: &Store, out: &Path) -> Result<()> {
    let h = store.backup_to(out, show_progress)?;
    if std::io::stderr().is_terminal() {
        eprintln!();
    }
    let total: u64 = h.files.iter().map(|f| f.len).sum();
    println!(
        "已备份到 {}：{} 个文件，{:.1} MB，{}",
        out.display(),
        h.files.len(),
        total as f64 / 1e6,
        if h.encrypted {
            "已加密（恢复时需要操作员密码）"
        } else {
            "未加密：本机尚未设置操作员账户，请妥善保管备份文件"
        }
    );
    Ok(())
}

pub fn restore(dir: &Path, file: &Path, user: Option<&str>, replace: bool) -> Result<()> {
    let header = backup::read_header(file)?;
    let password;
    let login = match (header.encrypted, user) {
        (false, _) => None,
        (true, Some(u)) => {
            password = secret("HEARINGDESK_PASSWORD", "备份时该操作员的密码：")?;
            Some((u, password.as_str()))
        }
        (true, None) => bail!("这是加密备份：请用 --user 指定备份时本机的一名操作员"),
    };
    let r = backup::restore(file, dir, login, replace, show_progress)?;
    if std::io::stderr().is_terminal() {
        eprintln!();
    }
    println!(
        "已从 {} 恢复（备份于 {}，{} 个文件）到 {}",
        file.display(),
        r.header.created_at,
        r.header.files.len(),
        dir.display()
    );
    if let Some(aside) = r.moved_aside {
        println!("原有文件已移到 {aside}");
    }
    if r.sync_unenrolled {
        println!("{}", hearing_store::sync::RESTORED_UNENROLLED);
    }
    Ok(())
}
