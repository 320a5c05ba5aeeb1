//! Every public spec in `../shared/corpus/` either generates a crate that compiles with
//! warnings denied, or is rejected with errors that name JSON pointers; nothing panics.
//!
//! Compiling the crates takes a minute on a cold target directory; set `SKIP_CORPUS=1` to skip
//! this test locally (`.ci/run` always runs it).

use std::panic::{AssertUnwindSafe, catch_unwind};
use tests::workspace_root;

#[test]
fn corpus_generates_and_compiles() {
    if std::env::var("SKIP_CORPUS").is_ok_and(|v| v == "1") {
        eprintln!("corpus: skipped (SKIP_CORPUS is set)");
        return;
    }
    let dir = workspace_root().join("../shared/corpus");
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

    let mut crates = Vec::new();
    let mut rejected = Vec::new();
    let mut panics = Vec::new();
    for spec in &specs {
        let stem = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(spec).unwrap();
        let settings = generator::Settings {
            crate_name: format!("corpus-{stem}"),
            regenerate_command: format!("cargo run -p generator -- --spec {}", spec.display()),
        };
        match catch_unwind(AssertUnwindSafe(|| {
            generator::generate_from_str(&text, &settings)
        })) {
            Ok(Ok(generated)) => crates.push((stem, generated.files)),
            Ok(Err(diags)) => {
                for line in diags.to_string().lines() {
                    assert!(
                        line.contains(": #"),
                        "{stem}: diagnostic without a pointer: {line}"
                    );
                }
                rejected.push((stem, diags.to_string()));
            }
            Err(_) => panics.push(stem),
        }
    }
    let compiled = crates.len();
    let result = tests::compile_crates("corpus", &crates);
    for (stem, why) in &rejected {
        eprintln!("rejected {stem}:\n{why}");
    }
    println!(
        "corpus: {compiled} generated and compiled, {} rejected with pointed errors, {} panics",
        rejected.len(),
        panics.len()
    );
    assert!(panics.is_empty(), "the generator panicked on: {panics:?}");
    if let Err(out) = result {
        panic!("generated corpus crates do not compile:\n{out}");
    }
}
