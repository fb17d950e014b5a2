//! The merge rules shared by desk and server (docs/sync-protocol.md, "Merge rules").
//!
//! A row is a map of columns, each with the version `(hlc, device)` that set it, and an optional
//! tombstone version. Per column the highest version wins; a delete hides every column older than
//! it. Documents freeze: the change that finalises one (sets `text_sha256`) carries its content,
//! and any later content edit is kept aside as a conflict instead of being applied. A signed
//! transcript seals its testimony entries the same way: the earliest signature counts, and any
//! edit, delete or new entry made after it is a conflict. Every rule is a maximum or a set union,
//! so any order of the same changes gives the same state.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::hlc::Hlc;
use crate::protocol::{Change, Op};

/// Who set a value, and when: compared as (hlc, device, change id). The change id breaks ties
/// between the changes of one write, which share its HLC (UUIDv7 ids of one device increase).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub hlc: Hlc,
    pub device: String,
    pub change: String,
}

impl Version {
    pub fn of(change: &Change) -> Option<Version> {
        Some(Version {
            hlc: change.hlc.parse().ok()?,
            device: change.device_id.clone(),
            change: change.id.clone(),
        })
    }
}

/// Columns that are frozen once a row of `table` is frozen, and the column whose being set
/// freezes it.
pub fn frozen_columns(table: &str) -> Option<(&'static str, &'static [&'static str])> {
    match table {
        "documents" => Some((
            "text_sha256",
            &[
                "text",
                "text_sha256",
                "pdf",
                "pdf_sha256",
                "verification_code",
                "number",
                "kind",
                "case_id",
                "hearing_id",
                "version",
            ],
        )),
        _ => None,
    }
}

/// Whether this change freezes its row (a non-null value for the table's freezing column).
pub fn freezes(change: &Change) -> bool {
    frozen_columns(&change.table).is_some_and(|(col, _)| {
        change.op == Op::Upsert && change.cols.get(col).is_some_and(|v| !v.is_null())
    })
}

/// A parent row whose seal freezes every row of a child table that belongs to it: a hearing's
/// transcript (笔录) once signed (`hearings.transcript_hash` set) freezes its testimony entries.
/// The earliest sealing version counts; a child change (edit, delete, new entry) with a later
/// version is not applied but kept as a conflict. A child belongs to the parent named by the
/// earliest write of its `fk` column (the entry's creation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seal {
    /// The sealed (child) table.
    pub table: &'static str,
    /// The parent table, and the column whose being set (non-null) seals.
    pub parent: &'static str,
    pub column: &'static str,
    /// The child's column naming its parent.
    pub fk: &'static str,
    /// Why a later edit, new row or delete of a sealed row was not applied (for people).
    pub edited: &'static str,
    pub added: &'static str,
    pub deleted: &'static str,
}

pub const SEALS: &[Seal] = &[Seal {
    table: "testimony",
    parent: "hearings",
    column: "transcript_hash",
    fk: "hearing_id",
    edited: "笔录已签名，此后的修改未应用",
    added: "笔录已签名，此后新增的笔录条目未应用",
    deleted: "笔录已签名，此后的删除未应用",
}];

/// The history column that records a delete of a sealed row (not a valid column name).
pub const DELETE_MARK: &str = "$delete";

/// The seal that freezes rows of `table`, if any.
pub fn sealed_by(table: &str) -> Option<&'static Seal> {
    SEALS.iter().find(|s| s.table == table)
}

/// The seal this change sets on its (parent) row: an upsert with a non-null sealing column.
pub fn seals(change: &Change) -> Option<&'static Seal> {
    SEALS.iter().find(|s| {
        s.parent == change.table
            && change.op == Op::Upsert
            && change.cols.get(s.column).is_some_and(|v| !v.is_null())
    })
}

/// How a change of a sealed row made after the seal is listed: one conflict per change, named
/// by its column when it set one column of content (`updated_at` aside), else `*` with every
/// column it set (a new entry) or null (a delete).
#[derive(Debug, Clone, PartialEq)]
pub struct SealedConflict {
    pub column: String,
    pub theirs: Value,
    pub reason: &'static str,
}

/// The conflict of one late change of a sealed row: `cols` is what it set, `None` for a delete.
pub fn sealed_conflict(seal: &Seal, cols: Option<&Map<String, Value>>) -> SealedConflict {
    let Some(cols) = cols else {
        return SealedConflict {
            column: "*".into(),
            theirs: Value::Null,
            reason: seal.deleted,
        };
    };
    let added = cols.contains_key(seal.fk);
    let content: Vec<(&String, &Value)> = cols.iter().filter(|(k, _)| *k != "updated_at").collect();
    match content.as_slice() {
        [(k, v)] if !added => SealedConflict {
            column: (*k).clone(),
            theirs: (*v).clone(),
            reason: seal.edited,
        },
        _ => SealedConflict {
            column: "*".into(),
            theirs: Value::Object(cols.clone()),
            reason: if added { seal.added } else { seal.edited },
        },
    }
}

/// One column's winning value.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: Value,
    pub version: Version,
}

/// One value ever written to a frozen column: kept so the frozen content and the conflicts are
/// a function of the set of changes, not of their order.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub value: Value,
    pub change_id: String,
    /// Written by a freezing change (which carries the content it froze).
    pub by_freeze: bool,
}

/// A row as the merge sees it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    pub cells: BTreeMap<String, Cell>,
    pub tombstone: Option<Version>,
    /// The earliest freezing version, if the row is frozen.
    pub frozen_at: Option<Version>,
    /// Every value written to a frozen column (frozen tables; every column of sealed tables).
    pub history: BTreeMap<String, BTreeMap<Version, Written>>,
    /// The earliest version that sealed this (parent) row.
    pub seal: Option<Version>,
    /// Every delete of this (sealed) row, with its change id.
    pub deletes: BTreeMap<Version, String>,
}

impl Row {
    /// Whether a value written at `version` counts: anything before the freeze, and the content a
    /// freezing change carries; a later ordinary edit is a conflict.
    fn admits(&self, version: &Version, w: &Written) -> bool {
        w.by_freeze || self.frozen_at.as_ref().is_none_or(|f| version <= f)
    }

    /// The effective value of every column (frozen ones from their history), with its version.
    pub fn effective(&self) -> BTreeMap<&str, (&Value, &Version)> {
        let mut out: BTreeMap<&str, (&Value, &Version)> = self
            .cells
            .iter()
            .map(|(k, c)| (k.as_str(), (&c.value, &c.version)))
            .collect();
        for (col, writes) in &self.history {
            if let Some((v, w)) = writes.iter().rev().find(|(v, w)| self.admits(v, w)) {
                out.insert(col.as_str(), (&w.value, v));
            }
        }
        out
    }

    /// The visible columns: those newer than the tombstone. `None` if the row is deleted.
    pub fn visible(&self) -> Option<BTreeMap<&str, &Value>> {
        let cols: BTreeMap<&str, &Value> = self
            .effective()
            .into_iter()
            .filter(|(_, (_, v))| self.tombstone.as_ref().is_none_or(|t| *v > t))
            .map(|(k, (value, _))| (k, value))
            .collect();
        (!cols.is_empty()).then_some(cols)
    }

    /// Ordinary edits of frozen content made after the freeze.
    pub fn conflicts(&self) -> Vec<(&str, &Version, &Written)> {
        self.history
            .iter()
            .flat_map(|(col, writes)| {
                writes
                    .iter()
                    .filter(|(v, w)| !self.admits(v, w))
                    .map(move |(v, w)| (col.as_str(), v, w))
            })
            .collect()
    }
}

/// A change of a sealed row made after the seal: its id, and the columns it set (`None` for a
/// delete).
pub type LateChange = (String, Option<Map<String, Value>>);

fn before_seal(seal: Option<&Version>, v: &Version) -> bool {
    seal.is_none_or(|s| v <= s)
}

impl Row {
    /// A sealed row given its parent's seal: per column the newest write made before the seal
    /// and after the newest delete made before the seal. `None` if nothing is left.
    pub fn settled(&self, seal: Option<&Version>) -> Option<BTreeMap<&str, (&Value, &Version)>> {
        let tomb = self.deletes.keys().filter(|v| before_seal(seal, v)).max();
        let cols: BTreeMap<&str, (&Value, &Version)> = self
            .history
            .iter()
            .filter_map(|(col, writes)| {
                let (v, w) = writes.iter().rev().find(|(v, _)| before_seal(seal, v))?;
                tomb.is_none_or(|t| v > t)
                    .then_some((col.as_str(), (&w.value, v)))
            })
            .collect();
        (!cols.is_empty()).then_some(cols)
    }

    /// The changes of a sealed row made after the seal: change id and what it set (`None` for
    /// a delete).
    pub fn after_seal(&self, seal: Option<&Version>) -> Vec<LateChange> {
        let mut out: BTreeMap<&Version, LateChange> = BTreeMap::new();
        for (col, writes) in &self.history {
            for (v, w) in writes.iter().filter(|(v, _)| !before_seal(seal, v)) {
                let e = out
                    .entry(v)
                    .or_insert_with(|| (w.change_id.clone(), Some(Map::new())));
                if let Some(m) = &mut e.1 {
                    m.insert(col.clone(), w.value.clone());
                }
            }
        }
        for (v, id) in self.deletes.iter().filter(|(v, _)| !before_seal(seal, v)) {
            out.insert(v, (id.clone(), None));
        }
        out.into_values().collect()
    }
}

/// A content edit of a frozen row, kept for a person to settle.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Conflict {
    pub change_id: String,
    pub table: String,
    pub pk: String,
    pub column: String,
    /// The edit's value, as JSON text.
    pub theirs: String,
}

/// The merged state of a set of changes (the reference model; the desk keeps the same in SQL).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    pub rows: BTreeMap<(String, String), Row>,
    /// Every change id applied, for idempotence.
    pub seen: BTreeSet<String>,
}

impl State {
    /// Applies one change; applying it again does nothing.
    pub fn apply(&mut self, change: &Change) {
        let Some(version) = Version::of(change) else {
            return;
        };
        if !self.seen.insert(change.id.clone()) {
            return;
        }
        let row = self
            .rows
            .entry((change.table.clone(), change.pk.clone()))
            .or_default();
        match change.op {
            Op::Delete => {
                if sealed_by(&change.table).is_some() {
                    row.deletes.insert(version.clone(), change.id.clone());
                }
                if row.tombstone.as_ref().is_none_or(|t| version > *t) {
                    row.tombstone = Some(version);
                }
            }
            Op::Upsert => {
                if seals(change).is_some() && row.seal.as_ref().is_none_or(|s| version < *s) {
                    row.seal = Some(version.clone());
                }
                if sealed_by(&change.table).is_some() {
                    for (col, value) in &change.cols {
                        row.history.entry(col.clone()).or_default().insert(
                            version.clone(),
                            Written {
                                value: value.clone(),
                                change_id: change.id.clone(),
                                by_freeze: false,
                            },
                        );
                    }
                    return;
                }
                let frozen = frozen_columns(&change.table).map(|(_, c)| c).unwrap_or(&[]);
                let by_freeze = freezes(change);
                if by_freeze && row.frozen_at.as_ref().is_none_or(|f| version < *f) {
                    row.frozen_at = Some(version.clone());
                }
                for (col, value) in &change.cols {
                    if frozen.contains(&col.as_str()) {
                        row.history.entry(col.clone()).or_default().insert(
                            version.clone(),
                            Written {
                                value: value.clone(),
                                change_id: change.id.clone(),
                                by_freeze,
                            },
                        );
                        continue;
                    }
                    let wins = row.cells.get(col).is_none_or(|c| version > c.version);
                    if wins {
                        row.cells.insert(
                            col.clone(),
                            Cell {
                                value: value.clone(),
                                version: version.clone(),
                            },
                        );
                    }
                }
            }
        }
    }

    /// The seal of a sealed row's parent (the parent named by the earliest write of its `fk`).
    pub fn seal_of(&self, seal: &Seal, row: &Row) -> Option<&Version> {
        let parent = row.history.get(seal.fk)?.values().next()?.value.as_str()?;
        self.rows
            .get(&(seal.parent.to_owned(), parent.to_owned()))?
            .seal
            .as_ref()
    }

    /// Every content edit of a frozen row made after its freeze, and every change of a sealed
    /// row made after its parent's seal.
    pub fn conflicts(&self) -> BTreeSet<Conflict> {
        self.rows
            .iter()
            .flat_map(|((table, pk), row)| -> Vec<Conflict> {
                if let Some(seal) = sealed_by(table) {
                    return row
                        .after_seal(self.seal_of(seal, row))
                        .into_iter()
                        .map(|(change_id, cols)| {
                            let c = sealed_conflict(seal, cols.as_ref());
                            Conflict {
                                change_id,
                                table: table.clone(),
                                pk: pk.clone(),
                                column: c.column,
                                theirs: c.theirs.to_string(),
                            }
                        })
                        .collect();
                }
                row.conflicts()
                    .into_iter()
                    .map(|(col, _, w)| Conflict {
                        change_id: w.change_id.clone(),
                        table: table.clone(),
                        pk: pk.clone(),
                        column: col.to_owned(),
                        theirs: w.value.to_string(),
                    })
                    .collect()
            })
            .collect()
    }

    /// The visible state: table, pk → columns. What two desks must agree on.
    pub fn visible(&self) -> BTreeMap<(String, String), BTreeMap<String, Value>> {
        self.rows
            .iter()
            .filter_map(|(k, row)| {
                let cols: BTreeMap<&str, &Value> = match sealed_by(&k.0) {
                    Some(seal) => row
                        .settled(self.seal_of(seal, row))?
                        .into_iter()
                        .map(|(c, (v, _))| (c, v))
                        .collect(),
                    None => row.visible()?,
                };
                Some((
                    k.clone(),
                    cols.into_iter()
                        .map(|(c, v)| (c.to_owned(), v.clone()))
                        .collect(),
                ))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{json, Map};

    fn change(
        id: u32,
        device: &str,
        ms: u64,
        table: &str,
        pk: &str,
        op: Op,
        cols: Value,
    ) -> Change {
        let cols: Map<String, Value> = match cols {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        Change {
            id: format!("c{id}"),
            org_id: "org".into(),
            device_id: device.into(),
            hlc: Hlc { ms, counter: 0 }.to_string(),
            table: table.into(),
            pk: pk.into(),
            op,
            cols,
            at: String::new(),
            scope_org: None,
        }
    }

    #[test]
    fn highest_version_wins_per_column() {
        let mut s = State::default();
        s.apply(&change(
            1,
            "a",
            10,
            "cases",
            "k",
            Op::Upsert,
            json!({"title": "A", "crux": "x"}),
        ));
        s.apply(&change(
            2,
            "b",
            12,
            "cases",
            "k",
            Op::Upsert,
            json!({"title": "B"}),
        ));
        s.apply(&change(
            3,
            "a",
            11,
            "cases",
            "k",
            Op::Upsert,
            json!({"title": "C", "crux": "y"}),
        ));
        let row = s.rows[&("cases".into(), "k".into())].visible().unwrap();
        assert_eq!(row["title"], &json!("B"));
        assert_eq!(row["crux"], &json!("y"));
    }

    #[test]
    fn same_hlc_breaks_ties_by_device() {
        let mut s = State::default();
        s.apply(&change(
            1,
            "b",
            10,
            "cases",
            "k",
            Op::Upsert,
            json!({"title": "from b"}),
        ));
        s.apply(&change(
            2,
            "a",
            10,
            "cases",
            "k",
            Op::Upsert,
            json!({"title": "from a"}),
        ));
        let row = s.rows[&("cases".into(), "k".into())].visible().unwrap();
        assert_eq!(row["title"], &json!("from b"));
    }

    #[test]
    fn delete_hides_older_and_loses_to_newer() {
        let mut s = State::default();
        s.apply(&change(
            1,
            "a",
            10,
            "petitioners",
            "p",
            Op::Upsert,
            json!({"name": "甲"}),
        ));
        s.apply(&change(
            2,
            "a",
            11,
            "petitioners",
            "p",
            Op::Delete,
            json!({}),
        ));
        assert!(s.rows[&("petitioners".into(), "p".into())]
            .visible()
            .is_none());
        s.apply(&change(
            3,
            "b",
            12,
            "petitioners",
            "p",
            Op::Upsert,
            json!({"name": "乙"}),
        ));
        let row = s.rows[&("petitioners".into(), "p".into())]
            .visible()
            .unwrap();
        assert_eq!(row.len(), 1);
        assert_eq!(row["name"], &json!("乙"));
    }

    #[test]
    fn an_edit_after_the_freeze_is_a_conflict_in_either_order() {
        let gen = change(
            1,
            "a",
            10,
            "documents",
            "d",
            Op::Upsert,
            json!({"text": "草稿", "state": "draft"}),
        );
        let fin = change(
            2,
            "a",
            20,
            "documents",
            "d",
            Op::Upsert,
            json!({"text": "草稿", "text_sha256": "h", "state": "final"}),
        );
        let late = change(
            3,
            "b",
            30,
            "documents",
            "d",
            Op::Upsert,
            json!({"text": "改动"}),
        );
        let mut one = State::default();
        for c in [&gen, &fin, &late] {
            one.apply(c);
        }
        let mut two = State::default();
        for c in [&late, &gen, &fin] {
            two.apply(c);
        }
        assert_eq!(one.visible(), two.visible());
        assert_eq!(one.conflicts(), two.conflicts());
        let row = one.rows[&("documents".into(), "d".into())]
            .visible()
            .unwrap();
        assert_eq!(row["text"], &json!("草稿"));
        let conflicts = one.conflicts();
        assert_eq!(conflicts.len(), 1);
        let c = conflicts.iter().next().unwrap();
        assert!(c.theirs.contains("改动") && c.change_id == "c3", "{c:?}");
    }

    #[test]
    fn a_change_of_a_signed_transcript_is_a_conflict_in_any_order() {
        let t =
            |id, device, ms, pk: &str, op, cols| change(id, device, ms, "testimony", pk, op, cols);
        let entry = t(
            1,
            "a",
            10,
            "e1",
            Op::Upsert,
            json!({"hearing_id": "h", "seq": 1, "text": "陈述", "updated_at": "t1"}),
        );
        // Appended before the signature by another desk: it counts.
        let early = t(
            2,
            "b",
            15,
            "e2",
            Op::Upsert,
            json!({"hearing_id": "h", "seq": 2, "text": "补充"}),
        );
        let sign = change(
            3,
            "a",
            20,
            "hearings",
            "h",
            Op::Upsert,
            json!({"transcript_hash": "hash", "status": "transcriptSigned"}),
        );
        let edit = t(
            4,
            "b",
            30,
            "e1",
            Op::Upsert,
            json!({"text": "签名后改动", "updated_at": "t4"}),
        );
        let late = t(
            5,
            "b",
            31,
            "e3",
            Op::Upsert,
            json!({"hearing_id": "h", "seq": 3, "text": "签名后补记"}),
        );
        let delete = t(6, "c", 32, "e2", Op::Delete, json!({}));
        let all = [&entry, &early, &sign, &edit, &late, &delete];
        let mut forward = State::default();
        for c in all {
            forward.apply(c);
        }
        let mut backward = State::default();
        for c in all.iter().rev() {
            backward.apply(c);
        }
        assert_eq!(forward.visible(), backward.visible());
        assert_eq!(forward.conflicts(), backward.conflicts());
        let v = forward.visible();
        let e1 = &v[&("testimony".into(), "e1".into())];
        assert_eq!(e1["text"], json!("陈述"));
        assert_eq!(e1["updated_at"], json!("t1"));
        assert_eq!(v[&("testimony".into(), "e2".into())]["text"], json!("补充"));
        assert!(!v.contains_key(&("testimony".into(), "e3".into())));
        let conflicts: Vec<(String, String)> = forward
            .conflicts()
            .into_iter()
            .map(|c| (c.change_id, c.column))
            .collect();
        assert_eq!(
            conflicts,
            vec![
                ("c4".to_owned(), "text".to_owned()),
                ("c5".to_owned(), "*".to_owned()),
                ("c6".to_owned(), "*".to_owned()),
            ]
        );
        // Without the signature every change applies.
        let mut unsigned = State::default();
        for c in [&entry, &early, &edit, &late, &delete] {
            unsigned.apply(c);
        }
        assert!(unsigned.conflicts().is_empty());
        let v = unsigned.visible();
        assert_eq!(
            v[&("testimony".into(), "e1".into())]["text"],
            json!("签名后改动")
        );
        assert!(!v.contains_key(&("testimony".into(), "e2".into())));
        assert!(v.contains_key(&("testimony".into(), "e3".into())));
    }

    #[test]
    fn the_earliest_signature_counts() {
        let entry = change(
            1,
            "a",
            10,
            "testimony",
            "e",
            Op::Upsert,
            json!({"hearing_id": "h", "text": "原文"}),
        );
        let edit = change(
            2,
            "b",
            25,
            "testimony",
            "e",
            Op::Upsert,
            json!({"text": "改"}),
        );
        let sign_late = change(
            3,
            "b",
            30,
            "hearings",
            "h",
            Op::Upsert,
            json!({"transcript_hash": "2"}),
        );
        let sign_early = change(
            4,
            "a",
            20,
            "hearings",
            "h",
            Op::Upsert,
            json!({"transcript_hash": "1"}),
        );
        let mut s = State::default();
        for c in [&entry, &edit, &sign_late] {
            s.apply(c);
        }
        assert!(
            s.conflicts().is_empty(),
            "the edit came before that signature"
        );
        s.apply(&sign_early);
        assert_eq!(s.conflicts().len(), 1);
        assert_eq!(
            s.visible()[&("testimony".into(), "e".into())]["text"],
            json!("原文")
        );
    }

    #[test]
    fn a_sealed_conflict_is_named_by_its_content_column() {
        let seal = sealed_by("testimony").unwrap();
        let m = |v: Value| match v {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        let edit = sealed_conflict(seal, Some(&m(json!({"text": "x", "updated_at": "t"}))));
        assert_eq!((edit.column.as_str(), edit.reason), ("text", seal.edited));
        assert_eq!(edit.theirs, json!("x"));
        let two = sealed_conflict(seal, Some(&m(json!({"text": "x", "speaker_name": "y"}))));
        assert_eq!((two.column.as_str(), two.reason), ("*", seal.edited));
        let new = sealed_conflict(seal, Some(&m(json!({"hearing_id": "h", "text": "x"}))));
        assert_eq!((new.column.as_str(), new.reason), ("*", seal.added));
        assert_eq!(new.theirs["text"], json!("x"));
        let gone = sealed_conflict(seal, None);
        assert_eq!((gone.column.as_str(), gone.reason), ("*", seal.deleted));
    }

    fn arb_change() -> impl Strategy<Value = Change> {
        let tables = prop_oneof![
            Just("cases"),
            Just("documents"),
            Just("testimony"),
            Just("hearings")
        ];
        let cols = prop_oneof![
            Just("title"),
            Just("text"),
            Just("state"),
            Just("text_sha256"),
            Just("hearing_id"),
            Just("transcript_hash")
        ];
        (
            0u32..1_000_000,
            prop_oneof![Just("a"), Just("b"), Just("c")],
            0u64..30,
            tables,
            prop_oneof![Just("k1"), Just("k2")],
            prop::bool::weighted(0.15),
            prop::collection::vec(
                (
                    cols,
                    prop_oneof![
                        Just(json!("x")),
                        Just(json!("y")),
                        Just(json!(1)),
                        Just(Value::Null),
                        Just(json!("k1")),
                        Just(json!("k2"))
                    ],
                ),
                1..4,
            ),
        )
            .prop_map(|(id, dev, ms, table, pk, delete, cols)| {
                let map: Map<String, Value> =
                    cols.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                change(
                    id,
                    dev,
                    ms,
                    table,
                    pk,
                    if delete { Op::Delete } else { Op::Upsert },
                    if delete {
                        json!({})
                    } else {
                        Value::Object(map)
                    },
                )
            })
    }

    proptest! {
        #[test]
        fn any_order_and_repetition_gives_the_same_state(
            changes in prop::collection::vec(arb_change(), 1..40),
            seed in any::<u64>(),
        ) {
            // Unique ids per change (the generator may repeat).
            let changes: Vec<Change> = changes
                .into_iter()
                .enumerate()
                .map(|(i, mut c)| { c.id = format!("c{i}"); c })
                .collect();
            let mut forward = State::default();
            for c in &changes {
                forward.apply(c);
            }
            // A shuffled order with some changes delivered twice.
            let mut order: Vec<&Change> = changes.iter().chain(changes.iter().step_by(3)).collect();
            let mut x = seed | 1;
            for i in (1..order.len()).rev() {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17;
                order.swap(i, (x % (i as u64 + 1)) as usize);
            }
            let mut shuffled = State::default();
            for c in order {
                shuffled.apply(c);
            }
            prop_assert_eq!(forward.visible(), shuffled.visible());
            prop_assert_eq!(forward.conflicts(), shuffled.conflicts());
        }
    }
}
