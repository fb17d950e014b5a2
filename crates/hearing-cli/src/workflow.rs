//! The hearing workflow from the command line: plan a hearing, bring in the people, take it
//! through its guarded transitions, record testimony and opinions, and take the case through
//! its closure approval — so a whole flow can be scripted.
//!
//! Identifiers are the ids the store prints (`hearing show` lists every participant's id);
//! enum values are the camelCase keys of `hearing_core` (`notify`, `startDeliberation` …).

use anyhow::{Context, Result};
use clap::Subcommand;
use hearing_core::case_flow::CaseAction;
use hearing_core::deliberation::{OpinionInput, Vote};
use hearing_core::hearing::{
    HearingAction, HearingMode, InvitationStatus, ParticipantRole, SignatureStatus,
};
use hearing_core::panel::PoolFilter;
use hearing_core::plan::{
    ActionInput, ApprovalInput, HearingInput, OrganDecisionInput, ParticipantInput,
};
use hearing_core::testimony::{qa_label, TestimonyInput};
use hearing_core::PersonKind;
use hearing_store::hearings::{self, Deliberation, HearingDetail, Participant};
use hearing_store::{audit, cases, closure, Store};

/// An enum of the rules with camelCase keys and Chinese labels.
pub trait Keyed: Sized + Copy + 'static {
    /// What it is, for the error message.
    const WHAT: &'static str;
    fn all() -> Vec<Self>;
    fn key(self) -> &'static str;
    fn name(self) -> &'static str;
    fn from_key(s: &str) -> Option<Self>;
}

macro_rules! keyed {
    ($($t:ty => $what:literal),* $(,)?) => {
        $(impl Keyed for $t {
            const WHAT: &'static str = $what;
            fn all() -> Vec<Self> {
                <$t>::ALL.to_vec()
            }
            fn key(self) -> &'static str {
                self.as_str()
            }
            fn name(self) -> &'static str {
                self.label()
            }
            fn from_key(s: &str) -> Option<Self> {
                <$t>::parse(s)
            }
        })*
    };
}

keyed! {
    HearingMode => "听证方式",
    ParticipantRole => "角色",
    InvitationStatus => "邀请/出席状态",
    SignatureStatus => "签字状态",
    HearingAction => "听证会操作",
    Vote => "表决意见",
    CaseAction => "案件操作",
    PersonKind => "人员类别",
}

/// Parses a camelCase key; an unknown one is refused with every valid key and its meaning.
pub fn parse_key<T: Keyed>(s: &str) -> Result<T> {
    let s = s.trim();
    T::from_key(s).with_context(|| {
        let keys: Vec<String> = T::all()
            .into_iter()
            .map(|k| format!("{}（{}）", k.key(), k.name()))
            .collect();
        format!("未知{}“{s}”，可选：{}", T::WHAT, keys.join("、"))
    })
}

#[derive(Subcommand)]
pub enum HearingCommand {
    /// 筹备听证会：为案件安排一场听证（信访人与承办人自动加入）。
    Create {
        /// 案号，如 DHQ-2026-001
        #[arg(long = "case")]
        case: String,
        /// 听证日期 YYYY-MM-DD
        #[arg(long)]
        date: String,
        /// 开始时间 HH:MM（默认 09:00）
        #[arg(long, default_value = "")]
        time: String,
        /// 听证地点
        #[arg(long)]
        venue: String,
        /// onSite | video | hybrid
        #[arg(long, default_value = "onSite")]
        mode: String,
        /// 听证会名称（默认“<案件名称>听证会”）
        #[arg(long)]
        title: Option<String>,
        /// 不公开听证，并说明理由
        #[arg(long, value_name = "REASON")]
        private: Option<String>,
    },
    /// 列出听证会（可按案号筛选）。
    List {
        #[arg(long = "case")]
        case: Option<String>,
    },
    /// 显示一场听证会：方案、状态、议程、参加人、可执行操作与提示。
    Show { id: String },
    /// 添加参加人（主持人、记录员、代理人、证人……）。
    Add {
        #[arg(long)]
        hearing: String,
        /// presider | clerk | panelist | petitioner | agent | caseOfficer | thirdParty | witness | observer
        #[arg(long)]
        role: String,
        #[arg(long)]
        name: String,
        /// 单位或身份
        #[arg(long, default_value = "")]
        unit: String,
        /// 人员库中的人员编号（手选听证员时）
        #[arg(long)]
        person_id: Option<String>,
    },
    /// 从人员库随机抽取听证员（种子与候选名单留档，可复核）。
    Draw {
        #[arg(long)]
        hearing: String,
        #[arg(long)]
        count: u32,
        /// 随机种子（不填则自动生成并记录）
        #[arg(long)]
        seed: Option<String>,
        /// 人员类别，逗号分隔，如 partyDelegate,congressDeputy,cppccMember
        #[arg(long, value_delimiter = ',')]
        kinds: Vec<String>,
        /// 单位包含的文字
        #[arg(long, default_value = "")]
        unit: String,
    },
    /// 更新邀请或出席状态：sent | accepted | declined | noAnswer | attended | absent。
    Invite {
        #[arg(long)]
        participant: String,
        #[arg(long)]
        status: String,
    },
    /// 回避与保密声明。
    Declare {
        #[arg(long)]
        participant: String,
        /// 已签回避/保密承诺书
        #[arg(long)]
        signed: bool,
        /// 提出的回避问题（待决定）
        #[arg(long, value_name = "NOTE")]
        recusal: Option<String>,
        /// 回避问题已作决定（与 --recusal 一起记录说明）
        #[arg(long, requires = "recusal")]
        recusal_resolved: bool,
    },
    /// 登记听证通知的送达。
    Notice {
        #[arg(long)]
        participant: String,
        /// 送达日期 YYYY-MM-DD
        #[arg(long)]
        date: String,
        /// 送达方式：直接送达 | 留置送达 | 邮寄送达 | 委托送达 | 转交送达 | 电子送达（或 直接、留置 …，或 direct、left …）
        #[arg(long)]
        method: String,
    },
    /// 登记听证公告的发布日期（公开听证）。
    Announce {
        #[arg(long)]
        hearing: String,
        #[arg(long)]
        date: String,
    },
    /// 推进听证会状态；条件不满足时逐条列出。
    Transition {
        #[arg(long)]
        hearing: String,
        /// notify | open | recess | resume | startDeliberation | conclude | signTranscript |
        /// postpone | suspend | resumeFromSuspension | cancel
        #[arg(long)]
        action: String,
        #[arg(long, default_value = "")]
        reason: String,
        /// 延期后的新日期 YYYY-MM-DD
        #[arg(long, default_value = "")]
        date: String,
    },
    /// 切换正在记录的议程环节（序号见 hearing show）。
    Step {
        #[arg(long)]
        hearing: String,
        #[arg(long)]
        step: u32,
    },
    /// 记录承办单位对评议意见的决定：agree | disagree | other。
    Decide {
        #[arg(long)]
        hearing: String,
        #[arg(long)]
        decision: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// 笔录签字：signed | refused | notPresent。
    Sign {
        #[arg(long)]
        participant: String,
        #[arg(long)]
        status: String,
        #[arg(long, default_value = "")]
        note: String,
    },
}

#[derive(Subcommand)]
pub enum TestimonyCommand {
    /// 记录一条笔录。
    Add {
        #[arg(long)]
        hearing: String,
        /// 议程环节的键，如 organStatement
        #[arg(long)]
        step: String,
        /// 发言人角色，如 presider、petitioner
        #[arg(long)]
        role: String,
        #[arg(long)]
        speaker: String,
        #[arg(long)]
        text: String,
    },
    /// 更正一条笔录：另起一条更正记录，原条目保留并标注。
    Correct {
        #[arg(long)]
        entry: String,
        #[arg(long)]
        text: String,
    },
    /// 按顺序列出笔录（含更正与被更正的条目）。
    List {
        #[arg(long)]
        hearing: String,
    },
}

#[derive(Subcommand)]
pub enum OpinionCommand {
    /// 提交（或在结束前修改）一名听证员的评议意见。
    Add {
        #[arg(long)]
        participant: String,
        /// agree | disagree | other
        #[arg(long)]
        vote: String,
        #[arg(long, default_value = "")]
        facts: String,
        #[arg(long, default_value = "")]
        law: String,
        #[arg(long, default_value = "")]
        reasons: String,
    },
    /// 评议结果：各意见数、多数意见、少数意见原文。
    Tally {
        #[arg(long)]
        hearing: String,
    },
}

#[derive(Subcommand)]
pub enum ClosureCommand {
    /// 终结审批的一级决定。
    Approve {
        #[arg(long = "case")]
        case: String,
        /// caseOfficer | organHead | committee | superior
        #[arg(long)]
        level: String,
        #[arg(long)]
        approver: String,
        #[arg(long)]
        opinion: String,
        /// 不同意
        #[arg(long)]
        reject: bool,
        /// 审批日期 YYYY-MM-DD（默认今天）
        #[arg(long, default_value = "")]
        date: String,
    },
    /// 待审批：终结审批中等待本单位决定的案件（来自下级各单位）。
    Inbox,
}

fn dash(s: &str) -> &str {
    if s.trim().is_empty() {
        "-"
    } else {
        s
    }
}

fn case_id(store: &Store, number: &str) -> Result<String> {
    Ok(cases::id_by_number(store.conn(), number.trim())?)
}

/// The keys of `actions` with their labels, for "可执行操作".
fn keys_with_labels<T: Keyed>(items: &[T]) -> String {
    if items.is_empty() {
        return "无".to_owned();
    }
    items
        .iter()
        .map(|a| format!("{}（{}）", a.key(), a.name()))
        .collect::<Vec<_>>()
        .join("、")
}

fn participant_line(p: &Participant) -> String {
    let notice = match &p.notice_served_on {
        Some(d) => format!("{d} {}", p.notice_method),
        None => "未送达".to_owned(),
    };
    let mut declaration = if p.confidentiality_signed {
        "已签承诺".to_owned()
    } else {
        "未签承诺".to_owned()
    };
    if p.recusal_unresolved {
        declaration.push_str("，回避问题待决定");
    }
    if !p.recusal_note.is_empty() {
        declaration.push_str(&format!("（{}）", p.recusal_note));
    }
    let mut signature = p.signature.label().to_owned();
    if !p.signature_note.is_empty() {
        signature.push_str(&format!("（{}）", p.signature_note));
    }
    format!(
        "  {}\t{}\t{}\t{}\t邀请/出席：{}\t通知：{}\t声明：{}\t签字：{}",
        p.id,
        p.role.label(),
        p.name,
        dash(&p.unit),
        p.invitation.label(),
        notice,
        declaration,
        signature
    )
}

fn print_status_line(d: &HearingDetail) {
    let h = &d.hearing;
    let mut line = format!("听证会“{}”当前状态：{}", h.title, h.status.label());
    if !h.status_reason.is_empty() {
        line.push_str(&format!("（{}）", h.status_reason));
    }
    println!("{line}");
    for w in &d.warnings {
        println!("提示：{w}");
    }
}

fn print_detail(d: &HearingDetail) {
    let h = &d.hearing;
    println!("听证会编号：{}", h.id);
    println!("名称：{}", h.title);
    println!("案件：{}  {}", h.case_number, h.case_title);
    println!(
        "时间：{} {}  地点：{}  方式：{}",
        h.scheduled_on,
        h.start_time,
        h.venue,
        h.mode.label()
    );
    if h.public {
        println!(
            "公开听证  公告：{}",
            h.announcement_published_on
                .as_deref()
                .map(|d| format!("{d} 发布"))
                .unwrap_or_else(|| "未发布".to_owned())
        );
    } else {
        println!("不公开听证：{}", h.non_public_reason);
    }
    let mut status = format!("状态：{}", h.status.label());
    if !h.status_reason.is_empty() {
        status.push_str(&format!("（{}）", h.status_reason));
    }
    println!("{status}");
    if let Some(seed) = &h.draw_seed {
        println!("抽取种子：{seed}");
    }
    if let Some(hash) = &h.transcript_hash {
        println!(
            "笔录哈希：{hash}（签署于 {}）",
            h.transcript_signed_at
                .as_deref()
                .map(china_time)
                .unwrap_or_else(|| "-".to_owned())
        );
    }
    if let Some(v) = h.organ_decision {
        println!(
            "承办单位决定：{}{}",
            v.label(),
            if h.organ_decision_reason.is_empty() {
                String::new()
            } else {
                format!("（{}）", h.organ_decision_reason)
            }
        );
    }
    println!("通知期限：开庭前 {} 日送达", d.notice_days);
    println!("议程：");
    for (i, s) in d.agenda.iter().enumerate() {
        let mut extra = String::new();
        if s.closed {
            extra.push_str("〔不公开〕");
        }
        if s.optional {
            extra.push_str("〔可省略〕");
        }
        let here = if i as u32 == h.current_step {
            "  ← 当前"
        } else {
            ""
        };
        println!("  [{i}] {}\t{}{extra}{here}", s.key, s.title);
    }
    println!("参加人（{} 人）：", d.participants.len());
    for p in &d.participants {
        println!("{}", participant_line(p));
    }
    println!("可执行操作：{}", keys_with_labels(&d.actions));
    for w in &d.warnings {
        println!("提示：{w}");
    }
}

fn participant_name(store: &Store, id: &str) -> Result<Participant> {
    Ok(hearings::participant(store.conn(), id.trim())?)
}

pub fn hearing_cmd(store: &mut Store, command: HearingCommand) -> Result<()> {
    match command {
        HearingCommand::Create {
            case,
            date,
            time,
            venue,
            mode,
            title,
            private,
        } => {
            let id = case_id(store, &case)?;
            let c = cases::get(store.conn(), &id)?;
            let mode = parse_key::<HearingMode>(&mode)?;
            let title = title.unwrap_or_else(|| format!("{}听证会", c.title));
            let input = HearingInput {
                case_id: id,
                title,
                scheduled_on: date,
                start_time: time,
                venue,
                mode: Some(mode),
                public: private.is_none(),
                non_public_reason: private.unwrap_or_default(),
            };
            let d = store.create_hearing(&input)?;
            println!("已筹备听证会");
            print_detail(&d);
        }
        HearingCommand::List { case } => {
            let id = match case {
                Some(number) => Some(case_id(store, &number)?),
                None => None,
            };
            let rows = hearings::list(store.conn(), id.as_deref())?;
            for h in &rows {
                println!(
                    "{}\t{}\t{} {}\t{}\t听证员 {} 人\t{}\t{}",
                    h.id,
                    h.case_number,
                    h.scheduled_on,
                    h.start_time,
                    h.status.label(),
                    h.panel_size,
                    h.venue,
                    h.title
                );
            }
            println!("共 {} 场", rows.len());
        }
        HearingCommand::Show { id } => {
            let d = hearings::detail(store.conn(), id.trim())?;
            print_detail(&d);
        }
        HearingCommand::Add {
            hearing,
            role,
            name,
            unit,
            person_id,
        } => {
            let role = parse_key::<ParticipantRole>(&role)?;
            let d = store.add_participant(
                hearing.trim(),
                &ParticipantInput {
                    role,
                    person_id,
                    name,
                    unit,
                },
            )?;
            match d.participants.last() {
                Some(p) => println!("已添加{}：{}，编号：{}", p.role.label(), p.name, p.id),
                None => println!("已添加"),
            }
        }
        HearingCommand::Draw {
            hearing,
            count,
            seed,
            kinds,
            unit,
        } => {
            let kinds = kinds
                .iter()
                .map(|k| k.trim())
                .filter(|k| !k.is_empty())
                .map(parse_key::<PersonKind>)
                .collect::<Result<Vec<_>>>()?;
            let filter = PoolFilter {
                kinds,
                levels: Vec::new(),
                unit_contains: unit,
                only_available: true,
            };
            let record = store.draw_panel(hearing.trim(), &filter, count, seed.as_deref())?;
            let d = hearings::detail(store.conn(), hearing.trim())?;
            println!("种子：{}", record.seed);
            println!("候选人数：{}", record.pool.len());
            println!("抽取 {} 名：", record.drawn.len());
            for person in &record.drawn {
                if let Some(p) = d
                    .participants
                    .iter()
                    .find(|p| p.person_id.as_deref() == Some(person.as_str()))
                {
                    println!("  {}\t{}\t{}", p.id, p.name, dash(&p.unit));
                }
            }
            for w in &d.warnings {
                println!("提示：{w}");
            }
        }
        HearingCommand::Invite {
            participant,
            status,
        } => {
            let status = parse_key::<InvitationStatus>(&status)?;
            store.set_invitation(participant.trim(), status)?;
            let p = participant_name(store, &participant)?;
            println!("{} {}：{}", p.role.label(), p.name, p.invitation.label());
        }
        HearingCommand::Declare {
            participant,
            signed,
            recusal,
            recusal_resolved,
        } => {
            let unresolved = recusal.is_some() && !recusal_resolved;
            store.set_declaration(
                participant.trim(),
                signed,
                unresolved,
                recusal.as_deref().unwrap_or_default(),
            )?;
            let p = participant_name(store, &participant)?;
            println!(
                "{} {}：{}{}",
                p.role.label(),
                p.name,
                if p.confidentiality_signed {
                    "已签回避/保密承诺"
                } else {
                    "未签回避/保密承诺"
                },
                if p.recusal_unresolved {
                    "，回避问题待决定"
                } else {
                    ""
                }
            );
        }
        HearingCommand::Notice {
            participant,
            date,
            method,
        } => {
            store.serve_notice(participant.trim(), &date, &method)?;
            let p = participant_name(store, &participant)?;
            println!(
                "已向{} {} 送达听证通知：{} {}",
                p.role.label(),
                p.name,
                p.notice_served_on.as_deref().unwrap_or("-"),
                p.notice_method
            );
        }
        HearingCommand::Announce { hearing, date } => {
            let d = store.publish_announcement(hearing.trim(), &date)?;
            println!(
                "已登记听证公告：{} 发布",
                d.hearing
                    .announcement_published_on
                    .as_deref()
                    .unwrap_or("-")
            );
        }
        HearingCommand::Transition {
            hearing,
            action,
            reason,
            date,
        } => {
            let action = parse_key::<HearingAction>(&action)?;
            let d = store
                .hearing_action(hearing.trim(), action, &ActionInput { reason, date })
                .with_context(|| format!("不能执行“{}”", action.label()))?;
            println!("已执行“{}”", action.label());
            print_status_line(&d);
            if action == HearingAction::SignTranscript {
                if let Some(hash) = &d.hearing.transcript_hash {
                    println!("笔录哈希：{hash}");
                }
            }
            println!("可执行操作：{}", keys_with_labels(&d.actions));
        }
        HearingCommand::Step { hearing, step } => {
            let d = store.set_current_step(hearing.trim(), step)?;
            let title = d
                .agenda
                .get(d.hearing.current_step as usize)
                .map(|s| format!("{}（{}）", s.title, s.key))
                .unwrap_or_default();
            println!("当前环节：[{}] {title}", d.hearing.current_step);
        }
        HearingCommand::Decide {
            hearing,
            decision,
            reason,
        } => {
            let decision = parse_key::<Vote>(&decision)?;
            let d = store
                .record_organ_decision(hearing.trim(), &OrganDecisionInput { decision, reason })
                .context("不能记录承办单位决定")?;
            match d.organ_decision {
                Some(v) => {
                    let follows = d.tally.majority == Some(v);
                    println!(
                        "承办单位决定：{}（{}）",
                        v.label(),
                        if follows {
                            "与多数意见一致"
                        } else {
                            "与多数意见不一致"
                        }
                    );
                    if !d.organ_decision_reason.is_empty() {
                        println!("理由：{}", d.organ_decision_reason);
                    }
                }
                None => println!("承办单位决定：未记录"),
            }
        }
        HearingCommand::Sign {
            participant,
            status,
            note,
        } => {
            let status = parse_key::<SignatureStatus>(&status)?;
            store.set_signature(participant.trim(), status, &note)?;
            let p = participant_name(store, &participant)?;
            println!(
                "{} {} 笔录签字：{}",
                p.role.label(),
                p.name,
                p.signature.label()
            );
        }
    }
    Ok(())
}

pub fn testimony_cmd(store: &mut Store, command: TestimonyCommand) -> Result<()> {
    match command {
        TestimonyCommand::Add {
            hearing,
            step,
            role,
            speaker,
            text,
        } => {
            let role = parse_key::<ParticipantRole>(&role)?;
            let e = store.add_testimony(
                hearing.trim(),
                &TestimonyInput {
                    step_key: step,
                    speaker_role: role,
                    speaker_name: speaker,
                    text,
                },
            )?;
            println!("已记录笔录第 {} 条，编号：{}", e.seq, e.id);
        }
        TestimonyCommand::Correct { entry, text } => {
            let old = hearings::testimony_entry(store.conn(), entry.trim())?;
            let e = store.correct_testimony(entry.trim(), &text)?;
            println!(
                "已更正第 {} 条：更正记录为第 {} 条，编号：{}",
                old.seq, e.seq, e.id
            );
        }
        TestimonyCommand::List { hearing } => {
            let d = hearings::detail(store.conn(), hearing.trim())?;
            let entries = hearings::testimony(store.conn(), hearing.trim())?;
            for e in &entries {
                let step = d
                    .agenda
                    .iter()
                    .find(|s| s.key == e.step_key)
                    .map(|s| s.title.as_str())
                    .unwrap_or(e.step_key.as_str());
                let mut line = format!(
                    "{}\t{}\t[{}] {}：{} {}：{}",
                    e.seq,
                    e.id,
                    step,
                    qa_label(e.speaker_role),
                    e.speaker_role.label(),
                    e.speaker_name,
                    e.text
                );
                if let Some(old) = &e.supersedes {
                    let seq = entries
                        .iter()
                        .find(|x| &x.id == old)
                        .map(|x| x.seq.to_string())
                        .unwrap_or_else(|| "?".to_owned());
                    line.push_str(&format!("（更正第 {seq} 条）"));
                }
                if e.superseded_by.is_some() {
                    line.push_str(" 〔已更正〕");
                }
                println!("{line}");
            }
            let effective = entries.iter().filter(|e| e.superseded_by.is_none()).count();
            println!("共 {} 条（有效 {effective} 条）", entries.len());
            if let Some(hash) = &d.hearing.transcript_hash {
                println!("笔录已签署，哈希：{hash}");
            }
        }
    }
    Ok(())
}

fn print_tally(d: &Deliberation) {
    let t = &d.tally;
    println!(
        "同意 {}，不同意 {}，其他 {}，共 {} 份",
        t.agree, t.disagree, t.other, t.total
    );
    match t.majority {
        Some(v) => println!("多数意见：{}", v.label()),
        None => println!("多数意见：无（没有过半数的意见）"),
    }
    if t.minority.is_empty() {
        println!("少数意见：无");
    } else {
        println!("少数意见：");
        for o in &t.minority {
            println!("  {}（{}）", o.panelist_name, o.vote.label());
            if !o.facts.is_empty() {
                println!("    对事实：{}", o.facts);
            }
            if !o.law.is_empty() {
                println!("    对法律适用：{}", o.law);
            }
            if !o.reasons.is_empty() {
                println!("    理由：{}", o.reasons);
            }
        }
    }
    if !d.missing.is_empty() {
        println!("尚未提交意见：{}", d.missing.join("、"));
    }
}

pub fn opinion_cmd(store: &mut Store, command: OpinionCommand) -> Result<()> {
    match command {
        OpinionCommand::Add {
            participant,
            vote,
            facts,
            law,
            reasons,
        } => {
            let vote = parse_key::<Vote>(&vote)?;
            let d = store.save_opinion(
                participant.trim(),
                &OpinionInput {
                    facts,
                    law,
                    vote: Some(vote),
                    reasons,
                },
            )?;
            let p = participant_name(store, &participant)?;
            println!("已记录听证员 {} 的评议意见：{}", p.name, vote.label());
            println!(
                "目前：同意 {}，不同意 {}，其他 {}；尚未提交 {} 人",
                d.tally.agree,
                d.tally.disagree,
                d.tally.other,
                d.missing.len()
            );
        }
        OpinionCommand::Tally { hearing } => {
            let d = hearings::deliberation(store.conn(), hearing.trim())?;
            println!("评议意见：");
            for o in &d.opinions {
                println!(
                    "  {}\t{}\t{}",
                    o.panelist_name,
                    o.vote.label(),
                    dash(&o.reasons)
                );
            }
            print_tally(&d);
            if let Some(v) = d.organ_decision {
                println!("承办单位决定：{}", v.label());
            }
        }
    }
    Ok(())
}

pub fn closure_cmd(store: &mut Store, command: ClosureCommand) -> Result<()> {
    match command {
        ClosureCommand::Approve {
            case,
            level,
            approver,
            opinion,
            reject,
            date,
        } => {
            let id = case_id(store, &case)?;
            let wf = store
                .approve(
                    &id,
                    &ApprovalInput {
                        level_key: level.clone(),
                        approver,
                        opinion,
                        approved: !reject,
                        decided_on: date,
                    },
                )
                .context("不能记录审批")?;
            let title = wf
                .chain
                .iter()
                .find(|l| l.key == level.trim())
                .map(|l| l.title.as_str())
                .unwrap_or(level.as_str());
            let proxy = wf
                .approvals
                .last()
                .filter(|s| s.proxy)
                .and_then(|s| s.decider_org_name.clone());
            println!(
                "已记录{title}审批：{}{}",
                if reject { "不同意" } else { "同意" },
                proxy
                    .map(|org| format!("（代录：本机不属于{org}，按{org}的书面决定录入）"))
                    .unwrap_or_default()
            );
            print_chain(&wf);
        }
        ClosureCommand::Inbox => {
            let items = store.approval_inbox()?;
            if items.is_empty() {
                println!("没有等待本单位审批的案件");
            }
            for i in &items {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    i.case_number,
                    i.level_title,
                    i.handling_organ_name,
                    i.ready_since.as_deref().map(china_time).unwrap_or_default(),
                    i.case_title
                );
            }
        }
    }
    Ok(())
}

/// Takes a case through one transition of the case flow.
pub fn case_action(
    store: &mut Store,
    number: &str,
    action: &str,
    reason: String,
    date: String,
) -> Result<()> {
    let action = parse_key::<CaseAction>(action)?;
    let id = case_id(store, number)?;
    let c = store
        .case_action(&id, action, &ActionInput { reason, date })
        .with_context(|| format!("不能执行“{}”", action.label()))?;
    println!(
        "{}：已执行“{}”，当前状态：{}",
        c.number,
        action.label(),
        c.status.label()
    );
    let wf = store.case_workflow(&id)?;
    println!("可执行操作：{}", keys_with_labels(&wf.actions));
    Ok(())
}

fn print_chain(wf: &closure::CaseWorkflow) {
    println!("终结审批：");
    for l in &wf.chain {
        let state = match &l.step {
            Some(s) => format!(
                "{}（{}，{}{}）：{}",
                if s.approved { "同意" } else { "不同意" },
                s.approver,
                s.decided_on,
                if s.proxy { "，代录" } else { "" },
                s.opinion
            ),
            None => "未审批".to_owned(),
        };
        let decider = match &l.decider {
            closure::Deciding::HandlingOrgan => "承办单位".to_owned(),
            closure::Deciding::Org { org_name, .. } => org_name.clone(),
            closure::Deciding::Missing { reason } => format!("未找到审批单位：{reason}"),
        };
        println!(
            "  {}\t{}{}\t{decider}\t{state}",
            l.key,
            l.title,
            if l.required { "" } else { "（可选）" }
        );
    }
}

/// "YYYY-MM-DD HH:MM" in China time (UTC+8) for a stored UTC timestamp.
pub fn china_time(at: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => (t.naive_utc() + chrono::Duration::hours(8))
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => at.to_owned(),
    }
}

/// The workflow part of `cases show`: status, actions, approvals, hearings and the timeline.
pub fn print_case_workflow(store: &Store, case_id: &str) -> Result<()> {
    let wf = store.case_workflow(case_id)?;
    let mut status = format!("流程状态：{}", wf.status.label());
    if !wf.status_reason.is_empty() {
        status.push_str(&format!("（{}）", wf.status_reason));
    }
    println!("{status}");
    println!("可执行操作：{}", keys_with_labels(&wf.actions));
    for (what, day) in [
        ("终结日期", &wf.closed_on),
        ("送达日期", &wf.served_on),
        ("备案日期", &wf.filed_on),
    ] {
        if let Some(d) = day.as_deref().filter(|d| !d.is_empty()) {
            println!("{what}：{d}");
        }
    }
    let rows = hearings::list(store.conn(), Some(case_id))?;
    if !rows.is_empty() {
        println!("听证会：");
        for h in &rows {
            println!(
                "  {}\t{} {}\t{}\t{}",
                h.id,
                h.scheduled_on,
                h.start_time,
                h.status.label(),
                h.title
            );
        }
    }
    print_chain(&wf);
    if wf.approvals.len() > wf.chain.iter().filter(|l| l.step.is_some()).count() {
        println!("审批记录：");
        for s in &wf.approvals {
            println!(
                "  {}\t{}\t{}{}\t{}\t{}",
                s.decided_on,
                s.level_title,
                s.approver,
                if s.proxy { "（代录）" } else { "" },
                if s.approved { "同意" } else { "不同意" },
                s.opinion
            );
        }
    }
    if let Some(l) = &wf.leader {
        println!(
            "领导包案：{}（{}）、{}（{}）  销账 {}/2  签字 {}/2",
            l.leader_a,
            l.leader_a_title,
            l.leader_b,
            l.leader_b_title,
            u8::from(l.confirmed_a) + u8::from(l.confirmed_b),
            u8::from(l.signed_a) + u8::from(l.signed_b)
        );
    }
    let timeline = audit::case_timeline(store.conn(), case_id)?;
    println!("时间线（{} 条）：", timeline.len());
    for e in &timeline {
        println!("  {}\t{}\t{}", china_time(&e.at), e.actor, e.summary);
    }
    Ok(())
}
