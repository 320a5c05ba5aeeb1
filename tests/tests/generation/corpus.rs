//! Every public spec in `../shared/corpus/` goes through `cargo run -p generator -- --spec FILE
//! --out DIR`, and either the crate it writes compiles with warnings denied, or the generator
//! rejects the spec with errors that name JSON pointers. A panic, an internal error (a
//! generator bug, exit status 3) or a diagnostic without a pointer fails the test
//! (`tests::judge_run`).
//!
//! Compiling the crates takes a minute on a cold target directory; set `SKIP_CORPUS=1` to skip
//! this test locally (`.ci/run` always runs it and shows its summary line). The corpus lives
//! outside the repository (`../shared/corpus/`); where it is missing the test says so and passes,
//! unless `REQUIRE_CORPUS=1` (set by `.ci/run`) makes that a failure.

use std::process::Command;
use tests::{RunOutcome, workspace_root};

#[test]
fn corpus_generates_and_compiles() {
    if std::env::var("SKIP_CORPUS").is_ok_and(|v| v == "1") {
        eprintln!("corpus: skipped (SKIP_CORPUS is set)");
        return;
    }
    let root = workspace_root();
    let dir = root.join("../shared/corpus");
    if !dir.is_dir() {
        assert!(
            !std::env::var("REQUIRE_CORPUS").is_ok_and(|v| v == "1"),
            "the corpus is required but {} does not exist",
            dir.display()
        );
        eprintln!("corpus: skipped ({} not found)", dir.display());
        return;
    }
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            )
        })
        .collect();
    specs.sort();
    assert!(!specs.is_empty(), "no specs in {}", dir.display());

    let set = root.join("target/generated-crates/corpus");
    let _ = std::fs::remove_dir_all(&set);
    std::fs::create_dir_all(&set).unwrap();
    let mut members = Vec::new();
    let mut rejected = Vec::new();
    let mut failures = Vec::new();
    for spec in &specs {
        let stem = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let out = set.join(&stem);
        let run = Command::new(env!("CARGO"))
            .args(["run", "-q", "-p", "generator", "--", "--spec"])
            .arg(spec)
            .arg("--out")
            .arg(&out)
            .args(["--name", &format!("corpus-{stem}")])
            .current_dir(&root)
            .output()
            .expect("cargo runs");
        let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
        match tests::judge_run(run.status.code(), &stderr) {
            RunOutcome::Generated => members.push(stem),
            RunOutcome::Rejected => rejected.push((stem, stderr)),
            RunOutcome::Unacceptable(why) => failures.push(format!("{stem}: {why}")),
        }
    }
    assert!(
        failures.is_empty(),
        "the generator failed on:\n{}",
        failures.join("\n")
    );

    // One scratch workspace for all crates, reusing this workspace's lock file, so that
    // dependencies are compiled once.
    let quoted: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    std::fs::write(
        set.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            quoted.join(", ")
        ),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), set.join("Cargo.lock")).unwrap();
    let check = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet", "--workspace"])
        .current_dir(&set)
        .env(
            "CARGO_TARGET_DIR",
            root.join("target/generated-crates-target"),
        )
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    for (stem, why) in &rejected {
        eprintln!("rejected {stem}:\n{why}");
    }
    assert!(
        check.status.success(),
        "generated corpus crates do not compile:\n{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    println!(
        "corpus: {} generated and compiled, {} rejected with pointed errors, 0 internal errors or crashes",
        members.len(),
        rejected.len(),
    );
}
