//! The model-mapping fixture specs (`tests/fixtures/{mapping,names,versions}.yaml`): their
//! generated models are locked by insta snapshots (`models_<fixture>`), and two of them are
//! checked in as workspace crates (`tests/fixture-crates/{mapping,names}`, packages
//! `fixture-mapping` and `fixture-names`) so that `models_mapping.rs` and `models_names.rs` can
//! run the generated code.
//!
//! A checked-in fixture crate goes stale whenever the generator, the runtime or the fixture spec
//! changes. To rewrite it, run
//!
//! ```text
//! UPDATE_FIXTURES=1 cargo test -p tests --test models_fixtures
//! ```
//!
//! or, when the stale crate no longer compiles (so this test cannot build), the command in its
//! file headers, e.g.
//! `cargo run -p generator -- --spec tests/fixtures/mapping.yaml --out tests/fixture-crates/mapping --name fixture-mapping`.

use generator::{Generated, write};
use tests::*;

/// Fixtures checked in as crates under `tests/fixture-crates/`.
const CHECKED_IN: &[&str] = &["mapping", "names"];

/// Every model-mapping fixture.
const FIXTURES: &[&str] = &["mapping", "names", "versions"];

/// Generates `tests/fixtures/<stem>.yaml` exactly as the command in the file headers does.
fn generate(stem: &str) -> Generated {
    let file = format!("{stem}.yaml");
    let text = std::fs::read_to_string(workspace_root().join("tests/fixtures").join(&file))
        .expect("fixture is readable");
    generator::generate_from_str(&text, &fixture_settings(&file))
        .unwrap_or_else(|d| panic!("tests/fixtures/{file} must generate:\n{d}"))
}

fn models_rs(generated: &Generated) -> &str {
    &generated
        .files
        .iter()
        .find(|f| f.path == "src/models.rs")
        .expect("every crate has src/models.rs")
        .contents
}

#[test]
fn fixture_crates_are_fresh() {
    let update = std::env::var("UPDATE_FIXTURES").is_ok_and(|v| v == "1");
    let mut problems = Vec::new();
    for stem in CHECKED_IN {
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
         `UPDATE_FIXTURES=1 cargo test -p tests --test models_fixtures`:\n{}",
        problems.join("\n")
    );
}

#[test]
fn fixtures_generate_without_warnings_and_deterministically() {
    for stem in FIXTURES {
        let a = generate(stem);
        assert!(a.warnings.is_empty(), "{stem}: {}", a.warnings);
        assert_eq!(a.files, generate(stem).files, "{stem}: not deterministic");
    }
}

#[test]
fn snapshots_of_fixture_models() {
    for stem in FIXTURES {
        let generated = generate(stem);
        insta::assert_snapshot!(format!("models_{stem}"), models_rs(&generated));
    }
}

/// Identical inline schemas under two version prefixes are one type each, and the operation
/// is shared by both versions.
#[test]
fn identical_schemas_in_two_versions_are_one_type() {
    let generated = generate("versions");
    let api = &generated.api;
    assert_eq!(api.versions.len(), 2);
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
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

/// The versions fixture is not checked in as a crate; it only has to compile.
#[test]
fn versions_fixture_compiles_with_warnings_denied() {
    let generated = generate("versions");
    compile_crates(
        "models-versions",
        &[("versions".to_owned(), generated.files)],
    )
    .unwrap_or_else(|out| panic!("the versions fixture does not compile:\n{out}"));
}
