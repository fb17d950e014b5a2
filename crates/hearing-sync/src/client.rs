//! The desk's HTTP client for protocol version 1 (blocking; the app calls it from a worker
//! thread). Every failure becomes a [`ClientError`] with a message for the clerk.

use std::io::Read;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::protocol::*;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server could not be reached (offline, refused, timed out).
    #[error("无法连接同步服务器 {url}：{detail}")]
    Offline { url: String, detail: String },
    /// The server answered with an error.
    #[error("{message}（{code}，HTTP {status}）")]
    Server {
        status: u16,
        code: String,
        message: String,
    },
    /// The answer was not what the protocol says.
    #[error("服务器的应答无法识别：{0}")]
    Protocol(String),
}

impl ClientError {
    /// Worth retrying later (the network or the server is down), as opposed to a refusal.
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Offline { .. } => true,
            ClientError::Server { status, .. } => *status >= 500,
            ClientError::Protocol(_) => false,
        }
    }
}

/// Largest answer read (a pulled page of long documents stays far below it).
const MAX_ANSWER_BYTES: u64 = 512 << 20;

pub struct Client {
    base: String,
    token: Option<String>,
    agent: ureq::Agent,
}

impl Client {
    pub fn new(base: &str, token: Option<&str>) -> Client {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(5))
            .timeout(Duration::from_secs(60))
            .build();
        Client {
            base: base.trim_end_matches('/').to_owned(),
            token: token.map(str::to_owned),
            agent,
        }
    }

    fn req(&self, method: &str, path: &str) -> ureq::Request {
        let mut r = self
            .agent
            .request(method, &format!("{}{path}", self.base))
            .set(PROTOCOL_HEADER, &PROTOCOL_VERSION.to_string());
        if let Some(t) = &self.token {
            r = r.set("Authorization", &format!("Bearer {t}"));
        }
        r
    }

    fn answer<T: DeserializeOwned>(
        &self,
        r: Result<ureq::Response, ureq::Error>,
    ) -> Result<T, ClientError> {
        let resp = self.check(r)?;
        // Read whole, then parsed from memory: several times faster than parsing from the
        // socket's reader, which matters for pages of a thousand changes.
        let mut body = Vec::new();
        resp.into_reader()
            .take(MAX_ANSWER_BYTES + 1)
            .read_to_end(&mut body)
            .map_err(|e| ClientError::Protocol(e.to_string()))?;
        if body.len() as u64 > MAX_ANSWER_BYTES {
            return Err(ClientError::Protocol(format!(
                "应答超过 {} MiB",
                MAX_ANSWER_BYTES >> 20
            )));
        }
        serde_json::from_slice(&body).map_err(|e| ClientError::Protocol(e.to_string()))
    }

    fn check(&self, r: Result<ureq::Response, ureq::Error>) -> Result<ureq::Response, ClientError> {
        match r {
            Ok(resp) => Ok(resp),
            Err(ureq::Error::Status(status, resp)) => {
                let text = resp.into_string().unwrap_or_default();
                let (code, message) = match serde_json::from_str::<ErrorBody>(&text) {
                    Ok(b) => (b.error.code, b.error.message),
                    Err(_) => (
                        "http".to_owned(),
                        format!(
                            "服务器返回错误：{}",
                            text.chars().take(200).collect::<String>()
                        ),
                    ),
                };
                Err(ClientError::Server {
                    status,
                    code,
                    message,
                })
            }
            Err(e) => Err(ClientError::Offline {
                url: self.base.clone(),
                detail: e.to_string(),
            }),
        }
    }

    fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ClientError> {
        self.answer(self.req("POST", path).send_json(body))
    }

    pub fn health(&self) -> Result<Health, ClientError> {
        self.answer(self.req("GET", "/v1/health").call())
    }

    pub fn enroll(&self, code: &str, device_name: &str) -> Result<EnrollResponse, ClientError> {
        self.post(
            "/v1/enroll",
            &EnrollRequest {
                code: code.trim().to_owned(),
                device_name: device_name.to_owned(),
            },
        )
    }

    pub fn push(&self, changes: &[Change]) -> Result<PushResponse, ClientError> {
        self.post(
            "/v1/push",
            &PushRequest {
                changes: changes.to_vec(),
            },
        )
    }

    /// Pushes the next events of this desk's audit chain; the server checks every link.
    pub fn push_audit(
        &self,
        events: &[crate::audit::AuditEvent],
    ) -> Result<crate::audit::AuditPushResponse, ClientError> {
        self.post(
            "/v1/audit",
            &crate::audit::AuditPushRequest {
                events: events.to_vec(),
            },
        )
    }

    pub fn pull(&self, after: &str, limit: usize) -> Result<PullResponse, ClientError> {
        self.answer(
            self.req("GET", "/v1/pull")
                .query("after", after)
                .query("limit", &limit.to_string())
                .call(),
        )
    }

    /// Waits (up to `secs`, at most [`crate::MAX_WAIT_SECS`]) until the server holds changes for
    /// this device after `after`; `true` when it does (pull then), `false` when the wait ended
    /// without any.
    pub fn wait(&self, after: &str, secs: u64) -> Result<bool, ClientError> {
        let r: crate::WaitResponse = self.answer(
            self.req("GET", "/v1/wait")
                .query("after", after)
                .query("timeout", &secs.min(crate::MAX_WAIT_SECS).to_string())
                .call(),
        )?;
        Ok(r.changed)
    }

    pub fn put_blob(&self, sha256: &str, bytes: &[u8]) -> Result<(), ClientError> {
        self.check(
            self.req("PUT", &format!("/v1/blobs/{sha256}"))
                .set("Content-Type", "application/octet-stream")
                .send_bytes(bytes),
        )?;
        Ok(())
    }

    pub fn get_blob(&self, sha256: &str) -> Result<Vec<u8>, ClientError> {
        let resp = self.check(self.req("GET", &format!("/v1/blobs/{sha256}")).call())?;
        let mut out = Vec::new();
        resp.into_reader()
            .take(MAX_BLOB_BYTES as u64 + 1)
            .read_to_end(&mut out)
            .map_err(|e| ClientError::Offline {
                url: self.base.clone(),
                detail: e.to_string(),
            })?;
        Ok(out)
    }
}
