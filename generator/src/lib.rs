//! Generates a Rust client crate from an OpenAPI 3.0 or 3.1 document.
//!
//! The pipeline, one module a stage; only the first and the last touch the disk:
//!
//! 1. [`load`]: read and parse (JSON or YAML) into `openapiv3` types (a 3.1 document rewritten
//!    into the 3.0 shape first).
//! 2. [`resolve`]: follow `$ref`s, with the JSON pointer of everything found.
//! 3. [`lower`]: build the [`ir`], which holds no `openapiv3` types; every check happens here.
//! 4. [`emit`]: turn the IR into `TokenStream`s with `quote!`.
//! 5. [`render`]: pretty-print with `syn` and `prettyplease`, and add the do-not-edit header.
//! 6. [`write`](mod@write): write the files, or compare them in `--check` mode.
//!
//! # From an `xtask` or a `build.rs`
//!
//! [`generate_files`] is what `cargo run -p generator -- --spec .. --config ..` does, as a
//! function: it reads a spec and a configuration ([`Config`], `generator.toml`) and gives every
//! file of the crate in memory, with the same diagnostics as the binary (every problem of the
//! spec and of the configuration, each with its place); [`write::write`] puts them in a
//! directory (rewriting only what changed, removing leftover generated files) and
//! [`write::check`] compares instead, as `--check` does:
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = std::env::temp_dir().join(format!("generator-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir)?;
//! # std::fs::write(dir.join("pets.yaml"), "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        '200':\n          description: Pets.\n          content:\n            application/json:\n              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}\ncomponents:\n  schemas:\n    Pet: {type: object, properties: {name: {type: string}}}\n")?;
//! # std::fs::write(dir.join("generator.toml"), "[schemas.Pet]\nrename = \"Animal\"\n")?;
//! # let (spec, config, out) = (dir.join("pets.yaml"), dir.join("generator.toml"), dir.join("pets-client"));
//! use generator::{Settings, generate_files, write};
//!
//! // In xtask/src/main.rs: regenerate the client crate of `spec` into `out`.
//! let settings = Settings {
//!     previous: write::read_previous(&out), // version and changelog follow the API's changes
//!     ..Settings::new("pets-client", "cargo xtask codegen")
//! };
//! let generated = match generate_files(&spec, Some(&config), settings) {
//!     Ok(generated) => generated,
//!     Err(diagnostics) => {
//!         // `error: generator.toml: schemas.Pet.rename: ...`, `error: #/paths/...: ...`
//!         eprint!("{diagnostics}");
//!         std::process::exit(1);
//!     }
//! };
//! for warning in generated.warnings.warnings() {
//!     eprintln!("{warning}");
//! }
//! write::write(&out, &generated.files)?;
//! assert!(write::check(&out, &generated.files)?.is_empty()); // what `--check` does
//! assert!(std::fs::read_to_string(out.join("src/models.rs"))?.contains("pub struct Animal"));
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(())
//! # }
//! ```
//!
//! A generated crate is a crate (its own `Cargo.toml`), so it is regenerated into its place in
//! a workspace by an `xtask` (or a test, as this repository's `generated/` is checked), rather
//! than into a `build.rs`'s `OUT_DIR`; a `build.rs` that wants it anyway calls the same
//! function. Nothing but [`generate_files`]'s reading and [`write`](mod@write) touches the disk.
//!
//! [`generate`] runs stages 2 to 5 on a parsed document and returns the files in memory;
//! [`generate_each`] hands each file over as soon as it is ready (the binary writes it then);
//! [`naming`] makes every identifier, [`diagnostics`] collects what goes wrong where, and
//! [`settings`] says what to generate. Beside the pipeline, [`surface`] lists a crate's public
//! API from the IR, one line per item, for review, and [`diff`] says what changed between two
//! versions of it, breaking or additive.

pub mod config;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod render;
pub mod resolve;
pub mod runtime_source;
pub mod settings;
pub mod surface;
pub mod write;

pub use config::Config;
pub use diagnostics::{Category, Diagnostic, Diagnostics, Severity};
pub use render::GeneratedFile;
pub use settings::{Previous, Runtime, Settings};

/// The result of a successful generation.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Every file of the crate, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// Warnings, with their pointers.
    pub warnings: Diagnostics,
    /// The IR the files were made from.
    pub api: ir::Api,
}

/// Generates a crate from spec text. Pure: reads and writes nothing.
pub fn generate_from_str(spec: &str, settings: &Settings) -> Result<Generated, Diagnostics> {
    let doc = load::parse(spec)?;
    generate(&doc, settings)
}

/// Generates a crate from a spec file (JSON or YAML) and, when given, a configuration file
/// (`generator.toml`, which then replaces `settings.config`), as the binary does: the files in
/// memory, or every problem of both files at once (the configuration's named by its path and
/// key, the spec's by JSON pointer). Reads the two files and writes nothing; see the crate
/// documentation for an `xtask`.
pub fn generate_files(
    spec: &std::path::Path,
    config: Option<&std::path::Path>,
    mut settings: Settings,
) -> Result<Generated, Diagnostics> {
    let text = load::read_spec(spec)?;
    if let Some(path) = config {
        settings.config = Config::read(path)?;
    }
    generate_from_str(&text, &settings)
}

/// Lowers a document, with every pointer (of diagnostics and of the IR) pointing into the
/// user's document, and the warnings of loading it added. In strict mode a broken document's
/// warnings are errors ([`Diagnostics::strict`]).
fn lower_for_user(
    doc: &load::Document,
    settings: &Settings,
) -> Result<(ir::Api, Diagnostics), Diagnostics> {
    let strict = settings.strict || settings.config.strict;
    let strictly = |d: Diagnostics| if strict { d.strict() } else { d };
    match lower::lower(doc, &settings.config) {
        Ok((mut api, warnings)) => {
            doc.origins.map_api(&mut api);
            let mut warnings = doc.user_diagnostics(warnings);
            warnings.extend(doc.warnings.clone());
            let warnings = strictly(warnings);
            if warnings.has_errors() {
                return Err(warnings);
            }
            Ok((api, warnings))
        }
        Err(errors) => {
            let mut errors = doc.user_diagnostics(errors);
            errors.extend(doc.warnings.clone());
            Err(strictly(errors))
        }
    }
}

/// Generates a crate from a parsed document. Pure: reads and writes nothing.
pub fn generate(doc: &load::Document, settings: &Settings) -> Result<Generated, Diagnostics> {
    let (api, warnings) = lower_for_user(doc, settings)?;
    let files = emit::emit_crate(&api, settings);
    let files = render::render_all(files, settings)?;
    Ok(Generated {
        files,
        warnings,
        api,
    })
}

/// Like [`generate`], but hands each file to `sink` as soon as it is rendered instead of
/// holding them all, and gives the warnings. Files come in the emitter's order, not sorted.
/// On an internal error (a file that does not render) some files may already have been
/// handed over; the caller decides what to do with them (the binary stages its writes and
/// commits them only when generation succeeds).
pub fn generate_each(
    doc: &load::Document,
    settings: &Settings,
    sink: impl FnMut(GeneratedFile),
) -> Result<Diagnostics, Diagnostics> {
    let (api, warnings) = lower_for_user(doc, settings)?;
    let files = emit::emit_crate(&api, settings);
    render::render_each(files, settings, sink)?;
    Ok(warnings)
}
