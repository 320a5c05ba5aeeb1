//! Generation time against the parse floor, measured in-process: `cargo bench -p generator`.
//!
//! For each input (JSON text), in the same run:
//! - the parse floor: parsing the document with `serde_json` into a `Value`;
//! - generation: the pure pipeline (parse, lower, emit, render; no disk writes), which targets
//!   at most 3 times the floor for multi-megabyte documents;
//! - the output: bytes and lines of generated Rust (without the runtime, which every crate gets
//!   whole), and lines per schema of the spec.
//!
//! Inputs: `spec/`, `progenitor-nexus.json` from the corpus (when `../shared/corpus/` is
//! there), a synthetic multi-megabyte API (and its variant whose resources refer only to their
//! own tag's models), and the wide-union pattern alone (an 80-variant discriminated union inline
//! in 130 schemas). The synthetic documents are also written to `target/bench/`, for measuring
//! peak memory and the build time of the generated crate, and `cargo check` of one resource's
//! feature against the whole crate (`feature_check_time.sh`):
//!
//! ```text
//! /usr/bin/time -v target/release/generator --spec target/bench/large.json --out /tmp/large
//! bash generator/benches/feature_check_time.sh target/bench/large-grouped.json
//! ```

#[path = "support/synthetic.rs"]
mod synthetic;

use generator::Settings;
use std::path::Path;
use std::time::{Duration, Instant};

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// The median time of `runs` runs of `f`.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let value = f();
        times.push(start.elapsed());
        last = Some(value);
    }
    (median(times), last.expect("at least one run"))
}

fn measure(label: &str, json: &str, runs: usize) {
    let (floor, value) = time(runs, || {
        serde_json::from_str::<serde_json::Value>(json).expect("the input is JSON")
    });
    let schemas = value
        .pointer("/components/schemas")
        .and_then(|s| s.as_object())
        .map_or(0, |s| s.len());
    drop(value);
    let settings = Settings::new("bench", "cargo bench");
    let (generation, generated) = time(runs, || {
        generator::generate_from_str(json, &settings).expect("the input generates")
    });
    let own: Vec<_> = generated
        .files
        .iter()
        .filter(|f| !f.path.starts_with("src/runtime/"))
        .collect();
    let bytes: usize = own.iter().map(|f| f.contents.len()).sum();
    let lines: usize = own.iter().map(|f| f.contents.lines().count()).sum();
    println!(
        "{label}: {} KiB in, {schemas} schemas | parse floor {:.1} ms | generation {:.1} ms = {:.1}x the floor | out {} KiB, {lines} lines, {:.0} lines per schema",
        json.len() / 1024,
        floor.as_secs_f64() * 1e3,
        generation.as_secs_f64() * 1e3,
        generation.as_secs_f64() / floor.as_secs_f64(),
        bytes / 1024,
        lines as f64 / schemas.max(1) as f64,
    );
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the generator sits in the workspace")
        .to_path_buf();
    let out = root.join("target/bench");
    std::fs::create_dir_all(&out).expect("target/bench is writable");

    let spec = std::fs::read_to_string(root.join("spec/hubspot-custom-channels.yaml"))
        .expect("spec/ is readable");
    let spec = generator::load::parse(&spec).expect("spec/ parses").raw;
    measure(
        "spec/hubspot-custom-channels",
        &serde_json::to_string(&spec).expect("json"),
        21,
    );

    match std::fs::read_to_string(root.join("../shared/corpus/progenitor-nexus.json")) {
        Ok(text) => measure("progenitor-nexus.json", &text, 11),
        Err(e) => println!("progenitor-nexus.json: skipped ({e})"),
    }

    for (name, document, runs) in [
        ("large", synthetic::large_spec(340), 5),
        ("large-grouped", synthetic::large_spec_grouped(340), 5),
        ("wide-unions", synthetic::wide_unions(80, 130), 5),
    ] {
        let text = serde_json::to_string_pretty(&document).expect("json");
        let path = out.join(format!("{name}.json"));
        std::fs::write(&path, &text).expect("target/bench is writable");
        measure(
            &format!("synthetic {name} ({})", path.display()),
            &text,
            runs,
        );
    }
}
