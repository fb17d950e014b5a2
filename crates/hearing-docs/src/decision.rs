//! 终结决定书: the decision that ends a hearing matter (DOMAIN.md §5).
//!
//! [`closure_decision_blocks`] turns the data into layout blocks (pure, checked by tests without
//! fonts); [`closure_decision`] lays them out and writes the PDF with the system fonts.

use std::fmt;

use crate::error::DocError;
use crate::fonts::FontSet;
use crate::layout::{layout, Block};
use crate::pdf::{write_pdf, PdfMeta};

/// A calendar date written the official way: Arabic numerals, no padding ("2026年3月5日").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DocDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl DocDate {
    /// Checks the date exists (leap years included).
    pub fn new(year: u16, month: u8, day: u8) -> Result<DocDate, DocError> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => 0,
        };
        if !(1900..=2999).contains(&year) || day == 0 || day > days {
            return Err(DocError::invalid(
                "date",
                format!("日期 {year}年{month}月{day}日 不存在"),
            ));
        }
        Ok(DocDate { year, month, day })
    }
}

impl fmt::Display for DocDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}年{}月{}日", self.year, self.month, self.day)
    }
}

/// Everything a 终结决定书 says.
#[derive(Debug, Clone, PartialEq)]
pub struct ClosureDecisionData {
    /// Issuing and signing organ, e.g. "青海市人民政府".
    pub organ: String,
    /// Document name shown under the organ in the title, e.g. "终结听证决定书".
    pub doc_name: String,
    /// 文号, e.g. "青政法终〔2026〕7号".
    pub number: String,
    pub petitioner_name: String,
    /// As it should be printed: masked ("630102********1234") or full.
    pub petitioner_id: String,
    /// The matter applied for, as a noun phrase ("撤销青市自然资源局作出的……").
    pub matter: String,
    /// How the matter came here: one paragraph each.
    pub history: Vec<String>,
    /// The hearing.
    pub hearing_date: DocDate,
    /// Panel composition, e.g. "由李明担任主持人，王芳、赵强担任听证员，刘洋担任记录员".
    pub panel: String,
    /// The panel's opinion after deliberation.
    pub hearing_opinion: String,
    /// Findings of fact and reasons: one paragraph each.
    pub findings: Vec<String>,
    /// Legal basis, e.g. "《青海市行政听证程序规定》第三十二条第一款第（三）项".
    pub basis: String,
    /// The legal remedies sentence; a default is used when empty.
    pub remedies: String,
    pub date: DocDate,
    /// Attachment names, without numbers or trailing punctuation.
    pub attachments: Vec<String>,
}

fn required(value: &str, field: &'static str, label: &str) -> Result<(), DocError> {
    if value.trim().is_empty() {
        Err(DocError::invalid(field, format!("{label}不能为空")))
    } else {
        Ok(())
    }
}

fn sentence(text: &str) -> String {
    let t = text.trim();
    if t.ends_with(['。', '！', '？', '；', '：']) {
        t.to_owned()
    } else {
        format!("{t}。")
    }
}

/// The layout blocks of the decision, after checking the data.
pub fn closure_decision_blocks(data: &ClosureDecisionData) -> Result<Vec<Block>, DocError> {
    required(&data.organ, "organ", "作出决定的机关")?;
    required(&data.number, "number", "文号")?;
    required(&data.petitioner_name, "petitionerName", "申请人姓名")?;
    required(&data.petitioner_id, "petitionerId", "申请人身份证件号码")?;
    required(&data.matter, "matter", "申请事项")?;
    required(&data.panel, "panel", "听证组成人员")?;
    required(&data.hearing_opinion, "hearingOpinion", "听证评议意见")?;
    required(&data.basis, "basis", "决定依据")?;
    if data.findings.iter().all(|f| f.trim().is_empty()) {
        return Err(DocError::invalid("findings", "认定的事实和理由不能为空"));
    }
    if data.date < data.hearing_date {
        return Err(DocError::invalid(
            "date",
            format!(
                "决定日期（{}）不能早于听证日期（{}）",
                data.date, data.hearing_date
            ),
        ));
    }
    let doc_name = if data.doc_name.trim().is_empty() {
        "终结决定书"
    } else {
        data.doc_name.trim()
    };
    let matter = data.matter.trim().trim_end_matches('。');
    let mut blocks = vec![
        Block::Title(format!("{}|{}", data.organ.trim(), doc_name)),
        Block::DocNumber(data.number.trim().to_owned()),
        Block::Spacer(1),
        Block::Paragraph(format!(
            "申请人：{}，公民身份号码：{}。",
            data.petitioner_name.trim(),
            data.petitioner_id.trim()
        )),
        Block::Heading {
            level: 1,
            text: "一、申请事项和办理经过".into(),
            body: None,
        },
        Block::Paragraph(format!("申请人申请{matter}。")),
    ];
    blocks.extend(
        data.history
            .iter()
            .filter(|p| !p.trim().is_empty())
            .map(|p| Block::Paragraph(sentence(p))),
    );
    blocks.push(Block::Heading {
        level: 1,
        text: "二、听证情况".into(),
        body: None,
    });
    blocks.push(Block::Paragraph(format!(
        "本机关于{}依法举行听证。听证{}。",
        data.hearing_date,
        data.panel.trim().trim_end_matches('。')
    )));
    blocks.push(Block::Paragraph(format!(
        "经评议，听证组意见为：{}",
        sentence(&data.hearing_opinion)
    )));
    blocks.push(Block::Heading {
        level: 1,
        text: "三、认定的事实和理由".into(),
        body: None,
    });
    blocks.extend(
        data.findings
            .iter()
            .filter(|p| !p.trim().is_empty())
            .map(|p| Block::Paragraph(sentence(p))),
    );
    blocks.push(Block::Heading {
        level: 1,
        text: "四、决定".into(),
        body: None,
    });
    blocks.push(Block::Paragraph(format!(
        "根据{}的规定，本机关决定：对申请人提出的上述申请依法终结办理；申请人就同一事实和理由再次提出申请的，本机关不再受理。",
        data.basis.trim().trim_end_matches('。')
    )));
    let remedies = if data.remedies.trim().is_empty() {
        "申请人如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者自收到本决定书之日起六个月内依法提起行政诉讼。".to_owned()
    } else {
        sentence(&data.remedies)
    };
    blocks.push(Block::Paragraph(remedies));
    if !data.attachments.is_empty() {
        blocks.push(Block::AttachmentNote(data.attachments.clone()));
    }
    blocks.push(Block::Signature {
        organ: data.organ.trim().to_owned(),
        date: data.date.to_string(),
    });
    Ok(blocks)
}

/// Lays out and writes the decision with the system fonts.
pub fn closure_decision(data: &ClosureDecisionData) -> Result<Vec<u8>, DocError> {
    let fonts = FontSet::system()?;
    closure_decision_with(data, &fonts)
}

/// Lays out and writes the decision with the given fonts.
pub fn closure_decision_with(
    data: &ClosureDecisionData,
    fonts: &FontSet,
) -> Result<Vec<u8>, DocError> {
    let blocks = closure_decision_blocks(data)?;
    let pages = layout(&blocks, fonts)?;
    let meta = PdfMeta {
        title: format!(
            "{}（{}）",
            if data.doc_name.trim().is_empty() {
                "终结决定书"
            } else {
                data.doc_name.trim()
            },
            data.number.trim()
        ),
        author: data.organ.trim().to_owned(),
        subject: data.matter.trim().to_owned(),
        mark_seal: false,
    };
    write_pdf(&pages, fonts, &meta)
}
