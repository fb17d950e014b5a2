//! `hearingctl render`, `doc` and `verify` as a process against the demo database.

mod common;

use common::{ctl, ok, text};

#[test]
fn render_finalize_and_verify() {
    if hearing_testkit::require(
        hearing_docs::FontSet::system(),
        "没有中文字体（apt install fonts-noto-cjk）",
    )
    .is_none()
    {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("db");
    assert!(ctl(&db, &["demo"]).status.success());
    let case = "XLX-2026-001";
    for kind in ["approval", "receipt", "handover"] {
        let out = dir.path().join(format!("{kind}.pdf"));
        let o = ctl(
            &db,
            &[
                "render",
                "--kind",
                kind,
                "--case",
                case,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{kind}: {}", text(&o));
        let bytes = std::fs::read(&out).expect("pdf");
        assert!(bytes.starts_with(b"%PDF"), "{kind}");
    }
    let o = ctl(
        &db,
        &[
            "render", "--kind", "notice", "--case", case, "--out", "x.pdf",
        ],
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("还没有安排听证"), "{}", text(&o));
    let o = ctl(
        &db,
        &["render", "--kind", "nope", "--case", case, "--out", "x.pdf"],
    );
    assert!(text(&o).contains("未知的文书类型"), "{}", text(&o));

    let o = ctl(
        &db,
        &["doc", "generate", "--kind", "approval", "--case", case],
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains("青政法终审〔") && out.contains("草稿"),
        "{out}"
    );
    let id = out.split_whitespace().next().expect("id").to_owned();
    let final_pdf = dir.path().join("final.pdf");
    let o = ctl(
        &db,
        &["doc", "finalize", &id, "--out", final_pdf.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("验证码"), "{}", text(&o));

    let o = ctl(&db, &["verify", final_pdf.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("验证通过"), "{}", text(&o));

    let mut bytes = std::fs::read(&final_pdf).expect("read");
    let mid = bytes.len() / 3;
    bytes[mid] ^= 1;
    let bad = dir.path().join("bad.pdf");
    std::fs::write(&bad, &bytes).expect("write");
    let o = ctl(&db, &["verify", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("验证未通过"), "{}", text(&o));
}

#[test]
fn templates_from_the_command_line() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("db");
    ok(&db, &["demo"]);
    let case = "XLX-2026-001";

    let o = ctl(&db, &["template", "show", "approval"]);
    assert!(o.status.success());
    let builtin = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(builtin.starts_with("@title {organ}|"), "{builtin}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("内置"));
    let fields = ok(&db, &["template", "fields", "approval"]);
    assert!(
        fields.contains("{approvals}") && fields.contains("表格行"),
        "{fields}"
    );
    assert!(!fields.contains("{tally_total}"), "{fields}");

    // A wrong template is refused and nothing is written.
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, format!("{builtin}@p 附：{{attachments}}\n")).expect("write");
    let o = ctl(
        &db,
        &[
            "template",
            "save",
            "approval",
            "--file",
            bad.to_str().unwrap(),
        ],
    );
    assert!(!o.status.success());
    let msg = text(&o);
    assert!(
        msg.contains("未保存") && msg.contains("{attachments}"),
        "{msg}"
    );
    assert!(!db.join("templates/approval.txt").exists());

    // A good one is saved, used, listed; check --case fills it without saving.
    let good = dir.path().join("good.txt");
    std::fs::write(&good, format!("{builtin}@p 本表一式两份。\n")).expect("write");
    let out = ok(
        &db,
        &[
            "template",
            "check",
            "approval",
            "--file",
            good.to_str().unwrap(),
            "--case",
            case,
        ],
    );
    assert!(
        out.contains("@p 本表一式两份。") && out.contains("@title "),
        "{out}"
    );
    assert!(!db.join("templates/approval.txt").exists());
    let out = ok(
        &db,
        &[
            "template",
            "save",
            "approval",
            "--file",
            good.to_str().unwrap(),
        ],
    );
    assert!(out.contains("已保存终结审批表模板（已自定义）"), "{out}");
    let out = ok(&db, &["template", "list"]);
    assert!(
        out.lines()
            .any(|l| l.starts_with("approval\t") && l.ends_with("已自定义")),
        "{out}"
    );
    let out = ok(
        &db,
        &["doc", "generate", "--kind", "approval", "--case", case],
    );
    let id = out.split_whitespace().next().expect("id").to_owned();
    let listed = ok(&db, &["doc", "list", "--case", case]);
    assert!(listed.contains(&id), "{listed}");

    let out = ok(&db, &["template", "reset", "approval"]);
    assert!(out.contains("已恢复终结审批表的内置模板"), "{out}");
    let out = ok(&db, &["template", "reset", "approval"]);
    assert!(out.contains("无需恢复"), "{out}");
    let o = ctl(&db, &["template", "show", "approval"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout), builtin);
    let out = ok(&db, &["audit", "verify"]);
    assert!(!out.is_empty());
}

#[test]
fn one_invitation_per_panelist_from_the_command_line() {
    if hearing_testkit::require(
        hearing_docs::FontSet::system(),
        "没有中文字体（apt install fonts-noto-cjk）",
    )
    .is_none()
    {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("db");
    ok(&db, &["demo"]);
    let case = "XLX-2026-001";
    let out = ok(
        &db,
        &[
            "hearing",
            "create",
            "--case",
            case,
            "--date",
            "2026-12-01",
            "--venue",
            "听证室",
        ],
    );
    let h = out
        .lines()
        .find_map(|l| {
            l.split_once("听证会编号：")
                .map(|(_, r)| r.trim().to_owned())
        })
        .expect("hearing id");
    let o = ctl(
        &db,
        &[
            "doc",
            "generate",
            "--kind",
            "invitation",
            "--case",
            case,
            "--each",
        ],
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("还没有听证员"), "{}", text(&o));
    let out = ok(
        &db,
        &[
            "hearing",
            "draw",
            "--hearing",
            &h,
            "--count",
            "3",
            "--seed",
            "邀请",
        ],
    );
    assert!(out.contains("种子"), "{out}");
    let show = ok(&db, &["hearing", "show", &h]);
    let panel: Vec<String> = show
        .lines()
        .filter_map(|l| {
            let cols: Vec<&str> = l.trim().split('\t').collect();
            (cols.len() > 3 && cols[1] == "听证员").then(|| cols[2].to_owned())
        })
        .collect();
    assert_eq!(panel.len(), 3, "{show}");

    let out = ok(
        &db,
        &[
            "doc",
            "generate",
            "--kind",
            "invitation",
            "--case",
            case,
            "--each",
        ],
    );
    assert!(out.contains("共生成听证员邀请函 3 份"), "{out}");
    let listed = ok(&db, &["doc", "list", "--case", case]);
    for name in &panel {
        assert!(
            listed.contains(&format!("听证员邀请函（{name}）")),
            "{name} in {listed}"
        );
    }
    let out = ok(
        &db,
        &[
            "doc", "generate", "--kind", "opinion", "--case", case, "--person", &panel[1],
        ],
    );
    assert!(
        out.contains(&format!("听证员评议意见表（{}）", panel[1])),
        "{out}"
    );

    // render: every per-person kind for a named panelist or the first one.
    for (kind, person) in [
        ("opinion", Some(panel[2].as_str())),
        ("invitation", None),
        ("opinions", None),
    ] {
        let pdf = dir.path().join(format!("{kind}.pdf"));
        let mut args = vec![
            "render",
            "--kind",
            kind,
            "--case",
            case,
            "--out",
            pdf.to_str().unwrap(),
        ];
        if let Some(p) = person {
            args.extend(["--person", p]);
        }
        ok(&db, &args);
        assert!(
            std::fs::read(&pdf).expect("pdf").starts_with(b"%PDF"),
            "{kind}"
        );
    }
    let o = ctl(
        &db,
        &[
            "render",
            "--kind",
            "opinion",
            "--case",
            case,
            "--person",
            "无此人",
            "--out",
            "x.pdf",
        ],
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("没有名为“无此人”的听证员") && text(&o).contains(&panel[0]),
        "{}",
        text(&o)
    );
    let o = ctl(
        &db,
        &[
            "render", "--kind", "notice", "--case", case, "--person", &panel[0], "--out", "x.pdf",
        ],
    );
    assert!(text(&o).contains("不按人生成"), "{}", text(&o));
}
