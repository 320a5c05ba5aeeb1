//! What to generate: the generated crate's name, the command quoted in its headers, where
//! its runtime comes from, whether a broken document is rejected (`strict`), and the
//! configuration ([`Config`]) that changes the output.

use crate::config::Config;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Cargo package name of the generated crate.
    pub crate_name: String,
    /// The command that regenerates the output, quoted in every file's header.
    pub regenerate_command: String,
    /// Where the crate's runtime comes from.
    pub runtime: Runtime,
    /// Whether `cargo test` compiles the crate's doc examples (the guide's and each
    /// operation's). Off by default: a workspace holding many generated crates need not run
    /// rustdoc on each; the crate in `generated/` has them on.
    pub doctests: bool,
    /// What the output held from the last generation (read by [`crate::write::read_previous`]):
    /// the crate's version and `CHANGELOG.md` follow from what changed since. `None` for a
    /// first generation: version 0.1.0.
    pub previous: Option<Previous>,
    /// Reject a broken document instead of guessing: every [`Category::BrokenDocument`]
    /// warning (a `$ref` to nothing, or to the wrong kind of object) becomes an error. Off by
    /// default: a vendor's broken document still gives a client, with the guesses warned about.
    ///
    /// [`Category::BrokenDocument`]: crate::Category::BrokenDocument
    pub strict: bool,
    /// What the team changes about the output: derives, renames, which operations
    /// (`generator.toml`, see [`crate::config`]). `Config::default()` changes nothing.
    pub config: Config,
}

/// A generated crate as the last generation left it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Previous {
    /// Its version (`Cargo.toml`).
    pub version: String,
    /// Its API surface record (`api-surface.tsv`, see [`crate::surface::to_record`]).
    pub surface: String,
    /// Its changelog (`CHANGELOG.md`), without the do-not-edit header.
    pub changelog: String,
}

impl Settings {
    /// Settings for a self-contained crate (the runtime copied in).
    pub fn new(crate_name: impl Into<String>, regenerate_command: impl Into<String>) -> Self {
        Settings {
            crate_name: crate_name.into(),
            regenerate_command: regenerate_command.into(),
            runtime: Runtime::Vendored,
            doctests: false,
            previous: None,
            strict: false,
            config: Config::default(),
        }
    }
}

/// Where a generated crate's runtime (the `runtime` module) comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runtime {
    /// Copied into the crate as `src/runtime/`: the crate stands on its own. The default.
    Vendored,
    /// Compiled from the runtime's source elsewhere in the same repository, through
    /// `#[path = "..."] pub mod runtime;`, instead of a copy. `mod_rs` is the path of the
    /// runtime's `mod.rs` relative to the crate's `src/` directory, with `/` separators.
    Shared {
        /// `../../runtime/src/mod.rs`, say.
        mod_rs: String,
    },
}
