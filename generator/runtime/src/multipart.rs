//! Multipart request bodies (`multipart/form-data`): file parts, and the body generated form
//! types are turned into.
//!
//! Takes: a generated form's fields, as text values and [`FilePart`]s. Gives: a
//! `reqwest::multipart::Form` for each attempt, made anew so that a retried request sends the
//! same parts again, and whether that is possible: a file given as a one-shot stream can be sent
//! once, so a request holding one is never retried.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde_json::Value;

use super::error::{BoxError, BuildError};

/// A file sent as one part of a multipart body: its content (bytes, a file on disk, or a
/// stream), with the file name and content type the part declares.
///
/// Bytes and paths can be sent again, so a request holding them is retried like any other; a
/// stream can be sent once, so a request holding one is not retried. A path is opened when the
/// request is sent (on each attempt), and its file name is the default one.
#[derive(Clone)]
pub struct FilePart {
    content: FileContent,
    file_name: Option<String>,
    content_type: Option<String>,
    headers: Vec<(String, String)>,
}

#[derive(Clone)]
enum FileContent {
    Bytes(Bytes),
    Path(PathBuf),
    /// Taken by the first attempt that sends it.
    Stream {
        body: Arc<Mutex<Option<reqwest::Body>>>,
        length: Option<u64>,
    },
}

impl fmt::Debug for FilePart {
    /// Shows where the content comes from, not the content.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let content = match &self.content {
            FileContent::Bytes(bytes) => format!("{} bytes", bytes.len()),
            FileContent::Path(path) => format!("file {}", path.display()),
            FileContent::Stream { length, .. } => match length {
                Some(length) => format!("stream of {length} bytes"),
                None => "stream".to_owned(),
            },
        };
        f.debug_struct("FilePart")
            .field("content", &content)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

impl FilePart {
    fn with(content: FileContent) -> Self {
        FilePart {
            content,
            file_name: None,
            content_type: None,
            headers: Vec::new(),
        }
    }

    /// A file whose content is in memory.
    pub fn bytes(content: impl Into<Bytes>) -> Self {
        FilePart::with(FileContent::Bytes(content.into()))
    }

    /// A file on disk, read when the request is sent (again on a retry); its name is the part's
    /// file name unless [`Self::file_name`] sets another. A file that cannot be opened fails
    /// the call with `Error::InvalidRequest`.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        FilePart {
            file_name,
            ..FilePart::with(FileContent::Path(path))
        }
    }

    /// A file read from a stream of chunks, sent once: a request holding it is not retried.
    pub fn stream<S>(stream: S) -> Self
    where
        S: futures_util::TryStream + Send + 'static,
        S::Error: Into<BoxError>,
        Bytes: From<S::Ok>,
    {
        FilePart::with(FileContent::Stream {
            body: Arc::new(Mutex::new(Some(reqwest::Body::wrap_stream(stream)))),
            length: None,
        })
    }

    /// Like [`Self::stream`], for a stream of a known length (sent as the part's length, so
    /// that the whole body's length is known too).
    pub fn stream_with_length<S>(stream: S, length: u64) -> Self
    where
        S: futures_util::TryStream + Send + 'static,
        S::Error: Into<BoxError>,
        Bytes: From<S::Ok>,
    {
        let mut part = FilePart::stream(stream);
        if let FileContent::Stream { length: known, .. } = &mut part.content {
            *known = Some(length);
        }
        part
    }

    /// The part's file name (`filename` in its `Content-Disposition`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's content type, instead of the one the API declares for it (or
    /// `application/octet-stream`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// An extra header of the part (the API may describe some in its `encoding`).
    pub fn header(mut self, name: impl Into<String>, value: impl fmt::Display) -> Self {
        self.headers.push((name.into(), value.to_string()));
        self
    }

    /// Whether the part can be sent more than once (bytes and paths can, streams cannot).
    pub fn is_replayable(&self) -> bool {
        !matches!(self.content, FileContent::Stream { .. })
    }
}

impl From<Bytes> for FilePart {
    fn from(content: Bytes) -> Self {
        FilePart::bytes(content)
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(content: Vec<u8>) -> Self {
        FilePart::bytes(content)
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(content: &'static [u8]) -> Self {
        FilePart::bytes(content)
    }
}

/// One part of a multipart body.
#[derive(Clone, Debug)]
struct Part {
    name: &'static str,
    value: PartValue,
}

#[derive(Clone, Debug)]
enum PartValue {
    Text {
        text: String,
        content_type: Option<&'static str>,
    },
    File {
        file: FilePart,
        /// The content type the API declares for the part, used when the file sets none.
        declared: Option<&'static str>,
    },
}

/// A multipart body being assembled by a generated form type. Not part of the public API.
#[doc(hidden)]
#[derive(Clone, Debug, Default)]
pub struct MultipartBody {
    parts: Vec<Part>,
}

impl MultipartBody {
    /// An empty body.
    pub fn new() -> Self {
        MultipartBody::default()
    }

    /// Adds a value as text parts: a scalar as its text, `None`/`null` as nothing, an array as
    /// one part per element, an object (or an array inside the array) as JSON. `content_type`
    /// is the one the API declares for the part, if any; an `application/json` one sends the
    /// whole value as one JSON part.
    pub fn value<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        content_type: Option<&'static str>,
    ) -> Result<(), BuildError> {
        let value = serde_json::to_value(value).map_err(|e| {
            BuildError::new(format!(
                "multipart field `{name}` could not be serialised: {e}"
            ))
        })?;
        let json_declared = content_type.is_some_and(|c| {
            let c = c.to_ascii_lowercase();
            c.starts_with("application/json") || c.contains("+json")
        });
        if json_declared {
            if !value.is_null() {
                self.push_text(name, value.to_string(), content_type);
            }
            return Ok(());
        }
        let items = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            match item {
                Value::Null => {}
                Value::String(text) => self.push_text(name, text, content_type),
                Value::Bool(_) | Value::Number(_) => {
                    self.push_text(name, item.to_string(), content_type)
                }
                Value::Object(_) | Value::Array(_) => self.push_text(
                    name,
                    item.to_string(),
                    Some(content_type.unwrap_or("application/json")),
                ),
            }
        }
        Ok(())
    }

    fn push_text(&mut self, name: &'static str, text: String, content_type: Option<&'static str>) {
        self.parts.push(Part {
            name,
            value: PartValue::Text { text, content_type },
        });
    }

    /// Adds a file part; `declared` is the content type the API declares for it, if any.
    pub fn file(&mut self, name: &'static str, file: &FilePart, declared: Option<&'static str>) {
        self.parts.push(Part {
            name,
            value: PartValue::File {
                file: file.clone(),
                declared,
            },
        });
    }

    /// Adds a file part for each file, all under `name`.
    pub fn files(
        &mut self,
        name: &'static str,
        files: &[FilePart],
        declared: Option<&'static str>,
    ) {
        for file in files {
            self.file(name, file, declared);
        }
    }

    /// Whether the body can be sent more than once.
    pub(crate) fn is_replayable(&self) -> bool {
        self.parts.iter().all(|part| match &part.value {
            PartValue::Text { .. } => true,
            PartValue::File { file, .. } => file.is_replayable(),
        })
    }

    /// The form for one attempt: files on disk are opened now, a stream is taken (a second
    /// attempt with the same stream fails).
    pub(crate) async fn to_form(&self) -> Result<reqwest::multipart::Form, String> {
        let mut form = reqwest::multipart::Form::new();
        for part in &self.parts {
            let name = part.name;
            let built = match &part.value {
                PartValue::Text { text, content_type } => {
                    let built = reqwest::multipart::Part::text(text.clone());
                    match content_type {
                        Some(mime) => built.mime_str(mime).map_err(|_| {
                            format!("multipart field `{name}`: content type {mime:?} is not valid")
                        })?,
                        None => built,
                    }
                }
                PartValue::File { file, declared } => file_part(name, file, *declared).await?,
            };
            form = form.part(name, built);
        }
        Ok(form)
    }
}

/// The `reqwest` part for a file.
async fn file_part(
    name: &str,
    file: &FilePart,
    declared: Option<&'static str>,
) -> Result<reqwest::multipart::Part, String> {
    let mut part = match &file.content {
        FileContent::Bytes(bytes) => reqwest::multipart::Part::stream_with_length(
            reqwest::Body::from(bytes.clone()),
            bytes.len() as u64,
        ),
        FileContent::Path(path) => {
            let opened = tokio::fs::File::open(path).await.map_err(|e| {
                format!(
                    "multipart field `{name}`: cannot open {}: {e}",
                    path.display()
                )
            })?;
            let length = opened.metadata().await.map(|m| m.len()).map_err(|e| {
                format!(
                    "multipart field `{name}`: cannot read {}: {e}",
                    path.display()
                )
            })?;
            reqwest::multipart::Part::stream_with_length(reqwest::Body::from(opened), length)
        }
        FileContent::Stream { body, length } => {
            let taken = body.lock().unwrap_or_else(PoisonError::into_inner).take();
            let Some(taken) = taken else {
                return Err(format!(
                    "multipart field `{name}`: its stream was already sent once and cannot be sent again"
                ));
            };
            match length {
                Some(length) => reqwest::multipart::Part::stream_with_length(taken, *length),
                None => reqwest::multipart::Part::stream(taken),
            }
        }
    };
    let content_type = file
        .content_type
        .as_deref()
        .or(declared)
        .unwrap_or("application/octet-stream");
    part = part.mime_str(content_type).map_err(|_| {
        format!("multipart field `{name}`: content type {content_type:?} is not valid")
    })?;
    if let Some(file_name) = &file.file_name {
        part = part.file_name(file_name.clone());
    } else {
        // A file part without a file name is taken for a text field by many servers.
        part = part.file_name(name.to_owned());
    }
    if !file.headers.is_empty() {
        let mut headers = HeaderMap::new();
        for (header, value) in &file.headers {
            let header_name = HeaderName::from_bytes(header.as_bytes()).map_err(|_| {
                format!("multipart field `{name}`: `{header}` is not a valid header name")
            })?;
            let header_value = HeaderValue::from_str(value).map_err(|_| {
                format!("multipart field `{name}`: the value of header `{header}` is not valid")
            })?;
            headers.append(header_name, header_value);
        }
        part = part.headers(headers);
    }
    Ok(part)
}
