//! Verifying the signatures of incoming webhook requests.
//!
//! An API that calls back into an application (a webhook, a custom channel's outgoing message)
//! signs each request with a secret the two share, so that the application can tell its
//! requests from forged ones. How it signs is data, not code: a [`SignatureSchemes`] value lists
//! the recipes an API uses (which headers carry the signature and its version, which parts of the
//! request are signed and in what order, HMAC-SHA256 or plain SHA-256, base64 or hex, and
//! whether a timestamp header must be recent). A generated crate describes its API's recipes in
//! a static; [`WebhookVerifier`] applies them.
//!
//! # What it takes and gives
//!
//! [`WebhookVerifier::verify`] takes a [`WebhookRequest`] (method, URI, headers and the raw body
//! bytes, exactly as received, before any JSON parsing) and the current time, picks the scheme
//! the request uses, checks its timestamp and then its signature, and returns the name of the
//! scheme that verified it ([`Verified`]) or says what is wrong ([`SignatureError`]). It
//! does no I/O and works with any server framework: convert the framework's request into a
//! `WebhookRequest` of borrowed parts.
//!
//! # The URI is a string
//!
//! Schemes that sign the URI sign the URL the sender called, such as
//! `https://example.com/webhooks?portalId=1`. Behind a reverse proxy or load balancer the
//! server sees another one (`http://10.0.0.5:8080/webhooks?portalId=1`), and only the caller
//! knows the public URL, so the caller gives it as a string: it is signed exactly as given,
//! byte for byte, with no normalisation and no percent-decoding. Give it as it was sent (with
//! `%20`, not a space).
//!
//! # Base64 and `+`
//!
//! Some frameworks decode a `+` in a header value as a space, as if it were a form field. A
//! space is never valid base64, so a base64 signature is read with every space taken as `+`.
//! Padding (`=`) is optional; surrounding whitespace is ignored. Hex signatures may use either
//! case.
//!
//! # Security
//!
//! The expected signature is compared with the received one in constant time, so the time a
//! rejection takes says nothing about how much of a forged signature was right. A signature of
//! the wrong length is a mismatch. The timestamp (when the scheme has one) is checked before
//! the signature, which stops replays of old requests. A scheme without one is
//! [replayable](SignatureScheme::replayable): a request captured once verifies forever, so such
//! schemes are refused unless the application opts in to each, by a typed value
//! ([`WebhookVerifier::accept_replayable`]). The secret is held in a
//! [`WebhookSecret`], whose `Debug` output is redacted and which has no `Display`; it never
//! appears in an error message and nothing here logs.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::Mac as _;
use sha2::Digest as _;
use subtle::ConstantTimeEq as _;

/// How a signature is computed from the signed message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureAlgorithm {
    /// HMAC-SHA256 of the message, keyed with the secret.
    HmacSha256,
    /// The plain SHA-256 digest of the message. The secret is then one of the signed parts
    /// ([`SignedPart::Secret`]); without it anyone could compute the signature.
    Sha256,
}

/// How the signature is written in its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureEncoding {
    /// Standard base64 (`+` and `/`), padding optional; a space is read as `+`.
    Base64,
    /// Hexadecimal, upper or lower case.
    Hex,
}

/// One part of the signed message. The parts of a scheme are concatenated in order, with no
/// separators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignedPart {
    /// The request method in upper case, such as `POST`.
    Method,
    /// The URI exactly as [`WebhookRequest::uri`] gives it.
    Uri,
    /// The raw body bytes.
    Body,
    /// The value of this request header, byte for byte as received. A request without it is
    /// rejected ([`SignatureError::MissingHeader`]).
    Header(&'static str),
    /// The shared secret's bytes (for [`SignatureAlgorithm::Sha256`]).
    Secret,
    /// Fixed text, such as a version tag or a separator (`v0:`).
    Literal(&'static str),
}

/// The unit of a timestamp header's integer value, counted from the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimestampUnit {
    /// Seconds since 1970-01-01T00:00:00Z.
    Seconds,
    /// Milliseconds since 1970-01-01T00:00:00Z.
    Milliseconds,
}

/// A header holding the time the request was sent, which must be within `tolerance` of the
/// verifier's clock. It stops an intercepted request from being replayed later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimestampCheck {
    /// The header holding the timestamp, an unsigned integer.
    pub header: &'static str,
    /// The unit of the timestamp.
    pub unit: TimestampUnit,
    /// How far the timestamp may be from the current time, in either direction (a difference
    /// of exactly `tolerance` is accepted).
    pub tolerance: Duration,
}

/// One way an API signs its webhook requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SignatureScheme {
    /// The scheme's name, such as `v3`: what [`Verified::scheme`] reports and
    /// [`WebhookVerifier::accept_only`] takes.
    pub name: &'static str,
    /// The value of [`SignatureSchemes::version_header`] that selects this scheme, if any.
    pub version: Option<&'static str>,
    /// How the signature is computed.
    pub algorithm: SignatureAlgorithm,
    /// How the signature is written in its header.
    pub encoding: SignatureEncoding,
    /// The request header holding the signature.
    pub signature_header: &'static str,
    /// Text the header's value starts with before the encoded signature (`sha256=`), if any; a
    /// value without it is malformed.
    pub prefix: Option<&'static str>,
    /// The parts of the signed message, concatenated in this order with no separators.
    pub content: &'static [SignedPart],
    /// The timestamp header to check before the signature, if the scheme has one.
    pub timestamp: Option<TimestampCheck>,
    /// Whether a request signed this way can be replayed: it carries no signed timestamp, so a
    /// copy verifies at any time. A verifier refuses such a scheme until the application accepts
    /// it with [`WebhookVerifier::accept_replayable`].
    pub replayable: bool,
}

/// A signature scheme of one API, named by a value of a type generated from its spec (an enum
/// with a variant per scheme), so that a misspelt scheme is a compile error, not a run-time
/// surprise.
pub trait SchemeId: Copy {
    /// The scheme's name, as [`SignatureScheme::name`] has it.
    fn scheme_name(self) -> &'static str;
}

/// The signature schemes of one API, in order of preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SignatureSchemes {
    /// A request header naming the scheme a request uses (matched against
    /// [`SignatureScheme::version`]), if the API sends one.
    pub version_header: Option<&'static str>,
    /// The schemes. Without a version header in the request, the first one whose signature
    /// header is present is used.
    pub schemes: &'static [SignatureScheme],
}

/// The secret shared with the API that signs the webhook requests (for example an app's client
/// secret).
///
/// Its `Debug` output is `WebhookSecret(<redacted>)` and it has no `Display`, so it cannot end
/// up in a log line or an error message by accident.
#[derive(Clone)]
pub struct WebhookSecret(String);

impl WebhookSecret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl From<String> for WebhookSecret {
    fn from(secret: String) -> Self {
        Self(secret)
    }
}

impl From<&str> for WebhookSecret {
    fn from(secret: &str) -> Self {
        Self(secret.to_owned())
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

/// An incoming webhook request, as received: the parts a signature can cover.
#[derive(Debug, Clone, Copy)]
pub struct WebhookRequest<'a> {
    /// The request method.
    pub method: &'a http::Method,
    /// The full URL the sender called, as it was sent (scheme, host, path and query,
    /// percent-encoding kept). Behind a proxy this is the public URL, not the one the server
    /// sees.
    pub uri: &'a str,
    /// The request headers.
    pub headers: &'a http::HeaderMap,
    /// The raw body, before any parsing.
    pub body: &'a [u8],
}

/// Checks the signatures of webhook requests against an API's [`SignatureSchemes`] and a
/// shared secret.
///
/// Give it each request as received: the raw body bytes, before any parsing, and as the URI
/// the URL the sender called (behind a proxy, the public one rather than the one the server
/// sees), percent-encoding kept: it is signed exactly as given. A base64 signature is read
/// with spaces as `+` (which some frameworks decode as a space) and padding optional. The
/// signature is compared in constant time; the timestamp, when the scheme has one, is checked
/// first. The secret is never printed: not in `Debug` output, not in errors.
///
/// ```ignore
/// let verifier = WebhookVerifier::new(&SIGNATURE_SCHEMES, client_secret);
/// let request = WebhookRequest { method: &method, uri: &public_url, headers: &headers, body: &body };
/// verifier.verify(&request, std::time::SystemTime::now())?;
/// ```
#[derive(Debug, Clone)]
pub struct WebhookVerifier {
    schemes: &'static SignatureSchemes,
    secret: WebhookSecret,
    /// When set, exactly these schemes are accepted.
    only: Option<Vec<&'static str>>,
    /// Replayable schemes accepted all the same.
    replayable_accepted: Vec<&'static str>,
}

/// A request whose signature verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Verified {
    /// The name of the scheme that verified it.
    pub scheme: &'static str,
}

/// Why a webhook request was rejected. Messages never contain the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// A header the check needs is absent: the signature header (the first scheme's when no
    /// scheme's is present), the timestamp header or a signed header.
    #[error("the webhook request has no `{header}` header")]
    MissingHeader {
        /// The header's name.
        header: &'static str,
    },
    /// A header could not be read: a signature that is not valid base64 or hex, a value that
    /// is not visible ASCII, or a timestamp that is not an unsigned integer.
    #[error("the webhook request's `{header}` header is malformed: {reason}")]
    MalformedHeader {
        /// The header's name.
        header: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The version header names no known scheme.
    #[error("the webhook request's `{header}` header names an unknown signature version {value:?}")]
    UnknownVersion {
        /// The version header's name.
        header: &'static str,
        /// Its value.
        value: String,
    },
    /// The request uses a scheme that [`WebhookVerifier::accept_only`] excluded.
    #[error("the webhook signature scheme `{scheme}` is not accepted")]
    SchemeNotAccepted {
        /// The scheme the request uses.
        scheme: &'static str,
    },
    /// The request uses a replayable scheme (one without a signed timestamp, so that a copy of
    /// the request verifies forever), which is refused unless accepted with
    /// [`WebhookVerifier::accept_replayable`].
    #[error(
        "the webhook request is signed with scheme `{scheme}`, which carries no timestamp: a captured copy would verify forever, so it is refused by default; to accept it anyway, call `.accept_replayable(..)` on the verifier with that scheme's value"
    )]
    ReplayableScheme {
        /// The scheme the request uses.
        scheme: &'static str,
    },
    /// The timestamp is older than the tolerance allows (possibly a replayed request).
    #[error("the webhook request's timestamp is {age:?} old, more than the {tolerance:?} allowed")]
    StaleTimestamp {
        /// How old the timestamp is.
        age: Duration,
        /// The scheme's tolerance.
        tolerance: Duration,
    },
    /// The timestamp is further in the future than the tolerance allows.
    #[error(
        "the webhook request's timestamp is {ahead:?} in the future, more than the {tolerance:?} allowed"
    )]
    FutureTimestamp {
        /// How far ahead of the current time the timestamp is.
        ahead: Duration,
        /// The scheme's tolerance.
        tolerance: Duration,
    },
    /// The signature does not match the request: it was altered, signed with another secret,
    /// or the URI given is not the one that was called.
    #[error("the webhook request's signature (scheme `{scheme}`) does not match")]
    Mismatch {
        /// The scheme whose signature was checked.
        scheme: &'static str,
    },
}

impl WebhookVerifier {
    /// A verifier for an API's schemes with the shared secret. It accepts the schemes that are
    /// not [replayable](SignatureScheme::replayable); a replayable one is refused
    /// ([`SignatureError::ReplayableScheme`]) until [`Self::accept_replayable`] accepts it.
    pub fn new(schemes: &'static SignatureSchemes, secret: impl Into<WebhookSecret>) -> Self {
        Self {
            schemes,
            secret: secret.into(),
            only: None,
            replayable_accepted: Vec::new(),
        }
    }

    /// Accepts a replayable scheme too: one without a signed timestamp, whose requests verify
    /// forever once captured. Use it only while the API still sends such requests to you.
    pub fn accept_replayable(mut self, scheme: impl SchemeId) -> Self {
        self.replayable_accepted.push(scheme.scheme_name());
        self
    }

    /// Accepts exactly these schemes, replayable or not; a request using another one is
    /// rejected with [`SignatureError::SchemeNotAccepted`].
    pub fn accept_only<S: SchemeId>(mut self, schemes: impl IntoIterator<Item = S>) -> Self {
        self.only = Some(schemes.into_iter().map(SchemeId::scheme_name).collect());
        self
    }

    /// Whether a request signed with `scheme` is accepted, and if not, why.
    fn check_accepted(&self, scheme: &SignatureScheme) -> Result<(), SignatureError> {
        match &self.only {
            Some(only) if !only.contains(&scheme.name) => Err(SignatureError::SchemeNotAccepted {
                scheme: scheme.name,
            }),
            Some(_) => Ok(()),
            None if scheme.replayable && !self.replayable_accepted.contains(&scheme.name) => {
                Err(SignatureError::ReplayableScheme {
                    scheme: scheme.name,
                })
            }
            None => Ok(()),
        }
    }

    /// Verifies a request at time `now` (normally `SystemTime::now()`).
    ///
    /// Picks the scheme (the one the version header names when the request has that header,
    /// else the first whose signature header is present), checks that it is accepted, checks
    /// its timestamp, and compares the signature with the one computed over the signed parts.
    pub fn verify(
        &self,
        request: &WebhookRequest<'_>,
        now: SystemTime,
    ) -> Result<Verified, SignatureError> {
        let scheme = self.select(request.headers)?;
        self.check_accepted(scheme)?;
        if let Some(check) = &scheme.timestamp {
            check_timestamp(check, request.headers, now)?;
        }
        let received = signature(scheme, request.headers)?;
        let message = self.message(scheme, request)?;
        let matches = match scheme.algorithm {
            SignatureAlgorithm::HmacSha256 => {
                let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(self.secret.as_bytes())
                    .expect("HMAC accepts keys of any length");
                mac.update(&message);
                mac.verify_slice(&received).is_ok()
            }
            SignatureAlgorithm::Sha256 => {
                let digest = sha2::Sha256::digest(&message);
                bool::from(digest.as_slice().ct_eq(&received))
            }
        };
        if matches {
            Ok(Verified {
                scheme: scheme.name,
            })
        } else {
            Err(SignatureError::Mismatch {
                scheme: scheme.name,
            })
        }
    }

    /// The scheme a request uses.
    fn select(
        &self,
        headers: &http::HeaderMap,
    ) -> Result<&'static SignatureScheme, SignatureError> {
        let schemes = self.schemes.schemes;
        let version = self
            .schemes
            .version_header
            .and_then(|header| Some((header, headers.get(header)?)));
        if let Some((version_header, value)) = version {
            let value = visible_ascii(version_header, value)?.trim();
            return schemes
                .iter()
                .find(|s| {
                    s.version
                        .is_some_and(|v| v.trim().eq_ignore_ascii_case(value))
                })
                .ok_or_else(|| SignatureError::UnknownVersion {
                    header: version_header,
                    value: value.to_owned(),
                });
        }
        schemes
            .iter()
            .find(|s| headers.contains_key(s.signature_header))
            .ok_or(SignatureError::MissingHeader {
                header: schemes.first().map_or("signature", |s| s.signature_header),
            })
    }

    /// The signed message: the scheme's parts, concatenated.
    fn message(
        &self,
        scheme: &SignatureScheme,
        request: &WebhookRequest<'_>,
    ) -> Result<Vec<u8>, SignatureError> {
        let mut message = Vec::with_capacity(request.uri.len() + request.body.len() + 64);
        for part in scheme.content {
            match *part {
                SignedPart::Method => message.extend(
                    request
                        .method
                        .as_str()
                        .bytes()
                        .map(|b| b.to_ascii_uppercase()),
                ),
                SignedPart::Uri => message.extend_from_slice(request.uri.as_bytes()),
                SignedPart::Body => message.extend_from_slice(request.body),
                SignedPart::Header(name) => message.extend_from_slice(
                    request
                        .headers
                        .get(name)
                        .ok_or(SignatureError::MissingHeader { header: name })?
                        .as_bytes(),
                ),
                SignedPart::Secret => message.extend_from_slice(self.secret.as_bytes()),
                SignedPart::Literal(text) => message.extend_from_slice(text.as_bytes()),
            }
        }
        Ok(message)
    }
}

/// A header value as text, which must be visible ASCII (and spaces or tabs).
fn visible_ascii<'a>(
    header: &'static str,
    value: &'a http::HeaderValue,
) -> Result<&'a str, SignatureError> {
    value.to_str().map_err(|_| SignatureError::MalformedHeader {
        header,
        reason: "not visible ASCII".to_owned(),
    })
}

/// Checks a scheme's timestamp header against `now`.
fn check_timestamp(
    check: &TimestampCheck,
    headers: &http::HeaderMap,
    now: SystemTime,
) -> Result<(), SignatureError> {
    let header = check.header;
    let value = headers
        .get(header)
        .ok_or(SignatureError::MissingHeader { header })?;
    let text = visible_ascii(header, value)?.trim();
    let malformed = || SignatureError::MalformedHeader {
        header,
        reason: "not an unsigned integer".to_owned(),
    };
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed());
    }
    let count: u64 = text.parse().map_err(|_| malformed())?;
    let sent = match check.unit {
        TimestampUnit::Seconds => Duration::from_secs(count),
        TimestampUnit::Milliseconds => Duration::from_millis(count),
    };
    let tolerance = check.tolerance;
    // Both times as durations since the epoch; a clock before the epoch puts every timestamp
    // in the future.
    let ahead = match now.duration_since(UNIX_EPOCH) {
        Ok(now) if sent <= now => {
            let age = now - sent;
            return if age > tolerance {
                Err(SignatureError::StaleTimestamp { age, tolerance })
            } else {
                Ok(())
            };
        }
        Ok(now) => sent - now,
        Err(before_epoch) => sent.saturating_add(before_epoch.duration()),
    };
    if ahead > tolerance {
        Err(SignatureError::FutureTimestamp { ahead, tolerance })
    } else {
        Ok(())
    }
}

/// The decoded signature a request carries for a scheme.
fn signature(
    scheme: &SignatureScheme,
    headers: &http::HeaderMap,
) -> Result<Vec<u8>, SignatureError> {
    let header = scheme.signature_header;
    let value = headers
        .get(header)
        .ok_or(SignatureError::MissingHeader { header })?;
    let text = visible_ascii(header, value)?.trim();
    let malformed = |reason: String| SignatureError::MalformedHeader { header, reason };
    let text = match scheme.prefix {
        None => text,
        Some(prefix) => text
            .strip_prefix(prefix)
            .ok_or_else(|| malformed(format!("does not start with `{prefix}`")))?,
    };
    if text.is_empty() {
        return Err(malformed("empty".to_owned()));
    }
    match scheme.encoding {
        SignatureEncoding::Base64 => BASE64
            .decode(text.replace(' ', "+"))
            .map_err(|e| malformed(format!("not base64: {e}"))),
        SignatureEncoding::Hex => hex::decode(text).map_err(|e| malformed(format!("not hex: {e}"))),
    }
}

/// Standard base64, padding optional.
const BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);
