//! Peak memory of decoding a large list response through the generated client, over a real
//! loopback socket and reqwest.
//!
//! ```text
//! cargo run -p tests --example body_memory [-- MEBIBYTES]
//! ```
//!
//! A raw Tokio server answers `listChannelAccounts` with one page of about `MEBIBYTES` MiB
//! (200 by default) of channel accounts; the client lists it with its body limit raised above
//! that size. A counting allocator records the peak of live heap bytes during the call, which
//! is printed next to the body size and the process's peak RSS (`VmHWM`, which includes the
//! server's copy of the page). Not a timed test: it
//! prints figures for the README and issue notes.

use hubspot_custom_channels::Client;
use tests::counting_alloc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[global_allocator]
static ALLOCATOR: counting_alloc::Counting = counting_alloc::Counting;

/// One page of channel accounts, about `target` bytes of JSON.
fn page(target: usize) -> Vec<u8> {
    let mut body = Vec::with_capacity(target + 4096);
    body.extend_from_slice(b"{\"results\":[");
    let mut i = 0u64;
    while body.len() < target {
        if i > 0 {
            body.push(b',');
        }
        let item = format!(
            "{{\"id\":\"{i}\",\"channelId\":\"1001\",\"inboxId\":\"3003\",\"name\":\"Support line number {i}\",\"active\":true,\"authorized\":true,\"archived\":false,\"createdAt\":\"2026-03-01T10:00:00.000Z\",\"deliveryIdentifier\":{{\"type\":\"HS_PHONE_NUMBER\",\"value\":\"+1555{i:07}\"}}}}"
        );
        body.extend_from_slice(item.as_bytes());
        i += 1;
    }
    body.extend_from_slice(b"],\"total\":0}");
    body
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mebibytes: usize = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    // Leaked, so that the server's copy is counted in the baseline and never freed mid-call.
    let body: &'static [u8] = Box::leak(page(mebibytes << 20).into_boxed_slice());
    let body_len = body.len();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut request = vec![0u8; 8192];
        let mut read = 0;
        while !request[..read].windows(4).any(|w| w == b"\r\n\r\n") {
            read += socket.read(&mut request[read..]).await.expect("read");
        }
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        socket.write_all(head.as_bytes()).await.expect("write");
        socket.write_all(body).await.expect("write");
        socket.shutdown().await.ok();
    });

    let client = Client::builder()
        .base_url(format!("http://{address}"))
        .bearer_token("token")
        .max_body_size(u64::try_from(body_len)? + 1)
        .build()?;
    // The server's copy of the page is part of the process; count from here.
    let baseline = counting_alloc::start();
    let page = client.v2026_03().channel_accounts().list(1001).await?;
    let peak = counting_alloc::peak_since(baseline);
    let after = counting_alloc::live().saturating_sub(baseline);
    server.await?;
    let mib = |bytes: usize| bytes as f64 / f64::from(1u32 << 20);
    println!(
        "body {:.1} MiB, {} items: peak heap during the call {:.1} MiB ({:.2}x the body), decoded value {:.1} MiB; process peak RSS {} MiB",
        mib(body_len),
        page.results.len(),
        mib(peak),
        peak as f64 / body_len as f64,
        mib(after),
        peak_rss_kib().unwrap_or(0) / 1024,
    );
    Ok(())
}
