//! 会商研判 (DOMAIN.md §2): the committee's case conference. A meeting is the record of the org
//! that holds it, numbered per org and year (2026年第12期); its agenda lists cases of any org
//! below, added by hand or proposed from 预警; each case gets a discussion and a conclusion with
//! the org responsible and a deadline, and a conclusion may issue a 交办单 to that org in the
//! same write. The minutes print as a 纪要 (GB/T 9704 §10.3) from the `minutes` template.
//!
//! Ownership (docs/sync-protocol.md): the meeting and its agenda items are the holding org's;
//! an item is also about its case's org (its sync scope), so a county sees what the city
//! concluded about its own cases — and nothing of other counties' — without the meeting itself.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use hearing_core::access::Permission;
use hearing_core::meeting::{Attendee, Conclusion, ItemConclusionInput, MeetingInput, Presence};
use hearing_core::rules::Refusal;
use hearing_core::supervision::{SlipKind, ValidSlip};
use hearing_core::CaseStatus;
use hearing_docs::{Fields, FontSet};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::closure::{Desk, Entry};
use crate::documents::{extra_template, zh_date};
use crate::slips::path_up;
use crate::warnings::WarningKind;
use crate::{Result, Store, StoreError};

/// A meeting as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MeetingSummary {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    pub number: String,
    pub title: String,
    pub held_on: String,
    pub place: String,
    pub chair: String,
    /// Cases on the agenda, and how many of them have a conclusion.
    pub cases: u32,
    pub concluded: u32,
    pub proxy: bool,
}

/// A meeting with its agenda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Meeting {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    /// 代录: entered on a desk of another org working alone, from the paper minutes.
    pub proxy: bool,
    /// 2026年第12期
    pub number: String,
    pub title: String,
    pub held_on: String,
    pub time: String,
    pub place: String,
    pub chair: String,
    pub recorder: String,
    pub attendees: Vec<Attendee>,
    pub intro: String,
    pub items: Vec<MeetingItem>,
    /// How this desk may change it: its own org's, 代录, or only to read.
    pub entry: Entry,
}

/// One case on a meeting's agenda; also what a case's page shows of the meetings that
/// discussed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MeetingItem {
    pub id: String,
    pub meeting_id: String,
    pub meeting_title: String,
    pub held_on: String,
    /// The holding org.
    pub org_id: String,
    pub org_name: String,
    pub proxy: bool,
    pub case_id: String,
    pub case_number: String,
    pub case_title: String,
    pub case_status: CaseStatus,
    pub handling_organ_name: String,
    /// 1-based place on the agenda.
    pub seq: u32,
    /// `manual`, or the 预警 kind that proposed it.
    pub source: String,
    /// Why it is on the agenda, in words.
    pub reason: String,
    pub discussion: String,
    pub conclusion: Option<Conclusion>,
    pub conclusion_text: String,
    pub responsible_org_id: Option<String>,
    pub responsible_org_name: String,
    pub deadline: Option<String>,
    /// The 交办单 issued from the conclusion, and its number.
    pub slip_id: Option<String>,
    pub slip_number: String,
    /// Whether the meeting itself is on this desk (a county's desk has its items only).
    pub meeting_here: bool,
}

/// A case 预警 proposes for the agenda, with every reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AgendaProposal {
    pub case_id: String,
    pub case_number: String,
    pub case_title: String,
    pub kinds: Vec<WarningKind>,
    /// The warnings, in words.
    pub reasons: Vec<String>,
    /// Days past the earliest missed deadline, if one is missed.
    pub overdue_days: Option<u32>,
}

/// The first proposals, most pressing first, and how many there are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ProposalPage {
    pub total: u32,
    pub items: Vec<AgendaProposal>,
}

/// At most this many proposals in a page.
pub const PROPOSALS_MAX: usize = 100;

const ITEM_SELECT: &str = "SELECT i.id, i.meeting_id, i.meeting_title, i.held_on, i.org_id,
        COALESCE(o.name, i.org_id), i.proxy, i.case_id, c.number, c.title, c.status,
        COALESCE(h.name, ''), i.seq, i.source, i.reason, i.discussion, i.conclusion,
        i.conclusion_text, i.responsible_org_id, COALESCE(r.name, ''), i.deadline, i.slip_id,
        COALESCE(s.number, ''), EXISTS (SELECT 1 FROM meetings m WHERE m.id = i.meeting_id)
     FROM meeting_items i JOIN cases c ON c.id = i.case_id
     LEFT JOIN orgs o ON o.id = i.org_id
     LEFT JOIN orgs h ON h.id = c.handling_organ_id
     LEFT JOIN orgs r ON r.id = i.responsible_org_id
     LEFT JOIN supervision_slips s ON s.id = i.slip_id";

fn items(conn: &Connection, filter: &str, arg: &str) -> Result<Vec<MeetingItem>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{ITEM_SELECT} WHERE {filter} ORDER BY i.held_on DESC, i.seq"
    ))?;
    let rows = stmt.query_map([arg], |r| {
        let status: String = r.get(10)?;
        let conclusion: String = r.get(16)?;
        Ok(MeetingItem {
            id: r.get(0)?,
            meeting_id: r.get(1)?,
            meeting_title: r.get(2)?,
            held_on: r.get(3)?,
            org_id: r.get(4)?,
            org_name: r.get(5)?,
            proxy: r.get(6)?,
            case_id: r.get(7)?,
            case_number: r.get(8)?,
            case_title: r.get(9)?,
            case_status: CaseStatus::parse(&status).unwrap_or(CaseStatus::Registered),
            handling_organ_name: r.get(11)?,
            seq: r.get(12)?,
            source: r.get(13)?,
            reason: r.get(14)?,
            discussion: r.get(15)?,
            conclusion: Conclusion::parse(&conclusion),
            conclusion_text: r.get(17)?,
            responsible_org_id: r.get(18)?,
            responsible_org_name: r.get(19)?,
            deadline: r.get(20)?,
            slip_id: r.get(21)?,
            slip_number: r.get(22)?,
            meeting_here: r.get(23)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn get(conn: &Connection, id: &str) -> Result<Meeting> {
    let desk = Desk::of(conn)?;
    let m = conn
        .query_row(
            "SELECT m.id, m.org_id, COALESCE(o.name, m.org_id), m.proxy, m.number, m.title,
                m.held_on, m.time, m.place, m.chair, m.recorder, m.attendees, m.intro,
                m.entered_by
             FROM meetings m LEFT JOIN orgs o ON o.id = m.org_id WHERE m.id = ?1",
            [id],
            |r| {
                let attendees: String = r.get(11)?;
                let org_id: String = r.get(1)?;
                let proxy: bool = r.get(3)?;
                let entered_by: Option<String> = r.get(13)?;
                Ok(Meeting {
                    id: r.get(0)?,
                    // 代录 is changed where it was typed in, as 代录 still.
                    entry: match entered_by.filter(|_| proxy) {
                        Some(by) => match desk.entry(&by) {
                            Entry::Own => Entry::Proxy,
                            e => e,
                        },
                        None => desk.entry(&org_id),
                    },
                    org_id,
                    org_name: r.get(2)?,
                    proxy: r.get(3)?,
                    number: r.get(4)?,
                    title: r.get(5)?,
                    held_on: r.get(6)?,
                    time: r.get(7)?,
                    place: r.get(8)?,
                    chair: r.get(9)?,
                    recorder: r.get(10)?,
                    attendees: serde_json::from_str(&attendees).unwrap_or_default(),
                    intro: r.get(12)?,
                    items: Vec::new(),
                })
            },
        )
        .optional()?;
    let mut m = m.ok_or_else(|| StoreError::not_found("会商研判会议", id))?;
    m.items = items(conn, "i.meeting_id = ?1", id)?;
    m.items.sort_by_key(|i| i.seq);
    Ok(m)
}

/// Refuses a change to `m` on a desk that may only read it.
fn refuse_elsewhere(m: &Meeting) -> Result<()> {
    if m.entry == Entry::Elsewhere {
        return Err(StoreError::Forbidden(format!(
            "这次会商研判由“{}”召开，其纪要由该单位在其工作台上记录；本机已注册到同步服务器，只能查看",
            m.org_name
        )));
    }
    Ok(())
}

/// The meeting of an agenda item and the item, when this desk may change them.
fn item_to_change(conn: &Connection, item_id: &str) -> Result<(Meeting, MeetingItem)> {
    let meeting_id: String = conn
        .query_row(
            "SELECT meeting_id FROM meeting_items WHERE id = ?1",
            [item_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| StoreError::not_found("会商议题", item_id))?;
    let m = get(conn, &meeting_id)?;
    refuse_elsewhere(&m)?;
    let item = m
        .items
        .iter()
        .find(|i| i.id == item_id)
        .cloned()
        .ok_or_else(|| StoreError::not_found("会商议题", item_id))?;
    Ok((m, item))
}

/// Whether the case (its owning org or its handling organ) is at or below `org`.
fn case_under(conn: &Connection, case: &hearing_core::Case, org: &str) -> bool {
    [&case.handling_organ_id, &case.org_id]
        .iter()
        .any(|o| path_up(conn, o).iter().any(|p| p.id == org))
}

fn presence_names(attendees: &[Attendee], p: Presence) -> String {
    attendees
        .iter()
        .filter(|a| a.presence == p)
        .map(|a| {
            if a.unit.is_empty() {
                a.name.clone()
            } else {
                format!("{}（{}）", a.name, a.unit)
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

impl Store {
    /// Every meeting this desk holds, the latest first.
    pub fn meetings(&self) -> Result<Vec<MeetingSummary>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT m.id, m.org_id, COALESCE(o.name, m.org_id), m.number, m.title, m.held_on,
                m.place, m.chair, m.proxy,
                (SELECT count(*) FROM meeting_items i WHERE i.meeting_id = m.id),
                (SELECT count(*) FROM meeting_items i WHERE i.meeting_id = m.id
                    AND i.conclusion <> '')
             FROM meetings m LEFT JOIN orgs o ON o.id = m.org_id
             ORDER BY m.held_on DESC, m.num_year DESC, m.num_seq DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(MeetingSummary {
                id: r.get(0)?,
                org_id: r.get(1)?,
                org_name: r.get(2)?,
                number: r.get(3)?,
                title: r.get(4)?,
                held_on: r.get(5)?,
                place: r.get(6)?,
                chair: r.get(7)?,
                proxy: r.get(8)?,
                cases: r.get(9)?,
                concluded: r.get(10)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn meeting(&self, id: &str) -> Result<Meeting> {
        get(self.conn(), id)
    }

    /// The meetings that discussed a case, the latest first: on the holding org's desk and, by
    /// sync, on the desks of the case's org.
    pub fn case_meetings(&self, case_id: &str) -> Result<Vec<MeetingItem>> {
        crate::cases::get(self.conn(), case_id)?;
        items(self.conn(), "i.case_id = ?1", case_id)
    }

    /// A new meeting of this desk's org (of another org only on a desk working alone, as 代录),
    /// numbered in the org's series for the year of its date.
    pub fn create_meeting(&mut self, input: &MeetingInput) -> Result<Meeting> {
        let m = input.validate()?;
        self.write(Permission::EditCases, "会商研判", |w| {
            let desk = Desk::of(w.tx())?;
            let Some(org) = m.org_id.clone().or(desk.org.clone()) else {
                return Err(Refusal::one(
                    "本机未设所属单位，请选择召开会议的单位（按纸质纪要代录）",
                )
                .into());
            };
            let org_name = crate::orgs::get(w.tx(), &org)?.name;
            let entry = desk.entry(&org);
            if entry == Entry::Elsewhere {
                return Err(StoreError::Forbidden(format!(
                    "会商研判由“{org_name}”在其工作台上记录；本机已注册到同步服务器，不能代录"
                )));
            }
            let year = validate_year(&m.held_on);
            let seq: i64 = w.tx().query_row(
                "SELECT COALESCE(MAX(num_seq), 0) + 1 FROM meetings
                 WHERE org_id = ?1 AND num_year = ?2",
                params![org, year],
                |r| r.get(0),
            )?;
            let number = format!("{year}年第{seq}期");
            let id = uuid::Uuid::now_v7().to_string();
            w.tx().execute(
                "INSERT INTO meetings (id, org_id, proxy, number, num_year, num_seq, title,
                    held_on, time, place, chair, recorder, attendees, intro, created_at,
                    updated_at, entered_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15,
                    ?16)",
                params![
                    id,
                    org,
                    entry == Entry::Proxy,
                    number,
                    year,
                    seq,
                    m.title,
                    m.held_on,
                    m.time,
                    m.place,
                    m.chair,
                    m.recorder,
                    serde_json::to_string(&m.attendees)?,
                    m.intro,
                    w.now(),
                    desk.org.filter(|_| entry == Entry::Proxy)
                ],
            )?;
            let on_behalf = if entry == Entry::Proxy {
                "；代录"
            } else {
                ""
            };
            w.describe(
                "meeting",
                &id,
                format!("{number}：{}，{}{on_behalf}", m.title, m.held_on),
            );
            get(w.tx(), &id)
        })
    }

    /// Changes a meeting's particulars (not its org or number).
    pub fn update_meeting(&mut self, id: &str, input: &MeetingInput) -> Result<Meeting> {
        let m = input.validate()?;
        self.write(Permission::EditCases, "修改会商研判", |w| {
            let old = get(w.tx(), id)?;
            refuse_elsewhere(&old)?;
            w.tx().execute(
                "UPDATE meetings SET title = ?2, held_on = ?3, time = ?4, place = ?5, chair = ?6,
                    recorder = ?7, attendees = ?8, intro = ?9, updated_at = ?10 WHERE id = ?1",
                params![
                    id,
                    m.title,
                    m.held_on,
                    m.time,
                    m.place,
                    m.chair,
                    m.recorder,
                    serde_json::to_string(&m.attendees)?,
                    m.intro,
                    w.now()
                ],
            )?;
            if old.title != m.title || old.held_on != m.held_on {
                w.tx().execute(
                    "UPDATE meeting_items SET meeting_title = ?2, held_on = ?3, updated_at = ?4
                     WHERE meeting_id = ?1",
                    params![id, m.title, m.held_on, w.now()],
                )?;
            }
            w.describe("meeting", id, format!("{}：{}", old.number, m.title));
            get(w.tx(), id)
        })
    }

    /// Puts a case (by id or number) on the agenda, last; `source` is the 预警 kind that
    /// proposed it, `reason` why, in words.
    pub fn add_meeting_case(
        &mut self,
        meeting_id: &str,
        case: &str,
        source: Option<WarningKind>,
        reason: &str,
    ) -> Result<Meeting> {
        let reason = hearing_core::text::clean(reason);
        if reason.chars().count() > hearing_core::text::MEDIUM {
            return Err(
                Refusal::one(format!("议题说明最多 {} 字", hearing_core::text::MEDIUM)).into(),
            );
        }
        self.write(Permission::EditCases, "列入会商议题", |w| {
            let m = get(w.tx(), meeting_id)?;
            refuse_elsewhere(&m)?;
            let c = match crate::cases::get(w.tx(), case) {
                Ok(c) => c,
                Err(StoreError::NotFound { .. }) => {
                    let id: Option<String> = w
                        .tx()
                        .query_row(
                            "SELECT id FROM cases WHERE number = ?1",
                            [case.trim()],
                            |r| r.get(0),
                        )
                        .optional()?;
                    match id {
                        Some(id) => crate::cases::get(w.tx(), &id)?,
                        None => return Err(StoreError::not_found("案件", case)),
                    }
                }
                Err(e) => return Err(e),
            };
            if m.items.iter().any(|i| i.case_id == c.id) {
                return Err(Refusal::one(format!("案件 {} 已在本次会议议题中", c.number)).into());
            }
            if !case_under(w.tx(), &c, &m.org_id) {
                return Err(Refusal::one(format!(
                    "案件 {} 不属“{}”及其下级单位，不能列入其会商研判",
                    c.number, m.org_name
                ))
                .into());
            }
            let id = uuid::Uuid::now_v7().to_string();
            let seq = m.items.iter().map(|i| i.seq).max().unwrap_or(0) + 1;
            w.tx().execute(
                "INSERT INTO meeting_items (id, meeting_id, org_id, proxy, meeting_title, held_on,
                    case_id, seq, source, reason, created_at, updated_at, entered_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11,
                    (SELECT entered_by FROM meetings WHERE id = ?2))",
                params![
                    id,
                    meeting_id,
                    m.org_id,
                    m.proxy,
                    m.title,
                    m.held_on,
                    c.id,
                    seq,
                    source.map(|k| k.as_str()).unwrap_or("manual"),
                    reason,
                    w.now()
                ],
            )?;
            w.for_case(&c.id);
            w.describe(
                "meeting_item",
                &id,
                format!("列入{}{}议题：{}", m.org_name, m.number, c.number),
            );
            get(w.tx(), meeting_id)
        })
    }

    /// Takes a case off the agenda; one whose conclusion issued a 交办单 stays (the slip is out).
    pub fn remove_meeting_item(&mut self, item_id: &str) -> Result<Meeting> {
        self.write(Permission::EditCases, "移出会商议题", |w| {
            let (m, item) = item_to_change(w.tx(), item_id)?;
            let meeting_id = m.id.clone();
            if item.slip_id.is_some() {
                return Err(Refusal::one(format!(
                    "案件 {} 的研判结论已发出交办单{}，不能移出议题",
                    item.case_number, item.slip_number
                ))
                .into());
            }
            w.tx()
                .execute("DELETE FROM meeting_items WHERE id = ?1", [item_id])?;
            // Close the gap, keeping the order.
            for (n, i) in m.items.iter().filter(|i| i.id != item_id).enumerate() {
                let seq = n as u32 + 1;
                if i.seq != seq {
                    w.tx().execute(
                        "UPDATE meeting_items SET seq = ?2, updated_at = ?3 WHERE id = ?1",
                        params![i.id, seq, w.now()],
                    )?;
                }
            }
            w.for_case(&item.case_id);
            w.describe(
                "meeting_item",
                item_id,
                format!("移出{}议题：{}", m.number, item.case_number),
            );
            get(w.tx(), &meeting_id)
        })
    }

    /// Puts the agenda in the order of `item_ids` (every item of the meeting, once).
    pub fn reorder_meeting(&mut self, meeting_id: &str, item_ids: &[String]) -> Result<Meeting> {
        self.write(Permission::EditCases, "调整议题顺序", |w| {
            let m = get(w.tx(), meeting_id)?;
            refuse_elsewhere(&m)?;
            let have: HashSet<&str> = m.items.iter().map(|i| i.id.as_str()).collect();
            let given: HashSet<&str> = item_ids.iter().map(String::as_str).collect();
            if have != given || given.len() != item_ids.len() {
                return Err(Refusal::one(
                    "议题顺序须列出本次会议的每个议题各一次；议题可能已被修改，请刷新后再试",
                )
                .into());
            }
            for (n, id) in item_ids.iter().enumerate() {
                let seq = n as u32 + 1;
                if m.items.iter().any(|i| &i.id == id && i.seq != seq) {
                    w.tx().execute(
                        "UPDATE meeting_items SET seq = ?2, updated_at = ?3 WHERE id = ?1",
                        params![id, seq, w.now()],
                    )?;
                }
            }
            w.describe("meeting", meeting_id, format!("{}：调整议题顺序", m.number));
            get(w.tx(), meeting_id)
        })
    }

    /// Records the discussion and the conclusion of one agenda item; with `issue_slip`, issues
    /// a 交办单 from the holding org to the responsible org in the same write (numbered, on
    /// the case's 三单, on its way to the org's desk by sync).
    pub fn conclude_meeting_item(
        &mut self,
        item_id: &str,
        input: &ItemConclusionInput,
    ) -> Result<Meeting> {
        let c = input.validate(self.today())?;
        self.write(Permission::EditCases, "会商研判结论", |w| {
            let (m, item) = item_to_change(w.tx(), item_id)?;
            let meeting_id = m.id.clone();
            if let Some(org) = &c.responsible_org_id {
                crate::orgs::get(w.tx(), org)?;
            }
            let deadline = c.deadline.map(|d| d.format("%Y-%m-%d").to_string());
            if item.slip_id.is_some()
                && (c.responsible_org_id != item.responsible_org_id || deadline != item.deadline)
            {
                return Err(Refusal::one(format!(
                    "案件 {} 已就研判结论发出交办单{}，责任单位和办理期限以交办单为准，不能再改",
                    item.case_number, item.slip_number
                ))
                .into());
            }
            let mut slip_id = item.slip_id.clone();
            if c.issue_slip {
                if item.slip_id.is_some() {
                    return Err(Refusal::one(format!(
                        "案件 {} 已就本次研判结论发出交办单{}",
                        item.case_number, item.slip_number
                    ))
                    .into());
                }
                let (Some(to), Some(due)) = (c.responsible_org_id.clone(), c.deadline) else {
                    return Err(Refusal::one("发交办单须指定责任单位和办理期限").into());
                };
                let mut content = format!(
                    "经{}{}会商研判，研判结论：{}。",
                    m.org_name,
                    m.number,
                    c.conclusion.label()
                );
                if !c.conclusion_text.is_empty() {
                    content.push_str(&c.conclusion_text);
                    if !c.conclusion_text.ends_with(['。', '！', '；']) {
                        content.push('。');
                    }
                }
                content.push_str("请按研判意见办理，并按期反馈办理情况。");
                let slip = ValidSlip {
                    kind: SlipKind::Assign,
                    from_org_id: Some(m.org_id.clone()),
                    to_org_id: to,
                    content,
                    deadline: due,
                    issued_by: c.issued_by.clone(),
                };
                slip_id = Some(crate::slips::issue_in(w, &item.case_id, &slip)?);
            }
            w.tx().execute(
                "UPDATE meeting_items SET discussion = ?2, conclusion = ?3, conclusion_text = ?4,
                    responsible_org_id = ?5, deadline = ?6, slip_id = ?7, updated_at = ?8
                 WHERE id = ?1",
                params![
                    item_id,
                    c.discussion,
                    c.conclusion.as_str(),
                    c.conclusion_text,
                    c.responsible_org_id,
                    deadline,
                    slip_id,
                    w.now()
                ],
            )?;
            w.for_case(&item.case_id);
            let slip_note = if c.issue_slip {
                "，并发交办单"
            } else {
                ""
            };
            w.describe(
                "meeting_item",
                item_id,
                format!(
                    "{}{}研判 {}：{}{slip_note}",
                    m.org_name,
                    m.number,
                    item.case_number,
                    c.conclusion.label()
                ),
            );
            get(w.tx(), &meeting_id)
        })
    }

    /// The cases 预警 proposes for the agenda on `today`: past their handling limit, with a
    /// 交办单/督办单 past its deadline unanswered, of a repeat petitioner, or reopened — active,
    /// at or below the holding org, not yet on the agenda; most reasons first, then the longest
    /// overdue.
    pub fn agenda_proposals(&self, meeting_id: &str, today: NaiveDate) -> Result<ProposalPage> {
        let m = self.meeting(meeting_id)?;
        let on_agenda: Vec<&str> = m.items.iter().map(|i| i.case_id.as_str()).collect();
        self.proposals_for(&m.org_id, &on_agenda, today)
    }

    /// The proposals for a meeting of `org_id` whose agenda holds `on_agenda` (case ids).
    pub fn proposals_for(
        &self,
        org_id: &str,
        on_agenda: &[&str],
        today: NaiveDate,
    ) -> Result<ProposalPage> {
        let warnings = self.conference_warnings(today)?;
        let on_agenda: HashSet<&str> = on_agenda.iter().copied().collect();
        let all = crate::orgs::list(self.conn())?;
        let orgs = crate::orgs::subtree(&all, org_id);
        let every_org = orgs.len() >= all.len();
        let mut by_case: HashMap<String, AgendaProposal> = HashMap::new();
        for w in warnings {
            let pressing = match w.kind {
                WarningKind::HandlingLimit | WarningKind::SupervisionSlip => {
                    w.days_left.is_some_and(|d| d < 0)
                }
                WarningKind::RepeatPetition | WarningKind::Reopened => true,
                _ => false,
            };
            if !pressing || on_agenda.contains(w.case_id.as_str()) {
                continue;
            }
            let p = by_case
                .entry(w.case_id.clone())
                .or_insert_with(|| AgendaProposal {
                    case_id: w.case_id.clone(),
                    case_number: w.case_number.clone(),
                    case_title: w.case_title.clone(),
                    kinds: Vec::new(),
                    reasons: Vec::new(),
                    overdue_days: None,
                });
            if !p.kinds.contains(&w.kind) {
                p.kinds.push(w.kind);
            }
            p.reasons.push(w.message);
            if let Some(d) = w.days_left.filter(|d| *d < 0) {
                let d = d.unsigned_abs();
                p.overdue_days = Some(p.overdue_days.map_or(d, |o| o.max(d)));
            }
        }
        if !by_case.is_empty() {
            // Active and at or below the holding org.
            let mut keep: HashSet<String> = HashSet::new();
            let active =
                crate::stats::status_in(CaseStatus::ALL.into_iter().filter(|s| s.is_active()));
            let mut stmt = self.conn().prepare_cached(&format!(
                "SELECT c.id, c.org_id, c.handling_organ_id FROM cases c
                 WHERE c.id IN (SELECT value FROM rarray(?1)) AND {active}"
            ))?;
            let ids = std::rc::Rc::new(
                by_case
                    .keys()
                    .map(|k| rusqlite::types::Value::Text(k.clone()))
                    .collect::<Vec<_>>(),
            );
            let mut rows = stmt.query([ids])?;
            while let Some(r) = rows.next()? {
                let (id, org, organ): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
                if every_org || orgs.contains(&org) || orgs.contains(&organ) {
                    keep.insert(id);
                }
            }
            by_case.retain(|k, _| keep.contains(k));
        }
        let mut all: Vec<AgendaProposal> = by_case.into_values().collect();
        all.sort_by(|a, b| {
            b.kinds
                .len()
                .cmp(&a.kinds.len())
                .then(b.overdue_days.cmp(&a.overdue_days))
                .then(a.case_number.cmp(&b.case_number))
        });
        let total = u32::try_from(all.len()).unwrap_or(u32::MAX);
        all.truncate(PROPOSALS_MAX);
        Ok(ProposalPage { total, items: all })
    }

    /// The 会商研判纪要 as a document text, from the template (the desk's own `minutes.txt`,
    /// else the built-in).
    pub fn meeting_text(&self, id: &str) -> Result<String> {
        let m = self.meeting(id)?;
        let mut items: Vec<String> = Vec::new();
        for (n, i) in m.items.iter().enumerate() {
            items.push(format!(
                "@h1 {}、{}（{}，{}）",
                crate::documents::cn_number(n + 1),
                i.case_title,
                i.case_number,
                i.handling_organ_name
            ));
            if !i.reason.is_empty() {
                items.push(format!("列入议题原因：{}", i.reason));
            }
            if i.conclusion.is_none() && i.discussion.is_empty() {
                items.push("本案未形成研判意见，下次会议继续研判。".to_owned());
                continue;
            }
            if !i.discussion.is_empty() {
                items.push(format!("研判情况：{}", i.discussion));
            }
            if let Some(c) = i.conclusion {
                let mut s = format!("研判意见：{}", c.label());
                if !i.conclusion_text.is_empty() {
                    s.push('。');
                    s.push_str(&i.conclusion_text);
                }
                if !s.ends_with(['。', '！', '；']) {
                    s.push('。');
                }
                if !i.responsible_org_name.is_empty() {
                    s.push_str(&format!("责任单位：{}", i.responsible_org_name));
                    if let Some(d) = &i.deadline {
                        s.push_str(&format!("，于{}前办理完毕并反馈", zh_date(d)));
                    }
                    s.push('。');
                }
                if !i.slip_number.is_empty() {
                    s.push_str(&format!("已发交办单（{}）。", i.slip_number));
                }
                items.push(s);
            }
        }
        if m.items.is_empty() {
            items.push("本次会议未列入案件。".to_owned());
        }
        let mut f = Fields::new();
        f.text("org", &m.org_name)
            .text("title", meeting_doc_title(&m.title))
            .text("number", &m.number)
            .text("held_on", zh_date(&m.held_on))
            .text("time", &m.time)
            .text("place", &m.place)
            .text("chair", &m.chair)
            .text("case_count", m.items.len().to_string())
            .text("intro", &m.intro)
            .list("items", items)
            .text("present", {
                // The chair is the first of those present.
                let others = presence_names(&m.attendees, Presence::Present);
                let chair_listed = m
                    .attendees
                    .iter()
                    .any(|a| a.presence == Presence::Present && m.chair.contains(a.name.as_str()));
                match (chair_listed, others.is_empty()) {
                    (true, _) => others,
                    (false, true) => m.chair.clone(),
                    (false, false) => format!("{}、{others}", m.chair),
                }
            })
            .text(
                "attending",
                presence_names(&m.attendees, Presence::Attending),
            )
            .text("absent", presence_names(&m.attendees, Presence::Absent))
            .text("recorder", &m.recorder)
            .text(
                "proxy",
                if m.proxy {
                    "本纪要系根据召开单位纸质纪要代录。"
                } else {
                    ""
                },
            );
        let source = extra_template(self, "minutes")?;
        hearing_docs::templates::fill("minutes", &source, &f)
            .map_err(|e| StoreError::Document(e.to_string()))
    }

    /// The PDF of [`Store::meeting_text`].
    pub fn meeting_pdf(&self, id: &str, fonts: &FontSet) -> Result<Vec<u8>> {
        let text = self.meeting_text(id)?;
        hearing_docs::render_text(&text, fonts, "会商研判纪要")
            .map_err(|e| StoreError::Document(e.to_string()))
    }
}

/// The year of a checked `YYYY-MM-DD` date (the meeting's series).
fn validate_year(d: &str) -> i64 {
    NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .map(|d| i64::from(d.year()))
        .unwrap_or(0)
}

/// The 纪要's name from the meeting's title: 会议 dropped at the end, as 纪要 replaces it
/// (…会商研判会议 → …会商研判纪要).
fn meeting_doc_title(title: &str) -> String {
    title
        .trim()
        .trim_end_matches("纪要")
        .trim_end_matches("会议")
        .to_owned()
}
