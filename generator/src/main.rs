//! `cargo run -p generator` regenerates `generated/` from `spec/`; `--check` only compares;
//! `--spec FILE --out DIR` generates a crate for any spec; `diff --base OLD` (or `--base-rev
//! REV`) reports in Markdown what a spec change does to the generated crate's users.
//!
//! Exit status: 0 on success; 1 when the spec is rejected (every error printed with its JSON
//! pointer) or, with `--check`, when the output is stale; 3 on an internal error (a generator
//! bug, printed as `internal error: ...`); 2 for a bad command line (clap's); 4 when `diff`
//! finds a breaking change.

use clap::{Parser, Subcommand};
use generator::{Config, Settings, load, write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Generates a Rust client crate from an OpenAPI 3.0 or 3.1 document.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Cli {
    /// The spec (JSON or YAML). Default: the workspace's `spec/hubspot-custom-channels.yaml`.
    #[arg(long)]
    spec: Option<PathBuf>,
    /// The crate directory to write. Default: the workspace's `generated/`.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Cargo package name. Default: the spec file's name without extension.
    #[arg(long)]
    name: Option<String>,
    /// Write nothing; exit with status 1 and list every stale, missing or leftover file.
    #[arg(long)]
    check: bool,
    /// Compile the runtime from this directory (the runtime's `src/`, holding `mod.rs`) through
    /// a `#[path]` attribute instead of copying it into the crate. For crates kept in the same
    /// repository as the runtime (this workspace's test fixtures); a crate made this way does not
    /// stand on its own.
    #[arg(long, value_name = "DIR")]
    shared_runtime: Option<PathBuf>,
    /// Let `cargo test` compile the crate's doc examples (the guide's and each operation's), as
    /// the default crate (`generated/`) does.
    #[arg(long)]
    doctests: bool,
    /// Reject a broken document instead of guessing: a `$ref` to nothing, or to the wrong kind
    /// of object, is an error rather than a warning (see the README on broken documents).
    #[arg(long)]
    strict: bool,
    /// The configuration (TOML): derives, renames, which operations. Default: `generator.toml`
    /// beside the spec, when there is one.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Reports, in Markdown, every change a spec change makes to the generated crate's public
    /// API, each marked breaking or additive with the reason, and the version bump it calls
    /// for. Exits with 4 when something breaks, 0 otherwise.
    Diff {
        /// The spec before the change.
        #[arg(
            long,
            conflicts_with = "base_rev",
            required_unless_present = "base_rev"
        )]
        base: Option<PathBuf>,
        /// Take the spec before the change from git, at this revision (`origin/main`, say).
        #[arg(long, value_name = "REV")]
        base_rev: Option<String>,
        /// The spec after the change. Default: the workspace's `spec/hubspot-custom-channels.yaml`.
        #[arg(long)]
        spec: Option<PathBuf>,
    },
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `p` as an absolute path with `.` and `..` resolved, without touching the disk (the output
/// may not exist yet).
fn absolute(p: &Path) -> PathBuf {
    let absolute = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let mut clean = PathBuf::new();
    for c in absolute.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    clean
}

/// The path of `to` relative to the directory `from`, with `/` separators.
fn relative(from: &Path, to: &Path) -> String {
    let (from, to) = (absolute(from), absolute(to));
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// A path as the header quotes it: relative to the current directory when it lies below it,
/// absolute otherwise, so that `x.yaml`, `./x.yaml` and `/abs/x.yaml` give the same bytes.
fn command_path(p: &Path) -> String {
    let clean = absolute(p);
    match std::env::current_dir() {
        Ok(cwd) => match clean.strip_prefix(&cwd) {
            Ok(rel) => rel.display().to_string(),
            Err(_) => clean.display().to_string(),
        },
        Err(_) => clean.display().to_string(),
    }
}

/// Exit status when the spec is rejected, or (with `--check`) the output is stale.
const EXIT_FAILURE: u8 = 1;
/// Exit status of an internal error: a bug in the generator, not a problem of the spec.
const EXIT_INTERNAL: u8 = 3;

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    match cli.command.take() {
        Some(Command::Diff {
            base,
            base_rev,
            spec,
        }) => diff(base, base_rev, spec),
        None => match Job::from_cli(cli) {
            Ok(job) => job.run(),
            Err(code) => code,
        },
    }
}

/// Exit status of `diff` when a change breaks users.
const EXIT_BREAKING: u8 = 4;

/// `generator diff`: lowers both specs and prints the report.
fn diff(base: Option<PathBuf>, base_rev: Option<String>, spec: Option<PathBuf>) -> ExitCode {
    let spec = spec.unwrap_or_else(|| workspace_root().join("spec/hubspot-custom-channels.yaml"));
    let new_text = match load::read_spec(&spec) {
        Ok(t) => t,
        Err(d) => {
            eprint!("{d}");
            return ExitCode::from(EXIT_FAILURE);
        }
    };
    let old = match (&base, &base_rev) {
        (Some(path), _) => load::read_spec(path)
            .map(|t| (t, path.display().to_string()))
            .map_err(|d| d.to_string()),
        (None, Some(rev)) => {
            spec_at_revision(&spec, rev).map(|t| (t, format!("{} at {rev}", spec.display())))
        }
        (None, None) => {
            Err("give the spec before the change: --base FILE or --base-rev REV".into())
        }
    };
    let (old_text, old_name) = match old {
        Ok(old) => old,
        Err(e) => {
            eprintln!("{}", e.trim_end());
            return ExitCode::from(EXIT_FAILURE);
        }
    };
    // Each side with its own configuration (`generator.toml` beside its spec, or at the
    // revision), so that the report shows what the change of spec and configuration together
    // does to users (a new rename is a change too).
    let new_config = match read_config(None, &spec, false) {
        Ok(config) => config,
        Err(code) => return code,
    };
    let old_config = match (&base, &base_rev) {
        (Some(path), _) => read_config(None, path, false),
        (None, Some(rev)) => {
            let beside = spec
                .parent()
                .unwrap_or(Path::new("."))
                .join(generator::config::DEFAULT_FILE_NAME);
            // Absent at that revision (git cannot show it): no configuration then.
            match spec_at_revision(&beside, rev) {
                Ok(text) => {
                    let name = format!("{} at {rev}", command_path(&beside));
                    Config::parse(&text, &name).map_err(|diags| {
                        eprint!("{diags}");
                        ExitCode::from(EXIT_FAILURE)
                    })
                }
                Err(_) => Ok(Config::default()),
            }
        }
        (None, None) => Ok(Config::default()),
    };
    let old_config = match old_config {
        Ok(config) => config,
        Err(code) => return code,
    };
    let settings_with = |config: Config| Settings {
        config,
        ..Settings::new("diff", "generator diff")
    };
    let (old_settings, settings) = (settings_with(old_config), settings_with(new_config));
    let lowered = |text: &str, name: &str, settings: &Settings| match generator::generate_from_str(
        text, settings,
    ) {
        Ok(generated) => Ok(generated.api),
        Err(diags) => {
            eprint!("{diags}");
            eprintln!("{name}: {} error(s)", diags.errors().len());
            Err(ExitCode::from(if diags.has_internal_errors() {
                EXIT_INTERNAL
            } else {
                EXIT_FAILURE
            }))
        }
    };
    let old = match lowered(&old_text, &old_name, &old_settings) {
        Ok(api) => api,
        Err(code) => return code,
    };
    let new = match lowered(&new_text, &spec.display().to_string(), &settings) {
        Ok(api) => api,
        Err(code) => return code,
    };
    let report = generator::diff::diff(&old, &new);
    print!("{}", report.markdown());
    if report.is_breaking() {
        ExitCode::from(EXIT_BREAKING)
    } else {
        ExitCode::SUCCESS
    }
}

/// A file (the spec, or the configuration beside it) as it was at a git revision.
fn spec_at_revision(spec: &Path, rev: &str) -> Result<String, String> {
    let dir = spec
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file = spec
        .file_name()
        .ok_or_else(|| format!("{} is not a file", spec.display()))?;
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .arg("show")
        .arg(format!("{rev}:./{}", file.to_string_lossy()))
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "git cannot show {} at {rev}: {}",
            spec.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| format!("{} at {rev} is not UTF-8", spec.display()))
}

/// The configuration: the file given, or `generator.toml` beside the spec when there is one, or
/// none (`spec/generator.toml` for `generated/`). A file that cannot be read or is not a valid configuration is reported (every problem)
/// and gives exit status 1.
fn read_config(given: Option<&Path>, spec: &Path, default_mode: bool) -> Result<Config, ExitCode> {
    let path = match given {
        Some(path) => path.to_path_buf(),
        None => {
            let beside = spec
                .parent()
                .unwrap_or(Path::new("."))
                .join(generator::config::DEFAULT_FILE_NAME);
            if !beside.is_file() {
                return Ok(Config::default());
            }
            beside
        }
    };
    // Named as the headers quote it: from the workspace root for `generated/` (whatever the
    // directory the command runs in), else as the other paths of the command.
    let name = if default_mode {
        relative(&workspace_root(), &path)
    } else {
        command_path(&path)
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        eprintln!("error: {name}: cannot read the configuration: {e}");
        ExitCode::from(EXIT_FAILURE)
    })?;
    Config::parse(&text, &name).map_err(|diags| {
        eprint!("{diags}");
        eprintln!(
            "{name}: {} error(s); nothing was written",
            diags.errors().len()
        );
        ExitCode::from(EXIT_FAILURE)
    })
}

/// One run of the binary: what to read, where to write, how.
struct Job {
    spec: PathBuf,
    out: PathBuf,
    settings: Settings,
    check: bool,
}

impl Job {
    fn from_cli(cli: Cli) -> Result<Job, ExitCode> {
        let root = workspace_root();
        let spec = cli
            .spec
            .clone()
            .unwrap_or_else(|| root.join("spec/hubspot-custom-channels.yaml"));
        let out = cli.out.clone().unwrap_or_else(|| root.join("generated"));
        let crate_name = cli.name.clone().unwrap_or_else(|| crate_name_for(&spec));
        let runtime = match &cli.shared_runtime {
            None => generator::Runtime::Vendored,
            Some(dir) => generator::Runtime::Shared {
                mod_rs: relative(&out.join("src"), &dir.join("mod.rs")),
            },
        };
        let config = read_config(cli.config.as_deref(), &spec, is_default_mode(&cli))?;
        let settings = Settings {
            crate_name,
            regenerate_command: regenerate_command(&cli),
            runtime,
            doctests: cli.doctests || is_default_mode(&cli),
            previous: write::read_previous(&out),
            strict: cli.strict,
            config,
        };
        Ok(Job {
            spec,
            out,
            settings,
            check: cli.check,
        })
    }

    fn run(&self) -> ExitCode {
        let text = match load::read_spec(&self.spec) {
            Ok(t) => t,
            Err(d) => {
                eprint!("{d}");
                return ExitCode::from(EXIT_FAILURE);
            }
        };
        let doc = match load::parse(&text) {
            Ok(doc) => doc,
            Err(diags) => return self.rejected(&diags),
        };
        drop(text);
        if self.check {
            self.check(&doc)
        } else {
            self.write(&doc)
        }
    }

    /// Generates, handing every file to `add` as soon as it is rendered. Gives the warnings, or
    /// the exit status when generation fails (after printing why) or `add` fails (the first
    /// I/O error, with `what` saying what was being done).
    fn generate(
        &self,
        doc: &load::Document,
        what: &str,
        mut add: impl FnMut(&generator::GeneratedFile) -> std::io::Result<()>,
    ) -> Result<(), ExitCode> {
        let mut failed: Option<std::io::Error> = None;
        let generated = generator::generate_each(doc, &self.settings, |file| {
            if failed.is_none() {
                failed = add(&file).err();
            }
        });
        let warnings = match generated {
            Ok(warnings) => warnings,
            Err(diags) => return Err(self.rejected(&diags)),
        };
        for w in warnings.warnings() {
            eprintln!("{w}");
        }
        match failed {
            None => Ok(()),
            Some(e) => {
                eprintln!("cannot {what} {}: {e}", self.out.display());
                Err(ExitCode::from(EXIT_FAILURE))
            }
        }
    }

    /// Prints why the spec was rejected (or the generator failed) and gives the exit status.
    fn rejected(&self, diags: &generator::Diagnostics) -> ExitCode {
        eprint!("{diags}");
        let n = diags.errors().len();
        eprintln!("{}: {n} error(s); nothing was written", self.spec.display());
        ExitCode::from(if diags.has_internal_errors() {
            EXIT_INTERNAL
        } else {
            EXIT_FAILURE
        })
    }

    fn check(&self, doc: &load::Document) -> ExitCode {
        let mut checker = write::Checker::new(&self.out);
        if let Err(code) = self.generate(doc, "read", |file| checker.add(file)) {
            return code;
        }
        let out = self.out.display();
        match checker.finish() {
            Ok(stale) if stale.is_empty() => {
                eprintln!("{out} is up to date with {}", self.spec.display());
                ExitCode::SUCCESS
            }
            Ok(stale) => {
                for s in &stale {
                    eprintln!("stale: {out}/{s}");
                }
                eprintln!(
                    "{} file(s) in {out} do not match {}; run `{}`",
                    stale.len(),
                    self.spec.display(),
                    self.settings.regenerate_command
                );
                ExitCode::from(EXIT_FAILURE)
            }
            Err(e) => {
                eprintln!("cannot read {out}: {e}");
                ExitCode::from(EXIT_FAILURE)
            }
        }
    }

    fn write(&self, doc: &load::Document) -> ExitCode {
        let mut writer = write::Writer::new(&self.out);
        if let Err(code) = self.generate(doc, "write", |file| writer.add(file)) {
            return code;
        }
        let out = self.out.display();
        match writer.commit() {
            Ok(report) => {
                eprintln!(
                    "{out}: {} file(s) written, {} unchanged, {} leftover removed",
                    report.written.len(),
                    report.unchanged.len(),
                    report.removed.len()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("cannot write {out}: {e}");
                ExitCode::from(EXIT_FAILURE)
            }
        }
    }
}

/// A Cargo package name from the spec file's name: lower case, other characters as `-`, and an
/// `api-` prefix when it would be empty or start with a digit.
fn crate_name_for(spec: &Path) -> String {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let cleaned = cleaned.trim_matches('-').to_owned();
    if cleaned.is_empty() || cleaned.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{cleaned}").trim_end_matches('-').to_owned()
    } else {
        cleaned
    }
}

/// The command that regenerates the output, as every file's header quotes it.
fn regenerate_command(cli: &Cli) -> String {
    let default_mode = is_default_mode(cli);
    if default_mode {
        return "cargo run -p generator".to_owned();
    }
    let mut cmd = "cargo run -p generator --".to_owned();
    if let Some(s) = &cli.spec {
        cmd.push_str(&format!(" --spec {}", command_path(s)));
    }
    if let Some(o) = &cli.out {
        cmd.push_str(&format!(" --out {}", command_path(o)));
    }
    if let Some(n) = &cli.name {
        cmd.push_str(&format!(" --name {n}"));
    }
    if let Some(r) = &cli.shared_runtime {
        cmd.push_str(&format!(" --shared-runtime {}", command_path(r)));
    }
    if cli.doctests {
        cmd.push_str(" --doctests");
    }
    // `--strict` is left out: it decides whether a crate is made, never what it holds.
    if let Some(c) = &cli.config {
        cmd.push_str(&format!(" --config {}", command_path(c)));
    }
    cmd
}

/// `cargo run -p generator` with no options (`--check` aside): `generated/` from `spec/`.
fn is_default_mode(cli: &Cli) -> bool {
    cli.spec.is_none()
        && cli.out.is_none()
        && cli.name.is_none()
        && cli.shared_runtime.is_none()
        && cli.config.is_none()
}
