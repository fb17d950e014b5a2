//! `hearingctl stats` (统计: every measure as a table, or exported as CSV / XLSX) and
//! `hearingctl warnings` (预警, most urgent first).

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use hearing_core::validate;
use hearing_store::stats::{StatMeasure, StatTable, StatsFilter, StatsScope};
use hearing_store::warnings::{self, Severity};
use hearing_store::{orgs, Store};

#[derive(clap::Args)]
pub struct StatsArgs {
    /// First day of the period (YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// Last day of the period (YYYY-MM-DD).
    #[arg(long)]
    to: Option<String>,
    /// Only this org and everything below it: its code (DHQ), id or name.
    #[arg(long)]
    org: Option<String>,
    /// active (在办, default) | closed (已办结) | all (全部).
    #[arg(long, default_value = "active")]
    scope: String,
    /// Only this measure: byOrgan, byCategory, byStatus, byCounty, byMonth, hearings,
    /// hearingOutcomes, closure, closureTime, slips, repeatPetitioners, panelParticipation.
    #[arg(long)]
    measure: Option<String>,
    /// Write the table(s) as CSV (UTF-8 with BOM, opens in Excel).
    #[arg(long)]
    csv: Option<PathBuf>,
    /// Write the table(s) as an XLSX workbook, one sheet per measure.
    #[arg(long)]
    xlsx: Option<PathBuf>,
    /// Print the statistics as JSON.
    #[arg(long)]
    json: bool,
    /// The day overdue 三单 are judged on (default: today).
    #[arg(long)]
    today: Option<String>,
}

#[derive(clap::Args)]
pub struct WarningsArgs {
    /// The day the warnings are for (YYYY-MM-DD; default: today).
    #[arg(long)]
    today: Option<String>,
    /// Show at most this many.
    #[arg(long)]
    limit: Option<usize>,
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

/// An org by code, id or name.
fn org_id(store: &Store, key: &str) -> Result<String> {
    let key = key.trim();
    let all = orgs::list(store.conn())?;
    all.iter()
        .find(|o| {
            o.id == key || o.code.eq_ignore_ascii_case(key) || o.name == key || o.short_name == key
        })
        .map(|o| o.id.clone())
        .with_context(|| {
            let codes: Vec<String> = all
                .iter()
                .map(|o| format!("{}（{}）", o.code, o.short_name))
                .collect();
            format!("找不到单位“{key}”，可用的单位代码：{}", codes.join("、"))
        })
}

pub fn run(store: &Store, args: StatsArgs) -> Result<()> {
    let Some(scope) = StatsScope::parse(&args.scope) else {
        bail!(
            "范围“{}”无效，可选 active（在办）、closed（已办结）、all（全部）",
            args.scope
        );
    };
    let measure = match args.measure.as_deref() {
        None => None,
        Some(m) => match StatMeasure::parse(m) {
            Some(m) => Some(m),
            None => {
                let keys: Vec<&str> = StatMeasure::ALL.iter().map(|m| m.as_str()).collect();
                bail!("统计项目“{m}”无效，可选：{}", keys.join("、"));
            }
        },
    };
    let org_id = args.org.as_deref().map(|o| org_id(store, o)).transpose()?;
    let filter = StatsFilter {
        from: args.from,
        to: args.to,
        org_id,
        scope,
        today: args.today,
    };
    let stats = store.statistics(&filter)?;
    let mut wrote = false;
    if let Some(path) = &args.csv {
        std::fs::write(path, stats.csv(measure)?)
            .with_context(|| format!("无法写入 {}", path.display()))?;
        println!("已导出 CSV：{}", path.display());
        wrote = true;
    }
    if let Some(path) = &args.xlsx {
        std::fs::write(path, stats.xlsx(measure)?)
            .with_context(|| format!("无法写入 {}", path.display()))?;
        println!("已导出 Excel：{}", path.display());
        wrote = true;
    }
    if args.json {
        match measure.and_then(|m| stats.table(m)) {
            Some(t) => println!("{}", serde_json::to_string_pretty(t)?),
            None => println!("{}", serde_json::to_string_pretty(&stats)?),
        }
        return Ok(());
    }
    if wrote {
        return Ok(());
    }
    println!("{}", stats.description);
    let s = &stats.summary;
    let rate = s
        .closure_rate
        .map(|r| format!("{r} %"))
        .unwrap_or_else(|| "—".into());
    let median = s
        .median_days_to_closure
        .map(|m| format!("{m} 日"))
        .unwrap_or_else(|| "—".into());
    println!(
        "案件 {}（在办 {}，已办结 {}，办结率 {rate}）；听证会已举行 {} 场；终结用时中位数 {median}；三单逾期 {} 件；重复信访人 {} 人",
        s.cases, s.active, s.closed, s.hearings_held, s.slips_overdue, s.repeat_petitioners
    );
    for t in stats
        .tables
        .iter()
        .filter(|t| measure.is_none_or(|m| m == t.measure))
    {
        println!();
        print_table(t);
    }
    Ok(())
}

/// Columns as wide as a terminal shows them: CJK characters take two cells.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if u32::from(c) >= 0x1100 { 2 } else { 1 })
        .sum()
}

fn pad(s: &str, w: usize, right: bool) -> String {
    let fill = " ".repeat(w.saturating_sub(width(s)));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

fn print_table(t: &StatTable) {
    println!("== {}（{}）", t.title, t.basis);
    let mut cells: Vec<Vec<String>> = vec![std::iter::once(t.label_header.clone())
        .chain(t.columns.iter().cloned())
        .collect()];
    for r in &t.rows {
        cells.push(
            std::iter::once(r.label.clone())
                .chain(r.values.iter().map(|v| number(*v)))
                .collect(),
        );
    }
    let cols = cells.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|j| {
            cells
                .iter()
                .filter_map(|r| r.get(j))
                .map(|c| width(c))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for (i, row) in cells.iter().enumerate() {
        let line: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(j, c)| pad(c, widths[j], j > 0 && i > 0))
            .collect();
        let detail = i
            .checked_sub(1)
            .and_then(|k| t.rows.get(k))
            .map(|r| r.detail.as_str())
            .filter(|d| !d.is_empty())
            .map(|d| format!("  {d}"))
            .unwrap_or_default();
        println!("{}{detail}", line.join("  "));
    }
    if t.rows.is_empty() {
        println!("（无）");
    }
    if !t.note.is_empty() {
        println!("{}", t.note);
    }
}

pub fn warnings(store: &Store, args: WarningsArgs) -> Result<()> {
    let today = match args.today.as_deref() {
        None => hearing_store::today(),
        Some(d) => validate::date(d)
            .with_context(|| format!("日期“{d}”无效，请按 2026-03-05 的格式填写"))?,
    };
    let list = store.warnings(today)?;
    let c = warnings::counts(&list);
    let shown = args.limit.unwrap_or(list.len()).min(list.len());
    if args.json {
        println!("{}", serde_json::to_string_pretty(&list[..shown])?);
        return Ok(());
    }
    println!(
        "{} 预警：逾期 {}，临期 {}，关注 {}",
        today.format("%Y-%m-%d"),
        c.overdue,
        c.approaching,
        c.attention
    );
    for w in &list[..shown] {
        let due = w.due_on.as_deref().unwrap_or("—");
        let tag = match w.severity {
            Severity::Overdue => "【逾期】",
            Severity::Approaching => "【临期】",
            Severity::Attention => "【关注】",
        };
        println!(
            "{tag}{}  {}  {due}  {}",
            w.kind.label(),
            w.case_number,
            w.message
        );
    }
    if shown < list.len() {
        println!("……另有 {} 条（--limit 控制显示条数）", list.len() - shown);
    }
    Ok(())
}
