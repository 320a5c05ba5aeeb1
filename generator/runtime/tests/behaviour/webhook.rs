//! Webhook signature verification, with HubSpot's three signature recipes described as data
//! (test data: the runtime knows no API) and known-answer vectors computed independently with
//! `openssl` and Python (`hmac`, `hashlib`); each vector's comment has the commands.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, HeaderName, HeaderValue, Method};
use proptest::prelude::*;

use crate::runtime::{
    SchemeId, SignatureAlgorithm, SignatureEncoding, SignatureError, SignatureScheme,
    SignatureSchemes, SignedPart, TimestampCheck, TimestampUnit, Verified, WebhookRequest,
    WebhookSecret, WebhookVerifier,
};

const VERSION: &str = "X-HubSpot-Signature-Version";
const SIGNATURE_V3: &str = "X-HubSpot-Signature-v3";
const TIMESTAMP: &str = "X-HubSpot-Request-Timestamp";
const SIGNATURE: &str = "X-HubSpot-Signature";

/// HubSpot's recipes: v3 (HMAC, base64, with a timestamp), v2 and v1 (plain SHA-256, hex).
static HUBSPOT: SignatureSchemes = SignatureSchemes {
    version_header: Some(VERSION),
    schemes: &[
        SignatureScheme {
            name: "v3",
            version: Some("v3"),
            algorithm: SignatureAlgorithm::HmacSha256,
            encoding: SignatureEncoding::Base64,
            signature_header: SIGNATURE_V3,
            prefix: None,
            content: &[
                SignedPart::Method,
                SignedPart::Uri,
                SignedPart::Body,
                SignedPart::Header(TIMESTAMP),
            ],
            timestamp: Some(TimestampCheck {
                header: TIMESTAMP,
                unit: TimestampUnit::Milliseconds,
                tolerance: Duration::from_secs(300),
            }),
            replayable: false,
        },
        SignatureScheme {
            name: "v2",
            version: Some("v2"),
            algorithm: SignatureAlgorithm::Sha256,
            encoding: SignatureEncoding::Hex,
            signature_header: SIGNATURE,
            prefix: None,
            content: &[
                SignedPart::Secret,
                SignedPart::Method,
                SignedPart::Uri,
                SignedPart::Body,
            ],
            timestamp: None,
            replayable: true,
        },
        SignatureScheme {
            name: "v1",
            version: Some("v1"),
            algorithm: SignatureAlgorithm::Sha256,
            encoding: SignatureEncoding::Hex,
            signature_header: SIGNATURE,
            prefix: None,
            content: &[SignedPart::Secret, SignedPart::Body],
            timestamp: None,
            replayable: true,
        },
    ],
};

/// HubSpot's schemes by name, as a generated crate's `webhooks::Scheme` names them.
#[derive(Debug, Clone, Copy)]
enum Hub {
    V3,
    V2,
    V1,
}

impl SchemeId for Hub {
    fn scheme_name(self) -> &'static str {
        match self {
            Hub::V3 => "v3",
            Hub::V2 => "v2",
            Hub::V1 => "v1",
        }
    }
}

/// A verifier that accepts HubSpot's replayable schemes too, for the known-answer vectors.
fn all_schemes(secret: impl Into<WebhookSecret>) -> WebhookVerifier {
    WebhookVerifier::new(&HUBSPOT, secret)
        .accept_replayable(Hub::V2)
        .accept_replayable(Hub::V1)
}

// The inputs of every vector, in shell variables for the commands below:
//   S='hubspot-app-secret-0c7d'
//   U='https://example.com/webhooks/hubspot?portalId=62515&name=J%C3%BCrgen%20M%C3%BCller'
//   B='[{"objectId":1246965,"note":"Grüße aus München ✓"}]'     (56 bytes of UTF-8)
const SECRET: &str = "hubspot-app-secret-0c7d";
/// A query string with percent-encoded non-ASCII and a space.
const URI: &str =
    "https://example.com/webhooks/hubspot?portalId=62515&name=J%C3%BCrgen%20M%C3%BCller";
/// `URI` percent-decoded: what a framework's decoded URL would give.
const URI_DECODED: &str = "https://example.com/webhooks/hubspot?portalId=62515&name=Jürgen Müller";
const BODY: &str = r#"[{"objectId":1246965,"note":"Grüße aus München ✓"}]"#;

/// v3 at `T0` (ms):
///   printf '%s' "POST${U}${B}1733100000000" | openssl dgst -sha256 -hmac "$S" -binary | base64
///   python3 -c 'import hmac,hashlib,base64,sys; s,u,b=sys.argv[1:]; print(base64.b64encode(hmac.new(s.encode(),("POST"+u+b+"1733100000000").encode(),hashlib.sha256).digest()).decode())' "$S" "$U" "$B"
const T0: u64 = 1_733_100_000_000;
const SIG_V3: &str = "Zv5EGLRhJQx4OGYkyR9KO5LhPsKB4d3HfvLHVuTQie0=";
/// v3 at `T_PLUS`, the first timestamp from `T0` on whose signature has a `+`:
///   printf '%s' "POST${U}${B}1733100000006" | openssl dgst -sha256 -hmac "$S" -binary | base64
///   (same python3 command with 1733100000006)
const T_PLUS: u64 = 1_733_100_000_006;
const SIG_V3_PLUS: &str = "INLYjjh+gVuEVGTvtJQS7X13steVtoTQ1bZdvVjAuIk=";
/// v2:
///   printf '%s' "${S}POST${U}${B}" | openssl dgst -sha256 -r
///   python3 -c 'import hashlib,sys; s,u,b=sys.argv[1:]; print(hashlib.sha256((s+"POST"+u+b).encode()).hexdigest())' "$S" "$U" "$B"
const SIG_V2: &str = "fcf2752f87295c29ab3e93d5a5774dc29b2d7216ba65fabee16f2cda844dd2bb";
/// v1:
///   printf '%s' "${S}${B}" | openssl dgst -sha256 -r
///   python3 -c 'import hashlib,sys; s,b=sys.argv[1:]; print(hashlib.sha256((s+b).encode()).hexdigest())' "$S" "$B"
const SIG_V1: &str = "fe5fa3c594b641e731bd208b0ee32d48cf694320694893dfe70d0785e248843e";

/// An owned request, lent out as a `WebhookRequest`.
#[derive(Debug, Clone)]
struct Request {
    method: Method,
    uri: String,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Request {
    fn new(headers: &[(&str, &str)]) -> Self {
        let mut request = Request {
            method: Method::POST,
            uri: URI.to_owned(),
            headers: HeaderMap::new(),
            body: BODY.as_bytes().to_vec(),
        };
        for (name, value) in headers {
            request.set(name, value);
        }
        request
    }

    fn set(&mut self, name: &str, value: &str) {
        self.headers.insert(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }

    fn without(mut self, name: &str) -> Self {
        self.headers.remove(name);
        self
    }

    fn verify_with(
        &self,
        verifier: &WebhookVerifier,
        now: SystemTime,
    ) -> Result<Verified, SignatureError> {
        let request = WebhookRequest {
            method: &self.method,
            uri: &self.uri,
            headers: &self.headers,
            body: &self.body,
        };
        verifier.verify(&request, now)
    }

    fn verify(&self, now: SystemTime) -> Result<Verified, SignatureError> {
        self.verify_with(&all_schemes(SECRET), now)
    }
}

fn at_ms(ms: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(ms)
}

/// One second after `T0`.
fn now() -> SystemTime {
    at_ms(T0 + 1_000)
}

fn v3() -> Request {
    Request::new(&[(SIGNATURE_V3, SIG_V3), (TIMESTAMP, &T0.to_string())])
}

fn v2() -> Request {
    Request::new(&[(SIGNATURE, SIG_V2), (VERSION, "v2")])
}

fn v1() -> Request {
    Request::new(&[(SIGNATURE, SIG_V1), (VERSION, "v1")])
}

fn ok(scheme: &'static str) -> Result<Verified, SignatureError> {
    Ok(Verified { scheme })
}

fn mismatch(scheme: &'static str) -> Result<Verified, SignatureError> {
    Err(SignatureError::Mismatch { scheme })
}

fn is_malformed(result: Result<Verified, SignatureError>, expected: &str) -> bool {
    matches!(result, Err(SignatureError::MalformedHeader { header, .. }) if header == expected)
}

#[test]
fn the_known_answer_vectors_verify() {
    assert_eq!(v3().verify(now()), ok("v3"));
    assert_eq!(v2().verify(now()), ok("v2"));
    assert_eq!(v1().verify(now()), ok("v1"));
    // The plus vector, unchanged.
    let plus = Request::new(&[
        (SIGNATURE_V3, SIG_V3_PLUS),
        (TIMESTAMP, &T_PLUS.to_string()),
    ]);
    assert_eq!(plus.verify(now()), ok("v3"));
}

#[test]
fn the_version_header_selects_the_scheme_ignoring_case_and_spaces() {
    let mut request = v3();
    request.set(VERSION, " V3 ");
    assert_eq!(request.verify(now()), ok("v3"));
    // v1 and v2 share a signature header: only the version header tells them apart.
    let mut request = v1();
    request.set(VERSION, "v2");
    assert_eq!(request.verify(now()), mismatch("v2"));
    // Without one, the first scheme whose signature header is present (v2) is used.
    assert_eq!(v2().without(VERSION).verify(now()), ok("v2"));
    assert_eq!(v1().without(VERSION).verify(now()), mismatch("v2"));
}

#[test]
fn the_method_is_signed_in_upper_case() {
    let mut request = v3();
    request.method = Method::from_bytes(b"post").unwrap();
    assert_eq!(request.verify(now()), ok("v3"));
    request.method = Method::PUT;
    assert_eq!(request.verify(now()), mismatch("v3"));
}

#[test]
fn hex_signatures_may_be_upper_case() {
    let mut request = v2();
    request.set(SIGNATURE, &SIG_V2.to_ascii_uppercase());
    assert_eq!(request.verify(now()), ok("v2"));
}

#[test]
fn a_tampered_body_fails() {
    for (request, scheme) in [(v3(), "v3"), (v2(), "v2"), (v1(), "v1")] {
        let mut tampered = request.clone();
        tampered.body = BODY.replace("1246965", "1246966").into_bytes();
        assert_eq!(tampered.verify(now()), mismatch(scheme));
        tampered.body.clear();
        assert_eq!(tampered.verify(now()), mismatch(scheme));
    }
}

#[test]
fn a_wrong_secret_fails() {
    let wrong = all_schemes("hubspot-app-secret-0c7e");
    for (request, scheme) in [(v3(), "v3"), (v2(), "v2"), (v1(), "v1")] {
        assert_eq!(request.verify_with(&wrong, now()), mismatch(scheme));
        let empty = all_schemes("");
        assert_eq!(request.verify_with(&empty, now()), mismatch(scheme));
    }
}

#[test]
fn the_timestamp_must_be_within_the_tolerance() {
    let tolerance = Duration::from_secs(300);
    assert_eq!(v3().verify(at_ms(T0)), ok("v3"));
    assert_eq!(v3().verify(at_ms(T0 + 300_000)), ok("v3"));
    assert_eq!(
        v3().verify(at_ms(T0 + 300_001)),
        Err(SignatureError::StaleTimestamp {
            age: Duration::from_millis(300_001),
            tolerance
        })
    );
    assert_eq!(v3().verify(at_ms(T0 - 300_000)), ok("v3"));
    assert_eq!(
        v3().verify(at_ms(T0 - 300_001)),
        Err(SignatureError::FutureTimestamp {
            ahead: Duration::from_millis(300_001),
            tolerance
        })
    );
}

#[test]
fn the_timestamp_header_is_signed() {
    let mut request = v3();
    request.set(TIMESTAMP, &(T0 + 1).to_string());
    assert_eq!(request.verify(now()), mismatch("v3"));
    // Byte for byte: a leading zero is the same time but not the same signed message.
    request.set(TIMESTAMP, &format!("0{T0}"));
    assert_eq!(request.verify(now()), mismatch("v3"));
}

#[test]
fn the_timestamp_is_checked_before_the_signature() {
    let mut request = v3();
    request.set(SIGNATURE_V3, SIG_V3_PLUS);
    assert!(matches!(
        request.verify(at_ms(T0 + 3_600_000)),
        Err(SignatureError::StaleTimestamp { .. })
    ));
    assert_eq!(request.verify(now()), mismatch("v3"));
}

#[test]
fn a_plus_turned_into_a_space_still_verifies() {
    assert!(SIG_V3_PLUS.contains('+'), "the vector must have a `+`");
    let mut request = Request::new(&[
        (SIGNATURE_V3, SIG_V3_PLUS),
        (TIMESTAMP, &T_PLUS.to_string()),
    ]);
    request.set(SIGNATURE_V3, &SIG_V3_PLUS.replace('+', " "));
    assert_eq!(request.verify(now()), ok("v3"));
    // Padding is optional, and surrounding whitespace is ignored.
    request.set(
        SIGNATURE_V3,
        &format!(" {} ", SIG_V3_PLUS.trim_end_matches('=')),
    );
    assert_eq!(request.verify(now()), ok("v3"));
    // The URL-safe alphabet is not the standard one.
    request.set(SIGNATURE_V3, &SIG_V3_PLUS.replace('+', "-"));
    assert!(is_malformed(request.verify(now()), SIGNATURE_V3));
}

#[test]
fn the_uri_is_signed_exactly_as_given() {
    assert_eq!(v3().verify(now()), ok("v3"));
    let mut decoded = v3();
    decoded.uri = URI_DECODED.to_owned();
    assert_eq!(decoded.verify(now()), mismatch("v3"));
    let mut decoded = v2();
    decoded.uri = URI_DECODED.to_owned();
    assert_eq!(decoded.verify(now()), mismatch("v2"));
    // What the server sees behind a proxy is not what was called.
    let mut internal = v3();
    internal.uri =
        "http://10.0.0.5:8080/webhooks/hubspot?portalId=62515&name=J%C3%BCrgen%20M%C3%BCller"
            .to_owned();
    assert_eq!(internal.verify(now()), mismatch("v3"));
}

#[test]
fn a_missing_signature_header_is_named() {
    let missing = |header| Err(SignatureError::MissingHeader { header });
    // No scheme's signature header: the first scheme's is named.
    let request = Request::new(&[(TIMESTAMP, &T0.to_string())]);
    assert_eq!(request.verify(now()), missing(SIGNATURE_V3));
    // The version header selects v2, whose header is absent.
    let request = v2().without(SIGNATURE);
    assert_eq!(request.verify(now()), missing(SIGNATURE));
    let mut request = v3().without(SIGNATURE_V3);
    request.set(VERSION, "v3");
    assert_eq!(request.verify(now()), missing(SIGNATURE_V3));
}

#[test]
fn a_missing_or_malformed_timestamp_is_rejected() {
    assert_eq!(
        v3().without(TIMESTAMP).verify(now()),
        Err(SignatureError::MissingHeader { header: TIMESTAMP })
    );
    for bad in [
        "",
        "abc",
        "-1733100000000",
        "+1733100000000",
        "1733100000000.5",
        "1.7331e12",
        "99999999999999999999999",
    ] {
        let mut request = v3();
        request.set(TIMESTAMP, bad);
        assert!(is_malformed(request.verify(now()), TIMESTAMP), "{bad:?}");
    }
}

#[test]
fn a_malformed_signature_is_rejected() {
    for bad in [
        "",
        "not base64!",
        "Zv5EGLRhJQx4OGYkyR9KO5LhPsKB4d3HfvLHVuTQie0===",
    ] {
        let mut request = v3();
        request.set(SIGNATURE_V3, bad);
        assert!(is_malformed(request.verify(now()), SIGNATURE_V3), "{bad:?}");
    }
    for bad in ["", "xyz", &SIG_V2[1..], &SIG_V2.replace('f', "g")] {
        let mut request = v2();
        request.set(SIGNATURE, bad);
        assert!(is_malformed(request.verify(now()), SIGNATURE), "{bad:?}");
    }
    let mut request = v2();
    request
        .headers
        .insert(SIGNATURE, HeaderValue::from_bytes(b"fc\xe9").unwrap());
    assert!(is_malformed(request.verify(now()), SIGNATURE));
}

#[test]
fn a_signature_of_the_wrong_length_is_a_mismatch() {
    let mut request = v3();
    // The first 30 bytes of the right signature.
    request.set(SIGNATURE_V3, &SIG_V3[..40]);
    assert_eq!(request.verify(now()), mismatch("v3"));
    let mut request = v2();
    request.set(SIGNATURE, &SIG_V2[..62]);
    assert_eq!(request.verify(now()), mismatch("v2"));
    request.set(SIGNATURE, &format!("{SIG_V2}00"));
    assert_eq!(request.verify(now()), mismatch("v2"));
}

#[test]
fn an_unknown_version_is_rejected() {
    let mut request = v2();
    request.set(VERSION, " v4 ");
    assert_eq!(
        request.verify(now()),
        Err(SignatureError::UnknownVersion {
            header: VERSION,
            value: "v4".to_owned()
        })
    );
}

#[test]
fn replayable_schemes_are_refused_until_accepted_by_name() {
    let default = WebhookVerifier::new(&HUBSPOT, SECRET);
    assert_eq!(v3().verify_with(&default, now()), ok("v3"));
    let refused = v1().verify_with(&default, now());
    assert_eq!(
        refused,
        Err(SignatureError::ReplayableScheme { scheme: "v1" })
    );
    let message = refused.unwrap_err().to_string();
    assert!(
        message.contains("`v1`") && message.contains("accept_replayable"),
        "the error says how to opt in: {message}"
    );
    assert_eq!(
        v2().verify_with(&default, now()),
        Err(SignatureError::ReplayableScheme { scheme: "v2" })
    );
    // Opting in to one replayable scheme accepts that one only.
    let v2_too = WebhookVerifier::new(&HUBSPOT, SECRET).accept_replayable(Hub::V2);
    assert_eq!(v2().verify_with(&v2_too, now()), ok("v2"));
    assert_eq!(
        v1().verify_with(&v2_too, now()),
        Err(SignatureError::ReplayableScheme { scheme: "v1" })
    );
    // A forged v1 request is refused before its signature is even looked at.
    let mut forged = v1();
    forged.set(SIGNATURE, &"0".repeat(64));
    assert_eq!(
        forged.verify_with(&default, now()),
        Err(SignatureError::ReplayableScheme { scheme: "v1" })
    );
}

#[test]
fn accept_only_rejects_other_schemes() {
    let verifier = WebhookVerifier::new(&HUBSPOT, SECRET).accept_only([Hub::V3]);
    assert_eq!(
        v1().verify_with(&verifier, now()),
        Err(SignatureError::SchemeNotAccepted { scheme: "v1" })
    );
    assert_eq!(
        v2().verify_with(&verifier, now()),
        Err(SignatureError::SchemeNotAccepted { scheme: "v2" })
    );
    assert_eq!(v3().verify_with(&verifier, now()), ok("v3"));
    let verifier = WebhookVerifier::new(&HUBSPOT, SECRET).accept_only([Hub::V1, Hub::V3]);
    assert_eq!(v1().verify_with(&verifier, now()), ok("v1"));
}

#[test]
fn the_secret_is_never_printed() {
    for secret in [
        WebhookSecret::new(SECRET),
        WebhookSecret::from(SECRET),
        WebhookSecret::from(SECRET.to_owned()),
    ] {
        assert_eq!(format!("{secret:?}"), "WebhookSecret(<redacted>)");
        assert_eq!(format!("{secret:#?}"), "WebhookSecret(<redacted>)");
    }
    let verifier = all_schemes(WebhookSecret::new(SECRET));
    let debug = format!("{verifier:?}");
    assert!(
        !debug.contains(SECRET) && debug.contains("<redacted>"),
        "{debug}"
    );

    let mut errors = vec![
        v3().verify_with(&WebhookVerifier::new(&HUBSPOT, "other"), now()),
        v1().verify(now())
            .and(v1().without(SIGNATURE).verify(now())),
        v3().verify(at_ms(T0 + 600_000)),
        v3().verify(at_ms(T0 - 600_000)),
        v1().verify_with(&verifier.clone().accept_only([Hub::V3]), now()),
        v1().verify_with(&WebhookVerifier::new(&HUBSPOT, SECRET), now()),
    ];
    let mut unknown = v1();
    unknown.set(VERSION, "v9");
    errors.push(unknown.verify(now()));
    let mut malformed = v2();
    malformed.set(SIGNATURE, "not hex");
    errors.push(malformed.verify(now()));
    let mut malformed = v3();
    malformed.set(TIMESTAMP, "x");
    errors.push(malformed.verify(now()));
    let mut variants = std::collections::BTreeSet::new();
    for (i, result) in errors.iter().enumerate() {
        let error = result.as_ref().expect_err("every case fails");
        let text = format!("{error:?} {error} {error:#?}");
        assert!(!text.contains(SECRET), "case {i}: {text}");
        variants.insert(
            format!("{error:?}")
                .split([' ', '(', '{'])
                .next()
                .unwrap()
                .to_owned(),
        );
    }
    assert_eq!(variants.len(), 8, "every variant is checked: {variants:?}");
}

/// The parts of a v3 request that a proptest changes one byte of.
#[derive(Debug, Clone, Copy)]
enum Part {
    Method,
    Uri,
    Body,
    Timestamp,
    Signature,
}

/// The bytes a changed byte may take in a part (still a valid method, string or header value),
/// other than `original`.
fn replacements(part: Part, original: u8) -> Vec<u8> {
    let allowed: Vec<u8> = match part {
        // A lower-case method is signed upper-cased: changing a letter's case changes nothing.
        Part::Method => (b'A'..=b'Z').collect(),
        // `uri` is a `&str`.
        Part::Uri => (0x21..=0x7e).collect(),
        Part::Body => (0..=0xff).collect(),
        // Digits: another time, within the tolerance when a low digit changes, so that the
        // signature has to catch it (other bytes are malformed timestamps, tested above).
        Part::Timestamp => (b'0'..=b'9').collect(),
        // Visible ASCII and obs-text; not a space, which a base64 signature reads as `+` and
        // which trimming removes at either end.
        Part::Signature => (0x21..=0x7e).chain(0x80..=0xff).collect(),
    };
    allowed.into_iter().filter(|&b| b != original).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// A valid v3 request passes, and changing any one byte of its method, URI, body, timestamp
    /// header or signature header makes it fail.
    #[test]
    fn changing_any_byte_of_a_v3_request_fails(
        part in prop_oneof![
            Just(Part::Method), Just(Part::Uri), Just(Part::Body), Just(Part::Timestamp), Just(Part::Signature),
        ],
        position in any::<prop::sample::Index>(),
        replacement in any::<prop::sample::Index>(),
    ) {
        let request = v3();
        prop_assert_eq!(request.verify(now()), ok("v3"));

        let mut changed = request.clone();
        let change = |bytes: &mut Vec<u8>| {
            let at = position.index(bytes.len());
            let choices = replacements(part, bytes[at]);
            bytes[at] = *replacement.get(&choices);
        };
        match part {
            Part::Method => {
                let mut bytes = request.method.as_str().as_bytes().to_vec();
                change(&mut bytes);
                changed.method = Method::from_bytes(&bytes).unwrap();
            }
            Part::Uri => {
                let mut bytes = request.uri.clone().into_bytes();
                change(&mut bytes);
                changed.uri = String::from_utf8(bytes).unwrap();
            }
            Part::Body => change(&mut changed.body),
            Part::Timestamp | Part::Signature => {
                let name = if let Part::Timestamp = part { TIMESTAMP } else { SIGNATURE_V3 };
                let mut bytes = request.headers[name].as_bytes().to_vec();
                change(&mut bytes);
                changed.headers.insert(name, HeaderValue::from_bytes(&bytes).unwrap());
            }
        }
        let result = changed.verify(now());
        prop_assert!(result.is_err(), "{:?} changed, still {:?}", part, result);
    }
}

/// Other APIs' recipes, as data: a prefixed hex HMAC of the body (GitHub's `X-Hub-Signature-256:
/// sha256=...`), and one with fixed text among the signed parts and a timestamp in seconds
/// (Slack's `v0:{timestamp}:{body}`, signed as `v0=...`).
static OTHERS: SignatureSchemes = SignatureSchemes {
    version_header: None,
    schemes: &[
        SignatureScheme {
            name: "github",
            version: None,
            algorithm: SignatureAlgorithm::HmacSha256,
            encoding: SignatureEncoding::Hex,
            signature_header: "X-Hub-Signature-256",
            prefix: Some("sha256="),
            content: &[SignedPart::Body],
            timestamp: None,
            replayable: true,
        },
        SignatureScheme {
            name: "slack",
            version: None,
            algorithm: SignatureAlgorithm::HmacSha256,
            encoding: SignatureEncoding::Hex,
            signature_header: "X-Slack-Signature",
            prefix: Some("v0="),
            content: &[
                SignedPart::Literal("v0:"),
                SignedPart::Header("X-Slack-Request-Timestamp"),
                SignedPart::Literal(":"),
                SignedPart::Body,
            ],
            timestamp: Some(TimestampCheck {
                header: "X-Slack-Request-Timestamp",
                unit: TimestampUnit::Seconds,
                tolerance: Duration::from_secs(300),
            }),
            replayable: false,
        },
    ],
};

/// The other APIs' schemes by name.
#[derive(Debug, Clone, Copy)]
enum Other {
    Github,
}

impl SchemeId for Other {
    fn scheme_name(self) -> &'static str {
        match self {
            Other::Github => "github",
        }
    }
}

fn other_request(body: &str, headers: &[(&str, &str)]) -> Request {
    let mut request = Request::new(headers);
    request.body = body.as_bytes().to_vec();
    request
}

#[test]
fn prefixed_signatures_and_literal_parts_verify() {
    // printf '%s' '{"action":"opened","number":7}' | openssl dgst -sha256 -hmac "It's a Secret to Everybody" -r
    // (Python: hmac.new(secret, body, hashlib.sha256).hexdigest())
    let github_secret = "It's a Secret to Everybody";
    let github_sig = "sha256=34fd4221cb1c8b95d142c6dc81775bb15fcd403d46608fdf114c11b6a0f525c5";
    let github = WebhookVerifier::new(&OTHERS, github_secret).accept_replayable(Other::Github);
    let body = r#"{"action":"opened","number":7}"#;
    let request = other_request(body, &[("X-Hub-Signature-256", github_sig)]);
    assert_eq!(request.verify_with(&github, now()), ok("github"));
    let unprefixed = other_request(body, &[("X-Hub-Signature-256", &github_sig[7..])]);
    assert!(is_malformed(
        unprefixed.verify_with(&github, now()),
        "X-Hub-Signature-256"
    ));
    let tampered = other_request(
        r#"{"action":"closed","number":7}"#,
        &[("X-Hub-Signature-256", github_sig)],
    );
    assert_eq!(tampered.verify_with(&github, now()), mismatch("github"));

    // printf '%s' 'v0:1764669600:token=x&text=hi%20there' | openssl dgst -sha256 -hmac '8f742231b10e8888abcd99yyyzzz85a5' -r
    let slack = WebhookVerifier::new(&OTHERS, "8f742231b10e8888abcd99yyyzzz85a5");
    let slack_sig = "v0=ffac2c44b31e1c3d817e6dbbcb3c8a20d80146c9710f93cc3aac2824f9d650c4";
    let form = "token=x&text=hi%20there";
    let request = other_request(
        form,
        &[
            ("X-Slack-Signature", slack_sig),
            ("X-Slack-Request-Timestamp", "1764669600"),
        ],
    );
    let at = |secs: u64| UNIX_EPOCH + Duration::from_secs(secs);
    assert_eq!(
        request.verify_with(&slack, at(1_764_669_600 + 300)),
        ok("slack")
    );
    assert!(matches!(
        request.verify_with(&slack, at(1_764_669_600 + 301)),
        Err(SignatureError::StaleTimestamp { .. })
    ));
    // (The vector itself proves the literal parts are signed: without them it does not match.)
    let tampered = other_request(
        "token=x&text=hi%20their",
        &[
            ("X-Slack-Signature", slack_sig),
            ("X-Slack-Request-Timestamp", "1764669600"),
        ],
    );
    assert_eq!(
        tampered.verify_with(&slack, at(1_764_669_600)),
        mismatch("slack")
    );
}
