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
use hubspot_custom_channels::{Client, Error};

use super::fault_server::*;
use tokio::net::TcpListener;

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
