//! `hearingctl`: the HearingDesk database without a window — set up a desk, load the demo,
//! list and register cases, check identifiers, verify the audit chain — and script the hearing
//! workflow (see [`workflow`]).

mod accounts;
mod committee;
mod documents;
mod search;
mod slips;
mod stats;
mod sync;
mod typing;
mod workflow;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use hearing_core::validate;
use hearing_core::{
    CaseCategory, CaseInput, CaseListQuery, CaseStatus, OrgInput, OrgKind, PersonListQuery,
    PetitionerInput, PetitionerKind,
};
use hearing_store::{audit, cases, orgs, persons, Store, StoreError};

#[derive(Parser)]
#[command(
    name = "hearingctl",
    version,
    about = "听证工作台命令行工具 (HearingDesk CLI)"
)]
struct Cli {
    /// Data directory of the desk (default: $HEARINGDESK_DATA_DIR, else the app's data folder).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Name recorded as the actor in the audit trail (default: $USER; on a desk with accounts,
    /// always the logged-in operator).
    #[arg(long, global = true)]
    actor: Option<String>,
    /// Operator to log in as, on a desk with accounts (default: $HEARINGDESK_USER). The password
    /// comes from $HEARINGDESK_PASSWORD or is asked for on the terminal.
    #[arg(long, global = true, env = "HEARINGDESK_USER")]
    user: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create an empty database (optionally naming this desk's org).
    Init {
        #[arg(long)]
        org_name: Option<String>,
        #[arg(long, requires = "org_name")]
        org_code: Option<String>,
        #[arg(long, value_enum, default_value = "committee")]
        org_kind: Kind,
    },
    /// Load the fictional demo city into an empty database; on a desk enrolled in the demo
    /// network (`hearing-server demo`), its own org's people and cases.
    Demo,
    /// The case register (also `case`).
    #[command(visible_alias = "case")]
    Cases {
        #[command(subcommand)]
        command: CasesCommand,
    },
    /// The person pool.
    Persons {
        #[command(subcommand)]
        command: PersonsCommand,
    },
    /// The org tree.
    Orgs {
        #[command(subcommand)]
        command: OrgsCommand,
    },
    /// Hearings: plan, people, transitions, decision and signatures (also `hearings`).
    #[command(visible_alias = "hearings")]
    Hearing {
        #[command(subcommand)]
        command: workflow::HearingCommand,
    },
    /// The hearing record (笔录).
    Testimony {
        #[command(subcommand)]
        command: workflow::TestimonyCommand,
    },
    /// The panel's opinions (评议).
    Opinion {
        #[command(subcommand)]
        command: workflow::OpinionCommand,
    },
    /// The closure approval chain (终结审批).
    Closure {
        #[command(subcommand)]
        command: workflow::ClosureCommand,
    },
    /// 三单: 交办单, 督办单 and their 反馈单.
    Slip {
        #[command(subcommand)]
        command: slips::SlipCommand,
    },
    /// 会商研判: the committee's case conference, its agenda, conclusions and minutes (纪要).
    Meeting {
        #[command(subcommand)]
        command: committee::MeetingCommand,
    },
    /// 通报: the figures of every county and handling organ for a period, ranked, as a GB/T 9704
    /// PDF (and an XLSX); a draft unless --issue (numbered and kept).
    Report {
        /// 2026 | 2026Q3 | 2026-07 | 2026-07-01..2026-09-30
        #[arg(long)]
        period: String,
        /// The org subtree (its code); default: the whole tree
        #[arg(long)]
        org: Option<String>,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        xlsx: Option<PathBuf>,
        /// Issue it: numbered in this desk's org's series and kept
        #[arg(long)]
        issue: bool,
        /// 签发人 (with --issue)
        #[arg(long, default_value = "")]
        by: String,
        /// 主送 (default: 各旗县区委政法委，市直各政法单位)
        #[arg(long, default_value = "")]
        recipients: String,
    },
    /// 类案/积案: cases grouped by type, organ, demand and stage; 积案 by cause; with --by and
    /// --key, the cases of one group.
    Groups {
        #[arg(long)]
        org: Option<String>,
        /// 积案: active and registered more than this many days ago (default 365)
        #[arg(long)]
        backlog_days: Option<u32>,
        /// category | organ | demand | stage
        #[arg(long)]
        by: Option<String>,
        #[arg(long)]
        key: Option<String>,
    },
    /// The audit hash chain.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Render a draft document of any kind from the case data (nothing is stored).
    Render {
        /// announcement | notice | invitation | declaration | plan | script | transcript |
        /// opinion | opinions | report | approval | decision | receipt | handover
        #[arg(long)]
        kind: String,
        /// Case number, e.g. DHQ-2026-001.
        #[arg(long = "case")]
        case: String,
        /// Hearing id (default: the case's latest hearing).
        #[arg(long)]
        hearing: Option<String>,
        /// For invitation / opinion: the panelist (by name); default the first panelist.
        #[arg(long)]
        person: Option<String>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Stored documents: generate, finalise, print, sign, serve, file.
    Doc {
        #[command(subcommand)]
        command: documents::DocCommand,
    },
    /// Check that a PDF is an unaltered final document of this database (exit 1 if not).
    Verify { file: PathBuf },
    /// This organ's document templates: show, check, save, reset.
    Template {
        #[command(subcommand)]
        command: documents::TemplateCommand,
    },
    /// Enrol this desk with the central server using a one-time code.
    Enroll {
        #[arg(long)]
        server: String,
        #[arg(long)]
        code: String,
        /// A name for this device on the server (default: the host name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Sync with the central server now (push then pull); or show status / conflicts.
    Sync {
        /// The server (must be the one this desk is enrolled with).
        #[arg(long)]
        server: Option<String>,
        #[command(subcommand)]
        command: Option<sync::SyncCommand>,
    },
    /// Full-text search (全文检索) over cases, petitioners, testimony, opinions and documents.
    Search(search::SearchArgs),
    /// Statistics (统计) over all cases, as a table, CSV or XLSX.
    Stats(stats::StatsArgs),
    /// Early warnings (预警): deadlines approaching or passed, repeat petitions, follow-ups due.
    Warnings(stats::WarningsArgs),
    /// Operator accounts: first-time set-up (encrypts the database), add, roles, passwords.
    Account {
        #[command(subcommand)]
        command: accounts::AccountCommand,
    },
    /// Show a petitioner's full ID and phone number (recorded in the audit trail).
    Reveal {
        /// Case number.
        #[arg(long = "case")]
        case: String,
        /// Which petitioner of the case, from 1.
        #[arg(long, default_value_t = 1)]
        petitioner: u32,
    },
    /// Back up the whole desk (database, key slots, scans) into one file while in use.
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup into the data directory (the current files are moved aside).
    Restore {
        file: PathBuf,
        /// Replace an existing database (it is moved to before-restore-<time>/, not deleted).
        #[arg(long)]
        replace: bool,
    },
    /// Check an identifier as the forms do.
    Check {
        #[arg(value_enum)]
        what: CheckKind,
        value: String,
    },
    /// Not for users (hidden): the testimony writer that tests/crash.rs kills (typing.rs).
    #[command(hide = true)]
    TypeTestimony {
        #[arg(long)]
        hearing: String,
        /// Agenda step key of the entries.
        #[arg(long, default_value = "petitionerStatement")]
        step: String,
        /// Entry `n` says `{tag}-{n}`.
        #[arg(long)]
        tag: String,
        /// Stop after this many entries (default: never).
        #[arg(long)]
        count: Option<u64>,
    },
}

#[derive(Subcommand)]
enum CasesCommand {
    /// List cases (ID numbers masked).
    List {
        #[arg(long)]
        search: Option<String>,
        /// A status key, e.g. registered, hearing, closed.
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 1)]
        page: u32,
        #[arg(long, default_value_t = 50)]
        page_size: u32,
    },
    /// Show one case by number, with its workflow status, approvals and timeline.
    Show { number: String },
    /// Take a case through one step of its workflow; refusals list every unmet condition.
    Action {
        /// Case number, e.g. DHQ-2026-001.
        #[arg(long = "case")]
        case: String,
        /// startReview | proposeClosure | scheduleHearing | submitForApproval | close |
        /// recordService | file | resolve | sendToLegalProcedure | withdraw | reopen
        #[arg(long)]
        action: String,
        #[arg(long, default_value = "")]
        reason: String,
        /// Date of service (recordService) or filing (file), YYYY-MM-DD.
        #[arg(long, default_value = "")]
        date: String,
    },
    /// Register a case with one petitioner, handled by this desk's org unless --organ is given.
    Create {
        #[arg(long)]
        title: String,
        #[arg(long)]
        petitioner: String,
        #[arg(long, default_value = "")]
        id_number: String,
        #[arg(long, default_value = "")]
        phone: String,
        #[arg(long)]
        demands: String,
        /// Code of the handling organ.
        #[arg(long)]
        organ: Option<String>,
        #[arg(long, default_value = "civil")]
        category: String,
    },
}

#[derive(Subcommand)]
enum PersonsCommand {
    List {
        #[arg(long)]
        search: Option<String>,
    },
}

#[derive(Subcommand)]
enum OrgsCommand {
    List,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the whole chain; exits 1 and names the first broken link if it is broken.
    Verify,
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    Committee,
    Court,
    Procuratorate,
    PublicSecurity,
    JusticeBureau,
    Other,
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckKind {
    IdNumber,
    Phone,
    CreditCode,
}

fn data_dir(arg: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(d) = arg {
        return Ok(d);
    }
    if let Some(d) = std::env::var_os("HEARINGDESK_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .context("找不到数据目录：请用 --data-dir 指定")?;
    Ok(base.join("org.hearingdesk.desk"))
}

fn main() -> ExitCode {
    default_sigpipe();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            report(&e);
            ExitCode::FAILURE
        }
    }
}

/// Lets a closed pipe end the process, as it does any Unix tool: Rust ignores SIGPIPE, so
/// `hearingctl cases list | head` would otherwise panic in `println!` once `head` has gone.
fn default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Prints an error: a refusal with every unmet condition on its own line, a validation error
/// with every field, anything else as one line.
fn report(e: &anyhow::Error) {
    let store_error = e.chain().find_map(|c| c.downcast_ref::<StoreError>());
    // The outermost context, when the store error was wrapped with one ("不能发出通知").
    let wrapped = store_error.is_some_and(|s| s.to_string() != e.to_string());
    let headline = |fallback: &str| {
        if wrapped {
            e.to_string()
        } else {
            fallback.to_owned()
        }
    };
    match store_error {
        Some(StoreError::Refused(r)) => {
            eprintln!("错误：{}", headline("操作未执行"));
            eprintln!("未满足的条件：");
            if r.unmet.is_empty() {
                eprintln!("  - {r}");
            }
            for u in &r.unmet {
                eprintln!("  - {u}");
            }
        }
        Some(StoreError::Validation(v)) => {
            eprintln!("错误：{}", headline("输入有误，未保存"));
            if wrapped {
                eprintln!("输入有误，未保存：");
            }
            for f in &v.0 {
                eprintln!("  - {}：{}", f.field, f.message);
            }
        }
        _ => eprintln!("错误：{e:#}"),
    }
}

/// The operator given with --user / $HEARINGDESK_USER, set once in `run`.
static USER: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

fn open(dir: &std::path::Path) -> Result<Store> {
    let user = USER.get().and_then(|u| u.as_deref());
    let opened = match user {
        Some(u) => {
            let password = accounts::secret("HEARINGDESK_PASSWORD", &format!("{u} 的密码："))?;
            hearing_store::accounts::login(dir, u, &password)
        }
        None => Store::open_dir(dir),
    };
    opened.map_err(|e| anyhow::anyhow!("无法打开 {}：{e}", dir.display()))
}

/// Opens the store for a write, recording `actor` (if given) in the audit trail.
fn open_as(dir: &std::path::Path, actor: &Option<String>) -> Result<Store> {
    let mut store = open(dir)?;
    if let Some(a) = actor.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        store.set_actor(a);
    }
    Ok(store)
}

fn run(cli: Cli) -> Result<ExitCode> {
    let dir = data_dir(cli.data_dir)?;
    let actor = cli.actor;
    let _ = USER.set(cli.user.clone().filter(|u| !u.trim().is_empty()));
    match cli.command {
        Command::Account {
            command: accounts::AccountCommand::Setup { login, name },
        } => accounts::setup(&dir, &login, &name)?,
        Command::Account { command } => accounts::account_cmd(&mut open(&dir)?, command)?,
        Command::Reveal { case, petitioner } => {
            accounts::reveal(&mut open(&dir)?, &case, petitioner)?
        }
        Command::Backup { out } => accounts::backup(&open(&dir)?, &out)?,
        Command::Restore { file, replace } => {
            accounts::restore(&dir, &file, cli.user.as_deref(), replace)?
        }
        Command::Check { what, value } => return check(what, &value),
        Command::Search(args) => search::run(&open(&dir)?, args)?,
        Command::Stats(args) => stats::run(&open(&dir)?, args)?,
        Command::Warnings(args) => stats::warnings(&open(&dir)?, args)?,
        Command::Render {
            kind,
            case,
            hearing,
            person,
            out,
        } => documents::render(
            &open(&dir)?,
            &kind,
            &case,
            hearing.as_deref(),
            person.as_deref(),
            &out,
        )?,
        Command::Template { command } => {
            documents::template_cmd(&mut open_as(&dir, &actor)?, command)?
        }
        Command::Doc { command } => documents::doc_cmd(&mut open_as(&dir, &actor)?, command)?,
        Command::Verify { file } => return documents::verify(&open(&dir)?, &file),
        Command::Enroll { server, code, name } => {
            let name = name
                .or_else(|| std::env::var("HOSTNAME").ok())
                .unwrap_or_else(|| "hearingctl".into());
            sync::enroll(&mut open_as(&dir, &actor)?, &server, &code, &name)?
        }
        Command::Sync { server, command } => {
            sync::sync(&mut open_as(&dir, &actor)?, server.as_deref(), command)?
        }
        Command::Init {
            org_name,
            org_code,
            org_kind,
        } => {
            let mut store = open(&dir)?;
            println!(
                "数据库：{}（结构版本 {}）",
                store.path().display(),
                store.schema_version()?
            );
            if let Some(name) = org_name {
                let org = store.init_desk(&OrgInput {
                    parent_id: None,
                    name,
                    short_name: String::new(),
                    kind: kind(org_kind),
                    code: org_code.unwrap_or_default(),
                })?;
                println!("本机单位：{}（{}）", org.name, org.code);
            }
        }
        Command::Demo => {
            let mut store = open(&dir)?;
            let s = store.load_demo()?;
            if s.orgs > 0 {
                println!(
                    "已载入演示数据：{} 个单位、{} 名人员、{} 件案件",
                    s.orgs, s.persons, s.cases
                );
            } else {
                // An enrolled desk of the demo network: its own org's part.
                println!(
                    "已载入本单位的演示数据：{} 名人员、{} 件案件；同步后上级单位可以查看",
                    s.persons, s.cases
                );
            }
        }
        Command::Cases { command } => cases_cmd(&mut open_as(&dir, &actor)?, command)?,
        Command::Hearing { command } => {
            workflow::hearing_cmd(&mut open_as(&dir, &actor)?, command)?
        }
        Command::Testimony { command } => {
            workflow::testimony_cmd(&mut open_as(&dir, &actor)?, command)?
        }
        Command::TypeTestimony {
            hearing,
            step,
            tag,
            count,
        } => typing::type_testimony(&mut open_as(&dir, &actor)?, &hearing, &step, &tag, count)?,
        Command::Opinion { command } => {
            workflow::opinion_cmd(&mut open_as(&dir, &actor)?, command)?
        }
        Command::Closure { command } => {
            workflow::closure_cmd(&mut open_as(&dir, &actor)?, command)?
        }
        Command::Slip { command } => slips::slip_cmd(&mut open_as(&dir, &actor)?, command)?,
        Command::Meeting { command } => {
            committee::meeting_cmd(&mut open_as(&dir, &actor)?, command)?
        }
        Command::Report {
            period,
            org,
            out,
            xlsx,
            issue,
            by,
            recipients,
        } => committee::report_cmd(
            &mut open_as(&dir, &actor)?,
            period,
            org,
            out,
            xlsx,
            issue,
            by,
            recipients,
        )?,
        Command::Groups {
            org,
            backlog_days,
            by,
            key,
        } => committee::groups_cmd(&open(&dir)?, org, backlog_days, by, key)?,
        Command::Persons {
            command: PersonsCommand::List { search },
        } => {
            let store = open(&dir)?;
            let page = persons::list(
                store.conn(),
                &PersonListQuery {
                    search,
                    page: 1,
                    page_size: 200,
                    ..Default::default()
                },
            )?;
            for p in &page.items {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    p.name,
                    p.kind.label(),
                    p.unit,
                    p.phone.as_deref().unwrap_or("-"),
                    if p.active { "在库" } else { "已停用" }
                );
            }
            println!("共 {} 人", page.total);
        }
        Command::Orgs {
            command: OrgsCommand::List,
        } => {
            let store = open(&dir)?;
            for o in orgs::list(store.conn())? {
                println!("{}\t{}\t{}", o.code, o.kind.label(), o.name);
            }
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let store = open(&dir)?;
            let report = audit::verify(store.conn())?;
            if report.ok {
                println!("{}", report.message);
            } else {
                eprintln!("{}", report.message);
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn kind(k: Kind) -> OrgKind {
    match k {
        Kind::Committee => OrgKind::Committee,
        Kind::Court => OrgKind::Court,
        Kind::Procuratorate => OrgKind::Procuratorate,
        Kind::PublicSecurity => OrgKind::PublicSecurity,
        Kind::JusticeBureau => OrgKind::JusticeBureau,
        Kind::Other => OrgKind::Other,
    }
}

fn cases_cmd(store: &mut Store, command: CasesCommand) -> Result<()> {
    match command {
        CasesCommand::List {
            search,
            status,
            page,
            page_size,
        } => {
            let status = match status {
                Some(s) => Some(CaseStatus::parse(&s).with_context(|| {
                    let keys: Vec<_> = CaseStatus::ALL.iter().map(|s| s.as_str()).collect();
                    format!("未知状态“{s}”，可选：{}", keys.join(", "))
                })?),
                None => None,
            };
            let q = CaseListQuery {
                search,
                status,
                page,
                page_size,
                ..Default::default()
            };
            let p = cases::list(store.conn(), &q)?;
            for c in &p.items {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    c.number,
                    c.status.label(),
                    c.registered_on,
                    c.petitioner_names,
                    c.petitioner_id_masked.as_deref().unwrap_or("-"),
                    c.handling_organ_name,
                    c.title
                );
            }
            println!("共 {} 件，第 {} 页", p.total, p.page);
        }
        CasesCommand::Show { number } => {
            let id = cases::id_by_number(store.conn(), &number)?;
            let c = cases::get(store.conn(), &id)?;
            println!("{}  {}  [{}]", c.number, c.title, c.status.label());
            println!(
                "承办单位：{}  承办人：{}",
                c.handling_organ_name, c.case_officer
            );
            for p in &c.petitioners {
                println!(
                    "信访人：{}  {}",
                    p.name,
                    p.id_number
                        .as_deref()
                        .map(validate::mask_id_number)
                        .unwrap_or_default()
                );
            }
            println!("原案案号：{}", c.original_case_number);
            println!("信访诉求：{}", c.demands);
            println!("四明五清完成度：{}%", c.analysis_completeness);
            workflow::print_case_workflow(store, &id)?;
        }
        CasesCommand::Action {
            case,
            action,
            reason,
            date,
        } => workflow::case_action(store, &case, &action, reason, date)?,
        CasesCommand::Create {
            title,
            petitioner,
            id_number,
            phone,
            demands,
            organ,
            category,
        } => {
            let handling_organ_id = match organ {
                Some(code) => orgs::list(store.conn())?
                    .into_iter()
                    .find(|o| o.code.eq_ignore_ascii_case(&code))
                    .map(|o| o.id)
                    .with_context(|| format!("找不到代码为 {code} 的单位"))?,
                None => store.desk_org_id()?.unwrap_or_default(),
            };
            let category =
                CaseCategory::parse(&category).with_context(|| format!("未知类别“{category}”"))?;
            let input = CaseInput {
                number: String::new(),
                handling_organ_id,
                case_officer: String::new(),
                title,
                category: Some(category),
                petitioners: vec![PetitionerInput {
                    kind: PetitionerKind::Person,
                    name: petitioner,
                    id_number,
                    phone,
                    address: String::new(),
                    credit_code: String::new(),
                    representative: String::new(),
                }],
                original_case_number: String::new(),
                rulings: vec![],
                demands,
                background: String::new(),
                registered_on: String::new(),
            };
            match store.create_case(&input) {
                Ok(c) => println!("已登记：{}  {}", c.number, c.title),
                Err(StoreError::Validation(v)) => {
                    let lines: Vec<String> =
                        v.0.iter()
                            .map(|f| format!("  {}：{}", f.field, f.message))
                            .collect();
                    bail!("输入有误，未保存：\n{}", lines.join("\n"));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}

fn check(what: CheckKind, value: &str) -> Result<ExitCode> {
    let today = hearing_store::today();
    let outcome = match what {
        CheckKind::IdNumber => validate::resident_id(value, today)
            .map(|id| {
                format!(
                    "有效：{}（出生日期 {}，{}{}）",
                    id.number,
                    id.birth_date,
                    if id.male { "男" } else { "女" },
                    if id.upgraded {
                        "，由 15 位升级"
                    } else {
                        ""
                    }
                )
            })
            .map_err(|e| e.to_string()),
        CheckKind::Phone => validate::phone(value)
            .map(|(n, _)| format!("有效：{n}"))
            .map_err(|e| e.to_string()),
        CheckKind::CreditCode => match validate::credit_code(value) {
            (code, None) => Ok(format!("有效：{code}")),
            (_, Some(w)) => Err(format!("警告：{w}")),
        },
    };
    match outcome {
        Ok(msg) => {
            println!("{msg}");
            Ok(ExitCode::SUCCESS)
        }
        Err(msg) => {
            eprintln!("{msg}");
            Ok(ExitCode::FAILURE)
        }
    }
}
