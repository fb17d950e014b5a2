//! The merge rules shared by desk and server (docs/sync-protocol.md, "Merge rules").
//!
//! A row is a map of columns, each with the version `(hlc, device)` that set it, and an optional
//! tombstone version. Per column the highest version wins; a delete hides every column older than
//! it. Documents freeze: the change that finalises one (sets `text_sha256`) carries its content,
//! and any later content edit is kept aside as a conflict instead of being applied. Every rule is a
//! maximum or a set union, so any order of the same changes gives the same state.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

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
    /// Every value written to a frozen column (frozen tables only).
    pub history: BTreeMap<String, BTreeMap<Version, Written>>,
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
                if row.tombstone.as_ref().is_none_or(|t| version > *t) {
                    row.tombstone = Some(version);
                }
            }
            Op::Upsert => {
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

    /// Every content edit of a frozen row made after its freeze.
    pub fn conflicts(&self) -> BTreeSet<Conflict> {
        self.rows
            .iter()
            .flat_map(|((table, pk), row)| {
                row.conflicts().into_iter().map(|(col, _, w)| Conflict {
                    change_id: w.change_id.clone(),
                    table: table.clone(),
                    pk: pk.clone(),
                    column: col.to_owned(),
                    theirs: w.value.to_string(),
                })
            })
            .collect()
    }

    /// The visible state: table, pk → columns. What two desks must agree on.
    pub fn visible(&self) -> BTreeMap<(String, String), BTreeMap<String, Value>> {
        self.rows
            .iter()
            .filter_map(|(k, row)| {
                row.visible().map(|cols| {
                    (
                        k.clone(),
                        cols.into_iter()
                            .map(|(c, v)| (c.to_owned(), v.clone()))
                            .collect(),
                    )
                })
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

    fn arb_change() -> impl Strategy<Value = Change> {
        let tables = prop_oneof![Just("cases"), Just("documents"), Just("testimony")];
        let cols = prop_oneof![
            Just("title"),
            Just("text"),
            Just("state"),
            Just("text_sha256")
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
                        Just(Value::Null)
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
