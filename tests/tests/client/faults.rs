//! The HubSpot client under real socket faults: a loopback server on raw Tokio sockets answers
//! each connection as a script says (reset before or in the middle of the body, a body cut
//! short of its `Content-Length`, stalled headers or body, a garbage `Retry-After`, a redirect to
//! another origin, an oversized body), and the generated client talks to it through real reqwest
//! and hyper. The runtime's retry rules on a paused clock are in
//! `generator/runtime/tests/behaviour/retry.rs` (a scripted transport); these tests prove the
//! same rules hold at the socket.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hubspot_custom_channels::models::PublicChannelAccountEgg;
use hubspot_custom_channels::{Client, ClientBuilder, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "secret-bearer-token-7f3a";
const CHANNEL: i32 = 1001;

/// A channel account as HubSpot returns it.
fn account_json() -> Vec<u8> {
    br#"{"id":"4242","channelId":"1001","inboxId":"3003","name":"Support line","active":true,"authorized":true,"archived":false,"createdAt":"2026-03-01T10:00:00.000Z"}"#.to_vec()
}

/// What the server does with one connection (after reading the request).
#[derive(Debug, Clone)]
enum Act {
    /// A complete response, then the connection is closed.
    Reply {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// The connection is reset before any byte of the response.
    ResetBeforeHead,
    /// The head (declaring the full length) and `sent` bytes of the body, then a reset.
    ResetMidBody { sent: usize },
    /// The head and `sent` bytes of the body, then a clean close: short of `Content-Length`.
    CloseMidBody { sent: usize },
    /// Nothing is sent for this long.
    StallHead(Duration),
    /// The head and `sent` bytes of the body, then nothing for this long.
    StallBody { sent: usize, stall: Duration },
    /// A 200 sent in `chunks` chunks of `size` bytes with no `Content-Length`.
    Chunked { chunks: usize, size: usize },
}

impl Act {
    fn ok() -> Act {
        Act::Reply {
            status: 200,
            headers: vec![("content-type", "application/json".to_owned())],
            body: account_json(),
        }
    }

    fn status(status: u16, headers: &[(&'static str, &str)]) -> Act {
        Act::Reply {
            status,
            headers: headers.iter().map(|(n, v)| (*n, (*v).to_owned())).collect(),
            body: Vec::new(),
        }
    }
}

/// A loopback server that plays a script, one act per connection (the last act repeats), and
/// records the head of every request it reads.
struct FaultServer {
    base: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl FaultServer {
    async fn start(script: Vec<Act>) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        tokio::spawn(async move {
            let mut index = 0;
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let act = script[index.min(script.len() - 1)].clone();
                index += 1;
                let log = log.clone();
                tokio::spawn(async move {
                    let _ = serve(socket, act, log).await;
                });
            }
        });
        FaultServer { base, requests }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    /// A client for this server with fast retries.
    fn client(&self) -> ClientBuilder {
        Client::builder()
            .base_url(&self.base)
            .bearer_token(TOKEN)
            .retry_backoff(Duration::from_millis(5), Duration::from_millis(10))
            .timeout(Duration::from_secs(5))
    }
}

/// Reads one request (head, and a body of its `Content-Length`), then plays `act`.
async fn serve(
    mut socket: TcpStream,
    act: Act,
    log: Arc<Mutex<Vec<String>>>,
) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    log.lock().unwrap().push(head);

    let body = account_json();
    let partial_head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    match act {
        Act::Reply {
            status,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            socket.write_all(head.as_bytes()).await?;
            socket.write_all(&body).await?;
            socket.shutdown().await?;
        }
        Act::ResetBeforeHead => socket.set_zero_linger()?,
        Act::ResetMidBody { sent } => {
            socket.write_all(partial_head.as_bytes()).await?;
            socket.write_all(&body[..sent]).await?;
            socket.flush().await?;
            tokio::time::sleep(Duration::from_millis(20)).await;
            socket.set_zero_linger()?;
        }
        Act::CloseMidBody { sent } => {
            socket.write_all(partial_head.as_bytes()).await?;
            socket.write_all(&body[..sent]).await?;
            socket.shutdown().await?;
        }
        Act::StallHead(stall) => tokio::time::sleep(stall).await,
        Act::StallBody { sent, stall } => {
            socket.write_all(partial_head.as_bytes()).await?;
            socket.write_all(&body[..sent]).await?;
            socket.flush().await?;
            tokio::time::sleep(stall).await;
        }
        Act::Chunked { chunks, size } => {
            socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n")
                .await?;
            let piece = vec![b' '; size];
            for _ in 0..chunks {
                socket.write_all(format!("{size:x}\r\n").as_bytes()).await?;
                socket.write_all(&piece).await?;
                socket.write_all(b"\r\n").await?;
            }
            socket.write_all(b"0\r\n\r\n").await?;
            socket.shutdown().await?;
        }
    }
    Ok(())
}

async fn get_account(client: &Client) -> Result<String, Error> {
    let account = client
        .v2026_03()
        .channel_accounts()
        .get(CHANNEL, 4242)
        .await?;
    Ok(account.id)
}

#[tokio::test]
async fn a_reset_before_the_response_is_retried() {
    let server = FaultServer::start(vec![Act::ResetBeforeHead, Act::ok()]).await;
    let client = server.client().build().unwrap();
    assert_eq!(get_account(&client).await.unwrap(), "4242");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_reset_in_the_middle_of_the_body_is_retried_on_a_get() {
    let server = FaultServer::start(vec![Act::ResetMidBody { sent: 40 }, Act::ok()]).await;
    let client = server.client().build().unwrap();
    assert_eq!(get_account(&client).await.unwrap(), "4242");
    assert_eq!(server.requests().len(), 2, "retried after the reset");
}

#[tokio::test]
async fn a_body_short_of_its_length_is_retried_and_then_reported_with_its_head() {
    let server = FaultServer::start(vec![Act::CloseMidBody { sent: 40 }]).await;
    let client = server.client().max_retries(1).build().unwrap();
    let error = get_account(&client).await.unwrap_err();
    assert_eq!(server.requests().len(), 2, "one retry, then the error");
    let Error::ResponseBody(cut) = &error else {
        panic!("a body cut off: {error:?}");
    };
    assert_eq!(cut.status(), 200);
    assert_eq!(cut.partial_body().len(), 40);
    assert_eq!(cut.declared_length(), Some(account_json().len() as u64));
    assert_eq!(cut.headers()["content-type"], "application/json");
    assert!(error.is_retryable() && error.is_connection(), "{error}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    let text = error.to_string();
    assert!(
        text.contains("getChannelAccount") && text.contains("cut off after 40 bytes"),
        "{text}"
    );
}

#[tokio::test]
async fn a_post_whose_body_is_cut_off_is_not_sent_twice() {
    // The server got the request: resending a POST without an idempotency key could record it
    // twice. The caller is told the failure is transient and decides.
    let server = FaultServer::start(vec![Act::ResetMidBody { sent: 10 }, Act::ok()]).await;
    let client = server.client().build().unwrap();
    let error = client
        .v2026_03()
        .channel_accounts()
        .create(
            CHANNEL,
            &PublicChannelAccountEgg::new(true, "3003", "Support line"),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, Error::ResponseBody(_)), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn an_invalid_json_body_is_a_decode_error_and_not_retried() {
    let server = FaultServer::start(vec![Act::Reply {
        status: 200,
        headers: vec![("content-type", "application/json".to_owned())],
        body: b"{\"id\": \"4242\", trunc".to_vec(),
    }])
    .await;
    let client = server.client().build().unwrap();
    let error = get_account(&client).await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.body().as_ref(), b"{\"id\": \"4242\", trunc");
    assert!(!error.is_retryable());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn stalled_headers_and_stalled_bodies_time_out_and_are_retried() {
    let stall = Duration::from_secs(10);
    let server = FaultServer::start(vec![
        Act::StallHead(stall),
        Act::StallBody { sent: 30, stall },
        Act::ok(),
    ])
    .await;
    let client = server
        .client()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    assert_eq!(get_account(&client).await.unwrap(), "4242");
    assert_eq!(server.requests().len(), 3);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the stalls were cut by the timeout"
    );

    let server = FaultServer::start(vec![Act::StallBody { sent: 30, stall }]).await;
    let client = server
        .client()
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .unwrap();
    let error = get_account(&client).await.unwrap_err();
    assert!(
        error.is_timeout() && error.is_retryable(),
        "a stalled body is a timeout: {error:?}"
    );
}

#[tokio::test]
async fn a_garbage_retry_after_falls_back_to_backoff() {
    let server = FaultServer::start(vec![
        Act::status(503, &[("retry-after", "soon, maybe")]),
        Act::status(429, &[("retry-after", "-5"), ("retry-after-ms", "NaN")]),
        Act::ok(),
    ])
    .await;
    let client = server.client().build().unwrap();
    let started = Instant::now();
    assert_eq!(get_account(&client).await.unwrap(), "4242");
    assert_eq!(server.requests().len(), 3);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn credentials_are_not_sent_across_origins_on_a_redirect() {
    let other = FaultServer::start(vec![Act::ok()]).await;
    let location = format!(
        "{}/conversations/custom-channels/2026-03/{CHANNEL}/channel-accounts/4242",
        other.base
    );
    let server = FaultServer::start(vec![Act::status(307, &[("location", &location)])]).await;
    let client = server.client().build().unwrap();
    assert_eq!(get_account(&client).await.unwrap(), "4242");
    let first = &server.requests()[0];
    assert!(first.contains(TOKEN), "the API's own origin gets the token");
    let redirected = &other.requests()[0];
    assert!(
        !redirected.to_ascii_lowercase().contains("authorization") && !redirected.contains(TOKEN),
        "another origin never sees the credentials: {redirected}"
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_by_its_length_or_as_it_arrives() {
    // Declared too large: refused before the body is read.
    let server = FaultServer::start(vec![Act::ok()]).await;
    let client = server.client().max_body_size(50).build().unwrap();
    let error = get_account(&client).await.unwrap_err();
    let Error::BodyTooLarge(large) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        (large.limit(), large.declared_length()),
        (50, Some(account_json().len() as u64))
    );
    assert_eq!(large.status(), 200);
    assert!(!error.is_retryable());
    assert!(error.to_string().contains("max_body_size"), "{error}");
    assert_eq!(server.requests().len(), 1, "not retried");
    // The same call with a larger limit for this call only.
    let account = client
        .v2026_03()
        .channel_accounts()
        .get(CHANNEL, 4242)
        .max_body_size(1024)
        .await
        .unwrap();
    assert_eq!(account.id, "4242");

    // No length: read until it passes the limit, then stopped (4 MiB sent, 64 KiB allowed).
    let server = FaultServer::start(vec![Act::Chunked {
        chunks: 64,
        size: 64 * 1024,
    }])
    .await;
    let client = server.client().max_body_size(64 * 1024).build().unwrap();
    let error = get_account(&client).await.unwrap_err();
    let Error::BodyTooLarge(large) = &error else {
        panic!("{error:?}")
    };
    assert_eq!((large.limit(), large.declared_length()), (64 * 1024, None));
    assert_eq!(
        client.max_body_size(),
        64 * 1024,
        "the client reports its limit"
    );
    assert_eq!(
        Client::builder().build().unwrap().max_body_size(),
        hubspot_custom_channels::runtime::DEFAULT_MAX_BODY_SIZE
    );
}

/// Everything the client logs at TRACE level, for a call that retries, fails over a redirect
/// and carries a bearer token and an API key: neither secret appears.
#[test]
fn secrets_never_reach_the_trace_output() {
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    const API_KEY: &str = "developer-api-key-5c1e";
    tracing::subscriber::with_default(subscriber, || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let server = FaultServer::start(vec![
                Act::status(503, &[]),
                Act::ResetMidBody { sent: 5 },
                Act::ok(),
            ])
            .await;
            let client = server
                .client()
                .api_key(
                    hubspot_custom_channels::security::DEVELOPER_HAPIKEY,
                    API_KEY,
                )
                .build()
                .unwrap();
            assert_eq!(get_account(&client).await.unwrap(), "4242");
            // The channel operations send the API key in the query string.
            let _ = client.v2026_03().channels().get(CHANNEL).await;
            assert!(server.requests().iter().any(|r| r.contains(API_KEY)));
        });
    });
    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        output.contains("retrying"),
        "the retries were traced: {output}"
    );
    assert!(
        !output.contains(TOKEN) && !output.contains(API_KEY),
        "a secret was logged: {output}"
    );
}

/// An HTTP/2 server (hyper, prior knowledge over loopback) whose first response sends its
/// headers and part of the body, then resets the stream; later responses are whole.
async fn h2_server_resetting_first_stream() -> (String, Arc<Mutex<usize>>) {
    use http_body_util::StreamBody;
    use hyper::body::Frame;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let served = Arc::new(Mutex::new(0usize));
    let count = served.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let count = count.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |_request| {
                    let n = {
                        let mut served = count.lock().unwrap();
                        *served += 1;
                        *served
                    };
                    async move {
                        use futures_util::StreamExt as _;
                        let body = account_json();
                        let head: Result<Frame<hyper::body::Bytes>, std::io::Error> =
                            Ok(Frame::data(hyper::body::Bytes::from(body[..30].to_vec())));
                        let rest = body[30..].to_vec();
                        // The rest after a pause (the client has the head and the first bytes
                        // by then): the body, or an error, on which hyper resets the stream.
                        let tail = futures_util::stream::once(async move {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            if n == 1 {
                                Err(std::io::Error::other("stream reset by the test"))
                            } else {
                                Ok(Frame::data(hyper::body::Bytes::from(rest)))
                            }
                        });
                        let frames = futures_util::stream::iter([head]).chain(tail);
                        let response = hyper::Response::builder()
                            .header("content-type", "application/json")
                            .body(StreamBody::new(Box::pin(frames)))
                            .unwrap();
                        Ok::<_, std::convert::Infallible>(response)
                    }
                });
                let _ =
                    hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new())
                        .serve_connection(hyper_util::rt::TokioIo::new(socket), service)
                        .await;
            });
        }
    });
    (base, served)
}

#[tokio::test]
async fn an_http2_stream_reset_in_the_middle_of_the_body_is_retried() {
    let (base, served) = h2_server_resetting_first_stream().await;
    let http2 = hubspot_custom_channels::runtime::reqwest::Client::builder()
        .http2_prior_knowledge()
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(&base)
        .bearer_token(TOKEN)
        .http_client(http2.clone())
        .retry_backoff(Duration::from_millis(5), Duration::from_millis(10))
        .build()
        .unwrap();
    assert_eq!(get_account(&client).await.unwrap(), "4242");
    assert_eq!(*served.lock().unwrap(), 2, "the reset stream was retried");

    // Without retries, the reset is reported as a body cut off, with the response's head.
    let (base, _) = h2_server_resetting_first_stream().await;
    let client = Client::builder()
        .base_url(&base)
        .bearer_token(TOKEN)
        .http_client(http2)
        .max_retries(0)
        .build()
        .unwrap();
    let error = get_account(&client).await.unwrap_err();
    let Error::ResponseBody(cut) = &error else {
        panic!("a stream reset mid-body: {error:?}")
    };
    assert_eq!((cut.status().as_u16(), cut.partial_body().len()), (200, 30));
    assert!(error.is_retryable());
}
