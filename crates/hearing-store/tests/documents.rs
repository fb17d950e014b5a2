//! Documents: every kind rendered from a case taken through a hearing with the store, read back
//! with poppler; numbering; the life cycle; verification of final PDFs; template overrides.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::Duration;
use hearing_core::case_flow::CaseAction;
use hearing_core::deliberation::{OpinionInput, Vote};
use hearing_core::hearing::{HearingAction, InvitationStatus, ParticipantRole, SignatureStatus};
use hearing_core::plan::{ApprovalInput, OrganDecisionInput};
use hearing_core::supervision::LeaderAssignmentInput;
use hearing_core::testimony::TestimonyInput;
use hearing_docs::{render_document, DocKind, FontSet};
use hearing_store::documents::{self, ServiceInput};
use hearing_store::hearings;
use hearing_store::Store;

mod common;
use common::{hearing_in_session, no_input, setup, ymd};

/// A case whose hearing has been held, deliberated, its transcript signed, the organ's decision
/// recorded and the closure approved by the first two levels.
fn held(s: &mut Store, case_id: &str) -> String {
    let d = hearing_in_session(s, case_id);
    let hid = d.hearing.id.clone();
    s.case_action(case_id, CaseAction::ScheduleHearing, &no_input())
        .expect("to hearing");
    for p in d.participants.iter().filter(|p| {
        matches!(
            p.role,
            ParticipantRole::Panelist | ParticipantRole::Petitioner
        )
    }) {
        s.set_invitation(&p.id, InvitationStatus::Attended)
            .expect("attended");
    }
    let steps = [
        (
            "organStatement",
            "承办单位陈述：原判认定借条真实，已两审终审。",
        ),
        ("petitionerStatement", "我认为借条是伪造的，要求再审。"),
        ("panelQuestions", "请问借条原件现在何处？"),
    ];
    let mut first = None;
    for (i, (step, text)) in steps.iter().enumerate() {
        s.set_current_step(&hid, (4 + i) as u32).expect("step");
        for (role, name) in [
            (ParticipantRole::Presider, "赵主持"),
            (ParticipantRole::Petitioner, "测试人甲"),
        ] {
            let e = s
                .add_testimony(
                    &hid,
                    &TestimonyInput {
                        step_key: (*step).into(),
                        speaker_role: role,
                        speaker_name: name.into(),
                        text: format!("{name}在本环节发言：{text}"),
                    },
                )
                .expect("entry");
            first.get_or_insert(e.id.clone());
        }
    }
    // A long stretch so the transcript runs over several pages.
    s.set_current_step(&hid, 7).expect("step");
    for k in 0..14 {
        s.add_testimony(
            &hid,
            &TestimonyInput {
                step_key: "finalStatements".into(),
                speaker_role: if k % 2 == 0 {
                    ParticipantRole::Presider
                } else {
                    ParticipantRole::Petitioner
                },
                speaker_name: if k % 2 == 0 { "赵主持" } else { "测试人甲" }.into(),
                text: format!("第{k}段最后陈述。借款发生于二〇一八年，借条载明金额十万元，双方对交付方式有争议，信访人称未实际收到款项，承办单位出示了银行转账记录。"),
            },
        )
        .expect("long");
    }
    let first = first.expect("first");
    let _ = s.update_testimony(&first, "x");
    s.correct_testimony(&first, "请承办单位陈述办理经过（更正后）。")
        .expect("correct");
    let d = s
        .hearing_action(&hid, HearingAction::StartDeliberation, &no_input())
        .expect("deliberate");
    let panel: Vec<_> = d
        .participants
        .iter()
        .filter(|p| p.role == ParticipantRole::Panelist)
        .cloned()
        .collect();
    for (i, p) in panel.iter().enumerate() {
        s.save_opinion(
            &p.id,
            &OpinionInput {
                facts: "原案事实清楚".into(),
                law: "适用法律正确".into(),
                vote: Some(if i < 2 { Vote::Agree } else { Vote::Disagree }),
                reasons: if i < 2 {
                    "同意终结".into()
                } else {
                    "借条真实性仍有疑问，建议再查".into()
                },
            },
        )
        .expect("opinion");
    }
    let d = s
        .hearing_action(&hid, HearingAction::Conclude, &no_input())
        .expect("conclude");
    for p in &d.participants {
        let _ = s.set_signature(&p.id, SignatureStatus::Signed, "");
    }
    s.hearing_action(&hid, HearingAction::SignTranscript, &no_input())
        .expect("signed");
    s.record_organ_decision(
        &hid,
        &OrganDecisionInput {
            decision: Vote::Agree,
            reason: String::new(),
        },
    )
    .expect("decision");
    s.set_leader_assignment(
        case_id,
        &LeaderAssignmentInput {
            leader_a: "孙院长".into(),
            leader_a_title: "东河区法院院长".into(),
            leader_b: "周区长".into(),
            leader_b_title: "东河区副区长".into(),
            problem_list: "借条真实性争议".into(),
            responsibility_list: "法院释法，街道帮扶".into(),
        },
    )
    .expect("leaders");
    s.case_action(case_id, CaseAction::SubmitForApproval, &no_input())
        .expect("submit");
    for key in ["caseOfficer", "organHead"] {
        s.approve(
            case_id,
            &ApprovalInput {
                level_key: key.into(),
                approver: "审批人".into(),
                opinion: "同意终结".into(),
                approved: true,
                decided_on: String::new(),
            },
        )
        .expect("approve");
    }
    hid
}

/// Whether a poppler tool can be run (else a loud skip, a failure under CI).
fn have(tool: &str) -> bool {
    let ok = Command::new(tool).arg("-v").output().is_ok();
    if !ok {
        hearing_testkit::skip(format!("未安装 {tool}（apt install poppler-utils）"));
    }
    ok
}

fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().expect(tool);
    assert!(out.status.success(), "{tool} {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Asserts `parts` occur in `text` in this order.
fn in_order(kind: DocKind, text: &str, parts: &[&str]) {
    let mut at = 0;
    for p in parts {
        let p = squash(p);
        match text[at..].find(&p) {
            Some(i) => at += i + p.len(),
            None => panic!("{kind:?}: “{p}” missing or out of order in:\n{text}"),
        }
    }
}

/// Where rendered PDFs are kept for a look (target/documents-test).
fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/documents-test");
    std::fs::create_dir_all(&dir).expect("out dir");
    dir
}

fn fonts() -> Option<std::sync::Arc<FontSet>> {
    hearing_testkit::require(
        FontSet::system(),
        "没有中文字体（apt install fonts-noto-cjk）",
    )
}

#[test]
fn every_kind_renders_from_a_held_hearing() {
    let (_dir, mut s, case_id) = setup();
    let hid = held(&mut s, &case_id);
    let Some(fonts) = fonts() else { return };
    if !have("pdftotext") || !have("pdffonts") {
        return;
    }
    let year = hearing_store::today().format("%Y").to_string();
    let expect: Vec<(DocKind, Vec<String>)> = vec![
        (
            DocKind::Announcement,
            vec![
                "听证公告".into(),
                format!("青政法听告〔{year}〕1号"),
                "测某某反映的涉法涉诉信访事项".into(),
                "旁听报名".into(),
                "特此公告".into(),
            ],
        ),
        (
            DocKind::Notice,
            vec![
                "听证通知书".into(),
                format!("青政法听〔{year}〕1号"),
                "测试人甲：".into(),
                "赵主持".into(),
                "申请回避".into(),
                "视为放弃听证权利".into(),
                "附件：送达回证".into(),
            ],
        ),
        (
            DocKind::Invitation,
            vec![
                "听证员邀请函".into(),
                "同志：".into(),
                "借条真实性".into(),
                "保密".into(),
            ],
        ),
        (
            DocKind::Declaration,
            vec![
                "保密承诺书".into(),
                "利害关系".into(),
                "工作单位".into(),
                "赵主持".into(),
                "钱记录".into(),
            ],
        ),
        (
            DocKind::Plan,
            vec![
                "方案".into(),
                "信访人：测试人甲".into(),
                "听证程序".into(),
                "签到".into(),
                "评议".into(),
            ],
        ),
        (
            DocKind::PresiderScript,
            vec![
                "主持词".into(),
                "主持人：".into(),
                "回避".into(),
                "闭会".into(),
            ],
        ),
        (
            DocKind::Transcript,
            vec![
                "听证笔录".into(),
                "主持人".into(),
                "赵主持".into(),
                "钱记录".into(),
                "问（赵主持）：请承办单位陈述办理经过（更正后）".into(),
                "答（测试人甲）：".into(),
                "第13段最后陈述".into(),
                "以上笔录经本人核对无误".into(),
                "签名（捺印）".into(),
            ],
        ),
        (
            DocKind::PanelistOpinion,
            vec![
                "听证员评议意见表".into(),
                "听证员".into(),
                "对事实的意见".into(),
                "原案事实清楚".into(),
                "对法律适用的意见".into(),
                "适用法律正确".into(),
                "☑同意".into(),
                "□不同意".into(),
                "□其他".into(),
                "同意终结".into(),
                "听证员（签名）".into(),
            ],
        ),
        (
            DocKind::Opinions,
            vec![
                "评议意见汇总表".into(),
                "同意终结".into(),
                "评议汇总".into(),
                "同意2名，不同意1名".into(),
                "少数意见".into(),
                "借条真实性仍有疑问".into(),
            ],
        ),
        (
            DocKind::Report,
            vec![
                "听证报告".into(),
                "基本情况".into(),
                "听证过程".into(),
                "争议焦点".into(),
                "评议意见".into(),
                "主持人意见".into(),
            ],
        ),
        (
            DocKind::ClosureApproval,
            vec![
                "终结审批表".into(),
                "信访人".into(),
                "测试人甲".into(),
                "听证情况".into(),
                "审批层级".into(),
                "同意终结".into(),
            ],
        ),
        (
            DocKind::ClosureDecision,
            vec![
                "涉法涉诉信访事项终结告知书".into(),
                format!("青政法终〔{year}〕1号"),
                "测试人甲：".into(),
                "信访事项".into(),
                "信访经过".into(),
                "听证情况".into(),
                "担任主持人".into(),
                "认定的事实和理由".into(),
                "依据和结论".into(),
                "依法终结".into(),
                "不再受理、交办、通报".into(),
                "法律途径".into(),
                "附件：送达回证".into(),
            ],
        ),
        (
            DocKind::ServiceReceipt,
            vec![
                "送达回证".into(),
                "送达机关".into(),
                "受送达人".into(),
                "送达方式".into(),
                "□直接".into(),
                "□留置".into(),
                "代收人".into(),
                "见证人".into(),
                "送达人".into(),
                "签发人".into(),
            ],
        ),
        (
            DocKind::Handover,
            vec![
                "交接函".into(),
                format!("青政法交〔{year}〕1号"),
                "稳控".into(),
                "帮扶".into(),
            ],
        ),
    ];
    assert_eq!(expect.len(), DocKind::ALL.len());
    for (kind, parts) in &expect {
        let text = s
            .preview_text(
                *kind,
                &case_id,
                Some(&hid)
                    .filter(|_| kind.needs_hearing())
                    .map(|x| x.as_str()),
                None,
            )
            .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        let pdf =
            render_document(*kind, &text, &fonts, None).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        let path = out_dir().join(format!("{}.pdf", kind.key()));
        std::fs::write(&path, &pdf).expect("write");
        let got = squash(&run("pdftotext", &[path.to_str().unwrap(), "-"]));
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        in_order(*kind, &got, &parts);
        let fonts_out = run("pdffonts", &[path.to_str().unwrap()]);
        let rows: Vec<&str> = fonts_out.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{kind:?}: no fonts");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            let n = cols.len();
            assert!(
                n >= 5 && cols[n - 5] == "yes" && cols[n - 4] == "yes",
                "{kind:?}: not an embedded subset: {row}"
            );
        }
        if *kind == DocKind::Transcript {
            let pages = run("pdfinfo", &[path.to_str().unwrap()])
                .lines()
                .find_map(|l| {
                    l.strip_prefix("Pages:")
                        .map(|n| n.trim().parse::<usize>().unwrap())
                })
                .expect("pages");
            assert!(pages >= 2, "the transcript should run over pages: {pages}");
            for n in 1..=pages {
                assert!(
                    got.contains(&format!("第{n}页共{pages}页")),
                    "page {n} of {pages} footer"
                );
            }
            assert_eq!(
                got.matches("信访人（签名）").count(),
                pages,
                "a signature line per page"
            );
        }
    }
}

#[test]
fn numbering_lifecycle_and_verification() {
    let (dir, mut s, case_id) = setup();
    let hid = held(&mut s, &case_id);
    let year = hearing_store::today().format("%Y").to_string();
    let d1 = s
        .generate_document(DocKind::ClosureDecision, &case_id, Some(&hid), None)
        .expect("draft");
    assert_eq!(d1.state, hearing_core::DocState::Draft);
    assert_eq!(d1.number, format!("青政法终〔{year}〕1号"));
    assert!(d1.text.contains(&d1.number));
    let d2 = s
        .generate_document(DocKind::ClosureDecision, &case_id, None, None)
        .expect("second");
    assert_eq!(d2.number, format!("青政法终〔{year}〕2号"));
    let n = s
        .generate_document(DocKind::Notice, &case_id, None, None)
        .expect("notice");
    assert_eq!(
        n.number,
        format!("青政法听〔{year}〕1号"),
        "a sequence per prefix"
    );
    let t = s
        .generate_document(DocKind::Transcript, &case_id, None, None)
        .expect("transcript");
    assert_eq!(t.number, "", "the transcript is not numbered");

    // Draft edits stay in place.
    let edited = s
        .edit_document(
            &d1.id,
            &d1.text
                .replace("听证员进行了询问", "听证员进行了询问和释法"),
        )
        .expect("edit draft");
    assert_eq!((edited.id.as_str(), edited.version), (d1.id.as_str(), 1));
    assert!(edited.text.contains("询问和释法"));

    let Some(fonts) = fonts() else { return };
    let f = s.finalize_document(&d1.id, &fonts).expect("final");
    assert_eq!(f.state, hearing_core::DocState::Final);
    let code = f.verification_code.clone().expect("code");
    assert_eq!(code.len(), 9);
    assert_eq!(
        code,
        documents::verification_code(&f.id, f.text_sha256.as_deref().unwrap())
    );
    let pdf = documents::pdf(s.conn(), &f.id)
        .expect("pdf")
        .expect("bytes");
    assert!(
        pdf.len() <= 150 * 1024,
        "closure decision is {} bytes",
        pdf.len()
    );
    assert_eq!(documents::sha256_hex(&pdf), f.pdf_sha256.clone().unwrap());
    assert!(
        s.finalize_document(&d1.id, &fonts).is_err(),
        "no second freeze"
    );

    let found = documents::verify_pdf(s.conn(), &pdf)
        .expect("v")
        .expect("verified");
    assert_eq!(found.id, f.id);
    let mut bad = pdf.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x20;
    assert!(documents::verify_pdf(s.conn(), &bad).expect("v").is_none());
    assert_eq!(
        documents::by_code(s.conn(), &code.to_lowercase())
            .expect("c")
            .map(|d| d.id),
        Some(f.id.clone())
    );

    let path = out_dir().join("decision-final.pdf");
    std::fs::write(&path, &pdf).expect("write");
    if have("pdftotext") {
        let got = squash(&run("pdftotext", &[path.to_str().unwrap(), "-"]));
        assert!(got.contains(&format!("验证码{code}")), "{got}");
    }

    // A new version from the final one keeps the number.
    let v2 = s
        .edit_document(&f.id, &f.text.replace("依法终结", "依法予以终结"))
        .expect("new version");
    assert_ne!(v2.id, f.id);
    assert_eq!((v2.version, v2.state.as_str()), (2, "draft"));
    assert_eq!(v2.number, f.number);
    assert_eq!(v2.previous_id.as_deref(), Some(f.id.as_str()));
    assert_eq!(
        documents::get(s.conn(), &f.id).expect("old").state,
        hearing_core::DocState::Final
    );

    let err = s
        .record_document_service(
            &f.id,
            &ServiceInput {
                date: "2026-13-01".into(),
                method: "直接".into(),
                recipient: "测试人甲".into(),
                ..Default::default()
            },
        )
        .expect_err("bad date");
    assert!(err.to_string().contains("送达日期"), "{err}");
    // Every problem at once, each under its field.
    let err = s
        .record_document_service(
            &f.id,
            &ServiceInput {
                date: "昨天".into(),
                method: "口头".into(),
                recipient: " ".into(),
                ..Default::default()
            },
        )
        .expect_err("three problems");
    let hearing_store::StoreError::Validation(v) = &err else {
        panic!("{err:?}");
    };
    let fields: Vec<&str> = v.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["date", "method", "recipient"]);
    // A method outside the one vocabulary (hearing-core ServiceMethod) is refused, naming it.
    let err = s
        .record_document_service(
            &f.id,
            &ServiceInput {
                date: ymd(hearing_store::today()),
                method: "公告".into(),
                recipient: "测试人甲".into(),
                ..Default::default()
            },
        )
        .expect_err("no such method");
    let hearing_store::StoreError::Validation(v) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(v.0[0].field, "method");
    assert!(v.0[0].message.contains("转交送达"), "{err}");
    s.mark_document_printed(&f.id).expect("printed");
    let scan = dir.path().join("signed.PNG");
    std::fs::write(&scan, b"fake scan bytes").expect("scan");
    let signed = s.attach_signed_scan(&f.id, &scan).expect("signed");
    let rel = signed.scan_path.clone().expect("path");
    assert!(rel.starts_with("scans/") && rel.ends_with(".png"), "{rel}");
    assert!(dir.path().join(&rel).exists());
    assert_eq!(
        signed.scan_sha256.as_deref(),
        Some(documents::sha256_hex(b"fake scan bytes").as_str())
    );
    let served = s
        .record_document_service(
            &f.id,
            &ServiceInput {
                date: ymd(hearing_store::today()),
                method: "direct".into(),
                recipient: "测试人甲".into(),
                receiver: String::new(),
                server: "钱记录".into(),
                note: String::new(),
            },
        )
        .expect("served");
    assert!(served.service.contains("测试人甲"));
    // Sent as its key, kept as its words (what every version reads and the receipt prints).
    assert!(
        served.service.contains("\"method\":\"直接送达\""),
        "{}",
        served.service
    );
    let filed = s.file_document(&f.id).expect("filed");
    assert_eq!(filed.state, hearing_core::DocState::Filed);
    assert!(s.mark_document_printed(&f.id).is_err(), "no going back");
    assert!(
        documents::verify_pdf(s.conn(), &pdf).expect("v").is_some(),
        "a filed final still verifies"
    );

    // Every step is in the change log and on the case's timeline.
    let changes: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM change_log WHERE tbl = 'documents'",
            [],
            |r| r.get(0),
        )
        .expect("changes");
    assert!(changes >= 10, "{changes}");
    let timeline = hearing_store::audit::case_timeline(s.conn(), &case_id).expect("timeline");
    assert!(timeline.iter().any(|e| e.summary.contains("定稿")));
    assert!(hearing_store::audit::verify(s.conn()).expect("audit").ok);
    assert_eq!(documents::list(s.conn(), &case_id).expect("list").len(), 5);
}

#[test]
fn organ_templates_override_the_builtins_and_missing_fields_are_named() {
    let (dir, mut s, case_id) = setup();
    let hid = held(&mut s, &case_id);
    let tdir = dir.path().join("templates");
    std::fs::create_dir_all(&tdir).expect("dir");
    std::fs::write(
        tdir.join("notice.txt"),
        "@title {organ}|听证通知\n@p 请{recipient}准时参加。\n",
    )
    .expect("t");
    let text = s
        .preview_text(DocKind::Notice, &case_id, Some(&hid), None)
        .expect("override");
    assert!(text.contains("请测试人甲准时参加。"), "{text}");
    std::fs::write(tdir.join("notice.txt"), "@p 请携带{bring_list}。\n").expect("t");
    let err = s
        .preview_text(DocKind::Notice, &case_id, Some(&hid), None)
        .expect_err("missing");
    let msg = err.to_string();
    assert!(
        msg.contains("{bring_list}") && msg.contains("听证通知书") && msg.contains("缺少字段"),
        "{msg}"
    );
    let err = s
        .generate_document(DocKind::Notice, &case_id, Some(&hid), None)
        .expect_err("missing");
    assert!(err.to_string().contains("bring_list"));
    assert!(
        documents::list(s.conn(), &case_id)
            .expect("list")
            .is_empty(),
        "nothing stored"
    );
}

#[test]
fn a_case_without_a_hearing_cannot_have_a_notice() {
    let (_dir, s, case_id) = setup();
    let err = s
        .preview_text(DocKind::Notice, &case_id, None, None)
        .expect_err("no hearing");
    assert!(err.to_string().contains("还没有安排听证"), "{err}");
    assert!(s
        .preview_text(DocKind::ClosureApproval, &case_id, None, None)
        .is_ok());
    let _ = hearings::list(s.conn(), Some(&case_id));
}

/// The participants of a hearing in one role.
fn in_role(s: &Store, hid: &str, role: ParticipantRole) -> Vec<hearings::Participant> {
    hearings::participants(s.conn(), hid)
        .expect("participants")
        .into_iter()
        .filter(|p| p.role == role)
        .collect()
}

#[test]
fn one_invitation_and_one_opinion_form_per_panelist() {
    let (_dir, mut s, case_id) = setup();
    let hid = held(&mut s, &case_id);
    let panel = in_role(&s, &hid, ParticipantRole::Panelist);
    assert_eq!(panel.len(), 3);
    let year = hearing_store::today().format("%Y").to_string();

    let invitations = s
        .generate_documents_each(DocKind::Invitation, &case_id, None)
        .expect("invitations");
    assert_eq!(invitations.len(), 3);
    for (d, p) in invitations.iter().zip(&panel) {
        assert_eq!(d.subject_id.as_deref(), Some(p.id.as_str()));
        assert_eq!(d.subject_name, p.name);
        assert_eq!(d.hearing_id.as_deref(), Some(hid.as_str()));
        assert!(
            d.text.contains(&format!("@recipient {}同志", p.name)),
            "{}",
            d.text
        );
        assert!(
            d.text.contains(&format!("| 受邀人 | {} |", p.name)),
            "{}",
            d.text
        );
        assert!(d.text.contains(&p.unit), "{}", d.text);
        // The identity from the pool, with its level when it has one (“全国人大代表”,
        // “市级政协委员”); which members the draw picks depends on the day.
        let identity = d
            .text
            .split_once("诚挚邀请您以")
            .and_then(|(_, rest)| rest.split_once("身份担任本次听证的听证员"))
            .map(|(identity, _)| identity);
        assert!(
            identity.is_some_and(|i| ["党代表", "人大代表", "政协委员"]
                .iter()
                .any(|k| i.ends_with(k))),
            "identity from the pool: {}",
            d.text
        );
    }
    let numbers: Vec<&str> = invitations.iter().map(|d| d.number.as_str()).collect();
    assert_eq!(
        numbers,
        (1..=3)
            .map(|n| format!("青政法听〔{year}〕{n}号"))
            .collect::<Vec<_>>()
    );

    let forms = s
        .generate_documents_each(DocKind::PanelistOpinion, &case_id, Some(&hid))
        .expect("opinion forms");
    assert_eq!(forms.len(), 3);
    for (i, d) in forms.iter().enumerate() {
        assert_eq!(d.subject_name, panel[i].name);
        assert_eq!(d.number, "", "the form is not numbered");
        let (ticked, open) = if i < 2 {
            ("☑同意", "□不同意")
        } else {
            ("☑不同意", "□同意")
        };
        assert!(
            d.text.contains(ticked) && d.text.contains(open),
            "{}",
            d.text
        );
        assert!(d.text.contains("原案事实清楚"), "{}", d.text);
    }
    assert!(forms[2].text.contains("借条真实性仍有疑问"));

    // One document for a named panelist; the list tells them apart.
    let one = s
        .generate_document(DocKind::Invitation, &case_id, None, Some(&panel[1].id))
        .expect("one invitation");
    assert_eq!(one.subject_name, panel[1].name);
    let listed = documents::list(s.conn(), &case_id).expect("list");
    let names: std::collections::HashSet<&str> = listed
        .iter()
        .filter(|d| d.kind == "invitation")
        .map(|d| d.subject_name.as_str())
        .collect();
    assert_eq!(names.len(), 3);

    // A new version keeps the person.
    let Some(fonts) = fonts() else { return };
    let f = s.finalize_document(&forms[0].id, &fonts).expect("final");
    let v2 = s
        .edit_document(&f.id, &f.text.replace("同意终结", "同意依法终结"))
        .expect("v2");
    assert_eq!(v2.version, 2);
    assert_eq!(v2.subject_id, forms[0].subject_id);
    assert_eq!(v2.subject_name, forms[0].subject_name);

    // The per-person forms print the ticked box.
    let pdf = s.document_pdf(&forms[2].id, &fonts).expect("pdf");
    if have("pdftotext") {
        let path = out_dir().join("opinion-each.pdf");
        std::fs::write(&path, &pdf).expect("write");
        let got = squash(&run("pdftotext", &[path.to_str().unwrap(), "-"]));
        in_order(
            DocKind::PanelistOpinion,
            &got,
            &[
                &panel[2].name,
                "□同意",
                "☑不同意",
                "□其他",
                "借条真实性仍有疑问",
            ],
        );
    }
    assert!(hearing_store::audit::verify(s.conn()).expect("audit").ok);
}

#[test]
fn per_person_documents_refuse_the_wrong_person_and_leave_blanks_to_write_on() {
    let (_dir, mut s, case_id) = setup();
    let d = hearing_in_session(&mut s, &case_id);
    let hid = d.hearing.id.clone();
    let petitioner = in_role(&s, &hid, ParticipantRole::Petitioner)
        .into_iter()
        .next()
        .expect("petitioner");
    let err = s
        .generate_document(DocKind::Invitation, &case_id, None, Some(&petitioner.id))
        .expect_err("not a panelist");
    assert!(err.to_string().contains("不是听证员"), "{err}");
    let panelist = in_role(&s, &hid, ParticipantRole::Panelist)
        .into_iter()
        .next()
        .expect("panelist");
    let err = s
        .generate_document(DocKind::Notice, &case_id, None, Some(&panelist.id))
        .expect_err("notice is not per person");
    assert!(err.to_string().contains("不按人生成"), "{err}");
    let err = s
        .generate_documents_each(DocKind::Notice, &case_id, None)
        .expect_err("notice is not per person");
    assert!(err.to_string().contains("听证员邀请函"), "{err}");
    assert!(documents::list(s.conn(), &case_id)
        .expect("list")
        .is_empty());

    // No opinion recorded yet: lines and empty boxes to fill in by hand.
    let text = s
        .preview_text(DocKind::PanelistOpinion, &case_id, None, Some(&panelist.id))
        .expect("blank form");
    assert!(
        text.contains(&format!("| 听证员 | {} |", panelist.name)),
        "{text}"
    );
    assert!(text.contains("□同意　　□不同意　　□其他"), "{text}");
    assert!(!text.contains('☑'), "{text}");
    assert_eq!(text.matches("@p ＿＿＿＿＿＿＿＿").count(), 7, "{text}");
    assert!(text.contains("年　　月　　日"), "{text}");
}

#[test]
fn the_service_receipt_prints_the_recorded_service() {
    let (_dir, mut s, case_id) = setup();
    let hid = held(&mut s, &case_id);
    let Some(fonts) = fonts() else { return };
    if !have("pdftotext") {
        return;
    }
    let text_of = |s: &Store, name: &str| {
        let text = s
            .preview_text(DocKind::ServiceReceipt, &case_id, None, None)
            .expect("receipt");
        let pdf = render_document(DocKind::ServiceReceipt, &text, &fonts, None).expect("pdf");
        let path = out_dir().join(name);
        std::fs::write(&path, &pdf).expect("write");
        squash(&run("pdftotext", &[path.to_str().unwrap(), "-"]))
    };

    // A decision made but not served: its title and number, the rest blank.
    let d = s
        .generate_document(DocKind::ClosureDecision, &case_id, Some(&hid), None)
        .expect("decision");
    let got = text_of(&s, "receipt-unserved.pdf");
    assert!(
        got.contains(&squash(&format!(
            "涉法涉诉信访事项终结告知书（{}）1份",
            d.number
        ))),
        "{got}"
    );
    assert!(!got.contains('☑'), "{got}");
    assert!(got.contains("□直接") && got.contains("□留置"), "{got}");

    let f = s.finalize_document(&d.id, &fonts).expect("final");
    let on = hearing_store::today() - Duration::days(1);
    s.record_document_service(
        &f.id,
        &ServiceInput {
            date: ymd(on),
            method: "委托".into(),
            recipient: "测试人甲".into(),
            receiver: "测试人乙（信访人之子），本人外出务工".into(),
            server: "钱记录、孙送达".into(),
            note: "经电话告知信访人".into(),
        },
    )
    .expect("served");
    let date = squash(&documents::zh_date(&ymd(on)));
    let got = text_of(&s, "receipt-served.pdf");
    in_order(
        DocKind::ServiceReceipt,
        &got,
        &[
            "送达回证",
            &format!("涉法涉诉信访事项终结告知书（{}）1份", f.number),
            "测试人甲",
            "青山市东河区",
            "□直接",
            "□留置",
            "□邮寄",
            "☑委托",
            "□转交",
            "□电子",
        ],
    );
    // Cells with a two-line label come out of pdftotext in an order of their own: each part
    // is looked for on its own, and the date once per signature (recipient, receiver, server).
    for part in [
        "（签名或盖章）",
        "测试人乙（信访人之子），本人外出务工（签名）",
        "钱记录、孙送达（签名）",
        "经电话告知信访人",
    ] {
        assert!(got.contains(&squash(part)), "{part} in {got}");
    }
    assert_eq!(got.matches(&date).count(), 3, "{got}");
    assert!(!got.contains("年月日"), "no blank date left: {got}");

    // Served by leaving it (留置): refused, with the witness.
    let v2 = s
        .edit_document(
            &f.id,
            &f.text.replace("听证员进行了询问", "听证员进行了询问。"),
        )
        .expect("v2");
    let v2 = s.finalize_document(&v2.id, &fonts).expect("final v2");
    s.record_document_service(
        &v2.id,
        &ServiceInput {
            date: ymd(on),
            method: "留置送达".into(),
            recipient: "测试人甲".into(),
            receiver: "社区干部王见证".into(),
            server: "钱记录".into(),
            note: String::new(),
        },
    )
    .expect("served v2");
    let got = text_of(&s, "receipt-left.pdf");
    in_order(DocKind::ServiceReceipt, &got, &["□直接", "☑留置", "□邮寄"]);
    for part in [
        "拒绝签收".to_owned(),
        format!("受送达人拒绝签收，送达人于{date}将文书留置于受送达人住所；见证人：社区干部王见证（签名）"),
        "钱记录（签名）".to_owned(),
    ] {
        assert!(got.contains(&squash(&part)), "{part} in {got}");
    }
}

#[test]
fn documents_made_before_subjects_existed_still_read() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join(hearing_store::DB_FILE);
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        for sql in [
            include_str!("../src/migrations/001_foundation.sql"),
            include_str!("../src/migrations/002_hearing_workflow.sql"),
            include_str!("../src/migrations/003_documents.sql"),
        ] {
            conn.execute_batch(sql).expect("migration");
        }
        conn.execute_batch(
            "PRAGMA user_version = 3;
             PRAGMA foreign_keys = OFF;
             INSERT INTO documents (id, org_id, case_id, kind, text, created_at, updated_at)
             VALUES ('d1', 'o', 'c', 'invitation', '@p 旧文书', '2026-01-01', '2026-01-01');",
        )
        .expect("old row");
    }
    let s = Store::open(&path).expect("upgrade");
    assert_eq!(
        s.schema_version().expect("v"),
        hearing_store::LATEST_VERSION
    );
    let d = documents::get(s.conn(), "d1").expect("old document");
    assert_eq!((d.subject_id, d.subject_name.as_str()), (None, ""));
}
