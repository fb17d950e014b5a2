//! Shared set-up of the store integration tests: a demo desk with a case ready for a hearing,
//! and a hearing taken into session.

#![allow(dead_code)]

use chrono::Duration;
use hearing_core::case_flow::CaseAction;
use hearing_core::hearing::{HearingAction, HearingMode, InvitationStatus, ParticipantRole};
use hearing_core::panel::PoolFilter;
use hearing_core::plan::{ActionInput, HearingInput, ParticipantInput};
use hearing_core::{
    CaseAnalysis, CaseCategory, CaseInput, PersonKind, PetitionerInput, PetitionerKind,
};
use hearing_store::hearings::{self, HearingDetail};
use hearing_store::ErrorCode;
use hearing_store::Store;

pub fn ymd(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn no_input() -> ActionInput {
    ActionInput::default()
}

pub fn full_analysis() -> CaseAnalysis {
    let t = |s: &str| s.to_owned();
    CaseAnalysis {
        historical_facts: t("2019 年起诉，2021 年二审维持"),
        problem_nature: t("不服生效民事判决"),
        handling_principle: t("依法维护生效裁判"),
        petition_demands: t("要求再审并赔偿"),
        responsible_parties: t("东河区法院民一庭"),
        social_relations: t("与被告系亲戚"),
        crux: t("借条真实性"),
        existing_replies: t("2024 年书面答复"),
        errors_and_flaws: t("无"),
    }
}

/// A demo desk and a fresh case taken to 拟终结.
pub fn setup() -> (tempfile::TempDir, Store, String) {
    let dir = tempfile::tempdir().expect("dir");
    let mut s = Store::open_dir(dir.path()).expect("open");
    s.load_demo().expect("demo");
    let organ = s.desk_org_id().ok().flatten().unwrap_or_default();
    let c = s
        .create_case(&CaseInput {
            number: String::new(),
            handling_organ_id: organ,
            case_officer: "李承办".into(),
            title: "测试人甲不服借款纠纷判决信访案".into(),
            category: Some(CaseCategory::Civil),
            petitioners: vec![PetitionerInput {
                kind: PetitionerKind::Person,
                name: "测试人甲".into(),
                id_number: "11010519491231002X".into(),
                phone: String::new(),
                address: "青山市东河区".into(),
                credit_code: String::new(),
                representative: String::new(),
            }],
            original_case_number: String::new(),
            rulings: vec![],
            demands: "撤销原判".into(),
            background: String::new(),
            registered_on: String::new(),
        })
        .expect("case");
    let err = s
        .case_action(&c.id, CaseAction::ProposeClosure, &no_input())
        .expect_err("not under review");
    assert_eq!(err.code(), ErrorCode::Refused);
    s.case_action(&c.id, CaseAction::StartReview, &no_input())
        .expect("review");
    let err = s
        .case_action(&c.id, CaseAction::ProposeClosure, &no_input())
        .expect_err("analysis");
    assert!(err.to_string().contains("四明五清"), "{err}");
    s.set_case_analysis(&c.id, &full_analysis())
        .expect("analysis");
    s.case_action(&c.id, CaseAction::ProposeClosure, &no_input())
        .expect("propose");
    (dir, s, c.id)
}

pub fn plan(s: &mut Store, case_id: &str, on: chrono::NaiveDate) -> HearingDetail {
    s.create_hearing(&HearingInput {
        case_id: case_id.into(),
        title: "测试人甲信访事项公开听证会".into(),
        scheduled_on: ymd(on),
        start_time: "09:30".into(),
        venue: "青山市委政法委听证室".into(),
        mode: Some(HearingMode::OnSite),
        public: true,
        non_public_reason: String::new(),
    })
    .expect("plan")
}

/// Plans a hearing for today and takes it into session the way an organiser would: staff,
/// a drawn panel that accepts, notices served in time, the announcement, then 开始听证.
pub fn hearing_in_session(s: &mut Store, case_id: &str) -> HearingDetail {
    let today = hearing_store::today();
    let d = plan(s, case_id, today);
    for (role, name) in [
        (ParticipantRole::Presider, "赵主持"),
        (ParticipantRole::Clerk, "钱记录"),
    ] {
        s.add_participant(
            &d.hearing.id,
            &ParticipantInput {
                role,
                person_id: None,
                name: name.into(),
                unit: "市委政法委".into(),
            },
        )
        .expect("staff");
    }
    let filter = PoolFilter {
        kinds: vec![
            PersonKind::CongressDeputy,
            PersonKind::CppccMember,
            PersonKind::PartyDelegate,
        ],
        only_available: true,
        ..Default::default()
    };
    s.draw_panel(&d.hearing.id, &filter, 3, Some("seed"))
        .expect("draw");
    let d = hearings::detail(s.conn(), &d.hearing.id).expect("detail");
    for p in d
        .participants
        .iter()
        .filter(|p| p.role == ParticipantRole::Panelist)
    {
        s.set_invitation(&p.id, InvitationStatus::Sent)
            .expect("sent");
        s.set_invitation(&p.id, InvitationStatus::Accepted)
            .expect("accepted");
        s.set_declaration(&p.id, true, false, "").expect("declared");
    }
    s.hearing_action(&d.hearing.id, HearingAction::Notify, &no_input())
        .expect("notify");
    for p in d
        .participants
        .iter()
        .filter(|p| p.role == ParticipantRole::Petitioner)
    {
        s.serve_notice(&p.id, &ymd(today - Duration::days(8)), "直接送达")
            .expect("served");
    }
    s.publish_announcement(&d.hearing.id, &ymd(today - Duration::days(9)))
        .expect("announced");
    s.hearing_action(&d.hearing.id, HearingAction::Open, &no_input())
        .expect("open")
}

/// The fonts of the desk, or a loud skip (a failure under CI).
pub fn fonts() -> Option<std::sync::Arc<hearing_docs::FontSet>> {
    hearing_testkit::require(
        hearing_docs::FontSet::system(),
        "没有中文字体（apt install fonts-noto-cjk）",
    )
}

/// Writes `pdf` to target/documents-test/`name` for a look and checks the layout rules every
/// formal document keeps, read back with `pdftotext -bbox-layout`: every word of the body inside
/// the 156 × 225 mm text block (28–184 mm across, 37–262 mm down; the page numbers below it), and
/// no line starting with closing punctuation. Returns the text (`pdftotext -layout`), or `None`
/// when poppler is missing (a loud skip, a failure under CI).
pub fn check_layout_rules(pdf: &[u8], name: &str) -> Option<String> {
    use std::process::Command;
    if Command::new("pdftotext").arg("-v").output().is_err() {
        hearing_testkit::skip("未安装 pdftotext（apt install poppler-utils）");
        return None;
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/documents-test");
    std::fs::create_dir_all(&dir).expect("out dir");
    let path = dir.join(name);
    std::fs::write(&path, pdf).expect("write pdf");
    let run = |args: &[&str]| {
        let out = Command::new("pdftotext")
            .args(args)
            .arg(&path)
            .arg("-")
            .output()
            .expect("pdftotext");
        assert!(out.status.success(), "pdftotext {args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let xml = run(&["-bbox-layout"]);
    let mm = |v: &str| v.parse::<f32>().unwrap_or(0.0) * 25.4 / 72.0;
    let attr = |tag: &str, key: &str| -> f32 {
        tag.split(&format!("{key}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .map(mm)
            .unwrap_or(0.0)
    };
    let closing = "，。、；：？！）》」』】〕”’…—,.;:?!)";
    let mut words = 0;
    for line in xml.split("<line").skip(1) {
        let mut first = true;
        for w in line.split("<word").skip(1) {
            let (tag, rest) = w.split_once('>').unwrap_or((w, ""));
            let text = rest.split("</word>").next().unwrap_or("");
            let (x0, y0, x1, y1) = (
                attr(tag, "xMin"),
                attr(tag, "yMin"),
                attr(tag, "xMax"),
                attr(tag, "yMax"),
            );
            if y0 > 262.0 {
                continue; // the page number
            }
            words += 1;
            // pdftotext's boxes are ascent + descent high: a 2号 title's reaches above its slot,
            // so only its sides are checked (as pdf_output's test of the decision does).
            let tall = y1 - y0 > 9.0;
            assert!(
                x0 >= 27.8 && x1 <= 184.2 && (tall || (y0 >= 36.8 && y1 <= 262.2)),
                "{name}: “{text}” outside the text block ({x0:.1}, {y0:.1})–({x1:.1}, {y1:.1})"
            );
            if first {
                let c = text.chars().next().unwrap_or(' ');
                assert!(
                    !closing.contains(c),
                    "{name}: a line starts with “{c}”: {text}"
                );
                first = false;
            }
        }
    }
    assert!(words > 20, "{name}: only {words} words read back");
    Some(run(&["-layout"]))
}
