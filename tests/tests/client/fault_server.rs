//! A loopback server on raw Tokio sockets that answers each connection as a script says
//! (reset before or in the middle of the body, a body cut short, stalled headers or body, a
//! redirect, an oversized body): shared by the socket-fault tests (`faults.rs`) and the trace
//! test, which runs in a process of its own (`tests/tests/trace_secrets/`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hubspot_custom_channels::{Client, ClientBuilder, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub(crate) const TOKEN: &str = "secret-bearer-token-7f3a";
pub(crate) const CHANNEL: i32 = 1001;

/// A channel account as HubSpot returns it.
pub(crate) fn account_json() -> Vec<u8> {
    br#"{"id":"4242","channelId":"1001","inboxId":"3003","name":"Support line","active":true,"authorized":true,"archived":false,"createdAt":"2026-03-01T10:00:00.000Z"}"#.to_vec()
}

/// What the server does with one connection (after reading the request).
#[derive(Debug, Clone)]
pub(crate) enum Act {
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
    pub(crate) fn ok() -> Act {
        Act::Reply {
            status: 200,
            headers: vec![("content-type", "application/json".to_owned())],
            body: account_json(),
        }
    }

    pub(crate) fn status(status: u16, headers: &[(&'static str, &str)]) -> Act {
        Act::Reply {
            status,
            headers: headers.iter().map(|(n, v)| (*n, (*v).to_owned())).collect(),
            body: Vec::new(),
        }
    }
}

/// A loopback server that plays a script, one act per connection (the last act repeats), and
/// records the head of every request it reads.
pub(crate) struct FaultServer {
    pub(crate) base: String,
    pub(crate) requests: Arc<Mutex<Vec<String>>>,
}

impl FaultServer {
    pub(crate) async fn start(script: Vec<Act>) -> FaultServer {
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

    pub(crate) fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    /// A client for this server with fast retries.
    pub(crate) fn client(&self) -> ClientBuilder {
        Client::builder()
            .base_url(&self.base)
            .bearer_token(TOKEN)
            .retry_backoff(Duration::from_millis(5), Duration::from_millis(10))
            .timeout(Duration::from_secs(5))
    }
}

/// Reads one request (head, and a body of its `Content-Length`), then plays `act`.
pub(crate) async fn serve(
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

pub(crate) async fn get_account(client: &Client) -> Result<String, Error> {
    let account = client
        .v2026_03()
        .channel_accounts()
        .get(CHANNEL, 4242)
        .await?;
    Ok(account.id)
}
