//! Documents: every kind rendered from a case taken through a hearing with the store, read back
//! with poppler; numbering; the life cycle; verification of final PDFs; template overrides.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::Duration;
use hearing_core::case_flow::CaseAction;
use hearing_core::deliberation::{OpinionInput, Vote};
use hearing_core::hearing::{HearingAction, InvitationStatus, ParticipantRole, SignatureStatus};
use hearing_core::plan::{ApprovalInput, OrganDecisionInput};
use hearing_core::supervision::{LeaderAssignmentInput, SlipInput, SlipKind};
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
    s.add_slip(
        case_id,
        &SlipInput {
            kind: SlipKind::Assign,
            from_unit: "市委政法委".into(),
            to_unit: "东河区法院".into(),
            content: "组织听证".into(),
            deadline: ymd(hearing_store::today() + Duration::days(10)),
        },
    )
    .expect("slip");
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

fn have(tool: &str) -> bool {
    Command::new(tool).arg("-v").output().is_ok()
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
    match FontSet::system() {
        Ok(f) => Some(f),
        Err(e) => {
            eprintln!("skipped: no CJK fonts ({e})");
            None
        }
    }
}

#[test]
fn every_kind_renders_from_a_held_hearing() {
    let (_dir, mut s, case_id) = setup();
    let hid = held(&mut s, &case_id);
    let Some(fonts) = fonts() else { return };
    if !have("pdftotext") || !have("pdffonts") {
        eprintln!("skipped: poppler-utils not installed");
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
            DocKind::Opinions,
            vec![
                "评议意见表".into(),
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
        .generate_document(DocKind::ClosureDecision, &case_id, Some(&hid))
        .expect("draft");
    assert_eq!(d1.state, "draft");
    assert_eq!(d1.number, format!("青政法终〔{year}〕1号"));
    assert!(d1.text.contains(&d1.number));
    let d2 = s
        .generate_document(DocKind::ClosureDecision, &case_id, None)
        .expect("second");
    assert_eq!(d2.number, format!("青政法终〔{year}〕2号"));
    let n = s
        .generate_document(DocKind::Notice, &case_id, None)
        .expect("notice");
    assert_eq!(
        n.number,
        format!("青政法听〔{year}〕1号"),
        "a sequence per prefix"
    );
    let t = s
        .generate_document(DocKind::Transcript, &case_id, None)
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
    assert_eq!(f.state, "final");
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
    assert_eq!(documents::get(s.conn(), &f.id).expect("old").state, "final");

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
                method: "直接送达".into(),
                recipient: "测试人甲".into(),
                receiver: String::new(),
                server: "钱记录".into(),
                note: String::new(),
            },
        )
        .expect("served");
    assert!(served.service.contains("测试人甲"));
    let filed = s.file_document(&f.id).expect("filed");
    assert_eq!(filed.state, "filed");
    assert!(s.mark_document_printed(&f.id).is_err(), "no going back");
    assert!(
        documents::verify_pdf(s.conn(), &pdf).expect("v").is_some(),
        "a filed final still verifies"
    );

    // Every step is in the change log and on the case's timeline.
    let changes: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM changes WHERE entity = 'document'",
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
        .preview_text(DocKind::Notice, &case_id, Some(&hid))
        .expect("override");
    assert!(text.contains("请测试人甲准时参加。"), "{text}");
    std::fs::write(tdir.join("notice.txt"), "@p 请携带{bring_list}。\n").expect("t");
    let err = s
        .preview_text(DocKind::Notice, &case_id, Some(&hid))
        .expect_err("missing");
    let msg = err.to_string();
    assert!(
        msg.contains("{bring_list}") && msg.contains("听证通知书") && msg.contains("缺少字段"),
        "{msg}"
    );
    let err = s
        .generate_document(DocKind::Notice, &case_id, Some(&hid))
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
        .preview_text(DocKind::Notice, &case_id, None)
        .expect_err("no hearing");
    assert!(err.to_string().contains("还没有安排听证"), "{err}");
    assert!(s
        .preview_text(DocKind::ClosureApproval, &case_id, None)
        .is_ok());
    let _ = hearings::list(s.conn(), Some(&case_id));
}
