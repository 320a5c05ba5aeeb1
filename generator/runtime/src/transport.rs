//! One HTTP exchange: a request goes out, the whole response comes back.
//!
//! The client sends through reqwest. The runtime's own behaviour tests put a scripted transport
//! in its place, so that retries, server-requested delays and timeouts run on a paused clock:
//! with a real socket, a paused Tokio clock jumps to the next timer while a response is still on
//! its way.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::auth::BoxFuture;

/// A response as it came off the wire.
pub(crate) struct Exchanged {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// Carries out one HTTP exchange: sends the request and reads the whole response.
pub(crate) trait Transport: Send + Sync + 'static {
    /// Sends `request` and reads the response's status, headers and whole body.
    fn exchange(
        &self,
        request: reqwest::Request,
    ) -> BoxFuture<'_, Result<Exchanged, reqwest::Error>>;
}

impl Transport for reqwest::Client {
    fn exchange(
        &self,
        request: reqwest::Request,
    ) -> BoxFuture<'_, Result<Exchanged, reqwest::Error>> {
        Box::pin(async move {
            let mut response = self.execute(request).await?;
            let status = response.status();
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await?;
            Ok(Exchanged {
                status,
                headers,
                body,
            })
        })
    }
}
