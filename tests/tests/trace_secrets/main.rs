//! What the HubSpot client logs at TRACE level never holds a credential. A test binary of its
//! own: it installs a `tracing` subscriber for the test's thread, and in a process shared with
//! other tests, their threads could register the runtime's event callsites while this one is
//! installed, racing `tracing`'s interest cache (seen once as a missing "retrying" line).

#[path = "../client/fault_server.rs"]
#[allow(dead_code)]
mod fault_server;

use std::sync::{Arc, Mutex};

use fault_server::{Act, CHANNEL, FaultServer, TOKEN, get_account};

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
