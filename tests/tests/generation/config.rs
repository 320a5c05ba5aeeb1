//! The configuration (`generator.toml`): the pointed errors of a malformed file and of a file
//! that asks the spec for what it cannot give (snapshots), and what a valid one does to the
//! fixture `tests/fixtures/config.yaml` with `tests/fixtures/config.toml` (whose crate,
//! `tests/fixture-crates/config`, is locked by the fixtures' freshness test and run by the
//! client tests).

use generator::Config;
use generator::config::Derive;
use tests::{fixture_settings, generate_fixture, workspace_root};

/// The errors of generating `tests/fixtures/config.yaml` with the configuration `file` (a
/// path from the workspace root), as printed.
fn diagnose(file: &str) -> String {
    let text = std::fs::read_to_string(workspace_root().join(file)).expect("readable");
    let config = match Config::parse(&text, file) {
        Ok(config) => config,
        Err(diags) => return diags.to_string(),
    };
    let spec = std::fs::read_to_string(workspace_root().join("tests/fixtures/config.yaml"))
        .expect("readable");
    let settings = generator::Settings {
        config,
        ..fixture_settings("config.yaml")
    };
    match generator::generate_from_str(&spec, &settings) {
        Ok(_) => panic!("{file} must be refused"),
        Err(diags) => diags.to_string(),
    }
}

fn assert_every_line_names(out: &str, file: &str) {
    for line in out.lines() {
        assert!(
            line.starts_with(&format!("error: {file}: ")),
            "every line names the file and a key: {line}"
        );
    }
}

/// Unknown keys, wrong types and unknown derives, each at its key, all at once.
#[test]
fn a_malformed_file_gets_every_error_at_its_key() {
    let file = "tests/fixtures/broken/config-shape.toml";
    let out = diagnose(file);
    assert_every_line_names(&out, file);
    for key in [
        "colour",
        "models.derive[1]",
        "models.derive_where_possible",
        "schemas.Item.renamed",
        "schemas.Money.rename",
        "operations.listItems.tags",
        "select.exclude_tag",
    ] {
        assert!(out.contains(&format!("{file}: {key}: ")), "{key}: {out}");
    }
    insta::assert_snapshot!("config__malformed", out);
}

/// Schemas, operations, tags and paths the spec does not have, names that meet others or are
/// not identifiers, derives that cannot hold (with the member that stops them), entries for
/// what the selection leaves out: each at its key, all at once.
#[test]
fn a_file_the_spec_cannot_satisfy_gets_every_error_at_its_key() {
    let file = "tests/fixtures/broken/config-spec.toml";
    let out = diagnose(file);
    assert_every_line_names(&out, file);
    for (key, reason) in [
        ("schemas.Missing", "no schema `Missing`"),
        (
            "schemas.Item.rename",
            "already the name of `#/components/schemas/Money`",
        ),
        (
            "schemas.Item.derive",
            "field `price` holds `Money`, whose replacement is `::chrono::TimeDelta`, which the configuration does not list as implementing `Eq`",
        ),
        (
            "models.derive",
            "`Dimensions` (#/components/schemas/Dimensions): field `width` is a float (`f64`), which has no `Hash`",
        ),
        (
            "schemas.Note.replace.type",
            "add `not_a_dependency` under `[dependencies]`",
        ),
        (
            "schemas.Note.fields",
            "replaced by `not_a_dependency::Note`",
        ),
        ("schemas.Shape.replace.type", "not a Rust path"),
        (
            "dependencies.serde",
            "a dependency of every generated crate already",
        ),
        ("schemas.Item.fields.id", "already the field of `name`"),
        ("schemas.Item.fields.nope", "has no property `nope`"),
        ("schemas.Dimensions.rename", "not an UpperCamelCase"),
        (
            "schemas.PurgeAudit",
            "only operations that `[select]` leaves out (or schemas replaced",
        ),
        ("models.derive", "`Hash` cannot be derived on `Dimensions`"),
        ("models.attributes[0]", "not one outer attribute"),
        (
            "operations.listItems.rename",
            "already the method of `getItem`",
        ),
        ("operations.createItem.rename", "`clone` is a method"),
        ("operations.purgeItems", "`[select]` leaves it out"),
        ("operations.noSuchOperation", "no operation"),
        ("select.tags[1]", "`shipping`"),
        ("select.exclude_operations[1]", "`POST /nowhere`"),
        ("select.exclude_paths[1]", "`/admin`"),
    ] {
        assert!(
            out.lines()
                .any(|l| l.contains(&format!("{file}: {key}: ")) && l.contains(reason)),
            "{key}: {reason}: {out}"
        );
    }
    insta::assert_snapshot!("config__unsatisfiable", out);
}

/// `[select]` leaves out the admin side and the report; the models only they use go with
/// them, a model the kept side shares and a webhook payload stay. `Weight` is replaced by an
/// existing type: its inline `unit` enum goes too, and its crate is a dependency.
#[test]
fn selection_prunes_the_models_only_left_out_operations_use() {
    let api = generate_fixture("config.yaml").expect("generates").api;
    let ops: Vec<&str> = api
        .operations()
        .map(|o| o.def.operation_id.as_str())
        .collect();
    assert_eq!(
        ops,
        [
            "listItems",
            "createItem",
            "getItem",
            "deleteItem",
            "listItemNotes"
        ]
    );
    let models: Vec<&str> = api
        .types_by_name()
        .iter()
        .map(|(_, t)| t.name.as_str())
        .collect();
    assert_eq!(
        models,
        [
            "AuditEvent",
            "Dimensions",
            "Item",
            "Note",
            "Price",
            "Shape",
            "Weight"
        ],
        "PurgeAudit, SalesReport, its line, the purge response and WeightUnit are gone"
    );
    let weight = api.types.iter().find(|t| t.name == "Weight").unwrap();
    assert!(
        matches!(&weight.kind, generator::ir::TypeKind::External(e) if e.path == "::shop_units::Weight")
    );
    // The same spec without a configuration has them all.
    let spec = std::fs::read_to_string(workspace_root().join("tests/fixtures/config.yaml"))
        .expect("readable");
    let settings = generator::Settings {
        config: Config::default(),
        ..fixture_settings("config.yaml")
    };
    let full = generator::generate_from_str(&spec, &settings)
        .expect("generates")
        .api;
    assert_eq!(full.operations().count(), 8);
    assert!(full.types.iter().any(|t| t.name == "PurgeAudit"));
    assert!(full.types.iter().any(|t| t.name == "SalesReport"));
    assert!(full.types.iter().any(|t| t.name == "WeightUnit"));
}

/// The replacement's crate is added to the generated `Cargo.toml`'s `[dependencies]`, as the
/// configuration writes it.
#[test]
fn a_replacement_brings_its_dependency() {
    let generated = generate_fixture("config.yaml").expect("generates");
    let cargo = &generated
        .files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .unwrap()
        .contents;
    let dependencies = cargo
        .split("[dependencies]")
        .nth(1)
        .expect("a [dependencies] table");
    assert!(
        dependencies.contains("\nshop-units = { path = \"../../support/shop-units\" }\n"),
        "{cargo}"
    );
}

/// `derive_where_possible`: `Eq` and `Hash` wherever they hold, not on `Dimensions` (floats)
/// nor on `Item` (which holds it); `Ord` asked for `Money` (renamed `Price`) brings `Eq` and
/// `PartialOrd`.
#[test]
fn derives_go_where_they_hold() {
    let api = generate_fixture("config.yaml").expect("generates").api;
    let derives = |name: &str| {
        api.types
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("{name}"))
            .derives
            .clone()
    };
    assert_eq!(derives("Dimensions"), []);
    assert_eq!(derives("Item"), []);
    assert_eq!(derives("Note"), [Derive::Eq, Derive::Hash]);
    assert_eq!(
        derives("Price"),
        [Derive::Eq, Derive::Hash, Derive::PartialOrd, Derive::Ord]
    );
}

/// Every generated file names the configuration in its header; without one, the header is
/// unchanged.
#[test]
fn the_header_names_the_configuration() {
    let generated = generate_fixture("config.yaml").expect("generates");
    for file in &generated.files {
        assert!(
            file.contents
                .lines()
                .next()
                .is_some_and(|l| l.contains("--config tests/fixtures/config.toml")
                    && l.contains("the configuration `tests/fixtures/config.toml`")),
            "{}",
            file.path
        );
    }
}

/// `[features] per_tag`: each tag a feature, on by default and enabling `client`; the models
/// one resource alone uses behind it; shared ones, error bodies and what an untagged operation
/// returns always built.
#[test]
fn a_feature_per_tag_gates_each_resource_and_its_own_models() {
    let generated = generate_fixture("features.yaml").expect("generates");
    let api = &generated.api;
    let features: Vec<&str> = api.features.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(features, ["pets", "stores", "users"]);
    let gated: Vec<(&str, Option<&str>)> = api
        .types_by_name()
        .into_iter()
        .map(|(_, t)| (t.name.as_str(), t.feature.as_deref()))
        .collect();
    assert_eq!(
        gated,
        [
            ("Card", Some("stores")),
            ("Cash", Some("stores")),
            ("Health", None),
            ("Owner", None),
            ("Pet", Some("pets")),
            ("PetToy", Some("pets")),
            ("PetToyKind", Some("pets")),
            ("Problem", None),
            ("Store", Some("stores")),
            ("StorePayment", Some("stores")),
        ]
    );
    let cargo = &generated
        .files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .unwrap()
        .contents;
    assert!(
        cargo.contains("default = [\"client\", \"pets\", \"stores\", \"users\"]\n"),
        "{cargo}"
    );
    for f in features {
        assert!(
            cargo.contains(&format!("\n{f} = [\"client\"]\n")),
            "{cargo}"
        );
    }
}

/// The README's example configuration is a valid one (its TOML block is not compiled as the
/// Rust blocks are, so this keeps it from rotting).
#[test]
fn the_readme_example_configuration_parses() {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).expect("readable");
    let section = readme
        .split("### Configuration (`generator.toml`)")
        .nth(1)
        .expect("the README has a configuration section");
    let block = section
        .split("```toml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a TOML block");
    let config = Config::parse(block, "README.md").unwrap_or_else(|d| panic!("{d}"));
    assert!(config.models.derive_where_possible);
    assert_eq!(config.schemas.len(), 2);
    assert!(!config.select.is_all());
    assert!(config.features.per_tag);
}

/// Selection renumbers the models that remain: the types a multipart form's parts and an event
/// stream's data hold follow (they are operation types like a JSON body's), and a model only an
/// excluded operation's form or stream uses is left out with it.
#[test]
fn selection_keeps_form_and_event_types_right() {
    let spec = std::fs::read_to_string(workspace_root().join("tests/fixtures/bodies.yaml"))
        .expect("readable");
    // Leaving out the notes (whose models come first) renumbers every model after them.
    let config = Config::parse(
        "[select]\nexclude_tags = [\"notes\"]\nexclude_operations = [\"uploadFile\"]\n",
        "generator.toml",
    )
    .expect("valid");
    let settings = generator::Settings {
        config,
        ..fixture_settings("bodies.yaml")
    };
    let generated = generator::generate_from_str(&spec, &settings).expect("generates");
    let api = &generated.api;
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert!(
        !names.contains(&"FileMetadata"),
        "only the left-out upload's form holds it: {names:?}"
    );
    assert!(
        !names.contains(&"NewNote") && !names.contains(&"Note"),
        "{names:?}"
    );
    let stream = api
        .operations()
        .find(|op| op.def.operation_id == "streamEvents")
        .expect("kept");
    match &stream.def.success {
        generator::ir::ResponseBody::Events(Some(t)) => {
            let id = t.named().expect("a model");
            assert_eq!(api.type_def(id).name.as_str(), "Change");
        }
        other => panic!("an event stream of `Change`, got {other:?}"),
    }
    let forms: Vec<&str> = generated
        .files
        .iter()
        .filter(|f| f.path == "src/forms.rs")
        .map(|f| f.contents.as_str())
        .collect();
    assert!(
        forms.len() == 1 && forms[0].contains("pub struct ReplaceFileForm"),
        "the kept form: {forms:?}"
    );
}
