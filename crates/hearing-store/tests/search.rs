//! Full-text search over the demo city: terms of one, two and more characters, testimony,
//! opinions, petitioners, filters, literal user text, the index following changes (also plain
//! SQL, as sync writes), the upgrade from schema 7 and masking.

mod common;

use std::collections::{BTreeSet, HashSet};

use common::{hearing_in_session, no_input, setup};
use hearing_core::deliberation::Vote;
use hearing_core::hearing::{HearingAction, InvitationStatus, ParticipantRole};
use hearing_core::testimony::TestimonyInput;
use hearing_core::{Case, CaseInput, CaseStatus, OpinionInput, PetitionerInput};
use hearing_docs::DocKind;
use hearing_store::search::{SearchHit, SearchKind, SearchQuery, SearchResults};
use hearing_store::ErrorCode;
use hearing_store::{cases, orgs, Store};
use rusqlite::Connection;

fn demo() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("dir");
    let mut s = Store::open_dir(dir.path()).expect("open");
    s.load_demo().expect("demo");
    (dir, s)
}

fn q(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.into(),
        limit: 100,
        ..Default::default()
    }
}

fn find(s: &Store, query: &SearchQuery) -> SearchResults {
    s.search(query)
        .unwrap_or_else(|e| panic!("search {:?}: {e}", query.text))
}

fn hits_of(r: &SearchResults, kind: SearchKind) -> Vec<&SearchHit> {
    r.items.iter().filter(|h| h.kind == kind).collect()
}

fn hit_text(segs: &[hearing_store::search::SearchSegment]) -> String {
    segs.iter()
        .filter(|s| s.hit)
        .map(|s| s.text.as_str())
        .collect()
}

fn shown(segs: &[hearing_store::search::SearchSegment]) -> String {
    segs.iter().map(|s| s.text.as_str()).collect()
}

/// Case ids whose indexed text contains `needle`, found with LIKE over the tables themselves.
fn cases_containing(conn: &Connection, needle: &str) -> BTreeSet<String> {
    let mut stmt = conn
        .prepare(
            "SELECT id FROM cases WHERE instr(number || '|' || original_case_number || '|' || title
                 || '|' || demands || '|' || background || '|' || historical_facts || '|'
                 || problem_nature || '|' || handling_principle || '|' || petition_demands || '|'
                 || responsible_parties || '|' || social_relations || '|' || crux || '|'
                 || existing_replies || '|' || errors_and_flaws, ?1) > 0",
        )
        .expect("prepare");
    let rows = stmt
        .query_map([needle], |r| r.get::<_, String>(0))
        .expect("query");
    rows.collect::<rusqlite::Result<_>>().expect("rows")
}

fn case_ids(r: &SearchResults) -> BTreeSet<String> {
    hits_of(r, SearchKind::Case)
        .iter()
        .map(|h| h.case_id.clone())
        .collect()
}

fn input_of(c: &Case) -> CaseInput {
    CaseInput {
        number: c.number.clone(),
        handling_organ_id: c.handling_organ_id.clone(),
        case_officer: c.case_officer.clone(),
        title: c.title.clone(),
        category: Some(c.category),
        petitioners: c
            .petitioners
            .iter()
            .map(|p| PetitionerInput {
                kind: p.kind,
                name: p.name.clone(),
                id_number: p.id_number.clone().unwrap_or_default(),
                phone: p.phone.clone().unwrap_or_default(),
                address: p.address.clone(),
                credit_code: p.credit_code.clone().unwrap_or_default(),
                representative: p.representative.clone(),
            })
            .collect(),
        original_case_number: c.original_case_number.clone(),
        rulings: c.rulings.clone(),
        demands: c.demands.clone(),
        background: c.background.clone(),
        registered_on: c.registered_on.clone(),
    }
}

fn case_by_title(s: &Store, part: &str) -> Case {
    let id: String = s
        .conn()
        .query_row(
            "SELECT id FROM cases WHERE instr(title, ?1) > 0",
            [part],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("no case titled …{part}…: {e}"));
    cases::get(s.conn(), &id).expect("case")
}

#[test]
fn a_two_character_query_finds_exactly_the_cases_that_contain_it() {
    let (_dir, s) = demo();
    let r = find(&s, &q("借贷"));
    let expected = cases_containing(s.conn(), "借贷");
    assert!(
        expected.len() >= 2,
        "the demo has several 借贷 cases: {expected:?}"
    );
    assert_eq!(case_ids(&r), expected);
    // The two 民间借贷 cases by title, with the match marked in the headline.
    for title in ["张桂兰不服民间借贷纠纷", "侯玉珍申请执行民间借贷纠纷"] {
        let h = hits_of(&r, SearchKind::Case)
            .into_iter()
            .find(|h| h.case_title.contains(title))
            .unwrap_or_else(|| panic!("{title} not found"));
        assert_eq!(hit_text(&h.title), "借贷");
        assert!(h.case_status.is_some());
        assert!(!h.case_number.is_empty());
    }
    // A title match ranks above a match in the body only.
    let first_body_only = r
        .items
        .iter()
        .position(|h| h.kind == SearchKind::Case && !h.case_title.contains("借贷"));
    let last_title = r
        .items
        .iter()
        .rposition(|h| h.kind == SearchKind::Case && h.case_title.contains("借贷"));
    if let (Some(b), Some(t)) = (first_body_only, last_title) {
        assert!(t < b, "title hits first: {t} vs {b}");
    }
    // One character: a prefix in the same index, a superset.
    let one = find(&s, &q("贷"));
    assert!(case_ids(&one).is_superset(&expected));
    assert_eq!(case_ids(&one), cases_containing(s.conn(), "贷"));
}

#[test]
fn a_longer_query_matches_exactly_where_the_term_occurs() {
    let (_dir, s) = demo();
    let r = find(&s, &q("民间借贷纠纷"));
    assert_eq!(case_ids(&r), cases_containing(s.conn(), "民间借贷纠纷"));
    assert!(!case_ids(&r).is_empty());
    // Several terms: all must occur, short and long alike.
    let both = find(&s, &q("借贷 执行不能"));
    let expected: BTreeSet<String> = cases_containing(s.conn(), "借贷")
        .intersection(&cases_containing(s.conn(), "执行不能"))
        .cloned()
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(case_ids(&both), expected);
}

#[test]
fn a_headline_match_ranks_above_body_matches() {
    let (_dir, mut s) = demo();
    let organ = s.desk_org_id().ok().flatten().unwrap_or_default();
    let mut make = |title: &str, background: &str| {
        s.create_case(&CaseInput {
            number: String::new(),
            handling_organ_id: organ.clone(),
            case_officer: "李承办".into(),
            title: title.into(),
            category: Some(hearing_core::CaseCategory::Civil),
            petitioners: vec![PetitionerInput {
                kind: hearing_core::PetitionerKind::Person,
                name: "丙某".into(),
                id_number: String::new(),
                phone: String::new(),
                address: "青山市".into(),
                credit_code: String::new(),
                representative: String::new(),
            }],
            original_case_number: String::new(),
            rulings: vec![],
            demands: "撤销原判".into(),
            background: background.into(),
            registered_on: String::new(),
        })
        .expect("case")
    };
    let body = make(
        "甲某不服房屋租赁合同纠纷判决信访案",
        "信访人称笔迹鉴定意见书有误；笔迹鉴定意见书未经质证；要求重新作出笔迹鉴定意见书；笔迹鉴定意见书送达程序违法。",
    );
    let head = make("乙某不服笔迹鉴定意见书信访案", "信访人对一审判决不服。");
    let r = find(&s, &q("笔迹鉴定意见书"));
    let order: Vec<&str> = r.items.iter().map(|h| h.case_id.as_str()).collect();
    assert_eq!(order, vec![head.id.as_str(), body.id.as_str()]);
    // The same through the short index (where a demo case matches too).
    let r = find(&s, &q("笔迹"));
    let order: Vec<&str> = r
        .items
        .iter()
        .map(|h| h.case_id.as_str())
        .filter(|id| *id == head.id || *id == body.id)
        .collect();
    assert_eq!(order, vec![head.id.as_str(), body.id.as_str()]);
}

#[test]
fn many_matches_come_headline_first_then_newest_and_counting_stops() {
    use hearing_store::search::{search_limited, Limits, SearchRanking};
    let (_dir, s) = demo();
    // In 19 headlines (case titles) and in the body only of 6 more records.
    let text = "判决";
    let all = find(&s, &q(text));
    assert_eq!(all.ranking, SearchRanking::Relevance);
    assert!(!all.total_capped);
    assert!(all.items.windows(2).all(|w| w[0].score >= w[1].score));
    let n = all.total as usize;
    let pages = |lim: Limits| -> (Vec<SearchHit>, SearchResults) {
        let mut page = q(text);
        page.limit = 7;
        let mut seen = Vec::new();
        loop {
            let r = search_limited(s.conn(), &page, lim).expect("search");
            assert_eq!(r.ranking, SearchRanking::Recency);
            if r.items.is_empty() {
                return (seen, r);
            }
            seen.extend(r.items);
            page.offset += 7;
        }
    };
    // Room to score only 5: every match still comes, once, headline matches first, each tier
    // newest first.
    let (seen, last) = pages(Limits {
        rank_all: 5,
        count_cap: 10_000,
    });
    assert_eq!((last.total as usize, last.total_capped), (n, false));
    assert_eq!(seen.len(), n);
    let ids: HashSet<(SearchKind, &String)> = seen.iter().map(|h| (h.kind, &h.id)).collect();
    assert_eq!(ids.len(), n, "no hit twice");
    let expected: HashSet<(SearchKind, &String)> =
        all.items.iter().map(|h| (h.kind, &h.id)).collect();
    assert_eq!(ids, expected, "the same records as when all are scored");
    let in_head = |h: &SearchHit| h.title.iter().any(|s| s.hit);
    let first_body = seen.iter().position(|h| !in_head(h)).unwrap_or(n);
    assert!(
        first_body > 0 && first_body < n,
        "both tiers: {first_body} of {n}"
    );
    assert!(seen[first_body..].iter().all(|h| !in_head(h)));
    let rowid = |h: &SearchHit| -> i64 {
        s.conn()
            .query_row(
                "SELECT id FROM search_docs WHERE kind = ?1 AND ref = ?2",
                [h.kind.key(), h.id.as_str()],
                |r| r.get(0),
            )
            .expect("rowid")
    };
    for tier in [&seen[..first_body], &seen[first_body..]] {
        let ids: Vec<i64> = tier.iter().map(rowid).collect();
        assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    }
    // Counting stops at the cap, and paging with it.
    let (seen, last) = pages(Limits {
        rank_all: 5,
        count_cap: 12,
    });
    assert_eq!((last.total, last.total_capped), (12, true));
    assert_eq!(seen.len(), 12);
}

#[test]
fn closed_cases_stay_searchable_and_say_so() {
    let (_dir, s) = demo();
    let closed: Vec<(String, String)> = {
        let mut stmt = s
            .conn()
            .prepare("SELECT id, title FROM cases WHERE status = 'closed'")
            .expect("prepare");
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query");
        rows.collect::<rusqlite::Result<_>>().expect("rows")
    };
    assert!(!closed.is_empty(), "the demo has closed cases");
    for (id, title) in closed {
        let r = find(&s, &q(&title));
        let h = r
            .items
            .iter()
            .find(|h| h.kind == SearchKind::Case && h.case_id == id)
            .unwrap_or_else(|| panic!("closed case {title} not found"));
        assert_eq!(h.case_status, Some(CaseStatus::Closed));
        assert_eq!(r.items[0].case_id, id, "its own title ranks first");
    }
}

#[test]
fn petitioners_are_found_by_name_with_their_id_number_masked() {
    let (_dir, s) = demo();
    for name in ["乌兰其其格", "蓝洁"] {
        let r = find(&s, &q(name));
        let p = hits_of(&r, SearchKind::Petitioner);
        let h = p
            .iter()
            .find(|h| shown(&h.title) == name)
            .unwrap_or_else(|| panic!("petitioner {name} not found in {:?}", r.items));
        assert_eq!(hit_text(&h.title), name);
        let masked = h.masked_id.clone().unwrap_or_default();
        assert!(masked.contains("********"), "{masked}");
        let full: String = s
            .conn()
            .query_row(
                "SELECT id_number FROM petitioners WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .expect("id");
        let json = serde_json::to_string(&r).expect("json");
        assert!(!json.contains(&full), "full ID number in the results");
    }
}

#[test]
fn an_id_number_query_finds_the_petitioner_but_never_shows_the_number() {
    let (_dir, mut s, case_id) = setup();
    let full = "11010519491231002X";
    // The number is in free text too: a clerk typed it into the record.
    let d = hearing_in_session(&mut s, &case_id);
    s.add_testimony(
        &d.hearing.id,
        &TestimonyInput {
            step_key: "petitionerStatement".into(),
            speaker_role: ParticipantRole::Petitioner,
            speaker_name: "测试人甲".into(),
            text: format!("我的身份证号是{full}，电话13812345678，请核对"),
        },
    )
    .expect("entry");
    let r = find(&s, &q(full));
    let first = &r.items[0];
    assert_eq!(first.kind, SearchKind::Petitioner, "the exact match first");
    assert_eq!(first.case_id, case_id);
    assert_eq!(first.masked_id.as_deref(), Some("110105********002X"));
    let t = hits_of(&r, SearchKind::Testimony);
    assert_eq!(t.len(), 1, "the entry holding the number");
    let snippet = shown(&t[0].snippet);
    assert!(snippet.contains("110105********002X"), "{snippet}");
    assert!(snippet.contains("138****5678"), "{snippet}");
    let json = serde_json::to_string(&r).expect("json");
    assert!(
        !json.contains(full) && !json.contains("13812345678"),
        "{json}"
    );
    // Lowercase x and spaces are the same number.
    let r2 = find(&s, &q("11010519491231002x"));
    assert_eq!(r2.items[0].kind, SearchKind::Petitioner);
    // A word of the entry finds it, masked as well.
    let r3 = find(&s, &q("请核对"));
    let json = serde_json::to_string(&r3).expect("json");
    assert_eq!(hits_of(&r3, SearchKind::Testimony).len(), 1);
    assert!(!json.contains(full), "{json}");
}

/// A hearing of the case in session, its panel and petitioner present, at the step where
/// testimony is recorded: its id.
fn recording(s: &mut Store, case_id: &str) -> String {
    let d = hearing_in_session(s, case_id);
    for p in d.participants.iter().filter(|p| {
        matches!(
            p.role,
            ParticipantRole::Panelist | ParticipantRole::Petitioner
        )
    }) {
        s.set_invitation(&p.id, InvitationStatus::Attended)
            .expect("attended");
    }
    s.set_current_step(&d.hearing.id, 5).expect("step");
    d.hearing.id
}

#[test]
fn testimony_opinions_and_documents_of_a_hearing_are_found() {
    let (_dir, mut s, case_id) = setup();
    let hid = recording(&mut s, &case_id);
    let e = s
        .add_testimony(
            &hid,
            &TestimonyInput {
                step_key: "petitionerStatement".into(),
                speaker_role: ParticipantRole::Petitioner,
                speaker_name: "测试人甲".into(),
                text: "临时草稿甲乙".into(),
            },
        )
        .expect("entry");
    // Typed on: the index follows the entry as it grows.
    s.update_testimony(&e.id, "借条上的签名是我本人在二〇一九年写的")
        .expect("typed");

    let r = find(&s, &q("签名是我本人"));
    let t = hits_of(&r, SearchKind::Testimony);
    assert_eq!(t.len(), 1, "{:?}", r.items);
    assert_eq!(t[0].id, e.id);
    assert_eq!(t[0].case_id, case_id);
    assert_eq!(t[0].hearing_id.as_deref(), Some(hid.as_str()));
    assert_eq!(t[0].speaker_role, Some(ParticipantRole::Petitioner));
    assert_eq!(hit_text(&t[0].snippet), "签名是我本人");
    assert!(t[0].title.iter().any(|s| s.text.contains("测试人甲")));
    assert_eq!(
        t[0].case_status,
        Some(cases::get(s.conn(), &case_id).expect("case").status),
        "the case's state"
    );
    // The earlier text is gone from the index.
    assert!(hits_of(&find(&s, &q("临时草稿")), SearchKind::Testimony).is_empty());

    // A correction: both entries are on record and both are found; the old one says so.
    let fix = s
        .correct_testimony(&e.id, "借条上的签名是我本人在二〇二〇年写的")
        .expect("correction");
    let r = find(&s, &q("签名是我本人"));
    let t = hits_of(&r, SearchKind::Testimony);
    assert_eq!(t.len(), 2);
    let old = t.iter().find(|h| h.id == e.id).expect("old entry");
    assert!(old.corrected);
    assert!(t.iter().any(|h| h.id == fix.id && !h.corrected));
    // Two characters of it.
    let r = find(&s, &q("借条"));
    assert_eq!(hits_of(&r, SearchKind::Testimony).len(), 2);

    // Opinions.
    s.hearing_action(&hid, HearingAction::StartDeliberation, &no_input())
        .expect("deliberate");
    let d = hearing_store::hearings::detail(s.conn(), &hid).expect("detail");
    let panel: Vec<_> = d
        .participants
        .iter()
        .filter(|p| p.role == ParticipantRole::Panelist)
        .collect();
    for (i, p) in panel.iter().enumerate() {
        s.save_opinion(
            &p.id,
            &OpinionInput {
                facts: "事实清楚".into(),
                law: "适用法律正确".into(),
                vote: Some(if i == 0 { Vote::Disagree } else { Vote::Agree }),
                reasons: if i == 0 {
                    "笔迹鉴定意见存疑，建议补充调查".into()
                } else {
                    "理由充分".into()
                },
            },
        )
        .expect("opinion");
    }
    let r = find(&s, &q("笔迹鉴定"));
    let o = hits_of(&r, SearchKind::Opinion);
    assert_eq!(o.len(), 1, "{:?}", r.items);
    assert_eq!(o[0].vote, Some(Vote::Disagree));
    assert_eq!(o[0].field, "reasons");
    assert!(shown(&o[0].title).contains(&panel[0].name));
    assert_eq!(hit_text(&o[0].snippet), "笔迹鉴定");
    // Only opinions: the testimony with the same words is left out.
    let mut only = q("事实清楚");
    only.kinds = vec![SearchKind::Opinion];
    let r = find(&s, &only);
    assert_eq!(r.total as usize, panel.len());
    assert!(r.items.iter().all(|h| h.kind == SearchKind::Opinion));

    // Documents: the transcript holds the testimony.
    let doc = s
        .generate_document(DocKind::Transcript, &case_id, Some(&hid), None)
        .expect("transcript");
    let mut docs = q("签名是我本人");
    docs.kinds = vec![SearchKind::Document];
    let r = find(&s, &docs);
    assert_eq!(r.total, 1);
    assert_eq!(r.items[0].id, doc.id);
    assert_eq!(r.items[0].doc_kind.as_deref(), Some("transcript"));
    assert_eq!(r.items[0].doc_kind_label.as_deref(), Some("听证笔录"));
    assert_eq!(hit_text(&r.items[0].snippet), "签名是我本人");
}

#[test]
fn filters_narrow_by_org_subtree_state_organ_date_and_kind() {
    let (_dir, s) = demo();
    let all = find(&s, &q("信访案"));
    assert!(all.total > 20, "{}", all.total);
    let org_by_code = |code: &str| {
        orgs::list(s.conn())
            .expect("orgs")
            .into_iter()
            .find(|o| o.code == code)
            .unwrap_or_else(|| panic!("org {code}"))
    };

    // The 东河区 subtree: the committee and the organs under it.
    let dhq = org_by_code("DHQ");
    let subtree: HashSet<String> = orgs::list(s.conn())
        .expect("orgs")
        .into_iter()
        .filter(|o| o.id == dhq.id || o.parent_id.as_deref() == Some(dhq.id.as_str()))
        .map(|o| o.id)
        .collect();
    let mut f = q("信访案");
    f.org_id = Some(dhq.id.clone());
    let r = find(&s, &f);
    assert!(
        r.total > 0 && r.total < all.total,
        "{} of {}",
        r.total,
        all.total
    );
    let in_subtree = |case_id: &str| {
        let c = cases::get(s.conn(), case_id).expect("case");
        subtree.contains(&c.org_id) || subtree.contains(&c.handling_organ_id)
    };
    assert!(r.items.iter().all(|h| in_subtree(&h.case_id)));
    let outside = all.items.iter().filter(|h| !in_subtree(&h.case_id)).count();
    assert_eq!(
        r.total as usize + outside,
        all.total as usize,
        "exactly the hits outside are gone"
    );
    // The whole tree filters nothing.
    let mut root = q("信访案");
    root.org_id = Some(org_by_code("QSS").id);
    assert_eq!(find(&s, &root).total, all.total);

    // State.
    let mut closed = q("信访案");
    closed.statuses = vec![CaseStatus::Closed];
    let r = find(&s, &closed);
    assert!(r.total > 0);
    assert!(r
        .items
        .iter()
        .all(|h| h.case_status == Some(CaseStatus::Closed)));
    let closed_in_all = all
        .items
        .iter()
        .filter(|h| h.case_status == Some(CaseStatus::Closed))
        .count();
    assert_eq!(r.total as usize, closed_in_all);
    let mut two = closed.clone();
    two.statuses.push(CaseStatus::Registered);
    assert!(find(&s, &two).total > r.total, "states are alternatives");

    // Handling organ.
    let court = org_by_code("DHQFY");
    let mut organ = q("信访案");
    organ.handling_organ_id = Some(court.id.clone());
    let r = find(&s, &organ);
    assert!(r.total > 0);
    for h in &r.items {
        let c = cases::get(s.conn(), &h.case_id).expect("case");
        assert_eq!(c.handling_organ_id, court.id);
    }

    // Registration dates: a range inside the demo's, checked against each hit's case.
    let mut dates: Vec<String> = all.items.iter().map(|h| h.registered_on.clone()).collect();
    dates.sort();
    let (from, to) = (
        dates[dates.len() / 4].clone(),
        dates[dates.len() * 3 / 4].clone(),
    );
    let mut ranged = q("信访案");
    ranged.registered_from = Some(from.clone());
    ranged.registered_to = Some(to.clone());
    let r = find(&s, &ranged);
    let expected = all
        .items
        .iter()
        .filter(|h| h.registered_on >= from && h.registered_on <= to)
        .count();
    assert_eq!(r.total as usize, expected, "{from}..{to}");
    assert!(r.total < all.total);
    assert!(r
        .items
        .iter()
        .all(|h| h.registered_on >= from && h.registered_on <= to));
    let mut after = q("信访案");
    after.registered_from = Some(to.clone());
    assert_eq!(
        find(&s, &after).total as usize,
        all.items.iter().filter(|h| h.registered_on >= to).count()
    );

    // Kinds.
    let mut kinds = q("信访案");
    kinds.kinds = vec![SearchKind::Case];
    let r = find(&s, &kinds);
    assert!(r.items.iter().all(|h| h.kind == SearchKind::Case));
    assert_eq!(r.total as usize, hits_of(&all, SearchKind::Case).len());

    // Filters on the short path too.
    let mut short = q("借贷");
    short.statuses = vec![CaseStatus::Closed];
    let r = find(&s, &short);
    assert!(r
        .items
        .iter()
        .all(|h| h.case_status == Some(CaseStatus::Closed)));
    let unfiltered = find(&s, &q("借贷"));
    assert_eq!(
        r.total as usize,
        unfiltered
            .items
            .iter()
            .filter(|h| h.case_status == Some(CaseStatus::Closed))
            .count()
    );

    // An org moved in the tree (as sync may do, with plain SQL): the subtree filter follows.
    let xlx = org_by_code("XLX");
    let mut west = q("信访案");
    west.org_id = Some(xlx.id.clone());
    let (east_n, west_n) = (find(&s, &f).total, find(&s, &west).total);
    assert!(west_n > 0);
    s.conn()
        .execute(
            "UPDATE orgs SET parent_id = ?1 WHERE id = ?2",
            [&dhq.id, &xlx.id],
        )
        .expect("move");
    assert_eq!(find(&s, &f).total, east_n + west_n);
    assert_eq!(find(&s, &west).total, west_n);

    // Bad filters are refused in Chinese.
    let mut bad = q("信访案");
    bad.registered_from = Some("去年".into());
    let err = s.search(&bad).expect_err("bad date");
    assert_eq!(err.code(), ErrorCode::Validation);
    assert!(err.to_string().contains("登记日期"), "{err}");
    let mut backwards = q("信访案");
    backwards.registered_from = Some("2026-01-02".into());
    backwards.registered_to = Some("2025-01-02".into());
    assert!(s.search(&backwards).is_err());
}

#[test]
fn query_syntax_in_user_text_is_taken_literally() {
    let (_dir, s) = demo();
    let number: String = s
        .conn()
        .query_row(
            "SELECT number FROM cases ORDER BY number LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("number");
    assert!(number.contains('-'), "{number}");
    let r = find(&s, &q(&number));
    assert_eq!(r.items[0].kind, SearchKind::Case);
    assert_eq!(r.items[0].case_number, number);
    assert_eq!(hit_text(&r.items[0].snippet), number);
    assert!(find(&s, &q("民间借贷")).total > 0);
    // As FTS5 syntax each would match (OR, prefix, NOT, column filter, NEAR); as text nothing.
    for text in [
        "民间借贷 OR 纠纷",
        "借贷*",
        "民间借贷 NOT 张桂兰",
        "title:借贷",
        "NEAR(民间 借贷)",
        "\"民间借贷\"",
        "{head}:借贷",
        "借贷^",
    ] {
        let r = s.search(&q(text)).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(r.total, 0, "{text} matched {:?}", r.items.first());
    }
    for text in ["\"", "*", "OR", "-", "(", "''", "a\"b", "AND", "^"] {
        assert!(s.search(&q(text)).is_ok(), "{text}");
    }
}

#[test]
fn a_term_matches_only_where_it_occurs_whole_quotes_and_spaces_included() {
    let (_dir, mut s, case_id) = setup();
    let hid = recording(&mut s, &case_id);
    let mut say = |text: &str| {
        s.add_testimony(
            &hid,
            &TestimonyInput {
                step_key: "petitionerStatement".into(),
                speaker_role: ParticipantRole::Petitioner,
                speaker_name: "测试人甲".into(),
                text: text.into(),
            },
        )
        .expect("entry")
        .id
    };
    // Every bigram of 征收补偿 occurs here, but never the four characters in a row.
    let scattered = say("先征收了，后收补了，再补偿了");
    let whole = say("按征收补偿标准执行");
    let quoted = say("合同\"第3条\"约定 张三 在场，ABC公司见证");
    let found = |text: &str| -> BTreeSet<String> {
        hits_of(&find(&s, &q(text)), SearchKind::Testimony)
            .into_iter()
            .map(|h| h.id.clone())
            .collect()
    };
    assert_eq!(found("征收补偿"), BTreeSet::from([whole.clone()]));
    assert_eq!(found("收补"), BTreeSet::from([scattered, whole]));
    // ASCII quotes are characters of the text: found with them, and around them.
    for text in ["\"第3条\"", "条\"约", "第3条", "\"第"] {
        assert_eq!(found(text), BTreeSet::from([quoted.clone()]), "{text}");
    }
    // A space in the text is a character too: 张三 and 在场 are there, 三在 is not.
    assert!(found("三在").is_empty());
    assert_eq!(found("张三 在场"), BTreeSet::from([quoted.clone()]));
    // ASCII letters match in either case; the snippet marks the text as written.
    let r = find(&s, &q("abc公司"));
    let t = hits_of(&r, SearchKind::Testimony);
    assert_eq!(t.len(), 1);
    assert_eq!(hit_text(&t[0].snippet), "ABC公司");
}

#[test]
fn every_role_may_search_an_encrypted_desk_and_sees_masked_numbers() {
    use hearing_core::access::Role;
    use hearing_store::accounts::{self, NewOperator};
    // Cheap Argon2id for tests (honoured by debug builds only).
    std::env::set_var("HEARINGDESK_TEST_FAST_KDF", "1");
    let op = |login: &str, role: Role| NewOperator {
        login: login.into(),
        name: format!("{login}某"),
        role,
        password: format!("{login}-pass-1"),
    };
    let dir = tempfile::tempdir().expect("dir");
    let before = {
        let mut s = Store::open_dir(dir.path()).expect("open");
        s.load_demo().expect("demo");
        let before = find(&s, &q("民间借贷"));
        // Encrypting copies the database (sqlcipher_export): the index comes along.
        let mut admin = s
            .setup_accounts(&op("admin", Role::Admin))
            .expect("accounts");
        admin
            .add_operator(&op("viewer", Role::ReadOnly))
            .expect("viewer");
        before
    };
    let viewer = accounts::login(dir.path(), "viewer", "viewer-pass-1").expect("login");
    let r = find(&viewer, &q("民间借贷"));
    assert!(r.total > 0);
    assert_eq!(
        r.items.iter().map(|h| &h.id).collect::<Vec<_>>(),
        before.items.iter().map(|h| &h.id).collect::<Vec<_>>()
    );
    let (name, id): (String, String) = viewer
        .conn()
        .query_row(
            "SELECT name, id_number FROM petitioners WHERE id_number IS NOT NULL LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("petitioner");
    let r = find(&viewer, &q(&id));
    assert_eq!(r.items[0].kind, SearchKind::Petitioner);
    assert_eq!(shown(&r.items[0].title), name);
    assert!(!serde_json::to_string(&r).expect("json").contains(&id));
}

#[test]
fn empty_and_overlong_queries_get_a_clear_message() {
    let (_dir, s) = demo();
    for (text, words) in [
        ("", "请输入"),
        ("  \u{3000} ", "请输入"),
        (&*"案".repeat(201), "太长"),
    ] {
        let err = s.search(&q(text)).expect_err("refused");
        assert_eq!(err.code(), ErrorCode::Validation);
        assert!(err.to_string().contains(words), "{err}");
    }
    assert!(s.search(&q(&"案".repeat(200))).is_ok());
}

#[test]
fn paging_splits_the_ranked_list() {
    let (_dir, s) = demo();
    let all = find(&s, &q("信访案"));
    let mut page = q("信访案");
    page.limit = 7;
    let mut seen = Vec::new();
    while (page.offset as usize) < all.items.len() {
        let r = find(&s, &page);
        assert_eq!(r.total, all.total);
        seen.extend(r.items.iter().map(|h| h.id.clone()));
        page.offset += 7;
    }
    let whole: Vec<String> = all.items.iter().map(|h| h.id.clone()).collect();
    assert_eq!(seen, whole);
}

#[test]
fn a_bulk_catch_up_is_merged_afterwards_and_finds_the_same() {
    let (_dir, mut s) = demo();
    let queries = ["借贷", "民间借贷纠纷", "王", "东河"];
    let before: Vec<BTreeSet<String>> = queries
        .iter()
        .map(|t| find(&s, &q(t)).items.iter().map(|h| h.id.clone()).collect())
        .collect();
    // As after a large pull: every record waits to be indexed again.
    s.conn()
        .execute_batch(
            "UPDATE search_state SET defer = 1;
             UPDATE search_docs SET case_id = case_id;
             UPDATE search_state SET defer = 0;",
        )
        .expect("defer");
    let waiting = s.search_pending().expect("pending");
    assert!(waiting > 50, "{waiting}");
    assert!(find(&s, &q("借贷")).pending > 0, "a search says so");
    let segments = |s: &Store| -> i64 {
        s.conn()
            .query_row(
                "SELECT count(DISTINCT segid) FROM search_bigrams_idx",
                [],
                |r| r.get(0),
            )
            .expect("segments")
    };
    // In small batches: a segment each.
    let mut batches = 0;
    while s.search_catch_up(5).expect("batch") > 0 {
        batches += 1;
    }
    assert!(batches > 5);
    assert!(segments(&s) > 1, "{}", segments(&s));
    let mut steps = 0;
    while s.search_merge_step(1).expect("merge") {
        steps += 1;
        assert!(steps < 10_000, "merging ends");
    }
    assert!(steps > 0);
    assert_eq!(segments(&s), 1, "one segment after the merge");
    assert!(!s.search_merge_step(1).expect("nothing owed"));
    let after: Vec<BTreeSet<String>> = queries
        .iter()
        .map(|t| find(&s, &q(t)).items.iter().map(|h| h.id.clone()).collect())
        .collect();
    assert_eq!(before, after);
    assert_eq!(find(&s, &q("借贷")).pending, 0);
}

#[test]
fn the_index_follows_edits_and_deletes_by_the_store_and_by_plain_sql() {
    let (_dir, mut s) = demo();
    let c = case_by_title(&s, "乌兰其其格");
    assert!(find(&s, &q("乌兰其其格不服")).total > 0);
    let mut input = input_of(&c);
    input.title = "乌兰其其格不服遗产分割判决信访案".into();
    s.update_case(&c.id, &input).expect("update");
    assert_eq!(find(&s, &q("继承纠纷二审")).total, 0, "old words gone");
    let r = find(&s, &q("遗产分割"));
    assert_eq!(case_ids(&r), BTreeSet::from([c.id.clone()]));
    // Its petitioner removed (the store rewrites petitioners: delete, insert).
    let mut input = input_of(&cases::get(s.conn(), &c.id).expect("case"));
    let name = input.petitioners[0].name.clone();
    input.petitioners[0].name = "那仁高娃".into();
    s.update_case(&c.id, &input).expect("rename");
    let r = find(&s, &q(&name));
    assert!(
        hits_of(&r, SearchKind::Petitioner).is_empty(),
        "{name} still found"
    );
    assert_eq!(
        hits_of(&find(&s, &q("那仁高娃")), SearchKind::Petitioner).len(),
        1
    );
    // A state change re-tags the case's records.
    let mut closed = q("遗产分割");
    closed.statuses = vec![CaseStatus::Withdrawn];
    assert_eq!(find(&s, &closed).total, 0);

    // Sync writes with plain SQL; the triggers see it all the same. A state change alone re-tags
    // every record of the case (here its petitioner).
    s.conn()
        .execute(
            "UPDATE cases SET status = 'withdrawn' WHERE id = ?1",
            [&c.id],
        )
        .expect("plain state change");
    let mut withdrawn = q("那仁高娃");
    withdrawn.statuses = vec![CaseStatus::Withdrawn];
    let r = find(&s, &withdrawn);
    assert_eq!(hits_of(&r, SearchKind::Petitioner).len(), 1, "re-tagged");
    assert_eq!(r.items[0].case_status, Some(CaseStatus::Withdrawn));
    s.conn()
        .execute(
            "UPDATE cases SET title = '乌兰其其格不服析产判决信访案', status = 'withdrawn' WHERE id = ?1",
            [&c.id],
        )
        .expect("plain update");
    assert_eq!(find(&s, &q("遗产分割")).total, 0);
    let r = find(&s, &closed);
    assert_eq!(r.total, 0, "the new title does not say 遗产分割");
    closed.text = "析产判决".into();
    let r = find(&s, &closed);
    assert_eq!(case_ids(&r), BTreeSet::from([c.id.clone()]));
    assert_eq!(r.items[0].case_status, Some(CaseStatus::Withdrawn));
    s.conn()
        .execute("DELETE FROM petitioners WHERE case_id = ?1", [&c.id])
        .expect("plain delete");
    assert!(hits_of(&find(&s, &q("那仁高娃")), SearchKind::Petitioner).is_empty());
    let left: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM search_docs WHERE kind = 'petitioner' AND case_id = ?1",
            [&c.id],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(left, 0);
}

/// The tables of `src` copied into a fresh database made by migrations 1–7 only.
fn schema7_copy(src: &std::path::Path, dst: &std::path::Path) {
    const V7: [&str; 7] = [
        include_str!("../src/migrations/001_foundation.sql"),
        include_str!("../src/migrations/002_hearing_workflow.sql"),
        include_str!("../src/migrations/003_documents.sql"),
        include_str!("../src/migrations/004_document_subject.sql"),
        include_str!("../src/migrations/005_sync.sql"),
        include_str!("../src/migrations/006_sync_seals.sql"),
        include_str!("../src/migrations/007_operators.sql"),
    ];
    let conn = Connection::open(dst).expect("v7");
    for sql in V7 {
        conn.execute_batch(sql).expect("migration");
    }
    conn.execute_batch("PRAGMA user_version = 7; PRAGMA foreign_keys = OFF;")
        .expect("v7");
    conn.execute("ATTACH ?1 AS old", [src.to_string_lossy()])
        .expect("attach");
    let tables: Vec<String> = {
        let mut stmt = conn
            .prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            .expect("tables");
        let rows = stmt.query_map([], |r| r.get(0)).expect("rows");
        rows.collect::<rusqlite::Result<_>>().expect("rows")
    };
    for t in tables {
        // Tables a later schema replaced (the old change log and outbox) stay empty.
        let in_old: bool = conn
            .query_row(
                "SELECT count(*) > 0 FROM old.sqlite_master WHERE type = 'table' AND name = ?1",
                [&t],
                |r| r.get(0),
            )
            .expect("old table");
        if !in_old {
            continue;
        }
        let cols: Vec<String> = {
            let mut stmt = conn
                .prepare(&format!(
                    "SELECT name FROM pragma_table_info('{t}', 'main')"
                ))
                .expect("cols");
            let rows = stmt.query_map([], |r| r.get(0)).expect("rows");
            rows.collect::<rusqlite::Result<_>>().expect("rows")
        };
        let cols = cols.join(", ");
        conn.execute(
            &format!("INSERT OR REPLACE INTO main.{t} ({cols}) SELECT {cols} FROM old.{t}"),
            [],
        )
        .expect("copy");
    }
    conn.execute_batch("DETACH old").expect("detach");
}

#[test]
fn a_database_upgraded_from_schema_7_has_its_records_indexed() {
    let (dir, mut s, case_id) = setup();
    let d = hearing_in_session(&mut s, &case_id);
    s.add_testimony(
        &d.hearing.id,
        &TestimonyInput {
            step_key: "petitionerStatement".into(),
            speaker_role: ParticipantRole::Petitioner,
            speaker_name: "测试人甲".into(),
            text: "借条上的签名不是我写的".into(),
        },
    )
    .expect("entry");
    let queries = [
        "借贷",
        "签名不是我写",
        "张桂兰",
        "民间借贷纠纷",
        "测试人甲",
        "东河",
    ];
    let before: Vec<(u32, Vec<String>)> = queries
        .iter()
        .map(|t| {
            let r = find(&s, &q(t));
            (r.total, r.items.iter().map(|h| h.id.clone()).collect())
        })
        .collect();
    assert!(before.iter().all(|(n, _)| *n > 0), "{before:?}");

    let old = tempfile::tempdir().expect("dir");
    let path = old.path().join(hearing_store::DB_FILE);
    schema7_copy(&dir.path().join(hearing_store::DB_FILE), &path);
    {
        let raw = Connection::open(&path).expect("raw");
        let v: i64 = raw
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("version");
        assert_eq!(v, 7);
        let none: i64 = raw
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name LIKE 'search%'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(none, 0, "no search tables at schema 7");
    }
    let upgraded = Store::open(&path).expect("upgrade");
    assert_eq!(
        upgraded.schema_version().expect("v"),
        hearing_store::LATEST_VERSION
    );
    for (t, (total, ids)) in queries.iter().zip(&before) {
        let r = find(&upgraded, &q(t));
        assert_eq!(r.total, *total, "{t}");
        let got: HashSet<&String> = r.items.iter().map(|h| &h.id).collect();
        assert_eq!(got, ids.iter().collect::<HashSet<_>>(), "{t}");
    }
}

#[test]
fn the_index_text_is_each_character_with_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open_dir(dir.path()).unwrap();
    // Without ASCII separators or capitals, what migration 013 made in SQL.
    for text in [
        "",
        "借",
        "借款",
        "借款纠纷二审",
        "🙂表情𠮷字",
        &"长".repeat(1000),
    ] {
        let (made, sql): (String, String) = s
            .conn()
            .query_row(
                "SELECT hd_bigrams(?1),
                    (SELECT coalesce(group_concat(substr(?1, j.key + 1, 2), ' '), '')
                     FROM json_each('[' || substr(replace(hex(zeroblob(length(?1))), '00', ',0'), 2) || ']') j)",
                [text],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(made, sql, "{text}");
        assert_eq!(made, hearing_store::search::bigrams(text));
    }
    // White space, quotes and field separators are characters of their own; capitals folded.
    let made: String = s
        .conn()
        .query_row("SELECT hd_bigrams(?1)", ["张 \"A\u{1f}"], |r| r.get(0))
        .unwrap();
    assert_eq!(
        made,
        "张\u{F0020} \u{F0020}\u{F0022} \u{F0022}a a\u{F001F} \u{F001F}"
    );
    let null: String = s
        .conn()
        .query_row("SELECT hd_bigrams(NULL)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(null, "");
}
