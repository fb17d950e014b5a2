//! 三单 from the command line: issue a 交办单 or 督办单 (on the issuing org's desk), answer it
//! with a 反馈单 (on the receiving org's desk), accept or return the answer, list, print.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use hearing_core::supervision::{SlipFeedbackInput, SlipIssueInput, SlipKind, SlipStage};
use hearing_store::closure::Entry;
use hearing_store::slips::{SlipReviewInput, SupervisionSlip};
use hearing_store::{cases, Store};

#[derive(Subcommand)]
pub enum SlipCommand {
    /// 发出交办单或督办单（本机所属单位为发单单位）；打印单据编号。
    Issue {
        /// 案件编号
        #[arg(long = "case")]
        case: String,
        /// assign（交办单）| supervise（督办单）
        #[arg(long)]
        kind: String,
        /// 承办单位的单位代码，如 DHQ
        #[arg(long)]
        to: String,
        /// 办理期限 YYYY-MM-DD
        #[arg(long)]
        due: String,
        /// 事项内容
        #[arg(long)]
        content: String,
        /// 签发人（默认当前操作员）
        #[arg(long, default_value = "")]
        by: String,
        /// 发单单位的单位代码（仅未注册同步的工作台代录纸质单据时使用）
        #[arg(long = "from")]
        from: Option<String>,
    },
    /// 承办单位反馈办理情况（反馈单）。
    Feedback {
        #[arg(long)]
        slip: String,
        /// 办理情况
        #[arg(long)]
        text: String,
        /// 化解/终结结果
        #[arg(long, default_value = "")]
        outcome: String,
        /// 承办人（默认当前操作员）
        #[arg(long, default_value = "")]
        by: String,
        /// 负责人
        #[arg(long, default_value = "")]
        head: String,
    },
    /// 发单单位认可反馈，单据办结。
    Accept {
        #[arg(long)]
        slip: String,
        /// 审核意见
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// 发单单位退回反馈，要求重报。
    Return {
        #[arg(long)]
        slip: String,
        /// 退回理由
        #[arg(long)]
        reason: String,
    },
    /// 列出单据（默认本机所有单据）。
    List {
        /// 只列一个案件的
        #[arg(long = "case")]
        case: Option<String>,
        /// 只列本单位待办：待本单位反馈、待本单位审核，以及本单位发出、待承办单位反馈的单据
        #[arg(long)]
        todo: bool,
    },
    /// 将单据（或其某一轮反馈单）排成公文 PDF。
    Print {
        #[arg(long)]
        slip: String,
        /// 打印第 N 轮反馈单（1 起）而非单据本身
        #[arg(long)]
        feedback: Option<u32>,
        #[arg(long)]
        out: PathBuf,
    },
}

fn kind(key: &str) -> Result<SlipKind> {
    match key.trim() {
        "assign" | "交办单" | "交办" => Ok(SlipKind::Assign),
        "supervise" | "督办单" | "督办" => Ok(SlipKind::Supervise),
        other => bail!("未知的单据种类“{other}”，可选：assign（交办单）、supervise（督办单）"),
    }
}

/// The id of the org with `code` (case-insensitive) or this id, or a message listing the codes.
pub(crate) fn org_by_code(store: &Store, code: &str) -> Result<String> {
    let orgs = hearing_store::orgs::list(store.conn())?;
    let code = code.trim();
    if let Some(o) = orgs
        .iter()
        .find(|o| o.code.eq_ignore_ascii_case(code) || o.id == code)
    {
        return Ok(o.id.clone());
    }
    bail!(
        "本机没有单位代码为“{code}”的单位，可选：{}",
        orgs.iter()
            .map(|o| format!("{}（{}）", o.code, o.short_name))
            .collect::<Vec<_>>()
            .join("、")
    )
}

/// The operator's name when `by` is empty.
fn who(store: &Store, by: String) -> String {
    if by.trim().is_empty() {
        store
            .operator()
            .map(|o| o.name.clone())
            .unwrap_or_else(|| std::env::var("USER").unwrap_or_default())
    } else {
        by
    }
}

fn line(s: &SupervisionSlip) -> String {
    let mut l = format!(
        "{}\t{}\t{}\t{}\t{} → {}\t限 {}\t{}",
        s.id,
        s.case_number,
        s.kind.label(),
        if s.number.is_empty() { "-" } else { &s.number },
        s.from_unit,
        s.to_unit,
        s.deadline,
        s.stage.label()
    );
    if s.overdue {
        l.push_str("（已逾期）");
    }
    if s.proxy {
        l.push_str("（代录）");
    }
    l
}

fn print_slip(s: &SupervisionSlip) {
    println!("{}", line(s));
    println!("  事项：{}", s.content);
    if !s.issued_on.is_empty() {
        println!("  签发：{} {}", s.issued_on, s.issued_by);
    }
    for f in &s.feedback {
        println!(
            "  第 {} 轮反馈（{} {}{}）：{}",
            f.round + 1,
            f.answered_on,
            f.answered_by,
            if f.proxy { "，代录" } else { "" },
            f.text
        );
    }
    if !s.return_reason.is_empty() {
        println!("  最近退回理由：{}", s.return_reason);
    }
    if let Some(d) = &s.done_on {
        println!("  办结：{d} {}", s.reviewed_by);
    }
}

/// The issuer's 办结 (`accept`) or 退回重报.
fn review(store: &mut Store, slip: &str, accept: bool, reason: String) -> Result<SupervisionSlip> {
    store
        .review_slip(
            slip.trim(),
            &SlipReviewInput {
                accept,
                reason,
                reviewed_by: String::new(),
            },
        )
        .context(if accept {
            "不能办结"
        } else {
            "不能退回"
        })
}

pub fn slip_cmd(store: &mut Store, command: SlipCommand) -> Result<()> {
    match command {
        SlipCommand::Issue {
            case,
            kind: k,
            to,
            due,
            content,
            by,
            from,
        } => {
            let case_id = cases::id_by_number(store.conn(), case.trim())?;
            let input = SlipIssueInput {
                kind: kind(&k)?,
                from_org_id: from.map(|c| org_by_code(store, &c)).transpose()?,
                to_org_id: org_by_code(store, &to)?,
                content,
                deadline: due,
                issued_by: who(store, by),
            };
            let s = store.issue_slip(&case_id, &input).context("不能发出单据")?;
            println!("{}", s.id);
            eprintln!(
                "已发出{}{}：{} → {}，限 {} 前反馈{}",
                s.kind.label(),
                s.number,
                s.from_unit,
                s.to_unit,
                s.deadline,
                if s.proxy { "（代录）" } else { "" }
            );
        }
        SlipCommand::Feedback {
            slip,
            text,
            outcome,
            by,
            head,
        } => {
            let s = store
                .answer_slip(
                    slip.trim(),
                    &SlipFeedbackInput {
                        text,
                        outcome,
                        answered_by: who(store, by),
                        head,
                    },
                )
                .context("不能反馈")?;
            println!("已反馈{}{}，待发单单位审核", s.kind.label(), s.number);
        }
        SlipCommand::Accept { slip, reason } => {
            let s = review(store, &slip, true, reason)?;
            println!("{}{}已办结", s.kind.label(), s.number);
        }
        SlipCommand::Return { slip, reason } => {
            let s = review(store, &slip, false, reason)?;
            println!("{}{}已退回，待承办单位重新反馈", s.kind.label(), s.number);
        }
        SlipCommand::List { case, todo } => {
            let list = if todo {
                store.slip_todo()?
            } else {
                let case_id = case
                    .map(|c| cases::id_by_number(store.conn(), c.trim()))
                    .transpose()?;
                store.slips(case_id.as_deref())?
            };
            if list.is_empty() {
                println!(
                    "{}",
                    if todo {
                        "本单位没有待办的单据"
                    } else {
                        "没有单据"
                    }
                );
            }
            for s in &list {
                print_slip(s);
                if todo {
                    let what = if s.answer == Entry::Own && s.stage.awaits_feedback() {
                        "待本单位反馈"
                    } else if s.stage == SlipStage::AwaitingReview {
                        "待本单位审核"
                    } else {
                        "待承办单位反馈"
                    };
                    println!("  {what}");
                }
            }
        }
        SlipCommand::Print {
            slip,
            feedback,
            out,
        } => {
            let round = match feedback {
                Some(0) => bail!("反馈轮次从 1 起"),
                Some(n) => Some(n - 1),
                None => None,
            };
            let fonts = store.fonts()?;
            let pdf = store.slip_pdf(slip.trim(), round, &fonts)?;
            std::fs::write(&out, pdf).with_context(|| format!("无法写入 {}", out.display()))?;
            println!("{}", out.display());
        }
    }
    Ok(())
}
