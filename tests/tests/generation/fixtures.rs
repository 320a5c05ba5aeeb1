//! The fixture specs (`tests/fixtures/*.yaml`) are generated into workspace crates checked in
//! under `tests/fixture-crates/<name>` (packages `fixture-<name>`): the workspace build compiles
//! them (CI's clippy run with warnings denied), the behaviour tests run their code, and the
//! freshness test below locks their bytes, so a change to the generator shows up in review as a
//! diff of these files. They compile the runtime from `generator/runtime/src/` through `#[path]`
//! (`--shared-runtime`) instead of holding a copy of it.
//!
//! A checked-in fixture crate goes stale whenever the generator or the fixture spec changes. To
//! rewrite it, run
//!
//! ```text
//! UPDATE_FIXTURES=1 cargo test -p tests --test generation fixtures
//! ```
//!
//! or, when the stale crate no longer compiles (so this test cannot build), the command in its
//! file headers, e.g.
//! `cargo run -p generator -- --spec tests/fixtures/mapping.yaml --out tests/fixture-crates/mapping --name fixture-mapping --shared-runtime generator/runtime/src`.

use generator::{Generated, write};
use tests::*;

/// Every fixture, checked in as a crate under `tests/fixture-crates/`.
const FIXTURES: &[&str] = &[
    "graph",
    "mapping",
    "recursion",
    "names",
    "operations",
    "versions",
    "versions_differ",
    "webhooks",
    "openapi31",
    "quirks30",
    "bodies",
    "lenient",
    "config",
    "features",
];

/// Generates `tests/fixtures/<stem>.yaml` exactly as the command in the file headers does.
fn generate(stem: &str) -> Generated {
    let file = format!("{stem}.yaml");
    let text = std::fs::read_to_string(workspace_root().join("tests/fixtures").join(&file))
        .expect("fixture is readable");
    generator::generate_from_str(&text, &fixture_settings(&file))
        .unwrap_or_else(|d| panic!("tests/fixtures/{file} must generate:\n{d}"))
}

#[test]
fn fixture_crates_are_fresh() {
    let update = std::env::var("UPDATE_FIXTURES").is_ok_and(|v| v == "1");
    let mut problems = Vec::new();
    for stem in FIXTURES {
        let generated = generate(stem);
        let dir = workspace_root().join("tests/fixture-crates").join(stem);
        if update {
            write::write(&dir, &generated.files)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", dir.display()));
            continue;
        }
        let stale = write::check(&dir, &generated.files)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        problems.extend(
            stale
                .iter()
                .map(|s| format!("tests/fixture-crates/{stem}/{s}")),
        );
    }
    assert!(
        problems.is_empty(),
        "fixture crates do not match the generator; run \
         `UPDATE_FIXTURES=1 cargo test -p tests --test generation fixtures`:\n{}",
        problems.join("\n")
    );
}

#[test]
fn fixtures_generate_deterministically_with_only_the_expected_warnings() {
    for stem in FIXTURES {
        let a = generate(stem);
        if [
            "operations",
            "recursion",
            "versions_differ",
            "openapi31",
            "quirks30",
            "lenient",
        ]
        .contains(stem)
        {
            // They declare, on purpose, an `Authorization` header parameter, a schema that is
            // only a reference to itself, an operation that differs between versions, 3.1
            // keywords with no 3.0 counterpart, integer bounds beyond 64 bits and `$ref`s
            // into nested schemas, and broken references.
            insta::assert_snapshot!(format!("fixture_{stem}__warnings"), a.warnings.to_string());
        } else {
            assert!(a.warnings.is_empty(), "{stem}: {}", a.warnings);
        }
        assert_eq!(a.files, generate(stem).files, "{stem}: not deterministic");
    }
}

/// Identical inline schemas under two version prefixes are one type each, and the operation
/// is shared by both versions.
#[test]
fn identical_schemas_in_two_versions_are_one_type() {
    let generated = generate("versions");
    let api = &generated.api;
    assert_eq!(api.versions.len(), 2);
    let names: Vec<&str> = api
        .types_by_name()
        .into_iter()
        .map(|(_, t)| t.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "CreateItemBody",
            "CreateItemBodyColor",
            "CreateItemResponse",
            "CreateItemResponseTagsItem",
        ],
        "one type per distinct schema, none numbered"
    );
    let ops: Vec<_> = api.groups.iter().flat_map(|g| &g.operations).collect();
    assert_eq!(ops.len(), 1, "the operation is shared");
    assert_eq!(ops[0].versions, [0, 1]);
}

/// An operation whose versions differ gets a method per version, named after the version, and
/// the version-specific method checks the version (`operations_fixture.rs` calls it).
#[test]
fn operations_that_differ_between_versions_get_a_method_each() {
    let generated = generate("versions_differ");
    let methods: Vec<(&str, &[usize])> = generated
        .api
        .groups
        .iter()
        .flat_map(|g| &g.operations)
        .map(|o| (o.method_name.as_str(), o.versions.as_slice()))
        .collect();
    assert_eq!(
        methods,
        [
            ("create", &[0][..]),
            ("create_v2", &[1][..]),
            ("list_extras", &[1][..])
        ]
    );
    let client = generated
        .files
        .iter()
        .find(|f| f.path == "src/client.rs")
        .unwrap();
    assert!(
        client.contents.contains("Call::unavailable"),
        "calls check the version"
    );
}

/// The type graph fixture: the union repeated inline in 40 schemas is one type, used from all
/// of them; the long chain and the long cycle hold some members as `Indirect` (no more than the
/// compiler's proofs need), and need no raised recursion limit.
#[test]
fn the_type_graph_decides_sharing_and_indirection() {
    use generator::ir::{TypeKind, TypeRef};
    let api = generate("graph").api;
    let unions: Vec<_> = api
        .types
        .iter()
        .filter(|t| matches!(t.kind, TypeKind::Union(_)))
        .collect();
    assert_eq!(unions.len(), 1, "one type for 40 copies of the union");
    assert_eq!(unions[0].uses.len(), 40);
    let indirect_fields = |prefix: &str| -> Vec<String> {
        api.types
            .iter()
            .filter(|t| t.name.as_str().starts_with(prefix))
            .flat_map(|t| match &t.kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .filter(|f| {
                        let mut found = false;
                        let mut ty = f.ty.clone();
                        ty.for_each_model_mut(&mut |m| found |= matches!(m, TypeRef::Indirect(_)));
                        found
                    })
                    .map(|f| format!("{}.{}", t.name, f.wire))
                    .collect::<Vec<_>>(),
                _ => Vec::new(),
            })
            .collect()
    };
    let mut links = indirect_fields("Link");
    links.sort();
    assert_eq!(
        links,
        ["Link14.next", "Link29.next"],
        "every 15 links of 45"
    );
    assert_eq!(
        indirect_fields("Ring").len(),
        100,
        "every reference inside the cycle"
    );
    assert!(indirect_fields("Holder").is_empty());
    assert_eq!(api.recursion_limit, None);
}

/// The models of the 3.1 fixture (each FastAPI-shaped 3.1 construct, read through the load
/// stage's rewrite) and of the 3.0 quirks fixture, locked by snapshots: how each construct
/// comes out as Rust is reviewed here, beside the warnings snapshots of what is lost.
#[test]
fn snapshots_of_the_openapi31_and_quirks30_models() {
    for stem in ["openapi31", "quirks30"] {
        let generated = generate(stem);
        let models = generated
            .files
            .iter()
            .find(|f| f.path == "src/models.rs")
            .expect("a models file");
        insta::assert_snapshot!(format!("fixture_{stem}__models.rs"), &models.contents);
    }
}

/// Every pointer the 3.1 fixture's crate and warnings show is a place in the fixture as
/// written, though the load stage rewrote it (a path item copied from `components/pathItems`,
/// members merged out of `anyOf`, `const` made `enum`): the moves are mapped back.
#[test]
fn pointers_of_a_rewritten_document_name_the_users_document() {
    let generated = generate("openapi31");
    let text = std::fs::read_to_string(workspace_root().join("tests/fixtures/openapi31.yaml"))
        .expect("fixture is readable");
    let written: serde_json::Value = serde_yaml::from_str(&text).expect("the fixture is YAML");
    let exists = |pointer: &str| {
        written
            .pointer(pointer.strip_prefix('#').unwrap_or(pointer))
            .is_some()
    };
    for w in generated.warnings.sorted() {
        assert!(exists(&w.pointer), "warning at a missing place: {w}");
    }
    for t in &generated.api.types {
        for p in std::iter::once(&t.pointer).chain(&t.uses) {
            assert!(exists(p), "{}: {p} is not in the fixture", t.name);
        }
    }
    let ops: Vec<&str> = generated
        .api
        .groups
        .iter()
        .flat_map(|g| &g.operations)
        .map(|o| o.def.pointer.as_str())
        .collect();
    assert_eq!(
        ops,
        [
            "#/components/pathItems/Items/get",
            "#/components/pathItems/Items/post",
            "#/paths/~1items~1{item_id}/get"
        ],
        "the operations of the `$ref`'d path item are where they are written"
    );
}

/// The lenient fixture's broken references are warnings of the broken-document kind, each at
/// the reference; with `strict` (the library's switch for `--strict`) the document is rejected
/// with those warnings as errors at the same pointers, and the other warnings stay warnings.
#[test]
fn strict_mode_rejects_the_lenient_fixture_at_its_broken_references() {
    let lenient = generate("lenient");
    let broken: Vec<String> = lenient
        .warnings
        .warnings()
        .into_iter()
        .filter(|w| w.category == generator::Category::BrokenDocument)
        .map(|w| w.pointer)
        .collect();
    assert_eq!(
        broken,
        [
            "#/components/schemas/Pet/properties/tag",
            "#/paths/~1pets/get/parameters/1",
            "#/paths/~1pets/get/responses/200",
            "#/paths/~1pets/get/responses/default",
            "#/paths/~1pets/post/requestBody",
        ]
    );
    let text = std::fs::read_to_string(workspace_root().join("tests/fixtures/lenient.yaml"))
        .expect("fixture is readable");
    let settings = generator::Settings {
        strict: true,
        ..fixture_settings("lenient.yaml")
    };
    let rejected = generator::generate_from_str(&text, &settings)
        .expect_err("strict mode rejects a broken document");
    let errors: Vec<String> = rejected.errors().into_iter().map(|e| e.pointer).collect();
    assert_eq!(errors, broken);
    assert!(!rejected.has_internal_errors());

    // `strict = true` in the configuration does the same, for a team that keeps it with its spec.
    let mut settings = fixture_settings("lenient.yaml");
    settings.config = generator::Config::parse("strict = true\n", "generator.toml")
        .expect("a valid configuration");
    let rejected = generator::generate_from_str(&text, &settings)
        .expect_err("strict mode from the configuration rejects a broken document");
    let errors: Vec<String> = rejected.errors().into_iter().map(|e| e.pointer).collect();
    assert_eq!(errors, broken);
}
