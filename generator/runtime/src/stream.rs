//! Response bodies handed over as they arrive instead of read whole: raw bytes
//! ([`ByteStream`], for downloads) and server-sent events ([`EventStream`], for
//! `text/event-stream`).
//!
//! Takes: the body of a 2xx response whose status and headers have arrived (and, for events, a
//! way to send the request again). Gives: a `Stream` of chunks or of typed events. Retries stop
//! at the response's head: once a body is being handed over, a failure is an item of the stream
//! ([`StreamError`]); an event stream reconnects on its own only where the caller asks
//! ([`EventStream::reconnect`]), resuming with `Last-Event-ID`.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_util::stream::{self, Stream, StreamExt};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use tokio::time::Sleep;

use super::auth::BoxFuture;
use super::error::{BoxError, describe_reqwest};

/// A body as it comes off the wire.
pub(crate) type WireStream = Pin<Box<dyn Stream<Item = Result<Bytes, reqwest::Error>> + Send>>;

/// Opens the same request again, with a `Last-Event-ID` header when given one: for event
/// streams that reconnect.
pub(crate) type Reopen =
    Arc<dyn Fn(Option<String>) -> BoxFuture<'static, Result<Opened, BoxError>> + Send + Sync>;

/// A 2xx response whose body has not been read.
pub(crate) struct Opened {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: WireStream,
}

/// The unread body of a 2xx response, handed to a streaming operation's decoder. Not part of
/// the public API.
#[doc(hidden)]
pub struct Streamed {
    pub(crate) operation: &'static str,
    pub(crate) opened: Opened,
    pub(crate) idle_timeout: Duration,
    pub(crate) reopen: Reopen,
}

impl Streamed {
    /// The body as a stream of bytes.
    pub fn into_bytes(self) -> ByteStream {
        ByteStream::new(self.operation, self.opened, self.idle_timeout)
    }

    /// The body as a stream of server-sent events whose data `decode` turns into `T`.
    pub fn into_events<T: Send + 'static>(
        self,
        decode: fn(&str) -> Result<T, BoxError>,
    ) -> EventStream<T> {
        EventStream::new(self, decode)
    }
}

/// Why a response stream failed, or (for [`StreamError::Event`]) why one event of it could not
/// be decoded. Messages are one line and name the operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StreamError {
    /// The connection failed while the body was being received. The stream ends (an event stream
    /// set to reconnect tries that first).
    #[error(
        "operation `{operation}`: the response stream was cut off after {received} bytes: {}",
        describe_reqwest(source)
    )]
    Transport {
        /// The operation id.
        operation: &'static str,
        /// Bytes received on this connection before it failed.
        received: u64,
        /// The transport error (without the request URL).
        source: reqwest::Error,
    },
    /// Nothing arrived for longer than the call's timeout. The stream ends (an event stream set
    /// to reconnect tries that first).
    #[error(
        "operation `{operation}`: nothing arrived on the response stream for {timeout:?} (after {received} bytes)"
    )]
    Idle {
        /// The operation id.
        operation: &'static str,
        /// Bytes received on this connection.
        received: u64,
        /// How long the stream was silent: the call's timeout.
        timeout: Duration,
    },
    /// [`ByteStream::collect_bytes`] was given a limit the body is larger than.
    #[error("operation `{operation}`: the response body is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The operation id.
        operation: &'static str,
        /// The limit passed.
        limit: u64,
    },
    /// The bytes are not a valid event stream (a field that is not UTF-8, say). The stream ends.
    #[error("operation `{operation}`: the event stream is malformed: {message}")]
    Malformed {
        /// The operation id.
        operation: &'static str,
        /// What is wrong.
        message: String,
    },
    /// One event's data does not decode into the event type. The stream goes on with the next
    /// event; the raw data is kept.
    #[error("{0}")]
    Event(Box<UndecodableEvent>),
    /// The event stream was set to reconnect, and every attempt failed. The stream ends.
    #[error(
        "operation `{operation}`: reconnecting to the event stream failed {attempts} times; the last error: {source}"
    )]
    Reconnect {
        /// The operation id.
        operation: &'static str,
        /// Attempts made since the last event arrived.
        attempts: u32,
        /// Why the last attempt failed: the call's `Error`, boxed.
        source: BoxError,
    },
}

impl StreamError {
    /// Whether the stream goes on after this error (only an undecodable event lets it).
    pub fn is_recoverable(&self) -> bool {
        matches!(self, StreamError::Event(_))
    }
}

/// An event whose data did not decode into the event type: everything it carried, and why.
#[derive(Debug, thiserror::Error)]
#[error("operation `{operation}`: event{} could not be decoded: {source}", id.as_deref().map(|id| format!(" `{id}`")).unwrap_or_default())]
pub struct UndecodableEvent {
    /// The operation id.
    pub operation: &'static str,
    /// The event's `event:` field.
    pub event: Option<String>,
    /// The event's `id:` field.
    pub id: Option<String>,
    /// The event's data, as received.
    pub data: String,
    /// The decoding error.
    pub source: BoxError,
}

/// A response body handed over chunk by chunk as it arrives, for downloads that should not be
/// held in memory whole. A `Stream` of `Result<Bytes, StreamError>`: use it with
/// [`StreamExt::next`](super::StreamExt::next) (re-exported by the runtime), or
/// [`Self::collect_bytes`] for a small body.
///
/// Each chunk must arrive within the call's timeout; a stream silent for longer fails with
/// [`StreamError::Idle`]. A body cut off fails with [`StreamError::Transport`]; it is not
/// retried (the bytes already handed over cannot be taken back).
pub struct ByteStream {
    operation: &'static str,
    body: WireStream,
    content_length: Option<u64>,
    received: u64,
    idle_timeout: Duration,
    idle: Pin<Box<Sleep>>,
    done: bool,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("operation", &self.operation)
            .field("content_length", &self.content_length)
            .field("received", &self.received)
            .finish_non_exhaustive()
    }
}

impl ByteStream {
    fn new(operation: &'static str, opened: Opened, idle_timeout: Duration) -> Self {
        let content_length = opened
            .headers
            .get(reqwest::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        ByteStream {
            operation,
            body: opened.body,
            content_length,
            received: 0,
            idle_timeout,
            idle: Box::pin(tokio::time::sleep(idle_timeout)),
            done: false,
        }
    }

    /// The body's length as the server declared it (`Content-Length`), if it did.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// The number of bytes handed over so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Reads the rest of the body into one buffer, failing with [`StreamError::TooLarge`] once
    /// more than `limit` bytes have arrived.
    pub async fn collect_bytes(mut self, limit: u64) -> Result<Bytes, StreamError> {
        let mut body = BytesMut::new();
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            if body.len() as u64 + chunk.len() as u64 > limit {
                return Err(StreamError::TooLarge {
                    operation: self.operation,
                    limit,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        match this.body.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.received += chunk.len() as u64;
                let deadline = tokio::time::Instant::now() + this.idle_timeout;
                this.idle.as_mut().reset(deadline);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(source))) => {
                this.done = true;
                Poll::Ready(Some(Err(StreamError::Transport {
                    operation: this.operation,
                    received: this.received,
                    source: source.without_url(),
                })))
            }
            Poll::Ready(None) => {
                this.done = true;
                Poll::Ready(None)
            }
            Poll::Pending => match this.idle.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    this.done = true;
                    Poll::Ready(Some(Err(StreamError::Idle {
                        operation: this.operation,
                        received: this.received,
                        timeout: this.idle_timeout,
                    })))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

/// One server-sent event, its data decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerEvent<T> {
    /// The `event:` field (the event's type), if the server sent one.
    pub event: Option<String>,
    /// The `id:` field, if the server sent one: what a reconnection resumes after.
    pub id: Option<String>,
    /// The `retry:` field: how long the server asks a client to wait before reconnecting.
    pub retry: Option<Duration>,
    /// The data, decoded.
    pub data: T,
}

/// How an event stream reconnects, and what it has seen; shared between the stream and the
/// handle that configures it.
#[derive(Debug)]
struct Resumption {
    /// Consecutive reconnection attempts allowed; 0 does not reconnect.
    max_attempts: u32,
    /// The delay before reconnecting when the server has not set one with `retry:`.
    delay: Duration,
    /// The last `id:` received (an empty `id:` clears it).
    last_event_id: Option<String>,
}

/// The delay before reconnecting, when the server has not set one.
const DEFAULT_RECONNECT_DELAY: Duration = Duration::from_secs(1);

/// A stream of server-sent events (`text/event-stream`), each event's data decoded into `T`: a
/// `Stream` of `Result<ServerEvent<T>, StreamError>`.
///
/// An event whose data does not decode is an [`StreamError::Event`] item carrying its raw data,
/// and the stream goes on; any other error ends it. Events without data (a lone `id:` or
/// `retry:`) update the stream's state and are not handed over.
///
/// By default the stream ends when the server closes it or the connection fails. After
/// [`Self::reconnect`], it sends the request again instead (after the server's `retry:` delay,
/// or one second), with a `Last-Event-ID` header carrying the last event id received, so that a
/// server that supports it resumes where the stream stopped. To resume a stream in a later
/// process, keep [`Self::last_event_id`] and send the call with
/// `.header("Last-Event-ID", id)`.
///
/// A stream silent for longer than the call's timeout fails with [`StreamError::Idle`] (or,
/// set to reconnect, reconnects): for a server that sends no keep-alive comments, give the call
/// a longer `.timeout(..)`.
pub struct EventStream<T> {
    operation: &'static str,
    resumption: Arc<Mutex<Resumption>>,
    events: Pin<Box<dyn Stream<Item = Result<ServerEvent<T>, StreamError>> + Send>>,
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("operation", &self.operation)
            .field("resumption", &self.resumption)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> EventStream<T> {
    fn new(streamed: Streamed, decode: fn(&str) -> Result<T, BoxError>) -> Self {
        let operation = streamed.operation;
        let resumption = Arc::new(Mutex::new(Resumption {
            max_attempts: 0,
            delay: DEFAULT_RECONNECT_DELAY,
            last_event_id: None,
        }));
        let reader = EventReader {
            operation,
            decode,
            resumption: Arc::clone(&resumption),
            reopen: Arc::clone(&streamed.reopen),
            idle_timeout: streamed.idle_timeout,
            parser: Some(parse(streamed.into_bytes())),
            ready: VecDeque::new(),
            failed_attempts: 0,
            last_error: None,
            ended: false,
        };
        let events = stream::unfold(reader, |mut reader| async move {
            let item = reader.next_event().await?;
            Some((item, reader))
        });
        EventStream {
            operation,
            resumption,
            events: Box::pin(events),
        }
    }
}

impl<T> EventStream<T> {
    /// Reconnects when the server closes the stream or the connection fails, up to
    /// `max_attempts` times in a row (the count restarts with each event received), resuming
    /// with `Last-Event-ID`. A reconnection answered with `204 No Content` ends the stream, as
    /// the server asks. 0 (the default) does not reconnect.
    pub fn reconnect(self, max_attempts: u32) -> Self {
        self.lock().max_attempts = max_attempts;
        self
    }

    /// The delay before reconnecting when the server has not set one with `retry:` (default one
    /// second).
    pub fn reconnect_delay(self, delay: Duration) -> Self {
        self.lock().delay = delay;
        self
    }

    /// The id of the last event received (the last `id:` field), which a reconnection sends as
    /// `Last-Event-ID`.
    pub fn last_event_id(&self) -> Option<String> {
        self.lock().last_event_id.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Resumption> {
        self.resumption
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<ServerEvent<T>, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.events.as_mut().poll_next(cx)
    }
}

type Parser = Pin<Box<sse_stream::SseByteStream<ByteStream>>>;

fn parse(bytes: ByteStream) -> Parser {
    Box::pin(sse_stream::SseByteStream::new(bytes))
}

/// The state behind an [`EventStream`].
struct EventReader<T> {
    operation: &'static str,
    decode: fn(&str) -> Result<T, BoxError>,
    resumption: Arc<Mutex<Resumption>>,
    reopen: Reopen,
    idle_timeout: Duration,
    /// The current connection's events; `None` between connections.
    parser: Option<Parser>,
    /// Items decided but not handed over yet.
    ready: VecDeque<Result<ServerEvent<T>, StreamError>>,
    /// Reconnection attempts since the last event.
    failed_attempts: u32,
    /// Why the last connection ended, handed over if no reconnection succeeds.
    last_error: Option<StreamError>,
    ended: bool,
}

impl<T> EventReader<T> {
    fn lock(&self) -> std::sync::MutexGuard<'_, Resumption> {
        self.resumption
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    async fn next_event(&mut self) -> Option<Result<ServerEvent<T>, StreamError>> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(item);
            }
            if self.ended {
                return None;
            }
            let Some(parser) = self.parser.as_mut() else {
                self.connect_again().await;
                continue;
            };
            match parser.next().await {
                Some(Ok(block)) => {
                    if let Some(item) = self.take_block(block) {
                        self.failed_attempts = 0;
                        return Some(item);
                    }
                }
                Some(Err(error)) => {
                    self.parser = None;
                    let error = self.stream_error(error);
                    if self.lock().max_attempts == 0 {
                        self.ended = true;
                        return Some(Err(error));
                    }
                    tracing::debug!(operation = self.operation, error = %error, "event stream failed; reconnecting");
                    self.last_error = Some(error);
                }
                None => {
                    self.parser = None;
                    if self.lock().max_attempts == 0 {
                        return None;
                    }
                    tracing::debug!(
                        operation = self.operation,
                        "event stream closed by the server; reconnecting"
                    );
                    self.last_error = None;
                }
            }
        }
    }

    /// Records a block's id and retry, and decodes its data when it has some.
    fn take_block(
        &mut self,
        block: sse_stream::Sse,
    ) -> Option<Result<ServerEvent<T>, StreamError>> {
        let retry = block.retry.map(Duration::from_millis);
        {
            let mut resumption = self.lock();
            if let Some(id) = &block.id {
                resumption.last_event_id = (!id.is_empty()).then(|| id.clone());
            }
            if let Some(retry) = retry {
                resumption.delay = retry;
            }
        }
        let data = block.data?;
        Some(match (self.decode)(&data) {
            Ok(decoded) => Ok(ServerEvent {
                event: block.event,
                id: block.id,
                retry,
                data: decoded,
            }),
            Err(source) => Err(StreamError::Event(Box::new(UndecodableEvent {
                operation: self.operation,
                event: block.event,
                id: block.id,
                data,
                source,
            }))),
        })
    }

    fn stream_error(&self, error: sse_stream::Error) -> StreamError {
        match error {
            sse_stream::Error::Body(source) => match source.downcast::<StreamError>() {
                Ok(error) => *error,
                Err(other) => StreamError::Malformed {
                    operation: self.operation,
                    message: other.to_string(),
                },
            },
            other => StreamError::Malformed {
                operation: self.operation,
                message: other.to_string(),
            },
        }
    }

    /// Waits, then sends the request again with `Last-Event-ID`; ends the stream when attempts
    /// run out or the server answers 204.
    async fn connect_again(&mut self) {
        let (max_attempts, delay, last_event_id) = {
            let resumption = self.lock();
            (
                resumption.max_attempts,
                resumption.delay,
                resumption.last_event_id.clone(),
            )
        };
        if self.failed_attempts >= max_attempts {
            // Connections that opened but ended before an event: as many as allowed.
            self.ended = true;
            if let Some(error) = self.last_error.take() {
                self.ready.push_back(Err(error));
            }
            return;
        }
        tokio::time::sleep(delay).await;
        self.failed_attempts += 1;
        match (self.reopen)(last_event_id).await {
            Ok(opened) if opened.status == StatusCode::NO_CONTENT => {
                tracing::debug!(
                    operation = self.operation,
                    "the server answered 204 to a reconnection: the event stream ends"
                );
                self.ended = true;
            }
            Ok(opened) => {
                let bytes = ByteStream::new(self.operation, opened, self.idle_timeout);
                self.parser = Some(parse(bytes));
            }
            Err(source) if self.failed_attempts >= max_attempts => {
                self.ended = true;
                self.ready.push_back(Err(StreamError::Reconnect {
                    operation: self.operation,
                    attempts: self.failed_attempts,
                    source,
                }));
            }
            Err(source) => {
                tracing::debug!(operation = self.operation, error = %source, "reconnecting to the event stream failed");
            }
        }
    }
}
