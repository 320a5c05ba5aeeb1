//! Security requirements declared by operations, configured credentials and their selection.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use reqwest::header::HeaderValue;

use super::error::{BoxError, BuildError};

/// A boxed, `Send` future, as returned by [`TokenProvider::token`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One security scheme an operation requires, as declared in the API description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SecurityRequirement {
    /// The scheme's name in the API description (used to look up API keys).
    pub scheme: &'static str,
    /// How the credential travels.
    pub kind: SchemeKind,
}

/// How a security scheme's credential is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>` (OAuth 2, OpenID Connect and HTTP bearer schemes).
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// An API key in a query parameter, header or cookie.
    ApiKey {
        /// Where the key goes.
        location: ApiKeyLocation,
        /// The parameter, header or cookie name, for example `api_key`.
        name: &'static str,
    },
}

/// Where an API key is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiKeyLocation {
    /// A query parameter.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// Supplies bearer tokens on demand, for example an OAuth access token that is refreshed when it
/// expires.
///
/// The runtime calls [`Self::token`] before every attempt (retries included), so a provider
/// should cache its token and refresh it only when needed. Closures returning a future are
/// providers too:
///
/// ```ignore
/// let builder = ClientBuilder::new().token_provider(|| async {
///     Ok::<_, BoxError>(fetch_or_refresh_token().await?)
/// });
/// ```
pub trait TokenProvider: Send + Sync + 'static {
    /// Returns the current access token (without the `Bearer ` prefix).
    fn token(&self) -> BoxFuture<'_, Result<String, BoxError>>;
}

impl<F, Fut> TokenProvider for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<String, BoxError>> + Send + 'static,
{
    fn token(&self) -> BoxFuture<'_, Result<String, BoxError>> {
        Box::pin(self())
    }
}

/// A secret string whose `Debug` output is redacted.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(Arc<str>);

impl Secret {
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Secret(Arc::from(value.into()))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Where bearer tokens come from.
#[derive(Clone)]
pub(crate) enum BearerSource {
    /// A fixed token.
    Static(Secret),
    /// A user-supplied provider.
    Provider(Arc<dyn TokenProvider>),
}

impl fmt::Debug for BearerSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BearerSource::Static(_) => f.write_str("Static(<redacted>)"),
            BearerSource::Provider(_) => f.write_str("Provider(..)"),
        }
    }
}

/// The credentials configured on a client.
#[derive(Clone, Default)]
pub(crate) struct Credentials {
    pub(crate) bearer: Option<BearerSource>,
    pub(crate) basic: Option<(Secret, Secret)>,
    pub(crate) api_keys: BTreeMap<String, Secret>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("bearer", &self.bearer)
            .field("basic", &self.basic.as_ref().map(|_| "<redacted>"))
            .field("api_keys", &RedactedKeys(&self.api_keys))
            .finish()
    }
}

/// Shows API-key scheme names but not the keys.
struct RedactedKeys<'a>(&'a BTreeMap<String, Secret>);

impl fmt::Debug for RedactedKeys<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter()).finish()
    }
}

impl Credentials {
    /// Checks that every configured secret can be sent in an HTTP header or URL.
    pub(crate) fn validate(&self) -> Result<(), BuildError> {
        if let Some(BearerSource::Static(token)) = &self.bearer {
            check_secret(
                token.expose(),
                "the bearer token (ClientBuilder::bearer_token)",
            )?;
        }
        if let Some((user, password)) = &self.basic {
            if user.expose().contains(':') {
                return Err(BuildError::new(
                    "the basic-auth user name (ClientBuilder::basic_auth) must not contain ':'",
                ));
            }
            check_secret(user.expose(), "the basic-auth user name")?;
            if password.expose().chars().any(char::is_control) {
                return Err(BuildError::new(
                    "the basic-auth password contains control characters, which cannot be sent (value not shown)",
                ));
            }
        }
        for (scheme, key) in &self.api_keys {
            if scheme.is_empty() {
                return Err(BuildError::new(
                    "ClientBuilder::api_key was given an empty security scheme name",
                ));
            }
            check_secret(
                key.expose(),
                &format!("the API key for security scheme `{scheme}`"),
            )?;
        }
        Ok(())
    }

    /// Whether one requirement can be met by these credentials or the call's own.
    fn satisfies(&self, requirement: &SecurityRequirement, call: CallCredentials) -> bool {
        match requirement.kind {
            SchemeKind::Bearer => call.bearer || call.authorization || self.bearer.is_some(),
            SchemeKind::Basic => call.authorization || self.basic.is_some(),
            SchemeKind::ApiKey { .. } => self.api_keys.contains_key(requirement.scheme),
        }
    }

    /// Picks the requirement set to satisfy: the first non-empty alternative whose credentials
    /// are all configured, else anonymous access when an alternative is empty (or when the
    /// operation declares no security at all). Otherwise returns a message naming what is missing.
    pub(crate) fn select(
        &self,
        operation: &str,
        security: &'static [&'static [SecurityRequirement]],
        call: CallCredentials,
    ) -> Result<&'static [SecurityRequirement], String> {
        if security.is_empty() {
            return Ok(&[]);
        }
        for alternative in security.iter().filter(|a| !a.is_empty()) {
            if alternative.iter().all(|r| self.satisfies(r, call)) {
                return Ok(alternative);
            }
        }
        if security.iter().any(|a| a.is_empty()) {
            return Ok(&[]);
        }
        let options: Vec<String> = security
            .iter()
            .map(|alternative| {
                alternative
                    .iter()
                    .filter(|r| !self.satisfies(r, call))
                    .map(describe_requirement)
                    .collect::<Vec<_>>()
                    .join(" and ")
            })
            .collect();
        let needed = if options.len() == 1 {
            options.into_iter().next().unwrap_or_default()
        } else {
            format!("one of: {}", options.join("; or "))
        };
        Err(format!(
            "operation `{operation}` requires credentials that are not configured: {needed}"
        ))
    }
}

/// Credentials a single call brings itself.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CallCredentials {
    /// A per-call bearer token (`Call::bearer_token`).
    pub(crate) bearer: bool,
    /// A per-call `Authorization` header (`Call::header`), which stands in for bearer and
    /// basic credentials.
    pub(crate) authorization: bool,
}

/// Says what credential a requirement needs and which builder method sets it.
fn describe_requirement(requirement: &SecurityRequirement) -> String {
    match requirement.kind {
        SchemeKind::Bearer => format!(
            "a bearer token for security scheme `{}` (set it with ClientBuilder::bearer_token or ClientBuilder::token_provider, or per call with bearer_token)",
            requirement.scheme
        ),
        SchemeKind::Basic => format!(
            "a user name and password for security scheme `{}` (set them with ClientBuilder::basic_auth)",
            requirement.scheme
        ),
        SchemeKind::ApiKey { location, name } => {
            let place = match location {
                ApiKeyLocation::Query => "query parameter",
                ApiKeyLocation::Header => "header",
                ApiKeyLocation::Cookie => "cookie",
            };
            format!(
                "an API key for security scheme `{scheme}`, sent as {place} `{name}` (set it with ClientBuilder::api_key(\"{scheme}\", key))",
                scheme = requirement.scheme
            )
        }
    }
}

/// Rejects empty secrets and secrets that cannot be sent in a header, without showing them.
pub(crate) fn check_secret(value: &str, what: &str) -> Result<(), BuildError> {
    if value.is_empty() {
        return Err(BuildError::new(format!("{what} is empty")));
    }
    if HeaderValue::from_str(value).is_err() || value.chars().any(char::is_control) {
        return Err(BuildError::new(format!(
            "{what} contains characters that cannot be sent in an HTTP header (value not shown)"
        )));
    }
    Ok(())
}

/// A header value marked sensitive (never indexed by HTTP/2, shown as `Sensitive` in `Debug`).
pub(crate) fn sensitive_header(value: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(value).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// `Authorization: Bearer <token>`.
pub(crate) fn bearer_header(token: &str) -> Option<HeaderValue> {
    sensitive_header(&format!("Bearer {token}"))
}

/// `Authorization: Basic <base64(user:password)>`.
pub(crate) fn basic_header(user: &str, password: &str) -> Option<HeaderValue> {
    let encoded = base64(format!("{user}:{password}").as_bytes());
    sensitive_header(&format!("Basic {encoded}"))
}

/// Standard base64 with padding (RFC 4648, section 4).
pub(crate) fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 0x3f) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
