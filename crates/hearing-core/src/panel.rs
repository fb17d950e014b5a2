//! Choosing the panel (听证员): filtering the person pool, finding conflicts of interest (回避),
//! and an auditable random draw that anyone can repeat from the pool and the seed.
//!
//! The draw uses its own SplitMix64 generator and Fisher–Yates shuffle rather than the `rand`
//! crate, so that a recorded (pool, seed) gives the same panel forever, whatever the dependencies.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::person::{PersonKind, PersonLevel};
use crate::rules::{ymd, Refusal};
use crate::validate;

/// One person of the pool who might sit on the panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub person_id: String,
    pub name: String,
    pub kind: PersonKind,
    pub level: Option<PersonLevel>,
    pub unit: String,
    pub active: bool,
    /// YYYY-MM-DD
    pub term_end: Option<String>,
}

/// What a candidate must not be connected with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ConflictContext {
    /// Full and short names of the handling organ.
    pub handling_organ_names: Vec<String>,
    /// Petitioners, agents, the case officer.
    pub case_names: Vec<String>,
    /// (person_id, reason) declared by the person or recorded by the organiser.
    pub declared_conflicts: Vec<(String, String)>,
    /// person_ids who sat on a panel for the same petitioner.
    pub petitioner_prior_panels: Vec<String>,
}

/// Why a candidate cannot sit. `code` is stable for programs: `organStaff`, `caseParty`,
/// `declared`, `priorPanel`, `inactive`, `termEnded`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Conflict {
    pub code: String,
    pub reason: String,
}

fn conflict(code: &str, reason: impl Into<String>) -> Conflict {
    Conflict {
        code: code.to_owned(),
        reason: reason.into(),
    }
}

/// Every conflict of interest of `c` in the case described by `ctx`.
pub fn conflicts(c: &Candidate, ctx: &ConflictContext) -> Vec<Conflict> {
    let mut out = Vec::new();
    let unit = c.unit.trim();
    if let Some(organ) = ctx
        .handling_organ_names
        .iter()
        .map(|n| n.trim())
        .find(|n| !n.is_empty() && unit.contains(n))
    {
        out.push(conflict("organStaff", format!("系承办单位人员（{organ}）")));
    }
    let name = c.name.trim();
    if !name.is_empty() && ctx.case_names.iter().any(|n| n.trim() == name) {
        out.push(conflict("caseParty", "系本案当事人/承办人"));
    }
    for (id, reason) in &ctx.declared_conflicts {
        if *id == c.person_id {
            let reason = reason.trim();
            out.push(conflict(
                "declared",
                if reason.is_empty() {
                    "已声明回避"
                } else {
                    reason
                },
            ));
        }
    }
    if ctx.petitioner_prior_panels.contains(&c.person_id) {
        out.push(conflict("priorPanel", "曾参加同一信访人其他事项的听证"));
    }
    out
}

/// Why a candidate is unavailable on `today`: inactive, or term of service ended before today.
pub fn unavailability(c: &Candidate, today: NaiveDate) -> Vec<Conflict> {
    let mut out = Vec::new();
    if !c.active {
        out.push(conflict("inactive", "已停用"));
    }
    if let Some(end) = c.term_end.as_deref().and_then(validate::date) {
        if end < today {
            out.push(conflict("termEnded", format!("任期已于 {} 届满", ymd(end))));
        }
    }
    out
}

/// Which part of the pool to look at. Empty lists mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PoolFilter {
    pub kinds: Vec<PersonKind>,
    pub levels: Vec<PersonLevel>,
    pub unit_contains: String,
    /// True: unavailable people (inactive, term ended) are left out silently; false: they are
    /// listed among the excluded with the reason. Either way they are never eligible.
    pub only_available: bool,
}

impl PoolFilter {
    fn matches(&self, c: &Candidate) -> bool {
        let unit = self.unit_contains.trim();
        (self.kinds.is_empty() || self.kinds.contains(&c.kind))
            && (self.levels.is_empty() || c.level.is_some_and(|l| self.levels.contains(&l)))
            && (unit.is_empty() || c.unit.contains(unit))
    }
}

/// Splits the candidates matching `filter` into those who may sit and those who may not, each
/// of the latter with every reason (conflicts and unavailability). Candidates that do not match
/// the filter appear in neither list. Order is kept.
pub fn eligible(
    cands: &[Candidate],
    filter: &PoolFilter,
    ctx: &ConflictContext,
    today: NaiveDate,
) -> (Vec<Candidate>, Vec<(Candidate, Vec<Conflict>)>) {
    let mut ok = Vec::new();
    let mut excluded = Vec::new();
    for c in cands.iter().filter(|c| filter.matches(c)) {
        let unavailable = unavailability(c, today);
        if filter.only_available && !unavailable.is_empty() {
            continue;
        }
        let mut reasons = unavailable;
        reasons.extend(conflicts(c, ctx));
        if reasons.is_empty() {
            ok.push(c.clone());
        } else {
            excluded.push((c.clone(), reasons));
        }
    }
    (ok, excluded)
}

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, well-tested, and fixed here for good.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound` (`bound > 0`), by rejection so no value is favoured.
    fn below(&mut self, bound: u64) -> u64 {
        let threshold = bound.wrapping_neg() % bound;
        loop {
            let r = self.next();
            if r >= threshold {
                return r % bound;
            }
        }
    }
}

/// Draws `n` members from `pool` with `seed`. The pool is first sorted by `person_id` (and
/// duplicates of an id dropped), so the order it was listed in does not matter; then a seeded
/// partial Fisher–Yates shuffle picks the members, in the order drawn. The same pool and seed
/// always give the same panel, so the draw can be recorded and repeated by anyone.
pub fn draw(pool: &[Candidate], n: usize, seed: u64) -> Result<Vec<Candidate>, Refusal> {
    let mut sorted: Vec<&Candidate> = pool.iter().collect();
    sorted.sort_by(|a, b| a.person_id.cmp(&b.person_id));
    sorted.dedup_by(|a, b| a.person_id == b.person_id);
    if sorted.len() < n {
        return Err(Refusal::one(format!(
            "可抽取的人员 {} 人，少于需抽取的 {n} 人",
            sorted.len()
        )));
    }
    let mut rng = SplitMix64(seed);
    for i in 0..n {
        let remaining = (sorted.len() - i) as u64;
        // `below(remaining) < remaining`, which fits in usize as `remaining` came from one.
        let j = i + usize::try_from(rng.below(remaining)).unwrap_or(0);
        sorted.swap(i, j);
    }
    Ok(sorted.into_iter().take(n).cloned().collect())
}

/// A seed from text a person can read out and type back: FNV-1a (64-bit) of the trimmed,
/// ASCII-lowercased text.
pub fn seed_from_text(s: &str) -> u64 {
    let normalised = s
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
        .to_ascii_lowercase();
    normalised.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Seed text for a new draw from caller-supplied entropy (the caller owns the randomness):
/// 16 lowercase hex digits.
pub fn new_seed_text(entropy: u64) -> String {
    format!("{entropy:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn cand(id: &str, name: &str, unit: &str) -> Candidate {
        Candidate {
            person_id: id.into(),
            name: name.into(),
            kind: PersonKind::CongressDeputy,
            level: Some(PersonLevel::City),
            unit: unit.into(),
            active: true,
            term_end: None,
        }
    }

    fn ctx() -> ConflictContext {
        ConflictContext {
            handling_organ_names: vec![
                "青山市东河区人民法院".into(),
                "东河法院".into(),
                " ".into(),
            ],
            case_names: vec!["张某".into(), "李明".into()],
            declared_conflicts: vec![("p3".into(), "与信访人系同学".into())],
            petitioner_prior_panels: vec!["p4".into()],
        }
    }

    fn pool(n: usize) -> Vec<Candidate> {
        (0..n)
            .map(|i| cand(&format!("p{i:02}"), &format!("人{i}"), "某公司"))
            .collect()
    }

    #[test]
    fn conflicts_name_every_reason() {
        let c = cand("p1", "李明", "青山市东河区人民法院执行局");
        let found = conflicts(&c, &ctx());
        let codes: Vec<_> = found.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["organStaff", "caseParty"]);
        assert_eq!(found[0].reason, "系承办单位人员（青山市东河区人民法院）");
        assert_eq!(found[1].reason, "系本案当事人/承办人");

        let declared = conflicts(&cand("p3", "王五", "东河法院"), &ctx());
        assert_eq!(declared.len(), 2);
        assert_eq!(declared[1].reason, "与信访人系同学");

        let prior = conflicts(&cand("p4", "赵六", "某律所"), &ctx());
        assert_eq!(prior[0].reason, "曾参加同一信访人其他事项的听证");

        assert!(conflicts(&cand("p5", "钱七", ""), &ctx()).is_empty());
    }

    #[test]
    fn eligible_splits_and_explains() {
        let mut inactive = cand("p6", "孙八", "某大学");
        inactive.active = false;
        let mut ended = cand("p7", "周九", "某大学");
        ended.term_end = Some("2026-01-31".into());
        let mut lawyer = cand("p8", "吴十", "某律师事务所");
        lawyer.kind = PersonKind::Lawyer;
        lawyer.level = None;
        let cands = vec![
            cand("p1", "李明", "东河法院"),
            cand("p2", "郑一", "某大学"),
            inactive,
            ended,
            lawyer,
        ];
        let today = d("2026-03-01");
        let (ok, ex) = eligible(&cands, &PoolFilter::default(), &ctx(), today);
        assert_eq!(
            ok.iter().map(|c| c.person_id.as_str()).collect::<Vec<_>>(),
            ["p2", "p8"]
        );
        let reasons: Vec<_> = ex
            .iter()
            .map(|(c, r)| {
                (
                    c.person_id.as_str(),
                    r.iter().map(|x| x.code.as_str()).collect::<Vec<_>>(),
                )
            })
            .collect();
        assert_eq!(
            reasons,
            [
                ("p1", vec!["organStaff", "caseParty"]),
                ("p6", vec!["inactive"]),
                ("p7", vec!["termEnded"]),
            ]
        );
        assert_eq!(ex[2].1[0].reason, "任期已于 2026-01-31 届满");

        let only = PoolFilter {
            only_available: true,
            ..Default::default()
        };
        let (ok2, ex2) = eligible(&cands, &only, &ctx(), today);
        assert_eq!(ok2, ok);
        assert_eq!(ex2.len(), 1);

        let deputies_at_university = PoolFilter {
            kinds: vec![PersonKind::CongressDeputy],
            levels: vec![PersonLevel::City],
            unit_contains: " 大学 ".into(),
            only_available: false,
        };
        let (ok3, ex3) = eligible(&cands, &deputies_at_university, &ctx(), today);
        assert_eq!(ok3.len(), 1);
        assert_eq!(ex3.len(), 2);
        // A level filter leaves out people without a level.
        let county = PoolFilter {
            levels: vec![PersonLevel::County],
            ..Default::default()
        };
        assert_eq!(eligible(&cands, &county, &ctx(), today), (vec![], vec![]));
    }

    #[test]
    fn term_ending_today_still_counts() {
        let mut c = cand("p1", "甲", "");
        c.term_end = Some("2026-03-01".into());
        assert!(unavailability(&c, d("2026-03-01")).is_empty());
        assert_eq!(unavailability(&c, d("2026-03-02")).len(), 1);
    }

    #[test]
    fn splitmix64_reference_values() {
        // Reference output of SplitMix64 for seed 1234567.
        let mut r = SplitMix64(1_234_567);
        let got: Vec<u64> = (0..5).map(|_| r.next()).collect();
        assert_eq!(
            got,
            [
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423,
                4_593_380_528_125_082_431,
                16_408_922_859_458_223_821,
            ]
        );
    }

    #[test]
    fn draw_is_pinned() {
        // Recorded draws must replay identically in every future version.
        let ids: Vec<_> = draw(&pool(10), 3, seed_from_text("0123456789abcdef"))
            .unwrap()
            .into_iter()
            .map(|c| c.person_id)
            .collect();
        assert_eq!(ids, PINNED);
    }

    // Computed independently (a Python reimplementation) when the algorithm was fixed.
    const PINNED: [&str; 3] = ["p06", "p09", "p04"];

    #[test]
    fn draw_refuses_small_pool() {
        let r = draw(&pool(2), 3, 1).unwrap_err();
        assert_eq!(r.unmet, ["可抽取的人员 2 人，少于需抽取的 3 人"]);
        // Duplicate entries of one person count once.
        let mut dup = pool(2);
        dup.push(dup[0].clone());
        assert!(draw(&dup, 3, 1).is_err());
        assert_eq!(draw(&pool(0), 0, 1).unwrap(), vec![]);
    }

    #[test]
    fn different_seeds_usually_differ() {
        let p = pool(30);
        let panels: std::collections::HashSet<Vec<String>> = (0..20u64)
            .map(|s| {
                draw(&p, 5, s)
                    .unwrap()
                    .into_iter()
                    .map(|c| c.person_id)
                    .collect()
            })
            .collect();
        assert!(panels.len() >= 19);
    }

    #[test]
    fn seeds_from_text() {
        assert_eq!(seed_from_text(""), 0xcbf2_9ce4_8422_2325);
        // FNV-1a 64 reference value.
        assert_eq!(seed_from_text("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(seed_from_text(" ABCdef\u{3000}"), seed_from_text("abcdef"));
        assert_ne!(seed_from_text("听证2026"), seed_from_text("听证2027"));
        assert_eq!(new_seed_text(255), "00000000000000ff");
        assert_eq!(new_seed_text(u64::MAX), "ffffffffffffffff");
    }

    proptest! {
        #[test]
        fn draw_is_order_free_unique_and_from_the_pool(
            size in 0usize..25,
            n in 0usize..25,
            seed in any::<u64>(),
            order in any::<u64>(),
        ) {
            let p = pool(size);
            let mut shuffled = p.clone();
            // Another listing order of the same pool.
            let mut rng = SplitMix64(order);
            for i in (1..shuffled.len()).rev() {
                let j = rng.below(i as u64 + 1) as usize;
                shuffled.swap(i, j);
            }
            match draw(&p, n, seed) {
                Ok(panel) => {
                    prop_assert!(n <= size);
                    prop_assert_eq!(panel.len(), n);
                    prop_assert_eq!(&draw(&shuffled, n, seed).unwrap(), &panel);
                    let ids: std::collections::HashSet<_> = panel.iter().map(|c| &c.person_id).collect();
                    prop_assert_eq!(ids.len(), n);
                    prop_assert!(panel.iter().all(|c| p.contains(c)));
                }
                Err(_) => prop_assert!(n > size),
            }
        }
    }
}
