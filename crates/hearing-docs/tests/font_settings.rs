//! The faces documents are set in: the shipped Fandol 仿宋 for the body, and a face chosen in
//! 设置 (standing in for a licensed 方正小标宋) taking over its role — read back with pdffonts.

mod common;

use common::*;
use hearing_docs::{FontChoice, FontSet, FontSettings, Role};

/// `pdffonts` rows as (name, embedded, subset).
fn embedded_fonts(path: &std::path::Path) -> Vec<(String, bool, bool)> {
    run("pdffonts", &[path.to_str().unwrap()])
        .lines()
        .skip(2)
        .filter_map(|row| {
            let cols: Vec<&str> = row.split_whitespace().collect();
            let n = cols.len();
            (n >= 7).then(|| {
                (
                    cols[0].to_owned(),
                    cols[n - 5] == "yes",
                    cols[n - 4] == "yes",
                )
            })
        })
        .collect()
}

#[test]
fn shipped_fang_sets_the_body_as_an_embedded_subset() {
    if !have_shipped("FandolFang-Regular.otf") || !have("pdffonts") {
        return;
    }
    let Some(fonts) = fonts() else { return };
    let body: Vec<_> = fonts
        .chain(Role::Body)
        .map(|f| f.spec.path.clone())
        .collect();
    assert!(
        body[0].ends_with("FandolFang-Regular.otf"),
        "body chain starts with {body:?}"
    );
    // Noto Serif stays behind it for the characters Fandol lacks.
    assert!(body
        .iter()
        .skip(1)
        .any(|p| p.to_string_lossy().contains("NotoSerifCJK")));
    // A rare name character is drawn by the fallback, a common one by Fandol.
    assert!(fonts
        .face_for(Role::Body, '终')
        .unwrap()
        .spec
        .path
        .ends_with("FandolFang-Regular.otf"));
    assert!(!fonts
        .face_for(Role::Body, '䶮')
        .unwrap()
        .spec
        .path
        .ends_with("FandolFang-Regular.otf"));
    // Fandol draws ￥ as $: it must come from another face.
    assert!(!fonts
        .face_for(Role::Body, '￥')
        .unwrap()
        .spec
        .path
        .ends_with("FandolFang-Regular.otf"));

    let bytes = hearing_docs::closure_decision_with(&sample(), &fonts).unwrap();
    let path = write("decision-fandol.pdf", &bytes);
    let listed = embedded_fonts(&path);
    let fang = listed
        .iter()
        .find(|(name, _, _)| name.contains("FandolFang"))
        .unwrap_or_else(|| panic!("FandolFang not in {listed:?}"));
    assert!(
        fang.1 && fang.2,
        "FandolFang embedded as a subset: {fang:?}"
    );
    assert!(
        bytes.len() <= 150 * 1024,
        "decision is {} bytes",
        bytes.len()
    );
}

#[test]
fn a_chosen_face_takes_over_its_role() {
    if !have("pdffonts") || fonts().is_none() {
        return;
    }
    // Noto Sans CJK SC Regular stands in for a licensed title face.
    let Some(chosen) = ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"]
        .into_iter()
        .find(|p| std::path::Path::new(p).is_file())
    else {
        hearing_testkit::skip("没有 NotoSansCJK-Regular.ttc（apt install fonts-noto-cjk）");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let settings = FontSettings {
        choices: vec![FontChoice {
            role: "title".into(),
            path: chosen.into(),
            index: 2,
        }],
    };
    settings.save(dir.path()).unwrap();
    let loaded = FontSettings::load(dir.path()).unwrap();
    assert_eq!(loaded, settings);
    let fonts = FontSet::for_settings(&loaded).unwrap();
    let title: Vec<_> = fonts.chain(Role::Title).map(|f| f.spec.clone()).collect();
    assert_eq!(title[0].path.to_string_lossy(), chosen);
    assert_eq!(title[0].index, 2);
    // The other roles keep their defaults.
    assert!(!fonts
        .chain(Role::Body)
        .next()
        .unwrap()
        .spec
        .path
        .ends_with("NotoSansCJK-Regular.ttc"));

    let bytes = hearing_docs::closure_decision_with(&sample(), &fonts).unwrap();
    let path = write("decision-chosen-title.pdf", &bytes);
    let listed = embedded_fonts(&path);
    assert!(
        listed
            .iter()
            .any(|(n, e, s)| n.contains("NotoSansCJKsc-Regular") && *e && *s),
        "{listed:?}"
    );
}

#[test]
fn a_font_file_without_chinese_is_refused() {
    let Some(latin) = [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    ]
    .into_iter()
    .find(|p| std::path::Path::new(p).is_file()) else {
        hearing_testkit::skip("没有 DejaVu 字体（apt install fonts-dejavu-core）");
        return;
    };
    if fonts().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let settings = FontSettings {
        choices: vec![FontChoice {
            role: "body".into(),
            path: latin.into(),
            index: 0,
        }],
    };
    let err = settings.save(dir.path()).unwrap_err().to_string();
    assert!(err.contains("不含汉字"), "{err}");
    assert!(!dir.path().join("fonts.json").exists());
}
