//! The HTTP API of protocol version 1 (docs/sync-protocol.md), on axum.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hearing_sync::{
    Change, EnrollRequest, EnrollResponse, ErrorBody, Health, PullResponse, PushResponse,
    WaitResponse, DEFAULT_PULL_LIMIT, MAX_BLOB_BYTES, MAX_BODY_BYTES, MAX_PULL_LIMIT,
    MAX_PUSH_CHANGES, MAX_WAIT_SECS, PROTOCOL_HEADER, PROTOCOL_VERSION,
};
use http_body_util::BodyExt;
use serde::Deserialize;
use serde_json::Value;
use tower_http::catch_panic::CatchPanicLayer;

use crate::logic::{self, OrgTree, Refusal};
use crate::storage::{BlobOrg, DeviceRecord, NewDevice, PullQuery, PushPage, Storage, StoreError};

/// Largest enrolment request.
const MAX_ENROLL_BYTES: usize = 64 * 1024;
/// How long a client may take to send a body.
const BODY_TIMEOUT: Duration = Duration::from_secs(120);
/// The most of a refused request's body that is read (and dropped) before answering.
const DRAIN_BOUND: usize = 4 * MAX_BLOB_BYTES;
/// How often `last_seen` of a device is written at most.
const TOUCH_EVERY_MS: i64 = 60_000;

pub struct AppState {
    pub store: Arc<dyn Storage>,
    /// Pushes are checked against the org tree and stored one at a time, so a page that changes
    /// the tree is checked against the tree as the previous page left it.
    push_lock: tokio::sync::Mutex<()>,
    /// Each stored page, told to the devices waiting in `GET /v1/wait`.
    notice: tokio::sync::broadcast::Sender<Arc<Notice>>,
}

/// What a stored page touched, for the waiting devices to tell whether it is theirs.
#[derive(Debug)]
struct Notice {
    device: String,
    /// (table, org, scope org) of each new change.
    changes: Vec<(String, String, Option<String>)>,
}

impl Notice {
    /// Whether a device of `org` (other than the pusher) may see one of the changes: as its pull
    /// would (`logic::visible`).
    fn concerns(&self, device: &str, subtree: &[String], pools: &[String]) -> bool {
        self.device != device
            && self
                .changes
                .iter()
                .any(|(t, org, scope)| logic::visible(t, org, scope.as_deref(), subtree, pools))
    }
}

impl AppState {
    pub fn new(store: Arc<dyn Storage>) -> Arc<AppState> {
        Arc::new(AppState {
            store,
            push_lock: tokio::sync::Mutex::new(()),
            notice: tokio::sync::broadcast::channel(256).0,
        })
    }
}

/// An error answer: status, protocol code and a message for the clerk.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }
    fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }
    fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }
    fn too_large(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", message)
    }
    fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "服务器内部错误，已记录；请稍后重试，如仍失败请联系管理员",
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::BadCursor(_) => ApiError::bad_request(e.to_string()),
            StoreError::Invalid(m) => ApiError::bad_request(m),
            StoreError::Backend(m) => {
                tracing::error!("存储错误：{m}");
                ApiError::internal()
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(ErrorBody::new(self.code, self.message))).into_response()
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// The router of the whole API.
pub fn router(state: Arc<AppState>) -> Router {
    let v1 = Router::new()
        .route("/v1/enroll", post(enroll))
        .route("/v1/push", post(push))
        .route("/v1/pull", get(pull))
        .route("/v1/wait", get(wait))
        .route("/v1/audit", post(push_audit))
        .route(
            "/v1/blobs/{sha256}",
            get(get_blob).head(head_blob).put(put_blob),
        )
        .route_layer(middleware::from_fn(require_protocol));
    Router::new()
        .route("/v1/health", get(health))
        .merge(v1)
        .fallback(not_found)
        .layer(DefaultBodyLimit::disable())
        .with_state(state)
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn(drain_unread))
        .layer(middleware::from_fn(log_request))
}

fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("(无说明)");
    tracing::error!("处理请求时程序异常：{what}");
    ApiError::internal().into_response()
}

async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let start = Instant::now();
    let resp = next.run(req).await;
    tracing::info!(
        "{method} {path} {} {}ms",
        resp.status().as_u16(),
        start.elapsed().as_millis()
    );
    resp
}

async fn require_protocol(req: Request, next: Next) -> Response {
    let ok = req
        .headers()
        .get(PROTOCOL_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() == PROTOCOL_VERSION.to_string());
    if !ok {
        return ApiError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_protocol",
            format!(
                "同步协议版本不受支持：请求须带 X-Hearing-Protocol 头，服务器支持的版本为 {PROTOCOL_VERSION}；请升级听证工作台"
            ),
        )
        .into_response();
    }
    next.run(req).await
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "没有这个接口")
}

async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        protocols: vec![PROTOCOL_VERSION],
        server: format!("hearing-server {}", env!("CARGO_PKG_VERSION")),
    })
}

/// The device a request's bearer token belongs to.
pub struct Caller(pub DeviceRecord);

impl FromRequestParts<Arc<AppState>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Caller, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::unauthorized("缺少设备令牌，请先注册本设备"))?;
        let device = state
            .store
            .device_by_token(logic::token_hash(token))
            .await?
            .ok_or_else(|| ApiError::unauthorized("设备令牌无效，请重新注册本设备"))?;
        if device.revoked_at.is_some() {
            return Err(ApiError::unauthorized(
                "本设备已被管理员停用，请联系市委政法委的同步服务器管理员",
            ));
        }
        let now = logic::now_ms();
        if device.last_seen.is_none_or(|t| now - t > TOUCH_EVERY_MS) {
            if let Err(e) = state.store.touch_device(&device.id, now).await {
                tracing::warn!("无法记录设备 {} 的最近访问时间：{e}", device.id);
            }
        }
        Ok(Caller(device))
    }
}

/// Reads a body of at most `limit` bytes; a larger one is a 413 (and [`drain_unread`] reads
/// the rest so the client gets to read the answer).
async fn read_body(headers: &HeaderMap, body: Body, limit: usize, what: &str) -> ApiResult<Bytes> {
    let too_large =
        || ApiError::too_large(format!("{what}超过 {} MiB 的上限", limit / (1024 * 1024)));
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let mut body = body;
    let mut buf: Vec<u8> = Vec::new();
    let deadline = tokio::time::Instant::now() + BODY_TIMEOUT;
    loop {
        let frame = match tokio::time::timeout_at(deadline, body.frame()).await {
            Err(_) => return Err(ApiError::bad_request("请求内容传输超时")),
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                return Err(ApiError::bad_request(format!("请求内容读取失败：{e}")));
            }
            Ok(Some(Ok(f))) => f,
        };
        if let Ok(data) = frame.into_data() {
            if buf.len() + data.len() > limit {
                return Err(too_large());
            }
            buf.extend_from_slice(&data);
        }
    }
    Ok(Bytes::from(buf))
}

/// A request body shared between the handler and [`drain_unread`], which takes what the
/// handler left.
struct SharedBody(Arc<std::sync::Mutex<Option<Body>>>);

impl http_body::Body for SharedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        let mut guard = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match guard.as_mut() {
            Some(b) => std::pin::Pin::new(b).poll_frame(cx),
            None => std::task::Poll::Ready(None),
        }
    }
}

/// When a request is refused before its body was read (no token, too large, a bad blob name),
/// reads the rest of the body (up to a bound) before answering: a client still sending would
/// otherwise see a reset connection instead of the error.
async fn drain_unread(req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let shared = Arc::new(std::sync::Mutex::new(Some(body)));
    let req = Request::from_parts(parts, Body::new(SharedBody(Arc::clone(&shared))));
    let resp = next.run(req).await;
    let refused = resp.status().is_client_error() || resp.status().is_server_error();
    if refused && declared.is_none_or(|n| n <= DRAIN_BOUND as u64) {
        let rest = shared.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(mut body) = rest {
            let deadline = tokio::time::Instant::now() + BODY_TIMEOUT;
            let mut seen = 0usize;
            while let Ok(Some(Ok(frame))) = tokio::time::timeout_at(deadline, body.frame()).await {
                seen = seen.saturating_add(frame.data_ref().map_or(0, Bytes::len));
                if seen > DRAIN_BOUND {
                    break;
                }
            }
        }
    }
    resp
}

fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_request(format!("请求内容不是有效的 JSON 或缺少字段：{e}")))
}

async fn enroll(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<EnrollResponse>> {
    let bytes = read_body(&headers, body, MAX_ENROLL_BYTES, "注册请求").await?;
    let req: EnrollRequest = parse_json(&bytes)?;
    let name: String = req.device_name.trim().chars().take(100).collect();
    let name = if name.is_empty() {
        "未命名设备".to_owned()
    } else {
        name
    };
    let (token, token_hash) = logic::new_token().map_err(|e| {
        tracing::error!("{e}");
        ApiError::internal()
    })?;
    let device = NewDevice {
        id: logic::new_device_id(),
        name,
        token_hash,
    };
    let Some(device) = state
        .store
        .redeem_code(logic::code_hash(&req.code), logic::now_ms(), device)
        .await?
    else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_code",
            "注册码无效、已被使用或已过期，请向市委政法委的同步服务器管理员申请新的注册码",
        ));
    };
    tracing::info!(
        "设备 {}（{}）注册到单位 {}",
        device.id,
        device.name,
        device.org_id
    );
    let tree = OrgTree::new(state.store.orgs().await?);
    Ok(Json(EnrollResponse {
        device_id: device.id,
        token,
        org_id: device.org_id,
        orgs: tree.ordered(),
    }))
}

#[derive(Deserialize)]
struct RawPush {
    changes: Vec<Value>,
}

/// Parses and checks a page without the store: count, shape, `validate`, device.
fn parse_page(bytes: &[u8], caller: &DeviceRecord) -> ApiResult<Vec<Change>> {
    let raw: RawPush = parse_json(bytes)?;
    if raw.changes.len() > MAX_PUSH_CHANGES {
        return Err(ApiError::too_large(format!(
            "一批最多 {MAX_PUSH_CHANGES} 条更改，本批有 {} 条，请分批上报",
            raw.changes.len()
        )));
    }
    let mut changes = Vec::with_capacity(raw.changes.len());
    for (i, v) in raw.changes.into_iter().enumerate() {
        let id = v
            .get("id")
            .and_then(Value::as_str)
            .map(|s| s.chars().take(40).collect::<String>())
            .unwrap_or_else(|| "(无编号)".into());
        let change: Change = serde_json::from_value(v).map_err(|e| {
            ApiError::bad_request(format!("第 {} 条更改 {id} 格式错误：{e}", i + 1))
        })?;
        change.validate().map_err(|m| {
            if m.contains(&id) {
                ApiError::bad_request(format!("第 {} 条更改无效：{m}", i + 1))
            } else {
                ApiError::bad_request(format!("第 {} 条更改 {id} 无效：{m}", i + 1))
            }
        })?;
        if change.device_id != caller.id {
            return Err(ApiError::forbidden(format!(
                "更改 {} 不是本设备所做（设备“{}”），整批未保存",
                change.id,
                change.device_id.chars().take(40).collect::<String>()
            )));
        }
        changes.push(change);
    }
    Ok(changes)
}

async fn push(
    State(state): State<Arc<AppState>>,
    Caller(caller): Caller,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<PushResponse>> {
    let bytes = read_body(&headers, body, MAX_BODY_BYTES, "上报内容").await?;
    let changes = parse_page(&bytes, &caller)?;
    let _serial = state.push_lock.lock().await;
    let mut tree = OrgTree::new(state.store.orgs().await?);
    let owners = state
        .store
        .row_owners(
            changes
                .iter()
                .filter(|c| c.table != "orgs")
                .map(|c| (c.table.clone(), c.pk.clone()))
                .collect(),
            changes.iter().map(|c| c.id.clone()).collect(),
        )
        .await?;
    let refused = |r| match r {
        Refusal::Invalid(m) => ApiError::bad_request(m),
        Refusal::Forbidden(m) => ApiError::forbidden(m),
    };
    for c in &changes {
        logic::admit(&mut tree, &caller.org_id, c).map_err(refused)?;
        logic::admit_owner(&tree, &owners, &caller.org_id, c).map_err(refused)?;
    }
    let blob_orgs = blob_orgs_of_page(&state, &tree, &caller, &changes).await?;
    let n = changes.len();
    let touched: Vec<(String, String, Option<String>)> = changes
        .iter()
        .map(|c| (c.table.clone(), c.org_id.clone(), c.scope_org.clone()))
        .collect();
    let out = state
        .store
        .push_page(PushPage {
            changes,
            orgs: tree.touched(),
            blob_orgs,
            received_at: logic::now_ms(),
        })
        .await?;
    tracing::info!(
        "设备 {} 上报 {n} 条：新 {} 条，重复 {} 条，游标 {}",
        caller.id,
        out.accepted.len(),
        out.duplicates.len(),
        out.cursor
    );
    if !out.accepted.is_empty() {
        // Nobody waiting is not an error.
        let _ = state.notice.send(Arc::new(Notice {
            device: caller.id.clone(),
            changes: touched,
        }));
    }
    Ok(Json(PushResponse {
        accepted: out.accepted,
        duplicates: out.duplicates,
        cursor: out.cursor.to_string(),
    }))
}

/// `POST /v1/audit`: the next events of the caller's audit chain. Every link is checked against
/// the chain held (hash of each event's content, link to the previous hash, no gaps; a resent
/// event must be identical); a page that breaks the chain is refused whole with 422 naming the
/// first broken link, and logged.
async fn push_audit(
    State(state): State<Arc<AppState>>,
    Caller(caller): Caller,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<hearing_sync::audit::AuditPushResponse>> {
    use hearing_sync::audit::{check_chain, AuditPushRequest, AuditPushResponse, MAX_PUSH_AUDIT};
    let bytes = read_body(&headers, body, MAX_BODY_BYTES, "审计记录").await?;
    let req: AuditPushRequest = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("审计记录格式错误：{e}")))?;
    if req.events.len() > MAX_PUSH_AUDIT {
        return Err(ApiError::too_large(format!(
            "一次最多上报 {MAX_PUSH_AUDIT} 条审计记录，本次 {} 条",
            req.events.len()
        )));
    }
    let _serial = state.push_lock.lock().await;
    let (seq, hash) = state.store.audit_head(&caller.id).await?;
    let mut held = HashMap::new();
    for e in req.events.iter().filter(|e| e.seq <= seq) {
        if let Some(h) = state.store.audit_hash(&caller.id, e.seq).await? {
            held.insert(e.seq, h);
        }
    }
    let new = check_chain((seq, &hash), &req.events, |s| held.get(&s).cloned()).map_err(|b| {
        tracing::warn!("设备 {}（{}）的审计链断开：{b}", caller.id, caller.name);
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "audit_chain_broken",
            format!("{b}。服务器未接收这批审计记录，请联系管理员核查本机数据"),
        )
    })?;
    let head = new
        .last()
        .map(|e| (e.seq, e.hash.clone()))
        .unwrap_or((seq, hash));
    if !new.is_empty() {
        let n = new.len();
        state
            .store
            .append_audit(&caller.id, new, logic::now_ms())
            .await?;
        tracing::info!("设备 {} 上报审计记录 {n} 条，链头 {}", caller.id, head.0);
    }
    Ok(Json(AuditPushResponse {
        seq: head.0,
        hash: head.1,
    }))
}

/// The orgs a page gives the blobs its changes refer to: each change's org, for every blob it
/// refers to. A change may refer only to a blob the caller may read (uploaded by a device of its
/// org subtree, or referred to by a change of it): otherwise knowing a hash would be enough to
/// read another county's file, by pushing a change of one's own that refers to it. A desk uploads
/// the blobs of a page before the page, so its own references always pass.
async fn blob_orgs_of_page(
    state: &AppState,
    tree: &OrgTree,
    caller: &DeviceRecord,
    changes: &[Change],
) -> ApiResult<Vec<BlobOrg>> {
    let readable_orgs = tree.subtree(&caller.org_id);
    let mut readable: HashMap<String, bool> = HashMap::new();
    let mut out = BTreeSet::new();
    for c in changes {
        for sha256 in logic::blob_refs(c) {
            let ok = match readable.get(&sha256) {
                Some(ok) => *ok,
                None => {
                    let ok = state.store.blob_held_by(&sha256, &readable_orgs).await?;
                    readable.insert(sha256.clone(), ok);
                    ok
                }
            };
            if !ok {
                return Err(ApiError::forbidden(format!(
                    "更改 {} 引用的文件 {} 不在本设备所属单位及其下级单位上传或引用的文件之中（须先上传文件，再上报引用它的更改），整批未保存",
                    c.id,
                    logic::short_hash(&sha256)
                )));
            }
            out.insert(BlobOrg {
                sha256,
                org_id: c.org_id.clone(),
            });
        }
    }
    Ok(out.into_iter().collect())
}

async fn pull(
    State(state): State<Arc<AppState>>,
    Caller(caller): Caller,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> ApiResult<Json<PullResponse>> {
    let Query(q) = query.map_err(|e| ApiError::bad_request(format!("查询参数无效：{e}")))?;
    let after = cursor_param(&q)?;
    let limit = match q.get("limit").map(|s| s.trim()) {
        None | Some("") => DEFAULT_PULL_LIMIT,
        Some(s) => match s.parse::<usize>() {
            Ok(n) if (1..=MAX_PULL_LIMIT).contains(&n) => n,
            _ => {
                return Err(ApiError::bad_request(format!(
                    "每页条数应在 1 到 {MAX_PULL_LIMIT} 之间"
                )))
            }
        },
    };
    let tree = OrgTree::new(state.store.orgs().await?);
    let page = state
        .store
        .pull_page(PullQuery {
            after,
            limit,
            orgs: tree.subtree(&caller.org_id),
            pools: tree.ancestors(&caller.org_id),
            exclude_device: caller.id.clone(),
        })
        .await?;
    Ok(Json(PullResponse {
        changes: page.changes,
        cursor: page.cursor.to_string(),
        more: page.more,
    }))
}

/// `GET /v1/wait?after=CURSOR&timeout=SECS`: answers `{"changed": true}` as soon as the log holds a
/// change after `CURSOR` that this device would pull (at once if it holds one already), or
/// `{"changed": false}` after `SECS` (at most 30, default 25). A desk keeps one waiting while it is
/// online and pulls when told, so a change reaches it within a second instead of at its next
/// timer (which stays as the fallback).
async fn wait(
    State(state): State<Arc<AppState>>,
    Caller(caller): Caller,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> ApiResult<Json<WaitResponse>> {
    let Query(q) = query.map_err(|e| ApiError::bad_request(format!("查询参数无效：{e}")))?;
    let after = cursor_param(&q)?;
    let secs = match q.get("timeout").map(|s| s.trim()) {
        None | Some("") => 25,
        Some(s) => match s.parse::<u64>() {
            Ok(n) if (1..=MAX_WAIT_SECS).contains(&n) => n,
            _ => {
                return Err(ApiError::bad_request(format!(
                    "等待秒数应在 1 到 {MAX_WAIT_SECS} 之间"
                )))
            }
        },
    };
    // Listening before looking: a page stored in between is heard, not missed.
    let mut heard = state.notice.subscribe();
    let tree = OrgTree::new(state.store.orgs().await?);
    let subtree = tree.subtree(&caller.org_id);
    let pools = tree.ancestors(&caller.org_id);
    let held = state
        .store
        .pull_page(PullQuery {
            after,
            limit: 1,
            orgs: subtree.clone(),
            pools: pools.clone(),
            exclude_device: caller.id.clone(),
        })
        .await?;
    if !held.changes.is_empty() {
        return Ok(Json(WaitResponse { changed: true }));
    }
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        match tokio::time::timeout_at(deadline, heard.recv()).await {
            Err(_) => return Ok(Json(WaitResponse { changed: false })),
            Ok(Ok(n)) if n.concerns(&caller.id, &subtree, &pools) => {
                return Ok(Json(WaitResponse { changed: true }))
            }
            Ok(Ok(_)) => {}
            // Pages went by unheard (a burst): the device pulls and finds out.
            Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => {
                return Ok(Json(WaitResponse { changed: true }))
            }
            Ok(Err(tokio::sync::broadcast::error::RecvError::Closed)) => {
                return Ok(Json(WaitResponse { changed: false }))
            }
        }
    }
}

/// The `after` cursor of a pull or a wait (0 when absent).
fn cursor_param(q: &HashMap<String, String>) -> ApiResult<u64> {
    match q.get("after").map(|s| s.trim()) {
        None | Some("") => Ok(0),
        Some(s) => s.parse::<u64>().map_err(|_| {
            ApiError::bad_request(format!(
                "游标“{}”无效",
                s.chars().take(40).collect::<String>()
            ))
        }),
    }
}

fn blob_name(name: &str) -> ApiResult<&str> {
    if logic::is_sha256_hex(name) {
        Ok(name)
    } else {
        Err(ApiError::bad_request(
            "文件名应为 64 位小写十六进制的 SHA-256 值",
        ))
    }
}

fn blob_missing() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "服务器上没有这个文件")
}

/// A device may read a blob held by its org or an org below it (see [`BlobOrg`]): the same
/// subtree as its pull. Otherwise 403, also when the server does not have the blob, so that
/// whether another county's file exists is not told either.
async fn check_blob_readable(state: &AppState, caller: &DeviceRecord, name: &str) -> ApiResult<()> {
    let tree = OrgTree::new(state.store.orgs().await?);
    if state
        .store
        .blob_held_by(name, &tree.subtree(&caller.org_id))
        .await?
    {
        return Ok(());
    }
    let org = tree
        .get(&caller.org_id)
        .map_or(caller.org_id.as_str(), |r| r.org.name.as_str());
    Err(ApiError::forbidden(format!(
        "文件 {} 不属于本设备所属单位“{org}”及其下级单位的任何记录，无权读取",
        logic::short_hash(name)
    )))
}

async fn put_blob(
    State(state): State<Arc<AppState>>,
    Caller(caller): Caller,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let name = blob_name(&name)?;
    let bytes = read_body(&headers, body, MAX_BLOB_BYTES, "文件").await?;
    let actual = logic::sha256_hex(&bytes);
    if actual != name {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "hash_mismatch",
            format!("文件内容的 SHA-256 为 {actual}，与文件名 {name} 不符，传输可能出错，请重试"),
        ));
    }
    let new = state.store.put_blob(name, bytes.to_vec()).await?;
    // The uploader has the bytes: its org (and the orgs above it) may read them.
    state
        .store
        .add_blob_org(BlobOrg {
            sha256: name.to_owned(),
            org_id: caller.org_id.clone(),
        })
        .await?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(serde_json::json!({"sha256": name, "size": bytes.len()})),
    )
        .into_response())
}

async fn get_blob(
    State(state): State<Arc<AppState>>,
    Caller(caller): Caller,
    Path(name): Path<String>,
) -> ApiResult<Response> {
    let name = blob_name(&name)?;
    check_blob_readable(&state, &caller, name).await?;
    let bytes = state.store.get_blob(name).await?.ok_or_else(blob_missing)?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/octet-stream"),
        )],
        bytes,
    )
        .into_response())
}

async fn head_blob(
    State(state): State<Arc<AppState>>,
    Caller(caller): Caller,
    Path(name): Path<String>,
) -> ApiResult<Response> {
    let name = blob_name(&name)?;
    check_blob_readable(&state, &caller, name).await?;
    let len = state.store.blob_len(name).await?.ok_or_else(blob_missing)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            ),
            (header::CONTENT_LENGTH, HeaderValue::from(len)),
        ],
        Body::empty(),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    async fn boom() -> &'static str {
        panic!("boom")
    }

    #[tokio::test]
    async fn a_panic_is_a_json_500_and_the_router_keeps_serving() {
        let app: Router = Router::new()
            .route("/boom", get(boom))
            .route("/ok", get(|| async { "ok" }))
            .layer(CatchPanicLayer::custom(panic_response));
        let resp = app
            .clone()
            .oneshot(Request::builder().uri("/boom").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let body: ErrorBody = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(body.error.code, "internal");
        let resp = app
            .oneshot(Request::builder().uri("/ok").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
    }
}
