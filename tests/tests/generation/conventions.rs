//! `x-client-conventions`: lowering into the IR and what the generated crate gets from it. (Its
//! malformed forms are a diagnostics fixture, `tests/fixtures/broken/conventions.yaml`; the
//! runtime's use of conventions is tested in `tests/tests/runtime/conventions.rs`.)

use generator::ir::{ClientConventions, NoRetryRule, RateLimitHeader};
use generator::runtime_source::RUNTIME_RATELIMIT_METHODS as RATE_LIMIT_METHODS;

const PLAIN: &str = r#"
openapi: 3.0.3
info: {title: Plain, version: "1"}
paths:
  /ping:
    get:
      responses:
        "204": {description: ok}
"#;

fn with_conventions(conventions: &str) -> String {
    format!("{PLAIN}x-client-conventions:\n{conventions}")
}

fn generate(spec: &str) -> Result<generator::Generated, generator::Diagnostics> {
    generator::generate_from_str(spec, &tests::fixture_settings("conventions.yaml"))
}

fn lib_rs(generated: &generator::Generated) -> &str {
    &generated
        .files
        .iter()
        .find(|f| f.path == "src/lib.rs")
        .expect("a lib.rs")
        .contents
}

/// A rate-limit header as `(name, header, getter)`, to compare with the IR's (whose getter is a
/// `Name` only the generator can make).
fn rate_limit(name: &str, header: &str, getter: &str) -> (String, String, String) {
    (name.to_owned(), header.to_owned(), getter.to_owned())
}

fn as_tuple(r: &RateLimitHeader) -> (String, String, String) {
    (r.name.clone(), r.header.clone(), r.getter.to_string())
}

#[test]
fn the_spec_s_conventions_are_lowered_in_spec_order() {
    let api = tests::generate_default().api;
    let rate_limit_headers = vec![
        rate_limit("daily", "X-HubSpot-RateLimit-Daily", "daily"),
        rate_limit(
            "dailyRemaining",
            "X-HubSpot-RateLimit-Daily-Remaining",
            "daily_remaining",
        ),
        rate_limit("secondly", "X-HubSpot-RateLimit-Secondly", "secondly"),
        rate_limit(
            "secondlyRemaining",
            "X-HubSpot-RateLimit-Secondly-Remaining",
            "secondly_remaining",
        ),
        rate_limit(
            "intervalMilliseconds",
            "X-HubSpot-RateLimit-Interval-Milliseconds",
            "interval_milliseconds",
        ),
        rate_limit("max", "X-HubSpot-RateLimit-Max", "max"),
        rate_limit("remaining", "X-HubSpot-RateLimit-Remaining", "remaining"),
    ];
    let found: Vec<_> = api
        .conventions
        .rate_limit_headers
        .iter()
        .map(as_tuple)
        .collect();
    assert_eq!(found, rate_limit_headers);
    let expected = ClientConventions {
        correlation_id_headers: vec!["X-HubSpot-Correlation-Id".to_owned()],
        correlation_id_body_field: Some("correlationId".to_owned()),
        rate_limit_headers: api.conventions.rate_limit_headers.clone(),
        do_not_retry: vec![NoRetryRule {
            status: 429,
            body_field: "policyName".to_owned(),
            equals: "DAILY".to_owned(),
            reason: Some(
                "the daily limit resets at midnight in the account's time zone".to_owned(),
            ),
        }],
    };
    assert_eq!(api.conventions, expected);
}

#[test]
fn without_the_extension_there_are_no_conventions_and_no_getters() {
    let generated = generate(PLAIN).expect("a plain spec generates");
    assert_eq!(generated.api.conventions, ClientConventions::default());
    let lib = lib_rs(&generated);
    assert!(
        lib.contains(
            "pub static CONVENTIONS: runtime::codegen::Conventions = runtime::codegen::Conventions::NONE;"
        ),
        "{lib}"
    );
    assert!(
        lib.contains("ClientBuilder::new().conventions(&CONVENTIONS)"),
        "{lib}"
    );
    assert!(!lib.contains("impl runtime::RateLimit"), "{lib}");
}

#[test]
fn an_empty_extension_is_no_conventions() {
    let generated = generate(&with_conventions("  {}\n")).expect("generates");
    assert_eq!(generated.api.conventions, ClientConventions::default());
    assert!(lib_rs(&generated).contains("Conventions::NONE"));
}

#[test]
fn getters_never_shadow_rate_limit_s_own_methods() {
    let generated = generate(&with_conventions(
        "  rateLimitHeaders:\n    get: X-A\n    isEmpty: X-B\n    get_value: X-C\n    clone: X-D\n    type: X-E\n    Remaining: X-F\n    remaining: X-G\n",
    ))
    .expect("generates");
    let getters: Vec<&str> = generated
        .api
        .conventions
        .rate_limit_headers
        .iter()
        .map(|r| r.getter.as_str())
        .collect();
    assert_eq!(
        getters,
        [
            "get_value",
            "is_empty_value",
            "get_value_2",
            "clone_value",
            "type",
            "remaining",
            "remaining_2"
        ]
    );
    let lib = lib_rs(&generated);
    assert!(
        lib.contains("pub fn r#type(&self) -> ::core::option::Option<u64>"),
        "{lib}"
    );
    assert!(lib.contains(r#"self.get("isEmpty")"#), "{lib}");
}

#[test]
fn malformed_containers_are_errors_at_their_pointer() {
    let cases = [
        ("  [1, 2]\n", "#/x-client-conventions"),
        (
            "  correlationIdHeaders: X-Request-Id\n",
            "#/x-client-conventions/correlationIdHeaders",
        ),
        (
            "  rateLimitHeaders: [X-Limit]\n",
            "#/x-client-conventions/rateLimitHeaders",
        ),
        (
            "  doNotRetry: {status: 429}\n",
            "#/x-client-conventions/doNotRetry",
        ),
        (
            "  doNotRetry:\n    - {bodyField: policyName, equals: DAILY}\n",
            "#/x-client-conventions/doNotRetry/0/status",
        ),
    ];
    for (conventions, pointer) in cases {
        let diags = generate(&with_conventions(conventions))
            .err()
            .unwrap_or_else(|| panic!("rejected: {conventions}"));
        let errors = diags.errors();
        assert_eq!(errors.len(), 1, "{diags}");
        assert_eq!(errors[0].pointer, pointer, "{diags}");
    }
}

/// Every inherent method of the runtime's `RateLimit` is among the reserved getter names (derived
/// from the runtime's source at build time), so a getter can never take its name.
#[test]
fn the_reserved_getter_names_cover_rate_limit_s_methods() {
    let source =
        std::fs::read_to_string(tests::workspace_root().join("generator/runtime/src/response.rs"))
            .unwrap();
    let start = source
        .find("impl RateLimit {")
        .expect("an inherent impl of RateLimit");
    let end = start + source[start..].find("\n}\n").expect("the end of the impl");
    let methods: Vec<&str> = source[start..end]
        .split("pub fn ")
        .skip(1)
        .filter_map(|rest| rest.split(['(', '<']).next())
        .collect();
    assert!(methods.contains(&"get"), "{methods:?}");
    for method in methods {
        assert!(
            RATE_LIMIT_METHODS.contains(&method),
            "`RateLimit::{method}` is missing from RATE_LIMIT_METHODS"
        );
    }
    assert_eq!(
        source.matches("impl RateLimit").count(),
        1,
        "one inherent impl, the one scanned"
    );
}
