//! Shared helpers for the workspace tests: where things are, how the checked-in crates are
//! generated, and how to compile a generated crate from a test.

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

/// The settings `cargo run -p generator` uses for `generated/`.
pub fn default_settings() -> Settings {
    Settings::new("hubspot-custom-channels", "cargo run -p generator")
}

/// Generates the crate for `spec/` in memory, exactly as `cargo run -p generator` does.
pub fn generate_default() -> Generated {
    let text = std::fs::read_to_string(spec_path()).expect("spec/ is readable");
    generator::generate_from_str(&text, &default_settings())
        .unwrap_or_else(|d| panic!("spec/ must generate:\n{d}"))
}

/// Settings for a fixture spec under `tests/fixtures/`: the crate `tests/fixture-crates/<stem>`,
/// which compiles the runtime from `generator/runtime/src/` instead of holding a copy.
pub fn fixture_settings(file: &str) -> Settings {
    let stem = Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Settings {
        runtime: Runtime::Shared {
            mod_rs: "../../../../generator/runtime/src/mod.rs".to_owned(),
        },
        ..Settings::new(
            format!("fixture-{stem}"),
            format!(
                "cargo run -p generator -- --spec tests/fixtures/{file} --out tests/fixture-crates/{stem} --name fixture-{stem} --shared-runtime generator/runtime/src"
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

/// Compiles generated crates with warnings denied, in one scratch workspace under `target/`
/// that reuses this workspace's `Cargo.lock` (so no new downloads and shared dependency builds).
/// `crates` are `(directory name, files)`. Returns cargo's output on failure.
pub fn compile_crates(
    set: &str,
    crates: &[(String, Vec<generator::GeneratedFile>)],
) -> Result<(), String> {
    let root = workspace_root();
    let dir = root.join("target/generated-crates").join(set);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let members: Vec<String> = crates.iter().map(|(n, _)| format!("\"{n}\"")).collect();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .map_err(|e| e.to_string())?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    for (name, files) in crates {
        let out = dir.join(name);
        generator::write::write(&out, files).map_err(|e| e.to_string())?;
    }
    let output = std::process::Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet", "--workspace"])
        .current_dir(&dir)
        .env(
            "CARGO_TARGET_DIR",
            root.join("target/generated-crates-target"),
        )
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .map_err(|e| e.to_string())?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
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

/// How a run of the generator binary on a spec ended.
#[derive(Debug, PartialEq, Eq)]
pub enum RunOutcome {
    /// It wrote a crate.
    Generated,
    /// It rejected the spec with errors that name their place.
    Rejected,
    /// An outcome no spec may cause: an internal error (exit status 3), a crash, or a
    /// diagnostic without a pointer. The text says which.
    Unacceptable(String),
}

/// Judges a run of the generator binary by its exit status and what it printed.
pub fn judge_run(exit_code: Option<i32>, stderr: &str) -> RunOutcome {
    let pointed = |outcome| match unacceptable_rejection(stderr) {
        Some(why) => RunOutcome::Unacceptable(why),
        None => outcome,
    };
    match exit_code {
        Some(0) => pointed(RunOutcome::Generated),
        Some(1) => pointed(RunOutcome::Rejected),
        Some(3) => {
            RunOutcome::Unacceptable(format!("internal error (exit status 3): {}", stderr.trim()))
        }
        other => RunOutcome::Unacceptable(format!(
            "crashed (exit status {other:?}): {}",
            stderr.trim()
        )),
    }
}
