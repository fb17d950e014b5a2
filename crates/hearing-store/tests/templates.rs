//! The organ's templates: read, checked and saved atomically, refused with every problem named
//! (and then nothing written), reset to the built-in, previewed unsaved; and the field list each
//! kind offers is exactly what the data gathering provides.

use hearing_docs::{DocKind, Value};
use hearing_store::documents::{self, gather};
use hearing_store::templates::{fields_for, FieldShape};
use hearing_store::{audit, Store};

mod common;
use common::{hearing_in_session, setup};

fn template_events(s: &Store) -> i64 {
    s.conn()
        .query_row(
            "SELECT count(*) FROM audit_events WHERE entity = 'template'",
            [],
            |r| r.get(0),
        )
        .expect("count")
}

#[test]
fn a_template_is_saved_used_refused_when_wrong_and_reset() {
    let (dir, mut s, case_id) = setup();
    let hid = hearing_in_session(&mut s, &case_id).hearing.id;
    let path = dir.path().join("templates").join("notice.txt");

    let t = s.template_source(DocKind::Notice).expect("source");
    assert!(!t.is_override);
    assert_eq!(t.text, DocKind::Notice.builtin());
    assert_eq!(t.label, "听证通知书");

    // Save: the next document uses it, and the audit chain records it.
    let custom = t.text.replace(
        "@p 你应当如实陈述",
        "@p 请携带本通知书按时到场。\n@p 你应当如实陈述",
    );
    let saved = s.save_template(DocKind::Notice, &custom).expect("save");
    assert!(saved.is_override);
    assert_eq!(std::fs::read_to_string(&path).expect("file"), custom);
    let text = s
        .preview_text(DocKind::Notice, &case_id, Some(&hid), None)
        .expect("preview");
    assert!(text.contains("请携带本通知书按时到场。"), "{text}");
    let d = s
        .generate_document(DocKind::Notice, &case_id, Some(&hid), None)
        .expect("generate");
    assert!(d.text.contains("请携带本通知书按时到场。"));
    assert_eq!(template_events(&s), 1);
    let events = audit::events_for(s.conn(), "template", "notice").expect("events");
    assert!(
        events.iter().any(|e| e.summary.contains("听证通知书模板")),
        "{events:?}"
    );

    // Refused: unknown fields (named, with a suggestion), bad syntax, empty. Nothing written.
    for (bad, expect) in [
        (
            format!("{custom}@p 请带上{{bring_list}}和{{recipent}}。\n"),
            vec!["未保存", "{bring_list}", "是否应为 {recipient}"],
        ),
        (
            format!("{custom}@pp 多了一个字母\n"),
            vec!["无法识别的指令“@pp”"],
        ),
        (
            "@title {organ}|通知\n@table 3,9\n@rows {signers}\n@end\n@p {signers}\n".to_owned(),
            vec!["是表格行"],
        ),
        (";; 只有注释\n\n".to_owned(), vec!["模板内容为空"]),
    ] {
        let err = s
            .save_template(DocKind::Notice, &bad)
            .expect_err("refused")
            .to_string();
        for e in expect {
            assert!(err.contains(e), "{e} in {err}");
        }
        assert_eq!(
            std::fs::read_to_string(&path).expect("file"),
            custom,
            "unchanged"
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("templates"))
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        leftovers,
        vec!["notice.txt".to_owned()],
        "no temporary files"
    );
    assert_eq!(
        template_events(&s),
        1,
        "refusals are not recorded as changes"
    );

    // Preview of an unsaved text, with the case's data.
    let trial = custom.replace("请携带本通知书按时到场。", "请{petitioner}携带身份证。");
    let text = s
        .preview_template(DocKind::Notice, &trial, &case_id, None, None)
        .expect("preview unsaved");
    assert!(text.contains("请测试人甲携带身份证。"), "{text}");
    assert!(s
        .preview_template(DocKind::Notice, "@p {nope}", &case_id, None, None)
        .is_err());
    assert_eq!(std::fs::read_to_string(&path).expect("file"), custom);

    // Reset: the built-in again; a second reset changes nothing.
    let back = s.reset_template(DocKind::Notice).expect("reset");
    assert!(!back.is_override);
    assert_eq!(back.text, DocKind::Notice.builtin());
    assert!(!path.exists());
    assert_eq!(template_events(&s), 2);
    s.reset_template(DocKind::Notice).expect("reset again");
    assert_eq!(template_events(&s), 2);
    let text = s
        .preview_text(DocKind::Notice, &case_id, Some(&hid), None)
        .expect("preview");
    assert!(!text.contains("请携带本通知书按时到场。"));
    assert!(audit::verify(s.conn()).expect("audit").ok);
    assert_eq!(documents::list(s.conn(), &case_id).expect("list").len(), 1);
}

/// The field list is the contract between templates and the data: every field offered for a kind
/// is provided (with its shape) by the gathering, with a hearing and, for case kinds, without.
#[test]
fn every_offered_field_is_provided() {
    let (_dir, mut s, case_id) = setup();
    let (_dir2, s2, bare_case) = setup();
    let _ = hearing_in_session(&mut s, &case_id);
    for kind in DocKind::ALL {
        let mut sources = vec![(&s, case_id.as_str())];
        if !kind.needs_hearing() {
            sources.push((&s2, bare_case.as_str()));
        }
        for (store, case) in sources {
            let g = gather(store.conn(), kind, case, None, None, store.today())
                .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
            for field in fields_for(kind) {
                let value = g.fields.get(&field.name).unwrap_or_else(|| {
                    panic!("{kind:?}: {{{}}} offered but not provided", field.name)
                });
                let ok = matches!(
                    (field.shape, value),
                    (FieldShape::Text, Value::Text(_))
                        | (FieldShape::List, Value::List(_))
                        | (FieldShape::Rows, Value::Rows(_))
                );
                assert!(ok, "{kind:?}: {{{}}} is {value:?}", field.name);
            }
        }
    }
}
