//! Every public item of a generated crate has a doc: the checked-in crates are walked with
//! `tests::missing_docs` (the corpus test walks its crates, and variants of its documents with
//! the prose removed or blank), and the walk itself is shown to find what it looks for.

use generator::GeneratedFile;
use tests::missing_docs::{Report, check_dir, check_files, with_blank_prose, without_prose};
use tests::workspace_root;

/// `generated/` and every fixture crate under `tests/fixture-crates/`.
#[test]
fn checked_in_crates_document_every_public_item() {
    let root = workspace_root();
    let mut dirs = vec![root.join("generated")];
    let mut fixtures: Vec<_> = std::fs::read_dir(root.join("tests/fixture-crates"))
        .expect("tests/fixture-crates is readable")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 10, "fixture crates: {fixtures:?}");
    dirs.extend(fixtures);
    for dir in dirs {
        let report = check_dir(&dir);
        assert!(
            report.undocumented.is_empty(),
            "{}: public items without a doc:\n{}",
            dir.display(),
            report.undocumented.join("\n")
        );
        // Models, fields, methods and the runtime: hundreds of items in each.
        assert!(report.checked > 100, "{}: {report:?}", dir.display());
    }
}

fn file(path: &str, contents: &str) -> GeneratedFile {
    GeneratedFile {
        path: path.to_owned(),
        contents: contents.to_owned(),
    }
}

/// Each kind of public item the walk looks at, undocumented, is found; documented, or not
/// public, or hidden, it is not.
#[test]
fn the_walk_finds_every_kind_of_undocumented_public_item() {
    let lib = r#"
//! A crate.
pub mod models;
mod private;
/// Documented.
pub mod inline {
    pub fn bare() {}
    /// Documented.
    pub fn fine() {}
}
#[doc(hidden)]
pub mod hidden {
    pub fn skipped() {}
}
pub const LIMIT: u32 = 1;
pub static NAME: &str = "n";
pub type Alias = u8;
/// Documented.
pub trait Tr {
    fn required(&self);
    /// Documented.
    fn fine(&self);
}
/// Documented.
pub union U { pub a: u8, b: u8 }
"#;
    let models = r#"
//! Models.
/// Documented.
pub struct Pet {
    pub name: String,
    /// Documented.
    pub age: u8,
    private: u8,
    pub(crate) internal: u8,
}
/// Documented.
pub struct Tuple(pub u8);
/// Documented.
pub enum Kind {
    Dog,
    /// Documented.
    Cat { lives: u8 },
    #[doc(hidden)]
    Hidden,
}
pub enum Undocumented {}
impl Pet {
    pub fn with_name(self) -> Self { self }
    /// Documented.
    pub fn fine(self) -> Self { self }
    fn private(self) {}
    pub const MAX: u8 = 9;
}
impl Clone for Pet {
    fn clone(&self) -> Self { todo!() }
}
pub struct Unit;
fn private() {}
"#;
    let private = "pub fn in_a_private_module() {}\n";
    let report = check_files(&[
        file("src/lib.rs", lib),
        file("src/models.rs", models),
        file("src/private.rs", private),
    ]);
    assert_eq!(
        report.undocumented,
        [
            "src/models.rs: field `Pet.name` has no doc",
            "src/models.rs: variant `Kind::Dog` has no doc",
            "src/models.rs: field `Kind::Cat.lives` has no doc",
            "src/models.rs: enum `Undocumented` has no doc",
            "src/models.rs: method or item `Pet::with_name` has no doc",
            "src/models.rs: method or item `Pet::MAX` has no doc",
            "src/models.rs: struct `Unit` has no doc",
            "src/private.rs: function `in_a_private_module` has no doc",
            "src/lib.rs: function `bare` has no doc",
            "src/lib.rs: constant `LIMIT` has no doc",
            "src/lib.rs: static `NAME` has no doc",
            "src/lib.rs: type alias `Alias` has no doc",
            "src/lib.rs: trait item `Tr::required` has no doc",
            "src/lib.rs: field `U.a` has no doc",
        ]
    );
    // A module's doc is its file's `//!` lines or a doc on its `mod` line: with neither, it
    // has none.
    let undocumented_file = models.replacen("//! Models.\n", "", 1);
    let module = |declaration: &str| {
        check_files(&[
            file("src/lib.rs", &format!("//! A crate.\n{declaration}\n")),
            file("src/models.rs", &undocumented_file),
        ])
        .undocumented
        .into_iter()
        .filter(|u| u.contains("module"))
        .collect::<Vec<_>>()
    };
    assert_eq!(
        module("pub mod models;"),
        ["src/models.rs: module `models` has no doc"]
    );
    assert_eq!(
        module("/// Documented here.\npub mod models;"),
        Vec::<String>::new()
    );
    let clean = check_files(&[file("src/lib.rs", "//! A crate.\n/// A.\npub fn a() {}\n")]);
    assert_eq!(
        clean,
        Report {
            checked: 2,
            undocumented: vec![]
        }
    );
    // A crate without its root, or with a module whose file is missing, is not clean.
    let missing = check_files(&[file(
        "src/lib.rs",
        "//! A crate.\n/// Gone.\npub mod gone;\n",
    )]);
    assert_eq!(
        missing.undocumented,
        ["src/gone/mod.rs: cannot read this file of module `gone`"]
    );
}

/// A generated crate whose spec has no prose at all, or only blank prose, still documents every
/// public item: the fallbacks name each item's place. The spec has the shapes that real
/// documents leave undocumented: a bare `$ref` property, a tag declared without a description
/// and one not declared, an enum, a union, an optional field (a builder method) and a required
/// one.
#[test]
fn a_spec_without_prose_generates_a_documented_crate() {
    let spec = r#"
openapi: 3.0.3
info: {title: Bare, version: '1'}
servers: [{url: 'https://api.example.test'}]
tags: [{name: pets, description: Pets for sale.}]
paths:
  /pets:
    get:
      operationId: listPets
      summary: List pets.
      tags: [pets]
      parameters:
        - {name: limit, in: query, description: At most this many., schema: {type: integer}}
      responses:
        '200':
          description: ''
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
  /owners:
    get:
      operationId: listOwners
      tags: [owners]
      responses:
        '200':
          description: ''
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Owner'}
components:
  schemas:
    Owner:
      type: object
      description: Someone who owns a pet.
      required: [pet]
      properties:
        pet: {$ref: '#/components/schemas/Pet'}
        kind: {$ref: '#/components/schemas/Kind'}
        either: {oneOf: [{$ref: '#/components/schemas/Pet'}, {type: string}], description: Either.}
    Pet:
      type: object
      title: Pet
      description: A pet.
      properties:
        name: {type: string, description: Its name., title: Name}
    Kind: {type: string, enum: [dog, cat], description: A kind.}
"#;
    let original: serde_json::Value = serde_yaml::from_str(spec).expect("the spec parses");
    for blank in [false, true] {
        let mut doc = original.clone();
        if blank {
            with_blank_prose(&mut doc);
        } else {
            without_prose(&mut doc);
        }
        let text = serde_json::to_string(&doc).expect("serialises");
        let generated = generator::generate_from_str(
            &text,
            &generator::Settings::new("bare", "cargo run -p generator"),
        )
        .unwrap_or_else(|d| panic!("generates:\n{d}"));
        let report = check_files(&generated.files);
        assert_eq!(report.undocumented, Vec::<String>::new(), "blank: {blank}");
        let client = &generated
            .files
            .iter()
            .find(|f| f.path == "src/client.rs")
            .expect("a client")
            .contents;
        assert!(client.contains("/// Operations tagged `pets`."), "{client}");
        assert!(
            client.contains("/// Operations tagged `owners`."),
            "{client}"
        );
        let models = &generated
            .files
            .iter()
            .find(|f| f.path == "src/models.rs")
            .expect("models")
            .contents;
        assert!(
            models.contains("/// The `pet` field of [`Owner`]."),
            "{models}"
        );
    }
}

/// A bare `$ref` property borrows the first paragraph of the referenced schema's description;
/// a description beside the `$ref` wins; a title does not count.
#[test]
fn a_bare_ref_property_borrows_the_referenced_schema_description() {
    let spec = r#"
openapi: 3.0.3
info: {title: Refs, version: '1'}
paths: {}
components:
  schemas:
    Owner:
      type: object
      properties:
        pet: {$ref: '#/components/schemas/Pet'}
        named: {$ref: '#/components/schemas/Titled'}
        own:
          description: The pet this owner likes best.
          allOf: [{$ref: '#/components/schemas/Pet'}]
    Pet:
      type: object
      description: "A pet in the store.\n\nPets are kept until sold; see the store's rules."
      properties:
        name: {type: string}
    Titled: {type: object, title: A titled thing, properties: {a: {type: string}}}
"#;
    let generated = generator::generate_from_str(
        spec,
        &generator::Settings::new("refs", "cargo run -p generator"),
    )
    .unwrap_or_else(|d| panic!("generates:\n{d}"));
    let owner = generated
        .api
        .types
        .iter()
        .find(|t| t.name.as_str() == "Owner")
        .expect("Owner");
    let generator::ir::TypeKind::Struct(s) = &owner.kind else {
        panic!("a struct: {owner:?}");
    };
    let doc = |wire: &str| {
        s.fields
            .iter()
            .find(|f| f.wire == wire)
            .and_then(|f| f.doc.clone())
    };
    assert_eq!(doc("pet").as_deref(), Some("A pet in the store."));
    // A title is not a description: the emitter's fallback names the field.
    assert_eq!(doc("named"), None);
    assert_eq!(
        doc("own").as_deref(),
        Some("The pet this owner likes best.")
    );
}

/// Every fixture spec and `spec/` (webhooks, API versions, security schemes, unions, enums and
/// the rest), with its prose removed and blank, still generates a documented crate.
#[test]
fn fixtures_without_prose_generate_documented_crates() {
    let root = workspace_root();
    let mut specs: Vec<_> = std::fs::read_dir(root.join("tests/fixtures"))
        .expect("tests/fixtures is readable")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    specs.push(tests::spec_path());
    let mut checked = 0;
    for spec in &specs {
        let text = std::fs::read_to_string(spec).expect("readable");
        let original = generator::load::parse_value(&text).expect("JSON or YAML");
        type Transform = fn(&mut serde_json::Value);
        let variants: [(&str, Transform); 2] = [
            ("without prose", without_prose),
            ("with blank prose", with_blank_prose),
        ];
        for (what, transform) in variants {
            let mut doc = original.clone();
            transform(&mut doc);
            let generated = generator::generate_from_str(
                &serde_json::to_string(&doc).expect("serialises"),
                &generator::Settings::new("variant", "cargo run -p generator"),
            )
            .unwrap_or_else(|d| panic!("{} ({what}) generates:\n{d}", spec.display()));
            let report = check_files(&generated.files);
            assert_eq!(
                report.undocumented,
                Vec::<String>::new(),
                "{} ({what})",
                spec.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 2 * 12, "{checked} crates walked");
}
