//! One HTTP exchange: a request goes out, the whole response comes back, up to a size limit.
//!
//! Takes: a `reqwest::Request` and the largest body the caller accepts. Gives: the status,
//! headers and body ([`Exchanged`]), or an [`ExchangeError`] that says at which stage the
//! exchange failed: before a response arrived, while its body was read, or because the body is
//! larger than the limit. The stage decides what may be retried.
//!
//! The client sends through reqwest. The runtime's own behaviour tests put a scripted transport
//! in its place, so that retries, server-requested delays and timeouts run on a paused clock:
//! with a real socket, a paused Tokio clock jumps to the next timer while a response is still on
//! its way.

use bytes::{Bytes, BytesMut};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::auth::BoxFuture;
use super::stream::Opened;

/// A response as it came off the wire.
pub(crate) struct Exchanged {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// Why an exchange failed, by the stage it reached.
pub(crate) enum ExchangeError {
    /// No response arrived: the request could not be sent, or the connection failed before the
    /// status line.
    Send(reqwest::Error),
    /// The status and headers arrived, but the body did not arrive whole: the connection was
    /// reset or closed before its end (short of `Content-Length`, say), or an HTTP/2 stream was
    /// reset. The bytes received until then are kept.
    Body {
        status: StatusCode,
        headers: HeaderMap,
        partial: Bytes,
        source: reqwest::Error,
    },
    /// The body is larger than the limit: its `Content-Length` says so, or more bytes arrived.
    /// Reading stopped there.
    TooLarge {
        status: StatusCode,
        headers: HeaderMap,
        /// The `Content-Length` the server declared, if any.
        declared: Option<u64>,
    },
}

/// Carries out one HTTP exchange: sends the request and reads the response's whole body, at most
/// `limit` bytes of it.
pub(crate) trait Transport: Send + Sync + 'static {
    /// Sends `request` and reads the response's status, headers and whole body.
    fn exchange(
        &self,
        request: reqwest::Request,
        limit: u64,
    ) -> BoxFuture<'_, Result<Exchanged, ExchangeError>>;

    /// The reqwest client behind the transport, if it is one: multipart bodies are framed by it
    /// (with their length when known).
    fn http_client(&self) -> Option<&reqwest::Client> {
        None
    }

    /// Sends `request` and gives the response's status and headers, with its body unread: for
    /// streamed responses. The default reads the whole body first, which suits a scripted
    /// transport; the reqwest client hands the body over as it arrives.
    fn open(&self, request: reqwest::Request) -> BoxFuture<'_, Result<Opened, ExchangeError>> {
        Box::pin(async move {
            let exchanged = self.exchange(request, u64::MAX).await?;
            let body = futures_util::stream::once(async move { Ok(exchanged.body) });
            Ok(Opened {
                status: exchanged.status,
                headers: exchanged.headers,
                body: Box::pin(body),
            })
        })
    }
}

impl Transport for reqwest::Client {
    fn http_client(&self) -> Option<&reqwest::Client> {
        Some(self)
    }

    fn open(&self, request: reqwest::Request) -> BoxFuture<'_, Result<Opened, ExchangeError>> {
        Box::pin(async move {
            let mut response = self.execute(request).await.map_err(ExchangeError::Send)?;
            let status = response.status();
            let headers = std::mem::take(response.headers_mut());
            Ok(Opened {
                status,
                headers,
                body: Box::pin(response.bytes_stream()),
            })
        })
    }

    fn exchange(
        &self,
        request: reqwest::Request,
        limit: u64,
    ) -> BoxFuture<'_, Result<Exchanged, ExchangeError>> {
        Box::pin(async move {
            let mut response = self.execute(request).await.map_err(ExchangeError::Send)?;
            let status = response.status();
            let headers = std::mem::take(response.headers_mut());
            let declared = response.content_length();
            if declared.is_some_and(|length| length > limit) {
                return Err(ExchangeError::TooLarge {
                    status,
                    headers,
                    declared,
                });
            }
            // One buffer of the declared size, filled in place: no list of chunks copied into a
            // second buffer at the end, so the body is held once.
            let capacity = declared.map_or(0, |length| usize::try_from(length).unwrap_or(0));
            let mut body = BytesMut::with_capacity(capacity);
            loop {
                match response.chunk().await {
                    Ok(Some(chunk)) => {
                        let total = body.len() as u64 + chunk.len() as u64;
                        if total > limit {
                            return Err(ExchangeError::TooLarge {
                                status,
                                headers,
                                declared,
                            });
                        }
                        body.extend_from_slice(&chunk);
                    }
                    Ok(None) => break,
                    Err(source) => {
                        return Err(ExchangeError::Body {
                            status,
                            headers,
                            partial: body.freeze(),
                            source,
                        });
                    }
                }
            }
            Ok(Exchanged {
                status,
                headers,
                body: body.freeze(),
            })
        })
    }
}
