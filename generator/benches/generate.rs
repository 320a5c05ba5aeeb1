//! Generation time, measured in-process: `cargo bench -p generator`.
//!
//! Reports the median of repeated runs of the pure pipeline (parse + lower + emit + render, no
//! disk writes) for `spec/`, the largest corpus document (`progenitor-nexus.json`, 134 paths,
//! 194 schemas) and synthetic specs made of 1, 10 and 100 renamed copies of `spec/`.
//! Targets: `spec/` under 100 ms, nexus under 1 s, in a release build (`cargo bench` is one).

use generator::Settings;
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

fn settings() -> Settings {
    Settings::new("bench", "cargo bench")
}

fn median_time(text: &str, runs: usize) -> (Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut bytes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let generated =
            generator::generate_from_str(text, &settings()).expect("bench spec generates");
        times.push(start.elapsed());
        bytes = generated.files.iter().map(|f| f.contents.len()).sum();
    }
    times.sort();
    (times[times.len() / 2], bytes)
}

/// `copies` renamed copies of `spec` in one document (paths, operationIds and schema names
/// suffixed, references rewritten).
fn synthetic(spec: &Value, copies: usize) -> Value {
    let mut out = spec.clone();
    let obj = out.as_object_mut().expect("spec is an object");
    obj.remove("x-api-versions");
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    for i in 0..copies {
        // Copy 0 keeps the original names, so shared components (responses, parameters) that
        // refer to schemas still resolve.
        let tag = if i == 0 {
            String::new()
        } else {
            format!("C{i}")
        };
        let rename = |v: &Value| -> Value {
            let text = serde_json::to_string(v).expect("json");
            let text = text.replace(
                "#/components/schemas/",
                &format!("#/components/schemas/{tag}"),
            );
            serde_json::from_str(&text).expect("json")
        };
        for (p, item) in spec["paths"].as_object().expect("paths") {
            let mut item = rename(item);
            for op in item.as_object_mut().expect("path item").values_mut() {
                if let Some(id) = op.get_mut("operationId") {
                    *id = Value::String(format!("{}{tag}", id.as_str().unwrap_or("op")));
                }
            }
            paths.insert(format!("/copy{i}{p}"), item);
        }
        for (name, s) in spec["components"]["schemas"].as_object().expect("schemas") {
            schemas.insert(format!("{tag}{name}"), rename(s));
        }
    }
    obj.insert("paths".to_owned(), Value::Object(paths));
    obj["components"]["schemas"] = Value::Object(schemas);
    // Discriminator mappings name schemas too.
    let text = serde_json::to_string(&out).expect("json");
    serde_json::from_str(&text).expect("json")
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf();
    let spec_text =
        std::fs::read_to_string(root.join("spec/hubspot-custom-channels.yaml")).expect("spec");
    let (t, bytes) = median_time(&spec_text, 21);
    println!(
        "spec/hubspot-custom-channels.yaml: median {:.1} ms ({bytes} bytes of output)",
        t.as_secs_f64() * 1e3
    );

    let nexus = root.join("../shared/corpus/progenitor-nexus.json");
    match std::fs::read_to_string(&nexus) {
        Ok(text) => {
            let (t, bytes) = median_time(&text, 11);
            println!(
                "progenitor-nexus.json: median {:.1} ms ({bytes} bytes of output)",
                t.as_secs_f64() * 1e3
            );
        }
        Err(e) => println!("progenitor-nexus.json: skipped ({e})"),
    }

    let spec_value = generator::load::parse(&spec_text).expect("spec parses").raw;
    for copies in [1, 10, 100] {
        let text = serde_json::to_string(&synthetic(&spec_value, copies)).expect("json");
        let runs = if copies >= 100 { 3 } else { 7 };
        let (t, bytes) = median_time(&text, runs);
        println!(
            "synthetic {copies}x spec/ ({} KiB in, {} KiB out): median {:.1} ms",
            text.len() / 1024,
            bytes / 1024,
            t.as_secs_f64() * 1e3
        );
    }
}
