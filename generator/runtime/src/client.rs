//! The client handle and its builder.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::auth::{BearerSource, Credentials, Secret, TokenProvider};
use super::conventions::Conventions;
use super::error::BuildError;
use super::retry::RetryPolicy;
use super::transport::Transport;

/// The default `User-Agent`: this crate's name and version.
const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
/// The largest accepted `max_retries`.
pub(crate) const MAX_RETRIES_LIMIT: u32 = 10;
/// The default limit on a response body: 32 MiB. A JSON body is decoded into values that take
/// about as much memory again, so the limit bounds what one response can cost at about
/// 64 MiB; pages of a paginated API are far smaller, and a body this large is more likely a
/// misbehaving server than an answer. Raise it per client or per call for large downloads.
pub const DEFAULT_MAX_BODY_SIZE: u64 = 32 * 1024 * 1024;

/// A configured API client.
///
/// Cheap to clone: clones share the configuration and the connection pool. Create one with
/// [`ClientBuilder`] and reuse it for the lifetime of the application.
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    /// Sends requests: reqwest, unless the runtime's tests put a scripted transport in.
    pub(crate) transport: Arc<dyn Transport>,
    /// Scheme, host and optional path prefix, without a trailing slash.
    pub(crate) base_url: String,
    pub(crate) user_agent: HeaderValue,
    pub(crate) timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) max_body_size: u64,
    pub(crate) retry: RetryPolicy,
    pub(crate) credentials: Credentials,
    pub(crate) conventions: &'static Conventions,
}

impl Client {
    /// The base URL requests are sent to (without a trailing slash).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The default per-attempt timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The default number of retries after the first attempt.
    pub fn max_retries(&self) -> u32 {
        self.inner.max_retries
    }

    /// The default limit on a response body, in bytes.
    pub fn max_body_size(&self) -> u64 {
        self.inner.max_body_size
    }

    /// The API conventions the client reads responses by (correlation-id and rate-limit
    /// headers, do-not-retry rules), from the spec's `x-client-conventions`.
    pub fn conventions(&self) -> &'static Conventions {
        self.inner.conventions
    }

    pub(crate) fn inner(&self) -> &ClientInner {
        &self.inner
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("user_agent", &inner.user_agent)
            .field("timeout", &inner.timeout)
            .field("max_retries", &inner.max_retries)
            .field("max_body_size", &inner.max_body_size)
            .field("retry_backoff", &(inner.retry.initial, inner.retry.max))
            .field("max_retry_after", &inner.retry.max_retry_after)
            .field("credentials", &inner.credentials)
            .finish_non_exhaustive()
    }
}

/// Configures and validates a [`Client`].
///
/// Defaults: per-attempt timeout 60 s, 2 retries, backoff from 0.5 s doubling up to 8 s,
/// server-requested retry delays honoured up to 60 s, response bodies of at most 32 MiB
/// ([`DEFAULT_MAX_BODY_SIZE`]), `User-Agent` set to this crate's name and
/// version. There is no default base URL at this level; [`Self::build`] fails when it is unset.
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: Option<String>,
    transport: Option<Arc<dyn Transport>>,
    user_agent: Option<String>,
    timeout: Duration,
    max_retries: u32,
    max_body_size: u64,
    retry: RetryPolicy,
    credentials: Credentials,
    conventions: &'static Conventions,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url.as_deref().map(redact_url))
            .field("http_client", &self.transport.as_ref().map(|_| ".."))
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("max_body_size", &self.max_body_size)
            .field("retry_backoff", &(self.retry.initial, self.retry.max))
            .field("max_retry_after", &self.retry.max_retry_after)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder with the default settings, no credentials, no base URL and none of the API's
    /// conventions. Generated code's `Client::builder()` starts here and adds the spec's base
    /// URL and conventions: use that one, which is why this has no `Default` and is hidden.
    #[doc(hidden)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        ClientBuilder {
            base_url: None,
            transport: None,
            user_agent: None,
            timeout: Duration::from_secs(60),
            max_retries: 2,
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            retry: RetryPolicy {
                initial: Duration::from_millis(500),
                max: Duration::from_secs(8),
                max_retry_after: Duration::from_secs(60),
            },
            credentials: Credentials::default(),
            conventions: &Conventions::NONE,
        }
    }

    /// The server's base URL, for example `https://api.example.com`. It must be `http` or
    /// `https` and have no query or fragment; a path prefix is kept (useful behind a proxy) and
    /// a trailing slash is ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Uses this `reqwest::Client` (for custom TLS, proxies, connection pools, …) instead of
    /// a default one. The runtime still applies its own timeout, retries and `User-Agent`.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.transport = Some(Arc::new(client));
        self
    }

    /// Sends through `transport` instead of reqwest. Only the runtime's own behaviour tests use
    /// it (generated crates never do), to script responses on a paused clock.
    #[allow(dead_code)]
    pub(crate) fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// The `User-Agent` header sent with every request.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// The timeout of each attempt, covering connection, response headers and body (default
    /// 60 s). Retries each get the full timeout again.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many times a failed request may be retried after the first attempt (default 2,
    /// at most 10; 0 disables retries).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The largest response body the client reads, in bytes (default 32 MiB,
    /// [`DEFAULT_MAX_BODY_SIZE`]). A response whose `Content-Length` is larger is not read; one
    /// sent without a length is read until it passes the limit. Either way the call fails with
    /// `Error::BodyTooLarge`, which keeps the status and headers. `Call::max_body_size` changes
    /// it for one call.
    pub fn max_body_size(mut self, bytes: u64) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// The exponential backoff between retries when the server does not say how long to wait:
    /// the n-th retry waits `min(initial × 2^n, max)` minus up to 25% random jitter
    /// (defaults 0.5 s and 8 s).
    pub fn retry_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.retry.initial = initial;
        self.retry.max = max;
        self
    }

    /// The longest server-requested delay (`Retry-After`, `retry-after-ms`) the client waits
    /// before retrying (default 60 s). When the server asks for longer, the client falls back to
    /// its exponential backoff instead of blocking for that long.
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.retry.max_retry_after = max;
        self
    }

    /// A fixed bearer token (an OAuth access token or a static API token) for operations secured
    /// by a bearer, OAuth 2 or OpenID Connect scheme. Replaces any token provider.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials.bearer = Some(BearerSource::Static(Secret::new(token)));
        self
    }

    /// A source of bearer tokens that is asked before every attempt, for tokens that expire
    /// and must be refreshed. Replaces any fixed bearer token.
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.credentials.bearer = Some(BearerSource::Provider(Arc::new(provider)));
        self
    }

    /// An API key for the security scheme named `scheme` in the API description. It is sent
    /// only to operations that declare that scheme, in the place the scheme says (for example
    /// an `api_key` query parameter).
    pub fn api_key(mut self, scheme: impl Into<String>, key: impl Into<String>) -> Self {
        self.credentials
            .api_keys
            .insert(scheme.into(), Secret::new(key));
        self
    }

    /// The API conventions to read responses by: correlation-id and rate-limit headers and
    /// do-not-retry rules. The generated `Client::builder()` sets the spec's; a bare
    /// `ClientBuilder::new()` starts with [`Conventions::NONE`].
    #[doc(hidden)]
    pub fn conventions(mut self, conventions: &'static Conventions) -> Self {
        self.conventions = conventions;
        self
    }

    /// A user name and password for operations secured by HTTP basic authentication.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials.basic = Some((Secret::new(user), Secret::new(password)));
        self
    }

    /// Validates the settings and creates the client.
    ///
    /// Fails with a message naming the setting and the value given (never a secret) when the
    /// base URL is unset, unparsable, not http(s) or has a query, fragment or credentials; the
    /// user agent is not a valid header value; the timeout is zero; more than 10 retries are
    /// requested; the initial backoff exceeds the maximum; or a credential is empty or cannot be
    /// sent in a header.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = validate_base_url(self.base_url.as_deref())?;

        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = match HeaderValue::from_str(user_agent) {
            Ok(value) if !user_agent.chars().any(char::is_control) => value,
            _ => {
                return Err(BuildError::new(format!(
                    "user agent {user_agent:?} is not a valid HTTP header value (it contains line breaks or other control characters)"
                )));
            }
        };

        if self.timeout.is_zero() {
            return Err(BuildError::new(
                "timeout must be greater than zero (got 0s)",
            ));
        }
        if self.max_retries > MAX_RETRIES_LIMIT {
            return Err(BuildError::new(format!(
                "max_retries must be at most {MAX_RETRIES_LIMIT} (got {})",
                self.max_retries
            )));
        }
        if self.retry.initial > self.retry.max {
            return Err(BuildError::new(format!(
                "retry_backoff: the initial delay ({:?}) must not exceed the maximum delay ({:?})",
                self.retry.initial, self.retry.max
            )));
        }
        self.credentials.validate()?;

        let transport = match self.transport {
            Some(transport) => transport,
            None => Arc::new(default_http_client().map_err(|e| {
                BuildError::new(format!(
                    "could not create the default HTTP client: {}",
                    e.without_url()
                ))
            })?),
        };

        Ok(Client {
            inner: Arc::new(ClientInner {
                transport,
                base_url,
                user_agent,
                timeout: self.timeout,
                max_retries: self.max_retries,
                max_body_size: self.max_body_size,
                retry: self.retry,
                credentials: self.credentials,
                conventions: self.conventions,
            }),
        })
    }
}

/// The default reqwest client. reqwest is built without a TLS crypto provider of its own: this
/// uses the process-wide rustls provider when the application installed one, and installs
/// ring's otherwise.
fn default_http_client() -> reqwest::Result<reqwest::Client> {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may have installed one meanwhile; either way one is installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    reqwest::Client::builder().build()
}

/// Checks a base URL and returns it normalised, without a trailing slash.
fn validate_base_url(given: Option<&str>) -> Result<String, BuildError> {
    let Some(given) = given else {
        return Err(BuildError::new(
            "no base URL configured: call ClientBuilder::base_url, for example with \"https://api.example.com\"",
        ));
    };
    let shown = redact_url(given);
    let url = reqwest::Url::parse(given.trim()).map_err(|e| {
        BuildError::new(format!(
            "base URL {shown:?} is not a valid absolute URL: {e}"
        ))
    })?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(BuildError::new(format!(
            "base URL {shown:?} must use http or https, not `{}`",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(BuildError::new(format!("base URL {shown:?} has no host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(BuildError::new(format!(
            "base URL {shown:?} must not contain credentials; use ClientBuilder::basic_auth, bearer_token or api_key"
        )));
    }
    if url.query().is_some() {
        return Err(BuildError::new(format!(
            "base URL {shown:?} must not contain a query string (\"?...\"); add per-call query parameters with Call::query"
        )));
    }
    if url.fragment().is_some() {
        return Err(BuildError::new(format!(
            "base URL {shown:?} must not contain a fragment (\"#...\")"
        )));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// A URL as it may be shown in a message: user info and query replaced, since either may hold a
/// secret.
pub(crate) fn redact_url(url: &str) -> String {
    let mut shown = url.trim().to_owned();
    if let Some(q) = shown.find(['?', '#']) {
        let marker = &shown[q..q + 1];
        shown = format!("{}{marker}<redacted>", &shown[..q]);
    }
    let authority_start = shown.find("://").map_or(0, |i| i + 3);
    let authority_end = shown[authority_start..]
        .find('/')
        .map_or(shown.len(), |i| authority_start + i);
    if let Some(at) = shown[authority_start..authority_end].rfind('@') {
        shown.replace_range(authority_start..authority_start + at, "<redacted>");
    }
    shown
}
