//! Bodies beyond JSON through the real stack (`tests/fixtures/bodies.yaml`, crate
//! `fixture-bodies`): a hyper server on loopback parses multipart uploads part by part (with
//! `multer`), serves server-sent events over several connections, and checks what each
//! request carried; the generated client talks to it over reqwest.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fixture_bodies::runtime::{Error, FilePart, StreamError};
use fixture_bodies::{Client, StreamExt as _};
use futures_util::stream;
use http_body_util::{BodyExt, StreamBody, combinators::BoxBody};
use hyper::body::{Bytes, Frame};

type Body = BoxBody<Bytes, std::io::Error>;

/// One request as the server saw it.
#[derive(Debug, Clone, Default)]
struct Seen {
    method: String,
    path: String,
    content_type: String,
    accept: String,
    content_length: Option<String>,
    last_event_id: Option<String>,
    body: Vec<u8>,
    parts: Vec<SeenPart>,
}

/// One part of a multipart body, as parsed by the server.
#[derive(Debug, Clone, PartialEq)]
struct SeenPart {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    headers: Vec<(String, String)>,
    data: Vec<u8>,
}

fn full(body: impl Into<Bytes>) -> Body {
    http_body_util::Full::new(body.into())
        .map_err(|never| match never {})
        .boxed()
}

fn respond(status: u16, content_type: &str, body: Body) -> hyper::Response<Body> {
    hyper::Response::builder()
        .status(status)
        .header("content-type", content_type)
        .body(body)
        .unwrap()
}

fn json(status: u16, value: serde_json::Value) -> hyper::Response<Body> {
    respond(status, "application/json", full(value.to_string()))
}

/// A body sent chunk by chunk, a few milliseconds apart (so that each leaves the server on its
/// own), then ended (or, with `Err`, cut off).
fn chunks(items: Vec<Result<&'static str, ()>>) -> Body {
    use futures_util::StreamExt as _;
    let frames = stream::iter(items).then(|item| async move {
        tokio::time::sleep(Duration::from_millis(5)).await;
        match item {
            Ok(text) => Ok(Frame::data(Bytes::from(text))),
            Err(()) => Err(std::io::Error::other("cut off on purpose")),
        }
    });
    BodyExt::boxed(StreamBody::new(frames))
}

/// Serves `handler` on loopback until the test ends; gives the base URL and what was received
/// (multipart bodies parsed).
async fn serve<F>(handler: F) -> (String, Arc<Mutex<Vec<Seen>>>)
where
    F: Fn(&Seen, usize) -> hyper::Response<Body> + Send + Sync + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let handler = Arc::new(handler);
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let (log, handler) = (log.clone(), handler.clone());
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request: hyper::Request<_>| {
                    let (log, handler) = (log.clone(), handler.clone());
                    async move {
                        let seen = read(request).await;
                        let index = {
                            let mut log = log.lock().unwrap();
                            log.push(seen.clone());
                            log.len() - 1
                        };
                        Ok::<_, Infallible>(handler(&seen, index))
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(socket), service)
                    .await;
            });
        }
    });
    (url, seen)
}

/// Reads a request, parsing a multipart body into its parts.
async fn read(request: hyper::Request<hyper::body::Incoming>) -> Seen {
    let (parts, body) = request.into_parts();
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let mut seen = Seen {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        content_type: header("content-type").unwrap_or_default(),
        accept: header("accept").unwrap_or_default(),
        content_length: header("content-length"),
        last_event_id: header("last-event-id"),
        ..Seen::default()
    };
    if let Ok(boundary) = multer::parse_boundary(&seen.content_type) {
        let data = body.into_data_stream();
        let mut multipart = multer::Multipart::new(data, boundary);
        while let Some(field) = multipart.next_field().await.unwrap() {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let content_type = field.content_type().map(|m| m.to_string());
            let headers = field
                .headers()
                .iter()
                .filter(|(n, _)| !matches!(n.as_str(), "content-disposition" | "content-type"))
                .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
                .collect();
            let data = field.bytes().await.unwrap().to_vec();
            seen.parts.push(SeenPart {
                name,
                file_name,
                content_type,
                headers,
                data,
            });
        }
    } else {
        seen.body = body.collect().await.unwrap().to_bytes().to_vec();
    }
    seen
}

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap()
}

fn stored(parts: &[SeenPart]) -> serde_json::Value {
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    serde_json::json!({"id": "f1", "size": parts.iter().map(|p| p.data.len()).sum::<usize>(), "parts": names})
}

fn part(name: &str, data: &str) -> SeenPart {
    SeenPart {
        name: name.to_owned(),
        file_name: None,
        content_type: None,
        headers: Vec::new(),
        data: data.as_bytes().to_vec(),
    }
}

/// Every kind of part arrives as the spec says: files with their names and content types
/// (the `encoding` object's for the thumbnail, the caller's where set), a list of files as
/// several parts of one name, a number and a list of strings as text parts, an object as one
/// JSON part, a part header, and a file read from disk.
#[tokio::test]
async fn a_multipart_upload_arrives_part_by_part() {
    use fixture_bodies::forms::UploadFileForm;
    use fixture_bodies::models::FileMetadata;

    let (url, seen) = serve(|seen, _| json(201, stored(&seen.parts))).await;
    let on_disk = std::env::temp_dir().join(format!("bodies-{}.txt", std::process::id()));
    std::fs::write(&on_disk, "read from disk").unwrap();
    let form = UploadFileForm::new(
        FilePart::bytes(&b"%PDF-1.7 the content"[..])
            .file_name("report.pdf")
            .content_type("application/pdf"),
        "Quarterly report",
    )
    .with_thumbnail(FilePart::bytes(vec![0x89, b'P', b'N', b'G']).header("X-Thumbnail-Scale", 2))
    .with_attachments(vec![
        FilePart::path(&on_disk),
        FilePart::bytes(&b"second"[..]).file_name("b.txt"),
    ])
    .with_pages(12)
    .with_labels(vec!["finance".to_owned(), "q3".to_owned()])
    .with_metadata(FileMetadata {
        author: Some("Ada".to_owned()),
        tags: Some(vec!["x".to_owned()]),
    });

    let file = client(&url).files().upload(form).await.unwrap();
    std::fs::remove_file(&on_disk).unwrap();

    let seen = seen.lock().unwrap()[0].clone();
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/files")
    );
    assert!(
        seen.content_type
            .starts_with("multipart/form-data; boundary="),
        "{}",
        seen.content_type
    );
    let expected = vec![
        SeenPart {
            file_name: Some("report.pdf".to_owned()),
            content_type: Some("application/pdf".to_owned()),
            ..part("file", "%PDF-1.7 the content")
        },
        SeenPart {
            file_name: Some("thumbnail".to_owned()),
            content_type: Some("image/png".to_owned()),
            headers: vec![("x-thumbnail-scale".to_owned(), "2".to_owned())],
            data: vec![0x89, b'P', b'N', b'G'],
            ..part("thumbnail", "")
        },
        SeenPart {
            file_name: on_disk
                .file_name()
                .map(|n| n.to_string_lossy().into_owned()),
            content_type: Some("application/octet-stream".to_owned()),
            ..part("attachments", "read from disk")
        },
        SeenPart {
            file_name: Some("b.txt".to_owned()),
            content_type: Some("application/octet-stream".to_owned()),
            ..part("attachments", "second")
        },
        part("title", "Quarterly report"),
        part("pages", "12"),
        part("labels", "finance"),
        part("labels", "q3"),
        SeenPart {
            content_type: Some("application/json".to_owned()),
            ..part("metadata", r#"{"author":"Ada","tags":["x"]}"#)
        },
    ];
    assert_eq!(seen.parts, expected);
    assert_eq!(file.parts.unwrap().len(), 9);
    assert!(
        seen.content_length.is_some(),
        "every part's length is known: the body is sent with its length, not chunked"
    );
}

/// A multipart body of bytes or a path is sent again on a retry (the operation is idempotent);
/// a body holding a one-shot stream is sent once and the failure is returned instead.
#[tokio::test]
async fn multipart_retries_only_when_every_part_can_be_sent_again() {
    use fixture_bodies::forms::ReplaceFileForm;

    let (url, seen) = serve(|seen, index| {
        if index % 2 == 0 {
            json(503, serde_json::json!({"message": "busy"}))
        } else {
            json(200, stored(&seen.parts))
        }
    })
    .await;
    let client = client(&url);

    let file = client
        .files()
        .replace("f1", ReplaceFileForm::new(&b"again and again"[..]))
        .await
        .unwrap();
    assert_eq!(file.size, 15);
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2, "retried once");
        assert_eq!(seen[0].parts, seen[1].parts, "the same parts both times");
        assert_eq!(seen[1].parts[0].data, b"again and again");
    }

    let chunks = stream::iter(vec![
        Ok::<_, std::io::Error>(Bytes::from_static(b"once ")),
        Ok(Bytes::from_static(b"only")),
    ]);
    let form = ReplaceFileForm::new(FilePart::stream(chunks).file_name("live.bin"));
    let error = client.files().replace("f1", form).await.unwrap_err();
    match &error {
        Error::Api(api) => assert_eq!(api.status().as_u16(), 503),
        other => panic!("expected the 503, got {other:?}"),
    }
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3, "a stream part is not sent twice");
    assert_eq!(seen[2].parts[0].data, b"once only");
    assert_eq!(seen[2].parts[0].file_name.as_deref(), Some("live.bin"));
    assert_eq!(
        seen[2].content_length, None,
        "a stream's length is unknown: sent chunked"
    );
}

/// One operation, four media types: the caller picks by method, and each sends its own
/// `Content-Type` and encoding. (The fixture's configuration renames `createNote` to `add`; the
/// other media types' methods follow: `add_form`, `add_multipart`, `add_text`.)
#[tokio::test]
async fn each_media_type_of_a_body_has_its_method() {
    use fixture_bodies::forms::CreateNoteMultipartForm;
    use fixture_bodies::models::NewNote;

    let (url, seen) = serve(|seen, _| {
        let text = match seen.parts.first() {
            Some(part) => String::from_utf8(part.data.clone()).unwrap(),
            None => String::from_utf8(seen.body.clone()).unwrap(),
        };
        json(
            201,
            serde_json::json!({"id": "n1", "text": text, "format": seen.content_type}),
        )
    })
    .await;
    let notes = client(&url).notes();
    let note = NewNote::new("hello");

    let json_note = notes.add(&note).await.unwrap();
    assert_eq!(json_note.text, r#"{"text":"hello"}"#);
    assert_eq!(json_note.format.as_deref(), Some("application/json"));

    let form_note = notes.add_form(&note).await.unwrap();
    assert_eq!(form_note.text, "text=hello");
    assert_eq!(
        form_note.format.as_deref(),
        Some("application/x-www-form-urlencoded")
    );

    let text_note = notes.add_text("plain hello").await.unwrap();
    assert_eq!(text_note.text, "plain hello");
    assert_eq!(text_note.format.as_deref(), Some("text/plain"));

    let multipart_note = notes
        .add_multipart(CreateNoteMultipartForm::new("from a form"))
        .await
        .unwrap();
    assert_eq!(multipart_note.text, "from a form");
    assert!(
        multipart_note
            .format
            .unwrap()
            .starts_with("multipart/form-data")
    );
    assert_eq!(seen.lock().unwrap().len(), 4);
}

/// An XML response is a text document: read whole into a `String`, not streamed.
#[tokio::test]
async fn an_xml_response_is_text() {
    let (url, _) = serve(|_, _| respond(200, "application/xml", full("<note>hi</note>"))).await;
    let xml: String = client(&url).notes().export("n1").await.unwrap();
    assert_eq!(xml, "<note>hi</note>");
}

const CHANGE_1: &str = "id: 1\ndata: {\"seq\":1,\"what\":\"created\"}\n\n";
const CHANGE_2: &str = "id: 2\nevent: change\ndata: {\"seq\":2}\n\n";
const NOT_JSON: &str = "data: not json\n\n";
const CHANGE_3: &str = ": a comment\nid: 3\ndata: {\"seq\":3,\n";
const CHANGE_3_END: &str = "data: \"what\":\"split\"}\n\n";

/// An event stream is typed, survives an undecodable event, and, asked to reconnect, resumes
/// with `Last-Event-ID` after the server closes it, until the server answers 204.
#[tokio::test]
async fn an_event_stream_reconnects_with_the_last_event_id() {
    let (url, seen) = serve(|_, index| match index {
        0 => respond(
            200,
            "text/event-stream",
            chunks(vec![Ok(CHANGE_1), Ok(CHANGE_2), Ok(NOT_JSON)]),
        ),
        1 => respond(
            200,
            "text/event-stream",
            chunks(vec![Ok(CHANGE_3), Ok(CHANGE_3_END)]),
        ),
        _ => respond(204, "text/plain", full("")),
    })
    .await;
    let mut events = client(&url)
        .events()
        .stream()
        .topic("files")
        .await
        .unwrap()
        .reconnect(3)
        .reconnect_delay(Duration::from_millis(5));

    let first = events.next().await.unwrap().unwrap();
    assert_eq!(
        (first.id.as_deref(), first.event.as_deref(), first.data.seq),
        (Some("1"), None, 1)
    );
    assert_eq!(first.data.what.as_deref(), Some("created"));
    let second = events.next().await.unwrap().unwrap();
    assert_eq!(
        (second.event.as_deref(), second.data.seq),
        (Some("change"), 2)
    );
    match events.next().await.unwrap() {
        Err(StreamError::Event(odd)) => {
            assert_eq!(odd.data, "not json");
            assert_eq!(odd.id, None);
        }
        other => panic!("expected an undecodable event, got {other:?}"),
    }
    let third = events.next().await.unwrap().unwrap();
    assert_eq!(third.data.seq, 3);
    assert_eq!(third.data.what.as_deref(), Some("split"));
    assert_eq!(events.last_event_id().as_deref(), Some("3"));
    assert!(events.next().await.is_none(), "204 ends the stream");

    let seen = seen.lock().unwrap();
    let resumed: Vec<Option<&str>> = seen.iter().map(|s| s.last_event_id.as_deref()).collect();
    assert_eq!(resumed, [None, Some("2"), Some("3")]);
    assert!(seen.iter().all(|s| s.accept == "text/event-stream"));
    assert_eq!(seen[0].path, "/events");
}

/// Without reconnection, a stream cut off mid-way hands over the events before the cut and then
/// a transport error, and ends; a text stream keeps each event's data as it came.
#[tokio::test]
async fn an_event_stream_cut_off_ends_with_a_transport_error() {
    let (url, seen) = serve(|_, _| {
        respond(
            200,
            "text/event-stream",
            chunks(vec![Ok("data: line one\ndata: line two\n\n"), Err(())]),
        )
    })
    .await;
    let mut events = client(&url).events().stream_log().await.unwrap();
    let line = events.next().await.unwrap().unwrap();
    assert_eq!(line.data, "line one\nline two");
    match events.next().await.unwrap() {
        Err(error @ StreamError::Transport { .. }) => assert!(!error.is_recoverable()),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(events.next().await.is_none());
    assert_eq!(seen.lock().unwrap().len(), 1, "not reconnected unasked");
}

/// The two other ways a spec describes events decode the same data: an event schema whose
/// `data` is the change, and OpenAPI 3.2's `itemSchema`.
#[tokio::test]
async fn envelope_and_item_schemas_type_the_data() {
    let (url, _) =
        serve(|_, _| respond(200, "text/event-stream", chunks(vec![Ok(CHANGE_1)]))).await;
    let client = client(&url);
    let from_envelope = client.events().stream_envelopes().await.unwrap();
    let from_items = client.events().stream_items().await.unwrap();
    for mut events in [from_envelope, from_items] {
        assert_eq!(events.next().await.unwrap().unwrap().data.seq, 1);
        assert!(events.next().await.is_none());
    }
}

/// An error answer to a streamed operation is the usual typed `Error::Api`, its body read.
#[tokio::test]
async fn a_streamed_operation_answered_with_an_error_keeps_the_body() {
    let (url, _) = serve(|_, _| json(404, serde_json::json!({"message": "no such file"}))).await;
    let error = client(&url).files().download("f9").await.unwrap_err();
    match error {
        Error::Api(api) => {
            assert_eq!(api.status().as_u16(), 404);
            assert!(api.body_text().contains("no such file"));
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// A download arrives in chunks with its declared length; `collect_bytes` gathers a small one
/// and refuses one over its limit; raw bytes are uploaded with their media type.
#[tokio::test]
async fn downloads_stream_and_raw_uploads_keep_their_media_type() {
    let (url, seen) = serve(|seen, _| {
        if seen.method == "PUT" {
            return respond(204, "text/plain", full(""));
        }
        respond(200, "application/octet-stream", full(&b"0123456789"[..]))
    })
    .await;
    let files = client(&url).files();
    let download = files.download("f1").await.unwrap();
    assert_eq!(download.content_length(), Some(10));
    assert_eq!(
        &download.collect_bytes(10).await.unwrap()[..],
        b"0123456789"
    );
    let small = files.download("f1").await.unwrap().collect_bytes(4).await;
    assert!(matches!(small, Err(StreamError::TooLarge { limit: 4, .. })));

    files
        .replace_content("f1", &b"raw bytes"[..])
        .await
        .unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].accept, "*/*");
    let put = seen.iter().find(|s| s.method == "PUT").unwrap();
    assert_eq!(put.content_type, "application/octet-stream");
    assert_eq!(put.body, b"raw bytes");
}

/// A streamed call is retried up to the response's head like any other (a 503 first), and an
/// event stream whose reconnections all fail ends with a `Reconnect` error naming the attempts.
#[tokio::test]
async fn a_streamed_call_is_retried_until_its_head_and_reconnections_give_up() {
    let (url, seen) = serve(|_, index| match index {
        0 => json(503, serde_json::json!({"message": "warming up"})),
        1 => respond(200, "text/event-stream", chunks(vec![Ok(CHANGE_1)])),
        _ => json(500, serde_json::json!({"message": "gone"})),
    })
    .await;
    let client = Client::builder()
        .base_url(&url)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .max_retries(1)
        .build()
        .unwrap();
    let mut events = client
        .events()
        .stream()
        .await
        .unwrap()
        .reconnect(2)
        .reconnect_delay(Duration::from_millis(1));
    assert_eq!(events.next().await.unwrap().unwrap().data.seq, 1);
    match events.next().await.unwrap() {
        Err(StreamError::Reconnect {
            attempts, source, ..
        }) => {
            assert_eq!(attempts, 2);
            let error = source
                .downcast::<Error<serde_json::Value>>()
                .expect("the call's own error");
            assert!(matches!(*error, Error::Api(ref api) if api.status().as_u16() == 500));
        }
        other => panic!("expected the reconnection to give up, got {other:?}"),
    }
    assert!(events.next().await.is_none());
    // 1 refused + 1 stream + 2 reconnections, each retried once.
    assert_eq!(seen.lock().unwrap().len(), 6);
}

/// A download that stalls mid-way fails with `Idle` once nothing has arrived for the call's
/// timeout, after handing over what did arrive.
#[tokio::test]
async fn a_stalled_download_fails_after_the_timeout() {
    use futures_util::StreamExt as _;
    let (url, _) = serve(|_, _| {
        let first = stream::iter([Ok::<_, std::io::Error>(Frame::data(Bytes::from_static(
            b"partial",
        )))]);
        let body = BodyExt::boxed(StreamBody::new(first.chain(stream::pending())));
        respond(200, "application/octet-stream", body)
    })
    .await;
    let mut download = client(&url)
        .files()
        .download("f1")
        .timeout(Duration::from_millis(300))
        .await
        .unwrap();
    assert_eq!(&download.next().await.unwrap().unwrap()[..], b"partial");
    match download.next().await.unwrap() {
        Err(StreamError::Idle {
            received, timeout, ..
        }) => assert_eq!((received, timeout), (7, Duration::from_millis(300))),
        other => panic!("expected an idle stream, got {other:?}"),
    }
    assert!(download.next().await.is_none());
}
