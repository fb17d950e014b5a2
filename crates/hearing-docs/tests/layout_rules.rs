//! The pure layout: kinsoku, title breaking, the grid, pagination and the signature. No fonts.

use hearing_docs::layout::{
    break_lines, is_no_end, is_no_start, title_lines, BLOCK_LEFT_MM, BLOCK_TOP_MM, BLOCK_W_MM,
    CELL_MM, PITCH_MM,
};
use hearing_docs::{layout, Block, GridMeasure, Page, Role, Table};

const CORPUS: &[&str] = &[
    "申请人于2026年3月5日提交了《听证申请书》。",
    "补偿标准为每平方米12.5万元，共计约3,280.75万元。",
    "他说：“我不同意这个决定！”随后离开了会场。",
    "依据GB/T 9704—2012《党政机关公文格式》的规定排版。",
    "会场已开通WiFi，密码另行通知（见附件2）。",
    "本案涉及《中华人民共和国行政许可法》第四十七条、第四十八条。",
    "听证主持人宣布：“现在开始听证。”",
    "申请人的主张——即补偿过低——缺乏证据支持。",
    "证人陈述……记录员未能完整记录……",
    "增长率为15%，较上年提高3.2%。",
    "文号为青政法终〔2026〕7号，请注意核对。",
    "【注意】请携带身份证件原件及复印件。",
    "被申请人辩称：“已依法公告（公告期30日）。”",
    "该地块面积为2,350平方米（约3.5亩）。",
    "参见《关于进一步规范行政听证工作的意见》（青政办〔2025〕18号）。",
    "申请人提交了PDF格式的电子证据，共计15个文件。",
    "会议于10:30开始，12:00结束。",
    "价格为$100或£80或¥650，以实际结算为准。",
    "他问：“是否需要回避？”主持人答：“不需要。”",
    "‘合理期限’一词应作严格解释。",
    "「引号」与『双引号』在此并用。",
    "《土地管理法》〈实施条例〉均有规定。",
    "电话：0971-6123456，传真：0971-6123457。",
    "网址为www.example.gov.cn，请登录查询。",
    "Hearing Desk version 1.2.3 was used for the record.",
    "第一，事实清楚；第二，证据确实、充分；第三，程序合法。",
    "申请人称其“从未收到”通知书，但送达回证显示已于2026年1月20日签收。",
    "本决定自送达之日起生效。如不服，可于60日内申请复议。",
    "面积（m²）与金额（元）分别列示。",
    "各方当事人：申请人、被申请人、第三人（如有）。",
    "[1] 参考资料见附件，(2) 另行提供。",
    "经核实，COVID-19疫情期间的期限中止计算。",
    "共有3名听证员、1名记录员、2名翻译人员参加。",
    "……总之，申请人的理由不能成立。",
    "——以上是听证主持人的总结发言。",
];

/// Checks one broken paragraph against the kinsoku rules.
fn check(lines: &[String], source: &str) {
    // Where each line ends in the source, to know whether a dropped space separated the lines.
    let src: Vec<char> = source.chars().collect();
    let mut pos = 0;
    for (n, line) in lines.iter().enumerate() {
        for ch in line.chars() {
            while src[pos] != ch {
                assert_eq!(src[pos], ' ', "text lost or reordered: {lines:#?}");
                pos += 1;
            }
            pos += 1;
        }
        let space_between = pos < src.len() && src[pos] == ' ';
        let first = line.chars().next().unwrap();
        let last = line.chars().last().unwrap();
        // The first character of the paragraph may legitimately be "——" or "……".
        if n > 0 {
            assert!(
                !is_no_start(first),
                "line starts with {first:?}: {lines:#?}\n{source}"
            );
        }
        if n + 1 < lines.len() {
            assert!(!is_no_end(last), "line ends with {last:?}: {lines:#?}");
            let next = lines[n + 1].chars().next().unwrap();
            let pair = |a: char, b: char| last == a && next == b;
            assert!(!pair('—', '—'), "—— split: {lines:#?}");
            assert!(!pair('…', '…'), "…… split: {lines:#?}");
            if !space_between {
                assert!(
                    !(last.is_ascii_alphanumeric() && next.is_ascii_alphanumeric()),
                    "digit run or Latin word split: {lines:#?}"
                );
                // "12." | "5" and "GB/" | "T" split a number or a word too.
                let chars: Vec<char> = line.chars().collect();
                if chars.len() >= 2 && matches!(last, '.' | ',' | '/' | ':' | '-') {
                    assert!(
                        !(chars[chars.len() - 2].is_ascii_alphanumeric()
                            && next.is_ascii_alphanumeric()),
                        "number or word split at {last:?}: {lines:#?}"
                    );
                }
            }
        }
        // Nothing hangs further than one character into the margin.
        let cells: f32 = line.chars().map(cells_of).sum();
        assert!(cells <= 29.0, "line too long ({cells} cells): {line}");
    }
    assert!(
        src[pos..].iter().all(|c| *c == ' '),
        "text lost at the end: {lines:#?}"
    );
}

fn cells_of(c: char) -> f32 {
    if hearing_docs::layout::is_half_width(c) {
        0.5
    } else {
        1.0
    }
}

/// Width in mm of a grid run as the layout measures it with [`GridMeasure`].
fn run_width(text: &str, size_pt: f32, spacing_pt: f32) -> f32 {
    text.chars()
        .map(|c| (cells_of(c) * size_pt + spacing_pt) * 25.4 / 72.0)
        .sum()
}

/// Each sentence is placed at every offset of a line, so every character meets a line end.
#[test]
fn kinsoku_holds_at_every_offset() {
    for sentence in CORPUS {
        for offset in 0..28 {
            let text = format!("{}{}{}", "国".repeat(offset), sentence, sentence);
            let lines = break_lines(&text, 0, &GridMeasure);
            check(&lines, &text);
            let lines = break_lines(&text, 2, &GridMeasure);
            check(&lines, &text);
        }
    }
}

#[test]
fn all_sentences_in_one_paragraph() {
    let text: String = CORPUS.concat();
    let lines = break_lines(&text, 2, &GridMeasure);
    check(&lines, &text);
    assert!(lines.len() > 20);
}

#[test]
fn pulls_a_character_down_rather_than_start_with_a_mark() {
    // 28 cells exactly fill the line, the 29th is a full stop.
    let text = format!("{}一。二", "国".repeat(27));
    let lines = break_lines(&text, 0, &GridMeasure);
    assert_eq!(lines[0].chars().count(), 27);
    assert_eq!(lines[1], "一。二");
}

#[test]
fn opening_mark_never_ends_a_line() {
    let text = format!("{}《听证通知书》", "国".repeat(27));
    let lines = break_lines(&text, 0, &GridMeasure);
    assert!(lines[1].starts_with('《'), "{lines:?}");
}

#[test]
fn a_run_of_closing_marks_is_handled() {
    let text = format!("{}他说：“好。”）。后文", "国".repeat(22));
    for offset in 0..6 {
        let t = format!("{}{}", "国".repeat(offset), text);
        check(&break_lines(&t, 0, &GridMeasure), &t);
    }
}

#[test]
fn a_word_longer_than_a_line_is_split_rather_than_lost() {
    let text = "a".repeat(80);
    let lines = break_lines(&text, 0, &GridMeasure);
    assert_eq!(lines.concat(), text);
    assert_eq!(lines[0].len(), 56);
}

#[test]
fn title_short_stays_on_one_line() {
    assert_eq!(
        title_lines("终结听证决定书", &GridMeasure),
        ["终结听证决定书"]
    );
}

#[test]
fn title_hints_are_obeyed() {
    assert_eq!(
        title_lines("青海市人民政府|关于终结听证的决定", &GridMeasure),
        ["青海市人民政府", "关于终结听证的决定"]
    );
}

#[test]
fn title_is_balanced_at_a_word_boundary() {
    let title = "青海市人民政府关于终结王某某申请撤销国有土地使用权收回决定听证事项的决定";
    let lines = title_lines(title, &GridMeasure);
    assert_eq!(lines.len(), 2, "{lines:?}");
    let (a, b) = (lines[0].chars().count(), lines[1].chars().count());
    assert!(a <= 20 && b <= 20, "{lines:?}");
    assert!(a.abs_diff(b) <= 4, "unbalanced: {lines:?}");
    assert_eq!(lines.concat(), title);
}

#[test]
fn title_with_book_marks_is_balanced() {
    let title = "关于印发《青海市行政听证程序规定实施细则》的通知";
    let lines = title_lines(title, &GridMeasure);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(!lines[0].ends_with('《'));
    assert!(!lines[1].starts_with('》'));
    let (a, b) = (lines[0].chars().count(), lines[1].chars().count());
    assert!(a.abs_diff(b) <= 2, "{lines:?}");
}

#[test]
fn a_long_title_that_cannot_be_balanced_is_broken_at_once() {
    // Found by fuzzing: a run that may not be broken, wider than a line, made the balancing
    // try every line count (O(n⁴)): 40 s for 150 characters. A hearing title may have 300.
    let title = format!(
        "{}{}{}",
        "听证".repeat(60),
        ";".repeat(60),
        "会".repeat(120)
    );
    let started = std::time::Instant::now();
    let lines = title_lines(&title, &GridMeasure);
    assert_eq!(lines.concat(), title);
    assert!(lines.len() > 10, "{lines:?}");
    assert!(started.elapsed().as_secs() < 2, "{:?}", started.elapsed());
}

fn body_lines(page: &Page) -> Vec<f32> {
    let mut ys: Vec<f32> = page
        .runs
        .iter()
        .filter(|r| r.role == Role::Body && r.size_pt == 16.0)
        .map(|r| r.y_mm)
        .collect();
    ys.dedup_by(|a, b| (*a - *b).abs() < 0.01);
    ys
}

#[test]
fn a_full_page_has_22_lines_of_28_characters() {
    let text = "国".repeat(28 * 30);
    let pages = layout(&[Block::Paragraph(text)], &GridMeasure).unwrap();
    assert_eq!(pages.len(), 2);
    let ys = body_lines(&pages[0]);
    assert_eq!(ys.len(), 22);
    for w in ys.windows(2) {
        assert!((w[1] - w[0] - PITCH_MM).abs() < 0.01);
    }
    let full = pages[0]
        .runs
        .iter()
        .find(|r| r.text.chars().count() == 28)
        .unwrap();
    assert!((full.x_mm - BLOCK_LEFT_MM).abs() < 0.01);
    // The first line is indented two characters.
    let first = &pages[0].runs[0];
    assert!((first.x_mm - BLOCK_LEFT_MM - 2.0 * CELL_MM).abs() < 0.01);
    assert_eq!(first.text.chars().count(), 26);
    assert!(first.y_mm > BLOCK_TOP_MM && first.y_mm < BLOCK_TOP_MM + PITCH_MM);
}

#[test]
fn page_numbers_alternate_sides() {
    let text = "国".repeat(28 * 70);
    let pages = layout(&[Block::Paragraph(text)], &GridMeasure).unwrap();
    assert!(pages.len() >= 4);
    for page in &pages {
        let num = page.runs.iter().find(|r| r.role == Role::Digits).unwrap();
        assert_eq!(num.text, format!("— {} —", page.number));
        assert_eq!(num.size_pt, 14.0);
        if page.number % 2 == 1 {
            let right = num.x_mm + run_width(&num.text, 14.0, 0.0);
            assert!(
                (right - (BLOCK_LEFT_MM + BLOCK_W_MM - CELL_MM)).abs() < 0.05,
                "{right}"
            );
        } else {
            assert!((num.x_mm - (BLOCK_LEFT_MM + CELL_MM)).abs() < 0.05);
        }
        assert!(num.y_mm > 262.0 + 7.0 && num.y_mm < 276.0, "{}", num.y_mm);
    }
}

fn signature_blocks(lines: usize) -> Vec<Block> {
    // Each paragraph of 26 + 28·k characters fills its lines exactly.
    let mut blocks = vec![Block::Title("终结听证决定书".into())];
    blocks.push(Block::Paragraph(format!(
        "{}。",
        "国".repeat(26 + 28 * (lines - 1) - 1)
    )));
    blocks.push(Block::Signature {
        organ: "青海市人民政府".into(),
        date: "2026年3月5日".into(),
    });
    blocks
}

#[test]
fn the_date_is_never_alone_on_a_page() {
    for lines in 1..60 {
        let pages = layout(&signature_blocks(lines), &GridMeasure).unwrap();
        let date_page = pages
            .iter()
            .find(|p| p.runs.iter().any(|r| r.text == "2026年3月5日"))
            .unwrap();
        assert!(
            date_page.runs.iter().any(|r| r.text == "青海市人民政府"),
            "organ and date split at {lines} lines"
        );
        let body = date_page
            .runs
            .iter()
            .filter(|r| r.role == Role::Body && r.text.starts_with('国'))
            .count();
        assert!(
            body >= lines.min(2),
            "{lines} body lines: only {body} with the date"
        );
        assert!(date_page.seal.is_some());
        // The date's right edge is four characters in.
        let date = date_page
            .runs
            .iter()
            .find(|r| r.text == "2026年3月5日")
            .unwrap();
        let w = run_width(&date.text, 16.0, date.char_spacing_pt);
        assert!((date.x_mm + w - (BLOCK_LEFT_MM + BLOCK_W_MM - 4.0 * CELL_MM)).abs() < 0.05);
    }
}

#[test]
fn seal_presses_on_organ_and_date() {
    let pages = layout(&signature_blocks(3), &GridMeasure).unwrap();
    let page = &pages[0];
    let seal = page.seal.unwrap();
    let organ = page
        .runs
        .iter()
        .find(|r| r.text == "青海市人民政府")
        .unwrap();
    let date = page.runs.iter().find(|r| r.text == "2026年3月5日").unwrap();
    let centre_y = seal.y_mm + seal.h_mm / 2.0;
    assert!(organ.y_mm > centre_y - 6.0 && organ.y_mm < seal.y_mm + seal.h_mm);
    assert!(date.y_mm > centre_y && date.y_mm < seal.y_mm + seal.h_mm + 3.0);
    let last_body = page
        .runs
        .iter()
        .filter(|r| r.text.starts_with('国'))
        .map(|r| r.y_mm)
        .fold(0.0, f32::max);
    assert!(
        seal.y_mm - last_body < PITCH_MM,
        "seal top within one line of the body"
    );
}

#[test]
fn headings_use_their_faces_and_continue_inline() {
    let blocks = [
        Block::Heading {
            level: 1,
            text: "一、基本情况".into(),
            body: None,
        },
        Block::Heading {
            level: 2,
            text: "（一）申请事项。".into(),
            body: Some("申请人申请撤销决定。".into()),
        },
        Block::Heading {
            level: 3,
            text: "1.".into(),
            body: Some("第一项。".into()),
        },
        Block::Heading {
            level: 4,
            text: "（1）".into(),
            body: Some("第一目。".into()),
        },
    ];
    let pages = layout(&blocks, &GridMeasure).unwrap();
    let runs = &pages[0].runs;
    assert_eq!(runs[0].role, Role::Heading1);
    assert_eq!(runs[1].role, Role::Heading2);
    assert_eq!(runs[2].role, Role::Body);
    assert_eq!(
        runs[1].y_mm, runs[2].y_mm,
        "heading and body share the line"
    );
    assert_eq!(runs[2].text, "申请人申请撤销决定。");
    assert!(runs[3..]
        .iter()
        .all(|r| r.role == Role::Body || r.role == Role::Digits));
}

#[test]
fn recipient_and_attachment_note() {
    let blocks = [
        Block::Recipient("王某某".into()),
        Block::Paragraph("正文。".into()),
        Block::AttachmentNote(vec!["听证笔录。".into(), "评议意见表".into()]),
    ];
    let pages = layout(&blocks, &GridMeasure).unwrap();
    let runs = &pages[0].runs;
    assert_eq!(runs[0].text, "王某某：");
    assert!((runs[0].x_mm - BLOCK_LEFT_MM).abs() < 0.01);
    let att = runs.iter().find(|r| r.text.starts_with("附件")).unwrap();
    assert_eq!(att.text, "附件：1.听证笔录");
    assert!((att.x_mm - BLOCK_LEFT_MM - 2.0 * CELL_MM).abs() < 0.01);
    assert!(
        (att.y_mm - runs[1].y_mm - 2.0 * PITCH_MM).abs() < 0.01,
        "one blank line above"
    );
    let second = runs.iter().find(|r| r.text.starts_with("2.")).unwrap();
    assert!(
        (second.x_mm - BLOCK_LEFT_MM - 5.0 * CELL_MM).abs() < 0.01,
        "aligned under 1."
    );
}

#[test]
fn table_cells_wrap_and_rows_are_ruled() {
    let table = Table::new(
        vec![1.0, 3.0],
        vec![
            vec!["姓名".into(), "王䶮".into()],
            vec![
                "送达地址".into(),
                "青海市城东区八一路某某小区某号楼某单元某室，联系电话0971-6123456".into(),
            ],
        ],
    );
    let pages = layout(&[Block::Table(table)], &GridMeasure).unwrap();
    let page = &pages[0];
    let addr: Vec<_> = page
        .runs
        .iter()
        .filter(|r| r.x_mm > 60.0 && r.y_mm < 100.0 && r.role == Role::Body)
        .collect();
    assert!(addr.len() >= 3, "address wraps: {addr:?}");
    assert!(page
        .runs
        .iter()
        .all(|r| r.x_mm >= BLOCK_LEFT_MM && r.x_mm < BLOCK_LEFT_MM + BLOCK_W_MM));
    // 3 verticals + 2 horizontals per row.
    assert_eq!(page.rules.len(), 2 * 5);
}

#[test]
fn a_table_row_taller_than_a_page_goes_on_over_the_next_pages() {
    // A panel member's long opinion in the narrow column of the 评议意见汇总表.
    let opinion: String = "经审查，原处理程序合法，认定事实清楚。".repeat(40);
    let table = Table::new(
        vec![1.0, 1.0, 4.0],
        vec![
            vec!["姓名".into(), "意见".into(), "理由".into()],
            vec!["王䶮".into(), "同意".into(), opinion.clone()],
            vec!["李四".into(), "同意".into(), "无异议".into()],
        ],
    );
    let pages = layout(&[Block::Table(table)], &GridMeasure).unwrap();
    assert!(pages.len() >= 2, "{} page(s)", pages.len());
    // Every character of the opinion is set, in order, and nothing leaves the text block.
    let text: String = pages
        .iter()
        .flat_map(|p| p.runs.iter())
        .filter(|r| r.x_mm > BLOCK_LEFT_MM + 50.0)
        .map(|r| r.text.as_str())
        .collect();
    let set: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(set.contains(&opinion), "the opinion is split or lost");
    for page in &pages {
        for r in &page.rules {
            assert!(
                r.y1_mm >= BLOCK_TOP_MM - 0.01 && r.y2_mm <= BLOCK_TOP_MM + 225.01,
                "{r:?}"
            );
        }
    }
    // The next row follows on the last page.
    let last = pages.last().unwrap();
    assert!(last.runs.iter().any(|r| r.text.contains("无异议")));
}

#[test]
fn every_run_is_inside_the_text_block() {
    let blocks: Vec<Block> = CORPUS
        .iter()
        .map(|s| Block::Paragraph(s.repeat(3)))
        .collect();
    let pages = layout(&blocks, &GridMeasure).unwrap();
    for page in &pages {
        for r in page.runs.iter().filter(|r| r.role != Role::Digits) {
            let w = run_width(&r.text, r.size_pt, r.char_spacing_pt);
            assert!(r.x_mm >= BLOCK_LEFT_MM - 0.01, "{r:?}");
            assert!(
                r.x_mm + w <= BLOCK_LEFT_MM + BLOCK_W_MM + CELL_MM + 0.05,
                "{r:?}"
            );
            assert!(
                r.y_mm > BLOCK_TOP_MM && r.y_mm < BLOCK_TOP_MM + 225.0,
                "{r:?}"
            );
        }
    }
}

#[test]
fn a_minutes_list_hangs_after_its_label_and_lists_follow_without_a_blank() {
    let text = "@p 会议形成如下意见。\n@names 出席|王明（市委政法委副书记）、刘洋（市中级人民法院）、陈静（东河区委政法委）、孙强（市公安局）\n@names 列席|赵丽\n@names 请假|";
    let b = hearing_docs::templates::blocks(text).unwrap();
    assert!(matches!(&b[1], Block::Names { label, .. } if label == "出席"));
    let pages = layout(&b, &GridMeasure).unwrap();
    let lines = body_lines(&pages[0]);
    // 会议… ; blank ; 出席 ×2 lines ; 列席 (no blank before it).
    assert_eq!(lines.len(), 4, "{lines:?}");
    let runs = &pages[0].runs;
    let at = |y: f32| -> f32 {
        runs.iter()
            .filter(|r| (r.y_mm - y).abs() < 0.01)
            .map(|r| r.x_mm)
            .fold(f32::MAX, f32::min)
    };
    // The label is two characters in; the second line starts under the first name (出席： is
    // three characters).
    assert!((at(lines[1]) - (BLOCK_LEFT_MM + 2.0 * CELL_MM)).abs() < 0.01);
    assert!((at(lines[2]) - (BLOCK_LEFT_MM + 5.0 * CELL_MM)).abs() < 0.01);
    assert!(
        (lines[3] - lines[2] - PITCH_MM).abs() < 0.01,
        "列席 follows at once"
    );
    assert!(
        (lines[1] - lines[0] - 2.0 * PITCH_MM).abs() < 0.01,
        "a blank before 出席"
    );
}

#[test]
fn a_table_may_be_set_smaller_for_many_columns() {
    let text = "@table 五号 4,2,2\n| 单位 | 收案 | 结案 |\n| 东河区 | 12 | 10 |\n@end";
    let b = hearing_docs::templates::blocks(text).unwrap();
    let Block::Table(t) = &b[0] else {
        panic!("{b:?}")
    };
    assert_eq!(t.size_pt, 10.5);
    assert_eq!(t.col_weights, [4.0, 2.0, 2.0]);
    let pages = layout(&b, &GridMeasure).unwrap();
    assert!(pages[0]
        .runs
        .iter()
        .filter(|r| r.role != Role::Digits)
        .all(|r| r.size_pt == 10.5));
    hearing_docs::templates::check_syntax(text).unwrap();
    assert!(hearing_docs::templates::check_syntax("@table 五号\n| a |\n@end").is_err());
}
