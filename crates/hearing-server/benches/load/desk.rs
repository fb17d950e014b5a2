//! One simulated desk: what it writes (changes as the store's triggers record them, built with
//! the protocol types and validated), how it syncs (as `hearing_store::sync` does: upload the
//! blobs of a page, push the page, pull after the cursor until `more` is false, download the
//! blobs the pulled changes refer to), and what it measures.

use std::collections::{BTreeMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Read;
use std::time::{Duration, Instant};

use hearing_sync::{
    Change, EnrollResponse, ErrorBody, Hlc, Op, PullResponse, PushResponse, DEFAULT_PULL_LIMIT,
    MAX_PUSH_CHANGES, PROTOCOL_HEADER, PROTOCOL_VERSION,
};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

/// The kinds of request, for latencies and errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Enroll,
    Push,
    Pull,
    BlobPut,
    BlobGet,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Enroll,
        Kind::Push,
        Kind::Pull,
        Kind::BlobPut,
        Kind::BlobGet,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Enroll => "POST /v1/enroll",
            Kind::Push => "POST /v1/push",
            Kind::Pull => "GET /v1/pull",
            Kind::BlobPut => "PUT /v1/blobs",
            Kind::BlobGet => "GET /v1/blobs",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// What a desk counted. Merged over all desks for the report.
#[derive(Default)]
pub struct Stats {
    /// Latency of each answered request (success or error answer), µs, per [`Kind`]; only
    /// requests started within the load window.
    pub latency: [Vec<u32>; 5],
    /// Requests that failed, by "request: what" → (count, first detail).
    pub errors: BTreeMap<String, (u64, String)>,
    /// Sync runs completed (push answered, pulled to the end) within the window.
    pub runs: u64,
    /// Changes the server listed as accepted / as duplicates in push answers.
    pub accepted: u64,
    pub duplicates_reported: u64,
    /// Changes delivered to this desk by pulls.
    pub pulled: u64,
    pub blob_up: (u64, u64),
    pub blob_down: (u64, u64),
    /// Pulled changes outside the desk's org subtree, or its own.
    pub scope_violations: u64,
    /// Push answers whose accepted + duplicates were not exactly the page's ids.
    pub ack_mismatches: u64,
    /// Blobs whose downloaded bytes did not hash to their name.
    pub blob_mismatches: u64,
    /// Pages pushed (answered), and the largest.
    pub pages: u64,
    pub largest_page: usize,
}

impl Stats {
    pub fn merge(&mut self, o: Stats) {
        for (a, b) in self.latency.iter_mut().zip(o.latency) {
            a.extend(b);
        }
        for (k, (n, first)) in o.errors {
            let e = self.errors.entry(k).or_insert((0, first));
            e.0 += n;
        }
        self.runs += o.runs;
        self.accepted += o.accepted;
        self.duplicates_reported += o.duplicates_reported;
        self.pulled += o.pulled;
        self.blob_up.0 += o.blob_up.0;
        self.blob_up.1 += o.blob_up.1;
        self.blob_down.0 += o.blob_down.0;
        self.blob_down.1 += o.blob_down.1;
        self.scope_violations += o.scope_violations;
        self.ack_mismatches += o.ack_mismatches;
        self.blob_mismatches += o.blob_mismatches;
        self.pages += o.pages;
        self.largest_page = self.largest_page.max(o.largest_page);
    }

    fn error(&mut self, kind: Kind, what: String, detail: String) {
        let e = self
            .errors
            .entry(format!("{}: {what}", kind.name()))
            .or_insert((0, detail));
        e.0 += 1;
    }
}

/// SplitMix64: a small seeded generator, so a run's workload is reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// A stable 64-bit hash (SipHash with fixed keys) of a change id or a change's JSON.
pub fn hash64(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// The content hash of a change as sent (serde_json's map order is stable).
pub fn content_hash(c: &Change) -> u64 {
    hash64(&serde_json::to_string(c).expect("change to JSON"))
}

/// A county of the simulated city.
#[derive(Clone)]
pub struct County {
    pub id: String,
    pub court: String,
    pub code: String,
    pub name: String,
}

/// What the load phase is given.
#[derive(Clone)]
pub struct Workload {
    /// Percent of sync runs that finalise a document (a PDF blob and its `documents` change).
    pub doc_pct: u64,
    /// Percent of sync runs that push a day of offline work (a page of 200–500 changes).
    pub offline_pct: u64,
    /// Pause between a desk's sync runs.
    pub pause: Duration,
}

struct Page {
    changes: Vec<Change>,
    /// Blob bytes to upload before the page (name, bytes).
    blobs: Vec<(String, Vec<u8>)>,
}

struct Hearing {
    id: String,
    next_seq: u32,
    step: u32,
}

/// One simulated desk of a county.
pub struct Desk {
    pub n: usize,
    pub id: String,
    token: String,
    pub county: County,
    agent: ureq::Agent,
    base: String,
    rng: Rng,
    hlc: Hlc,
    outbox_seq: u64,
    cases: Vec<(String, String)>,
    hearings: Vec<Hearing>,
    case_no: u32,
    doc_no: u32,
    cursor: String,
    held_blobs: HashSet<String>,
    pending: Option<Page>,
    /// Every change the server acknowledged (accepted or duplicate): id and content hash.
    pub acked: Vec<(String, u64)>,
    /// Changes of pages the server refused (4xx): must not be held.
    pub refused: Vec<String>,
    /// Changes sent whose page was never answered (the answer may have been lost).
    pub unanswered: Vec<String>,
    /// Hashes of the ids of every change pulled.
    pub received: Vec<u64>,
    pub stats: Stats,
    work: Workload,
}

/// Why a request failed: (what, detail).
type Failure = (String, String);

pub fn agent() -> ureq::Agent {
    // As the desk's client (hearing_sync::client): 5 s to connect, 60 s per request.
    ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(5))
        .timeout(Duration::from_secs(60))
        .build()
}

fn wall_ms() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0)
}

fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Sends a request and reads the whole answer: Ok(body) for 2xx, else the failure.
fn exchange(
    req: ureq::Request,
    body: Option<&[u8]>,
) -> Result<(u16, Vec<u8>), (Option<u16>, Failure)> {
    let result = match body {
        Some(b) => req.send_bytes(b),
        None => req.call(),
    };
    match result {
        Ok(resp) => {
            let status = resp.status();
            let mut out = Vec::new();
            match resp.into_reader().read_to_end(&mut out) {
                Ok(_) => Ok((status, out)),
                Err(e) => Err((None, ("transport: answer cut off".into(), format!("{e}")))),
            }
        }
        Err(ureq::Error::Status(status, resp)) => {
            let text = resp.into_string().unwrap_or_default();
            let code = serde_json::from_str::<ErrorBody>(&text)
                .map(|b| b.error.code)
                .unwrap_or_else(|_| "not an ErrorBody".into());
            Err((
                Some(status),
                (
                    format!("HTTP {status} {code}"),
                    text.chars().take(300).collect(),
                ),
            ))
        }
        Err(ureq::Error::Transport(t)) => {
            Err((None, (format!("transport: {:?}", t.kind()), t.to_string())))
        }
    }
}

/// Enrols a desk with a one-time code.
pub fn enroll(base: &str, code: &str, name: &str, stats: &mut Stats) -> Option<EnrollResponse> {
    let agent = agent();
    let body = serde_json::to_vec(&json!({"code": code, "deviceName": name})).unwrap();
    let req = agent
        .post(&format!("{base}/v1/enroll"))
        .set(PROTOCOL_HEADER, &PROTOCOL_VERSION.to_string())
        .set("Content-Type", "application/json");
    let start = Instant::now();
    let out = exchange(req, Some(&body));
    stats.latency[Kind::Enroll.index()].push(micros(start));
    match out {
        Ok((_, bytes)) => match serde_json::from_slice(&bytes) {
            Ok(r) => Some(r),
            Err(e) => {
                stats.error(Kind::Enroll, "answer not understood".into(), e.to_string());
                None
            }
        },
        Err((_, (what, detail))) => {
            stats.error(Kind::Enroll, what, detail);
            None
        }
    }
}

fn micros(start: Instant) -> u32 {
    u32::try_from(start.elapsed().as_micros()).unwrap_or(u32::MAX)
}

// Text the clerk types: statements of a 房屋征收补偿 hearing.
const STATEMENTS: &[&str] = &[
    "信访人称，其房屋于二〇一九年被列入征收范围，评估价格明显低于周边同类房屋的市场价格。",
    "承办单位答复，评估机构由被征收人投票选定，评估报告已依法送达，信访人未在法定期限内申请复核。",
    "听证员问：信访人是否收到过分户评估报告？信访人答：收到过，但当时不清楚可以申请复核。",
    "代理人认为，征收补偿决定书送达程序存在瑕疵，留置送达时没有见证人签名。",
    "承办单位出示送达回证及现场照片，证明送达时有社区工作人员两名在场见证。",
    "证人陈某称，其为社区网格员，当日与另一名工作人员一同前往信访人住处送达文书。",
    "信访人对证据一的真实性无异议，对其证明目的有异议，认为照片不能证明文书内容已被告知。",
    "主持人归纳争议焦点：一是评估价格是否合理；二是补偿决定的送达程序是否合法。",
    "听证员问承办单位：安置房源是否向信访人提供过选择？承办单位答：提供过三套，信访人均未选择。",
    "信访人表示，其诉求是按照二〇二二年的市场价格重新评估，并补发过渡期间的临时安置费。",
    "承办单位称，临时安置费已按月发放至信访人账户，共计十八个月，有银行流水为证。",
    "法院代表说明，信访人曾就补偿决定提起行政诉讼，一审、二审均驳回其诉讼请求，判决已生效。",
    "人大代表问：信访人家庭是否存在特殊困难？街道答：信访人之子患有慢性病，已纳入临时救助。",
    "律师听证员指出，生效判决已对补偿标准作出认定，信访事项属于依法终结的范围。",
    "信访人最后陈述：希望政府考虑其实际困难，在法律允许的范围内给予适当帮扶。",
    "记录员宣读笔录，信访人核对后表示记录属实，无补充。",
    "调解员建议，由街道牵头落实救助政策，同时对信访人做好释法明理工作。",
    "承办单位补充说明，二〇二三年已对同一事项作出复查意见，信访人未申请复核。",
];

const SURNAMES: &[&str] = &[
    "李", "王", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: &[&str] = &[
    "建国", "秀英", "志强", "桂兰", "海燕", "文博", "玉梅", "德华", "春生",
];
const ROLES: &[(&str, &str)] = &[
    ("presider", "主持人"),
    ("petitioner", "信访人"),
    ("agent", "代理人"),
    ("organ", "承办单位"),
    ("panelist", "听证员"),
    ("witness", "证人"),
];
const STEPS: &[&str] = &[
    "opening",
    "discipline",
    "identity",
    "petitioner_statement",
    "organ_statement",
    "evidence",
    "questions",
    "debate",
    "final_statement",
    "closing",
];

/// An 18-digit resident ID number with a correct GB 11643 check character.
fn id_number(rng: &mut Rng) -> String {
    let mut d = format!(
        "3301{:02}{}{:02}{:02}{:03}",
        rng.range(1, 9),
        rng.range(1950, 1995),
        rng.range(1, 12),
        rng.range(1, 28),
        rng.range(0, 999)
    );
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = d
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    d.push(b"10X98765432"[(sum % 11) as usize] as char);
    d
}

fn s(v: impl Into<String>) -> Value {
    Value::String(v.into())
}

impl Desk {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        n: usize,
        enrolled: EnrollResponse,
        county: County,
        base: &str,
        seed: u64,
        work: Workload,
    ) -> Desk {
        Desk {
            n,
            id: enrolled.device_id,
            token: enrolled.token,
            county,
            agent: agent(),
            base: base.to_owned(),
            rng: Rng::new(seed ^ (n as u64).wrapping_mul(0x2545_F491_4F6C_DD1D)),
            hlc: Hlc::ZERO,
            outbox_seq: 0,
            cases: Vec::new(),
            hearings: Vec::new(),
            case_no: 0,
            doc_no: 0,
            cursor: "0".into(),
            held_blobs: HashSet::new(),
            pending: None,
            acked: Vec::new(),
            refused: Vec::new(),
            unanswered: Vec::new(),
            received: Vec::new(),
            stats: Stats::default(),
            work,
        }
    }

    // ---- writing: one local write = one HLC tick; one outbox row per row changed -------------

    fn tick(&mut self) -> String {
        self.hlc = self.hlc.tick(wall_ms());
        self.hlc.to_string()
    }

    fn change(&mut self, hlc: &str, table: &str, pk: String, cols: Map<String, Value>) -> Change {
        self.outbox_seq += 1;
        let c = Change {
            id: format!("{}-{:012}", self.id, self.outbox_seq),
            org_id: self.county.id.clone(),
            device_id: self.id.clone(),
            hlc: hlc.to_owned(),
            table: table.to_owned(),
            pk,
            op: Op::Upsert,
            cols,
            at: now_text(),
            scope_org: None,
        };
        if let Err(e) = c.validate() {
            panic!("the bench made an invalid change: {e}\n{c:?}");
        }
        c
    }

    fn person(&mut self) -> String {
        format!("{}{}", self.rng.pick(SURNAMES), self.rng.pick(GIVEN))
    }

    fn text(&mut self, sentences: u64) -> String {
        (0..sentences)
            .map(|_| *self.rng.pick(STATEMENTS))
            .collect::<Vec<_>>()
            .join("")
    }

    /// 登记案件: the case row (every column) and its petitioners.
    fn register_case(&mut self, out: &mut Vec<Change>) {
        self.case_no += 1;
        let id = format!("case-{}", uuid::Uuid::now_v7());
        let number = format!(
            "{}-2026-{:04}",
            self.county.code,
            self.n as u32 * 1000 + self.case_no
        );
        let hlc = self.tick();
        let now = now_text();
        let petitioner = self.person();
        let mut cols = Map::new();
        for (k, v) in [
            ("id", s(&id)),
            ("number", s(&number)),
            ("org_id", s(&self.county.id)),
            ("handling_organ_id", s(&self.county.court)),
            ("case_officer", s(self.person())),
            ("title", s(format!("{petitioner}不服房屋征收补偿决定信访案"))),
            ("category", s("房屋征收补偿")),
            ("original_case_number", s(format!("（2024）浙01行终{}号", self.rng.range(100, 999)))),
            (
                "rulings",
                s(json!([{"court": "市中级人民法院", "number": "（2024）浙01行终字第312号", "result": "驳回上诉，维持原判"}]).to_string()),
            ),
            ("demands", s("按现行市场价格重新评估房屋，补发临时安置费")),
            ("background", s(self.text(3))),
            ("historical_facts", s(self.text(2))),
            ("problem_nature", s("诉求无理，但确有实际困难")),
            ("handling_principle", s("依法终结，帮扶救助")),
            ("petition_demands", s(self.text(1))),
            ("responsible_parties", s("区住房和城乡建设局、街道办事处")),
            ("social_relations", s("信访人之子患慢性病，家庭收入较低")),
            ("crux", s("评估价格与送达程序")),
            ("existing_replies", s("2023 年复查意见")),
            ("errors_and_flaws", s("")),
            ("analysis_completeness", json!(self.rng.range(1, 5))),
            ("status", s("registered")),
            ("registered_on", s("2026-11-27")),
            ("created_at", s(&now)),
            ("updated_at", s(&now)),
        ] {
            cols.insert(k.into(), v);
        }
        let c = self.change(&hlc, "cases", id.clone(), cols);
        out.push(c);
        for seq in 1..=self.rng.range(1, 2) {
            let name = if seq == 1 {
                petitioner.clone()
            } else {
                self.person()
            };
            let idn = id_number(&mut self.rng);
            let phone = format!("13{:09}", self.rng.below(1_000_000_000));
            let mut cols = Map::new();
            for (k, v) in [
                ("case_id", s(&id)),
                ("seq", json!(seq)),
                ("kind", s("person")),
                ("name", s(name)),
                ("id_number", s(idn)),
                ("phone", s(phone)),
                (
                    "address",
                    s(format!("{}幸福里{}幢{}室", self.county.name, seq + 2, 301)),
                ),
                ("credit_code", Value::Null),
                ("credit_code_warning", Value::Null),
                ("representative", s("")),
            ] {
                cols.insert(k.into(), v);
            }
            let pk = json!([id, seq]).to_string();
            let c = self.change(&hlc, "petitioners", pk, cols);
            out.push(c);
        }
        self.cases.push((id, number));
    }

    /// 安排听证: a hearings row.
    fn schedule_hearing(&mut self, out: &mut Vec<Change>) {
        if self.cases.is_empty() {
            self.register_case(out);
        }
        let (case_id, number) = self.rng.pick(&self.cases).clone();
        let id = format!("hearing-{}", uuid::Uuid::now_v7());
        let hlc = self.tick();
        let now = now_text();
        let mut cols = Map::new();
        for (k, v) in [
            ("id", s(&id)),
            ("case_id", s(&case_id)),
            ("org_id", s(&self.county.id)),
            ("title", s(format!("{number} 听证会"))),
            ("scheduled_on", s("2026-12-08")),
            ("start_time", s("09:30")),
            ("venue", s(format!("{}信访局三楼听证室", self.county.name))),
            ("mode", s("onsite")),
            ("public", json!(1)),
            ("non_public_reason", s("")),
            ("status", s("planned")),
            ("status_reason", s("")),
            ("current_step", json!(0)),
            ("config_version", json!(1)),
            ("announcement_published_on", Value::Null),
            ("draw_seed", Value::Null),
            ("draw_log", s("[]")),
            ("transcript_hash", Value::Null),
            ("transcript_signed_at", Value::Null),
            ("organ_decision", Value::Null),
            ("organ_decision_reason", s("")),
            ("created_at", s(&now)),
            ("updated_at", s(&now)),
        ] {
            cols.insert(k.into(), v);
        }
        let c = self.change(&hlc, "hearings", id.clone(), cols);
        out.push(c);
        self.hearings.push(Hearing {
            id,
            next_seq: 1,
            step: 0,
        });
    }

    /// 记录: `entries` testimony rows, each saved as typed (its own write), and the hearing's
    /// step moved on.
    fn record_testimony(&mut self, entries: u64, out: &mut Vec<Change>) {
        if self.hearings.is_empty() {
            self.schedule_hearing(out);
        }
        let h = self.rng.below(self.hearings.len() as u64) as usize;
        for _ in 0..entries {
            let hlc = self.tick();
            let now = now_text();
            let (role_key, role) = *self.rng.pick(ROLES);
            let speaker = format!("{role}{}", self.person());
            let sentences = self.rng.range(1, 3);
            let text = self.text(sentences);
            let hearing = &mut self.hearings[h];
            let seq = hearing.next_seq;
            hearing.next_seq += 1;
            let step = STEPS[(hearing.step as usize).min(STEPS.len() - 1)];
            let hearing_id = hearing.id.clone();
            let id = format!("testimony-{}", uuid::Uuid::now_v7());
            let mut cols = Map::new();
            for (k, v) in [
                ("id", s(&id)),
                ("hearing_id", s(&hearing_id)),
                ("seq", json!(seq)),
                ("step_key", s(step)),
                ("speaker_role", s(role_key)),
                ("speaker_name", s(speaker)),
                ("text", s(text)),
                ("supersedes", Value::Null),
                ("created_at", s(&now)),
                ("updated_at", s(&now)),
            ] {
                cols.insert(k.into(), v);
            }
            let c = self.change(&hlc, "testimony", id, cols);
            out.push(c);
        }
        let hlc = self.tick();
        let hearing = &mut self.hearings[h];
        hearing.step += 1;
        let (id, step) = (hearing.id.clone(), hearing.step);
        let mut cols = Map::new();
        cols.insert("current_step".into(), json!(step));
        cols.insert("status".into(), s("in_session"));
        cols.insert("updated_at".into(), s(now_text()));
        let c = self.change(&hlc, "hearings", id, cols);
        out.push(c);
    }

    /// 编辑四明五清: a few columns of a case.
    fn edit_case(&mut self, out: &mut Vec<Change>) {
        if self.cases.is_empty() {
            self.register_case(out);
            return;
        }
        let (id, _) = self.rng.pick(&self.cases).clone();
        let hlc = self.tick();
        let mut cols = Map::new();
        cols.insert("crux".into(), s(self.text(1)));
        cols.insert("analysis_completeness".into(), json!(self.rng.range(1, 5)));
        if self.rng.below(2) == 0 {
            cols.insert("errors_and_flaws".into(), s(self.text(1)));
        }
        cols.insert("updated_at".into(), s(now_text()));
        let c = self.change(&hlc, "cases", id, cols);
        out.push(c);
    }

    /// 定稿: a final document with its PDF (a blob uploaded before the page).
    fn finalize_document(&mut self, out: &mut Vec<Change>, blobs: &mut Vec<(String, Vec<u8>)>) {
        if self.cases.is_empty() {
            self.register_case(out);
        }
        let (case_id, _) = self.rng.pick(&self.cases).clone();
        self.doc_no += 1;
        // A closure decision is about 140 KB, a 100-page transcript about 410 KB (BENCHMARKS.md).
        let (kind, size) = if self.rng.below(10) < 7 {
            ("decision", self.rng.range(110_000, 170_000))
        } else {
            ("transcript", self.rng.range(330_000, 490_000))
        };
        let mut pdf = format!("%PDF-1.3\n% {} {} {}\n", self.id, self.doc_no, kind).into_bytes();
        while pdf.len() < size as usize {
            pdf.extend_from_slice(&self.rng.next().to_le_bytes());
        }
        pdf.truncate(size as usize);
        let sha = hex::encode(Sha256::digest(&pdf));
        let text = self.text(6);
        let text_sha = hex::encode(Sha256::digest(text.as_bytes()));
        let id = format!("doc-{}", uuid::Uuid::now_v7());
        let hlc = self.tick();
        let now = now_text();
        let mut cols = Map::new();
        for (k, v) in [
            ("id", s(&id)),
            ("org_id", s(&self.county.id)),
            ("case_id", s(&case_id)),
            ("hearing_id", Value::Null),
            ("kind", s(kind)),
            (
                "number",
                s(format!("{}终〔2026〕{}号", self.county.code, self.doc_no)),
            ),
            ("num_prefix", s(format!("{}终", self.county.code))),
            ("num_year", json!(2026)),
            ("num_seq", json!(self.doc_no)),
            ("version", json!(1)),
            ("previous_id", Value::Null),
            ("state", s("final")),
            ("text", s(text)),
            ("text_sha256", s(text_sha)),
            ("pdf_sha256", s(&sha)),
            ("pdf", json!({"$blob": sha})),
            (
                "verification_code",
                s(format!("{:08X}", self.rng.next() as u32)),
            ),
            ("scan_path", Value::Null),
            ("scan_sha256", Value::Null),
            ("service", s("{}")),
            ("finalized_at", s(&now)),
            ("created_at", s(&now)),
            ("updated_at", s(&now)),
        ] {
            cols.insert(k.into(), v);
        }
        let c = self.change(&hlc, "documents", id, cols);
        out.push(c);
        self.held_blobs.insert(sha.clone());
        blobs.push((sha, pdf));
    }

    /// The work of one sync interval, as a page for the outbox.
    fn next_page(&mut self) -> Page {
        let mut changes = Vec::new();
        let mut blobs = Vec::new();
        let roll = self.rng.below(100);
        if self.cases.is_empty() {
            self.register_case(&mut changes);
        } else if roll < self.work.offline_pct {
            // A day offline: many entries typed, pushed as one full page.
            let n = self.rng.range(200, MAX_PUSH_CHANGES as u64 - 2);
            while (changes.len() as u64) < n {
                let k = self.rng.range(10, 40).min(n - changes.len() as u64);
                self.record_testimony(k.max(1), &mut changes);
            }
        } else if roll < self.work.offline_pct + self.work.doc_pct {
            self.finalize_document(&mut changes, &mut blobs);
        } else {
            match self.rng.below(100) {
                0..=11 => self.register_case(&mut changes),
                12..=21 => self.schedule_hearing(&mut changes),
                22..=71 => {
                    let k = self.rng.range(1, 30);
                    self.record_testimony(k, &mut changes);
                }
                _ => self.edit_case(&mut changes),
            }
        }
        changes.truncate(MAX_PUSH_CHANGES);
        Page { changes, blobs }
    }

    // ---- syncing --------------------------------------------------------------------------

    fn req(&self, method: &str, path: &str) -> ureq::Request {
        self.agent
            .request(method, &format!("{}{path}", self.base))
            .set(PROTOCOL_HEADER, &PROTOCOL_VERSION.to_string())
            .set("Authorization", &format!("Bearer {}", self.token))
    }

    /// One timed request; latency counted only while `timed`.
    fn timed(
        &mut self,
        kind: Kind,
        req: ureq::Request,
        body: Option<&[u8]>,
        timed: bool,
    ) -> Result<Vec<u8>, (Option<u16>, Failure)> {
        let start = Instant::now();
        let out = exchange(req, body);
        if timed {
            self.stats.latency[kind.index()].push(micros(start));
        }
        match out {
            Ok((_, bytes)) => Ok(bytes),
            Err((status, (what, detail))) => {
                self.stats.error(kind, what.clone(), detail.clone());
                Err((status, (what, detail)))
            }
        }
    }

    /// Pushes the pending page (its blobs first). Ok(true) when answered.
    fn push_pending(&mut self, timed: bool) -> bool {
        let Some(page) = self.pending.take() else {
            return true;
        };
        for i in 0..page.blobs.len() {
            let (sha, bytes) = &page.blobs[i];
            let req = self
                .req("PUT", &format!("/v1/blobs/{sha}"))
                .set("Content-Type", "application/octet-stream");
            let ok = self.timed(Kind::BlobPut, req, Some(bytes), timed).is_ok();
            if !ok {
                self.pending = Some(page);
                return false;
            }
            if timed {
                self.stats.blob_up.0 += 1;
                self.stats.blob_up.1 += bytes.len() as u64;
            }
        }
        let body = serde_json::to_vec(&json!({ "changes": page.changes })).unwrap();
        let req = self
            .req("POST", "/v1/push")
            .set("Content-Type", "application/json");
        match self.timed(Kind::Push, req, Some(&body), timed) {
            Ok(bytes) => {
                let resp: PushResponse = match serde_json::from_slice(&bytes) {
                    Ok(r) => r,
                    Err(e) => {
                        self.stats
                            .error(Kind::Push, "answer not understood".into(), e.to_string());
                        self.pending = Some(page);
                        return false;
                    }
                };
                let mut said: Vec<&str> = resp
                    .accepted
                    .iter()
                    .chain(&resp.duplicates)
                    .map(String::as_str)
                    .collect();
                said.sort_unstable();
                let mut sent: Vec<&str> = page.changes.iter().map(|c| c.id.as_str()).collect();
                sent.sort_unstable();
                if said != sent {
                    self.stats.ack_mismatches += 1;
                }
                // Only what the server listed is acknowledged (a desk forgets just those).
                let listed: HashSet<&str> = said.into_iter().collect();
                for c in &page.changes {
                    if listed.contains(c.id.as_str()) {
                        self.acked.push((c.id.clone(), content_hash(c)));
                    }
                }
                self.stats.accepted += resp.accepted.len() as u64;
                self.stats.duplicates_reported += resp.duplicates.len() as u64;
                self.stats.pages += 1;
                self.stats.largest_page = self.stats.largest_page.max(page.changes.len());
                true
            }
            Err((Some(status), _)) if (400..500).contains(&status) => {
                // A refusal: retrying the same page cannot help (and it was not stored).
                self.refused
                    .extend(page.changes.iter().map(|c| c.id.clone()));
                true
            }
            Err(_) => {
                self.pending = Some(page);
                false
            }
        }
    }

    /// Pulls after the cursor until `more` is false, downloading the blobs the changes refer
    /// to. Ok when it got to the end.
    fn pull_to_end(&mut self, timed: bool) -> bool {
        loop {
            let path = format!("/v1/pull?after={}&limit={DEFAULT_PULL_LIMIT}", self.cursor);
            let req = self.req("GET", &path);
            let Ok(bytes) = self.timed(Kind::Pull, req, None, timed) else {
                return false;
            };
            let page: PullResponse = match serde_json::from_slice(&bytes) {
                Ok(p) => p,
                Err(e) => {
                    self.stats
                        .error(Kind::Pull, "answer not understood".into(), e.to_string());
                    return false;
                }
            };
            let mut latest = Hlc::ZERO;
            let mut wanted = Vec::new();
            for c in &page.changes {
                let in_scope = c.table == "orgs"
                    || c.org_id == self.county.id
                    || c.org_id == self.county.court;
                if !in_scope || c.device_id == self.id {
                    self.stats.scope_violations += 1;
                }
                if let Ok(h) = c.hlc.parse::<Hlc>() {
                    latest = latest.max(h);
                }
                if c.table != "orgs" {
                    self.received.push(hash64(&c.id));
                }
                for v in c.cols.values() {
                    if let Some(h) = v.get("$blob").and_then(Value::as_str) {
                        if !self.held_blobs.contains(h) {
                            wanted.push(h.to_owned());
                        }
                    }
                }
            }
            for sha in wanted {
                let req = self.req("GET", &format!("/v1/blobs/{sha}"));
                let Ok(bytes) = self.timed(Kind::BlobGet, req, None, timed) else {
                    return false;
                };
                if hex::encode(Sha256::digest(&bytes)) != sha {
                    self.stats.blob_mismatches += 1;
                }
                if timed {
                    self.stats.blob_down.0 += 1;
                    self.stats.blob_down.1 += bytes.len() as u64;
                }
                self.held_blobs.insert(sha);
            }
            // The page is applied and its cursor stored together.
            self.hlc = self.hlc.receive(latest, wall_ms());
            if timed {
                self.stats.pulled += page.changes.len() as u64;
            }
            self.cursor = page.cursor;
            if !page.more || page.changes.is_empty() {
                return true;
            }
        }
    }

    /// Sync runs until `deadline`: write, push, pull, again.
    pub fn run_until(&mut self, deadline: Instant) {
        // With a pause, desks start at random points of it and each pause varies by ±50 %, as
        // desks that are not in step (they would all push at once otherwise).
        let pause_ms = self.work.pause.as_millis() as u64;
        if pause_ms > 0 {
            std::thread::sleep(Duration::from_millis(self.rng.below(pause_ms)));
        }
        while Instant::now() < deadline {
            if self.pending.is_none() {
                self.pending = Some(self.next_page());
            }
            let pushed = self.push_pending(true);
            let pulled = pushed && self.pull_to_end(true);
            if pushed && pulled {
                self.stats.runs += 1;
                if pause_ms > 0 {
                    let ms = self.rng.range(pause_ms / 2, pause_ms * 3 / 2);
                    std::thread::sleep(
                        Duration::from_millis(ms)
                            .min(deadline.saturating_duration_since(Instant::now())),
                    );
                }
            } else {
                // As the desk's worker, wait before trying again (shorter than its 30 s).
                std::thread::sleep(Duration::from_millis(250));
            }
        }
    }

    /// After the window: push what is still waiting (a few tries), not timed.
    pub fn drain(&mut self) {
        for _ in 0..10 {
            if self.push_pending(false) {
                return;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        if let Some(page) = self.pending.take() {
            self.unanswered
                .extend(page.changes.iter().map(|c| c.id.clone()));
        }
    }

    /// After every desk drained: pull to the end (not timed), so the desk has everything.
    pub fn catch_up(&mut self) -> bool {
        for _ in 0..10 {
            if self.pull_to_end(false) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        false
    }
}

/// Pulls everything a device sees from cursor 0 (the verifier: a city desk), with the largest
/// page. Returns the non-`orgs` changes.
pub fn pull_everything(base: &str, token: &str) -> Result<Vec<Change>, String> {
    let agent = agent();
    let mut cursor = "0".to_owned();
    let mut out = Vec::new();
    loop {
        let req = agent
            .get(&format!(
                "{base}/v1/pull?after={cursor}&limit={}",
                hearing_sync::MAX_PULL_LIMIT
            ))
            .set(PROTOCOL_HEADER, &PROTOCOL_VERSION.to_string())
            .set("Authorization", &format!("Bearer {token}"));
        let (_, bytes) =
            exchange(req, None).map_err(|(_, (what, detail))| format!("{what}: {detail}"))?;
        let page: PullResponse = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        out.extend(page.changes.into_iter().filter(|c| c.table != "orgs"));
        cursor = page.cursor;
        if !page.more {
            return Ok(out);
        }
    }
}
