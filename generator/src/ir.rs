//! The intermediate representation: what the generated crate contains, with no `openapiv3`
//! types in it.
//!
//! Lowering builds it and has made every decision already: names are checked Rust identifiers
//! ([`Name`]), wire names sit beside them, docs are cleaned, defaults are typed, every node
//! remembers the JSON pointer it came from. Models refer to each other by [`TypeId`]; a type's
//! name is decided once, when lowering ends. The emitter reads the IR and cannot fail.

use crate::naming::Name;
use serde::Serialize;

/// A whole API, ready to emit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// Crate-level documentation from `info.description`.
    pub doc: Option<String>,
    /// The first server URL, the client's default base URL.
    pub default_base_url: Option<String>,
    /// Every model type; a [`TypeId`] is an index into this list.
    pub types: Vec<TypeDef>,
    /// The API versions declared with `x-api-versions` (empty: a plain, unversioned client).
    pub versions: Vec<ApiVersion>,
    /// Operations grouped by resource (first tag), in the order tags are declared.
    pub groups: Vec<Group>,
    /// Security schemes that operations use, sorted by name.
    pub security_schemes: Vec<SecuritySchemeDef>,
    /// The API's conventions from `x-client-conventions` (empty when the spec has none).
    pub conventions: ClientConventions,
    /// The compiler recursion limit the crate needs, when its models form chains of distinct
    /// models too long for the default (see `lower::graph::needed_recursion_limit`).
    pub recursion_limit: Option<u32>,
    /// The webhooks the API sends (`webhooks`, or `x-webhooks` in a 3.0 document) and how they
    /// are signed (`x-webhook-signature`); `None` when the spec declares neither.
    pub webhooks: Option<Webhooks>,
    /// Cargo features of one resource each (`[features] per_tag`), in the groups' order; empty
    /// when everything is always built.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<Feature>,
}

/// A Cargo feature that builds one resource namespace: its operations and the models only they
/// use. On by default; each enables `client`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Feature {
    /// The feature's name (`channel_accounts`).
    pub name: String,
    /// The namespace struct it builds (`ChannelAccounts`).
    pub namespace: String,
}

impl Api {
    /// The type `id` refers to.
    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.index()]
    }

    /// The models with their ids, in the order they are emitted: sorted by name.
    pub fn types_by_name(&self) -> Vec<(TypeId, &TypeDef)> {
        let mut types: Vec<(TypeId, &TypeDef)> = self
            .types
            .iter()
            .enumerate()
            .map(|(i, t)| (TypeId(i as u32), t))
            .collect();
        types.sort_by(|a, b| a.1.name.cmp(&b.1.name));
        types
    }

    /// What a type reference stands for once aliases are followed (aliases are the same Rust
    /// type as their target).
    pub fn resolve_alias<'t>(&'t self, t: &'t TypeRef) -> &'t TypeRef {
        let mut current = t;
        for _ in 0..self.types.len() {
            match current {
                TypeRef::Named(id) => match &self.type_def(*id).kind {
                    TypeKind::Alias(target) => current = target,
                    _ => break,
                },
                _ => break,
            }
        }
        current
    }

    /// Whether a member of `owner` holding `ty` must be boxed: `ty` is a model that contains
    /// `owner` again (directly or through other models), so holding it inline would make the
    /// type infinitely large.
    pub fn needs_box(&self, owner: TypeId, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(target) => {
                let cycle = self.type_def(owner).cycle;
                cycle.is_some() && self.type_def(*target).cycle == cycle
            }
            _ => false,
        }
    }

    /// Every operation, group by group.
    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.groups.iter().flat_map(|g| &g.operations)
    }

    /// The error body type every operation shares, when they all share one (the crate's
    /// `Error` is `runtime::Error` of it).
    pub fn common_error_type(&self) -> Option<TypeRef> {
        let mut all = self.operations().map(|op| op.def.error_type.clone());
        let first = all.next()??;
        all.all(|t| t.as_ref() == Some(&first)).then_some(first)
    }
}

/// Identifies a model type of an [`Api`]: its index in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct TypeId(pub(crate) u32);

impl TypeId {
    /// The index into [`Api::types`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// API conventions the runtime reads responses by, from the top-level `x-client-conventions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClientConventions {
    /// Response headers holding a correlation id, in order of preference (first present wins).
    pub correlation_id_headers: Vec<String>,
    /// Top-level field of a JSON error body holding the correlation id, when no header has it.
    pub correlation_id_body_field: Option<String>,
    /// Rate-limit values read from response headers, in spec order.
    pub rate_limit_headers: Vec<RateLimitHeader>,
    /// Error responses that are never retried, in spec order.
    pub do_not_retry: Vec<NoRetryRule>,
}

/// The webhooks an API sends to its users' endpoints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Webhooks {
    /// One entry per webhook, in spec order.
    pub events: Vec<WebhookEvent>,
    /// The payload property whose value names the event (every payload has it, required, with
    /// the webhook's key among its values); `None` when the payloads have no such property, and
    /// then no event enum is generated.
    pub tag: Option<String>,
    /// The event enum's variant for events of types the spec does not list.
    pub unknown_variant: Name,
    /// The event enum's variant for events of a listed type that do not fit its payload.
    pub malformed_variant: Name,
    /// How requests are signed, from `x-webhook-signature`.
    pub signature: Option<SignatureDef>,
}

impl Webhooks {
    /// The property that names the event, when there are events and an enum of them is
    /// generated.
    pub fn event_tag(&self) -> Option<&str> {
        self.tag.as_deref().filter(|_| !self.events.is_empty())
    }
}

/// One webhook: the event type (its key in the spec) and the payload it carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebhookEvent {
    /// The key under `webhooks`, which is also the tag value (`OUTGOING_CHANNEL_MESSAGE_CREATED`).
    pub key: String,
    /// The event enum's variant.
    pub variant: Name,
    /// The payload of one event.
    pub payload: TypeRef,
    /// Summary and description of the webhook.
    pub doc: Option<String>,
}

/// `x-webhook-signature`: how webhook requests are signed, possibly in several ways selected
/// by a version header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureDef {
    /// The request header naming the scheme used.
    pub version_header: Option<String>,
    /// The schemes, in order of preference.
    pub schemes: Vec<SignatureSchemeDef>,
}

/// One way of signing requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureSchemeDef {
    /// Its name (`v3`).
    pub name: String,
    /// Its variant in the generated enum of schemes (`V3`).
    pub variant: Name,
    /// Whether a captured request verifies forever (no signed timestamp, or the spec says so):
    /// refused by default, accepted only when the application opts in.
    pub replayable: bool,
    /// The version header's value that selects it.
    pub version: Option<String>,
    /// The digest.
    pub algorithm: SignatureAlgorithm,
    /// How the signature header's value encodes the digest.
    pub encoding: SignatureEncoding,
    /// The header carrying the signature.
    pub signature_header: String,
    /// Text before the encoded signature in the header's value (`sha256=`).
    pub prefix: Option<String>,
    /// What is signed, concatenated in order.
    pub content: Vec<SignedPart>,
    /// The timestamp header that bounds a request's age.
    pub timestamp: Option<TimestampDef>,
}

/// A signature's digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SignatureAlgorithm {
    /// HMAC-SHA256 keyed with the secret.
    HmacSha256,
    /// Plain SHA-256; the secret is one of the signed parts.
    Sha256,
}

/// How a signature is written in its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SignatureEncoding {
    /// Standard base64.
    Base64,
    /// Hexadecimal.
    Hex,
}

/// One part of the signed content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SignedPart {
    /// The HTTP method, upper case.
    Method,
    /// The full URL that was called, as sent.
    Uri,
    /// The raw body.
    Body,
    /// A request header's value, as sent.
    Header(String),
    /// The secret itself.
    Secret,
    /// Fixed text.
    Literal(String),
}

/// A timestamp header and how far it may be from the receiver's clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimestampDef {
    /// The header.
    pub header: String,
    /// `true`: milliseconds since the Unix epoch; `false`: seconds.
    pub milliseconds: bool,
    /// The largest accepted distance from the receiver's clock, in seconds.
    pub tolerance_seconds: u64,
}

/// One rate-limit value: a response header read as a non-negative integer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RateLimitHeader {
    /// The name in the spec (`dailyRemaining`), the key of `RateLimit::get`.
    pub name: String,
    /// The response header (`X-HubSpot-RateLimit-Daily-Remaining`).
    pub header: String,
    /// The typed getter generated on `RateLimit` (`daily_remaining`).
    pub getter: Name,
}

/// An error response that is never retried although its status is retryable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoRetryRule {
    /// The HTTP status it applies to.
    pub status: u16,
    /// The top-level field of the JSON error body to compare.
    pub body_field: String,
    /// The string value that makes the response final (compared ignoring ASCII case).
    pub equals: String,
    /// Why, for docs and logs.
    pub reason: Option<String>,
}

/// One API version: a namespace over the shared models, selected by a path prefix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiVersion {
    /// The version's name in the spec (`v3`, `2026-03`).
    pub name: String,
    /// Accessor method on the client (`v3`, `v2026_03`).
    pub method: Name,
    /// Variant of the generated `ApiVersion` enum (`V3`, `V2026_03`).
    pub variant: Name,
    /// The path prefix its operations live under.
    pub prefix: String,
    /// Description from the spec.
    pub doc: Option<String>,
}

/// Operations of one resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// The namespace of a tag; `None` for operations without a tag, which sit directly on the
    /// client (or version namespace).
    pub namespace: Option<Namespace>,
    /// Description of the tag, else a line naming the tag; `None` for operations without one.
    pub doc: Option<String>,
    /// The operations, in spec order.
    pub operations: Vec<Operation>,
    /// The Cargo feature that builds it (`[features] per_tag`); `None`: always built.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
}

/// The names of a resource namespace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Namespace {
    /// Accessor method (`channel_accounts`).
    pub accessor: Name,
    /// The namespace struct (`ChannelAccounts`).
    pub type_name: Name,
}

/// One operation (shared by every version that declares it with the same relative path).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    /// Method on the resource namespace (`publish`).
    pub method_name: Name,
    /// The operation struct (`PublishMessage`).
    pub struct_name: Name,
    /// Indices into [`Api::versions`] of the versions that declare it (empty when unversioned).
    pub versions: Vec<usize>,
    /// What the spec says of it.
    #[serde(flatten)]
    pub def: OperationDef,
}

/// An operation as the spec declares it: everything but its names and versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperationDef {
    /// Where it came from (the first version's operation when shared).
    pub pointer: String,
    /// operationId, or the method and path when there is none.
    pub operation_id: String,
    /// HTTP method.
    pub http_method: HttpMethod,
    /// Path template relative to the version prefix.
    pub path: String,
    /// Summary and description.
    pub doc: Option<String>,
    /// Deprecated in the spec.
    pub deprecated: bool,
    /// Parameters: path ones in path order first, then the rest in spec order.
    pub params: Vec<Param>,
    /// The request body, if any.
    pub body: Option<RequestBody>,
    /// What a success response decodes into.
    pub success: ResponseBody,
    /// The success status codes the spec lists, for docs.
    pub success_statuses: Vec<String>,
    /// The type error bodies decode into (`None`: kept as `serde_json::Value`).
    pub error_type: Option<TypeRef>,
    /// Safe to send twice.
    pub idempotent: bool,
    /// Alternatives of requirement sets.
    pub security: Vec<Vec<SecurityUse>>,
    /// Where the idempotency key lives (`x-idempotency-key`).
    pub idempotency_key: Option<IdempotencyKey>,
    /// How to follow pages (`x-pagination`).
    pub pagination: Option<Pagination>,
}

impl OperationDef {
    /// Calls `f` on every type reference the operation holds: its parameters', its body's (a
    /// multipart form's parts included), its success body's (an event stream's data included),
    /// its error body's and its pagination's. Whatever follows or renumbers the models an
    /// operation uses goes through here, so that no kind of body is missed.
    pub fn for_each_type_mut(&mut self, f: &mut impl FnMut(&mut TypeRef)) {
        for p in &mut self.params {
            f(&mut p.ty);
        }
        if let Some(b) = &mut self.body {
            match &mut b.form {
                None => f(&mut b.ty),
                Some(form) => {
                    for field in &mut form.fields {
                        if let FormFieldKind::Value(t) = &mut field.kind {
                            f(t);
                        }
                    }
                }
            }
        }
        match &mut self.success {
            ResponseBody::Json(t)
            | ResponseBody::JsonOrEmpty(t)
            | ResponseBody::Events(Some(t)) => f(t),
            ResponseBody::Empty
            | ResponseBody::Text
            | ResponseBody::ByteStream
            | ResponseBody::Events(None) => {}
        }
        if let Some(e) = &mut self.error_type {
            f(e);
        }
        if let Some(p) = &mut self.pagination {
            f(&mut p.cursor_type);
            f(&mut p.item_type);
        }
    }

    /// Every type reference the operation holds (see [`Self::for_each_type_mut`]).
    pub fn types(&self) -> Vec<TypeRef> {
        let mut types = Vec::new();
        self.clone()
            .for_each_type_mut(&mut |t| types.push(t.clone()));
        types
    }

    /// Whether two versions' declarations of an operation can share one method: the same
    /// parameters, body, responses and runtime facts.
    pub fn same_signature(&self, other: &OperationDef) -> bool {
        self.params == other.params
            && self.body == other.body
            && self.success == other.success
            && self.error_type == other.error_type
            && self.idempotent == other.idempotent
            && self.security == other.security
            && self.idempotency_key == other.idempotency_key
            && self.pagination == other.pagination
    }
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
}

impl HttpMethod {
    /// Every method, in the order OpenAPI lists a path item's operations.
    pub const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
        HttpMethod::Trace,
    ];

    /// The method in upper case, as sent (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// The key of a path item that holds this method's operation (`get`).
    pub fn key(self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Put => "put",
            HttpMethod::Post => "post",
            HttpMethod::Delete => "delete",
            HttpMethod::Options => "options",
            HttpMethod::Head => "head",
            HttpMethod::Patch => "patch",
            HttpMethod::Trace => "trace",
        }
    }

    /// Safe to send twice by HTTP's rules (POST and PATCH are not).
    pub fn idempotent(self) -> bool {
        !matches!(self, HttpMethod::Post | HttpMethod::Patch)
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

impl ParamLocation {
    /// The location as OpenAPI writes it (`query`).
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

/// One parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    /// Name on the wire.
    pub wire: String,
    /// Rust name (unique within the operation).
    pub name: Name,
    /// Where it goes.
    pub location: ParamLocation,
    /// Required parameters are positional arguments; optional ones are setters.
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// How a query parameter is serialised, when it is not the default (`form`, exploded).
    pub query_style: Option<QueryStyle>,
    /// Description.
    pub doc: Option<String>,
}

/// OpenAPI 3.0 serialisation styles of query parameters, besides the default exploded form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum QueryStyle {
    /// `form` with `explode: false`: `ids=a,b`.
    FormUnexploded,
    /// `spaceDelimited`: `ids=a%20b`.
    SpaceDelimited,
    /// `pipeDelimited`: `ids=a|b`.
    PipeDelimited,
    /// `deepObject`: `filter[a]=1`.
    DeepObject,
}

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BodyEncoding {
    /// A JSON document (`application/json`, `*+json`).
    Json,
    /// Plain text.
    Text,
    /// Raw bytes (`application/octet-stream` and other binary types).
    Bytes,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`: the fields of [`RequestBody::form`].
    Multipart,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestBody {
    /// Media type sent as `Content-Type`.
    pub media_type: String,
    /// Encoding.
    pub encoding: BodyEncoding,
    /// Rust type of the body argument.
    pub ty: TypeRef,
    /// Required by the spec (optional bodies are a setter).
    pub required: bool,
    /// Description.
    pub doc: Option<String>,
    /// For a multipart body, its parts (then `ty` is `TypeRef::Json`, unused).
    pub form: Option<MultipartForm>,
}

impl RequestBody {
    /// Every type the body's argument holds: its type, or its form fields' types.
    pub fn types(&self) -> Vec<&TypeRef> {
        match &self.form {
            None => vec![&self.ty],
            Some(form) => form
                .fields
                .iter()
                .filter_map(|f| match &f.kind {
                    FormFieldKind::Value(t) => Some(t),
                    FormFieldKind::File | FormFieldKind::Files => None,
                })
                .collect(),
        }
    }
}

/// The parts of a `multipart/form-data` body, generated as a form struct of their own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MultipartForm {
    /// One field per property of the body's schema, in spec order.
    pub fields: Vec<FormField>,
}

/// One part (or, for a list, several parts of one name) of a multipart body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormField {
    /// Rust field name.
    pub name: Name,
    /// The part's name on the wire.
    pub wire: String,
    /// What the part holds.
    pub kind: FormFieldKind,
    /// Required by the schema.
    pub required: bool,
    /// The content type the `encoding` object declares for the part (one concrete type).
    pub content_type: Option<String>,
    /// Headers the `encoding` object describes for the part, for docs.
    pub part_headers: Vec<String>,
    /// Description.
    pub doc: Option<String>,
}

/// What a multipart part holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum FormFieldKind {
    /// A file (`format: binary`): a `FilePart`.
    File,
    /// A list of files: one part per file.
    Files,
    /// A value sent as text (a scalar, or a list as one part per item) or JSON (an object).
    Value(TypeRef),
}

/// What a success response decodes into.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ResponseBody {
    /// No body (`()`).
    Empty,
    /// JSON of this type.
    Json(TypeRef),
    /// JSON of this type for some success statuses, no body for others: `Option<T>`, `None`
    /// for an empty body.
    JsonOrEmpty(TypeRef),
    /// Text.
    Text,
    /// Binary content, handed over as a stream of bytes as it arrives.
    ByteStream,
    /// Server-sent events (`text/event-stream`), each event's data decoded as JSON of this
    /// type, or kept as text when `None`.
    Events(Option<TypeRef>),
}

impl ResponseBody {
    /// The JSON type it decodes into, if it has one.
    pub fn json_type(&self) -> Option<&TypeRef> {
        match self {
            ResponseBody::Json(t)
            | ResponseBody::JsonOrEmpty(t)
            | ResponseBody::Events(Some(t)) => Some(t),
            _ => None,
        }
    }
}

/// A security scheme as the runtime sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecuritySchemeDef {
    /// Name in `components.securitySchemes`.
    pub name: String,
    /// Name of the constant that holds `name` in the generated `security` module.
    pub const_name: Name,
    /// What it puts on the wire.
    pub kind: SchemeKind,
    /// Description.
    pub doc: Option<String>,
}

/// What a scheme puts on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SchemeKind {
    /// `Authorization: Bearer` (oauth2, openIdConnect, http bearer).
    Bearer,
    /// `Authorization: Basic`.
    Basic,
    /// An API key in the query string.
    ApiKeyQuery(String),
    /// An API key in a header.
    ApiKeyHeader(String),
    /// An API key in a cookie.
    ApiKeyCookie(String),
}

/// One scheme required by an operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecurityUse {
    /// Scheme name.
    pub scheme: String,
    /// Its kind.
    pub kind: SchemeKind,
}

/// Where an operation's idempotency key lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum IdempotencyKey {
    /// A JSON pointer into the request body.
    BodyPointer(String),
    /// A request header.
    Header(String),
}

/// How a list operation pages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pagination {
    /// Rust name of the cursor parameter.
    pub cursor_param: Name,
    /// Type of the cursor parameter.
    pub cursor_type: TypeRef,
    /// Pointer to the next cursor in a page.
    pub cursor_pointer: String,
    /// Pointer to the items array in a page.
    pub items_pointer: String,
    /// Item type.
    pub item_type: TypeRef,
}

/// A reference to a Rust type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `chrono::DateTime<FixedOffset>` (format `date-time`).
    DateTime,
    /// `chrono::NaiveDate` (format `date`).
    Date,
    /// `uuid::Uuid`.
    Uuid,
    /// Base64 text (format `byte`), kept as a `String` the caller encodes or decodes.
    Base64,
    /// Raw bytes (`Vec<u8>`), for binary bodies.
    Bytes,
    /// Any JSON (`serde_json::Value`).
    Json,
    /// A generated model.
    Named(TypeId),
    /// A generated model held behind `runtime::Indirect`, where the type graph needs it (see
    /// `lower::graph`).
    Indirect(TypeId),
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `Option<T>`: a nullable array item or map value (`null` decodes as `None`).
    Option(Box<TypeRef>),
}

impl TypeRef {
    /// The model this refers to directly (not through a list, map or option).
    pub fn named(&self) -> Option<TypeId> {
        match self {
            TypeRef::Named(id) => Some(*id),
            _ => None,
        }
    }

    /// Every model this refers to, directly or inside lists, maps and options.
    pub fn models(&self) -> Vec<TypeId> {
        match self {
            TypeRef::Named(id) | TypeRef::Indirect(id) => vec![*id],
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => inner.models(),
            _ => Vec::new(),
        }
    }
}

impl TypeRef {
    /// Calls `f` on every model reference in it, innermost ones included.
    pub fn for_each_model_mut(&mut self, f: &mut impl FnMut(&mut TypeRef)) {
        match self {
            TypeRef::Named(_) | TypeRef::Indirect(_) => f(self),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => {
                inner.for_each_model_mut(f)
            }
            _ => {}
        }
    }
}

/// A generated model type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeDef {
    /// Rust name.
    pub name: Name,
    /// Where it came from.
    pub pointer: String,
    /// Description.
    pub doc: Option<String>,
    /// What it is.
    pub kind: TypeKind,
    /// The group of mutually recursive models it belongs to, if it contains itself (directly
    /// or through other models held inline). Members of one group hold each other boxed.
    pub cycle: Option<u32>,
    /// For a model made from inline schemas, every place in the spec that uses it (the same
    /// shape in several places is one type); empty for a component schema.
    pub uses: Vec<String>,
    /// The name of its builder (`{name}Builder`): set exactly for a struct with required fields.
    pub builder: Option<Name>,
    /// Traits derived beside the ones every model of its kind has, as the configuration asks
    /// (checked to hold); sorted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub derives: Vec<crate::config::Derive>,
    /// Attributes the configuration puts on it, each one outer attribute (checked to parse).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<String>,
    /// The Cargo feature it is built with: that of the one resource that uses it
    /// (`[features] per_tag`); `None`: always built.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
}

/// The shape of a model type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum TypeKind {
    /// A struct.
    Struct(StructDef),
    /// An open string enum (unknown values kept).
    Enum(EnumDef),
    /// `oneOf`/`anyOf`.
    Union(UnionDef),
    /// `pub type Name = Target;`.
    Alias(TypeRef),
    /// A schema the configuration replaces by an existing Rust type: `pub type Name = path;`.
    External(ExternalType),
}

/// An existing Rust type that stands for a schema.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ExternalType {
    /// Its path (`shop_money::Money`), checked to parse.
    pub path: String,
    /// The checked derives it implements, as the configuration says.
    pub implements: Vec<crate::config::Derive>,
}

impl TypeKind {
    /// The types its members hold inline (not inside a list or map): the edges of the
    /// containment graph that decides boxing.
    pub fn held_inline(&self) -> Vec<TypeId> {
        match self {
            TypeKind::Struct(s) => s.fields.iter().filter_map(|f| f.ty.named()).collect(),
            TypeKind::Union(u) => u.variants.iter().filter_map(|v| v.ty.named()).collect(),
            TypeKind::Alias(a) => a.named().into_iter().collect(),
            TypeKind::Enum(_) | TypeKind::External(_) => Vec::new(),
        }
    }

    /// Calls `f` on every type reference its members hold.
    pub fn for_each_member_type_mut(&mut self, mut f: impl FnMut(&mut TypeRef)) {
        match self {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    f(&mut field.ty);
                }
                if let Some(a) = &mut s.additional {
                    f(&mut a.ty);
                }
            }
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| f(&mut v.ty)),
            TypeKind::Alias(a) => f(a),
            TypeKind::Enum(_) | TypeKind::External(_) => {}
        }
    }

    /// The same shape without the prose of its members: what makes two inline schemas one type.
    pub fn without_prose(&self) -> TypeKind {
        let mut kind = self.clone();
        if let TypeKind::Struct(s) = &mut kind {
            for f in &mut s.fields {
                f.doc = None;
            }
        }
        kind
    }

    /// Every model its members refer to, anywhere.
    pub fn referenced(&self) -> Vec<TypeId> {
        match self {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| &f.ty)
                .chain(s.additional.iter().map(|a| &a.ty))
                .flat_map(TypeRef::models)
                .collect(),
            TypeKind::Union(u) => u.variants.iter().flat_map(|v| v.ty.models()).collect(),
            TypeKind::Alias(a) => a.models(),
            TypeKind::Enum(_) | TypeKind::External(_) => Vec::new(),
        }
    }
}

/// A struct.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct StructDef {
    /// Fields in spec order.
    pub fields: Vec<Field>,
    /// A required property with one allowed value, written on every serialisation and not
    /// checked on reading: `(wire name, value)`.
    pub constant: Option<(String, String)>,
    /// The field that keeps properties beyond the declared ones, when the schema declares
    /// `additionalProperties`.
    pub additional: Option<AdditionalProperties>,
}

impl StructDef {
    /// Whether a value cannot be made without some field (one is required, nullable or not).
    pub fn has_required_fields(&self) -> bool {
        self.fields.iter().any(|f| f.presence.is_required())
    }
}

/// The map field of a struct that keeps the properties beyond the declared ones.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct AdditionalProperties {
    /// Rust name of the field.
    pub name: Name,
    /// The builder method that adds one property.
    pub setter: Name,
    /// Type of the values.
    pub ty: TypeRef,
}

/// A struct field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Field {
    /// Rust name.
    pub name: Name,
    /// The builder method that sets it (`with_name`).
    pub setter: Name,
    /// Wire name.
    pub wire: String,
    /// Description.
    pub doc: Option<String>,
    /// Type of the value (without `Option`/`Nullable`/`Box`).
    pub ty: TypeRef,
    /// How presence and `null` are represented.
    pub presence: Presence,
    /// Marked deprecated.
    pub deprecated: bool,
}

/// How a field's presence maps to Rust.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Presence {
    /// Required, not nullable: `T`.
    Required,
    /// Required and nullable: `Option<T>`, `None` written as `null`.
    RequiredNullable,
    /// Optional: `Option<T>`, left out when `None`.
    Optional,
    /// Optional with a default from the spec: `T`, the default used when absent.
    Defaulted(Default),
    /// Optional and nullable: `Nullable<T>` (absent, null, or a value).
    OptionalNullable,
}

impl Presence {
    /// Required, nullable or not: the field must be given to make a value.
    pub fn is_required(&self) -> bool {
        matches!(self, Presence::Required | Presence::RequiredNullable)
    }
}

/// A field's default from the spec, and the function that gives it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Default {
    /// The value.
    pub value: DefaultValue,
    /// The function in the models' `defaults` module that returns it (unique in the crate).
    pub function: Name,
}

/// A default value the generated code can write as a literal.
#[derive(Debug, Clone, Serialize)]
pub enum DefaultValue {
    /// A string (for `String` fields, and the wire value of an enum).
    String(String),
    /// A boolean.
    Bool(bool),
    /// An integer that fits the field's type.
    Integer(i64),
    /// A floating-point number.
    Float(f64),
}

impl PartialEq for DefaultValue {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for DefaultValue {}

impl PartialOrd for DefaultValue {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DefaultValue {
    /// A total order (floats by `f64::total_cmp`), so that models can be compared and interned.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        use DefaultValue::*;
        let rank = |v: &DefaultValue| match v {
            String(_) => 0,
            Bool(_) => 1,
            Integer(_) => 2,
            Float(_) => 3,
        };
        match (self, other) {
            (String(a), String(b)) => a.cmp(b),
            (Bool(a), Bool(b)) => a.cmp(b),
            (Integer(a), Integer(b)) => a.cmp(b),
            (Float(a), Float(b)) => a.total_cmp(b),
            _ => rank(self).cmp(&rank(other)),
        }
    }
}

/// An open string enum.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct EnumDef {
    /// Known values.
    pub variants: Vec<EnumVariant>,
    /// Name of the catch-all variant that keeps unknown values.
    pub unknown_variant: Name,
}

/// One known enum value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct EnumVariant {
    /// Rust name.
    pub name: Name,
    /// Wire value.
    pub wire: String,
}

/// A union (`oneOf`, `anyOf`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct UnionDef {
    /// Property whose value tells the variants apart; `None` for an untagged union, tried in
    /// order.
    pub tag: Option<String>,
    /// The variants.
    pub variants: Vec<UnionVariant>,
    /// Name of the catch-all variant that keeps any other JSON.
    pub unknown_variant: Name,
}

/// One union variant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct UnionVariant {
    /// Rust name.
    pub name: Name,
    /// Tag value (tagged unions).
    pub tag_value: Option<String>,
    /// Payload.
    pub ty: TypeRef,
}
