//! `hearingctl render`, `doc` and `verify` as a process against the demo database.

use std::process::{Command, Output};

fn ctl(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hearingctl"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .expect("run hearingctl")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn render_finalize_and_verify() {
    if hearing_docs::FontSet::system().is_err() {
        eprintln!("skipped: no CJK fonts");
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
