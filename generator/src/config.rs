//! The configuration: what a team changes about the generated crate without changing the spec.
//!
//! Takes: TOML text (`generator.toml` beside the spec, or the file given with `--config`), or a
//! [`Config`] built in code. Gives: a [`Config`], or every problem of the file at once, each
//! with the file, the key and the reason. Reading only checks the file's own shape (unknown
//! keys, wrong types, unknown derives); whether the schemas, operations and tags it names exist
//! is checked against the spec by lowering (`lower::configure`), with the same kind of
//! location, so a run reports the file's problems and the spec's together.
//!
//! ```toml
//! [models]                        # every model
//! derive = ["Eq", "Hash"]
//! derive_where_possible = true    # only where the trait can hold (else: an error per type)
//!
//! [schemas.Item]                 # a component's key, or a JSON pointer
//! rename = "Product"
//! derive = ["Eq"]
//! attributes = ["#[must_use]"]
//! fields = { id = "product_id" }  # wire name = Rust name
//!
//! [operations.createItem]        # an operationId, or "POST /path"
//! rename = "add"
//!
//! [select]                        # which operations to generate
//! tags = ["items"]
//! exclude_operations = ["deleteItem"]
//!
//! [features]
//! per_tag = true                  # a Cargo feature per resource
//!
//! [schemas.Money]
//! replace = { type = "shop_money::Money", implements = ["Eq", "Hash"] }
//!
//! [dependencies]                  # added to the generated crate's Cargo.toml
//! shop-money = { path = "../shop-money" }
//! ```

use crate::diagnostics::Diagnostics;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The file name looked for beside the spec when no `--config` is given.
pub const DEFAULT_FILE_NAME: &str = "generator.toml";

/// What to change about the generated crate. `Config::default()` changes nothing.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where it was read from (`spec/generator.toml`): diagnostics and the generated files'
    /// headers name it. `None` for a configuration built in code.
    #[serde(skip)]
    pub file: Option<String>,
    /// Reject a broken document instead of guessing, as `--strict` does (either one suffices):
    /// for a team that owns its spec, kept with the spec.
    #[serde(default)]
    pub strict: bool,
    /// What applies to every model.
    #[serde(default)]
    pub models: ModelDefaults,
    /// Per schema, by a component schema's key (`Money`) or a JSON pointer to any schema that
    /// is a model (`#/paths/~1items/get/responses/200/content/application~1json/schema`).
    #[serde(default)]
    pub schemas: BTreeMap<String, SchemaConfig>,
    /// Per operation, by operationId or as `"METHOD /path"` (`"POST /items"`).
    #[serde(default)]
    pub operations: BTreeMap<String, OperationConfig>,
    /// Which operations are generated.
    #[serde(default)]
    pub select: Selection,
    /// Cargo features of the generated crate.
    #[serde(default)]
    pub features: Features,
    /// Dependencies added to the generated crate's `Cargo.toml` (for the types that replace
    /// schemas), each written as in a `[dependencies]` table: `shop-money = { path = "..." }`.
    #[serde(default)]
    pub dependencies: BTreeMap<String, toml::Value>,
}

/// Cargo features of the generated crate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Features {
    /// One feature per tag (resource namespace), named as its accessor (`channel_accounts`):
    /// its operations and the models only they use are built only with it. Models several
    /// resources (or webhooks, or untagged operations) use are always built. `default` enables
    /// every one.
    #[serde(default)]
    pub per_tag: bool,
}

/// What applies to every model.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelDefaults {
    /// Traits derived on every struct and union (enums derive all of them already).
    #[serde(default)]
    pub derive: Vec<Derive>,
    /// `true`: [`ModelDefaults::derive`] applies only to the models where the trait can hold;
    /// `false` (the default): a model where it cannot (a float, a `serde_json::Value`) is an
    /// error, with the reason.
    #[serde(default)]
    pub derive_where_possible: bool,
    /// Attributes put on every struct, enum and union (`"#[non_exhaustive]"`).
    #[serde(default)]
    pub attributes: Vec<String>,
}

/// What changes for one model.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaConfig {
    /// The Rust name of its type.
    pub rename: Option<String>,
    /// Traits derived on it, and on every model it holds (they must have them too). Always
    /// checked: one that cannot hold is an error with the reason.
    #[serde(default)]
    pub derive: Vec<Derive>,
    /// Attributes put on it.
    #[serde(default)]
    pub attributes: Vec<String>,
    /// Rust names of fields, by the property's name in the spec.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// An existing Rust type generated in its place: every reference to the schema is that
    /// type (the model is `pub type Name = path;`).
    pub replace: Option<Replacement>,
}

/// An existing Rust type that stands for a schema.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replacement {
    /// Its path, starting with a crate the generated crate depends on (`shop_money::Money`):
    /// one of `[dependencies]`, or `std`, `core`, `alloc`, `serde_json`, `chrono`, `uuid`.
    /// It must implement `Debug`, `Clone`, `PartialEq`, `Serialize` and `Deserialize`, as every
    /// model does.
    #[serde(rename = "type")]
    pub path: String,
    /// Which of the checked derives it implements, so that models holding it may derive them.
    #[serde(default)]
    pub implements: Vec<Derive>,
}

/// What changes for one operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationConfig {
    /// The name of its method on its resource namespace.
    pub rename: Option<String>,
}

/// Which operations are generated. An operation is kept when no `tags`, `operations` or
/// `paths` are listed or it matches one of them, and it matches none of the `exclude_` lists.
/// Models that only left-out operations use are not generated (webhook payloads count as used).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    /// Keep the operations whose first tag (their namespace) is one of these.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Keep these operations (operationId, or `"METHOD /path"`).
    #[serde(default)]
    pub operations: Vec<String>,
    /// Keep the operations under these paths (as written in the spec, `/items/{id}`).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Leave out the operations whose first tag is one of these.
    #[serde(default)]
    pub exclude_tags: Vec<String>,
    /// Leave out these operations.
    #[serde(default)]
    pub exclude_operations: Vec<String>,
    /// Leave out the operations under these paths.
    #[serde(default)]
    pub exclude_paths: Vec<String>,
}

impl Selection {
    /// True when every operation is kept.
    pub fn is_all(&self) -> bool {
        *self == Selection::default()
    }
}

/// A trait the generator can derive on a model, after checking that it can hold there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum Derive {
    /// `Eq`: not with a float.
    Eq,
    /// `Hash`: not with a float.
    Hash,
    /// `PartialOrd`: not with a `serde_json::Value` (which unions keep unknown variants in).
    PartialOrd,
    /// `Ord` (brings `Eq` and `PartialOrd`): neither a float nor a `serde_json::Value`.
    Ord,
}

impl Derive {
    /// The trait's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Derive::Eq => "Eq",
            Derive::Hash => "Hash",
            Derive::PartialOrd => "PartialOrd",
            Derive::Ord => "Ord",
        }
    }

    /// The traits deriving `self` needs derived beside it (`Ord` needs `Eq` and `PartialOrd`),
    /// itself included.
    pub fn with_prerequisites(self) -> &'static [Derive] {
        match self {
            Derive::Eq => &[Derive::Eq],
            Derive::Hash => &[Derive::Hash],
            Derive::PartialOrd => &[Derive::PartialOrd],
            Derive::Ord => &[Derive::Eq, Derive::PartialOrd, Derive::Ord],
        }
    }
}

impl Config {
    /// True when it changes nothing.
    pub fn is_empty(&self) -> bool {
        Config {
            file: None,
            ..self.clone()
        } == Config::default()
    }

    /// How diagnostics and headers name it: its file, or `configuration` when built in code.
    pub fn name(&self) -> &str {
        self.file.as_deref().unwrap_or("configuration")
    }

    /// The location of `key` in it, as a diagnostic's place: `spec/generator.toml: schemas.Foo`.
    pub fn at(&self, key: &str) -> String {
        format!("{}: {key}", self.name())
    }

    /// Reads and parses the configuration file at `path`, named in diagnostics and headers as
    /// `path` is written. A file that cannot be read is an error too, at the file.
    pub fn read(path: &std::path::Path) -> Result<Config, Diagnostics> {
        let name = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text, &name),
            Err(e) => {
                let mut diags = Diagnostics::default();
                diags.error(name, format!("cannot read the configuration: {e}"));
                Err(diags)
            }
        }
    }

    /// Parses TOML text read from `file` (named as given in diagnostics and headers). Every
    /// problem of the file is reported, each with the key it is at: a key the configuration
    /// does not have, a value of the wrong type, an unknown derive.
    pub fn parse(text: &str, file: &str) -> Result<Config, Diagnostics> {
        let mut diags = Diagnostics::default();
        let at = |key: &str| format!("{file}: {key}");
        let table: toml::Table = match toml::from_str(text) {
            Ok(t) => t,
            Err(e) => {
                let place = e
                    .span()
                    .map(|span| {
                        let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                        format!("line {line}")
                    })
                    .unwrap_or_else(|| "syntax".to_owned());
                diags.error(at(&place), format!("not TOML: {}", e.message()));
                return Err(diags);
            }
        };
        if let Ok(mut config) = parse_table(table.clone()) {
            config.file = Some(file.to_owned());
            return Ok(config);
        }
        // Something is wrong: check each key on its own (each key of a section, each key of
        // each entry of `schemas` and `operations`), so that one problem hides no other.
        for (section, value) in table {
            for piece in pieces(&section, value) {
                if let Err((key, message)) = parse_table(piece) {
                    diags.error(at(&key), message);
                }
            }
        }
        if diags.is_empty() {
            diags.internal(
                at("(file)"),
                "the configuration was refused as a whole but no part of it was",
            );
        }
        Err(diags)
    }
}

/// A section of the file cut into tables of one key each, down to the keys of an entry of a
/// keyed section (`{schemas = {Item = {rename = ..}}}`). A value that is not a table stays
/// whole.
fn pieces(section: &str, value: toml::Value) -> Vec<toml::Table> {
    let one = |key: String, value: toml::Value| {
        let mut t = toml::Table::new();
        t.insert(key, value);
        t
    };
    let keyed = matches!(section, "schemas" | "operations");
    if section == "dependencies" {
        // Any TOML is a dependency's value: no piece of it can be wrong on its own.
        return vec![one(section.to_owned(), value)];
    }
    match value {
        toml::Value::Table(entries) => entries
            .into_iter()
            .flat_map(|(key, value)| match value {
                toml::Value::Table(inner) if keyed && !inner.is_empty() => inner
                    .into_iter()
                    .map(|(k, v)| one(key.clone(), toml::Value::Table(one(k, v))))
                    .collect::<Vec<_>>(),
                value => vec![one(key, value)],
            })
            .map(|t| one(section.to_owned(), toml::Value::Table(t)))
            .collect(),
        value => vec![one(section.to_owned(), value)],
    }
}

/// Deserialises a table, giving on failure the dotted key where it failed and why.
fn parse_table(table: toml::Table) -> Result<Config, (String, String)> {
    let deserializer = toml::Value::Table(table);
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let key = e.path().to_string();
        let key = if key == "." {
            "(top level)".to_owned()
        } else {
            key
        };
        // toml's messages can span lines: keep the first.
        let message = e.inner().to_string();
        let message = message.lines().next().unwrap_or_default().to_owned();
        (key, message)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_changes_nothing() {
        let config = Config::parse("", "g.toml").unwrap();
        assert!(config.is_empty());
        assert_eq!(config.file.as_deref(), Some("g.toml"));
    }

    #[test]
    fn every_problem_is_reported_with_its_key() {
        let text = r#"
            colour = "red"
            [models]
            derive = ["Eq", "Default"]
            [schemas.A]
            renamed = "B"
            [schemas.C]
            rename = 3
            [operations.x]
            rename = "y"
            tags = []
        "#;
        let diags = Config::parse(text, "g.toml").unwrap_err().to_string();
        assert!(diags.contains("g.toml: colour"), "{diags}");
        assert!(diags.contains("g.toml: models.derive[1]"), "{diags}");
        assert!(diags.contains("unknown variant `Default`"), "{diags}");
        assert!(diags.contains("g.toml: schemas.A"), "{diags}");
        assert!(diags.contains("unknown field `renamed`"), "{diags}");
        assert!(diags.contains("g.toml: schemas.C.rename"), "{diags}");
        assert!(diags.contains("g.toml: operations.x"), "{diags}");
        assert_eq!(diags.lines().count(), 5, "{diags}");
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let diags = Config::parse("[models]\nderive = [\n", "g.toml")
            .unwrap_err()
            .to_string();
        assert!(diags.starts_with("error: g.toml: line "), "{diags}");
    }
}
