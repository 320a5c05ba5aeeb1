//! Cursor pagination: streams of items and of pages.

use std::collections::{HashSet, VecDeque};

use futures_util::TryStreamExt as _;
use futures_util::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::call::{Call, Operation, decode_output};
use super::error::Error;
use super::response::Response;

/// An operation whose responses are pages linked by a cursor. Implemented by generated code.
pub trait Paginated: Operation {
    /// The type of one item of a page.
    type Item: DeserializeOwned + Send + 'static;
    /// JSON pointer to the next page's cursor in a response body, for example
    /// `/paging/next/after`. A missing, `null` or empty cursor ends the pagination.
    const CURSOR_POINTER: &'static str;
    /// JSON pointer to the array of items in a response body, for example `/results`.
    const ITEMS_POINTER: &'static str;

    /// Makes the operation request the page that starts at `cursor`.
    fn set_cursor(&mut self, cursor: String);
}

/// One fetched page.
struct Page<O: Paginated> {
    response: Response<O::Output>,
    items: Vec<O::Item>,
}

/// The state shared by both streams.
struct Pager<O: Paginated> {
    call: Call<O>,
    seen_cursors: HashSet<String>,
    finished: bool,
    pending_error: Option<Error<O::Error>>,
}

impl<O: Paginated> Pager<O> {
    fn new(call: Call<O>) -> Self {
        Pager {
            call,
            seen_cursors: HashSet::new(),
            finished: false,
            pending_error: None,
        }
    }

    /// Fetches the next page; `None` when the pagination is over. After an error, the
    /// pagination is over.
    async fn next_page(&mut self) -> Option<Result<Page<O>, Error<O::Error>>> {
        if let Some(error) = self.pending_error.take() {
            self.finished = true;
            return Some(Err(error));
        }
        if self.finished {
            return None;
        }
        let result = self.fetch().await;
        if result.is_err() {
            self.finished = true;
        }
        Some(result)
    }

    async fn fetch(&mut self) -> Result<Page<O>, Error<O::Error>> {
        let operation = O::INFO.operation_id;
        let prepared = self.call.prepare()?;
        let raw = prepared.execute::<O::Error>().await?;

        let json: Value = match serde_json::from_slice(&raw.body) {
            Ok(json) => json,
            Err(error) => return Err(raw.undecodable(operation, Box::new(error))),
        };
        let items = match json.pointer(O::ITEMS_POINTER) {
            None | Some(Value::Null) => Vec::new(),
            Some(items) => match Vec::<O::Item>::deserialize(items) {
                Ok(items) => items,
                Err(error) => return Err(raw.undecodable(operation, Box::new(error))),
            },
        };
        let cursor = match json.pointer(O::CURSOR_POINTER) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let response = decode_output::<O>(raw)?;

        match cursor {
            None => self.finished = true,
            Some(cursor) => {
                if self.seen_cursors.insert(cursor.clone()) {
                    self.call.op_mut().set_cursor(cursor);
                } else {
                    self.pending_error = Some(Error::Pagination { operation, cursor });
                }
            }
        }
        Ok(Page { response, items })
    }
}

impl<O: Paginated> Call<O> {
    /// Follows the cursor across every page and collects every item, or gives the first error.
    /// Handy for lists that fit in memory; [`Self::into_stream`] processes items as they come.
    pub async fn collect_all(self) -> Result<Vec<O::Item>, Error<O::Error>> {
        self.into_stream().try_collect().await
    }

    /// Streams the items of every page, fetching the next page when the previous one is used
    /// up. The stream ends after the last page or after the first error (which it yields).
    /// Stop early by dropping the stream or with `take(n)`; no further page is requested.
    pub fn into_stream(
        self,
    ) -> impl Stream<Item = Result<O::Item, Error<O::Error>>> + Send + Unpin + 'static {
        let state = (Pager::new(self), VecDeque::new());
        stream::unfold(state, |(mut pager, mut buffer)| async move {
            loop {
                if let Some(item) = buffer.pop_front() {
                    return Some((Ok(item), (pager, buffer)));
                }
                match pager.next_page().await? {
                    Ok(page) => buffer.extend(page.items),
                    Err(error) => return Some((Err(error), (pager, buffer))),
                }
            }
        })
        .boxed()
    }

    /// Streams whole pages (decoded value with status and headers), following the cursor. The
    /// stream ends after the last page or after the first error (which it yields).
    pub fn pages(
        self,
    ) -> impl Stream<Item = Result<Response<O::Output>, Error<O::Error>>> + Send + Unpin + 'static
    {
        stream::unfold(Pager::new(self), |mut pager| async move {
            let page = pager.next_page().await?;
            Some((page.map(|p| p.response), pager))
        })
        .boxed()
    }
}
