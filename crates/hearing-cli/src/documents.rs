//! Documents from the command line: draft rendering of every kind, the life cycle of stored
//! documents, and `verify` for a PDF someone hands in.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use hearing_docs::{render_document, DocKind, FontSet};
use hearing_store::documents::{self, Document, ServiceInput};
use hearing_store::{cases, Store};

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

/// `hearingctl render`: a draft of any kind, straight from the case data (nothing stored).
pub fn render(
    store: &Store,
    kind_key: &str,
    case: &str,
    hearing: Option<&str>,
    out: &Path,
) -> Result<()> {
    let kind = kind(kind_key)?;
    let case_id = cases::id_by_number(store.conn(), case.trim())?;
    let text = store.preview_text(kind, &case_id, hearing)?;
    let pdf = render_document(kind, &text, &*fonts(store)?, None).map_err(|e| anyhow::anyhow!("{e}"))?;
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
                documents::state_label(&d.state),
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
        /// 直接 | 留置 | 邮寄 | 委托 | 转交 | 电子
        #[arg(long)]
        method: String,
        #[arg(long)]
        recipient: String,
        #[arg(long, default_value = "")]
        receiver: String,
        #[arg(long, default_value = "")]
        server: String,
    },
    Filed {
        id: String,
    },
}

fn show(d: &Document) {
    println!(
        "{}  {}  {}  第{}版  {}{}",
        d.id,
        DocKind::parse(&d.kind)
            .map(|k| k.label())
            .unwrap_or(&d.kind),
        if d.number.is_empty() { "-" } else { &d.number },
        d.version,
        documents::state_label(&d.state),
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
        } => {
            let case_id = cases::id_by_number(store.conn(), case.trim())?;
            let d = store.generate_document(kind(&k)?, &case_id, hearing.as_deref())?;
            show(&d);
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
        } => show(&store.record_document_service(
            &id,
            &ServiceInput {
                date,
                method,
                recipient,
                receiver,
                server,
                note: String::new(),
            },
        )?),
        DocCommand::Filed { id } => show(&store.file_document(&id)?),
    }
    Ok(())
}
