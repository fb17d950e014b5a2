//! `bench-data`: fills an empty data directory with a large, realistic dataset for the
//! benchmarks (BENCHMARKS.md): by default 100,000 cases and 1,000,000 testimony entries of the
//! fictional 青山市 — the demo's org tree (`hearing-demo`) grown to ten counties, each
//! with its court, procuratorate, police and justice bureau — over the five years before
//! `--as-of`, with petitioners (valid GB 11643 ID numbers; some petition again), a person pool
//! (两代表一委员, lawyers, mediators, experts), hearings with their participants, transcripts,
//! panel opinions and signatures, approvals, 领导包案, 三单 (some overdue), follow-ups and draft
//! announcements. Deterministic: the same sizes, seed and `--as-of` give the same rows (the
//! desk's own device id aside).
//!
//! The schema comes from [`Store::open_dir`] (migrations, sync and search triggers). The rows are
//! then written with plain SQL in large transactions, as sync applies rows that arrive from other
//! desks: `sync_state.applying = 1` meanwhile, so nothing is queued in the sync outbox and no
//! change-log or audit rows are made (a write through `Store::write` per row would make both and
//! take hours). The full-text index is filled by its own triggers as the rows go in, so it is the
//! index the app maintains. Not written: `sync_versions`/`sync_history` (the per-column versions a
//! pulled row carries; nothing reads them until the desk syncs), evidence items and scans.
//! `tests/store_equal.rs` holds this bulk path to the store's: the generated cases (with their
//! petitioners) and persons, registered again through the store's own API, give the same rows.
//!
//! The parameters and the time taken are recorded in `desk_meta` under `bench_data` (JSON) so a
//! benchmark can tell whether an existing directory holds the dataset it wants.
//!
//! A development tool, unpublished and not part of what ships: the `bench-data` binary of this
//! crate (`cargo build --release -p hearing-benchdata`), which the benches run.

mod pools;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use clap::Args;
use hearing_core::supervision::{FollowupKind, SlipKind};
use hearing_core::testimony::transcript_hash;
use hearing_core::validate::{credit_code, id_check_char, CreditCodeWarning};
use hearing_core::{
    CaseAnalysis, CaseCategory, CaseStatus, HearingStatus, InvitationStatus, JurisdictionConfig,
    OrgKind, ParticipantRole, PersonKind, PersonLevel, Ruling, Vote,
};
use hearing_demo::demo_data;
use hearing_store::Store;
use rusqlite::{params, Connection};
use serde_json::json;

use pools::{Dispute, StepPools};

/// Version of what this generator writes; the benchmark regenerates a dataset of another version.
/// 2: ten counties (the 通报 ranks at least ten).
pub const FORMAT: u32 = 2;
/// The `desk_meta` key of the record of a generated dataset.
pub const STAMP_KEY: &str = "bench_data";

#[derive(Args, Debug, Clone)]
pub struct BenchDataArgs {
    /// Cases (案件) to generate.
    #[arg(long, default_value_t = 100_000)]
    pub cases: u32,
    /// Testimony entries (笔录条目), spread over the hearings that were held.
    #[arg(long, default_value_t = 1_000_000)]
    pub testimony: u64,
    /// The same seed and sizes give the same data.
    #[arg(long, default_value_t = 20_261_127)]
    pub seed: u64,
    /// The dataset's "today" (YYYY-MM-DD): registrations cover the five years before it, and
    /// deadlines, overdue slips and hearings in session are as of this day.
    #[arg(long, default_value = "2026-11-27")]
    pub as_of: String,
    /// People in the person pool (听证员库).
    #[arg(long, default_value_t = 3_000)]
    pub persons: u32,
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/// SplitMix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x6A09_E667_F3BC_C909)
    }

    /// An independent stream for item `i` of kind `stream`.
    fn derive(seed: u64, stream: u64, i: u64) -> Rng {
        let mut r = Rng::new(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.0 ^= i.wrapping_mul(0xD1B5_4A32_D192_ED03);
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0 ≤ n < bound.
    fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(bound)) >> 64) as u64
    }

    /// lo ≤ n ≤ hi.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }

    fn word<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }

    /// An item by weight.
    fn weighted<T: Copy>(&mut self, xs: &[(T, u32)]) -> T {
        let total: u32 = xs.iter().map(|x| x.1).sum();
        let mut r = self.below(u64::from(total)) as u32;
        for &(x, w) in xs {
            if r < w {
                return x;
            }
            r -= w;
        }
        xs[xs.len() - 1].0
    }

    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u = self.unit().max(1e-12);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

// ---------------------------------------------------------------------------------------------
// Dates, times and ids

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn zh_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn zh_month(d: NaiveDate) -> String {
    format!("{}年{}月", d.year(), d.month())
}

/// A moment of `d` at `secs` seconds after local midnight (UTC+8), as stored: UTC, milliseconds.
fn stamp(d: NaiveDate, secs: i64) -> (String, i64) {
    let local = d.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::seconds(secs);
    let utc = local - Duration::hours(8);
    (
        utc.format("%Y-%m-%dT%H:%M:%S.000Z").to_string(),
        utc.and_utc().timestamp_millis(),
    )
}

/// An id shaped like the store's UUIDv7 (time-ordered), from the moment and the stream.
fn uuid7(ms: i64, rng: &mut Rng) -> String {
    let ms = ms.max(0) as u64;
    let r = rng.next();
    let r2 = rng.next();
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        (ms >> 16) as u32,
        (ms & 0xffff) as u16,
        0x7000 | (r & 0x0fff) as u16,
        0x8000 | ((r >> 12) & 0x3fff) as u16,
        r2 & 0xffff_ffff_ffff
    )
}

/// Days in office hours: 08:30–17:30 local.
fn office_secs(rng: &mut Rng) -> i64 {
    rng.range(8 * 3600 + 1800, 17 * 3600 + 1800)
}

// ---------------------------------------------------------------------------------------------
// People

fn person_name(rng: &mut Rng) -> String {
    // Surnames early in the list are more common.
    let i = (rng.unit().powf(1.7) * pools::SURNAMES.len() as f64) as usize;
    let mut s = pools::SURNAMES[i.min(pools::SURNAMES.len() - 1)].to_owned();
    if rng.chance(0.15) {
        s.push_str(rng.word(pools::GIVEN_SECOND));
    } else {
        s.push_str(rng.word(pools::GIVEN_FIRST));
        s.push_str(rng.word(pools::GIVEN_SECOND));
    }
    s
}

/// A resident ID number of `region` with a valid GB 11643 check character.
fn id_number(rng: &mut Rng, region: &str, birth_year: i32) -> String {
    let birth = NaiveDate::from_ymd_opt(birth_year, 1, 1)
        .unwrap_or_default()
        .checked_add_signed(Duration::days(rng.range(0, 364)))
        .unwrap_or_default();
    let first17 = format!("{region}{}{:03}", birth.format("%Y%m%d"), rng.range(1, 999));
    let check = id_check_char(&first17);
    format!("{first17}{check}")
}

fn mobile(rng: &mut Rng) -> String {
    let second = *rng.pick(&['3', '5', '7', '8', '9']);
    let mut s = format!("1{second}");
    for _ in 0..9 {
        s.push(char::from(b'0' + rng.below(10) as u8));
    }
    s
}

/// A 统一社会信用代码 with its GB 32100 check character (computed by the app's own check).
fn credit(rng: &mut Rng, region: &str) -> String {
    const ALPHA: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut s = format!("91{region}");
    for _ in 0..9 {
        s.push(char::from(ALPHA[rng.below(ALPHA.len() as u64) as usize]));
    }
    let probe = format!("{s}0");
    match credit_code(&probe) {
        (_, Some(CreditCodeWarning::CheckDigit { expected, .. })) => format!("{s}{expected}"),
        _ => probe,
    }
}

#[derive(Clone)]
struct Petitioner {
    organisation: bool,
    name: String,
    id_number: Option<String>,
    phone: Option<String>,
    address: String,
    credit_code: Option<String>,
    representative: String,
}

// ---------------------------------------------------------------------------------------------
// The org tree

struct OrgRow {
    id: String,
    parent: Option<usize>,
    name: String,
    short_name: String,
    kind: OrgKind,
    code: String,
}

/// The city itself (index 0) or a county: its committee and organs.
struct County {
    place: String,
    region: String,
    urban: bool,
    committee: usize,
    /// Court, procuratorate, police, justice bureau (org indexes).
    organs: [usize; 4],
    /// Share of the cases.
    weight: u32,
    /// The court's code in case numbers: 01 (city), 0102 …
    court_code: String,
    officials: Vec<String>,
    /// Person-pool members kept by this county's committee, by kind.
    pool: HashMap<PersonKind, Vec<usize>>,
    /// Petitioners seen lately (some petition again).
    recent: Vec<Petitioner>,
}

/// Counties added to the demo's three: (name, code, district or not).
const EXTRA_COUNTIES: [(&str, &str, bool); 7] = [
    ("南湖区", "NHQ", true),
    ("北山县", "BSX", false),
    ("湖滨区", "HBQ", true),
    ("青峰县", "QFX", false),
    ("江口区", "JKQ", true),
    ("东山区", "DSQ", true),
    ("南岭县", "NLX", false),
];

/// The region code of ID numbers and the share of the cases, by committee code.
fn county_facts(code: &str) -> (&'static str, u32) {
    match code {
        "QSS" => ("159901", 10),
        "DHQ" => ("159902", 18),
        "XLX" => ("159921", 10),
        "BYQ" => ("159925", 6),
        "NHQ" => ("159903", 16),
        "BSX" => ("159922", 9),
        "HBQ" => ("159904", 13),
        "QFX" => ("159923", 8),
        "JKQ" => ("159905", 10),
        "DSQ" => ("159906", 9),
        "NLX" => ("159924", 7),
        _ => ("159901", 8),
    }
}

fn build_orgs(rng: &mut Rng) -> Result<(Vec<OrgRow>, Vec<County>)> {
    let demo = demo_data();
    let mut orgs: Vec<OrgRow> = Vec::new();
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    let (_, ms) = stamp(NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(), 0);
    for o in &demo.orgs {
        let parent = match o.parent {
            Some(p) => Some(*by_key.get(p).context("演示单位的上级单位不存在")?),
            None => None,
        };
        by_key.insert(o.key, orgs.len());
        orgs.push(OrgRow {
            id: uuid7(ms, rng),
            parent,
            name: o.input.name.clone(),
            short_name: o.input.short_name.clone(),
            kind: o.input.kind,
            code: o.input.code.clone(),
        });
    }
    let root = orgs
        .iter()
        .position(|o| o.parent.is_none())
        .context("演示单位缺少根单位")?;
    for (place, code, urban) in EXTRA_COUNTIES {
        let committee = orgs.len();
        let (cname, short) = if urban {
            (
                format!("中共青山市{place}委政法委员会"),
                format!("{place}委政法委"),
            )
        } else {
            (
                format!("中共{place}委政法委员会"),
                format!("{place}委政法委"),
            )
        };
        orgs.push(OrgRow {
            id: uuid7(ms, rng),
            parent: Some(root),
            name: cname,
            short_name: short,
            kind: OrgKind::Committee,
            code: code.to_owned(),
        });
        let stem = place.trim_end_matches(['区', '县']);
        let organs: [(OrgKind, String, String, &str); 4] = if urban {
            [
                (
                    OrgKind::Court,
                    format!("青山市{place}人民法院"),
                    format!("{place}法院"),
                    "FY",
                ),
                (
                    OrgKind::Procuratorate,
                    format!("青山市{place}人民检察院"),
                    format!("{place}检察院"),
                    "JCY",
                ),
                (
                    OrgKind::PublicSecurity,
                    format!("青山市公安局{place}分局"),
                    format!("{stem}公安分局"),
                    "GAJ",
                ),
                (
                    OrgKind::JusticeBureau,
                    format!("青山市{place}司法局"),
                    format!("{place}司法局"),
                    "SFJ",
                ),
            ]
        } else {
            [
                (
                    OrgKind::Court,
                    format!("{place}人民法院"),
                    format!("{place}法院"),
                    "FY",
                ),
                (
                    OrgKind::Procuratorate,
                    format!("{place}人民检察院"),
                    format!("{place}检察院"),
                    "JCY",
                ),
                (
                    OrgKind::PublicSecurity,
                    format!("{place}公安局"),
                    format!("{place}公安局"),
                    "GAJ",
                ),
                (
                    OrgKind::JusticeBureau,
                    format!("{place}司法局"),
                    format!("{place}司法局"),
                    "SFJ",
                ),
            ]
        };
        for (kind, name, short, suffix) in organs {
            orgs.push(OrgRow {
                id: uuid7(ms, rng),
                parent: Some(committee),
                name,
                short_name: short,
                kind,
                code: format!("{code}{suffix}"),
            });
        }
    }
    // The city and each committee below it, with their organs.
    let mut counties = Vec::new();
    let committees: Vec<usize> = std::iter::once(root)
        .chain(
            (0..orgs.len())
                .filter(|&i| orgs[i].parent == Some(root) && orgs[i].kind == OrgKind::Committee),
        )
        .collect();
    for (n, &c) in committees.iter().enumerate() {
        let organ = |kind: OrgKind| {
            (0..orgs.len())
                .find(|&i| orgs[i].parent == Some(c) && orgs[i].kind == kind)
                .unwrap_or(c)
        };
        let place = orgs[c]
            .short_name
            .trim_end_matches("委政法委")
            .trim_end_matches("政法委")
            .to_owned();
        let (region, weight) = county_facts(&orgs[c].code);
        let urban = n == 0 || place.ends_with('区');
        let officials = (0..24).map(|_| person_name(rng)).collect();
        counties.push(County {
            place,
            region: region.to_owned(),
            urban,
            committee: c,
            organs: [
                organ(OrgKind::Court),
                organ(OrgKind::Procuratorate),
                organ(OrgKind::PublicSecurity),
                organ(OrgKind::JusticeBureau),
            ],
            weight,
            court_code: if n == 0 {
                "01".to_owned()
            } else {
                format!("01{:02}", n + 1)
            },
            officials,
            pool: HashMap::new(),
            recent: Vec::new(),
        });
    }
    Ok((orgs, counties))
}

// ---------------------------------------------------------------------------------------------
// The plan of each case (pass 1), so testimony can be spread over the hearings actually held.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Lawful,
    Resolved,
    Legal,
    Withdrawn,
}

struct HearingPlan {
    on: NaiveDate,
    status: HearingStatus,
    panel: usize,
    entries: u32,
    /// An earlier hearing of the case that was cancelled.
    cancelled_before: bool,
}

struct Plan {
    registered: NaiveDate,
    county: usize,
    owner: usize,
    organ_slot: usize,
    category: CaseCategory,
    dispute: &'static Dispute,
    status: CaseStatus,
    /// Registration to the end of the case (days), as planned.
    duration: i64,
    closed_on: Option<NaiveDate>,
    served_on: Option<NaiveDate>,
    filed_on: Option<NaiveDate>,
    hearing: Option<HearingPlan>,
    petitioners: Vec<Petitioner>,
    number: String,
}

fn disputes(c: CaseCategory) -> &'static [Dispute] {
    match c {
        CaseCategory::Civil | CaseCategory::Enforcement => pools::CIVIL,
        CaseCategory::Administrative => pools::ADMINISTRATIVE,
        CaseCategory::Criminal => pools::CRIMINAL,
        CaseCategory::StateCompensation => pools::STATE_COMPENSATION,
        CaseCategory::PoliceEnforcement => pools::POLICE,
        CaseCategory::ProcuratorialSupervision => pools::PROCURATORIAL,
        CaseCategory::Other => pools::OTHER,
    }
}

fn category_for(rng: &mut Rng, organ_slot: usize) -> CaseCategory {
    use CaseCategory::*;
    match organ_slot {
        0 => rng.weighted(&[
            (Civil, 55),
            (Enforcement, 18),
            (Administrative, 12),
            (Criminal, 8),
            (StateCompensation, 3),
            (Other, 4),
        ]),
        1 => rng.weighted(&[
            (ProcuratorialSupervision, 55),
            (Criminal, 30),
            (StateCompensation, 8),
            (Other, 7),
        ]),
        2 => rng.weighted(&[
            (PoliceEnforcement, 60),
            (Criminal, 30),
            (StateCompensation, 3),
            (Other, 7),
        ]),
        _ => rng.weighted(&[(Other, 40), (Administrative, 35), (Civil, 25)]),
    }
}

fn address(rng: &mut Rng, county: &County) -> String {
    if county.urban || rng.chance(0.3) {
        let town = if county.urban {
            rng.pick(pools::TOWNS_URBAN)
        } else {
            &"城关镇"
        };
        format!(
            "青山市{}{}{}{}号{}栋{}单元{}室",
            county.place,
            town,
            rng.pick(pools::ROADS),
            rng.range(1, 299),
            rng.range(1, 32),
            rng.range(1, 6),
            rng.range(1, 28) * 100 + rng.range(1, 4)
        )
    } else {
        format!(
            "{}{}{}{}组{}号",
            county.place,
            rng.pick(pools::TOWNS_RURAL),
            rng.pick(pools::VILLAGES),
            rng.range(1, 9),
            rng.range(1, 120)
        )
    }
}

fn new_petitioner(rng: &mut Rng, county: &County) -> Petitioner {
    let address = address(rng, county);
    if rng.chance(0.03) {
        let name = format!("青山市{}{}有限公司", county.place, rng.pick(pools::FIRMS));
        return Petitioner {
            organisation: true,
            name,
            id_number: None,
            phone: Some(mobile(rng)),
            address,
            credit_code: Some(credit(rng, &county.region)),
            representative: person_name(rng),
        };
    }
    let year = rng.range(1938, 1998) as i32;
    Petitioner {
        organisation: false,
        name: person_name(rng),
        id_number: rng
            .chance(0.93)
            .then(|| id_number(rng, &county.region, year)),
        phone: rng.chance(0.9).then(|| mobile(rng)),
        address,
        credit_code: None,
        representative: String::new(),
    }
}

fn lognormal_days(rng: &mut Rng, median: f64, sigma: f64) -> i64 {
    ((median * (sigma * rng.normal()).exp()).round() as i64).clamp(7, 1500)
}

/// Registration days over the five years before `as_of`: weekdays, slowly rising.
fn registration_days(rng: &mut Rng, n: u32, as_of: NaiveDate) -> Vec<NaiveDate> {
    let span = 5 * 365 + 1;
    let mut out = Vec::with_capacity(n as usize);
    while out.len() < n as usize {
        let t = rng.below(span as u64) as i64;
        // t = 0 is the oldest day; the newest are 1.5 times as frequent.
        let w = 1.0 + 0.5 * t as f64 / span as f64;
        if rng.unit() * 1.5 > w {
            continue;
        }
        let d = as_of - Duration::days(span - t);
        if matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && rng.chance(0.92) {
            continue;
        }
        out.push(d);
    }
    out.sort();
    out
}

fn plan_cases(
    rng: &mut Rng,
    args: &BenchDataArgs,
    as_of: NaiveDate,
    orgs: &[OrgRow],
    counties: &mut [County],
) -> Vec<Plan> {
    let days = registration_days(rng, args.cases, as_of);
    let weights: Vec<(usize, u32)> = counties
        .iter()
        .enumerate()
        .map(|(i, c)| (i, c.weight))
        .collect();
    let mut numbers: HashMap<(usize, i32), u32> = HashMap::new();
    let mut plans = Vec::with_capacity(days.len());
    for registered in days {
        let county = rng.weighted(&weights);
        let organ_slot = rng.weighted(&[(0usize, 62), (1, 12), (2, 16), (3, 10)]);
        let owner = if rng.chance(0.03) {
            counties[county].organs[organ_slot]
        } else {
            counties[county].committee
        };
        let category = category_for(rng, organ_slot);
        let dispute = rng.pick(disputes(category));
        let path = rng.weighted(&[
            (Outcome::Lawful, 68),
            (Outcome::Resolved, 17),
            (Outcome::Legal, 8),
            (Outcome::Withdrawn, 7),
        ]);
        let median = match path {
            Outcome::Lawful => 150.0,
            Outcome::Resolved => 70.0,
            Outcome::Legal => 40.0,
            Outcome::Withdrawn => 30.0,
        };
        let duration = lognormal_days(rng, median, 0.75);
        let stuck = rng.chance(0.02);
        let age = (as_of - registered).num_days();
        let end = registered + Duration::days(duration);
        let mut plan = Plan {
            registered,
            county,
            owner,
            organ_slot,
            category,
            dispute,
            status: CaseStatus::Registered,
            duration,
            closed_on: None,
            served_on: None,
            filed_on: None,
            hearing: None,
            petitioners: Vec::new(),
            number: String::new(),
        };
        let hearing_at = |rng: &mut Rng| {
            registered + Duration::days((duration as f64 * (0.6 + 0.25 * rng.unit())) as i64)
        };
        if stuck || end >= as_of {
            let progress = if stuck {
                0.1 + 0.8 * rng.unit()
            } else {
                (age as f64 / duration as f64).clamp(0.0, 0.99)
            };
            plan.status = match path {
                Outcome::Lawful if progress < 0.15 => CaseStatus::Registered,
                Outcome::Lawful if progress < 0.45 => CaseStatus::UnderReview,
                Outcome::Lawful if progress < 0.6 => CaseStatus::ProposedClosure,
                Outcome::Lawful if progress < 0.85 => CaseStatus::Hearing,
                Outcome::Lawful => CaseStatus::ClosureApproval,
                _ if progress < 0.3 => CaseStatus::Registered,
                _ => CaseStatus::UnderReview,
            };
            if plan.status == CaseStatus::Hearing {
                let mut on = hearing_at(rng).max(registered + Duration::days(20));
                let status = if rng.chance(0.04) {
                    on = as_of;
                    HearingStatus::InSession
                } else if on > as_of {
                    let until = (on - as_of).num_days();
                    if rng.chance(0.05) {
                        HearingStatus::Postponed
                    } else if until > 12 {
                        HearingStatus::Preparing
                    } else {
                        HearingStatus::Notified
                    }
                } else if rng.chance(0.4) {
                    HearingStatus::Concluded
                } else {
                    HearingStatus::TranscriptSigned
                };
                plan.hearing = Some(HearingPlan {
                    on,
                    status,
                    panel: 0,
                    entries: 0,
                    cancelled_before: false,
                });
            } else if plan.status == CaseStatus::ClosureApproval {
                let on = hearing_at(rng).min(as_of - Duration::days(3));
                plan.hearing = Some(HearingPlan {
                    on: on.max(registered + Duration::days(1)),
                    status: HearingStatus::TranscriptSigned,
                    panel: 0,
                    entries: 0,
                    cancelled_before: false,
                });
            }
        } else {
            match path {
                Outcome::Lawful => {
                    plan.closed_on = Some(end);
                    let served = end + Duration::days(rng.range(2, 25));
                    if served <= as_of && rng.chance(0.97) {
                        plan.served_on = Some(served);
                        let filed = served + Duration::days(rng.range(7, 60));
                        if filed <= as_of && rng.chance(0.92) {
                            plan.filed_on = Some(filed);
                        }
                    }
                    plan.status = if plan.filed_on.is_some() {
                        CaseStatus::Filed
                    } else if plan.served_on.is_some() {
                        CaseStatus::Served
                    } else {
                        CaseStatus::Closed
                    };
                    if plan.served_on.is_some() && rng.chance(0.004) {
                        plan.status = CaseStatus::Reopened;
                    }
                    if rng.chance(0.6) {
                        plan.hearing = Some(HearingPlan {
                            on: hearing_at(rng).min(end - Duration::days(1)),
                            status: HearingStatus::TranscriptSigned,
                            panel: 0,
                            entries: 0,
                            cancelled_before: rng.chance(0.02),
                        });
                    }
                }
                Outcome::Resolved => {
                    plan.status = CaseStatus::Resolved;
                    if rng.chance(0.1) {
                        plan.hearing = Some(HearingPlan {
                            on: hearing_at(rng).min(end - Duration::days(1)),
                            status: HearingStatus::TranscriptSigned,
                            panel: 0,
                            entries: 0,
                            cancelled_before: false,
                        });
                    }
                }
                Outcome::Legal => plan.status = CaseStatus::LegalProcedure,
                Outcome::Withdrawn => plan.status = CaseStatus::Withdrawn,
            }
        }
        if let Some(h) = plan.hearing.as_mut() {
            h.on = h.on.max(registered + Duration::days(1));
            h.panel = rng.weighted(&[(3usize, 50), (5, 45), (7, 5)]);
        }
        // Petitioners: 1–3, a few group petitions; some petitioned before.
        let n = if rng.chance(0.003) {
            rng.range(5, 9) as usize
        } else {
            rng.weighted(&[(1usize, 70), (2, 22), (3, 8)])
        };
        let c = &mut counties[county];
        for _ in 0..n {
            let p = if !c.recent.is_empty() && rng.chance(0.04) {
                rng.pick(&c.recent).clone()
            } else {
                new_petitioner(rng, c)
            };
            if !plan.petitioners.iter().any(|q| q.name == p.name) {
                plan.petitioners.push(p);
            }
        }
        for p in &plan.petitioners {
            if c.recent.len() < 3000 {
                c.recent.push(p.clone());
            } else {
                let i = rng.below(c.recent.len() as u64) as usize;
                c.recent[i] = p.clone();
            }
        }
        let year = registered.year();
        let seq = numbers.entry((owner, year)).or_insert(0);
        *seq += 1;
        plan.number = format!("{}-{year}-{:03}", orgs[owner].code, *seq);
        plans.push(plan);
    }
    // A small dataset may have no hearing in session by chance; the recording view (and the
    // save benchmark) needs one: the newest case at the hearing stage, or else the newest active
    // case, is heard today.
    let in_session = |p: &Plan| {
        p.hearing
            .as_ref()
            .is_some_and(|h| h.status == HearingStatus::InSession)
    };
    if !plans.iter().any(in_session) {
        let pick = plans
            .iter()
            .rposition(|p| p.status == CaseStatus::Hearing)
            .or_else(|| plans.iter().rposition(|p| p.status.is_active()));
        if let Some(i) = pick {
            let p = &mut plans[i];
            p.status = CaseStatus::Hearing;
            p.hearing = Some(HearingPlan {
                on: as_of.max(p.registered),
                status: HearingStatus::InSession,
                panel: 3,
                entries: 0,
                cancelled_before: false,
            });
        }
    }
    plans
}

/// Spreads `total` entries over the hearings held, exactly, in proportion to random weights (a
/// hearing in session so far has fewer).
fn spread_testimony(rng: &mut Rng, plans: &mut [Plan], total: u64) -> Result<()> {
    let held: Vec<(usize, u64)> = plans
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let h = p.hearing.as_ref()?;
            matches!(
                h.status,
                HearingStatus::InSession
                    | HearingStatus::Concluded
                    | HearingStatus::TranscriptSigned
            )
            .then_some(i)
        })
        .map(|i| {
            let in_session = plans[i]
                .hearing
                .as_ref()
                .is_some_and(|h| h.status == HearingStatus::InSession);
            (
                i,
                if in_session {
                    30
                } else {
                    rng.range(40, 160) as u64
                },
            )
        })
        .collect();
    if held.is_empty() {
        if total > 0 {
            bail!(
                "案件太少，没有举行过的听证会可以容纳笔录：请增加 --cases 或把 --testimony 设为 0"
            );
        }
        return Ok(());
    }
    let sum: u64 = held.iter().map(|h| h.1).sum();
    let mut cum = 0u64;
    let mut given = 0u64;
    for (i, w) in held {
        cum += w;
        let upto = (u128::from(total) * u128::from(cum) / u128::from(sum)) as u64;
        if let Some(h) = plans[i].hearing.as_mut() {
            h.entries = (upto - given) as u32;
        }
        given = upto;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Text

/// The values of the template slots for one case.
#[derive(Clone)]
struct Slots {
    p: String,
    p2: String,
    o: String,
    of: String,
    c: String,
    d: &'static str,
    thing: &'static str,
    amt: &'static str,
    amt2: &'static str,
    y: String,
    ym: String,
    date: String,
    off: String,
    pn: String,
    town: String,
    addr: String,
    age: i64,
    n: i64,
    n2: i64,
    venue: String,
    public: bool,
    rel: &'static str,
}

impl Slots {
    fn fill(&self, template: &str, out: &mut String) {
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return;
            };
            let key = &after[..close];
            match key {
                "p" => out.push_str(&self.p),
                "p2" => out.push_str(&self.p2),
                "o" => out.push_str(&self.o),
                "of" => out.push_str(&self.of),
                "c" => out.push_str(&self.c),
                "d" => out.push_str(self.d),
                "thing" => out.push_str(self.thing),
                "amt" => out.push_str(self.amt),
                "amt2" => out.push_str(self.amt2),
                "y" => out.push_str(&self.y),
                "ym" => out.push_str(&self.ym),
                "date" => out.push_str(&self.date),
                "off" => out.push_str(&self.off),
                "pn" => out.push_str(&self.pn),
                "town" => out.push_str(&self.town),
                "addr" => out.push_str(&self.addr),
                "venue" => out.push_str(&self.venue),
                "rel" => out.push_str(self.rel),
                "pub" => out.push_str(if self.public {
                    "公开进行"
                } else {
                    "不公开进行"
                }),
                "age" => {
                    let _ = write!(out, "{}", self.age);
                }
                "n" => {
                    let _ = write!(out, "{}", self.n);
                }
                "n2" => {
                    let _ = write!(out, "{}", self.n2);
                }
                _ => {
                    out.push('{');
                    out.push_str(key);
                    out.push('}');
                }
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
    }

    fn one(&self, rng: &mut Rng, pool: &[&str]) -> String {
        let mut s = String::new();
        self.fill(rng.word(pool), &mut s);
        s
    }

    /// Sentences from `pool` until the text reaches a length drawn from `min..=max` characters
    /// (never more than `max`, at least `min` unless the pool's sentences are all longer).
    fn compose(&self, rng: &mut Rng, pool: &[&str], min: usize, max: usize) -> String {
        let target = min + ((max - min) as f64 * rng.unit().powf(1.6)) as usize;
        let mut s = String::new();
        let mut len = 0;
        // Sentences in random order, none twice.
        let mut order: Vec<usize> = (0..pool.len()).collect();
        for k in 0..order.len() {
            let j = k + rng.below((order.len() - k) as u64) as usize;
            order.swap(k, j);
            let mut part = String::new();
            self.fill(pool[order[k]], &mut part);
            let n = part.chars().count();
            if len > 0 && len + n > max {
                if len >= min {
                    break;
                }
                continue;
            }
            s.push_str(&part);
            len += n;
            if len >= target.max(min) {
                break;
            }
        }
        s
    }
}

// ---------------------------------------------------------------------------------------------
// Writing

const SQL_ORG: &str =
    "INSERT INTO orgs (id, parent_id, name, short_name, kind, code, created_at, updated_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)";
const SQL_PERSON: &str =
    "INSERT INTO persons (id, org_id, name, kind, level, unit, title, phone, id_number,
    licence_no, law_firm, expertise, term_start, term_end, active, note, created_at, updated_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, '', ?16, ?16)";
const SQL_CASE: &str =
    "INSERT INTO cases (id, number, org_id, handling_organ_id, case_officer, title,
    category, original_case_number, rulings, demands, background, historical_facts, problem_nature,
    handling_principle, petition_demands, responsible_parties, social_relations, crux,
    existing_replies, errors_and_flaws, analysis_completeness, status, registered_on, created_at,
    updated_at, served_on, filed_on, closed_on, status_reason)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
    ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29)";
const SQL_PETITIONER: &str = "INSERT INTO petitioners (case_id, seq, kind, name, id_number, phone, address,
    credit_code, credit_code_warning, representative) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL, ?9)";
const SQL_HEARING: &str =
    "INSERT INTO hearings (id, case_id, org_id, title, scheduled_on, start_time, venue,
    mode, public, non_public_reason, status, status_reason, current_step, config_version,
    announcement_published_on, draw_seed, draw_log, transcript_hash, transcript_signed_at,
    organ_decision, organ_decision_reason, created_at, updated_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 0, ?14, NULL, '[]', ?15, ?16,
    ?17, ?18, ?19, ?20)";
const SQL_PARTICIPANT: &str =
    "INSERT INTO participants (id, hearing_id, seq, person_id, role, name, unit,
    invitation, invitation_history, recusal_unresolved, recusal_note, confidentiality_signed,
    notice_served_on, notice_method, signature, signature_note, created_at, updated_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, '', ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
const SQL_TESTIMONY: &str = "INSERT INTO testimony (id, hearing_id, seq, step_key, speaker_role,
    speaker_name, text, supersedes, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)";
const SQL_OPINION: &str =
    "INSERT INTO opinions (id, hearing_id, participant_id, facts, law, vote, reasons,
    created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)";
const SQL_APPROVAL: &str =
    "INSERT INTO approvals (id, case_id, level_key, level_title, approver, opinion,
    approved, decided_on, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8)";
const SQL_LEADER: &str =
    "INSERT INTO leader_assignments (case_id, leader_a, leader_a_title, leader_b,
    leader_b_title, problem_list, responsibility_list, confirmed_a, confirmed_b, signed_a, signed_b,
    created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
const SQL_SLIP: &str =
    "INSERT INTO supervision_slips (id, case_id, kind, from_unit, to_unit, content,
    deadline, status, done_on, reply, created_at, updated_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
const SQL_FOLLOWUP: &str =
    "INSERT INTO followups (id, case_id, kind, on_date, locality, note, created_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
const SQL_DOCUMENT: &str =
    "INSERT INTO documents (id, org_id, case_id, hearing_id, kind, number, num_prefix,
    num_year, num_seq, version, state, text, created_at, updated_at, subject_id, subject_name)
    VALUES (?1, ?2, ?3, ?4, 'announcement', ?5, ?6, ?7, ?8, 1, 'draft', ?9, ?10, ?10, NULL, '')";

/// What was written, for the summary.
#[derive(Default)]
struct Counts {
    cases: u64,
    petitioners: u64,
    hearings: u64,
    participants: u64,
    testimony: u64,
    opinions: u64,
    approvals: u64,
    leaders: u64,
    slips: u64,
    followups: u64,
    documents: u64,
}

struct Gen<'a> {
    conn: &'a Connection,
    seed: u64,
    as_of: NaiveDate,
    orgs: &'a [OrgRow],
    counties: &'a [County],
    persons: &'a [PoolPerson],
    config: JurisdictionConfig,
    counts: Counts,
    /// Announcement numbers per year.
    doc_seq: HashMap<i32, u32>,
}

struct PoolPerson {
    id: String,
    name: String,
    unit: String,
}

fn insert_persons(
    conn: &Connection,
    rng: &mut Rng,
    n: u32,
    orgs: &[OrgRow],
    counties: &mut [County],
) -> Result<Vec<PoolPerson>> {
    let mut out = Vec::with_capacity(n as usize);
    let mut stmt = conn.prepare_cached(SQL_PERSON)?;
    let weights: Vec<(usize, u32)> = counties
        .iter()
        .enumerate()
        .map(|(i, c)| (i, if i == 0 { 40 } else { c.weight }))
        .collect();
    for i in 0..n {
        let county = rng.weighted(&weights);
        let c = &counties[county];
        let kind = rng.weighted(&[
            (PersonKind::PartyDelegate, 15),
            (PersonKind::CongressDeputy, 20),
            (PersonKind::CppccMember, 20),
            (PersonKind::Lawyer, 20),
            (PersonKind::PeopleMediator, 12),
            (PersonKind::Expert, 8),
            (PersonKind::Other, 5),
        ]);
        let name = person_name(rng);
        let (unit, title, level, licence, firm) = match kind {
            PersonKind::Lawyer => {
                let firm = format!("青山{}", rng.pick(pools::LAW_FIRMS));
                // 17 digits, as the store checks: practice kind and region (11501), year of
                // first licence, sex, 0 (full-time), serial.
                let licence = format!(
                    "11501{}{}0{:06}",
                    rng.range(2005, 2022),
                    rng.range(1, 2),
                    rng.range(1, 999_999)
                );
                (
                    firm.clone(),
                    "律师".to_owned(),
                    None,
                    Some(licence),
                    Some(firm),
                )
            }
            PersonKind::PeopleMediator => (
                format!("{}{}人民调解委员会", c.place, rng.pick(pools::TOWNS_URBAN)),
                "调解员".to_owned(),
                Some(PersonLevel::County),
                None,
                None,
            ),
            PersonKind::Expert => (
                format!(
                    "青山{}",
                    rng.pick(&["大学法学院", "市委党校", "医学院附属医院", "司法鉴定中心"])
                ),
                rng.pick(&["教授", "副教授", "主任医师", "研究员"])
                    .to_string(),
                None,
                None,
                None,
            ),
            _ => (
                format!("{}{}", c.place, rng.pick(pools::DELEGATE_UNITS)),
                rng.pick(pools::DELEGATE_TITLES).to_string(),
                Some(if county == 0 {
                    PersonLevel::City
                } else {
                    PersonLevel::County
                }),
                None,
                None,
            ),
        };
        let term = matches!(
            kind,
            PersonKind::PartyDelegate | PersonKind::CongressDeputy | PersonKind::CppccMember
        );
        let (created, ms) = stamp(
            NaiveDate::from_ymd_opt(2021, 1, 4).unwrap_or_default()
                + Duration::days(rng.range(0, 300)),
            office_secs(rng),
        );
        let id = uuid7(ms, rng);
        let active = rng.chance(0.95);
        let year = rng.range(1958, 1990) as i32;
        stmt.execute(params![
            id,
            orgs[c.committee].id,
            name,
            kind.as_str(),
            level.map(|l| l.as_str()),
            unit,
            title,
            Some(mobile(rng)),
            rng.chance(0.8).then(|| id_number(rng, &c.region, year)),
            licence,
            firm,
            rng.pick(pools::EXPERTISE),
            term.then_some("2022-01-01"),
            term.then_some("2027-01-01"),
            active,
            created
        ])
        .context("写入人员库失败")?;
        if active {
            counties[county]
                .pool
                .entry(kind)
                .or_default()
                .push(i as usize);
        }
        out.push(PoolPerson { id, name, unit });
    }
    Ok(out)
}

/// A participant row, kept until its hearing row is written.
struct PartRow {
    id: String,
    seq: i64,
    person_id: Option<String>,
    role: ParticipantRole,
    name: String,
    unit: String,
    invitation: &'static str,
    history: String,
    confidentiality: bool,
    notice: Option<String>,
    method: &'static str,
    signature: &'static str,
    note: &'static str,
    created: String,
    updated: String,
}

/// A participant as inserted, for speakers and opinions.
struct Part {
    id: String,
    role: ParticipantRole,
    name: String,
}

impl<'a> Gen<'a> {
    fn exec(&self, sql: &str, p: &[&dyn rusqlite::ToSql]) -> Result<()> {
        self.conn.prepare_cached(sql)?.execute(p).with_context(|| {
            format!("写入失败：{}", sql.split('(').next().unwrap_or(sql).trim())
        })?;
        Ok(())
    }

    fn case(&mut self, index: usize, plan: &Plan) -> Result<()> {
        let rng = &mut Rng::derive(self.seed, 1, index as u64);
        let (counties, orgs) = (self.counties, self.orgs);
        let county = &counties[plan.county];
        let organ = &orgs[county.organs[plan.organ_slot]];
        let committee = &orgs[county.committee];
        let officer = rng.pick(&county.officials).clone();
        let first = plan
            .petitioners
            .first()
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let orig_year = plan.registered.year() - rng.range(1, 4) as i32;
        let court_kind = match plan.category {
            CaseCategory::Administrative => "行初",
            CaseCategory::Criminal => "刑初",
            CaseCategory::Enforcement => "执",
            _ => "民初",
        };
        let original = format!(
            "（{orig_year}）青{}{court_kind}{}号",
            county.court_code,
            rng.range(12, 3999)
        );
        let ruling_day = NaiveDate::from_ymd_opt(orig_year, 1, 1).unwrap_or_default()
            + Duration::days(rng.range(30, 330));
        let slots = Slots {
            p: first.clone(),
            p2: person_name(rng),
            o: organ.short_name.clone(),
            of: organ.name.clone(),
            c: county.place.clone(),
            d: plan.dispute.name,
            thing: plan.dispute.thing,
            amt: rng.word(pools::AMOUNTS),
            amt2: rng.word(pools::AMOUNTS),
            y: format!("{}年", orig_year + 1),
            ym: zh_month(ruling_day + Duration::days(rng.range(60, 400))),
            date: zh_date(ruling_day),
            off: officer.clone(),
            pn: String::new(),
            town: if county.urban {
                rng.pick(pools::TOWNS_URBAN).to_string()
            } else {
                rng.pick(pools::TOWNS_RURAL).to_string()
            },
            addr: plan
                .petitioners
                .first()
                .map(|p| p.address.clone())
                .unwrap_or_default(),
            age: rng.range(32, 84),
            n: rng.range(2, 9),
            n2: rng.range(1, 4),
            venue: format!("{}{}", organ.short_name, rng.pick(pools::VENUES)),
            public: true,
            rel: rng.word(&["儿子", "女儿", "配偶", "弟弟"]),
        };

        // Title, demands, background, rulings, analysis.
        let who = if plan.petitioners.len() > 3 {
            pools::TITLE_GROUP
                .replace("{n}", &plan.petitioners.len().to_string())
                .replace("{p}", &first)
        } else {
            plan.petitioners
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join("、")
        };
        let title_pool = match plan.category {
            CaseCategory::Civil => pools::TITLES_CIVIL,
            CaseCategory::Administrative => pools::TITLES_ADMINISTRATIVE,
            CaseCategory::Enforcement => pools::TITLES_ENFORCEMENT,
            CaseCategory::Criminal => pools::TITLES_CRIMINAL,
            CaseCategory::Other => pools::TITLES_OTHER,
            _ => pools::TITLES_GENERIC,
        };
        let title = if plan.petitioners.len() > 3 {
            who.replace("{d}", plan.dispute.name)
        } else {
            rng.pick(title_pool)
                .replace("{p}", &who)
                .replace("{d}", plan.dispute.name)
        };
        let demands = slots.compose(rng, pools::DEMANDS, 30, 120);
        let background = slots.compose(rng, pools::BACKGROUND, 60, 220);
        let mut rulings = vec![Ruling {
            organ: organ.name.clone(),
            number: original.clone(),
            date: ymd(ruling_day),
            summary: slots.one(rng, pools::RULING_FIRST),
        }];
        if matches!(
            plan.category,
            CaseCategory::Civil | CaseCategory::Administrative | CaseCategory::Criminal
        ) && rng.chance(0.7)
        {
            let d = ruling_day + Duration::days(rng.range(90, 200));
            rulings.push(Ruling {
                organ: "青山市中级人民法院".to_owned(),
                number: format!("（{}）青01民终{}号", d.year(), rng.range(10, 1999)),
                date: ymd(d),
                summary: slots.one(rng, pools::RULING_APPEAL),
            });
            if rng.chance(0.35) {
                let d = d + Duration::days(rng.range(120, 300));
                rulings.push(Ruling {
                    organ: "自治区高级人民法院".to_owned(),
                    number: format!("（{}）青民申{}号", d.year(), rng.range(10, 2999)),
                    date: ymd(d),
                    summary: slots.one(rng, pools::RULING_RETRIAL),
                });
            }
        }
        let filled = (match plan.status {
            CaseStatus::Registered => rng.range(0, 3),
            CaseStatus::UnderReview => rng.range(3, 8),
            CaseStatus::Resolved | CaseStatus::LegalProcedure | CaseStatus::Withdrawn => {
                rng.range(2, 9)
            }
            _ => {
                if rng.chance(0.95) {
                    9
                } else {
                    rng.range(6, 8)
                }
            }
        }) as usize;
        let mut items: Vec<String> = (0..9)
            .map(|i| {
                if i < filled {
                    slots.compose(rng, pools::ANALYSIS[i], 20, 80)
                } else {
                    String::new()
                }
            })
            .collect();
        // Later items get written first just as often: shuffle which are blank.
        if filled < 9 {
            for i in (1..9).rev() {
                let j = rng.below(i as u64 + 1) as usize;
                items.swap(i, j);
            }
        }
        let analysis = CaseAnalysis {
            historical_facts: items[0].clone(),
            problem_nature: items[1].clone(),
            handling_principle: items[2].clone(),
            petition_demands: items[3].clone(),
            responsible_parties: items[4].clone(),
            social_relations: items[5].clone(),
            crux: items[6].clone(),
            existing_replies: items[7].clone(),
            errors_and_flaws: items[8].clone(),
        };

        let (created, ms) = stamp(plan.registered, office_secs(rng));
        let case_id = uuid7(ms, rng);
        let last_day = [plan.filed_on, plan.served_on, plan.closed_on]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or_else(|| {
                let end = plan.registered + Duration::days(plan.duration);
                if plan.status.is_active() {
                    (plan.registered
                        + Duration::days(
                            ((self.as_of - plan.registered).num_days() as f64 * rng.unit()) as i64,
                        ))
                    .min(self.as_of)
                } else {
                    end.min(self.as_of)
                }
            });
        let (updated, _) = stamp(last_day.max(plan.registered), office_secs(rng));
        let reason = match plan.status {
            CaseStatus::Resolved => pools::REASON_RESOLVED,
            CaseStatus::LegalProcedure => pools::REASON_LEGAL,
            CaseStatus::Withdrawn => pools::REASON_WITHDRAWN,
            CaseStatus::Reopened => pools::REASON_REOPENED,
            _ => "",
        };
        self.exec(
            SQL_CASE,
            params![
                case_id,
                plan.number,
                orgs[plan.owner].id,
                organ.id,
                officer,
                title,
                plan.category.as_str(),
                original,
                serde_json::to_string(&rulings)?,
                demands,
                background,
                analysis.historical_facts,
                analysis.problem_nature,
                analysis.handling_principle,
                analysis.petition_demands,
                analysis.responsible_parties,
                analysis.social_relations,
                analysis.crux,
                analysis.existing_replies,
                analysis.errors_and_flaws,
                analysis.completeness(),
                plan.status.as_str(),
                ymd(plan.registered),
                created,
                updated,
                plan.served_on.map(ymd),
                plan.filed_on.map(ymd),
                plan.closed_on.map(ymd),
                reason
            ],
        )?;
        self.counts.cases += 1;
        for (seq, p) in plan.petitioners.iter().enumerate() {
            self.exec(
                SQL_PETITIONER,
                params![
                    case_id,
                    seq as i64,
                    if p.organisation {
                        "organisation"
                    } else {
                        "person"
                    },
                    p.name,
                    p.id_number,
                    p.phone,
                    p.address,
                    p.credit_code,
                    p.representative
                ],
            )?;
            self.counts.petitioners += 1;
        }

        let active = plan.status.is_active();
        // 领导包案.
        if rng.chance(if active { 0.4 } else { 0.22 }) {
            let day = (plan.registered + Duration::days(rng.range(5, 30))).min(self.as_of);
            let (at, _) = stamp(day, office_secs(rng));
            let confirmed = |rng: &mut Rng| !active || rng.chance(0.5);
            let (ca, cb) = (confirmed(rng), confirmed(rng));
            self.exec(
                SQL_LEADER,
                params![
                    case_id,
                    rng.pick(&county.officials),
                    format!("{}{}", county.place, rng.pick(pools::LEADER_A_TITLES)),
                    person_name(rng),
                    format!("{}{}", organ.short_name, rng.pick(pools::LEADER_B_TITLES)),
                    slots.one(rng, pools::PROBLEM_LISTS),
                    slots.one(rng, pools::RESPONSIBILITY_LISTS),
                    ca,
                    cb,
                    true,
                    true,
                    at,
                    at
                ],
            )?;
            self.counts.leaders += 1;
        }
        // 三单.
        if rng.chance(0.35) {
            let kinds = [SlipKind::Assign, SlipKind::Supervise, SlipKind::Reply];
            for kind in kinds.iter().take(rng.range(1, 3) as usize) {
                let day = plan.registered + Duration::days(rng.range(3, 60));
                if day > self.as_of {
                    break;
                }
                let deadline = day + Duration::days(*rng.pick(&[15, 30]));
                let (at, ms) = stamp(day, office_secs(rng));
                let done = if !active {
                    Some(if rng.chance(0.9) {
                        deadline - Duration::days(rng.range(0, 10))
                    } else {
                        deadline + Duration::days(rng.range(1, 15))
                    })
                } else if deadline < self.as_of && rng.chance(0.6) {
                    Some(deadline - Duration::days(rng.range(0, 10)))
                } else {
                    None
                };
                let done = done.map(|d| d.max(day).min(self.as_of));
                let (updated, _) = stamp(done.unwrap_or(day), office_secs(rng));
                self.exec(
                    SQL_SLIP,
                    params![
                        uuid7(ms, rng),
                        case_id,
                        kind.as_str(),
                        committee.short_name,
                        organ.short_name,
                        slots.one(rng, pools::SLIP_CONTENT),
                        ymd(deadline),
                        if done.is_some() { "done" } else { "open" },
                        done.map(ymd),
                        if done.is_some() {
                            slots.one(rng, pools::SLIP_REPLY)
                        } else {
                            String::new()
                        },
                        at,
                        updated
                    ],
                )?;
                self.counts.slips += 1;
            }
        }
        // Hearings.
        let mut hearing_day = None;
        if let Some(h) = &plan.hearing {
            if h.cancelled_before {
                let on = (h.on - Duration::days(rng.range(10, 30))).max(plan.registered);
                self.hearing(
                    rng,
                    &case_id,
                    plan,
                    &slots,
                    on,
                    HearingStatus::Cancelled,
                    0,
                    0,
                )?;
            }
            self.hearing(
                rng, &case_id, plan, &slots, h.on, h.status, h.panel, h.entries,
            )?;
            hearing_day = Some(h.on);
        }
        // Approvals of a closure (and of one awaiting approval, partly).
        let levels: Vec<_> = self
            .config
            .approval_chain
            .iter()
            .filter(|l| l.required)
            .cloned()
            .collect();
        let approvals = match plan.status {
            CaseStatus::ClosureApproval => rng.range(0, levels.len() as i64 - 1) as usize,
            _ if plan.closed_on.is_some() => levels.len(),
            _ => 0,
        };
        if approvals > 0 {
            let from = hearing_day.unwrap_or(plan.registered) + Duration::days(1);
            let to = plan.closed_on.unwrap_or(self.as_of).max(from);
            let span = (to - from).num_days().max(1);
            for (k, level) in levels.iter().take(approvals).enumerate() {
                let day = from + Duration::days(span * (k as i64 + 1) / (levels.len() as i64 + 1));
                let (at, ms) = stamp(day, office_secs(rng));
                let approver = if k == 0 {
                    officer.clone()
                } else {
                    rng.pick(&county.officials).clone()
                };
                self.exec(
                    SQL_APPROVAL,
                    params![
                        uuid7(ms, rng),
                        case_id,
                        level.key,
                        level.title,
                        approver,
                        "同意依法终结。",
                        ymd(day),
                        at
                    ],
                )?;
                self.counts.approvals += 1;
            }
        }
        // The locality's follow-up after closure.
        if let (Some(closed), true) = (
            plan.closed_on,
            matches!(
                plan.status,
                CaseStatus::Closed | CaseStatus::Served | CaseStatus::Filed
            ),
        ) {
            if rng.chance(0.6) {
                let mut day = closed + Duration::days(rng.range(1, 10));
                for k in 0..rng.range(1, 3) {
                    if day > self.as_of {
                        break;
                    }
                    let kind = if k == 0 {
                        FollowupKind::Handover
                    } else {
                        *rng.pick(&[
                            FollowupKind::Visit,
                            FollowupKind::Visit,
                            FollowupKind::Aid,
                            FollowupKind::Counselling,
                        ])
                    };
                    let (at, ms) = stamp(day, office_secs(rng));
                    self.exec(
                        SQL_FOLLOWUP,
                        params![
                            uuid7(ms, rng),
                            case_id,
                            kind.as_str(),
                            ymd(day),
                            format!("{}{}", county.place, slots.town),
                            slots.one(rng, pools::FOLLOWUP_NOTES),
                            at
                        ],
                    )?;
                    self.counts.followups += 1;
                    day += Duration::days(rng.range(30, 90));
                }
            }
        }
        Ok(())
    }

    /// One hearing with its participants, transcript, opinions and (before it) announcement.
    #[allow(clippy::too_many_arguments)]
    fn hearing(
        &mut self,
        rng: &mut Rng,
        case_id: &str,
        plan: &Plan,
        slots: &Slots,
        on: NaiveDate,
        status: HearingStatus,
        panel: usize,
        entries: u32,
    ) -> Result<()> {
        let (counties, orgs, persons) = (self.counties, self.orgs, self.persons);
        let county = &counties[plan.county];
        let organ = &orgs[county.organs[plan.organ_slot]];
        let held = matches!(
            status,
            HearingStatus::InSession | HearingStatus::Concluded | HearingStatus::TranscriptSigned
        );
        let planned = (plan.registered
            + Duration::days(((on - plan.registered).num_days() / 2).max(0)))
        .min(self.as_of);
        let (created, ms) = stamp(planned, office_secs(rng));
        let hearing_id = uuid7(ms, rng);
        let public = rng.chance(0.7);
        let start = *rng.pick(&["09:00", "09:30", "14:30", "15:00"]);
        let start_secs = start[..2].parse::<i64>().unwrap_or(9) * 3600
            + start[3..].parse::<i64>().unwrap_or(0) * 60;
        let mode = rng.weighted(&[("onSite", 85), ("hybrid", 10), ("video", 5)]);
        let mut slots_here = Slots {
            public,
            ..slots.clone()
        };

        // The people: presider, panel, clerk, the parties and the organ's officer.
        let mut parts: Vec<Part> = Vec::new();
        let mut rows: Vec<(ParticipantRole, Option<String>, String, String)> = Vec::new();
        let presider = rng.pick(&county.officials).clone();
        rows.push((
            ParticipantRole::Presider,
            None,
            presider.clone(),
            orgs[county.committee].short_name.clone(),
        ));
        let mut panel_people: Vec<usize> = Vec::new();
        if panel > 0 && (held || rng.chance(0.5)) {
            let kinds = [
                PersonKind::CongressDeputy,
                PersonKind::CppccMember,
                PersonKind::PartyDelegate,
                PersonKind::Lawyer,
                PersonKind::PeopleMediator,
                PersonKind::Expert,
                PersonKind::Lawyer,
            ];
            for kind in kinds.iter().take(panel) {
                let pool = county
                    .pool
                    .get(kind)
                    .filter(|p| !p.is_empty())
                    .or_else(|| counties[0].pool.get(kind).filter(|p| !p.is_empty()));
                if let Some(pool) = pool {
                    let person = *rng.pick(pool);
                    if !panel_people.contains(&person) {
                        panel_people.push(person);
                    }
                }
            }
            for &i in &panel_people {
                let p = &persons[i];
                rows.push((
                    ParticipantRole::Panelist,
                    Some(p.id.clone()),
                    p.name.clone(),
                    p.unit.clone(),
                ));
            }
        }
        rows.push((
            ParticipantRole::Clerk,
            None,
            rng.pick(&county.officials).clone(),
            orgs[county.committee].short_name.clone(),
        ));
        for p in &plan.petitioners {
            rows.push((
                ParticipantRole::Petitioner,
                None,
                p.name.clone(),
                p.address.clone(),
            ));
        }
        rows.push((
            ParticipantRole::CaseOfficer,
            None,
            slots.off.clone(),
            organ.name.clone(),
        ));
        if rng.chance(0.3) {
            rows.push((
                ParticipantRole::Agent,
                None,
                person_name(rng),
                format!("青山{}", rng.pick(pools::LAW_FIRMS)),
            ));
        }
        if rng.chance(0.05) {
            rows.push((
                ParticipantRole::Witness,
                None,
                person_name(rng),
                slots.town.clone(),
            ));
        }
        slots_here.pn = panel_people
            .first()
            .map(|&i| persons[i].name.clone())
            .unwrap_or_else(|| presider.clone());
        slots_here.n = panel_people.len().max(3) as i64;
        slots_here.venue = slots.venue.clone();

        let signed = status == HearingStatus::TranscriptSigned;
        let (hearing_at, _) = stamp(on, start_secs);
        let mut pending: Vec<PartRow> = Vec::with_capacity(rows.len());
        for (seq, (role, person_id, name, unit)) in rows.into_iter().enumerate() {
            let (p_created, p_ms) = stamp(planned, office_secs(rng));
            let id = uuid7(p_ms, rng);
            let panelist = role == ParticipantRole::Panelist;
            let party = matches!(
                role,
                ParticipantRole::Petitioner | ParticipantRole::Agent | ParticipantRole::ThirdParty
            );
            // Invitations (the panel) and notices (the parties).
            let invitation = if !panelist {
                InvitationStatus::Draft
            } else if held {
                InvitationStatus::Attended
            } else {
                match status {
                    HearingStatus::Notified => InvitationStatus::Accepted,
                    HearingStatus::Cancelled => InvitationStatus::Declined,
                    _ => *rng.pick(&[
                        InvitationStatus::Draft,
                        InvitationStatus::Sent,
                        InvitationStatus::Accepted,
                    ]),
                }
            };
            let chain: &[InvitationStatus] = match invitation {
                InvitationStatus::Attended => &[
                    InvitationStatus::Draft,
                    InvitationStatus::Sent,
                    InvitationStatus::Accepted,
                    InvitationStatus::Attended,
                ],
                InvitationStatus::Accepted => &[
                    InvitationStatus::Draft,
                    InvitationStatus::Sent,
                    InvitationStatus::Accepted,
                ],
                InvitationStatus::Declined => &[
                    InvitationStatus::Draft,
                    InvitationStatus::Sent,
                    InvitationStatus::Declined,
                ],
                InvitationStatus::Sent => &[InvitationStatus::Draft, InvitationStatus::Sent],
                _ => &[InvitationStatus::Draft],
            };
            let history: Vec<serde_json::Value> = chain
                .iter()
                .enumerate()
                .map(|(k, s)| {
                    let day = (planned + Duration::days(k as i64 * 2)).min(on);
                    json!({ "status": s.as_str(), "at": stamp(day, office_secs(rng)).0 })
                })
                .collect();
            let notice = (party
                && (held || matches!(status, HearingStatus::Notified) && rng.chance(0.8)))
            .then(|| on - Duration::days(rng.range(8, 15)));
            let signature = if signed {
                if role == ParticipantRole::Petitioner && rng.chance(0.03) {
                    ("refused", "信访人拒绝签字，主持人已在笔录中注明。")
                } else {
                    ("signed", "")
                }
            } else {
                ("pending", "")
            };
            let method = if notice.is_some() {
                *rng.pick(&["直接送达", "邮寄送达", "电子送达"])
            } else {
                ""
            };
            let updated = if held {
                hearing_at.clone()
            } else {
                p_created.clone()
            };
            pending.push(PartRow {
                id: id.clone(),
                seq: seq as i64 + 1,
                person_id,
                role,
                name: name.clone(),
                unit,
                invitation: invitation.as_str(),
                history: serde_json::Value::Array(history).to_string(),
                confidentiality: panelist && held,
                notice: notice.map(ymd),
                method,
                signature: signature.0,
                note: signature.1,
                created: p_created,
                updated,
            });
            parts.push(Part { id, role, name });
        }

        // The transcript, generated before the hearing row so a signed one carries its hash.
        let trng = &mut Rng::derive(self.seed, 2, ms as u64 ^ u64::from(entries));
        let (entries_rows, last_step) =
            self.transcript(trng, &slots_here, &parts, on, start_secs, entries, status);
        let hash = signed.then(|| {
            let superseded: std::collections::HashSet<&str> = entries_rows
                .iter()
                .filter_map(|e| e.supersedes.as_deref())
                .collect();
            let list: Vec<(String, String, String, String, String)> = entries_rows
                .iter()
                .filter(|e| !superseded.contains(e.id.as_str()))
                .map(|e| {
                    (
                        e.id.clone(),
                        e.step.to_owned(),
                        e.speaker.clone(),
                        e.text.clone(),
                        e.at.clone(),
                    )
                })
                .collect();
            transcript_hash(&list)
        });
        let end_of_day = stamp(on, start_secs + 3 * 3600).0;
        let signed_at = signed.then(|| end_of_day.clone());
        // The panel's opinions and the organ's decision.
        let mut votes: Vec<(String, Vote)> = Vec::new();
        if matches!(
            status,
            HearingStatus::Concluded | HearingStatus::TranscriptSigned
        ) {
            for p in parts.iter().filter(|p| p.role == ParticipantRole::Panelist) {
                let vote =
                    rng.weighted(&[(Vote::Agree, 85), (Vote::Disagree, 10), (Vote::Other, 5)]);
                votes.push((p.id.clone(), vote));
            }
        }
        let agree = votes.iter().filter(|v| v.1 == Vote::Agree).count();
        let (decision, decision_reason) = if signed {
            if agree * 2 > votes.len() {
                (Some("agree"), "")
            } else {
                (
                    Some("agree"),
                    "评议意见仅供参考；经集体研究，原处理结果正确，依法终结，同时加强帮扶。",
                )
            }
        } else {
            (None, "")
        };
        let current_step = if held { last_step as i64 } else { 0 };
        let updated = if held {
            end_of_day.clone()
        } else {
            created.clone()
        };
        self.exec(
            SQL_HEARING,
            params![
                hearing_id,
                case_id,
                orgs[plan.owner].id,
                format!(
                    "{}信访事项听证会",
                    plan.petitioners
                        .first()
                        .map(|p| p.name.as_str())
                        .unwrap_or("")
                ),
                ymd(on),
                start,
                slots.venue,
                mode,
                public,
                if public {
                    ""
                } else {
                    "涉及个人隐私，信访人申请不公开"
                },
                status.as_str(),
                match status {
                    HearingStatus::Cancelled => "信访人因病申请延期，原定听证取消",
                    HearingStatus::Postponed => "听证员因故不能到场，延期举行",
                    _ => "",
                },
                current_step,
                (public && (held || status == HearingStatus::Notified && rng.chance(0.85)))
                    .then(|| ymd(on - Duration::days(rng.range(10, 14)))),
                hash,
                signed_at,
                decision,
                decision_reason,
                created,
                updated
            ],
        )?;
        self.counts.hearings += 1;
        // The people, now that their hearing is there.
        for r in &pending {
            self.exec(
                SQL_PARTICIPANT,
                params![
                    r.id,
                    hearing_id,
                    r.seq,
                    r.person_id,
                    r.role.as_str(),
                    r.name,
                    r.unit,
                    r.invitation,
                    r.history,
                    r.confidentiality,
                    r.notice,
                    r.method,
                    r.signature,
                    r.note,
                    r.created,
                    r.updated
                ],
            )?;
            self.counts.participants += 1;
        }
        for e in &entries_rows {
            self.exec(
                SQL_TESTIMONY,
                params![
                    e.id,
                    hearing_id,
                    e.seq,
                    e.step,
                    e.role.as_str(),
                    e.speaker,
                    e.text,
                    e.supersedes,
                    e.at
                ],
            )?;
        }
        self.counts.testimony += entries_rows.len() as u64;
        for (pid, vote) in votes {
            let (facts, law, reasons) = (
                slots_here.one(rng, pools::OPINION_FACTS),
                slots_here.one(rng, pools::OPINION_LAW),
                slots_here.one(
                    rng,
                    match vote {
                        Vote::Agree => pools::OPINION_AGREE,
                        Vote::Disagree => pools::OPINION_DISAGREE,
                        Vote::Other => pools::OPINION_OTHER,
                    },
                ),
            );
            let (at, o_ms) = stamp(on, start_secs + 2 * 3600 + rng.range(0, 1800));
            self.exec(
                SQL_OPINION,
                params![
                    uuid7(o_ms, rng),
                    hearing_id,
                    pid,
                    facts,
                    law,
                    vote.as_str(),
                    reasons,
                    at
                ],
            )?;
            self.counts.opinions += 1;
        }
        // A draft announcement of a public hearing still to come.
        if public && matches!(status, HearingStatus::Preparing | HearingStatus::Notified) {
            let year = planned.year();
            let seq = {
                let n = self.doc_seq.entry(year).or_insert(0);
                *n += 1;
                *n
            };
            let prefix = self
                .config
                .doc_prefixes
                .iter()
                .find(|p| p.kind == "hearingAnnouncement")
                .map(|p| p.prefix.clone())
                .unwrap_or_else(|| "青政法听告".to_owned());
            let number = format!("{prefix}〔{year}〕{seq}号");
            let text = format!(
                "听证公告\n{number}\n{of}定于{date}{start}在{venue}就{p}反映的{d}信访事项举行公开听证。\
                 听证员由人大代表、政协委员、律师等组成。欢迎社会各界人士报名旁听，\
                 旁听人员须于听证前三日持身份证件到{o}登记。\n特此公告。\n{o}\n{today}",
                of = organ.name,
                date = zh_date(on),
                venue = slots.venue,
                p = slots.p,
                d = slots.d,
                o = organ.short_name,
                today = zh_date(planned),
            );
            let (at, d_ms) = stamp(planned, office_secs(rng));
            self.exec(
                SQL_DOCUMENT,
                params![
                    uuid7(d_ms, rng),
                    orgs[plan.owner].id,
                    case_id,
                    hearing_id,
                    number,
                    prefix,
                    i64::from(year),
                    i64::from(seq),
                    text,
                    at
                ],
            )?;
            self.counts.documents += 1;
        }
        Ok(())
    }

    /// The entries of one hearing: steps in agenda order, speakers by step, 20–200 characters
    /// each, about 1 % corrections of the entry before. Returns them and the last step's index.
    #[allow(clippy::too_many_arguments)]
    fn transcript(
        &self,
        rng: &mut Rng,
        slots: &Slots,
        parts: &[Part],
        on: NaiveDate,
        start_secs: i64,
        entries: u32,
        status: HearingStatus,
    ) -> (Vec<Entry>, usize) {
        let steps = pools::STEPS;
        let total: u32 = steps.iter().map(|s| s.weight).sum();
        // A hearing in session has got part of the way.
        let reach = if status == HearingStatus::InSession {
            0.3 + 0.5 * rng.unit()
        } else {
            1.0
        };
        let who = |role: ParticipantRole| parts.iter().filter(move |p| p.role == role);
        let presider = who(ParticipantRole::Presider)
            .next()
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let panel: Vec<&Part> = who(ParticipantRole::Panelist).collect();
        let petitioners: Vec<&Part> = who(ParticipantRole::Petitioner).collect();
        let officer = who(ParticipantRole::CaseOfficer)
            .next()
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let agent = who(ParticipantRole::Agent).next().map(|p| p.name.clone());
        let mut out: Vec<Entry> = Vec::with_capacity(entries as usize);
        let mut last_step = usize::MAX;
        let mut asked = false;
        for k in 0..entries {
            let pos = reach * f64::from(k) / f64::from(entries.max(1));
            let mut acc = 0u32;
            let mut step_i = steps.len() - 1;
            for (i, s) in steps.iter().enumerate() {
                acc += s.weight;
                if f64::from(acc) / f64::from(total) > pos {
                    step_i = i;
                    break;
                }
            }
            let new_step = step_i != last_step;
            last_step = step_i;
            let step: &StepPools = &steps[step_i];
            // Who speaks: the presider opens a step (and now and then interjects); in the panel's
            // questions a member asks and a party or the organ answers, in turn; otherwise the
            // parties and the organ speak.
            let answers: Vec<(ParticipantRole, &'static [&'static str])> = [
                (ParticipantRole::CaseOfficer, step.officer),
                (ParticipantRole::Petitioner, step.petitioner),
                (ParticipantRole::Agent, step.agent),
            ]
            .into_iter()
            .filter(|(r, pool)| {
                !pool.is_empty() && (*r != ParticipantRole::Agent || agent.is_some())
            })
            .collect();
            let panel_asks = !step.panelist.is_empty() && !panel.is_empty();
            let (role, pool) = if answers.is_empty()
                || (new_step && !step.presider.is_empty())
                || (!panel_asks && !step.presider.is_empty() && rng.chance(0.06))
            {
                asked = false;
                (ParticipantRole::Presider, step.presider)
            } else if panel_asks && !asked {
                asked = true;
                (ParticipantRole::Panelist, step.panelist)
            } else {
                asked = false;
                *rng.pick(&answers)
            };
            let pool = if pool.is_empty() { step.presider } else { pool };
            let speaker = match role {
                ParticipantRole::Presider => presider.clone(),
                ParticipantRole::Panelist => rng.pick(&panel).name.clone(),
                ParticipantRole::Petitioner => petitioners
                    .first()
                    .map(|p| {
                        if petitioners.len() > 1 && rng.chance(0.3) {
                            rng.pick(&petitioners).name.clone()
                        } else {
                            p.name.clone()
                        }
                    })
                    .unwrap_or_default(),
                ParticipantRole::Agent => agent.clone().unwrap_or_default(),
                _ => officer.clone(),
            };
            let (at, ms) = stamp(on, start_secs + i64::from(k) * 20 + rng.range(0, 15));
            // About 1 % are corrections of the entry before: same step and speaker, new text.
            let entry = match out.last() {
                Some(prev) if rng.chance(0.01) => Entry {
                    id: uuid7(ms, rng),
                    seq: i64::from(k) + 1,
                    step: prev.step,
                    role: prev.role,
                    speaker: prev.speaker.clone(),
                    text: format!("更正：{}", slots.compose(rng, prev.pool, 17, 190)),
                    supersedes: Some(prev.id.clone()),
                    at,
                    pool: prev.pool,
                },
                _ => Entry {
                    id: uuid7(ms, rng),
                    seq: i64::from(k) + 1,
                    step: step.key,
                    role,
                    speaker,
                    text: slots.compose(rng, pool, 20, 200),
                    supersedes: None,
                    at,
                    pool,
                },
            };
            out.push(entry);
        }
        (out, last_step.min(steps.len() - 1))
    }
}

struct Entry {
    id: String,
    seq: i64,
    step: &'static str,
    role: ParticipantRole,
    speaker: String,
    text: String,
    supersedes: Option<String>,
    at: String,
    /// The sentences it was made from (a correction takes its words from the same).
    pool: &'static [&'static str],
}

// ---------------------------------------------------------------------------------------------
// The command

/// True when `dir` does not exist or holds nothing.
fn is_empty_dir(dir: &Path) -> Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e).with_context(|| format!("无法读取目录 {}", dir.display())),
    }
}

fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

pub fn run(dir: &Path, args: &BenchDataArgs) -> Result<()> {
    if !is_empty_dir(dir)? {
        bail!(
            "数据目录 {} 不是空的：bench-data 只向空目录写入生成的测试数据，不会与已有数据混在一起。\
             请用 --data-dir 指定一个新的或空的目录",
            dir.display()
        );
    }
    let as_of = NaiveDate::parse_from_str(args.as_of.trim(), "%Y-%m-%d").with_context(|| {
        format!(
            "--as-of “{}”不是有效日期，请按 2026-11-27 的格式填写",
            args.as_of
        )
    })?;
    if args.cases > 5_000_000 || args.testimony > 50_000_000 || args.persons > 1_000_000 {
        bail!("数量过大：--cases 至多 5000000，--testimony 至多 50000000，--persons 至多 1000000");
    }
    if args.persons < 50 && args.cases > 0 {
        bail!("--persons 至少 50（听证员从人员库中选取）");
    }
    let started = Instant::now();
    let mut store = Store::open_dir(dir)?;
    // Leaving WAL mode needs the only connection to the database.
    store.stop_background_checkpoints()?;
    let conn = store.conn();
    println!(
        "生成测试数据：{} 件案件、{} 条笔录、{} 名库内人员，种子 {}，截至 {}，写入 {}",
        args.cases,
        args.testimony,
        args.persons,
        args.seed,
        ymd(as_of),
        store.path().display()
    );
    // Bulk loading: nothing is durable until the end anyway (an interrupted run leaves a
    // directory to delete), so no syncs, the rollback journal in memory instead of the WAL (each
    // page written once) and a large cache. The WAL is back before anything else opens it.
    conn.execute_batch(
        "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;
         PRAGMA temp_store = MEMORY;",
    )?;
    let outcome = generate(conn, args, as_of, started);
    // Back to normal whatever happened: later writes on this desk are recorded again.
    let reset = conn.execute_batch(
        "UPDATE sync_state SET applying = 0; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
    );
    let (counts, plan_secs) = outcome?;
    reset?;
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        bail!("数据库未能恢复 WAL 日志模式（现为 {mode}）");
    }
    let elapsed = secs(started);
    let stamp = json!({
        "format": FORMAT,
        "cases": args.cases,
        "testimony": args.testimony,
        "persons": args.persons,
        "seed": args.seed,
        "asOf": ymd(as_of),
        "schemaVersion": store.schema_version()?,
        "seconds": (elapsed * 10.0).round() / 10.0,
    });
    conn.execute(
        "INSERT INTO desk_meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![STAMP_KEY, stamp.to_string()],
    )?;
    let outbox: i64 =
        conn.query_row("SELECT count(*) FROM change_log WHERE local = 1", [], |r| {
            r.get(0)
        })?;
    let path = store.path().to_owned();
    drop(store);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "完成：用时 {:.1} s（规划 {:.1} s），数据库 {:.2} GB（{}）",
        elapsed,
        plan_secs,
        size as f64 / 1e9,
        path.display()
    );
    println!(
        "  案件 {}，信访人 {}，听证会 {}，参加人员 {}，笔录 {}，评议意见 {}，审批 {}，领导包案 {}，三单 {}，回访 {}，文书 {}；同步待发 {}",
        counts.cases,
        counts.petitioners,
        counts.hearings,
        counts.participants,
        counts.testimony,
        counts.opinions,
        counts.approvals,
        counts.leaders,
        counts.slips,
        counts.followups,
        counts.documents,
        outbox
    );
    Ok(())
}

fn generate(
    conn: &Connection,
    args: &BenchDataArgs,
    as_of: NaiveDate,
    started: Instant,
) -> Result<(Counts, f64)> {
    conn.execute_batch("UPDATE sync_state SET applying = 1;")?;
    let mut rng = Rng::new(args.seed);
    let (created, _) = stamp(
        NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
        9 * 3600,
    );
    let (orgs, mut counties) = build_orgs(&mut rng)?;
    let config = JurisdictionConfig::default();

    conn.execute_batch("BEGIN")?;
    {
        let mut stmt = conn.prepare_cached(SQL_ORG)?;
        for o in &orgs {
            stmt.execute(params![
                o.id,
                o.parent.map(|p| orgs[p].id.clone()),
                o.name,
                o.short_name,
                o.kind.as_str(),
                o.code,
                created
            ])
            .with_context(|| format!("写入单位“{}”失败", o.name))?;
        }
    }
    conn.execute(
        "INSERT OR IGNORE INTO config_versions (version, config, created_at) VALUES (0, ?1, ?2)",
        params![serde_json::to_string(&config)?, created],
    )?;
    conn.execute(
        "INSERT INTO desk_meta (key, value) VALUES ('org_id', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [&orgs[counties[0].committee].id],
    )?;
    let persons = insert_persons(conn, &mut rng, args.persons, &orgs, &mut counties)?;
    conn.execute_batch("COMMIT")?;

    let mut plans = plan_cases(&mut rng, args, as_of, &orgs, &mut counties);
    spread_testimony(&mut rng, &mut plans, args.testimony)?;
    let plan_secs = secs(started);

    let mut g = Gen {
        conn,
        seed: args.seed,
        as_of,
        orgs: &orgs,
        counties: &counties,
        persons: &persons,
        config,
        counts: Counts::default(),
        doc_seq: HashMap::new(),
    };
    let total = plans.len().max(1);
    let batch = 2000;
    let mut last_report = Instant::now();
    for (chunk_i, chunk) in plans.chunks(batch).enumerate() {
        conn.execute_batch("BEGIN")?;
        for (j, plan) in chunk.iter().enumerate() {
            g.case(chunk_i * batch + j, plan)?;
        }
        conn.execute_batch("COMMIT")?;
        let done = (chunk_i * batch + chunk.len()).min(total);
        if last_report.elapsed().as_secs_f64() >= 10.0 || done == plans.len() {
            last_report = Instant::now();
            let t = secs(started);
            println!(
                "  {:>3}%  案件 {}/{}  笔录 {}/{}  {:.0} s",
                done * 100 / total,
                g.counts.cases,
                plans.len(),
                g.counts.testimony,
                args.testimony,
                t
            );
        }
    }
    Ok((g.counts, plan_secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_valid_and_deterministic() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..100 {
            let id = id_number(&mut a, "159902", 1960);
            assert_eq!(id, id_number(&mut b, "159902", 1960));
            let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
            assert!(
                hearing_core::validate::resident_id(&id, today).is_ok(),
                "{id}"
            );
            let c = credit(&mut a, "159902");
            assert!(credit_code(&c).1.is_none(), "{c}");
            let _ = credit(&mut b, "159902");
            let m = mobile(&mut a);
            assert!(hearing_core::validate::phone(&m).is_ok(), "{m}");
            let _ = mobile(&mut b);
        }
    }

    #[test]
    fn texts_stay_within_bounds_and_fill_every_slot() {
        let mut rng = Rng::new(1);
        let s = Slots {
            p: "张桂兰".into(),
            p2: "张桂林".into(),
            o: "东河区法院".into(),
            of: "青山市东河区人民法院".into(),
            c: "东河区".into(),
            d: "民间借贷纠纷",
            thing: "借款",
            amt: "38万元",
            amt2: "12万元",
            y: "2022年".into(),
            ym: "2023年10月".into(),
            date: "2021年9月16日".into(),
            off: "刘建军".into(),
            pn: "李秀英".into(),
            town: "新华街道".into(),
            addr: "青山市东河区新华街道光明路18号".into(),
            age: 66,
            n: 3,
            n2: 2,
            venue: "东河区法院听证室".into(),
            public: true,
            rel: "儿子",
        };
        for step in pools::STEPS {
            for pool in [
                step.presider,
                step.panelist,
                step.officer,
                step.petitioner,
                step.agent,
            ] {
                if pool.is_empty() {
                    continue;
                }
                for _ in 0..50 {
                    let t = s.compose(&mut rng, pool, 20, 200);
                    let n = t.chars().count();
                    assert!((20..=200).contains(&n), "{} chars: {t}", n);
                    assert!(!t.contains('{'), "unfilled slot: {t}");
                }
            }
        }
        for pool in pools::ANALYSIS
            .iter()
            .chain([pools::DEMANDS, pools::BACKGROUND].iter())
        {
            let t = s.compose(&mut rng, pool, 20, 220);
            assert!(!t.contains('{'), "unfilled slot: {t}");
        }
    }

    #[test]
    fn testimony_is_spread_exactly() {
        let mut rng = Rng::new(3);
        let args = BenchDataArgs {
            cases: 500,
            testimony: 12_345,
            seed: 3,
            as_of: "2026-11-27".into(),
            persons: 100,
        };
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let (orgs, mut counties) = build_orgs(&mut rng).unwrap();
        let mut plans = plan_cases(&mut rng, &args, as_of, &orgs, &mut counties);
        spread_testimony(&mut rng, &mut plans, args.testimony).unwrap();
        let sum: u64 = plans
            .iter()
            .filter_map(|p| p.hearing.as_ref())
            .map(|h| u64::from(h.entries))
            .sum();
        assert_eq!(sum, 12_345);
        let active = plans.iter().filter(|p| p.status.is_active()).count();
        assert!(active > 10 && active < 150, "{active} active of 500");
        let numbers: std::collections::HashSet<_> = plans.iter().map(|p| &p.number).collect();
        assert_eq!(numbers.len(), plans.len());
    }
}
