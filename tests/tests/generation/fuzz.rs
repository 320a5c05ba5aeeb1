//! The generator never panics and never hangs, whatever it is given: arbitrary bytes, and valid
//! specs mutated at random (keys deleted, values replaced by JSON of the wrong type, references
//! redirected, schemas made to refer to themselves, subtrees copied elsewhere).
//!
//! Runs a fixed number of cases (`PROPTEST_CASES`, 256 by default in `proptest`); run longer
//! locally with e.g. `PROPTEST_CASES=20000 cargo test -p tests --test generation fuzz --release`.

use proptest::prelude::*;
use serde_json::{Value, json};
use std::time::Duration;
use tests::Outcome;

/// Generation must end within this long even on hostile input; far above the real cost
/// (milliseconds), so it only catches hangs.
const HANG_LIMIT: Duration = Duration::from_secs(30);

fn settings() -> generator::Settings {
    generator::Settings::new("fuzz", "fuzz")
}

/// Runs the generator on `text` in a thread: fails the test on a panic, a hang, an internal
/// error or a diagnostic without a pointer (`tests::judge`); a crate or a spec rejected with
/// pointed errors is fine.
fn must_not_panic(text: String) -> Result<(), TestCaseError> {
    match tests::generate_and_judge(text, settings(), HANG_LIMIT) {
        Outcome::Generated(_) | Outcome::Rejected(_) => Ok(()),
        Outcome::Unacceptable(why) => Err(TestCaseError::fail(why)),
    }
}

fn base_specs() -> &'static [Value] {
    static SPECS: std::sync::OnceLock<Vec<Value>> = std::sync::OnceLock::new();
    SPECS.get_or_init(load_base_specs)
}

fn load_base_specs() -> Vec<Value> {
    let root = tests::workspace_root();
    let mut out = Vec::new();
    for path in [
        root.join("spec/hubspot-custom-channels.yaml"),
        root.join("../shared/corpus/oai-petstore-expanded.yaml"),
        root.join("../shared/corpus/progenitor-keeper.json"),
    ] {
        if let Ok(text) = std::fs::read_to_string(&path) {
            if let Ok(doc) = generator::load::parse(&text) {
                out.push(doc.raw);
            }
        }
    }
    // A 3.1 document as written (not rewritten), so that mutations reach the 3.1 rewrite too.
    if let Ok(text) = std::fs::read_to_string(root.join("tests/fixtures/openapi31.yaml")) {
        if let Ok(value) = serde_yaml::from_str::<Value>(&text) {
            out.push(value);
        }
    }
    assert!(!out.is_empty());
    out
}

/// Every node of `v` as a list of path segments.
fn node_paths(v: &Value, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(prefix.clone());
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                prefix.push(k.clone());
                node_paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                prefix.push(i.to_string());
                node_paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'a>(v: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    let mut cur = v;
    for seg in path {
        cur = match cur {
            Value::Object(m) => m.get_mut(seg)?,
            Value::Array(items) => items.get_mut(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn schema_names(v: &Value) -> Vec<String> {
    v.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn odd_value(seed: u32, names: &[String]) -> Value {
    let name = names
        .get(seed as usize % names.len().max(1))
        .cloned()
        .unwrap_or_else(|| "Missing".to_owned());
    match seed % 22 {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-1),
        3 => json!("x"),
        4 => json!([]),
        5 => json!({}),
        6 => json!({"$ref": format!("#/components/schemas/{name}")}),
        7 => json!({"$ref": "#/components/schemas/DoesNotExist"}),
        8 => {
            json!({"allOf": [{"$ref": format!("#/components/schemas/{name}")}, {"type": "object", "properties": {"x": {"type": "string"}}}]})
        }
        9 => {
            json!({"oneOf": [{"$ref": format!("#/components/schemas/{name}")}, {"type": "string"}]})
        }
        10 => {
            json!({"type": "object", "additionalProperties": {"$ref": format!("#/components/schemas/{name}")}})
        }
        11 => json!({"type": "string", "enum": ["a", "A", "a-", "", null, "Self", "1"]}),
        12 => json!({"$ref": "other.yaml#/x"}),
        // OpenAPI 3.1 and nested-reference shapes.
        14 => json!({"type": ["string", "null", "integer"]}),
        15 => {
            json!({"anyOf": [{"$ref": format!("#/components/schemas/{name}")}, {"type": "null"}]})
        }
        16 => json!({"const": {"a": [1]}, "examples": [1, "x"]}),
        17 => {
            json!({"$ref": format!("#/components/schemas/{name}/properties/id"), "description": "d", "minimum": 1})
        }
        18 => {
            json!({"prefixItems": [{"type": "number"}, {"$ref": "#/$defs/Nope"}], "$defs": {"A": {"$ref": "#/$defs/A"}}})
        }
        19 => {
            json!({"type": "integer", "minimum": -9223372036854775809.0_f64, "exclusiveMaximum": 1e300})
        }
        20 => {
            json!({"if": {}, "then": {"type": "null"}, "unevaluatedProperties": false, "patternProperties": {"^x": true}})
        }
        21 => json!({"$ref": format!("#/components/schemas/{name}/items")}),
        _ => {
            json!({"type": "array", "items": {"type": "array", "items": {"$ref": format!("#/components/schemas/{name}")}}})
        }
    }
}

fn mutate(mut spec: Value, mutations: &[(u32, u8, u32)]) -> Value {
    for &(where_seed, op, value_seed) in mutations {
        let mut paths = Vec::new();
        node_paths(&spec, &mut Vec::new(), &mut paths);
        let names = schema_names(&spec);
        let path = paths[where_seed as usize % paths.len()].clone();
        match op % 5 {
            0 => {
                // Delete the node.
                if let Some((last, parent)) = path.split_last() {
                    match node_mut(&mut spec, parent) {
                        Some(Value::Object(m)) => {
                            m.remove(last);
                        }
                        Some(Value::Array(items)) => {
                            if let Ok(i) = last.parse::<usize>() {
                                if i < items.len() {
                                    items.remove(i);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            1 | 2 => {
                if let Some(node) = node_mut(&mut spec, &path) {
                    *node = odd_value(value_seed, &names);
                }
            }
            3 => {
                // Make a component schema refer to itself.
                if let Some(name) = names.get(value_seed as usize % names.len().max(1)) {
                    let me = json!({"$ref": format!("#/components/schemas/{name}")});
                    let shape = match value_seed % 3 {
                        0 => json!({"allOf": [me]}),
                        1 => json!({"oneOf": [me, {"type": "object"}]}),
                        _ => {
                            json!({"type": "object", "required": ["me"], "properties": {"me": me}})
                        }
                    };
                    if let Some(Value::Object(m)) =
                        node_mut(&mut spec, &["components".into(), "schemas".into()])
                    {
                        m.insert(name.clone(), shape);
                    }
                }
            }
            _ => {
                // Copy a subtree somewhere else.
                let source = paths[value_seed as usize % paths.len()].clone();
                let copy = node_mut(&mut spec, &source).map(|v| v.clone());
                if let (Some(copy), Some(node)) = (copy, node_mut(&mut spec, &path)) {
                    *node = copy;
                }
            }
        }
    }
    spec
}

proptest! {
    // Failing cases are recorded beside this file and replayed first on every run.
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Direct(
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/generation/fuzz.proptest-regressions"),
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        must_not_panic(String::from_utf8_lossy(&bytes).into_owned())?;
    }

    #[test]
    fn yaml_like_text_never_panics(text in "(openapi: 3\\.0\\.[0-9]\n|paths:\n|  /[a-z{}]{0,6}:\n|    get:\n|      responses: \\{\\}\n|components:\n|  schemas:\n|    [A-Z][a-z]{0,3}: \\{type: [a-z]{0,7}\\}\n|[ :\\-\\[\\]{}\"'a-z0-9\n]{0,20}){0,30}") {
        must_not_panic(text)?;
    }

    #[test]
    fn mutated_specs_never_panic(
        which in 0usize..4,
        mutations in proptest::collection::vec((any::<u32>(), any::<u8>(), any::<u32>()), 1..6),
    ) {
        let specs = base_specs();
        let spec = specs[which % specs.len()].clone();
        let mutated = mutate(spec, &mutations);
        must_not_panic(serde_json::to_string(&mutated).unwrap())?;
    }
}

#[test]
fn deep_nesting_is_rejected_not_a_stack_overflow() {
    for depth in [200, 5_000, 100_000] {
        let mut schema = String::new();
        for _ in 0..depth {
            schema.push_str(r#"{"type":"array","items":"#);
        }
        schema.push_str(r#"{"type":"string"}"#);
        for _ in 0..depth {
            schema.push('}');
        }
        let spec = format!(
            r#"{{"openapi":"3.0.3","info":{{"title":"t","version":"1"}},"paths":{{}},"components":{{"schemas":{{"Deep":{schema}}}}}}}"#
        );
        must_not_panic(spec).unwrap();
        let yaml_spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Deep: {}\n",
            "[".repeat(depth.min(20_000))
        );
        must_not_panic(yaml_spec).unwrap();
    }
}

/// Self-referential and mutually recursive schemas terminate and generate. That the crate
/// compiles, and that its values round-trip, is proven on the fixture crate made from the same
/// spec (`tests/fixtures/recursion.yaml`, compiled in the workspace; `models_recursion.rs`).
#[test]
fn self_referential_schemas_terminate_and_generate() {
    let spec =
        std::fs::read_to_string(tests::workspace_root().join("tests/fixtures/recursion.yaml"))
            .unwrap();
    must_not_panic(spec.clone()).unwrap();
    if let Err(d) = generator::generate_from_str(&spec, &settings()) {
        panic!("the recursion fixture must generate:\n{d}");
    }
}

/// The safety net can fail. A real internal error (the render stage given code that does not
/// parse, as a generator bug would emit) is never an acceptable outcome: not in the fuzz
/// test's judgement of a rejected spec, nor in the corpus test's judgement of a run of the
/// binary. A spec rejected with pointed errors is.
#[test]
fn an_internal_error_fails_the_fuzz_and_corpus_tests() {
    let broken = generator::emit::EmittedFile::Rust {
        path: "src/broken.rs".to_owned(),
        chunks: vec![generator::emit::chunk(|| "fn fn fn".parse().unwrap())],
    };
    let diags = generator::render::render_all(vec![broken], &settings()).unwrap_err();
    assert!(diags.has_internal_errors(), "{diags}");
    let text = diags.to_string();
    assert!(text.starts_with("internal error: #: "), "{text}");
    assert!(text.contains("this is a bug in the generator"), "{text}");

    // The verdict of the fuzz and corpus tests (`tests::judge`) on a run that ends so:
    assert!(matches!(
        tests::judge(Ok(Err(diags))),
        Outcome::Unacceptable(why) if why.contains("internal error")
    ));
    // A panic is never acceptable either.
    assert!(matches!(
        tests::judge(Err(Box::new("boom"))),
        Outcome::Unacceptable(why) if why.contains("panicked: boom")
    ));

    // Whereas a spec rejected with errors that name their place is an accepted outcome.
    let rejected = generator::generate_from_str(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents: {schemas: {A: {$ref: 'other.yaml#/components/schemas/A'}}}\n",
        &settings(),
    );
    let text = rejected.as_ref().unwrap_err().to_string();
    assert_eq!(tests::unacceptable_rejection(&text), None, "{text}");
    assert!(matches!(tests::judge(Ok(rejected)), Outcome::Rejected(_)));
    // And a diagnostic that names no place is not.
    assert!(tests::unacceptable_rejection("error: something is wrong somewhere").is_some());
}
