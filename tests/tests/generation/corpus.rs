//! Every public spec in `../shared/corpus/` is generated into a crate, and either the crate
//! compiles with warnings denied, or the generator rejects the spec with errors that name JSON
//! pointers. OpenAPI 3.1 documents must generate (the load stage rewrites them into the 3.0
//! shape): rejecting one fails the test. A panic, a hang, an internal error (a generator bug) or a diagnostic without a
//! pointer fails the test (`tests::judge`).
//!
//! Every generated crate must document every public item (`tests::missing_docs`), and so must
//! the crates of two variants of each document that generates: one with every `description`,
//! `summary` and `title` removed, one with them all blank. No public document need have the
//! shapes that leave an item undocumented for the check to bite: the variants make them. The
//! variants are generated and walked, not compiled.
//!
//! The crates are built in this workspace's target directory, sharing its dependencies; set
//! `SKIP_CORPUS=1` to skip this test locally (`.ci/run` always runs it and shows its summary line). The corpus lives
//! outside the repository (`../shared/corpus/`); where it is missing the test says so and passes,
//! unless `REQUIRE_CORPUS=1` (set by `.ci/run`) makes that a failure.

use generator::Settings;
use std::time::Duration;
use tests::{Outcome, missing_docs, workspace_root};

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

    let set = tests::scratch_dir("corpus");
    let mut members = Vec::new();
    let mut rejected = Vec::new();
    let mut failures = Vec::new();
    // Public items walked for a doc, over every crate and variant.
    let mut documented = 0;
    for spec in &specs {
        let stem = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(spec).unwrap();
        let v31 = is_openapi31(&text);
        // A package name: `redocly-museum-3.1` has a dot, which cargo does not take.
        let package: String = stem
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let settings = Settings::new(
            format!("corpus-{package}"),
            format!("cargo run -p generator -- --spec {}", spec.display()),
        );
        match tests::generate_and_judge(text.clone(), settings.clone(), Duration::from_secs(60)) {
            Outcome::Generated(generated) => {
                let report = missing_docs::check_files(&generated.files);
                failures.extend(
                    report
                        .undocumented
                        .iter()
                        .map(|u| format!("{stem}: no doc: {u}")),
                );
                documented += report.checked;
                failures.extend(prose_variants(&stem, &text, &settings, &mut documented));
                generator::write::write(&set.join(&stem), &generated.files).unwrap();
                members.push(stem);
            }
            Outcome::Rejected(diags) if v31 => failures.push(format!(
                "{stem}: an OpenAPI 3.1 document must generate, but was rejected:\n{diags}"
            )),
            Outcome::Rejected(diags) => rejected.push((stem, diags.to_string())),
            Outcome::Unacceptable(why) => failures.push(format!("{stem}: {why}")),
        }
    }
    assert!(
        failures.is_empty(),
        "the generator failed on:\n{}",
        failures.join("\n")
    );

    // One scratch workspace for all crates, built with warnings denied in this workspace's
    // target directory, reusing the dependencies the rest of the suite built.
    let check = tests::build_workspace(&set, &members);
    for (stem, why) in &rejected {
        eprintln!("rejected {stem}:\n{why}");
    }
    if let Err(messages) = check {
        panic!("generated corpus crates do not compile without warnings:\n{messages}");
    }
    println!(
        "corpus: {} generated and compiled, {} rejected with pointed errors, 0 internal errors or crashes; {documented} public items (with the prose-less variants) all documented",
        members.len(),
        rejected.len(),
    );
}

/// Generates the variants of a document that generates with its prose removed and blank, and
/// walks their crates for undocumented public items; gives what went wrong. A variant must
/// generate too: prose decides no type, so rejecting it would be a generator bug (and would
/// leave the check silent).
fn prose_variants(
    stem: &str,
    text: &str,
    settings: &Settings,
    documented: &mut usize,
) -> Vec<String> {
    let original = match generator::load::parse_value(text) {
        Ok(v) => v,
        Err(e) => {
            return vec![format!(
                "{stem}: generates, but its text does not parse: {e}"
            )];
        }
    };
    type Transform = fn(&mut serde_json::Value);
    let variants: [(&str, Transform); 2] = [
        ("without prose", missing_docs::without_prose),
        ("with blank prose", missing_docs::with_blank_prose),
    ];
    let mut problems = Vec::new();
    for (what, transform) in variants {
        let mut doc = original.clone();
        transform(&mut doc);
        let text = serde_json::to_string(&doc).expect("a JSON value serialises");
        match tests::generate_and_judge(text, settings.clone(), Duration::from_secs(60)) {
            Outcome::Generated(generated) => {
                let report = missing_docs::check_files(&generated.files);
                *documented += report.checked;
                problems.extend(
                    report
                        .undocumented
                        .iter()
                        .map(|u| format!("{stem} ({what}): no doc: {u}")),
                );
            }
            Outcome::Rejected(diags) => problems.push(format!(
                "{stem} ({what}): rejected, unlike the document itself:\n{diags}"
            )),
            Outcome::Unacceptable(why) => problems.push(format!("{stem} ({what}): {why}")),
        }
    }
    problems
}

/// Whether a spec's text (JSON or YAML) declares `openapi: 3.1.x`.
fn is_openapi31(text: &str) -> bool {
    serde_yaml::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| v.get("openapi")?.as_str().map(|v| v.starts_with("3.1")))
        .unwrap_or(false)
}

/// The build that proves the corpus crates compile "with warnings denied" does fail on a
/// warning.
#[test]
fn a_warning_in_a_checked_crate_fails_the_check() {
    let file = |path: &str, contents: &str| generator::GeneratedFile {
        path: path.to_owned(),
        contents: contents.to_owned(),
    };
    // Distinct package names: cargo keys a path package's build state by its name and its
    // path inside the workspace, so two scratch workspaces must not reuse a name.
    let crate_files = |name: &str, body: &str| {
        let manifest =
            format!("[package]\nname = {name:?}\nversion = \"0.0.0\"\nedition = \"2024\"\n");
        vec![file("Cargo.toml", &manifest), file("src/lib.rs", body)]
    };
    let clean = tests::build_crates(
        "warning-probe-clean",
        &[(
            "probe".to_owned(),
            crate_files("warning-probe-clean", "//! A clean crate.\n"),
        )],
    );
    assert_eq!(clean, Ok(()));
    let warned = tests::build_crates(
        "warning-probe",
        &[(
            "probe".to_owned(),
            crate_files(
                "warning-probe-warned",
                "//! A crate with a warning.\nfn unused() {}\n",
            ),
        )],
    );
    let messages = warned.expect_err("a warning fails the check");
    assert!(messages.contains("never used"), "{messages}");
}
