//! Full-text search over cases, petitioners, testimony, opinions and documents (全文检索).
//!
//! The index (migrations 008, 013, 018) is kept in step with the tables by triggers, so whatever
//! writes — the store, or sync applying remote rows — is searchable at once (a first sync's bulk
//! is indexed after it: [`Store::search_catch_up`]). A query is one or more terms separated by
//! spaces, all of which must occur (each literally: quotes, `*`, `-`, `OR` are text, never query
//! syntax). The index holds the text as its bigrams: a term of two characters is one token, a
//! longer one the phrase of its bigrams, a single character a prefix ([`term_expr`]). Every term
//! is an index lookup, filters included (they are tokens of the index too); nothing scans the
//! tables.
//!
//! Hits are ranked by relevance — BM25F over the text of the matches, the headline (case
//! number, original case number, title; a petitioner's name; a document's number) weighing ten
//! times the body — when a query matches at most [`RANK_ALL`] records. Scoring costs time per
//! match, so beyond that the headline matches come first and then the others, each newest first
//! ([`SearchResults::ranking`] says which), and counting stops at [`COUNT_CAP`]
//! ([`SearchResults::total_capped`]): every step of a search reads a bounded number of index
//! entries. Each hit carries its case (number, title, state — closed cases stay searchable) and a
//! snippet as segments marked hit or not; ID and phone numbers in any text shown are masked.
//!
//! Search is a read: every role may search, and nothing it returns is personal data in full.

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate};
use hearing_core::deliberation::Vote;
use hearing_core::hearing::ParticipantRole;
use hearing_core::validate::{self, mask_id_number, mask_phone};
use hearing_core::{CaseStatus, ValidationErrors};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::{Result, Store, StoreError};

/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most terms in one query.
pub const MAX_TERMS: usize = 8;
/// Hits per page unless asked otherwise, and the most one page may hold.
pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;
/// Up to this many matches are scored for relevance; beyond, they come newest first.
pub const RANK_ALL: u32 = 300;
/// Counting stops here: a search that matches more says "more than 1,000" (and pages to there).
pub const COUNT_CAP: u32 = 1_000;
/// A match in the headline weighs this many matches in the body.
const HEAD_WEIGHT: f64 = 10.0;
/// Characters of a body that term frequencies are counted in (documents can be long).
const SCORED_CHARS: u32 = 4000;

/// The score of an exact ID-number match: above every relevance score.
const EXACT_SCORE: f64 = 1.0e9;

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum SearchKind {
    /// 案件: number, original case number, title, demands, background, 四明五清.
    Case,
    /// 信访人: name, address, representative.
    Petitioner,
    /// 笔录: an entry of a hearing's transcript.
    Testimony,
    /// 评议意见: a panel member's opinion.
    Opinion,
    /// 文书: a generated document's number and text.
    Document,
}

impl SearchKind {
    pub const ALL: [SearchKind; 5] = [
        Self::Case,
        Self::Petitioner,
        Self::Testimony,
        Self::Opinion,
        Self::Document,
    ];

    /// The key stored in the index and used on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Self::Case => "case",
            Self::Petitioner => "petitioner",
            Self::Testimony => "testimony",
            Self::Opinion => "opinion",
            Self::Document => "document",
        }
    }

    /// Accepts the key or the Chinese name.
    pub fn parse(s: &str) -> Option<SearchKind> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.key() == s || k.label() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Case => "案件",
            Self::Petitioner => "信访人",
            Self::Testimony => "笔录",
            Self::Opinion => "评议意见",
            Self::Document => "文书",
        }
    }
}

/// A search: the text and the filters. Empty lists and `None` do not filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SearchQuery {
    /// One or more terms separated by spaces; every term must occur. At most 200 characters.
    pub text: String,
    /// Only these kinds of records.
    pub kinds: Vec<SearchKind>,
    /// Only cases of this org's whole subtree (owning org or handling organ in it).
    pub org_id: Option<String>,
    /// Only cases in one of these states.
    pub statuses: Vec<CaseStatus>,
    /// Only cases handled by this organ.
    pub handling_organ_id: Option<String>,
    /// Registered on or after this day (YYYY-MM-DD).
    pub registered_from: Option<String>,
    /// Registered on or before this day (YYYY-MM-DD).
    pub registered_to: Option<String>,
    /// Hits per page: 1–100; 0 means 20.
    pub limit: u32,
    pub offset: u32,
}

/// A piece of shown text: `hit` when it matched a term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SearchSegment {
    pub text: String,
    pub hit: bool,
}

/// One record found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub kind: SearchKind,
    /// The record: a case, testimony entry, opinion or document id; a petitioner
    /// `<case id>#<seq>`.
    pub id: String,
    pub case_id: String,
    pub case_number: String,
    pub case_title: String,
    /// `None` only while a record's case has not arrived by sync yet.
    pub case_status: Option<CaseStatus>,
    pub handling_organ_name: String,
    pub registered_on: String,
    /// The hearing of a testimony entry, opinion or hearing document.
    pub hearing_id: Option<String>,
    pub hearing_title: Option<String>,
    pub hearing_on: Option<String>,
    /// The headline: the case title, the petitioner's name, the speaker, the panel member, the
    /// document's kind and number.
    pub title: Vec<SearchSegment>,
    /// Where the snippet comes from (a key such as `background`, `text`, `reasons`) and its
    /// Chinese name.
    pub field: String,
    pub field_label: String,
    pub snippet: Vec<SearchSegment>,
    /// A petitioner's ID number, masked.
    pub masked_id: Option<String>,
    pub speaker_role: Option<ParticipantRole>,
    /// A testimony entry that a later entry corrects (shown struck through in the record).
    pub corrected: bool,
    pub vote: Option<Vote>,
    /// A document's kind key (`decision` …), its Chinese name and its state key.
    pub doc_kind: Option<String>,
    pub doc_kind_label: Option<String>,
    pub doc_state: Option<String>,
    /// Relevance (higher first; 0 when ordered newest first); an exact ID-number match has the
    /// highest.
    pub score: f64,
}

/// How the hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum SearchRanking {
    /// Most relevant first (at most [`RANK_ALL`] matches, all scored).
    Relevance,
    /// Too many matches to score: headline matches first, then the others, each newest first.
    Recency,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    pub items: Vec<SearchHit>,
    /// The records matching, over all pages (counting stops at [`COUNT_CAP`]).
    pub total: u32,
    /// More than `total` records match: counting stopped there, and paging too.
    pub total_capped: bool,
    pub offset: u32,
    pub limit: u32,
    /// The terms searched for, as understood (ID and phone numbers masked).
    pub terms: Vec<String>,
    pub ranking: SearchRanking,
    /// Records received by sync that are not in the index yet (see [`Store::search_catch_up`]):
    /// while this is not 0 the results may be incomplete.
    pub pending: u32,
}

/// Records indexed per transaction of [`Store::search_catch_up`]: about a quarter of a second of
/// work here, so the desk's lock is held briefly at a time, and FTS5 writes one segment per batch
/// (smaller batches cost merges: 5,000 at a time took a third longer, BENCHMARKS.md).
pub const CATCH_UP_BATCH: u32 = 20_000;

impl Store {
    /// Searches the desk (see the module documentation). A read: allowed for every role.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        search(self.conn(), q)
    }

    /// Records not in the search index yet: what sync received in bulk and the catch-up has not
    /// indexed (migration 013).
    pub fn search_pending(&self) -> Result<u32> {
        pending(self.conn())
    }

    /// Indexes up to `limit` records of the backlog, oldest first, in one transaction; returns
    /// how many are still waiting. Not a change of data: nothing is logged or synced.
    pub fn search_catch_up(&mut self, limit: u32) -> Result<u32> {
        let tx = self.conn.transaction()?;
        let before = pending(&tx)?;
        index_backlog(&tx, Some(limit))?;
        if before > 0 {
            // Written in bulk: the index's segments are to be merged afterwards.
            tx.execute("INSERT OR IGNORE INTO search_merge (id) VALUES (1)", [])?;
        }
        let mut left = pending(&tx)?;
        if left > 0 && left == before {
            // Nothing could be indexed: ids whose record is gone (never left by the triggers,
            // but the catch-up must not turn forever on them).
            tx.execute(
                "DELETE FROM search_backlog WHERE id NOT IN (SELECT id FROM search_docs)",
                [],
            )?;
            left = pending(&tx)?;
        }
        tx.commit()?;
        Ok(left)
    }
}

impl Store {
    /// After a catch-up, merges the index's segments a step at a time: about `pages` pages
    /// (4 KB each) written per call, in one transaction. Returns whether merging is still owed
    /// (call again) — false once the index is one segment, or when nothing was owed.
    pub fn search_merge_step(&mut self, pages: u32) -> Result<bool> {
        let tx = self.conn.transaction()?;
        let started: Option<bool> = tx
            .query_row("SELECT started FROM search_merge WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(started) = started else {
            return Ok(false);
        };
        let pages = i64::from(pages.max(1));
        let changes = |tx: &rusqlite::Transaction| -> Result<i64> {
            Ok(tx.query_row("SELECT total_changes()", [], |r| r.get(0))?)
        };
        let before = changes(&tx)?;
        // Negative: every segment onto one level and merged, however few (FTS5's 'merge').
        tx.execute(
            "INSERT INTO search_bigrams (search_bigrams, rank) VALUES ('merge', ?1)",
            [if started { pages } else { -pages }],
        )?;
        // FTS5 says work was done by two or more changes.
        let worked = changes(&tx)? - before >= 2;
        if worked {
            tx.execute("UPDATE search_merge SET started = 1", [])?;
        } else {
            tx.execute("DELETE FROM search_merge", [])?;
        }
        tx.commit()?;
        Ok(worked)
    }
}

/// Pages written per [`Store::search_merge_step`]: a fraction of a second of work here.
pub const MERGE_STEP_PAGES: u32 = 2_000;

/// The SQL functions the search index's triggers call (migration 017), registered on every
/// connection the store opens. A connection opened elsewhere (the `sqlite3` shell, a repair
/// script) cannot write a record that the search index covers: its triggers would fail with "no
/// such function: hd_bigrams". The desk's database is the store's alone (and encrypted once
/// accounts are set up).
pub(crate) fn register_functions(conn: &Connection) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "hd_bigrams",
        1,
        // Innocuous: callable from triggers even with `trusted_schema` off.
        FunctionFlags::SQLITE_UTF8
            | FunctionFlags::SQLITE_DETERMINISTIC
            | FunctionFlags::SQLITE_INNOCUOUS,
        |ctx| {
            Ok(match ctx.get_raw(0) {
                rusqlite::types::ValueRef::Text(t) => bigrams(&String::from_utf8_lossy(t)),
                _ => String::new(),
            })
        },
    )?;
    Ok(())
}

/// The characters the index's tokenizer keeps besides letters, digits and every non-ASCII
/// character (migration 018's `tokenchars`). The other ASCII characters — white space, control
/// characters, quotes — would separate tokens; [`index_char`] gives each a character of its own.
const TOKEN_PUNCT: &str = "!#$%&()*+,-./:;<=>?@[\\]^_`{|}~";

/// A character as the index holds it: folded (ASCII and simple case folding, like the snippets'
/// marking), and an ASCII separator moved to the supplementary private use area (U+F0000 + its
/// code), where no typed text reaches, so that it is a character like any other.
fn index_char(c: char) -> char {
    let c = fold_char(c);
    if c.is_ascii() && !c.is_ascii_alphanumeric() && !TOKEN_PUNCT.contains(c) {
        char::from_u32(0xF0000 + c as u32).unwrap_or(c)
    } else {
        c
    }
}

/// The text of the index: each character with the next one (the last one alone), separated by
/// spaces, in one pass. `"借款人"` → `"借款 款人 人"`.
pub fn bigrams(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    let mut chars = text.chars().map(index_char).peekable();
    while let Some(c) = chars.next() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push(c);
        if let Some(&next) = chars.peek() {
            out.push(next);
        }
    }
    out
}

/// A term as a MATCH expression of the index, matching exactly the records where the term
/// occurs: one character, the bigrams it starts (a prefix); two, one bigram; more, the phrase of
/// its bigrams. Whatever the term holds is matched literally: its characters are made index
/// characters, so no quote, `*` or `OR` of it is query syntax.
fn term_expr(term: &str) -> String {
    let chars: Vec<char> = term.chars().map(index_char).collect();
    match chars.as_slice() {
        [] => "\"\"".to_owned(),
        [one] => format!("\"{one}\" *"),
        _ => {
            let grams: Vec<String> = chars.windows(2).map(|w| w.iter().collect()).collect();
            format!("\"{}\"", grams.join(" "))
        }
    }
}

/// The number of records in the backlog.
pub(crate) fn pending(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("SELECT count(*) FROM search_backlog", [], |r| r.get(0))?)
}

/// Indexes the backlog's records (the first `limit` of them, or all) in one statement, so FTS5
/// writes one segment for them all.
pub(crate) fn index_backlog(conn: &Connection, limit: Option<u32>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO search_index_queue (id, kind, case_id, head, body)
         SELECT id, kind, case_id, head, body FROM search_index_queue ORDER BY id LIMIT ?1",
    )?
    .execute([limit.map_or(-1, i64::from)])?;
    Ok(())
}

/// Indexes the whole backlog a batch at a time through `access`, which takes the store for
/// each batch only (the app's other commands run in between). `progress` is told how many
/// records are left after each batch.
pub fn catch_up(
    access: &impl crate::sync::SyncAccess,
    mut progress: impl FnMut(u32),
) -> Result<()> {
    loop {
        let left = access.with_store(|s| s.search_catch_up(CATCH_UP_BATCH))?;
        progress(left);
        if left == 0 {
            break;
        }
    }
    while access.with_store(|s| s.search_merge_step(MERGE_STEP_PAGES))? {}
    Ok(())
}

fn invalid(field: &str, code: &str, message: String) -> StoreError {
    let mut e = ValidationErrors::default();
    e.push(field, code, message);
    StoreError::Validation(e)
}

/// The terms of a query: cleaned, split on white space, duplicates dropped.
pub fn terms(text: &str) -> Result<Vec<String>> {
    let text = hearing_core::text::clean(text);
    let n = text.chars().count();
    if n == 0 {
        return Err(invalid(
            "text",
            "search.empty",
            "请输入要检索的字词，例如姓名、案号或笔录中的一句话".to_owned(),
        ));
    }
    if n > MAX_QUERY_CHARS {
        return Err(invalid(
            "text",
            "search.tooLong",
            format!("检索词太长（{n} 个字），最多 {MAX_QUERY_CHARS} 个字；请只输入关键的字词"),
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for t in text.split(char::is_whitespace).filter(|t| !t.is_empty()) {
        if !out.iter().any(|o| o == t) {
            out.push(t.to_owned());
        }
    }
    if out.len() > MAX_TERMS {
        return Err(invalid(
            "text",
            "search.tooManyTerms",
            format!(
                "检索词有 {} 个，最多 {MAX_TERMS} 个（用空格分开的每一段算一个）",
                out.len()
            ),
        ));
    }
    Ok(out)
}

/// One filter: the record must carry one of these values.
type TagGroup = Vec<i64>;

/// The filters as groups of key numbers; `None` when a filter can match nothing.
fn tag_groups(conn: &Connection, q: &SearchQuery) -> Result<Option<Vec<TagGroup>>> {
    let mut groups: Vec<Vec<String>> = Vec::new();
    let kinds: HashSet<SearchKind> = q.kinds.iter().copied().collect();
    if !kinds.is_empty() && kinds.len() < SearchKind::ALL.len() {
        groups.push(
            SearchKind::ALL
                .into_iter()
                .filter(|k| kinds.contains(k))
                .map(|k| format!("kind:{}", k.key()))
                .collect(),
        );
    }
    if !q.statuses.is_empty() {
        groups.push(
            q.statuses
                .iter()
                .map(|s| format!("status:{}", s.as_str()))
                .collect(),
        );
    }
    if let Some(org) = q.org_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        crate::orgs::get(conn, org)?;
        let mut stmt = conn.prepare_cached(
            "WITH RECURSIVE sub (id) AS (
                 SELECT ?1 UNION SELECT o.id FROM orgs o JOIN sub ON o.parent_id = sub.id
             ) SELECT id FROM sub",
        )?;
        let ids = stmt
            .query_map([org], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let all_orgs: i64 = conn.query_row("SELECT count(*) FROM orgs", [], |r| r.get(0))?;
        // The whole tree: no filter. Otherwise one key: every record of a case whose owning org
        // or handling organ lies under `org` carries `sub:<org>`.
        if (ids.len() as i64) < all_orgs {
            groups.push(vec![format!("sub:{org}")]);
        }
    }
    if let Some(organ) = q
        .handling_organ_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        crate::orgs::get(conn, organ)?;
        groups.push(vec![format!("organ:{organ}")]);
    }
    if let Some(days) = date_keys(conn, q)? {
        groups.push(days);
    }
    let mut out = Vec::with_capacity(groups.len());
    for g in groups {
        let keys = key_numbers(conn, &g)?;
        if keys.is_empty() {
            return Ok(None);
        }
        out.push(keys);
    }
    Ok(Some(out))
}

fn key_numbers(conn: &Connection, values: &[String]) -> Result<Vec<i64>> {
    let mut out = Vec::new();
    for chunk in values.chunks(400) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let mut stmt = conn.prepare(&format!(
            "SELECT n FROM search_keys WHERE value IN ({marks}) ORDER BY n"
        ))?;
        let rows = stmt.query_map(params_from_iter(chunk.iter()), |r| r.get::<_, i64>(0))?;
        for r in rows {
            out.push(r?);
        }
    }
    Ok(out)
}

fn parse_day(field: &str, label: &str, v: Option<&str>) -> Result<Option<NaiveDate>> {
    let Some(raw) = v.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    validate::date(raw).map(Some).ok_or_else(|| {
        invalid(
            field,
            "date.format",
            format!("{label}“{raw}”不是有效日期，请按 2025-03-01 的格式填写"),
        )
    })
}

/// The registration-date filter as the fewest year, month and day values covering it, within the
/// days that occur at all; `None` without a date filter.
fn date_keys(conn: &Connection, q: &SearchQuery) -> Result<Option<Vec<String>>> {
    let from = parse_day("registeredFrom", "登记日期起", q.registered_from.as_deref())?;
    let to = parse_day("registeredTo", "登记日期止", q.registered_to.as_deref())?;
    if from.is_none() && to.is_none() {
        return Ok(None);
    }
    if let (Some(a), Some(b)) = (from, to) {
        if a > b {
            return Err(invalid(
                "registeredFrom",
                "date.order",
                format!("登记日期的起点（{a}）晚于终点（{b}），请对调"),
            ));
        }
    }
    let (lo, hi): (Option<String>, Option<String>) = conn.query_row(
        "SELECT min(value), max(value) FROM search_keys WHERE value >= 'd:' AND value < 'd;'",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let day = |v: Option<String>| v.and_then(|s| validate::date(s.get(2..).unwrap_or("")));
    let (Some(lo), Some(hi)) = (day(lo), day(hi)) else {
        return Ok(Some(Vec::new()));
    };
    let from = from.map_or(lo, |f| f.max(lo));
    let to = to.map_or(hi, |t| t.min(hi));
    Ok(Some(cover(from, to)))
}

/// `y:YYYY`, `m:YYYY-MM` and `d:YYYY-MM-DD` values covering `from..=to` exactly.
fn cover(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        let year_end = NaiveDate::from_ymd_opt(d.year(), 12, 31).unwrap_or(d);
        let next_month = if d.month() == 12 {
            NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
        };
        let month_end = next_month.map_or(d, |n| n - Duration::days(1));
        if d.ordinal() == 1 && year_end <= to {
            out.push(format!("y:{}", d.year()));
            d = year_end + Duration::days(1);
        } else if d.day() == 1 && month_end <= to {
            out.push(format!("m:{}", d.format("%Y-%m")));
            d = month_end + Duration::days(1);
        } else {
            out.push(format!("d:{}", d.format("%Y-%m-%d")));
            d += Duration::days(1);
        }
    }
    out
}

/// The MATCH expressions of a query over the index.
struct Expr {
    /// Every term, anywhere, and the filters.
    text: String,
    /// The same with the terms in the headline.
    head: String,
    /// Matches of `text` whose headline does not hold the terms.
    body_only: String,
}

/// The filters as expressions of the `tags` column: one of each group's values.
fn tag_exprs(tags: &[TagGroup]) -> Vec<String> {
    tags.iter()
        .map(|g| {
            let alts: Vec<String> = g.iter().map(|n| format!("t{n}")).collect();
            format!("tags : ({})", alts.join(" OR "))
        })
        .collect()
}

fn plan(terms: &[String], tags: &[TagGroup]) -> Expr {
    let t = terms
        .iter()
        .map(|t| term_expr(t))
        .collect::<Vec<_>>()
        .join(" AND ");
    let with_tags = |text: String| {
        let mut parts = vec![format!("({text})")];
        parts.extend(tag_exprs(tags));
        parts.join(" AND ")
    };
    let text = with_tags(format!("{{head body}} : ({t})"));
    Expr {
        head: with_tags(format!("head : ({t})")),
        body_only: format!("({text}) NOT (head : ({t}))"),
        text,
    }
}

/// Where scoring and counting stop: [`RANK_ALL`] and [`COUNT_CAP`] (smaller in tests).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub rank_all: u32,
    pub count_cap: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            rank_all: RANK_ALL,
            count_cap: COUNT_CAP,
        }
    }
}

/// How many records match `m`, counting to `cap`: `(count, capped)`.
fn capped_count(conn: &Connection, m: &str, cap: u32) -> Result<(u32, bool)> {
    let n: i64 = conn.query_row(
        &format!(
            "SELECT count(*) FROM (SELECT 1 FROM search_bigrams WHERE search_bigrams MATCH ?1 LIMIT {})",
            u64::from(cap) + 1
        ),
        [m],
        |r| r.get(0),
    )?;
    let n = u32::try_from(n).unwrap_or(u32::MAX);
    Ok((n.min(cap), n > cap))
}

/// Rowids of matches of `m`: in index order, or newest first.
fn rowids(
    conn: &Connection,
    m: &str,
    newest_first: bool,
    limit: u32,
    offset: u32,
) -> Result<Vec<i64>> {
    let order = if newest_first {
        " ORDER BY rowid DESC"
    } else {
        ""
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT rowid FROM search_bigrams WHERE search_bigrams MATCH ?1{order} LIMIT ?2 OFFSET ?3"
    ))?;
    let rows = stmt.query_map(params![m, i64::from(limit), i64::from(offset)], |r| {
        r.get::<_, i64>(0)
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// BM25F over the headline (weight [`HEAD_WEIGHT`]) and the body, term frequencies counted in the
/// text itself; every term must occur, so they weigh alike (no IDF). Higher is better.
fn relevance(conn: &Connection, ids: &[i64], terms: &[Vec<char>]) -> Result<Vec<(i64, f64)>> {
    const K1: f64 = 1.2;
    const B: f64 = 0.75;
    /// A candidate: rowid, folded headline and body (its start), their lengths.
    type Scored = (i64, Vec<char>, Vec<char>, f64, f64);
    let mut docs: Vec<Scored> = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let mut stmt = conn.prepare(&format!(
            "SELECT id, head, substr(body, 1, {SCORED_CHARS}), length(head), length(body)
             FROM search_docs WHERE id IN ({marks})"
        ))?;
        let rows = stmt.query_map(params_from_iter(chunk.iter()), |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        for row in rows {
            let (id, head, body, head_len, body_len) = row?;
            docs.push((
                id,
                fold(&head),
                fold(&body),
                head_len as f64,
                body_len as f64,
            ));
        }
    }
    let n = docs.len().max(1) as f64;
    let avg_head = (docs.iter().map(|d| d.3).sum::<f64>() / n).max(1.0);
    let avg_body = (docs.iter().map(|d| d.4).sum::<f64>() / n).max(1.0);
    Ok(docs
        .iter()
        .map(|(id, head, body, head_len, body_len)| {
            let norm_head = 1.0 - B + B * head_len / avg_head;
            let norm_body = 1.0 - B + B * body_len / avg_body;
            let score = terms
                .iter()
                .map(|t| {
                    let tf = HEAD_WEIGHT * occurrences(head, t) as f64 / norm_head
                        + occurrences(body, t) as f64 / norm_body;
                    tf / (K1 + tf)
                })
                .sum::<f64>();
            (*id, score)
        })
        .collect())
}

fn occurrences(text: &[char], term: &[char]) -> usize {
    if term.is_empty() || term.len() > text.len() {
        return 0;
    }
    text.windows(term.len()).filter(|w| *w == term).count()
}

/// What [`best`] found.
struct Found {
    /// `(rowid, score)` of the page.
    hits: Vec<(i64, f64)>,
    total: u32,
    capped: bool,
    ranking: SearchRanking,
}

/// The page `offset..offset + limit` of the matches: scored by [`relevance`] when there are at
/// most [`RANK_ALL`], else the headline matches and then the others, each newest first.
fn best(
    conn: &Connection,
    e: &Expr,
    terms: &[Vec<char>],
    offset: u32,
    limit: u32,
    lim: Limits,
) -> Result<Found> {
    let candidates = rowids(conn, &e.text, false, lim.rank_all.saturating_add(1), 0)?;
    if candidates.len() as u32 <= lim.rank_all {
        let mut scored = relevance(conn, &candidates, terms)?;
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
        return Ok(Found {
            total: scored.len() as u32,
            hits: scored
                .into_iter()
                .skip(offset as usize)
                .take(limit as usize)
                .collect(),
            capped: false,
            ranking: SearchRanking::Relevance,
        });
    }
    let (total, capped) = capped_count(conn, &e.text, lim.count_cap)?;
    // Paging ends where counting stopped.
    let limit = limit.min(total.saturating_sub(offset));
    // The headline matches of the page; where they run out, the others follow. How many headline
    // matches there are is known from the page itself, unless it starts past them.
    let mut hits = rowids(conn, &e.head, true, limit, offset)?;
    if (hits.len() as u32) < limit {
        let head_total = if hits.is_empty() {
            capped_count(conn, &e.head, offset)?.0
        } else {
            offset + hits.len() as u32
        };
        let from = offset.saturating_sub(head_total);
        let left = limit - hits.len() as u32;
        hits.extend(rowids(conn, &e.body_only, true, left, from)?);
    }
    Ok(Found {
        hits: hits.into_iter().map(|id| (id, 0.0)).collect(),
        total,
        capped,
        ranking: SearchRanking::Recency,
    })
}

/// The petitioner records whose ID number is `text` (a query that is an ID number), passing the
/// filters.
fn id_hits(conn: &Connection, text: &str, tags: &[TagGroup]) -> Result<Vec<i64>> {
    let Ok(id) = validate::resident_id(text, crate::today()) else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(
        "SELECT d.id FROM petitioners p
         JOIN search_docs d ON d.kind = 'petitioner' AND d.ref = p.case_id || '#' || p.seq
         WHERE p.id_number = ?1 ORDER BY d.id DESC LIMIT 100",
    )?;
    let ids = stmt
        .query_map([&id.number], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if tags.is_empty() {
        return Ok(ids);
    }
    let only_tags = tag_exprs(tags).join(" AND ");
    let mut out = Vec::new();
    for id in ids {
        let ok = conn
            .query_row(
                "SELECT 1 FROM search_bigrams WHERE search_bigrams MATCH ?1 AND rowid = ?2",
                params![only_tags, id],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if ok {
            out.push(id);
        }
    }
    Ok(out)
}

/// For the case register's own search box (a literal substring of a case's number, title,
/// original case number or demands, or of a petitioner's name): the MATCH expression of
/// `search_bigrams` finding the case and petitioner records that hold `text` — a superset of the
/// literal matches, which the register then checks field by field. `None` when the index
/// cannot stand in for the substring: the text is empty, nothing of those kinds is indexed yet,
/// or records wait to be indexed (then the register scans its fields).
pub(crate) fn case_candidates(conn: &Connection, text: &str) -> Result<Option<String>> {
    if text.is_empty() || pending(conn)? > 0 {
        return Ok(None);
    }
    let q = SearchQuery {
        text: text.to_owned(),
        kinds: vec![SearchKind::Case, SearchKind::Petitioner],
        ..SearchQuery::default()
    };
    let Some(tags) = tag_groups(conn, &q)? else {
        return Ok(None);
    };
    Ok(Some(plan(&[text.to_owned()], &tags).text))
}

/// Searches the index: see the module documentation.
pub fn search(conn: &Connection, q: &SearchQuery) -> Result<SearchResults> {
    search_limited(conn, q, Limits::default())
}

/// [`search`] with other limits, for tests of large result sets on small data.
#[doc(hidden)]
pub fn search_limited(conn: &Connection, q: &SearchQuery, lim: Limits) -> Result<SearchResults> {
    let terms = terms(&q.text)?;
    let limit = match q.limit {
        0 => DEFAULT_LIMIT,
        n => n.min(MAX_LIMIT),
    };
    let offset = q.offset;
    // A term that is an ID or phone number is shown masked, like everything else.
    let shown_terms: Vec<String> = terms.iter().map(|t| mask_numbers(t)).collect();
    let pending = pending(conn)?;
    let Some(tags) = tag_groups(conn, q)? else {
        return Ok(SearchResults {
            items: Vec::new(),
            total: 0,
            total_capped: false,
            offset,
            limit,
            terms: shown_terms,
            ranking: SearchRanking::Relevance,
            pending,
        });
    };
    let expr = plan(&terms, &tags);
    let exact = if terms.len() == 1 {
        id_hits(conn, &terms[0], &tags)?
    } else {
        Vec::new()
    };
    let folded: Vec<Vec<char>> = terms.iter().map(|t| fold(t)).collect();
    // The exact matches come first; the full-text page is shifted by them.
    let extra = exact.len() as u32;
    let fts_offset = offset.saturating_sub(extra);
    let from_exact: Vec<(i64, f64)> = exact
        .iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(|id| (*id, EXACT_SCORE))
        .collect();
    let fts_limit = limit - from_exact.len() as u32;
    let found = best(conn, &expr, &folded, fts_offset, fts_limit, lim)?;
    let exact_set: HashSet<i64> = exact.iter().copied().collect();
    let mut items = Vec::with_capacity(limit as usize);
    for (id, score) in from_exact
        .into_iter()
        .chain(found.hits.into_iter().filter(|h| !exact_set.contains(&h.0)))
    {
        if let Some(hit) = hit(conn, id, score, &folded)? {
            items.push(hit);
        }
    }
    Ok(SearchResults {
        items,
        total: found.total.saturating_add(extra),
        total_capped: found.capped,
        offset,
        limit,
        terms: shown_terms,
        ranking: found.ranking,
        pending,
    })
}

// ---------------------------------------------------------------------------------------------
// Hits: the record, its case, its snippet.

/// A field's key and its Chinese name.
type Field = (&'static str, &'static str);

/// Field keys and names of each kind's headline and body, in the order the triggers join them.
fn fields(kind: SearchKind) -> (&'static [Field], &'static [Field]) {
    match kind {
        SearchKind::Case => (
            &[
                ("number", "案件编号"),
                ("originalCaseNumber", "原案案号"),
                ("title", "案件名称"),
            ],
            &[
                ("demands", "信访诉求"),
                ("background", "信访经过"),
                ("historicalFacts", "四明五清·历史事实"),
                ("problemNature", "四明五清·问题性质"),
                ("handlingPrinciple", "四明五清·处理原则"),
                ("petitionDemands", "四明五清·信访诉求"),
                ("responsibleParties", "四明五清·责任单位责任人"),
                ("socialRelations", "四明五清·信访人社会关系"),
                ("crux", "四明五清·问题症结"),
                ("existingReplies", "四明五清·现有答复"),
                ("errorsAndFlaws", "四明五清·错误瑕疵"),
            ],
        ),
        SearchKind::Petitioner => (
            &[("name", "姓名/名称")],
            &[("address", "住址"), ("representative", "法定代表人")],
        ),
        SearchKind::Testimony => (&[], &[("text", "笔录内容")]),
        SearchKind::Opinion => (
            &[],
            &[
                ("facts", "对事实的意见"),
                ("law", "对法律适用的意见"),
                ("reasons", "理由"),
            ],
        ),
        SearchKind::Document => (
            &[("docNumber", "文号"), ("subjectName", "送达对象")],
            &[("docText", "文书正文")],
        ),
    }
}

struct DocRow {
    kind: String,
    reference: String,
    case_id: String,
    hearing_id: Option<String>,
    head: String,
    body: String,
    case_number: Option<String>,
    case_title: Option<String>,
    case_status: Option<String>,
    organ: Option<String>,
    registered_on: Option<String>,
}

fn hit(conn: &Connection, id: i64, score: f64, terms: &[Vec<char>]) -> Result<Option<SearchHit>> {
    let row = conn
        .query_row(
            "SELECT d.kind, d.ref, d.case_id, d.hearing_id, d.head, d.body,
                    c.number, c.title, c.status, o.name, c.registered_on
             FROM search_docs d
             LEFT JOIN cases c ON c.id = d.case_id
             LEFT JOIN orgs o ON o.id = c.handling_organ_id
             WHERE d.id = ?1",
            [id],
            |r| {
                Ok(DocRow {
                    kind: r.get(0)?,
                    reference: r.get(1)?,
                    case_id: r.get(2)?,
                    hearing_id: r.get(3)?,
                    head: r.get(4)?,
                    body: r.get(5)?,
                    case_number: r.get(6)?,
                    case_title: r.get(7)?,
                    case_status: r.get(8)?,
                    organ: r.get(9)?,
                    registered_on: r.get(10)?,
                })
            },
        )
        .optional()?;
    let Some(d) = row else {
        return Ok(None);
    };
    let Some(kind) = SearchKind::parse(&d.kind) else {
        return Ok(None);
    };
    let (head_fields, body_fields) = fields(kind);
    let head: Vec<String> = split_fields(&d.head, head_fields.len());
    let body: Vec<String> = split_fields(&d.body, body_fields.len());
    let named: Vec<(&str, &str, &str)> = head_fields
        .iter()
        .zip(head.iter())
        .chain(body_fields.iter().zip(body.iter()))
        .map(|((k, l), v)| (*k, *l, v.as_str()))
        .collect();
    let case_title = d.case_title.clone().unwrap_or_default();
    let mut out = SearchHit {
        kind,
        id: d.reference.clone(),
        case_id: d.case_id.clone(),
        case_number: d.case_number.clone().unwrap_or_default(),
        case_title: case_title.clone(),
        case_status: d.case_status.as_deref().and_then(CaseStatus::parse),
        handling_organ_name: d.organ.clone().unwrap_or_default(),
        registered_on: d.registered_on.clone().unwrap_or_default(),
        hearing_id: d.hearing_id.clone(),
        hearing_title: None,
        hearing_on: None,
        title: Vec::new(),
        field: String::new(),
        field_label: String::new(),
        snippet: Vec::new(),
        masked_id: None,
        speaker_role: None,
        corrected: false,
        vote: None,
        doc_kind: None,
        doc_kind_label: None,
        doc_state: None,
        score,
    };
    // The headline, and the fields the snippet may come from (not the one already shown).
    let snippet_from: Vec<(&str, &str, &str)> = match kind {
        SearchKind::Case => {
            out.title = highlight(&mask_numbers(&case_title), terms);
            named.iter().copied().filter(|f| f.0 != "title").collect()
        }
        SearchKind::Petitioner => {
            out.title = highlight(
                &mask_numbers(head.first().map_or("", String::as_str)),
                terms,
            );
            if let Some((case_id, seq)) = d.reference.rsplit_once('#') {
                let idn: Option<Option<String>> = conn
                    .query_row(
                        "SELECT id_number FROM petitioners WHERE case_id = ?1 AND seq = ?2",
                        params![case_id, seq.parse::<i64>().unwrap_or(-1)],
                        |r| r.get(0),
                    )
                    .optional()?;
                out.masked_id = idn
                    .flatten()
                    .filter(|s| !s.is_empty())
                    .map(|s| mask_id_number(&s));
            }
            named.iter().copied().filter(|f| f.0 != "name").collect()
        }
        SearchKind::Testimony => {
            type Entry = (String, String, Option<String>, Option<String>, bool);
            let extra: Option<Entry> = conn
                .query_row(
                    "SELECT t.speaker_role, t.speaker_name, h.title, h.scheduled_on,
                            EXISTS (SELECT 1 FROM testimony x WHERE x.supersedes = t.id)
                     FROM testimony t LEFT JOIN hearings h ON h.id = t.hearing_id
                     WHERE t.id = ?1",
                    [&d.reference],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()?;
            if let Some((role, name, title, on, corrected)) = extra {
                let role = ParticipantRole::parse(&role);
                let who = match role {
                    Some(r) => format!("{name}（{}）", r.label()),
                    None => name,
                };
                out.title = highlight(&who, terms);
                out.speaker_role = role;
                out.hearing_title = title;
                out.hearing_on = on;
                out.corrected = corrected;
            }
            named.clone()
        }
        SearchKind::Opinion => {
            type Opinion = (Option<String>, String, Option<String>, Option<String>);
            let extra: Option<Opinion> = conn
                .query_row(
                    "SELECT p.name, o.vote, h.title, h.scheduled_on
                     FROM opinions o
                     LEFT JOIN participants p ON p.id = o.participant_id
                     LEFT JOIN hearings h ON h.id = o.hearing_id
                     WHERE o.id = ?1",
                    [&d.reference],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            if let Some((name, vote, title, on)) = extra {
                out.title = highlight(&format!("{}（听证员）", name.unwrap_or_default()), terms);
                out.vote = Vote::parse(&vote);
                out.hearing_title = title;
                out.hearing_on = on;
            }
            named.clone()
        }
        SearchKind::Document => {
            let extra: Option<(String, String, String, u32)> = conn
                .query_row(
                    "SELECT kind, number, state, version FROM documents WHERE id = ?1",
                    [&d.reference],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            if let Some((doc_kind, number, state, version)) = extra {
                let label = hearing_docs::DocKind::parse(&doc_kind)
                    .map(|k| k.label().to_owned())
                    .unwrap_or_else(|| doc_kind.clone());
                let mut headline = label.clone();
                if !number.is_empty() {
                    headline.push(' ');
                    headline.push_str(&number);
                }
                if version > 1 {
                    headline.push_str(&format!("（第 {version} 版）"));
                }
                out.title = highlight(&headline, terms);
                out.doc_kind = Some(doc_kind);
                out.doc_kind_label = Some(label);
                out.doc_state = Some(state);
            }
            if let Some(h) = &d.hearing_id {
                let extra: Option<(String, String)> = conn
                    .query_row(
                        "SELECT title, scheduled_on FROM hearings WHERE id = ?1",
                        [h],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                if let Some((t, on)) = extra {
                    out.hearing_title = Some(t);
                    out.hearing_on = Some(on);
                }
            }
            named
                .iter()
                .copied()
                .filter(|f| f.0 != "docNumber")
                .collect()
        }
    };
    let (field, label, snippet) = best_snippet(&snippet_from, terms);
    out.field = field.to_owned();
    out.field_label = label.to_owned();
    out.snippet = snippet;
    Ok(Some(out))
}

/// The `n` fields joined by U+001F (fewer if a value held none; more are joined back).
fn split_fields(text: &str, n: usize) -> Vec<String> {
    let mut parts: Vec<String> = text.split('\u{1f}').map(str::to_owned).collect();
    if n > 0 && parts.len() > n {
        let rest = parts.split_off(n - 1).join(" ");
        parts.push(rest);
    }
    parts.resize(n, String::new());
    parts
}

/// Folds a character the way both indexes do (ASCII and simple case folding).
fn fold_char(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        let mut l = c.to_lowercase();
        match (l.next(), l.next()) {
            (Some(one), None) => one,
            _ => c,
        }
    }
}

fn fold(s: &str) -> Vec<char> {
    s.chars().map(fold_char).collect()
}

/// Which characters of `text` are inside an occurrence of a term.
fn hit_mask(text: &[char], terms: &[Vec<char>]) -> Vec<bool> {
    let folded: Vec<char> = text.iter().map(|c| fold_char(*c)).collect();
    let mut mask = vec![false; text.len()];
    for t in terms.iter().filter(|t| !t.is_empty()) {
        if t.len() > folded.len() {
            continue;
        }
        for i in 0..=folded.len() - t.len() {
            if folded[i..i + t.len()] == t[..] {
                mask[i..i + t.len()].iter_mut().for_each(|m| *m = true);
            }
        }
    }
    mask
}

fn segments(chars: &[char], mask: &[bool]) -> Vec<SearchSegment> {
    let mut out: Vec<SearchSegment> = Vec::new();
    for (c, hit) in chars.iter().zip(mask) {
        match out.last_mut() {
            Some(s) if s.hit == *hit => s.text.push(*c),
            _ => out.push(SearchSegment {
                text: c.to_string(),
                hit: *hit,
            }),
        }
    }
    out
}

/// The whole text, its matches marked.
pub fn highlight(text: &str, terms: &[Vec<char>]) -> Vec<SearchSegment> {
    let chars: Vec<char> = text.chars().collect();
    let mask = hit_mask(&chars, terms);
    segments(&chars, &mask)
}

/// Characters shown before the first match, and in all.
const BEFORE: usize = 24;
const WINDOW: usize = 96;

/// Fields shown without a match only if nothing else has text: what the headline already says.
const NO_FALLBACK: [&str; 3] = ["number", "originalCaseNumber", "subjectName"];

/// The first field holding a match (else the first that is not empty, headline fields last), as
/// a window around the first match with every match in it marked. ID and phone numbers are
/// masked first.
fn best_snippet<'a>(
    fields: &[(&'a str, &'a str, &str)],
    terms: &[Vec<char>],
) -> (&'a str, &'a str, Vec<SearchSegment>) {
    let mut fallback = None;
    let mut last_resort = None;
    for (key, label, text) in fields {
        if text.trim().is_empty() {
            continue;
        }
        let shown: Vec<char> = mask_numbers(text)
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        let mask = hit_mask(&shown, terms);
        match mask.iter().position(|m| *m) {
            Some(first) => return (key, label, window(&shown, &mask, first)),
            None if NO_FALLBACK.contains(key) && last_resort.is_none() => {
                last_resort = Some((*key, *label, window(&shown, &mask, 0)));
            }
            None if NO_FALLBACK.contains(key) => {}
            None if fallback.is_none() => fallback = Some((*key, *label, window(&shown, &mask, 0))),
            None => {}
        }
    }
    fallback.or(last_resort).unwrap_or(("", "", Vec::new()))
}

fn window(chars: &[char], mask: &[bool], first: usize) -> Vec<SearchSegment> {
    let start = first.saturating_sub(BEFORE);
    let end = (start + WINDOW).min(chars.len());
    let mut segs = segments(&chars[start..end], &mask[start..end]);
    if start > 0 {
        segs.insert(
            0,
            SearchSegment {
                text: "…".to_owned(),
                hit: false,
            },
        );
    }
    if end < chars.len() {
        segs.push(SearchSegment {
            text: "…".to_owned(),
            hit: false,
        });
    }
    // Adjacent plain pieces (the ellipses) joined.
    let mut out: Vec<SearchSegment> = Vec::with_capacity(segs.len());
    for s in segs {
        match out.last_mut() {
            Some(last) if last.hit == s.hit => last.text.push_str(&s.text),
            _ => out.push(s),
        }
    }
    out
}

/// Masks what looks like a resident ID number (15 or 18 characters) or a mobile number (11
/// digits starting with 1) in free text.
pub fn mask_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        let digits = j - i;
        if digits == 17 && j < chars.len() && matches!(chars[j], 'X' | 'x') {
            j += 1;
        }
        let run: String = chars[i..j].iter().collect();
        let len = j - i;
        if len == 18 || (len == 15 && digits == 15) {
            out.push_str(&mask_id_number(&run));
        } else if len == 11 && digits == 11 && chars[i] == '1' {
            out.push_str(&mask_phone(&run));
        } else {
            out.push_str(&run);
        }
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn a_date_range_is_covered_by_the_fewest_values() {
        assert_eq!(
            cover(d("2024-12-30"), d("2026-02-02")),
            vec![
                "d:2024-12-30",
                "d:2024-12-31",
                "y:2025",
                "m:2026-01",
                "d:2026-02-01",
                "d:2026-02-02"
            ]
        );
        assert_eq!(cover(d("2025-03-01"), d("2025-03-31")), vec!["m:2025-03"]);
        assert!(cover(d("2025-03-02"), d("2025-03-01")).is_empty());
    }

    #[test]
    fn terms_are_split_and_checked() {
        assert_eq!(
            terms("  借贷  \u{3000}张三 借贷 ").unwrap_or_default(),
            vec!["借贷", "张三"]
        );
        for bad in ["", "   ", &"长".repeat(201), "a b c d e f g h i"] {
            let err = terms(bad).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(!err.is_empty(), "{bad:?} accepted");
        }
    }

    #[test]
    fn a_term_is_matched_literally_as_bigrams() {
        assert_eq!(term_expr("王"), "\"王\" *");
        assert_eq!(term_expr("借款"), "\"借款\"");
        assert_eq!(term_expr("征收补偿"), "\"征收 收补 补偿\"");
        // Quotes, white space and case: characters of the index, never query syntax.
        let quoted = term_expr("a\"B OR*");
        assert_eq!(quoted.matches('"').count(), 2, "{quoted}");
        assert!(
            quoted.starts_with("\"a\u{F0022} \u{F0022}b b\u{F0020} "),
            "{quoted}"
        );
        // The text side is made the same way: the term's bigrams occur in it.
        assert_eq!(bigrams("甲\u{1f}Ab"), "甲\u{F001F} \u{F001F}a ab b");
    }

    #[test]
    fn numbers_are_masked_in_text() {
        assert_eq!(
            mask_numbers("身份证11010519491231002X，电话13812345678，案号2025-012"),
            "身份证110105********002X，电话138****5678，案号2025-012"
        );
        assert_eq!(
            mask_numbers("编号123456789012345678901"),
            "编号123456789012345678901"
        );
    }

    #[test]
    fn snippets_mark_every_match_around_the_first() {
        let terms = vec![fold("借贷")];
        let text = format!(
            "{}民间借贷纠纷，借贷关系{}",
            "前".repeat(40),
            "后".repeat(100)
        );
        let (_, _, segs) = best_snippet(&[("background", "信访经过", &text)], &terms);
        let hits: Vec<&str> = segs
            .iter()
            .filter(|s| s.hit)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(hits, vec!["借贷", "借贷"]);
        assert!(segs.first().is_some_and(|s| s.text.starts_with('…')));
        assert!(segs.last().is_some_and(|s| s.text.ends_with('…')));
    }
}
