//! `hearingctl search`: full-text search over the desk's cases, petitioners, testimony, opinions
//! and documents — the same search as the app's search box (hearing-store `search`).

use std::io::Write as _;

use anyhow::{Context, Result};
use hearing_core::CaseStatus;
use hearing_store::search::{SearchHit, SearchKind, SearchQuery, SearchRanking, SearchSegment};
use hearing_store::{orgs, Store, StoreError};

#[derive(clap::Args)]
pub struct SearchArgs {
    /// What to look for: one or more terms separated by spaces, all of which must occur. Taken
    /// literally (quotes, `*`, `-`, `OR` are text). An ID number finds its petitioner (shown
    /// masked).
    #[arg(required = true, num_args = 1.., value_name = "TEXT")]
    text: Vec<String>,
    /// Only cases of this org's subtree (org code, e.g. DHQ, or id).
    #[arg(long)]
    org: Option<String>,
    /// Only the cases handled by this organ (code or id).
    #[arg(long)]
    organ: Option<String>,
    /// Only cases in these states (keys such as closed, hearing, or 已终结; repeat or separate
    /// with commas).
    #[arg(long, value_delimiter = ',')]
    state: Vec<String>,
    /// Only these kinds: case, petitioner, testimony, opinion, document (or 案件, 信访人, 笔录,
    /// 评议意见, 文书; repeat or separate with commas).
    #[arg(long, value_delimiter = ',')]
    kind: Vec<String>,
    /// Registered on or after this day (YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// Registered on or before this day (YYYY-MM-DD).
    #[arg(long)]
    to: Option<String>,
    /// Hits to show (1–100).
    #[arg(long, default_value_t = 20)]
    limit: u32,
    /// Hits to skip (paging).
    #[arg(long, default_value_t = 0)]
    offset: u32,
    /// Print the results as JSON (the app's shape).
    #[arg(long)]
    json: bool,
}

fn org_id(store: &Store, code_or_id: &str) -> Result<String> {
    let want = code_or_id.trim();
    orgs::list(store.conn())?
        .into_iter()
        .find(|o| o.id == want || o.code.eq_ignore_ascii_case(want))
        .map(|o| o.id)
        .with_context(|| format!("找不到单位“{want}”：请用单位代码（hearingctl orgs list）"))
}

fn query(store: &Store, args: SearchArgs) -> Result<(SearchQuery, bool)> {
    let statuses = args
        .state
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| {
            CaseStatus::ALL
                .into_iter()
                .find(|k| k.as_str() == s || k.label() == s)
                .with_context(|| {
                    let keys: Vec<String> = CaseStatus::ALL
                        .iter()
                        .map(|k| format!("{}（{}）", k.as_str(), k.label()))
                        .collect();
                    format!("未知案件状态“{s}”，可选：{}", keys.join("、"))
                })
        })
        .collect::<Result<Vec<_>>>()?;
    let kinds = args
        .kind
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| {
            SearchKind::parse(s).with_context(|| {
                format!("未知类别“{s}”，可选：case（案件）、petitioner（信访人）、testimony（笔录）、opinion（评议意见）、document（文书）")
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let org = args.org.as_deref().map(|o| org_id(store, o)).transpose()?;
    let organ = args
        .organ
        .as_deref()
        .map(|o| org_id(store, o))
        .transpose()?;
    Ok((
        SearchQuery {
            text: args.text.join(" "),
            kinds,
            org_id: org,
            statuses,
            handling_organ_id: organ,
            registered_from: args.from,
            registered_to: args.to,
            limit: args.limit.max(1),
            offset: args.offset,
        },
        args.json,
    ))
}

/// Matches in 【】.
fn marked(segs: &[SearchSegment]) -> String {
    segs.iter()
        .map(|s| {
            if s.hit {
                format!("【{}】", s.text)
            } else {
                s.text.clone()
            }
        })
        .collect()
}

fn line(i: u32, h: &SearchHit) -> String {
    let state = h.case_status.map_or("（案件未同步）", |s| s.label());
    let mut head = format!(
        "{i:>3}. [{}] {} {}",
        h.kind.label(),
        h.case_number,
        marked(&h.title)
    );
    if h.kind != SearchKind::Case {
        head.push_str(&format!(" — {}", h.case_title));
    }
    head.push_str(&format!("  [{state}]"));
    let mut about = Vec::new();
    if let Some(id) = &h.masked_id {
        about.push(format!("身份证号 {id}"));
    }
    if let (Some(t), Some(on)) = (&h.hearing_title, &h.hearing_on) {
        about.push(format!("{t}（{on}）"));
    }
    if h.corrected {
        about.push("已更正".to_owned());
    }
    if let Some(v) = h.vote {
        about.push(format!("表决：{}", v.label()));
    }
    if !h.handling_organ_name.is_empty() {
        about.push(format!("承办：{}", h.handling_organ_name));
    }
    let mut out = head;
    if !about.is_empty() {
        out.push_str(&format!("\n     {}", about.join("；")));
    }
    if !h.snippet.is_empty() {
        out.push_str(&format!("\n     {}：{}", h.field_label, marked(&h.snippet)));
    }
    out
}

/// Writes `text` to standard output; a reader that stopped early (`| head`) is not an error.
fn print(text: &str) -> Result<()> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

pub fn run(store: &Store, args: SearchArgs) -> Result<()> {
    let (q, json) = query(store, args)?;
    let r = match store.search(&q) {
        Ok(r) => r,
        // A query that cannot be searched (empty, too long, a bad date): its reason, plainly.
        Err(StoreError::Validation(v)) => {
            let reasons: Vec<&str> = v.0.iter().map(|f| f.message.as_str()).collect();
            anyhow::bail!("{}", reasons.join("；"));
        }
        Err(e) => return Err(e.into()),
    };
    if json {
        return print(&format!("{}\n", serde_json::to_string_pretty(&r)?));
    }
    if r.total == 0 {
        return print(&format!("没有找到包含“{}”的记录\n", r.terms.join(" ")));
    }
    let mut out = String::new();
    for (i, h) in r.items.iter().enumerate() {
        out.push_str(&line(r.offset + i as u32 + 1, h));
        out.push('\n');
    }
    let order = match r.ranking {
        SearchRanking::Relevance => "按相关度排序",
        SearchRanking::Recency => "匹配较多：标题和姓名中的匹配在前，其余新录入的在前",
    };
    let shown_to = r.offset + r.items.len() as u32;
    let mut footer = format!(
        "共 {}{} 条，显示第 {}–{} 条（{order}）",
        r.total,
        if r.total_capped { " 多" } else { "" },
        if r.items.is_empty() { 0 } else { r.offset + 1 },
        shown_to
    );
    if r.total_capped {
        footer.push_str("；只能翻到这里，可加检索词或筛选条件缩小范围");
    }
    if shown_to < r.total {
        footer.push_str(&format!("；下一页：--offset {shown_to}"));
    }
    if r.terms.iter().all(|t| t.chars().count() <= 2) {
        footer.push_str("\n一两个字的检索逐字匹配，结果可能较多；多输入几个字会更准确");
    }
    out.push_str(&footer);
    out.push('\n');
    print(&out)
}
