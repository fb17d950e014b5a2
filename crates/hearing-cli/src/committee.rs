//! The committee's own work from the command line: 会商研判 (`meeting`), 通报 (`report`) and
//! 类案/积案 analysis (`groups`).

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use hearing_core::meeting::{Attendee, Conclusion, ItemConclusionInput, MeetingInput, Presence};
use hearing_store::bulletins::{report_xlsx, BulletinInput};
use hearing_store::meetings::Meeting;
use hearing_store::stats::groups::{GroupBy, GroupFilter};
use hearing_store::Store;

use crate::slips::org_by_code;

#[derive(Subcommand)]
pub enum MeetingCommand {
    /// 新建会商研判会议（本机所属单位召开）；打印会议 id。
    Create {
        /// 会议名称，如“2026年第49周涉法涉诉信访案件会商研判会议”
        #[arg(long)]
        title: String,
        /// 会议日期 YYYY-MM-DD
        #[arg(long)]
        date: String,
        #[arg(long, default_value = "")]
        time: String,
        #[arg(long)]
        place: String,
        /// 主持人
        #[arg(long)]
        chair: String,
        /// 记录人
        #[arg(long, default_value = "")]
        recorder: String,
        /// 出席人员“姓名:单位”，可重复
        #[arg(long = "present")]
        present: Vec<String>,
        /// 列席人员“姓名:单位”，可重复
        #[arg(long = "attending")]
        attending: Vec<String>,
        /// 请假人员“姓名:单位”，可重复
        #[arg(long = "absent")]
        absent: Vec<String>,
        /// 召开单位的单位代码（仅未注册同步的工作台代录纸质纪要时使用）
        #[arg(long = "org")]
        org: Option<String>,
    },
    /// 列出会商研判会议；--case：研判过该案件的会议及其结论（承办地的工作台经同步可见）。
    List {
        /// 案件编号
        #[arg(long = "case")]
        case: Option<String>,
    },
    /// 显示一次会议及其议题。
    Show {
        #[arg(long)]
        meeting: String,
    },
    /// 将案件列入议题（案件编号）。
    AddCase {
        #[arg(long)]
        meeting: String,
        #[arg(long = "case")]
        case: String,
        /// 列入原因
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// 预警建议列入议题的案件（超期办理、三单逾期、重复信访、依法重启）。
    Propose {
        #[arg(long)]
        meeting: String,
        /// 把前 N 件建议全部列入议题
        #[arg(long)]
        add: Option<usize>,
    },
    /// 调整议题顺序：按给出的案件编号排列（须列全）。
    Reorder {
        #[arg(long)]
        meeting: String,
        /// 案件编号，按新顺序，可重复
        #[arg(long = "case")]
        cases: Vec<String>,
    },
    /// 将案件移出议题。
    Remove {
        #[arg(long)]
        meeting: String,
        #[arg(long = "case")]
        case: String,
    },
    /// 记录一个议题的研判情况和结论；--slip 同时向责任单位发交办单。
    Conclude {
        #[arg(long)]
        meeting: String,
        #[arg(long = "case")]
        case: String,
        /// 研判情况
        #[arg(long)]
        discussion: String,
        /// continue（继续化解）| hearing（组织听证）| close（拟终结）| legal（导入法律程序）| other（其他）
        #[arg(long)]
        conclusion: String,
        /// 研判意见
        #[arg(long, default_value = "")]
        text: String,
        /// 责任单位的单位代码
        #[arg(long = "to")]
        to: Option<String>,
        /// 办理期限 YYYY-MM-DD
        #[arg(long, default_value = "")]
        due: String,
        /// 向责任单位发交办单
        #[arg(long)]
        slip: bool,
        /// 交办单签发人
        #[arg(long, default_value = "")]
        by: String,
    },
    /// 将会议纪要排成公文 PDF。
    Minutes {
        #[arg(long)]
        meeting: String,
        #[arg(long)]
        out: PathBuf,
    },
}

fn attendees(list: &[String], presence: Presence) -> Vec<Attendee> {
    list.iter()
        .map(|p| {
            let (name, unit) = p.split_once([':', '：']).unwrap_or((p, ""));
            Attendee {
                name: name.trim().to_owned(),
                unit: unit.trim().to_owned(),
                person_id: None,
                presence,
            }
        })
        .collect()
}

/// The meeting with this id, or (unambiguously) this number or title.
fn meeting_id(store: &Store, key: &str) -> Result<String> {
    let key = key.trim();
    let all = store.meetings()?;
    let hits: Vec<_> = all
        .iter()
        .filter(|m| m.id == key || m.number == key || m.title == key)
        .collect();
    match hits.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => bail!("没有会商研判会议“{key}”；用 hearingctl meeting list 查看"),
        _ => bail!("“{key}”对应多次会议，请用会议 id"),
    }
}

fn item_of(m: &Meeting, case: &str) -> Result<String> {
    m.items
        .iter()
        .find(|i| i.case_number == case.trim() || i.case_id == case.trim())
        .map(|i| i.id.clone())
        .with_context(|| format!("案件 {case} 不在本次会议议题中"))
}

fn print_meeting(m: &Meeting) {
    println!(
        "{}\t{}\t{}\t{} {}\t{}\t主持：{}{}",
        m.id,
        m.number,
        m.title,
        m.held_on,
        m.time,
        m.place,
        m.chair,
        if m.proxy { "（代录）" } else { "" }
    );
    for i in &m.items {
        let conclusion = match i.conclusion {
            Some(c) => c.label().to_owned(),
            None => "未研判".to_owned(),
        };
        let mut line = format!(
            "  {}. {} {}（{}）：{conclusion}",
            i.seq, i.case_number, i.case_title, i.handling_organ_name
        );
        if !i.responsible_org_name.is_empty() {
            line.push_str(&format!("，责任单位 {}", i.responsible_org_name));
        }
        if let Some(d) = &i.deadline {
            line.push_str(&format!("，限 {d}"));
        }
        if !i.slip_number.is_empty() {
            line.push_str(&format!("，交办单 {}", i.slip_number));
        }
        println!("{line}");
    }
}

pub fn meeting_cmd(store: &mut Store, command: MeetingCommand) -> Result<()> {
    match command {
        MeetingCommand::Create {
            title,
            date,
            time,
            place,
            chair,
            recorder,
            present,
            attending,
            absent,
            org,
        } => {
            let mut people = attendees(&present, Presence::Present);
            people.extend(attendees(&attending, Presence::Attending));
            people.extend(attendees(&absent, Presence::Absent));
            let m = store
                .create_meeting(&MeetingInput {
                    org_id: org.map(|c| org_by_code(store, &c)).transpose()?,
                    title,
                    held_on: date,
                    time,
                    place,
                    chair,
                    recorder,
                    attendees: people,
                    intro: String::new(),
                })
                .context("不能新建会议")?;
            println!("{}", m.id);
            eprintln!(
                "已新建{}会商研判会议（{}）{}",
                m.org_name,
                m.number,
                if m.proxy { "，代录" } else { "" }
            );
        }
        MeetingCommand::List { case: Some(case) } => {
            let id = hearing_store::cases::id_by_number(store.conn(), case.trim())?;
            let items = store.case_meetings(&id)?;
            if items.is_empty() {
                println!("案件 {} 未经会商研判", case.trim());
            }
            for i in items {
                let mut line = format!(
                    "{}	{}	{}	{}",
                    i.held_on,
                    i.org_name,
                    i.meeting_title,
                    i.conclusion
                        .map(|c| c.label().to_owned())
                        .unwrap_or_else(|| "未研判".to_owned())
                );
                if !i.conclusion_text.is_empty() {
                    line.push_str(&format!("：{}", i.conclusion_text));
                }
                if !i.responsible_org_name.is_empty() {
                    line.push_str(&format!("\t责任单位 {}", i.responsible_org_name));
                }
                if let Some(d) = &i.deadline {
                    line.push_str(&format!("，限 {d}"));
                }
                if !i.slip_number.is_empty() {
                    line.push_str(&format!("，交办单 {}", i.slip_number));
                }
                if i.proxy {
                    line.push_str("（代录）");
                }
                println!("{line}");
            }
        }
        MeetingCommand::List { case: None } => {
            let list = store.meetings()?;
            if list.is_empty() {
                println!("没有会商研判会议");
            }
            for m in list {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t议题 {} 件，已研判 {} 件",
                    m.id, m.held_on, m.number, m.org_name, m.title, m.cases, m.concluded
                );
            }
        }
        MeetingCommand::Show { meeting } => {
            let m = store.meeting(&meeting_id(store, &meeting)?)?;
            print_meeting(&m);
        }
        MeetingCommand::AddCase {
            meeting,
            case,
            reason,
        } => {
            let id = meeting_id(store, &meeting)?;
            let m = store
                .add_meeting_case(&id, &case, None, &reason)
                .context("不能列入议题")?;
            println!("已列入议题：{}（共 {} 件）", case.trim(), m.items.len());
        }
        MeetingCommand::Propose { meeting, add } => {
            let id = meeting_id(store, &meeting)?;
            let page = store.agenda_proposals(&id, hearing_store::today())?;
            println!(
                "预警建议 {} 件（列出前 {} 件）",
                page.total,
                page.items.len()
            );
            for (n, p) in page.items.iter().enumerate() {
                println!(
                    "{}\t{} {}\t{}",
                    n + 1,
                    p.case_number,
                    p.case_title,
                    p.reasons.join("；")
                );
            }
            if let Some(k) = add {
                for p in page.items.iter().take(k) {
                    store
                        .add_meeting_case(
                            &id,
                            &p.case_id,
                            p.kinds.first().copied(),
                            &p.reasons.first().cloned().unwrap_or_default(),
                        )
                        .with_context(|| format!("不能列入 {}", p.case_number))?;
                }
                println!("已列入 {} 件", k.min(page.items.len()));
            }
        }
        MeetingCommand::Reorder { meeting, cases } => {
            let id = meeting_id(store, &meeting)?;
            let m = store.meeting(&id)?;
            let ids = cases
                .iter()
                .map(|c| item_of(&m, c))
                .collect::<Result<Vec<_>>>()?;
            let m = store.reorder_meeting(&id, &ids).context("不能调整顺序")?;
            print_meeting(&m);
        }
        MeetingCommand::Remove { meeting, case } => {
            let id = meeting_id(store, &meeting)?;
            let item = item_of(&store.meeting(&id)?, &case)?;
            store.remove_meeting_item(&item).context("不能移出议题")?;
            println!("已移出议题：{}", case.trim());
        }
        MeetingCommand::Conclude {
            meeting,
            case,
            discussion,
            conclusion,
            text,
            to,
            due,
            slip,
            by,
        } => {
            let id = meeting_id(store, &meeting)?;
            let item = item_of(&store.meeting(&id)?, &case)?;
            let c = Conclusion::ALL
                .into_iter()
                .find(|c| c.as_str() == conclusion.trim() || c.label() == conclusion.trim())
                .with_context(|| {
                    format!(
                        "未知的研判结论“{conclusion}”，可选：{}",
                        Conclusion::ALL
                            .map(|c| format!("{}（{}）", c.as_str(), c.label()))
                            .join("、")
                    )
                })?;
            let m = store
                .conclude_meeting_item(
                    &item,
                    &ItemConclusionInput {
                        discussion,
                        conclusion: Some(c),
                        conclusion_text: text,
                        responsible_org_id: to.map(|c| org_by_code(store, &c)).transpose()?,
                        deadline: due,
                        issue_slip: slip,
                        issued_by: by,
                    },
                )
                .context("不能记录研判结论")?;
            let i = m
                .items
                .iter()
                .find(|i| i.id == item)
                .context("议题已不在会议中")?;
            println!("已记录研判结论：{} {}", i.case_number, c.label());
            if !i.slip_number.is_empty() {
                println!("已发交办单 {} → {}", i.slip_number, i.responsible_org_name);
            }
        }
        MeetingCommand::Minutes { meeting, out } => {
            let id = meeting_id(store, &meeting)?;
            let fonts = store.fonts()?;
            let pdf = store.meeting_pdf(&id, &fonts)?;
            std::fs::write(&out, pdf).with_context(|| format!("无法写入 {}", out.display()))?;
            println!("{}", out.display());
        }
    }
    Ok(())
}

/// `hearingctl report`: a 通报 for a period, as a PDF (and an XLSX); issued (numbered and kept)
/// with `--issue`, else a draft.
#[allow(clippy::too_many_arguments)]
pub fn report_cmd(
    store: &mut Store,
    period: String,
    org: Option<String>,
    out: PathBuf,
    xlsx: Option<PathBuf>,
    issue: bool,
    by: String,
    recipients: String,
) -> Result<()> {
    let org_id = org.map(|c| org_by_code(store, &c)).transpose()?;
    let input = BulletinInput {
        period,
        org_id,
        recipients,
        remarks: String::new(),
        issued_by: by,
    };
    let (report, text, number) = if issue {
        let b = store.issue_bulletin(&input).context("不能印发通报")?;
        (b.report, b.body, b.number)
    } else {
        let (r, t) = store.bulletin_draft(&input).context("不能生成通报")?;
        (r, t, String::new())
    };
    let fonts = store.fonts()?;
    let pdf = store.bulletin_pdf(&text, &fonts)?;
    std::fs::write(&out, pdf).with_context(|| format!("无法写入 {}", out.display()))?;
    println!("{}", out.display());
    if let Some(x) = xlsx {
        let bytes = report_xlsx(&report, &number)?;
        std::fs::write(&x, bytes).with_context(|| format!("无法写入 {}", x.display()))?;
        println!("{}", x.display());
    }
    let t = &report.total.now;
    eprintln!(
        "{}{}：收案 {} 件，结案 {} 件，办结率 {}",
        if number.is_empty() {
            "通报草稿"
        } else {
            &number
        },
        report.period.label,
        t.received,
        t.closed,
        t.closure_rate
            .map(|r| format!("{r}%"))
            .unwrap_or_else(|| "无".to_owned())
    );
    for c in &report.counties {
        eprintln!(
            "  {}. {}：收案 {}，结案 {}，办结率 {}（{}）",
            c.rank,
            c.label,
            c.now.received,
            c.now.closed,
            c.now
                .closure_rate
                .map(|r| format!("{r}%"))
                .unwrap_or_else(|| "无".to_owned()),
            c.change
        );
    }
    Ok(())
}

/// `hearingctl groups`: 类案 groups and the 积案 by cause.
pub fn groups_cmd(
    store: &Store,
    org: Option<String>,
    backlog_days: Option<u32>,
    by: Option<String>,
    key: Option<String>,
) -> Result<()> {
    let f = GroupFilter {
        org_id: org.map(|c| org_by_code(store, &c)).transpose()?,
        backlog_days,
        today: None,
    };
    if let (Some(by), Some(key)) = (&by, &key) {
        let g = GroupBy::parse(by).with_context(|| {
            format!("未知的分组方式“{by}”，可选：category、organ、demand、stage")
        })?;
        for c in store.group_cases(&f, g, key)? {
            println!(
                "{}\t{}\t{}\t{}\t登记 {} 日，现阶段 {} 日（{}）",
                c.number,
                c.title,
                c.organ_name,
                c.status.label(),
                c.age_days,
                c.stage_days,
                c.demand.label()
            );
        }
        return Ok(());
    }
    let r = store.case_groups(&f)?;
    println!("{}；共 {} 件", r.description, r.cases);
    for t in &r.tables {
        if by.as_deref().is_some_and(|b| b != t.by.as_str()) {
            continue;
        }
        println!("{}", t.title);
        for g in &t.groups {
            println!(
                "  {}\t{}\t{} 件，在办 {}，积案 {}，现阶段用时中位数 {} 日",
                g.key,
                g.label,
                g.cases,
                g.active,
                g.backlog,
                g.median_stage_days
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "无".to_owned())
            );
        }
    }
    println!(
        "积案 {} 件（登记满 {} 日仍在办）",
        r.backlog_total, r.backlog_days
    );
    for c in &r.backlog {
        println!("  {}：{} 件", c.label, c.total);
        for x in c.cases.iter().take(5) {
            println!(
                "    {} {}（{}，登记 {} 日）",
                x.number,
                x.title,
                x.status.label(),
                x.age_days
            );
        }
    }
    Ok(())
}
