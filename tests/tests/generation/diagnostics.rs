//! Broken specs get errors that name the place (a JSON pointer, or line and column for syntax
//! errors) and say what is wrong. The full diagnostics output is snapshotted per fixture.

use tests::workspace_root;

fn diagnose(file: &str) -> String {
    diagnose_with(file, false)
}

/// The diagnostics of a spec rejected in strict mode (`--strict`) or not.
fn diagnose_with(file: &str, strict: bool) -> String {
    let path = workspace_root().join("tests/fixtures/broken").join(file);
    let text = std::fs::read_to_string(&path).expect("fixture is readable");
    let settings = generator::Settings {
        strict,
        ..tests::fixture_settings(file)
    };
    match generator::generate_from_str(&text, &settings) {
        Ok(_) => panic!("{file} must be rejected"),
        Err(diags) => diags.to_string(),
    }
}

macro_rules! broken_fixture {
    ($test:ident, $file:literal, $expect:literal) => {
        broken_fixture!($test, $file, $expect, false);
    };
    ($test:ident, $file:literal, $expect:literal, $strict:literal) => {
        #[test]
        fn $test() {
            let out = diagnose_with($file, $strict);
            assert!(out.contains($expect), "{out}");
            for line in out.lines() {
                assert!(
                    line.starts_with("error: #") || line.starts_with("warning: #"),
                    "every line names a pointer: {line}"
                );
            }
            insta::assert_snapshot!(concat!("diagnostics__", stringify!($test)), out);
        }
    };
}

// Dangling schema references are `serde_json::Value` with a warning by default (see
// `fixtures.rs`, the `lenient` fixture); strict mode rejects them.
broken_fixture!(
    dangling_ref,
    "dangling-ref.yaml",
    "error: #/components/schemas/Pet/properties/owner",
    true
);
broken_fixture!(ref_cycle, "ref-cycle.yaml", "cycle");
broken_fixture!(wrong_type, "wrong-type.yaml", "#/paths/~1a/get/responses");
broken_fixture!(swagger_two, "swagger2.yaml", "#/swagger");
broken_fixture!(openapi_three_two, "openapi32.json", "#/openapi");
broken_fixture!(yaml_syntax, "yaml-syntax.yaml", "line");
broken_fixture!(json_syntax, "json-syntax.json", "line 4");
broken_fixture!(unsupported_constructs, "unsupported.yaml", "other.yaml");
broken_fixture!(
    client_conventions,
    "conventions.yaml",
    "#/x-client-conventions/doNotRetry/1/status"
);

#[test]
fn errors_are_sorted_by_pointer() {
    let out = diagnose("wrong-type.yaml");
    let pointers: Vec<&str> = out.lines().filter_map(|l| l.split(": ").nth(1)).collect();
    let mut sorted = pointers.clone();
    sorted.sort();
    assert_eq!(pointers, sorted);
    assert!(pointers.len() >= 3, "all problems reported together: {out}");
}
broken_fixture!(
    webhook_signature,
    "webhook-signature.yaml",
    "#/x-webhook-signature/schemes/1/content"
);

/// Webhook payloads that share no property naming the event still get their types, with a
/// warning at `x-webhooks` saying why there is no event enum.
#[test]
fn webhooks_without_an_event_property_get_types_and_a_warning() {
    let spec = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
x-webhooks:
  created:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties: {id: {type: string}}
      responses: {"200": {description: ok}}
  removed:
    post:
      responses: {"200": {description: ok}}
"#;
    let generated =
        generator::generate_from_str(spec, &tests::fixture_settings("webhooks-untagged.yaml"))
            .unwrap_or_else(|d| panic!("{d}"));
    let warnings = generated.warnings.to_string();
    insta::assert_snapshot!("diagnostics__webhooks_without_an_event_property", warnings);
    let webhooks = generated
        .files
        .iter()
        .find(|f| f.path == "src/webhooks.rs")
        .expect("a webhooks module");
    assert!(
        !webhooks.contents.contains("enum WebhookEvent"),
        "{}",
        webhooks.contents
    );
    let models = generated
        .files
        .iter()
        .find(|f| f.path == "src/models.rs")
        .unwrap();
    assert!(
        models.contents.contains("pub struct CreatedEvent"),
        "{}",
        models.contents
    );
}

/// Models that only error responses use are decoded leniently (every field optional); a model
/// that a webhook payload uses too is not only an error's, and keeps its required fields.
#[test]
fn webhook_payloads_are_not_error_only_models() {
    let spec = |webhooks: &str| {
        format!(
            r#"
openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
  /a:
    get:
      responses:
        "204": {{description: ok}}
        default:
          description: failed
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Notice'}}
components:
  schemas:
    Notice:
      type: object
      required: [kind, text]
      properties:
        kind: {{type: string, enum: [notice]}}
        text: {{type: string}}
{webhooks}"#
        )
    };
    let with_hook = spec(
        "x-webhooks:\n  notice:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Notice'}\n      responses: {\"200\": {description: ok}}\n",
    );
    let models = |text: &str| {
        let generated =
            generator::generate_from_str(text, &tests::fixture_settings("error-only.yaml"))
                .unwrap_or_else(|d| panic!("{d}"));
        generated
            .files
            .into_iter()
            .find(|f| f.path == "src/models.rs")
            .unwrap()
            .contents
    };
    assert!(
        models(&spec("")).contains("pub text: ::std::option::Option<::std::string::String>"),
        "an error-only model is lenient"
    );
    // The webhook side gets a lenient form of its own (its single-value `kind` stays a fixed
    // tag), so the error side's leniency is not what the webhook relies on.
    let hooked = models(&with_hook);
    let twin = &hooked[hooked
        .find("pub struct WebhookNotice")
        .expect("a webhook form")..];
    let twin = &twin[..twin.find("\n}").unwrap()];
    assert!(
        twin.contains("pub text: ::std::option::Option<::std::string::String>"),
        "{twin}"
    );
}
