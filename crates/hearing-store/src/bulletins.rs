//! 通报 (定期通报): the committee's report on every county and handling organ for a period,
//! from [`Store::unit_report`] — the figures of 统计 — ranked by closure rate with the change
//! from the period before. Issued, it is numbered per issuing org and year from the desk's
//! `bulletin` prefix (青政法通〔2026〕3号) and kept with its text and figures, so a reprint is the
//! same document; printed as a GB/T 9704 通报 from the `bulletin` template, and exported as an
//! XLSX workbook with the same figures.

use chrono::Datelike;
use hearing_core::access::Permission;
use hearing_core::period::Period;
use hearing_core::rules::Refusal;
use hearing_core::text;
use hearing_docs::{Fields, FontSet};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::documents::{extra_template, zh_date};
use crate::stats::units::{UnitReport, UnitRow, OWN_LEVEL};
use crate::{Result, Store, StoreError};

/// What the 通报 form sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BulletinInput {
    /// 2026, 2026Q3, 2026-07 or 2026-07-01..2026-09-30.
    pub period: String,
    /// The org subtree reported on; empty: the whole tree.
    #[serde(default)]
    pub org_id: Option<String>,
    /// 主送; empty: 各旗县区委政法委，市直各政法单位.
    #[serde(default)]
    pub recipients: String,
    /// 工作要求, one paragraph per line; empty: the standard paragraphs.
    #[serde(default)]
    pub remarks: String,
    /// 签发人 (issuing only).
    #[serde(default)]
    pub issued_by: String,
}

/// An issued 通报.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Bulletin {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    pub number: String,
    pub title: String,
    pub period: String,
    pub period_from: String,
    pub period_to: String,
    pub issued_on: String,
    pub issued_by: String,
    /// The document text as printed.
    pub body: String,
    /// The figures as exported.
    pub report: UnitReport,
}

const DEFAULT_RECIPIENTS: &str = "各旗县区委政法委，市直各政法单位";

const DEFAULT_REMARKS: &str = "各地各单位要对照通报排名，认真分析本地本单位涉法涉诉信访工作中存在的问题，对办结率偏低、逾期未反馈交办督办事项的，要逐案研究、限期整改。
要严格落实领导包案和“三单”制度，对排名靠后、连续下降的单位，市委政法委将适时开展专项督办。
要规范运用公开听证等方式化解信访积案，依法推动案件终结，切实做到案结事了。";

/// 85.3%; 无 when there is none.
fn rate(r: Option<f64>) -> String {
    r.map(|r| format!("{}%", super::stats::number_text(r)))
        .unwrap_or_else(|| "无".to_owned())
}

fn days(d: Option<f64>) -> String {
    d.map(super::stats::number_text)
        .unwrap_or_else(|| "无".to_owned())
}

fn county_rows(rows: &[UnitRow]) -> Vec<Vec<String>> {
    if rows.is_empty() {
        return Vec::new();
    }
    let mut out = vec![[
        "单位",
        "收案",
        "结案",
        "办结率",
        "终结用时中位数（日）",
        "排名",
        "较上期",
    ]
    .map(str::to_owned)
    .to_vec()];
    for r in rows {
        out.push(vec![
            r.label.clone(),
            r.now.received.to_string(),
            r.now.closed.to_string(),
            rate(r.now.closure_rate),
            days(r.now.median_days),
            r.rank.to_string(),
            r.change.clone(),
        ]);
    }
    out
}

fn work_rows(rows: &[UnitRow]) -> Vec<Vec<String>> {
    if rows.is_empty() {
        return Vec::new();
    }
    let mut out = vec![[
        "单位",
        "听证场次",
        "不同于多数的评议意见",
        "三单",
        "按期办结",
        "逾期",
        "重复信访人",
        "依法重启",
    ]
    .map(str::to_owned)
    .to_vec()];
    for r in rows {
        let f = &r.now;
        out.push(vec![
            r.label.clone(),
            f.hearings_held.to_string(),
            f.departing_opinions.to_string(),
            f.slips.to_string(),
            f.slips_on_time.to_string(),
            f.slips_overdue.to_string(),
            f.repeat_petitioners.to_string(),
            f.reopened.to_string(),
        ]);
    }
    out
}

fn change(now: u32, before: u32) -> String {
    match now.cmp(&before) {
        std::cmp::Ordering::Greater => format!("较上期增加{}件", now - before),
        std::cmp::Ordering::Less => format!("较上期减少{}件", before - now),
        std::cmp::Ordering::Equal => "与上期持平".to_owned(),
    }
}

/// The 总体情况 paragraphs.
fn overview(r: &UnitReport) -> Vec<String> {
    let (f, b) = (&r.total.now, &r.total.before);
    let median = match f.median_days {
        Some(d) => format!(
            "依法终结案件自登记至终结用时中位数{}日",
            super::stats::number_text(d)
        ),
        None => "本期没有依法终结的案件".to_owned(),
    };
    let mut out = vec![format!(
        "{}，共登记涉法涉诉信访案件{}件（{}），已办结{}件，办结率{}（上期{}）；{median}。",
        r.period.label,
        f.received,
        change(f.received, b.received),
        f.closed,
        rate(f.closure_rate),
        rate(b.closure_rate),
    )];
    out.push(format!(
        "举行听证{}场，听证员发表不同于多数意见的评议意见{}条。办理期限在本期的交办单、督办单、反馈单{}件，按期办结{}件，逾期{}件。重复信访人{}人，现处依法重启的案件{}件。",
        f.hearings_held,
        f.departing_opinions,
        f.slips,
        f.slips_on_time,
        f.slips_overdue,
        f.repeat_petitioners,
        f.reopened
    ));
    // The highest and the lowest of the counties that received cases (not the city's own level).
    let ranked: Vec<&UnitRow> = r
        .counties
        .iter()
        .filter(|c| !c.org_id.ends_with(OWN_LEVEL) && c.now.received > 0)
        .collect();
    if let (Some(top), Some(last), true) = (ranked.first(), ranked.last(), ranked.len() > 1) {
        out.push(format!(
            "从各旗县区看，{}办结率最高（{}），{}办结率最低（{}）。",
            top.label,
            rate(top.now.closure_rate),
            last.label,
            rate(last.now.closure_rate)
        ));
    }
    out
}

/// The fields of the `bulletin` template but its number.
fn bulletin_fields(
    report: &UnitReport,
    input: &BulletinInput,
    org_name: &str,
    issued_on: &str,
) -> Fields {
    let recipients = if input.recipients.trim().is_empty() {
        DEFAULT_RECIPIENTS.to_owned()
    } else {
        text::clean(&input.recipients)
    };
    let remarks: Vec<String> = if input.remarks.trim().is_empty() {
        DEFAULT_REMARKS
    } else {
        &input.remarks
    }
    .lines()
    .map(str::trim)
    .filter(|l| !l.is_empty())
    .map(str::to_owned)
    .collect();
    let subtree = if report.counties.is_empty() {
        report.org_name.clone()
    } else {
        "全市".to_owned()
    };
    let counties = !report.counties.is_empty();
    let mut f = Fields::new();
    f.text("org", org_name)
        .text("period_label", &report.period.label)
        .text("number", "")
        .text("recipients", recipients)
        .text(
            "span",
            if report.period.kind == hearing_core::period::PeriodKind::Custom {
                String::new()
            } else {
                format!(
                    "（{}至{}）",
                    zh_date(&report.period.from),
                    zh_date(&report.period.to)
                )
            },
        )
        .text("subtree", subtree)
        .list("overview", overview(report))
        .text("county_title", if counties { "二、各旗县区收案结案情况" } else { "" })
        .text(
            "county_work_title",
            if counties {
                "三、各旗县区听证和三单办理情况"
            } else {
                ""
            },
        )
        .text(
            "rank_note",
            if counties {
                "按办结率由高到低排列，办结率相同的并列；“较上期”为排名的升降（↑上升，↓下降），上期没有收案的为“无”。"
            } else {
                ""
            },
        )
        .text(
            "organ_title",
            if counties {
                "四、各承办单位情况"
            } else {
                "二、各承办单位情况"
            },
        )
        .text(
            "remarks_title",
            if counties {
                "五、工作要求"
            } else {
                "三、工作要求"
            },
        )
        .rows("county_rows", county_rows(&report.counties))
        .rows("county_work_rows", work_rows(&report.counties))
        .rows("organ_rows", county_rows(&report.organs))
        .list("remarks", remarks)
        .text("date", zh_date(issued_on));
    f
}

fn fill(source: &str, f: &Fields) -> Result<String> {
    hearing_docs::templates::fill("bulletin", source, f)
        .map_err(|e| StoreError::Document(e.to_string()))
}

impl Store {
    /// The name of the org that issues a 通报 here: the desk's org, else the root of the tree.
    fn issuing_org_name(&self) -> Result<String> {
        let orgs = crate::orgs::list(self.conn())?;
        Ok(crate::orgs::desk_org_or_root(self.conn(), &orgs)?
            .map(|o| o.name.clone())
            .unwrap_or_default())
    }

    /// The figures and the draft text of a 通报 (not numbered, not kept).
    pub fn bulletin_draft(&self, input: &BulletinInput) -> Result<(UnitReport, String)> {
        let period = Period::parse(&input.period)?;
        let report = self.unit_report(&period, input.org_id.as_deref())?;
        let today = self.today().format("%Y-%m-%d").to_string();
        let f = bulletin_fields(&report, input, &self.issuing_org_name()?, &today);
        let text = fill(&extra_template(self, "bulletin")?, &f)?;
        Ok((report, text))
    }

    /// Issues a 通报: numbered in this desk's org's series for the year, dated today, kept with
    /// its text and figures.
    pub fn issue_bulletin(&mut self, input: &BulletinInput) -> Result<Bulletin> {
        let mut e = hearing_core::ValidationErrors::default();
        let issued_by = text::required(&mut e, "issuedBy", "签发人", &input.issued_by, 50);
        text::optional(
            &mut e,
            "recipients",
            "主送单位",
            &input.recipients,
            text::MEDIUM,
        );
        text::optional(&mut e, "remarks", "工作要求", &input.remarks, text::LONG);
        let period = Period::parse(&input.period);
        if let Err(p) = &period {
            e.0.extend(p.0.iter().cloned());
        }
        e.into_result(())?;
        let period = period?;
        let Some(org_id) = crate::meta_get(self.conn(), "org_id")? else {
            return Err(Refusal::one(
                "本机未设所属单位：通报由本单位编号印发，请先在“设置 → 本机单位”中选择本机所属单位",
            )
            .into());
        };
        let report = self.unit_report(&period, input.org_id.as_deref())?;
        let today = self.today().format("%Y-%m-%d").to_string();
        let mut f = bulletin_fields(&report, input, &self.issuing_org_name()?, &today);
        let source = extra_template(self, "bulletin")?;
        let title = format!("关于{}涉法涉诉信访工作情况的通报", period.label);
        let figures = serde_json::to_string(&report)?;
        let id = uuid::Uuid::now_v7().to_string();
        self.write(Permission::ManageDocuments, "印发通报", |w| {
            let cfg = crate::config::current(w.tx())?.1;
            let prefix = cfg
                .doc_prefix("bulletin")
                .cloned()
                .or_else(|| hearing_core::config::default_doc_prefix("bulletin"))
                .ok_or_else(|| Refusal::one("未设置通报的机关代字"))?;
            let year = i64::from(w.today().year());
            let seq: i64 = w.tx().query_row(
                "SELECT COALESCE(MAX(num_seq), 0) + 1 FROM bulletins
                 WHERE org_id = ?1 AND num_prefix = ?2 AND num_year = ?3",
                params![org_id, prefix.prefix, year],
                |r| r.get(0),
            )?;
            let number = prefix.format_number(year as i32, seq as u32);
            f.text("number", &number);
            let body = fill(&source, &f)?;
            w.tx().execute(
                "INSERT INTO bulletins (id, org_id, number, num_prefix, num_year, num_seq,
                    period, period_from, period_to, subtree_id, title, issued_on, issued_by,
                    body, figures, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                    ?16, ?16)",
                params![
                    id,
                    org_id,
                    number,
                    prefix.prefix,
                    year,
                    seq,
                    period.key,
                    period.from,
                    period.to,
                    input.org_id.as_deref().filter(|s| !s.trim().is_empty()),
                    title,
                    today,
                    issued_by,
                    body,
                    figures,
                    w.now()
                ],
            )?;
            w.describe("bulletin", &id, format!("{number}：{title}"));
            Ok(())
        })?;
        self.bulletin(&id)
    }

    /// Every 通报 issued here, the latest first.
    pub fn bulletins(&self) -> Result<Vec<Bulletin>> {
        let ids: Vec<String> = {
            let mut stmt = self.conn().prepare_cached(
                "SELECT id FROM bulletins ORDER BY issued_on DESC, num_year DESC, num_seq DESC",
            )?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        ids.iter().map(|id| self.bulletin(id)).collect()
    }

    pub fn bulletin(&self, id: &str) -> Result<Bulletin> {
        let row = self
            .conn()
            .query_row(
                "SELECT b.id, b.org_id, COALESCE(o.name, b.org_id), b.number, b.title, b.period,
                    b.period_from, b.period_to, b.issued_on, b.issued_by, b.body, b.figures
                 FROM bulletins b LEFT JOIN orgs o ON o.id = b.org_id WHERE b.id = ?1",
                [id],
                |r| {
                    let figures: String = r.get(11)?;
                    let number: String = r.get(3)?;
                    let (id, org_id, org_name, title, period): (
                        String,
                        String,
                        String,
                        String,
                        String,
                    ) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(4)?, r.get(5)?);
                    let (period_from, period_to, issued_on, issued_by, body): (
                        String,
                        String,
                        String,
                        String,
                        String,
                    ) = (r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?);
                    Ok((figures, move |report: UnitReport| Bulletin {
                        id,
                        org_id,
                        org_name,
                        number,
                        title,
                        period,
                        period_from,
                        period_to,
                        issued_on,
                        issued_by,
                        body,
                        report,
                    }))
                },
            )
            .optional()?;
        let (figures, make) = row.ok_or_else(|| StoreError::not_found("通报", id))?;
        // The figures as they were issued; a row this code cannot read is named.
        let report = serde_json::from_str::<UnitReport>(&figures);
        let b = make(
            report.map_err(|e| StoreError::Document(format!("通报 {id} 的数据无法读取：{e}")))?,
        );
        Ok(b)
    }

    /// The PDF of an issued 通报, or of a draft text.
    pub fn bulletin_pdf(&self, text: &str, fonts: &FontSet) -> Result<Vec<u8>> {
        hearing_docs::render_text(text, fonts, "通报")
            .map_err(|e| StoreError::Document(e.to_string()))
    }
}

/// The figures as an XLSX workbook: 各旗县区, 各承办单位 (this period, the period before, rank
/// and its change), and 说明 (the period, what each column counts).
pub fn report_xlsx(r: &UnitReport, number: &str) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let err =
        |e: rust_xlsxwriter::XlsxError| StoreError::Export(format!("无法生成 Excel 文件：{e}"));
    let bold = Format::new().set_bold();
    let mut book = Workbook::new();
    let headers = [
        "单位",
        "收案",
        "结案",
        "办结率（%）",
        "终结用时中位数（日）",
        "听证场次",
        "不同于多数的评议意见",
        "三单",
        "三单按期办结",
        "三单逾期",
        "重复信访人",
        "依法重启",
        "排名",
        "上期排名",
        "较上期",
        "上期收案",
        "上期结案",
        "上期办结率（%）",
    ];
    for (name, rows) in [
        ("各旗县区", &r.counties),
        ("各承办单位", &r.organs),
        ("合计", &vec![r.total.clone()]),
    ] {
        let sheet = book.add_worksheet();
        sheet.set_name(name).map_err(err)?;
        sheet.set_column_width(0, 24).map_err(err)?;
        for (j, h) in headers.iter().enumerate() {
            let col = u16::try_from(j).unwrap_or(u16::MAX);
            if j > 0 {
                sheet.set_column_width(col, 12).map_err(err)?;
            }
            sheet
                .write_string_with_format(0, col, *h, &bold)
                .map_err(err)?;
        }
        for (i, row) in rows.iter().enumerate() {
            let y = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let f = &row.now;
            sheet.write_string(y, 0, &row.label).map_err(err)?;
            let nums: [Option<f64>; 11] = [
                Some(f64::from(f.received)),
                Some(f64::from(f.closed)),
                f.closure_rate,
                f.median_days,
                Some(f64::from(f.hearings_held)),
                Some(f64::from(f.departing_opinions)),
                Some(f64::from(f.slips)),
                Some(f64::from(f.slips_on_time)),
                Some(f64::from(f.slips_overdue)),
                Some(f64::from(f.repeat_petitioners)),
                Some(f64::from(f.reopened)),
            ];
            for (j, v) in nums.iter().enumerate() {
                if let Some(v) = v {
                    sheet.write_number(y, (j + 1) as u16, *v).map_err(err)?;
                }
            }
            if name != "合计" {
                sheet
                    .write_number(y, 12, f64::from(row.rank))
                    .map_err(err)?;
                sheet
                    .write_number(y, 13, f64::from(row.rank_before))
                    .map_err(err)?;
                sheet.write_string(y, 14, &row.change).map_err(err)?;
            }
            sheet
                .write_number(y, 15, f64::from(row.before.received))
                .map_err(err)?;
            sheet
                .write_number(y, 16, f64::from(row.before.closed))
                .map_err(err)?;
            if let Some(v) = row.before.closure_rate {
                sheet.write_number(y, 17, v).map_err(err)?;
            }
        }
        sheet.set_freeze_panes(1, 1).map_err(err)?;
    }
    let sheet = book.add_worksheet();
    sheet.set_name("说明").map_err(err)?;
    sheet.set_column_width(0, 20).map_err(err)?;
    sheet.set_column_width(1, 100).map_err(err)?;
    let notes = [
        ("文号", number.to_owned()),
        ("单位范围", r.org_name.clone()),
        (
            "本期",
            format!("{}（{} 至 {}）", r.period.label, r.period.from, r.period.to),
        ),
        (
            "上期",
            format!("{}（{} 至 {}）", r.previous.label, r.previous.from, r.previous.to),
        ),
        ("统计基准日", r.today.clone()),
        ("收案、结案", "登记日期在期间内的案件；结案为其中已不在办的（依法终结、化解、导入法律程序、撤回，以统计基准日的状态计，上期亦同）；办结率 = 结案 ÷ 收案".to_owned()),
        ("终结用时中位数", "终结日期在期间内的依法终结案件，自登记日起算的天数的中位数".to_owned()),
        ("听证场次", "听证日期在期间内、已举行（已结束、笔录已签）的听证会".to_owned()),
        ("不同于多数的评议意见", "上述听证会中与该场多数意见（过半数）不同的听证员评议意见条数".to_owned()),
        ("三单", "办理期限在期间内的交办单、督办单、反馈单；逾期 = 逾期办结 + 逾期未反馈".to_owned()),
        ("重复信访人", "期间内登记的案件中，同一信访人有两件以上的人数".to_owned()),
        ("依法重启", "现处依法重启状态的案件（不论登记日期）".to_owned()),
        ("单位归属", "案件的立案单位或承办单位在某单位（含下级）之内，即计入该单位；排名按办结率由高到低，收案为零的排在最后".to_owned()),
    ];
    for (i, (k, v)) in notes.iter().enumerate() {
        let y = u32::try_from(i).unwrap_or(u32::MAX);
        sheet
            .write_string_with_format(y, 0, *k, &bold)
            .map_err(err)?;
        sheet.write_string(y, 1, v).map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}
