//! Documents from the command line: draft rendering of every kind, the life cycle of stored
//! documents (one per panelist for invitations and opinion forms), `verify` for a PDF someone
//! hands in, and the organ's templates.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use hearing_core::ParticipantRole;
use hearing_docs::{render_document, DocKind, FontSet};
use hearing_store::documents::{self, Document, ServiceInput};
use hearing_store::{cases, hearings, templates, Store};

fn kind(key: &str) -> Result<DocKind> {
    DocKind::parse(key.trim()).with_context(|| {
        format!(
            "未知的文书类型“{key}”，可选：{}",
            DocKind::ALL
                .iter()
                .map(|k| format!("{}（{}）", k.key(), k.label()))
                .collect::<Vec<_>>()
                .join("、")
        )
    })
}

fn fonts(store: &Store) -> Result<std::sync::Arc<FontSet>> {
    Ok(store.fonts()?)
}

fn write_out(out: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(out, bytes).with_context(|| format!("无法写入 {}", out.display()))
}

/// The participant id of the panelist called `name` on the hearing a document of `kind` is about.
fn panelist(
    store: &Store,
    kind: DocKind,
    case_id: &str,
    hearing: Option<&str>,
    name: &str,
) -> Result<String> {
    if !kind.per_panelist() {
        bail!(
            "{}不按人生成，不能用 --person；按人生成的有：{}",
            kind.label(),
            DocKind::ALL
                .iter()
                .filter(|k| k.per_panelist())
                .map(|k| format!("{}（{}）", k.key(), k.label()))
                .collect::<Vec<_>>()
                .join("、")
        );
    }
    let Some(h) = documents::hearing_for(store.conn(), case_id, hearing)? else {
        bail!("该案件还没有安排听证，没有听证员");
    };
    let panel: Vec<_> = hearings::participants(store.conn(), &h.id)?
        .into_iter()
        .filter(|p| p.role == ParticipantRole::Panelist)
        .collect();
    match panel.iter().find(|p| p.name == name.trim()) {
        Some(p) => Ok(p.id.clone()),
        None => bail!(
            "听证会“{}”没有名为“{}”的听证员；听证员有：{}",
            h.title,
            name.trim(),
            if panel.is_empty() {
                "（无）".to_owned()
            } else {
                panel
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            }
        ),
    }
}

/// `hearingctl render`: a draft of any kind, straight from the case data (nothing stored); a
/// per-person kind for `person` (default: the first panelist).
pub fn render(
    store: &Store,
    kind_key: &str,
    case: &str,
    hearing: Option<&str>,
    person: Option<&str>,
    out: &Path,
) -> Result<()> {
    let kind = kind(kind_key)?;
    let case_id = cases::id_by_number(store.conn(), case.trim())?;
    let subject = match person {
        Some(name) => Some(panelist(store, kind, &case_id, hearing, name)?),
        None => None,
    };
    let text = store.preview_text(kind, &case_id, hearing, subject.as_deref())?;
    let pdf =
        render_document(kind, &text, &*fonts(store)?, None).map_err(|e| anyhow::anyhow!("{e}"))?;
    write_out(out, &pdf)?;
    println!(
        "已生成{}（草稿，未存档）：{}（{} 字节）",
        kind.label(),
        out.display(),
        pdf.len()
    );
    Ok(())
}

/// `hearingctl verify FILE.pdf`: exit 0 when the file is an unaltered final of this database.
pub fn verify(store: &Store, file: &Path) -> Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("无法读取 {}", file.display()))?;
    match documents::verify_pdf(store.conn(), &bytes)? {
        Some(d) => {
            println!(
                "验证通过：该文件是本库存档的定稿文书，未被改动。\n文书：{}  文号：{}  第 {} 版  状态：{}\n定稿时间：{}  验证码：{}",
                DocKind::parse(&d.kind).map(|k| k.label()).unwrap_or(&d.kind),
                if d.number.is_empty() { "（无）" } else { &d.number },
                d.version,
                d.state.label(),
                d.finalized_at.as_deref().unwrap_or(""),
                d.verification_code.as_deref().unwrap_or("")
            );
            Ok(ExitCode::SUCCESS)
        }
        None => {
            eprintln!(
                "验证未通过：{} 不是本库中任何定稿文书的原件（文件可能被修改过，或来自其他数据库）",
                file.display()
            );
            Ok(ExitCode::from(1))
        }
    }
}

#[derive(Subcommand)]
pub enum DocCommand {
    /// Generate a numbered draft from the case data and store it.
    Generate {
        #[arg(long)]
        kind: String,
        #[arg(long = "case")]
        case: String,
        #[arg(long)]
        hearing: Option<String>,
        /// For invitation / opinion: the panelist (by name); default the first panelist.
        #[arg(long, conflicts_with = "each")]
        person: Option<String>,
        /// For invitation / opinion: one document for every panelist.
        #[arg(long)]
        each: bool,
    },
    /// List a case's documents.
    List {
        #[arg(long = "case")]
        case: String,
    },
    /// Freeze a draft: PDF, SHA-256, verification code (and QR code on a closure decision).
    Finalize {
        id: String,
        /// Also write the frozen PDF here.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write the frozen PDF of a final document.
    Export {
        id: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Replace the text (a draft in place; a final document gets a new version).
    Edit {
        id: String,
        /// File with the new text.
        #[arg(long)]
        text_file: PathBuf,
    },
    Printed {
        id: String,
    },
    /// Attach the scan of the signed paper.
    Signed {
        id: String,
        #[arg(long)]
        scan: PathBuf,
    },
    /// Record service (送达回证).
    Served {
        id: String,
        /// YYYY-MM-DD
        #[arg(long)]
        date: String,
        /// 送达方式：直接送达 | 留置送达 | 邮寄送达 | 委托送达 | 转交送达 | 电子送达（或 直接、留置 …，或 direct、left …）
        #[arg(long)]
        method: String,
        #[arg(long)]
        recipient: String,
        #[arg(long, default_value = "")]
        receiver: String,
        #[arg(long, default_value = "")]
        server: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    Filed {
        id: String,
    },
}

fn show(d: &Document) {
    println!(
        "{}  {}{}  {}  第{}版  {}{}",
        d.id,
        DocKind::parse(&d.kind)
            .map(|k| k.label())
            .unwrap_or(&d.kind),
        if d.subject_name.is_empty() {
            String::new()
        } else {
            format!("（{}）", d.subject_name)
        },
        if d.number.is_empty() { "-" } else { &d.number },
        d.version,
        d.state.label(),
        d.verification_code
            .as_deref()
            .map(|c| format!("  验证码 {c}"))
            .unwrap_or_default()
    );
}

pub fn doc_cmd(store: &mut Store, command: DocCommand) -> Result<()> {
    match command {
        DocCommand::Generate {
            kind: k,
            case,
            hearing,
            person,
            each,
        } => {
            let kind = kind(&k)?;
            let case_id = cases::id_by_number(store.conn(), case.trim())?;
            if each {
                let docs = store.generate_documents_each(kind, &case_id, hearing.as_deref())?;
                for d in &docs {
                    show(d);
                }
                println!("共生成{} {} 份", kind.label(), docs.len());
            } else {
                let subject = match person.as_deref() {
                    Some(name) => Some(panelist(store, kind, &case_id, hearing.as_deref(), name)?),
                    None => None,
                };
                let d = store.generate_document(
                    kind,
                    &case_id,
                    hearing.as_deref(),
                    subject.as_deref(),
                )?;
                show(&d);
            }
        }
        DocCommand::List { case } => {
            let case_id = cases::id_by_number(store.conn(), case.trim())?;
            for d in documents::list(store.conn(), &case_id)? {
                show(&d);
            }
        }
        DocCommand::Finalize { id, out } => {
            let d = store.finalize_document(&id, &*fonts(store)?)?;
            show(&d);
            if let Some(out) = out {
                let pdf = documents::pdf(store.conn(), &d.id)?.unwrap_or_default();
                write_out(&out, &pdf)?;
                println!("已写出：{}", out.display());
            }
        }
        DocCommand::Export { id, out } => match documents::pdf(store.conn(), &id)? {
            Some(pdf) => {
                write_out(&out, &pdf)?;
                println!("已写出：{}", out.display());
            }
            None => bail!("文书 {id} 尚未定稿，没有存档的 PDF；草稿请用 hearingctl render"),
        },
        DocCommand::Edit { id, text_file } => {
            let text = std::fs::read_to_string(&text_file)
                .with_context(|| format!("无法读取 {}", text_file.display()))?;
            show(&store.edit_document(&id, &text)?);
        }
        DocCommand::Printed { id } => show(&store.mark_document_printed(&id)?),
        DocCommand::Signed { id, scan } => show(&store.attach_signed_scan(&id, &scan)?),
        DocCommand::Served {
            id,
            date,
            method,
            recipient,
            receiver,
            server,
            note,
        } => show(&store.record_document_service(
            &id,
            &ServiceInput {
                date,
                method,
                recipient,
                receiver,
                server,
                note,
            },
        )?),
        DocCommand::Filed { id } => show(&store.file_document(&id)?),
    }
    Ok(())
}

#[derive(Subcommand)]
pub enum TemplateCommand {
    /// Every kind with its template state (内置 / 已自定义).
    List,
    /// Print the template in use (the organ's, else the built-in) to stdout.
    Show { kind: String },
    /// The fields a kind's template may use.
    Fields { kind: String },
    /// Check a template file and save it as this organ's template of KIND.
    Save {
        kind: String,
        #[arg(long)]
        file: PathBuf,
    },
    /// Check a template file without saving (optionally filled with a case: --case N).
    Check {
        kind: String,
        #[arg(long)]
        file: PathBuf,
        #[arg(long = "case")]
        case: Option<String>,
    },
    /// Delete this organ's template of KIND: the built-in is used again.
    Reset { kind: String },
}

fn state(is_override: bool) -> &'static str {
    if is_override {
        "已自定义"
    } else {
        "内置"
    }
}

pub fn template_cmd(store: &mut Store, command: TemplateCommand) -> Result<()> {
    match command {
        TemplateCommand::List => {
            for k in DocKind::ALL {
                let t = store.template_source(k)?;
                println!("{}\t{}\t{}", k.key(), k.label(), state(t.is_override));
            }
        }
        TemplateCommand::Show { kind: k } => {
            let t = store.template_source(kind(&k)?)?;
            eprintln!("{}模板（{}）", t.label, state(t.is_override));
            print!("{}", t.text);
        }
        TemplateCommand::Fields { kind: k } => {
            let kind = kind(&k)?;
            println!("{}模板可用的字段（写作 {{字段名}}）：", kind.label());
            for f in templates::fields_for(kind) {
                let shape = match f.shape {
                    templates::FieldShape::Text => "文字",
                    templates::FieldShape::List => "列表，用 @paras",
                    templates::FieldShape::Rows => "表格行，用 @rows",
                };
                println!("  {{{}}}\t{}（{shape}）", f.name, f.label);
            }
        }
        TemplateCommand::Save { kind: k, file } => {
            let kind = kind(&k)?;
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("无法读取 {}", file.display()))?;
            let t = store.save_template(kind, &text).map_err(|e| {
                anyhow::anyhow!("{e}（查看：hearingctl template fields {}）", kind.key())
            })?;
            println!("已保存{}模板（{}）", t.label, state(t.is_override));
        }
        TemplateCommand::Check {
            kind: k,
            file,
            case,
        } => {
            let kind = kind(&k)?;
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("无法读取 {}", file.display()))?;
            match case {
                Some(number) => {
                    let case_id = cases::id_by_number(store.conn(), number.trim())?;
                    print!(
                        "{}",
                        store.preview_template(kind, &text, &case_id, None, None)?
                    );
                }
                None => {
                    templates::check_template(kind, &text)?;
                    println!("{}模板检查通过（未保存）", kind.label());
                }
            }
        }
        TemplateCommand::Reset { kind: k } => {
            let kind = kind(&k)?;
            let was = store.template_source(kind)?.is_override;
            let t = store.reset_template(kind)?;
            if was {
                println!("已恢复{}的内置模板", t.label);
            } else {
                println!("{}使用的已是内置模板，无需恢复", t.label);
            }
        }
    }
    Ok(())
}
