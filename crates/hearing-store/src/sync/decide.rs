//! The decisions of sync that need no database: given what the desk has read, what to do. Each
//! is a plain function over values, tested as such below; the other modules read, call one of
//! these, and write what it decided (as atuin's record sync computes its `operations()` before
//! it runs any).
//!
//! The merge rules of frozen documents and sealed transcripts are not written twice: a row's
//! history is read into the reference model of `hearing_sync::merge` (the one its property
//! tests check for order independence), and the model decides.

use std::collections::BTreeMap;

use hearing_sync::merge::{sealed_conflict, Row, Seal, Version, Written, DELETE_MARK};
use serde_json::Value;

/// A version as the desk stores it: `(hlc, device, change id)` as text (the HLC's text sorts as
/// it compares).
pub type Ver = (String, String, String);

/// The version of a value that was never synced (data made before the desk kept versions): it
/// is older than any change.
pub fn zero_ver() -> Ver {
    ("0000000000000-00000".into(), String::new(), String::new())
}

/// The merge model's version of a stored one; `None` if its clock is unreadable.
pub fn version(v: &Ver) -> Option<Version> {
    Some(Version {
        hlc: v.0.parse().ok()?,
        device: v.1.clone(),
        change: v.2.clone(),
    })
}

/// The stored form of a model version.
pub fn ver(v: &Version) -> Ver {
    (v.hlc.to_string(), v.device.clone(), v.change.clone())
}

/// One entry of a row's `sync_history`: a column (or [`DELETE_MARK`]) written at a version, its
/// value as JSON text, and whether a freezing change wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub ver: Ver,
    pub col: String,
    pub value: String,
    pub by_freeze: bool,
}

/// A row of the merge model made of its history: every value written to its kept columns, its
/// deletes, and (if a freezing change is among them) the earliest freeze.
pub fn history_row(entries: &[HistoryEntry]) -> Result<Row, String> {
    let mut row = Row::default();
    for e in entries {
        let v = version(&e.ver).ok_or_else(|| format!("同步记录的时钟“{}”格式错误", e.ver.0))?;
        if e.col == DELETE_MARK {
            row.deletes.insert(v, e.ver.2.clone());
            continue;
        }
        let value: Value = serde_json::from_str(&e.value)
            .map_err(|err| format!("同步记录中“{}”的值无法识别：{err}", e.col))?;
        if e.by_freeze && row.frozen_at.as_ref().is_none_or(|f| v < *f) {
            row.frozen_at = Some(v.clone());
        }
        row.history.entry(e.col.clone()).or_default().insert(
            v,
            Written {
                value,
                change_id: e.ver.2.clone(),
                by_freeze: e.by_freeze,
            },
        );
    }
    Ok(row)
}

/// A frozen row's content settled from its history: per frozen column the value that counts
/// (the newest written before the earliest freeze, or carried by a freeze), and every write
/// refused (an ordinary edit after the freeze), for the conflicts list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Frozen {
    pub kept: BTreeMap<String, (Ver, Value)>,
    /// Column, version and value of each refused write.
    pub refused: Vec<(String, Ver, Value)>,
}

pub fn settle_frozen(row: &Row, frozen: &[&str]) -> Frozen {
    let mut out = Frozen::default();
    for (col, (value, v)) in row.effective() {
        if frozen.contains(&col) {
            out.kept.insert(col.to_owned(), (ver(v), value.clone()));
        }
    }
    for (col, v, w) in row.conflicts() {
        if frozen.contains(&col) {
            out.refused.push((col.to_owned(), ver(v), w.value.clone()));
        }
    }
    out
}

/// A sealed row (a testimony entry) settled from its history given the version of its parent's
/// earliest signature: the values that count, and one conflict for every change made after the
/// signature.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sealed {
    /// Empty: nothing is left (never written before the signature, or deleted before it).
    pub kept: BTreeMap<String, (Ver, Value)>,
    pub late: Vec<LateConflict>,
}

/// A change of a sealed row made after the seal, as the conflicts list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct LateConflict {
    pub change_id: String,
    /// The column it changed, or `*` (a new entry, a delete, several columns).
    pub column: String,
    pub theirs: Value,
    /// What is kept instead, for the same column(s); null if nothing is.
    pub ours: Value,
    pub reason: &'static str,
}

pub fn settle_sealed(row: &Row, seal: &Seal, sealed_at: Option<&Version>) -> Sealed {
    let kept: BTreeMap<String, (Ver, Value)> = row
        .settled(sealed_at)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, (value, v))| (k.to_owned(), (ver(v), value.clone())))
        .collect();
    let kept_value = |k: &str| kept.get(k).map(|(_, v)| v.clone()).unwrap_or(Value::Null);
    let late = row
        .after_seal(sealed_at)
        .into_iter()
        .map(|(change_id, set)| {
            let c = sealed_conflict(seal, set.as_ref());
            let ours = if kept.is_empty() {
                Value::Null
            } else if c.column != "*" {
                kept_value(&c.column)
            } else if let Value::Object(theirs) = &c.theirs {
                Value::Object(theirs.keys().map(|k| (k.clone(), kept_value(k))).collect())
            } else {
                Value::Object(
                    kept.iter()
                        .map(|(k, (_, v))| (k.clone(), v.clone()))
                        .collect(),
                )
            };
            LateConflict {
                change_id,
                column: c.column,
                theirs: c.theirs,
                ours,
                reason: c.reason,
            }
        })
        .collect();
    Sealed { kept, late }
}

/// What happens when a pulled case's number is held here by another case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberClash {
    /// The pulled case's number was written later: it gives way, kept here under a stand-in
    /// until the desk that numbered it renumbers it.
    TheirsHeld,
    /// The case here gives way and this desk numbered it: this desk renumbers it (a change
    /// that reaches every desk).
    OursRenumbered,
    /// The case here gives way but another desk numbered it: kept under a stand-in until that
    /// desk's renumbering arrives.
    OursHeld,
}

/// Of two cases with one number, the one whose number was written later (by version) gives
/// way; only the desk that wrote it renumbers it. `theirs` is the pulled change's version,
/// `ours` the version of the number here ([`zero_ver`] if it was never synced).
pub fn number_clash(theirs: &Ver, ours: &Ver, this_device: &str) -> NumberClash {
    if theirs > ours {
        NumberClash::TheirsHeld
    } else if ours.1 == this_device {
        NumberClash::OursRenumbered
    } else {
        NumberClash::OursHeld
    }
}

/// The stand-in numbers a case may wait under, in order of preference: the number marked with
/// the case id's last six characters, with the whole id, with the whole id and `unique`.
pub fn stand_ins(number: &str, case_id: &str, unique: &str) -> [String; 3] {
    let chars: Vec<char> = case_id.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(6)..].iter().collect();
    [
        format!("{number}（重号·{tail}）"),
        format!("{number}（重号·{case_id}）"),
        format!("{number}（重号·{case_id}·{unique}）"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearing_sync::merge::SEALS;
    use serde_json::json;

    fn at(ms: u64, device: &str, id: &str) -> Ver {
        (format!("{ms:013}-00000"), device.into(), id.into())
    }

    fn entry(v: Ver, col: &str, value: Value, by_freeze: bool) -> HistoryEntry {
        HistoryEntry {
            ver: v,
            col: col.into(),
            value: value.to_string(),
            by_freeze,
        }
    }

    #[test]
    fn a_versions_text_and_the_models_version_order_alike() {
        let a = at(5, "b", "x");
        let b = at(10, "a", "a");
        assert_eq!(ver(&version(&a).unwrap()), a);
        assert!(version(&a) < version(&b) && a < b);
        assert!(version(&zero_ver()) < version(&a));
        assert!(version(&("garbled".into(), "d".into(), "c".into())).is_none());
    }

    #[test]
    fn an_unreadable_history_entry_is_an_error_not_a_guess() {
        let bad = HistoryEntry {
            ver: at(1, "a", "c1"),
            col: "text".into(),
            value: "{not json".into(),
            by_freeze: false,
        };
        assert!(history_row(&[bad]).unwrap_err().contains("text"));
        let mut clock = entry(at(1, "a", "c1"), "text", json!("x"), false);
        clock.ver.0 = "yesterday".into();
        assert!(history_row(&[clock]).unwrap_err().contains("yesterday"));
    }

    #[test]
    fn a_frozen_document_keeps_what_came_before_its_freeze_and_refuses_later_edits() {
        let row = history_row(&[
            entry(at(1, "a", "c1"), "text", json!("草稿"), false),
            entry(at(2, "b", "c2"), "text", json!("定稿"), true),
            entry(at(3, "a", "c3"), "text", json!("定稿后改动"), false),
            // A freeze written later by another desk still carries its own content.
            entry(at(4, "c", "c4"), "title", json!("标题"), true),
            entry(at(5, "a", "c5"), "note", json!("不冻结的字段"), false),
        ])
        .unwrap();
        let s = settle_frozen(&row, &["text", "title"]);
        assert_eq!(s.kept["text"], (at(2, "b", "c2"), json!("定稿")));
        assert_eq!(s.kept["title"], (at(4, "c", "c4"), json!("标题")));
        assert!(!s.kept.contains_key("note"));
        assert_eq!(
            s.refused,
            vec![("text".into(), at(3, "a", "c3"), json!("定稿后改动"))]
        );
    }

    #[test]
    fn an_unfrozen_document_takes_its_newest_write() {
        let row = history_row(&[
            entry(at(2, "b", "c2"), "text", json!("新"), false),
            entry(at(1, "a", "c1"), "text", json!("旧"), false),
        ])
        .unwrap();
        let s = settle_frozen(&row, &["text"]);
        assert_eq!(s.kept["text"].1, json!("新"));
        assert!(s.refused.is_empty());
    }

    #[test]
    fn a_sealed_entry_keeps_what_was_written_before_the_signature() {
        let seal = &SEALS[0];
        let signed = version(&at(20, "a", "sign"));
        let row = history_row(&[
            entry(at(10, "a", "c1"), "hearing_id", json!("h"), false),
            entry(at(10, "a", "c1"), "text", json!("陈述"), false),
            entry(at(15, "b", "c2"), "text", json!("签名前修改"), false),
            entry(at(30, "b", "c3"), "text", json!("签名后改动"), false),
            entry(at(31, "c", "c4"), DELETE_MARK, Value::Null, false),
        ])
        .unwrap();
        let s = settle_sealed(&row, seal, signed.as_ref());
        assert_eq!(s.kept["text"].1, json!("签名前修改"));
        assert_eq!(s.kept["hearing_id"].1, json!("h"));
        assert_eq!(s.late.len(), 2, "{:?}", s.late);
        assert_eq!(s.late[0].change_id, "c3");
        assert_eq!(s.late[0].column, "text");
        assert_eq!(s.late[0].ours, json!("签名前修改"));
        assert_eq!(s.late[0].reason, seal.edited);
        assert_eq!(s.late[1].change_id, "c4");
        assert_eq!(s.late[1].column, "*");
        assert_eq!(s.late[1].reason, seal.deleted);
        // Without a signature every change counts and none is late.
        let open = settle_sealed(&row, seal, None);
        assert!(open.kept.is_empty() && open.late.is_empty(), "{open:?}");
    }

    #[test]
    fn an_entry_added_after_the_signature_is_late_whole() {
        let seal = &SEALS[0];
        let signed = version(&at(20, "a", "sign"));
        let row = history_row(&[
            entry(at(25, "b", "c9"), "hearing_id", json!("h"), false),
            entry(at(25, "b", "c9"), "text", json!("签名后补记"), false),
        ])
        .unwrap();
        let s = settle_sealed(&row, seal, signed.as_ref());
        assert!(s.kept.is_empty());
        assert_eq!(s.late.len(), 1);
        assert_eq!(s.late[0].column, "*");
        assert_eq!(s.late[0].reason, seal.added);
        assert_eq!(s.late[0].ours, Value::Null);
        assert_eq!(s.late[0].theirs["text"], json!("签名后补记"));
    }

    #[test]
    fn the_later_number_gives_way_and_only_its_desk_renumbers_it() {
        let early = at(1, "desk-a", "c1");
        let late = at(2, "desk-b", "c2");
        assert_eq!(
            number_clash(&late, &early, "desk-a"),
            NumberClash::TheirsHeld
        );
        assert_eq!(
            number_clash(&early, &late, "desk-b"),
            NumberClash::OursRenumbered
        );
        assert_eq!(number_clash(&early, &late, "desk-c"), NumberClash::OursHeld);
        // A number never synced here is older than any change: the pulled case gives way.
        assert_eq!(
            number_clash(&early, &zero_ver(), "desk-a"),
            NumberClash::TheirsHeld
        );
    }

    #[test]
    fn stand_ins_are_distinct_and_say_whose_they_are() {
        let s = stand_ins("（2026）京01信终001号", "case-0123456789", "u1");
        assert_eq!(s[0], "（2026）京01信终001号（重号·456789）");
        assert!(s[1].contains("case-0123456789") && s[2].ends_with("·u1）"));
        assert!(s[0] != s[1] && s[1] != s[2]);
        // A short id is used whole.
        assert_eq!(stand_ins("N", "ab", "u")[0], "N（重号·ab）");
    }
}
