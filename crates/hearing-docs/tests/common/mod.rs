//! Shared test helpers: sample data, fonts that may be absent, poppler tools.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use hearing_docs::{ClosureDecisionData, DocDate, FontSet};

/// The system fonts, or `None` (with a note) when no CJK font is installed.
pub fn fonts() -> Option<Arc<FontSet>> {
    hearing_testkit::require(
        FontSet::system(),
        "未安装中文字体（apt install fonts-noto-cjk）",
    )
}

/// Whether a poppler tool can be run.
pub fn have(tool: &str) -> bool {
    let ok = Command::new(tool).arg("-v").output().is_ok();
    if !ok {
        hearing_testkit::skip(format!("未安装 {tool}（apt install poppler-utils）"));
    }
    ok
}

/// Whether `make fonts` has put the shipped faces in place (always true under CI).
pub fn have_shipped(file: &str) -> bool {
    let ok = hearing_docs::fonts::bundled_dirs()
        .iter()
        .any(|d| d.join(file).is_file());
    if !ok {
        hearing_testkit::skip(format!("未找到随软件提供的字体 {file}（make fonts）"));
    }
    ok
}

pub fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hearing-docs");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let path = out_dir().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

pub fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn sample() -> ClosureDecisionData {
    ClosureDecisionData {
        organ: "青海市人民政府".into(),
        doc_name: "终结听证决定书".into(),
        number: "青政法终〔2026〕7号".into(),
        petitioner_name: "王䶮".into(),
        petitioner_id: "630102********1234".into(),
        matter: "撤销青海市自然资源局作出的《关于收回国有土地使用权的决定》（青自然资〔2025〕112号）".into(),
        history: vec![
            "2026年1月8日，申请人向本机关提交听证申请书及相关证据材料共12份。本机关经审查，于2026年1月12日依法受理，并于2026年1月20日向申请人送达《听证通知书》，告知其依法享有申请回避、陈述、申辩、质证和最后陈述等权利。".into(),
        ],
        hearing_date: DocDate::new(2026, 2, 10).unwrap(),
        panel: "由本机关指定的李明担任主持人，王芳、赵强担任听证员，刘洋担任记录员；申请人王䶮及其委托代理人张律师、被申请人青海市自然资源局的委托代理人到场参加".into(),
        hearing_opinion: "被申请人作出收回决定认定事实清楚，程序合法，补偿标准（每平方米12.5万元）符合规定；申请人提出的“未经公告即收回”的主张缺乏证据支持".into(),
        findings: vec![
            "经审查查明：涉案地块位于青海市城东区，面积2,350平方米。被申请人于2025年9月3日在《青海日报》及政府网站发布收回公告，公告期30日，期间申请人未提出异议。".into(),
            "本机关认为，被申请人依据GB/T 21010—2017《土地利用现状分类》认定涉案地块用途，事实清楚……申请人关于“公告未在WiFi覆盖区域张贴”的理由，不属于法定公告方式的要求，不予采纳。".into(),
        ],
        basis: "《青海市行政听证程序规定》第三十二条第一款第（三）项".into(),
        remedies: String::new(),
        date: DocDate::new(2026, 3, 5).unwrap(),
        attachments: vec!["听证笔录".into(), "听证评议意见表".into()],
    }
}
