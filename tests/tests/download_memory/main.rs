//! A 100 MiB download through the generated client (`fixture-bodies`' `download`, a binary
//! response) over a real socket keeps the client's memory flat: the body is handed over chunk by
//! chunk, never held whole. A test binary of its own, because it counts every allocation of the
//! process (a global allocator) and must not share the process with other tests.
//!
//! The bound is on bytes, not time, so it does not depend on the machine's speed: the peak of
//! live heap memory while the whole body streams through must stay under 8 MiB (the body is
//! 100 MiB; buffered whole it would be at least that).

use std::convert::Infallible;
use std::time::Duration;

use fixture_bodies::{Client, StreamExt as _};
use http_body_util::StreamBody;
use hyper::body::{Bytes, Frame};

#[global_allocator]
static ALLOCATOR: tests::counting_alloc::Counting = tests::counting_alloc::Counting;

const CHUNK: usize = 64 * 1024;
const CHUNKS: usize = 1600;
const TOTAL: u64 = (CHUNK * CHUNKS) as u64;
static PAYLOAD: [u8; CHUNK] = [7; CHUNK];

#[tokio::test]
async fn a_100_mib_download_keeps_memory_flat() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let service = hyper::service::service_fn(|_request: hyper::Request<_>| async {
            // Static chunks: the server side allocates nothing per chunk.
            let frames = futures_util::stream::iter(
                (0..CHUNKS).map(|_| Ok::<_, Infallible>(Frame::data(Bytes::from_static(&PAYLOAD)))),
            );
            let response = hyper::Response::builder()
                .header("content-type", "application/octet-stream")
                .header("content-length", TOTAL.to_string())
                .body(http_body_util::BodyExt::boxed(StreamBody::new(frames)))
                .unwrap();
            Ok::<_, Infallible>(response)
        });
        let _ = hyper::server::conn::http1::Builder::new()
            .serve_connection(hyper_util::rt::TokioIo::new(socket), service)
            .await;
    });
    let client = Client::builder()
        .base_url(&url)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();

    let before = tests::counting_alloc::start();
    let mut download = client.files().download("big").await.unwrap();
    assert_eq!(download.content_length(), Some(TOTAL));
    let mut received = 0u64;
    let mut checksum = 0u64;
    while let Some(chunk) = download.next().await {
        let chunk = chunk.unwrap();
        received += chunk.len() as u64;
        checksum += chunk.iter().map(|&b| u64::from(b)).sum::<u64>();
    }
    let peak = tests::counting_alloc::peak_since(before);

    assert_eq!(received, TOTAL);
    assert_eq!(checksum, TOTAL * 7);
    println!(
        "downloaded {} MiB; peak heap growth {:.2} MiB",
        TOTAL >> 20,
        peak as f64 / f64::from(1 << 20)
    );
    assert!(
        peak < 8 << 20,
        "peak heap growth while streaming 100 MiB was {peak} bytes"
    );
}
