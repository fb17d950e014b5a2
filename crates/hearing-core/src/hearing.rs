//! The hearing (听证会) workflow: its states, the people in it, and the guarded transitions
//! 筹备 → 已通知 → 进行中 ⇄ 休会 → 评议 → 已结束 → 笔录已签, with 延期, 中止 and 取消.
//!
//! The store fills a plain [`HearingFacts`] snapshot; [`hearing_transition`] decides from it alone,
//! so every guard is testable without a database. A refusal names every unmet condition at once.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::config::JurisdictionConfig;
use crate::rules::{labelled_enum, ymd, Refusal};

labelled_enum! {
    /// The state of a hearing.
    pub enum HearingStatus {
        Preparing = "preparing": "筹备",
        Notified = "notified": "已通知",
        InSession = "inSession": "进行中",
        Recess = "recess": "休会",
        Deliberating = "deliberating": "评议",
        Concluded = "concluded": "已结束",
        TranscriptSigned = "transcriptSigned": "笔录已签",
        Postponed = "postponed": "延期",
        Suspended = "suspended": "中止",
        Cancelled = "cancelled": "取消",
    }
}

impl HearingStatus {
    /// No action leads out of these states.
    pub fn is_final(self) -> bool {
        matches!(self, Self::TranscriptSigned | Self::Cancelled)
    }
}

labelled_enum! {
    pub enum HearingMode {
        OnSite = "onSite": "现场",
        Video = "video": "视频",
        Hybrid = "hybrid": "混合",
    }
}

labelled_enum! {
    /// The part a person plays in a hearing.
    pub enum ParticipantRole {
        Presider = "presider": "主持人",
        Panelist = "panelist": "听证员",
        Clerk = "clerk": "记录员",
        Petitioner = "petitioner": "信访人",
        Agent = "agent": "代理人",
        CaseOfficer = "caseOfficer": "承办人",
        ThirdParty = "thirdParty": "第三方/利害关系人",
        Witness = "witness": "证人",
        Observer = "observer": "旁听人员",
    }
}

impl ParticipantRole {
    /// The hearing's own people (who ask), as opposed to the parties and others (who answer).
    pub fn is_hearing_side(self) -> bool {
        matches!(self, Self::Presider | Self::Panelist | Self::Clerk)
    }
}

labelled_enum! {
    /// The state of one invitation (DESIGN.md §3).
    pub enum InvitationStatus {
        Draft = "draft": "草稿",
        Sent = "sent": "已发出",
        Accepted = "accepted": "已接受",
        Declined = "declined": "已谢绝",
        NoAnswer = "noAnswer": "未答复",
        Attended = "attended": "已出席",
        Absent = "absent": "缺席",
    }
}

impl InvitationStatus {
    /// Whether an invitation may move from this state to `next`: draft → sent → accepted /
    /// declined / no answer; no answer → accepted / declined; accepted → attended / absent /
    /// declined. Declined, attended and absent are final.
    pub fn can_move_to(self, next: InvitationStatus) -> bool {
        use InvitationStatus::*;
        matches!(
            (self, next),
            (Draft, Sent)
                | (Sent, Accepted | Declined | NoAnswer)
                | (NoAnswer, Accepted | Declined)
                | (Accepted, Attended | Absent | Declined)
        )
    }

    /// Still on the panel: neither declined nor absent.
    pub fn on_panel(self) -> bool {
        !matches!(self, Self::Declined | Self::Absent)
    }
}

labelled_enum! {
    /// One participant's signature on the transcript.
    pub enum SignatureStatus {
        Pending = "pending": "待签",
        Signed = "signed": "已签",
        Refused = "refused": "拒签",
        NotPresent = "notPresent": "未到",
    }
}

labelled_enum! {
    /// What a user can do to a hearing.
    pub enum HearingAction {
        Notify = "notify": "发出通知",
        Open = "open": "开始听证",
        Recess = "recess": "休会",
        Resume = "resume": "复会",
        StartDeliberation = "startDeliberation": "进入评议",
        Conclude = "conclude": "结束听证",
        SignTranscript = "signTranscript": "笔录签署完成",
        Postpone = "postpone": "延期",
        Suspend = "suspend": "中止",
        ResumeFromSuspension = "resumeFromSuspension": "恢复",
        Cancel = "cancel": "取消",
    }
}

impl HearingAction {
    /// The states this action may start from.
    pub fn sources(self) -> &'static [HearingStatus] {
        use HearingStatus::*;
        match self {
            Self::Notify => &[Preparing, Postponed],
            Self::Open => &[Notified],
            Self::Recess => &[InSession],
            Self::Resume => &[Recess],
            Self::StartDeliberation => &[InSession, Recess],
            Self::Conclude => &[Deliberating],
            Self::SignTranscript => &[Concluded],
            Self::Postpone => &[Preparing, Notified, InSession, Recess, Deliberating],
            Self::Suspend => &[InSession, Recess, Deliberating],
            Self::ResumeFromSuspension => &[Suspended],
            Self::Cancel => &[Preparing, Notified, Postponed, Suspended],
        }
    }

    /// The state this action leads to.
    pub fn target(self) -> HearingStatus {
        use HearingStatus::*;
        match self {
            Self::Notify => Notified,
            Self::Open | Self::Resume | Self::ResumeFromSuspension => InSession,
            Self::Recess => Recess,
            Self::StartDeliberation => Deliberating,
            Self::Conclude => Concluded,
            Self::SignTranscript => TranscriptSigned,
            Self::Postpone => Postponed,
            Self::Suspend => Suspended,
            Self::Cancel => Cancelled,
        }
    }
}

/// The actions that may start from `status` (their guards may still refuse).
pub fn available_actions(status: HearingStatus) -> Vec<HearingAction> {
    HearingAction::ALL
        .into_iter()
        .filter(|a| a.sources().contains(&status))
        .collect()
}

/// What the store knows about one panelist, for the guards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PanelistFacts {
    pub name: String,
    pub invitation: InvitationStatus,
    /// A 回避 request or declaration about this member that has not been decided.
    pub recusal_unresolved: bool,
    /// 保密承诺书 signed.
    pub confidentiality_signed: bool,
    /// The member's 评议意见 is recorded.
    pub opinion_given: bool,
}

/// A party who must be served the hearing notice (信访人, 代理人, 承办单位, 第三方 …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoticeFacts {
    pub name: String,
    pub role: ParticipantRole,
    /// Date of service on the 送达回证.
    pub served_on: Option<NaiveDate>,
}

/// A snapshot of one hearing, filled by the store, read by [`hearing_transition`]. Internal to the
/// Rust side (dates as `NaiveDate`), hence no TypeScript binding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HearingFacts {
    pub status: HearingStatus,
    pub scheduled_on: NaiveDate,
    pub presider_set: bool,
    pub clerk_set: bool,
    pub public: bool,
    pub non_public_reason_given: bool,
    pub announcement_published_on: Option<NaiveDate>,
    pub panelists: Vec<PanelistFacts>,
    /// Petitioners and other parties who must be notified.
    pub notices: Vec<NoticeFacts>,
    /// Names whose attendance is not yet recorded.
    pub attendance_open: Vec<String>,
    /// Names whose transcript signature (or noted refusal) is missing.
    pub signatures_pending: Vec<String>,
    /// The new date asked for by a postponement.
    pub new_date: Option<NaiveDate>,
    /// A reason is given for the action (postpone, suspend, cancel).
    pub reason_given: bool,
}

/// An allowed transition, with what the user should know but need not fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Transition {
    pub to: HearingStatus,
    pub warnings: Vec<String>,
}

/// Decides whether `action` may be taken on the hearing described by `facts` today. On success,
/// the new state and any warnings (panel above the maximum or even, too few members attending);
/// otherwise every unmet condition.
///
/// Decisions taken here where practice leaves room:
/// - Notify requires the hearing date not to have passed, and warns when the remaining days are
///   fewer than the notice period (the notices could then not be served in time).
/// - Open requires `today >= scheduled_on` and warns when the date has passed.
/// - StartDeliberation refuses when no panelist attended or a member's 回避 is still undecided
///   (it may be raised at the start of the session), and only warns when fewer than `panel_min`
///   attend: whether to go on with a reduced panel is the presider's call, and it is recorded.
pub fn hearing_transition(
    facts: &HearingFacts,
    action: HearingAction,
    cfg: &JurisdictionConfig,
    today: NaiveDate,
) -> Result<Transition, Refusal> {
    if !action.sources().contains(&facts.status) {
        return Err(Refusal::one(format!(
            "当前状态“{}”不能执行“{}”",
            facts.status.label(),
            action.label()
        )));
    }
    let mut unmet = Vec::new();
    let mut warnings = Vec::new();
    match action {
        HearingAction::Notify => notify(facts, cfg, today, &mut unmet, &mut warnings),
        HearingAction::Open => open(facts, cfg, today, &mut unmet, &mut warnings),
        HearingAction::Recess | HearingAction::Resume | HearingAction::ResumeFromSuspension => {}
        HearingAction::StartDeliberation => deliberate(facts, cfg, &mut unmet, &mut warnings),
        HearingAction::Conclude => conclude(facts, &mut unmet),
        HearingAction::SignTranscript => {
            for name in &facts.signatures_pending {
                unmet.push(format!(
                    "尚有 {name} 未在笔录上签字（拒签的须由主持人注明）"
                ));
            }
        }
        HearingAction::Postpone => {
            match facts.new_date {
                None => unmet.push("延期须确定新的听证日期".to_owned()),
                Some(d) if d <= today => unmet.push(format!(
                    "延期后的听证日期 {} 须晚于今天（{}）",
                    ymd(d),
                    ymd(today)
                )),
                Some(_) => {}
            }
            if !facts.reason_given {
                unmet.push("延期须说明理由".to_owned());
            }
        }
        HearingAction::Suspend => {
            if !facts.reason_given {
                unmet.push("中止听证须说明理由".to_owned());
            }
        }
        HearingAction::Cancel => {
            if !facts.reason_given {
                unmet.push("取消听证须说明理由".to_owned());
            }
        }
    }
    Refusal::check(unmet)?;
    Ok(Transition {
        to: action.target(),
        warnings,
    })
}

fn staff_and_publicity(facts: &HearingFacts, unmet: &mut Vec<String>) {
    if !facts.presider_set {
        unmet.push("尚未指定主持人".to_owned());
    }
    if !facts.clerk_set {
        unmet.push("尚未指定记录员".to_owned());
    }
    if !facts.public && !facts.non_public_reason_given {
        unmet.push("不公开听证须说明理由".to_owned());
    }
}

fn panel_too_small(n: u32, cfg: &JurisdictionConfig, unmet: &mut Vec<String>) {
    if n < cfg.panel_min {
        unmet.push(format!("听证员人数 {n} 人，少于最少 {} 人", cfg.panel_min));
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn notify(
    facts: &HearingFacts,
    cfg: &JurisdictionConfig,
    today: NaiveDate,
    unmet: &mut Vec<String>,
    warnings: &mut Vec<String>,
) {
    staff_and_publicity(facts, unmet);
    let panel = count(
        facts
            .panelists
            .iter()
            .filter(|p| p.invitation.on_panel())
            .count(),
    );
    panel_too_small(panel, cfg, unmet);
    warnings.extend(cfg.panel_size_warnings(panel));
    let days_left = (facts.scheduled_on - today).num_days();
    if days_left < 0 {
        unmet.push(format!(
            "听证日期 {} 已过，请先改定听证日期",
            ymd(facts.scheduled_on)
        ));
    } else if days_left < i64::from(cfg.notice_days) {
        warnings.push(format!(
            "距听证日仅 {days_left} 日，听证通知已不能于 {} 日前送达，开始听证时将被拒绝",
            cfg.notice_days
        ));
    }
}

/// Days between a service or publication and the hearing, as a refusal when too few.
fn period_unmet(
    what: &str,
    who: &str,
    verb: &str,
    on: NaiveDate,
    scheduled: NaiveDate,
    notice_days: u32,
) -> Option<String> {
    let days = (scheduled - on).num_days();
    if days >= i64::from(notice_days) {
        return None;
    }
    let how = match days {
        d if d < 0 => "晚于听证日".to_owned(),
        0 => "为听证当日".to_owned(),
        d => format!("仅提前 {d} 日"),
    };
    Some(format!(
        "{what}须于听证日 {notice_days} 日前{verb}：{who}于 {} {verb}，{how}",
        ymd(on)
    ))
}

fn open(
    facts: &HearingFacts,
    cfg: &JurisdictionConfig,
    today: NaiveDate,
    unmet: &mut Vec<String>,
    warnings: &mut Vec<String>,
) {
    if today < facts.scheduled_on {
        unmet.push(format!(
            "听证日期为 {}，今天（{}）不能开始",
            ymd(facts.scheduled_on),
            ymd(today)
        ));
    } else if today > facts.scheduled_on {
        warnings.push(format!(
            "听证原定于 {}，已过 {} 日；如已改期，应先办理延期并重新通知",
            ymd(facts.scheduled_on),
            (today - facts.scheduled_on).num_days()
        ));
    }
    staff_and_publicity(facts, unmet);

    if !facts
        .notices
        .iter()
        .any(|n| n.role == ParticipantRole::Petitioner)
    {
        unmet.push("尚未登记须送达听证通知的信访人".to_owned());
    }
    for n in &facts.notices {
        let who = format!("{} {} ", n.role.label(), n.name);
        match n.served_on {
            None => unmet.push(format!("{} {} 的听证通知尚未送达", n.role.label(), n.name)),
            Some(on) => unmet.extend(period_unmet(
                "听证通知",
                &who,
                "送达",
                on,
                facts.scheduled_on,
                cfg.notice_days,
            )),
        }
    }
    if facts.public {
        match facts.announcement_published_on {
            None => unmet.push("公开听证须先发布听证公告".to_owned()),
            Some(on) => unmet.extend(period_unmet(
                "听证公告",
                "",
                "发布",
                on,
                facts.scheduled_on,
                cfg.notice_days,
            )),
        }
    }

    let mut accepted = 0u32;
    for p in facts.panelists.iter().filter(|p| p.invitation.on_panel()) {
        match p.invitation {
            InvitationStatus::Accepted | InvitationStatus::Attended => accepted += 1,
            other => unmet.push(format!(
                "听证员 {} 尚未接受邀请（当前：{}）",
                p.name,
                other.label()
            )),
        }
        if p.recusal_unresolved {
            unmet.push(format!("听证员 {} 的回避声明尚未处理", p.name));
        }
        if !p.confidentiality_signed {
            unmet.push(format!("听证员 {} 尚未签署保密承诺书", p.name));
        }
    }
    panel_too_small(accepted, cfg, unmet);
    warnings.extend(cfg.panel_size_warnings(accepted));
}

fn deliberate(
    facts: &HearingFacts,
    cfg: &JurisdictionConfig,
    unmet: &mut Vec<String>,
    warnings: &mut Vec<String>,
) {
    let mut open: Vec<&str> = facts.attendance_open.iter().map(String::as_str).collect();
    for p in &facts.panelists {
        let recorded = matches!(
            p.invitation,
            InvitationStatus::Attended | InvitationStatus::Absent | InvitationStatus::Declined
        );
        if !recorded && !open.contains(&p.name.as_str()) {
            open.push(&p.name);
        }
    }
    for name in open {
        unmet.push(format!("尚未登记 {name} 的出席情况"));
    }
    let attending: Vec<&PanelistFacts> = facts
        .panelists
        .iter()
        .filter(|p| p.invitation == InvitationStatus::Attended)
        .collect();
    if attending.is_empty() {
        unmet.push("没有出席的听证员，不能进入评议".to_owned());
    }
    for p in &attending {
        if p.recusal_unresolved {
            unmet.push(format!("听证员 {} 的回避申请尚未决定", p.name));
        }
    }
    let n = count(attending.len());
    if n > 0 && n < cfg.panel_min {
        warnings.push(format!(
            "出席的听证员 {n} 人，少于最少 {} 人",
            cfg.panel_min
        ));
    }
    if cfg.even_panel(n) {
        warnings.push(format!(
            "出席的听证员 {n} 人，为偶数，评议时可能出现票数相等"
        ));
    }
}

fn conclude(facts: &HearingFacts, unmet: &mut Vec<String>) {
    let attending = facts
        .panelists
        .iter()
        .filter(|p| p.invitation == InvitationStatus::Attended);
    let mut any = false;
    for p in attending {
        any = true;
        if !p.opinion_given {
            unmet.push(format!("尚有 {} 的评议意见未提交", p.name));
        }
    }
    if !any {
        unmet.push("没有出席的听证员，没有评议意见".to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use HearingAction as A;
    use HearingStatus as S;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn cfg() -> JurisdictionConfig {
        JurisdictionConfig::default()
    }

    fn panelist(name: &str, invitation: InvitationStatus) -> PanelistFacts {
        PanelistFacts {
            name: name.into(),
            invitation,
            recusal_unresolved: false,
            confidentiality_signed: true,
            opinion_given: false,
        }
    }

    /// A hearing on 2026-03-10 that meets every guard of every action.
    fn ready(status: HearingStatus) -> HearingFacts {
        HearingFacts {
            status,
            scheduled_on: d("2026-03-10"),
            presider_set: true,
            clerk_set: true,
            public: true,
            non_public_reason_given: false,
            announcement_published_on: Some(d("2026-03-01")),
            panelists: ["甲", "乙", "丙"]
                .iter()
                .map(|n| panelist(n, InvitationStatus::Accepted))
                .collect(),
            notices: vec![NoticeFacts {
                name: "张某".into(),
                role: ParticipantRole::Petitioner,
                served_on: Some(d("2026-03-03")),
            }],
            attendance_open: vec![],
            signatures_pending: vec![],
            new_date: None,
            reason_given: false,
        }
    }

    fn attended(mut f: HearingFacts) -> HearingFacts {
        for p in &mut f.panelists {
            p.invitation = InvitationStatus::Attended;
            p.opinion_given = true;
        }
        f
    }

    fn run(f: &HearingFacts, a: HearingAction, today: &str) -> Result<Transition, Refusal> {
        hearing_transition(f, a, &cfg(), d(today))
    }

    fn unmet(f: &HearingFacts, a: HearingAction, today: &str) -> Vec<String> {
        run(f, a, today).err().unwrap_or_default().unmet
    }

    #[test]
    fn enums_round_trip_and_serialise_as_their_keys() {
        fn check<T: Serialize + Copy>(
            all: &[T],
            key: fn(T) -> &'static str,
            label: fn(T) -> &'static str,
        ) {
            for v in all {
                assert_eq!(
                    serde_json::to_string(v).unwrap(),
                    format!("\"{}\"", key(*v))
                );
                assert!(!label(*v).is_empty());
            }
        }
        check(
            &HearingStatus::ALL,
            HearingStatus::as_str,
            HearingStatus::label,
        );
        check(&HearingMode::ALL, HearingMode::as_str, HearingMode::label);
        check(
            &ParticipantRole::ALL,
            ParticipantRole::as_str,
            ParticipantRole::label,
        );
        check(
            &InvitationStatus::ALL,
            InvitationStatus::as_str,
            InvitationStatus::label,
        );
        check(
            &SignatureStatus::ALL,
            SignatureStatus::as_str,
            SignatureStatus::label,
        );
        check(
            &HearingAction::ALL,
            HearingAction::as_str,
            HearingAction::label,
        );
        assert_eq!(HearingStatus::ALL.len(), 10);
        assert_eq!(HearingAction::ALL.len(), 11);
        assert_eq!(
            ParticipantRole::parse("thirdParty"),
            Some(ParticipantRole::ThirdParty)
        );
        assert_eq!(HearingStatus::TranscriptSigned.label(), "笔录已签");
    }

    #[test]
    fn invitation_moves() {
        use InvitationStatus::*;
        let allowed = [
            (Draft, Sent),
            (Sent, Accepted),
            (Sent, Declined),
            (Sent, NoAnswer),
            (NoAnswer, Accepted),
            (NoAnswer, Declined),
            (Accepted, Attended),
            (Accepted, Absent),
            (Accepted, Declined),
        ];
        for a in InvitationStatus::ALL {
            for b in InvitationStatus::ALL {
                assert_eq!(a.can_move_to(b), allowed.contains(&(a, b)), "{a:?} → {b:?}");
            }
        }
        for terminal in [Declined, Attended, Absent] {
            assert!(InvitationStatus::ALL
                .iter()
                .all(|n| !terminal.can_move_to(*n)));
        }
    }

    #[test]
    fn happy_path_through_every_state() {
        let c = cfg();
        let mut f = ready(S::Preparing);
        let steps = [
            (A::Notify, "2026-03-01", S::Notified),
            (A::Open, "2026-03-10", S::InSession),
            (A::Recess, "2026-03-10", S::Recess),
            (A::Resume, "2026-03-10", S::InSession),
            (A::StartDeliberation, "2026-03-10", S::Deliberating),
            (A::Conclude, "2026-03-10", S::Concluded),
            (A::SignTranscript, "2026-03-10", S::TranscriptSigned),
        ];
        for (action, today, to) in steps {
            if action == A::StartDeliberation {
                f = attended(f);
            }
            let t = hearing_transition(&f, action, &c, d(today)).unwrap();
            assert_eq!(t.to, to, "{action:?}");
            assert!(t.warnings.is_empty(), "{action:?}: {:?}", t.warnings);
            f.status = t.to;
        }
        assert!(available_actions(f.status).is_empty());
    }

    #[test]
    fn wrong_state_names_state_and_action() {
        let f = ready(S::InSession);
        assert_eq!(
            unmet(&f, A::Notify, "2026-03-10"),
            ["当前状态“进行中”不能执行“发出通知”"]
        );
        let f = ready(S::Cancelled);
        for a in HearingAction::ALL {
            assert_eq!(
                run(&f, a, "2026-03-10").err().map(|r| r.unmet.len()),
                Some(1)
            );
        }
    }

    #[test]
    fn available_actions_match_transitions() {
        // An action is refused for its state exactly when it is not available.
        for s in HearingStatus::ALL {
            let actions = available_actions(s);
            for a in HearingAction::ALL {
                let mut f = attended(ready(s));
                f.new_date = Some(d("2026-04-01"));
                f.reason_given = true;
                let r = run(&f, a, "2026-03-10");
                let state_refusal = r
                    .as_ref()
                    .err()
                    .is_some_and(|e| e.unmet[0].starts_with("当前状态"));
                assert_eq!(state_refusal, !actions.contains(&a), "{s:?} {a:?}");
            }
        }
        assert_eq!(
            available_actions(S::Preparing),
            [A::Notify, A::Postpone, A::Cancel]
        );
        assert_eq!(
            available_actions(S::Recess),
            [A::Resume, A::StartDeliberation, A::Postpone, A::Suspend]
        );
        assert_eq!(
            available_actions(S::Suspended),
            [A::ResumeFromSuspension, A::Cancel]
        );
        assert_eq!(available_actions(S::Postponed), [A::Notify, A::Cancel]);
    }

    #[test]
    fn notify_lists_every_missing_thing() {
        let mut f = ready(S::Preparing);
        f.presider_set = false;
        f.clerk_set = false;
        f.public = false;
        f.panelists[0].invitation = InvitationStatus::Declined;
        assert_eq!(
            unmet(&f, A::Notify, "2026-03-01"),
            [
                "尚未指定主持人",
                "尚未指定记录员",
                "不公开听证须说明理由",
                "听证员人数 2 人，少于最少 3 人",
            ]
        );
        f.non_public_reason_given = true;
        f.presider_set = true;
        f.clerk_set = true;
        f.panelists[0].invitation = InvitationStatus::Sent;
        assert!(run(&f, A::Notify, "2026-03-01").is_ok());
    }

    #[test]
    fn notify_warns_on_large_or_even_panel() {
        let mut f = ready(S::Preparing);
        f.panelists.push(panelist("丁", InvitationStatus::Draft));
        let t = run(&f, A::Notify, "2026-03-01").unwrap();
        assert_eq!(
            t.warnings,
            ["听证员人数 4 人，为偶数，评议时可能出现票数相等"]
        );
        for n in ["戊", "己", "庚", "辛"] {
            f.panelists.push(panelist(n, InvitationStatus::NoAnswer));
        }
        let t = run(&f, A::Notify, "2026-03-01").unwrap();
        assert_eq!(t.warnings.len(), 2);
        assert!(t.warnings[0].contains("多于通常的最多 7 人"));
    }

    #[test]
    fn notify_checks_the_date() {
        let f = ready(S::Preparing);
        assert_eq!(
            unmet(&f, A::Notify, "2026-03-11"),
            ["听证日期 2026-03-10 已过，请先改定听证日期"]
        );
        let t = run(&f, A::Notify, "2026-03-05").unwrap();
        assert!(t.warnings[0].starts_with("距听证日仅 5 日"));
        assert!(run(&f, A::Notify, "2026-03-10").is_ok());
    }

    #[test]
    fn open_on_time_only() {
        let f = ready(S::Notified);
        assert_eq!(
            unmet(&f, A::Open, "2026-03-09"),
            ["听证日期为 2026-03-10，今天（2026-03-09）不能开始"]
        );
        let late = run(&f, A::Open, "2026-03-12").unwrap();
        assert!(late.warnings[0].contains("已过 2 日"));
    }

    #[test]
    fn open_names_late_and_missing_notices() {
        let mut f = ready(S::Notified);
        f.notices[0].served_on = Some(d("2026-03-05"));
        f.notices.push(NoticeFacts {
            name: "王某".into(),
            role: ParticipantRole::Petitioner,
            served_on: None,
        });
        f.notices.push(NoticeFacts {
            name: "李律师".into(),
            role: ParticipantRole::Agent,
            served_on: Some(d("2026-03-10")),
        });
        f.notices.push(NoticeFacts {
            name: "东河区法院".into(),
            role: ParticipantRole::CaseOfficer,
            served_on: Some(d("2026-03-03")),
        });
        assert_eq!(
            unmet(&f, A::Open, "2026-03-10"),
            [
                "听证通知须于听证日 7 日前送达：信访人 张某 于 2026-03-05 送达，仅提前 5 日",
                "信访人 王某 的听证通知尚未送达",
                "听证通知须于听证日 7 日前送达：代理人 李律师 于 2026-03-10 送达，为听证当日",
            ]
        );
        f.notices[2].served_on = Some(d("2026-03-11"));
        assert!(unmet(&f, A::Open, "2026-03-10")[2].ends_with("晚于听证日"));
    }

    #[test]
    fn open_respects_configured_notice_days() {
        let mut f = ready(S::Notified);
        f.notices[0].served_on = Some(d("2026-03-07"));
        f.announcement_published_on = Some(d("2026-03-07"));
        assert_eq!(unmet(&f, A::Open, "2026-03-10").len(), 2);
        let three = JurisdictionConfig {
            notice_days: 3,
            ..Default::default()
        };
        assert!(hearing_transition(&f, A::Open, &three, d("2026-03-10")).is_ok());
    }

    #[test]
    fn open_needs_a_petitioner_notice() {
        let mut f = ready(S::Notified);
        f.notices[0].role = ParticipantRole::Agent;
        assert_eq!(
            unmet(&f, A::Open, "2026-03-10"),
            ["尚未登记须送达听证通知的信访人"]
        );
    }

    #[test]
    fn open_checks_announcement_and_publicity() {
        let mut f = ready(S::Notified);
        f.announcement_published_on = None;
        assert_eq!(
            unmet(&f, A::Open, "2026-03-10"),
            ["公开听证须先发布听证公告"]
        );
        f.announcement_published_on = Some(d("2026-03-08"));
        assert_eq!(
            unmet(&f, A::Open, "2026-03-10"),
            ["听证公告须于听证日 7 日前发布：于 2026-03-08 发布，仅提前 2 日"]
        );
        f.public = false;
        f.announcement_published_on = None;
        assert_eq!(unmet(&f, A::Open, "2026-03-10"), ["不公开听证须说明理由"]);
        f.non_public_reason_given = true;
        assert!(run(&f, A::Open, "2026-03-10").is_ok());
    }

    #[test]
    fn open_checks_each_panelist() {
        let mut f = ready(S::Notified);
        f.panelists[0].recusal_unresolved = true;
        f.panelists[1].confidentiality_signed = false;
        f.panelists[2].invitation = InvitationStatus::NoAnswer;
        f.panelists.push(panelist("丁", InvitationStatus::Declined));
        f.presider_set = false;
        assert_eq!(
            unmet(&f, A::Open, "2026-03-10"),
            [
                "尚未指定主持人",
                "听证员 甲 的回避声明尚未处理",
                "听证员 乙 尚未签署保密承诺书",
                "听证员 丙 尚未接受邀请（当前：未答复）",
                "听证员人数 2 人，少于最少 3 人",
            ]
        );
    }

    #[test]
    fn open_warns_on_even_panel() {
        let mut f = ready(S::Notified);
        f.panelists.push(panelist("丁", InvitationStatus::Accepted));
        let t = run(&f, A::Open, "2026-03-10").unwrap();
        assert_eq!(t.warnings.len(), 1);
    }

    #[test]
    fn recess_and_resume() {
        let f = ready(S::InSession);
        assert_eq!(run(&f, A::Recess, "2026-03-10").unwrap().to, S::Recess);
        assert!(run(&f, A::Resume, "2026-03-10").is_err());
        let f = ready(S::Recess);
        assert_eq!(run(&f, A::Resume, "2026-03-10").unwrap().to, S::InSession);
        assert!(run(&f, A::Recess, "2026-03-10").is_err());
    }

    #[test]
    fn deliberation_needs_attendance_recorded() {
        let mut f = ready(S::InSession);
        f.panelists[0].invitation = InvitationStatus::Attended;
        f.panelists[1].invitation = InvitationStatus::Absent;
        f.attendance_open = vec!["张某".into(), "丙".into()];
        assert_eq!(
            unmet(&f, A::StartDeliberation, "2026-03-10"),
            ["尚未登记 张某 的出席情况", "尚未登记 丙 的出席情况"]
        );
        f.attendance_open.clear();
        f.panelists[2].invitation = InvitationStatus::Attended;
        let t = run(&f, A::StartDeliberation, "2026-03-10").unwrap();
        assert_eq!(
            t.warnings,
            [
                "出席的听证员 2 人，少于最少 3 人",
                "出席的听证员 2 人，为偶数，评议时可能出现票数相等"
            ]
        );
    }

    #[test]
    fn deliberation_needs_someone_and_no_open_recusal() {
        let mut f = ready(S::Recess);
        for p in &mut f.panelists {
            p.invitation = InvitationStatus::Absent;
        }
        assert_eq!(
            unmet(&f, A::StartDeliberation, "2026-03-10"),
            ["没有出席的听证员，不能进入评议"]
        );
        let mut f = attended(ready(S::Recess));
        f.panelists[1].recusal_unresolved = true;
        assert_eq!(
            unmet(&f, A::StartDeliberation, "2026-03-10"),
            ["听证员 乙 的回避申请尚未决定"]
        );
    }

    #[test]
    fn conclude_needs_every_opinion() {
        let mut f = attended(ready(S::Deliberating));
        f.panelists[0].opinion_given = false;
        f.panelists[2].opinion_given = false;
        f.panelists.push(PanelistFacts {
            opinion_given: false,
            ..panelist("丁", InvitationStatus::Absent)
        });
        assert_eq!(
            unmet(&f, A::Conclude, "2026-03-10"),
            ["尚有 甲 的评议意见未提交", "尚有 丙 的评议意见未提交"]
        );
        let f = ready(S::Deliberating);
        assert_eq!(
            unmet(&f, A::Conclude, "2026-03-10"),
            ["没有出席的听证员，没有评议意见"]
        );
        let f = attended(ready(S::Deliberating));
        assert_eq!(run(&f, A::Conclude, "2026-03-10").unwrap().to, S::Concluded);
    }

    #[test]
    fn signing_needs_every_signature() {
        let mut f = ready(S::Concluded);
        f.signatures_pending = vec!["张某".into(), "甲".into()];
        assert_eq!(unmet(&f, A::SignTranscript, "2026-03-10").len(), 2);
        assert!(unmet(&f, A::SignTranscript, "2026-03-10")[0].contains("张某"));
        f.signatures_pending.clear();
        assert_eq!(
            run(&f, A::SignTranscript, "2026-03-10").unwrap().to,
            S::TranscriptSigned
        );
    }

    #[test]
    fn postpone_needs_a_later_date_and_reason() {
        for s in [
            S::Preparing,
            S::Notified,
            S::InSession,
            S::Recess,
            S::Deliberating,
        ] {
            let mut f = ready(s);
            assert_eq!(
                unmet(&f, A::Postpone, "2026-03-10"),
                ["延期须确定新的听证日期", "延期须说明理由"]
            );
            f.new_date = Some(d("2026-03-10"));
            f.reason_given = true;
            assert_eq!(
                unmet(&f, A::Postpone, "2026-03-10"),
                ["延期后的听证日期 2026-03-10 须晚于今天（2026-03-10）"]
            );
            f.new_date = Some(d("2026-03-20"));
            assert_eq!(run(&f, A::Postpone, "2026-03-10").unwrap().to, S::Postponed);
        }
    }

    #[test]
    fn postponed_hearing_is_notified_again_for_the_new_date() {
        // The store moved scheduled_on to the new date; the old service is now too late for it.
        let mut f = ready(S::Postponed);
        f.scheduled_on = d("2026-03-20");
        let t = run(&f, A::Notify, "2026-03-10").unwrap();
        assert_eq!(t.to, S::Notified);
        f.status = t.to;
        f.notices[0].served_on = Some(d("2026-03-15"));
        assert_eq!(unmet(&f, A::Open, "2026-03-20").len(), 1);
        f.notices[0].served_on = Some(d("2026-03-11"));
        assert!(run(&f, A::Open, "2026-03-20").is_ok());
    }

    #[test]
    fn suspend_resume_cancel() {
        for s in [S::InSession, S::Recess, S::Deliberating] {
            let mut f = ready(s);
            assert_eq!(unmet(&f, A::Suspend, "2026-03-10"), ["中止听证须说明理由"]);
            f.reason_given = true;
            assert_eq!(run(&f, A::Suspend, "2026-03-10").unwrap().to, S::Suspended);
        }
        let f = ready(S::Suspended);
        assert_eq!(
            run(&f, A::ResumeFromSuspension, "2026-03-12").unwrap().to,
            S::InSession
        );
        for s in [S::Preparing, S::Notified, S::Postponed, S::Suspended] {
            let mut f = ready(s);
            assert_eq!(unmet(&f, A::Cancel, "2026-03-10"), ["取消听证须说明理由"]);
            f.reason_given = true;
            assert_eq!(run(&f, A::Cancel, "2026-03-10").unwrap().to, S::Cancelled);
        }
        let mut f = ready(S::InSession);
        f.reason_given = true;
        assert!(unmet(&f, A::Cancel, "2026-03-10")[0].starts_with("当前状态"));
    }

    #[test]
    fn refusal_display_joins_reasons() {
        let mut f = ready(S::Preparing);
        f.presider_set = false;
        f.clerk_set = false;
        let r = run(&f, A::Notify, "2026-03-01").unwrap_err();
        assert_eq!(r.to_string(), "尚未指定主持人；尚未指定记录员");
    }

    #[test]
    fn roles() {
        assert!(ParticipantRole::Presider.is_hearing_side());
        assert!(!ParticipantRole::Petitioner.is_hearing_side());
        assert!(HearingStatus::Cancelled.is_final());
        assert!(!HearingStatus::Postponed.is_final());
    }
}
