//! Embeds the hand-written runtime (`runtime/*.rs`) into the generator, which copies it into
//! every crate it writes. Listing the directory here means a new runtime file cannot be left out.
//!
//! Also lists the methods the runtime defines on `Client` and `Call` (parsed with `syn`), because
//! generated code adds inherent methods to both: naming avoids these names, and a runtime method
//! added later cannot clash with a generated one.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("generator/runtime exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rs"))
        .collect();
    names.sort();
    let mut out = String::from(
        "/// The runtime's source files: `(file name, contents)`, sorted by name.\npub const RUNTIME_FILES: &[(&str, &str)] = &[\n",
    );
    for n in &names {
        println!("cargo:rerun-if-changed={}", dir.join(n).display());
        let path = dir.join(n);
        writeln!(
            out,
            "    ({n:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("write to string");
    }
    out.push_str("];\n");
    let mut client_methods = std::collections::BTreeSet::new();
    let mut call_methods = std::collections::BTreeSet::new();
    for n in &names {
        let text = std::fs::read_to_string(dir.join(n)).expect("runtime file is readable");
        let file =
            syn::parse_file(&text).unwrap_or_else(|e| panic!("runtime/{n} does not parse: {e}"));
        for item in &file.items {
            let syn::Item::Impl(imp) = item else { continue };
            let syn::Type::Path(ty) = &*imp.self_ty else {
                continue;
            };
            let Some(last) = ty.path.segments.last() else {
                continue;
            };
            let set = match last.ident.to_string().as_str() {
                "Client" => &mut client_methods,
                "Call" => &mut call_methods,
                _ => continue,
            };
            for member in &imp.items {
                if let syn::ImplItem::Fn(f) = member {
                    set.insert(f.sig.ident.to_string());
                }
            }
        }
    }
    let list = |set: &std::collections::BTreeSet<String>| {
        set.iter()
            .map(|m| format!("{m:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(out, "/// Methods the runtime defines on `Client`.\npub const RUNTIME_CLIENT_METHODS: &[&str] = &[{}];", list(&client_methods)).expect("write to string");
    writeln!(out, "/// Methods the runtime defines on `Call`.\npub const RUNTIME_CALL_METHODS: &[&str] = &[{}];", list(&call_methods)).expect("write to string");
    let target =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("runtime_files.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}
