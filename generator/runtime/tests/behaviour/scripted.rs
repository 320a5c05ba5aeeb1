//! A scripted transport: canned responses instead of a server.
//!
//! The retry tests run with a paused clock (`#[tokio::test(start_paused = true)]`): every delay
//! (backoff, `Retry-After`, a slow response, a timeout) passes in virtual time, instantly and
//! exactly. A paused runtime that waits on a real socket jumps its clock to the next timer (the
//! attempt's timeout) while the response is on its way, so these tests put this transport in
//! place of reqwest (`ClientBuilder::transport`); everything above the exchange (building the
//! request, authentication, idempotency keys, classification, retries, decoding) is the real
//! runtime.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::runtime::auth::BoxFuture;
use crate::runtime::transport::{ExchangeError, Exchanged, Transport};
use crate::support::{Bytes, ClientBuilder, StatusCode, builder_at};

/// One canned response.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
}

impl Reply {
    /// A response with `status` and an empty body.
    pub fn status(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    /// Adds a response header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// A JSON body.
    pub fn json(self, value: serde_json::Value) -> Self {
        let mut reply = self.header("content-type", "application/json");
        reply.body = value.to_string().into_bytes();
        reply
    }

    /// A text body.
    pub fn text(mut self, text: &str) -> Self {
        self.body = text.as_bytes().to_vec();
        self
    }

    /// Takes this long to answer (in the runtime's time: virtual under a paused clock).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// A request the transport was given.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    /// The path and query.
    pub target: String,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Received {
    /// The value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON request body")
    }
}

/// Answers the n-th request with the n-th reply of its script, and every request after the
/// script's end with its last reply. Clones share the script and the record.
#[derive(Clone)]
pub struct ScriptedServer {
    script: Arc<Vec<Reply>>,
    received: Arc<Mutex<Vec<Received>>>,
}

impl ScriptedServer {
    pub fn new(script: Vec<Reply>) -> Self {
        assert!(!script.is_empty(), "a script needs at least one reply");
        ScriptedServer {
            script: Arc::new(script),
            received: Arc::default(),
        }
    }

    /// The test client's settings, sending through this script.
    pub fn builder(&self) -> ClientBuilder {
        builder_at("https://scripted.test".to_owned()).transport(self.clone())
    }

    /// Every request received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("not poisoned").clone()
    }
}

impl Transport for ScriptedServer {
    fn exchange(
        &self,
        request: reqwest::Request,
        limit: u64,
    ) -> BoxFuture<'_, Result<Exchanged, ExchangeError>> {
        let reply = {
            let mut log = self.received.lock().expect("not poisoned");
            let url = request.url();
            let target = match url.query() {
                Some(query) => format!("{}?{query}", url.path()),
                None => url.path().to_owned(),
            };
            log.push(Received {
                method: request.method().to_string(),
                target,
                headers: request.headers().clone(),
                body: request
                    .body()
                    .and_then(|b| b.as_bytes())
                    .map(<[u8]>::to_vec)
                    .unwrap_or_default(),
            });
            self.script[(log.len() - 1).min(self.script.len() - 1)].clone()
        };
        Box::pin(async move {
            tokio::time::sleep(reply.delay).await;
            let mut headers = reqwest::header::HeaderMap::new();
            for (name, value) in &reply.headers {
                headers.append(
                    reqwest::header::HeaderName::from_bytes(name.as_bytes())
                        .expect("a header name"),
                    value.parse().expect("a header value"),
                );
            }
            let status = StatusCode::from_u16(reply.status).expect("a status code");
            if reply.body.len() as u64 > limit {
                return Err(ExchangeError::TooLarge {
                    status,
                    headers,
                    declared: Some(reply.body.len() as u64),
                });
            }
            Ok(Exchanged {
                status,
                headers,
                body: Bytes::from(reply.body),
            })
        })
    }
}
