//! Shared helpers for the workspace tests: where things are, how the checked-in crates are
//! generated, and how to compile a generated crate from a test.

pub mod counting_alloc;
pub mod missing_docs;

use generator::{Generated, Runtime, Settings};
use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace root")
        .to_path_buf()
}

/// The spec `cargo run -p generator` reads.
pub fn spec_path() -> PathBuf {
    workspace_root().join("spec/hubspot-custom-channels.yaml")
}

/// The settings `cargo run -p generator` uses for `generated/` (with `spec/generator.toml`).
pub fn default_settings() -> Settings {
    Settings {
        doctests: true,
        previous: generator::write::read_previous(&workspace_root().join("generated")),
        config: config_at("spec/generator.toml").unwrap_or_default(),
        ..Settings::new("hubspot-custom-channels", "cargo run -p generator")
    }
}

/// Generates the crate for `spec/` in memory, exactly as `cargo run -p generator` does.
pub fn generate_default() -> Generated {
    let text = std::fs::read_to_string(spec_path()).expect("spec/ is readable");
    generator::generate_from_str(&text, &default_settings())
        .unwrap_or_else(|d| panic!("spec/ must generate:\n{d}"))
}

/// The configuration at `relative` (from the workspace root), named so as the binary names it
/// when run from the root; none when there is no such file.
pub fn config_at(relative: &str) -> Option<generator::Config> {
    let text = std::fs::read_to_string(workspace_root().join(relative)).ok()?;
    Some(
        generator::Config::parse(&text, relative)
            .unwrap_or_else(|d| panic!("{relative} must be a valid configuration:\n{d}")),
    )
}

/// Settings for a fixture spec under `tests/fixtures/`: the crate `tests/fixture-crates/<stem>`,
/// which compiles the runtime from `generator/runtime/src/` instead of holding a copy. A
/// `tests/fixtures/<stem>.toml` beside the spec is its configuration (`--config`).
pub fn fixture_settings(file: &str) -> Settings {
    let stem = Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The bodies fixture's doc examples (multipart forms, streams) are compiled by `cargo test`:
    // `generated/` has no such operations to show them.
    let doctests = stem == "bodies";
    let doctests_flag = if doctests { " --doctests" } else { "" };
    let config_file = format!("tests/fixtures/{stem}.toml");
    let config = config_at(&config_file);
    let config_option = match &config {
        Some(_) => format!(" --config {config_file}"),
        None => String::new(),
    };
    Settings {
        runtime: Runtime::Shared {
            mod_rs: "../../../../generator/runtime/src/mod.rs".to_owned(),
        },
        doctests,
        previous: generator::write::read_previous(
            &workspace_root().join("tests/fixture-crates").join(&stem),
        ),
        config: config.unwrap_or_default(),
        ..Settings::new(
            format!("fixture-{stem}"),
            format!(
                "cargo run -p generator -- --spec tests/fixtures/{file} --out tests/fixture-crates/{stem} --name fixture-{stem} --shared-runtime generator/runtime/src{doctests_flag}{config_option}"
            ),
        )
    }
}

/// Generates a fixture spec under `tests/fixtures/`.
pub fn generate_fixture(file: &str) -> Result<Generated, generator::Diagnostics> {
    let text = std::fs::read_to_string(workspace_root().join("tests/fixtures").join(file))
        .expect("fixture is readable");
    generator::generate_from_str(&text, &fixture_settings(file))
}

/// Builds generated crates and fails on any warning, as `-D warnings` would.
///
/// The crates go into one scratch workspace ([`scratch_dir`]) that reuses this workspace's
/// `Cargo.lock` (no new downloads), target directory and profiles, plus a "feature mirror"
/// crate ([`write_feature_mirror`]) that asks for the same dependencies and features as this
/// workspace. Every dependency artifact the test suite built is then reused, and only the
/// generated crates compile. (A `cargo check` would need dependencies checked anew, and
/// `RUSTFLAGS=-D warnings` would change every fingerprint; warnings are read from cargo's JSON
/// messages instead.) `crates` are `(directory name, files)`; their package names must be
/// unique across sets (cargo keys a path package's build state by its name and its path inside
/// the workspace). Returns the compiler's messages on failure.
pub fn build_crates(
    set: &str,
    crates: &[(String, Vec<generator::GeneratedFile>)],
) -> Result<(), String> {
    let dir = scratch_dir(set);
    for (name, files) in crates {
        generator::write::write(&dir.join(name), files).map_err(|e| e.to_string())?;
    }
    let names: Vec<String> = crates.iter().map(|(n, _)| n.clone()).collect();
    build_workspace(&dir, &names)
}

/// An empty directory for the scratch workspace `set` of this checkout. It is outside the
/// target directory on purpose: cargo does not track the sources of packages that lie inside
/// its target directory, so a crate rewritten there would never be built again.
pub fn scratch_dir(set: &str) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    workspace_root().hash(&mut hasher);
    let dir = std::env::temp_dir()
        .join(format!("generator-tests-{:016x}", hasher.finish()))
        .join(set);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// Builds the crates `members` (directories under `dir`, each already written) as one scratch
/// workspace; see [`build_crates`].
pub fn build_workspace(dir: &Path, members: &[String]) -> Result<(), String> {
    let root = workspace_root();
    let mirror = write_feature_mirror(dir)?;
    let quoted: Vec<String> = std::iter::once(&mirror)
        .chain(members)
        .map(|m| format!("{m:?}"))
        .collect();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| e.to_string())?;
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n{}",
            quoted.join(", "),
            profile_tables(&manifest)
        ),
    )
    .map_err(|e| e.to_string())?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let mut command = std::process::Command::new(env!("CARGO"));
    without_crate_env(&mut command);
    let output = command
        .args(["build", "--offline", "--workspace", "--message-format=json"])
        .current_dir(dir)
        // This workspace's target directory (`CARGO_TARGET_DIR` when the suite runs with an
        // absolute one).
        .env(
            "CARGO_TARGET_DIR",
            std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .unwrap_or_else(|| root.join("target")),
        )
        // The crates are built once and thrown away: incremental caches would only cost.
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .map_err(|e| e.to_string())?;
    // Dependencies' warnings are capped by cargo; what is left is the generated crates'.
    let diagnostics: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-message")
        .filter(|m| matches!(m["message"]["level"].as_str(), Some("warning" | "error")))
        .map(|m| {
            m["message"]["rendered"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    if output.status.success() && diagnostics.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\n{}",
            diagnostics.join("\n"),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Removes from `command`'s environment the variables cargo sets for the crate being run (a
/// test inherits them). Build scripts declare some of them with `rerun-if-env-changed` (ring's
/// does, for `CARGO_PKG_NAME`, `CARGO_MANIFEST_DIR`, `OUT_DIR` ...), and cargo compares those
/// with its own environment: a nested cargo that inherits them would rerun such build scripts
/// and rebuild everything that depends on them.
fn without_crate_env(command: &mut std::process::Command) {
    const SET_FOR_CRATES: &[&str] = &[
        "CARGO_MANIFEST_DIR",
        "CARGO_MANIFEST_PATH",
        "CARGO_MANIFEST_LINKS",
        "CARGO_CRATE_NAME",
        "CARGO_BIN_NAME",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_TARGET_TMPDIR",
        "CARGO_RUSTC_CURRENT_DIR",
        "OUT_DIR",
    ];
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if SET_FOR_CRATES.contains(&name.as_ref())
            || name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_BIN_EXE_")
        {
            command.env_remove(name.as_ref());
        }
    }
}

/// The `[profile...]` tables of a manifest, as written.
fn profile_tables(manifest: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            inside = line.starts_with("[profile");
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Writes `dir/feature-mirror`, an empty crate whose dependencies (normal and build) are the
/// registry dependencies of this workspace's members (dev-dependencies only of this package,
/// whose tests build the generated crates' dependencies), with the features they ask for, and
/// gives its directory name. In a scratch workspace beside generated crates, it makes cargo resolve
/// the same features as this workspace's test build, so that the dependency artifacts are the
/// same ones and are not built again.
pub fn write_feature_mirror(dir: &Path) -> Result<String, String> {
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(workspace_root())
        .output()
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|e| e.to_string())?;
    // (kind, name) -> (version requirement, default features, features)
    type Wanted = (String, bool, std::collections::BTreeSet<String>);
    let mut wanted: std::collections::BTreeMap<(bool, String), Wanted> = Default::default();
    let packages = metadata["packages"].as_array().cloned().unwrap_or_default();
    for (package, dep) in packages.iter().flat_map(|p| {
        let deps = p["dependencies"].as_array().cloned().unwrap_or_default();
        deps.into_iter().map(move |d| (p["name"].clone(), d))
    }) {
        // Registry dependencies for every target platform; path ones are this workspace's.
        if dep["source"].is_null() || !dep["target"].is_null() {
            continue;
        }
        // Cargo keeps a package's dev-dependency features to that package's own test graph;
        // generated crates' dependencies are built in the graph of this package's tests.
        if dep["kind"] == "dev" && package != env!("CARGO_PKG_NAME") {
            continue;
        }
        let build = dep["kind"] == "build";
        let name = dep["name"].as_str().unwrap_or_default().to_owned();
        let entry = wanted.entry((build, name)).or_insert_with(|| {
            (
                dep["req"].as_str().unwrap_or("*").to_owned(),
                false,
                Default::default(),
            )
        });
        entry.1 |= dep["uses_default_features"].as_bool().unwrap_or(true);
        for f in dep["features"].as_array().into_iter().flatten() {
            entry.2.insert(f.as_str().unwrap_or_default().to_owned());
        }
    }
    let table = |build: bool| -> String {
        wanted
            .iter()
            .filter(|((b, _), _)| *b == build)
            .map(|((_, name), (req, default, features))| {
                let features: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
                format!(
                    "{name} = {{ version = {req:?}, default-features = {default}, features = [{}] }}\n",
                    features.join(", ")
                )
            })
            .collect()
    };
    let name = "feature-mirror";
    let crate_dir = dir.join(name);
    std::fs::create_dir_all(crate_dir.join("src")).map_err(|e| e.to_string())?;
    std::fs::write(
        crate_dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"generator-tests-feature-mirror\"\nversion = \"0.0.0\"\nedition = \"2024\"\nbuild = \"build.rs\"\n\n[dependencies]\n{}\n[build-dependencies]\n{}",
            table(false),
            table(true)
        ),
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(crate_dir.join("build.rs"), "fn main() {}\n").map_err(|e| e.to_string())?;
    std::fs::write(
        crate_dir.join("src/lib.rs"),
        "//! Asks for this workspace's dependencies and features; see tests/lib.rs.\n",
    )
    .map_err(|e| e.to_string())?;
    Ok(name.to_owned())
}

/// Why the diagnostics of a rejected spec are not an acceptable outcome, if they are not: an
/// internal error (a generator bug, never the spec's fault) or a diagnostic that names no place
/// in the spec. The corpus and fuzz tests accept a spec rejected with pointed errors, and fail
/// on anything this returns. Lines that are not diagnostics (the binary's summary line) are
/// ignored.
pub fn unacceptable_rejection(diagnostics: &str) -> Option<String> {
    for line in diagnostics.lines() {
        if line.starts_with("internal error:") {
            return Some(format!("the generator reported an internal error: {line}"));
        }
        let is_diagnostic = line.starts_with("error:") || line.starts_with("warning:");
        if is_diagnostic && !(line.starts_with("error: #") || line.starts_with("warning: #")) {
            return Some(format!("a diagnostic without a JSON pointer: {line}"));
        }
    }
    None
}

/// How a generation ended, as the corpus and fuzz tests judge it.
#[derive(Debug)]
pub enum Outcome {
    /// A crate (its warnings all name their place).
    Generated(Box<Generated>),
    /// The spec rejected with errors that all name their place: an accepted outcome.
    Rejected(generator::Diagnostics),
    /// An outcome no spec may cause: a panic, a hang, an internal error (a generator bug), or
    /// a diagnostic without a pointer. The text says which.
    Unacceptable(String),
}

/// Judges the result of a generation run (`Err` of the outer result: it panicked).
pub fn judge(result: std::thread::Result<Result<Generated, generator::Diagnostics>>) -> Outcome {
    match result {
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Outcome::Unacceptable(format!("the generator panicked: {message}"))
        }
        Ok(Err(diags)) => match unacceptable_rejection(&diags.to_string()) {
            Some(why) => Outcome::Unacceptable(why),
            None => Outcome::Rejected(diags),
        },
        Ok(Ok(generated)) => match unacceptable_rejection(&generated.warnings.to_string()) {
            Some(why) => Outcome::Unacceptable(why),
            None => Outcome::Generated(Box::new(generated)),
        },
    }
}

/// Generates from `text` in a thread of its own and judges the outcome; not finishing within
/// `limit` (a hang) is unacceptable too.
pub fn generate_and_judge(text: String, settings: Settings, limit: std::time::Duration) -> Outcome {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            generator::generate_from_str(&text, &settings)
        }));
        let _ = tx.send(result);
    });
    match rx.recv_timeout(limit) {
        Ok(result) => judge(result),
        Err(_) => Outcome::Unacceptable(format!("the generator did not finish within {limit:?}")),
    }
}
