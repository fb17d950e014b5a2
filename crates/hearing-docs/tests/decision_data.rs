//! The 终结决定书 data: validation and the blocks it becomes. No fonts.

mod common;

use hearing_docs::{closure_decision_blocks, layout, Block, DocDate, DocError, GridMeasure};

#[test]
fn dates_are_written_without_padding() {
    assert_eq!(
        DocDate::new(2026, 3, 5).unwrap().to_string(),
        "2026年3月5日"
    );
    assert_eq!(
        DocDate::new(2024, 2, 29).unwrap().to_string(),
        "2024年2月29日"
    );
    assert!(DocDate::new(2026, 2, 29).is_err());
    assert!(DocDate::new(2026, 13, 1).is_err());
}

#[test]
fn missing_fields_are_named() {
    let mut data = common::sample();
    data.petitioner_name = "  ".into();
    let err = closure_decision_blocks(&data).unwrap_err();
    assert!(
        matches!(
            err,
            DocError::Invalid {
                field: "petitionerName",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "申请人姓名不能为空");

    let mut data = common::sample();
    data.findings = vec![String::new()];
    assert!(matches!(
        closure_decision_blocks(&data),
        Err(DocError::Invalid {
            field: "findings",
            ..
        })
    ));

    let mut data = common::sample();
    data.date = DocDate::new(2026, 1, 1).unwrap();
    let err = closure_decision_blocks(&data).unwrap_err();
    assert!(err.to_string().contains("不能早于听证日期"), "{err}");
}

#[test]
fn decision_blocks_carry_every_required_part() {
    let blocks = closure_decision_blocks(&common::sample()).unwrap();
    let text: String = blocks
        .iter()
        .map(|b| match b {
            Block::Title(t) | Block::DocNumber(t) | Block::Paragraph(t) => t.clone(),
            Block::Heading { text, body, .. } => {
                format!("{text}{}", body.clone().unwrap_or_default())
            }
            Block::AttachmentNote(items) => items.join(""),
            Block::Signature { organ, date } => format!("{organ}{date}"),
            _ => String::new(),
        })
        .collect();
    for part in [
        "青政法终〔2026〕7号",
        "王䶮",
        "630102********1234",
        "2026年2月10日",
        "担任主持人",
        "经评议",
        "《青海市行政听证程序规定》第三十二条",
        "依法终结",
        "不再受理",
        "行政复议",
        "行政诉讼",
        "2026年3月5日",
    ] {
        assert!(text.contains(part), "missing {part}");
    }
    assert!(matches!(blocks.last(), Some(Block::Signature { .. })));
}

#[test]
fn decision_lays_out_on_the_grid() {
    let blocks = closure_decision_blocks(&common::sample()).unwrap();
    let pages = layout(&blocks, &GridMeasure).unwrap();
    assert!(!pages.is_empty() && pages.len() <= 3);
    assert!(pages.last().unwrap().seal.is_some());
}
