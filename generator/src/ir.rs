//! The intermediate representation: what the generated crate contains, with no `openapiv3`
//! types in it.
//!
//! Lowering builds it and has made every decision already: names are valid Rust identifiers,
//! wire names sit beside them, docs are cleaned, every node remembers the JSON pointer it came
//! from. The emitter reads it and cannot fail.

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
    /// Every model type, sorted by name.
    pub types: Vec<TypeDef>,
    /// The API versions declared with `x-api-versions` (empty: a plain, unversioned client).
    pub versions: Vec<ApiVersion>,
    /// Operations grouped by resource (first tag), in the order tags are declared.
    pub groups: Vec<Group>,
    /// Security schemes that operations use, sorted by name.
    pub security_schemes: Vec<SecuritySchemeDef>,
    /// The API's conventions from `x-client-conventions` (empty when the spec has none).
    pub conventions: ClientConventions,
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

/// One rate-limit value: a response header read as a non-negative integer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RateLimitHeader {
    /// The name in the spec (`dailyRemaining`), the key of `RateLimit::get`.
    pub name: String,
    /// The response header (`X-HubSpot-RateLimit-Daily-Remaining`).
    pub header: String,
    /// The typed getter generated on `RateLimit` (`daily_remaining`).
    pub getter: String,
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
    pub method: String,
    /// Variant of the generated `ApiVersion` enum (`V3`, `V2026_03`).
    pub variant: String,
    /// The path prefix its operations live under.
    pub prefix: String,
    /// Description from the spec.
    pub doc: Option<String>,
}

/// Operations of one resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// Accessor method (`channel_accounts`); `None` for operations without a tag, which sit
    /// directly on the client (or version namespace).
    pub accessor: Option<String>,
    /// The namespace struct (`ChannelAccounts`).
    pub type_name: String,
    /// Description of the tag.
    pub doc: Option<String>,
    /// The operations, in spec order.
    pub operations: Vec<Operation>,
}

/// One operation (shared by every version that declares it with the same relative path).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    /// Where it came from (the first version's operation when shared).
    pub pointer: String,
    /// operationId, or the method and path when there is none.
    pub operation_id: String,
    /// Method on the resource namespace (`publish`).
    pub method_name: String,
    /// The operation struct (`PublishMessage`).
    pub struct_name: String,
    /// HTTP method in upper case.
    pub http_method: String,
    /// Path template relative to the version prefix.
    pub path: String,
    /// Indices into [`Api::versions`] of the versions that declare it (empty when unversioned).
    pub versions: Vec<usize>,
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

/// One parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    /// Name on the wire.
    pub wire: String,
    /// Rust name (unique within the operation).
    pub name: String,
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
    /// Bytes.
    Bytes,
}

/// A security scheme as the runtime sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecuritySchemeDef {
    /// Name in `components.securitySchemes`.
    pub name: String,
    /// Name of the constant that holds `name` in the generated `security` module.
    pub const_name: String,
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
    pub cursor_param: String,
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
    /// A generated model, by name.
    Named(String),
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `Option<T>`: a nullable array item or map value (`null` decodes as `None`).
    Option(Box<TypeRef>),
}

/// A generated model type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// Where it came from.
    pub pointer: String,
    /// Description.
    pub doc: Option<String>,
    /// What it is.
    pub kind: TypeKind,
}

/// The shape of a model type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TypeKind {
    /// A struct.
    Struct(StructDef),
    /// An open string enum (unknown values kept).
    Enum(EnumDef),
    /// `oneOf`/`anyOf`.
    Union(UnionDef),
    /// `pub type Name = Target;`.
    Alias(TypeRef),
}

/// A struct.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StructDef {
    /// Fields in spec order.
    pub fields: Vec<Field>,
    /// A required property with one allowed value, written on every serialisation and not
    /// checked on reading: `(wire name, value)`.
    pub constant: Option<(String, String)>,
    /// The field (Rust name) and value type that keep properties beyond the declared ones,
    /// when the schema declares `additionalProperties`.
    pub additional: Option<(String, TypeRef)>,
}

/// A struct field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// Rust name.
    pub name: String,
    /// Wire name.
    pub wire: String,
    /// Description.
    pub doc: Option<String>,
    /// Type of the value (without `Option`/`Nullable`/`Box`).
    pub ty: TypeRef,
    /// How presence and `null` are represented.
    pub presence: Presence,
    /// Boxed to break a cycle.
    pub boxed: bool,
    /// A default from the spec used when the field is absent (JSON value).
    pub default: Option<serde_json::Value>,
    /// Marked deprecated.
    pub deprecated: bool,
}

/// How a field's presence maps to Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Presence {
    /// Required, not nullable: `T`.
    Required,
    /// Required and nullable: `Option<T>`, `None` written as `null`.
    RequiredNullable,
    /// Optional: `Option<T>`, left out when `None`.
    Optional,
    /// Optional with a default from the spec: `T`, the default used when absent.
    Defaulted,
    /// Optional and nullable: `Nullable<T>` (absent, null, or a value).
    OptionalNullable,
}

/// An open string enum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumDef {
    /// Known values.
    pub variants: Vec<EnumVariant>,
    /// Name of the catch-all variant that keeps unknown values.
    pub unknown_variant: String,
}

/// One known enum value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumVariant {
    /// Rust name.
    pub name: String,
    /// Wire value.
    pub wire: String,
}

/// A union (`oneOf`, `anyOf`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnionDef {
    /// Property whose value tells the variants apart; `None` for an untagged union, tried in
    /// order.
    pub tag: Option<String>,
    /// The variants.
    pub variants: Vec<UnionVariant>,
    /// Name of the catch-all variant that keeps any other JSON.
    pub unknown_variant: String,
}

/// One union variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnionVariant {
    /// Rust name.
    pub name: String,
    /// Tag value (tagged unions).
    pub tag_value: Option<String>,
    /// Payload.
    pub ty: TypeRef,
    /// Boxed to break a cycle.
    pub boxed: bool,
}
