//! Embeds the runtime crate (`runtime/`) into the generator, which writes it into every crate it
//! generates:
//!
//! - the source files of `runtime/src/` (listing the directory means a new file cannot be left
//!   out), copied verbatim into generated crates as `src/runtime/`;
//! - the `[features]` and `[dependencies]` tables of `runtime/Cargo.toml` (the last tables of
//!   that file, with the comment above them), copied verbatim into every generated
//!   `Cargo.toml`: the runtime's dependencies and its `client` feature are listed once;
//! - the names of the methods that `Client`, `Call` and `RateLimit` have (inherent ones, and those
//!   of every trait the type derives or implements, plus the blanket traits every type has),
//!   parsed with `syn`. Generated code adds methods to these types, and naming keeps clear of
//!   these names, so a runtime method added later cannot clash with a generated one.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// The runtime types that generated code adds inherent methods to.
const EXTENDED_TYPES: &[&str] = &["Client", "Call", "RateLimit"];

/// Methods every type has through blanket implementations (`Into`, `TryFrom`, `Borrow`, `Any`,
/// `ToOwned` for `Clone` types, ...).
const BLANKET_METHODS: &[&str] = &[
    "borrow",
    "borrow_mut",
    "clone_into",
    "from",
    "into",
    "to_owned",
    "try_from",
    "try_into",
    "type_id",
];

/// The methods of the standard and serde traits the runtime derives or implements.
fn trait_methods(name: &str) -> &'static [&'static str] {
    match name {
        "Clone" => &["clone", "clone_from"],
        "Debug" | "Display" => &["fmt"],
        "Default" => &["default"],
        "PartialEq" => &["eq", "ne"],
        "PartialOrd" => &["partial_cmp", "lt", "le", "gt", "ge"],
        "Ord" => &["cmp", "max", "min", "clamp"],
        "Hash" => &["hash", "hash_slice"],
        "IntoFuture" => &["into_future"],
        "Deref" => &["deref"],
        "DerefMut" => &["deref_mut"],
        "Serialize" => &["serialize"],
        "Deserialize" => &["deserialize"],
        "Error" => &["source", "description", "cause"],
        _ => &[],
    }
}

fn main() {
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime");
    let src = runtime.join("src");
    let manifest = runtime.join("Cargo.toml");
    println!("cargo:rerun-if-changed={}", src.display());
    println!("cargo:rerun-if-changed={}", manifest.display());
    let mut names: Vec<String> = std::fs::read_dir(&src)
        .expect("generator/runtime/src exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rs"))
        .collect();
    names.sort();

    let mut out = String::from(
        "/// The runtime's source files: `(file name, contents)`, sorted by name.\npub const RUNTIME_FILES: &[(&str, &str)] = &[\n",
    );
    let mut methods: BTreeMap<&str, BTreeSet<String>> = EXTENDED_TYPES
        .iter()
        .map(|t| {
            (
                *t,
                BLANKET_METHODS.iter().map(|m| (*m).to_owned()).collect(),
            )
        })
        .collect();
    for n in &names {
        let path = src.join(n);
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            out,
            "    ({n:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("write to string");
        let text = std::fs::read_to_string(&path).expect("runtime file is readable");
        let file = syn::parse_file(&text)
            .unwrap_or_else(|e| panic!("runtime/src/{n} does not parse: {e}"));
        collect_methods(&file.items, &mut methods);
    }
    out.push_str("];\n");

    for (ty, set) in &methods {
        let list: Vec<String> = set.iter().map(|m| format!("{m:?}")).collect();
        writeln!(
            out,
            "/// Methods `{ty}` has in the runtime (its own, and those of its traits).\npub const RUNTIME_{}_METHODS: &[&str] = &[{}];",
            ty.to_uppercase(),
            list.join(", ")
        )
        .expect("write to string");
    }

    let manifest_text = std::fs::read_to_string(&manifest).expect("runtime/Cargo.toml is readable");
    // The comment block above `[features]` explains both tables, and is copied with them.
    let features = manifest_text
        .find("\n[features]\n")
        .expect("runtime/Cargo.toml has a [features] table");
    let start = manifest_text[..features]
        .rfind("\n\n")
        .map_or(features + 1, |i| i + 2);
    let table = &manifest_text[start..];
    let headers: Vec<&str> = table
        .lines()
        .filter(|l| l.trim_start().starts_with('['))
        .collect();
    assert_eq!(
        headers,
        ["[features]", "[dependencies]"],
        "[features] and [dependencies] must be the last tables of runtime/Cargo.toml: they are copied whole into generated crates"
    );
    writeln!(
        out,
        "/// The runtime's `[features]` and `[dependencies]` tables, as written in `runtime/Cargo.toml`.\npub const RUNTIME_DEPENDENCIES: &str = {table:?};"
    )
    .expect("write to string");

    let target =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("runtime_files.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}

/// Adds the methods of every extended type found in `items`: inherent methods, the methods of
/// traits it implements, and those of the traits it derives.
fn collect_methods(items: &[syn::Item], methods: &mut BTreeMap<&str, BTreeSet<String>>) {
    for item in items {
        match item {
            syn::Item::Impl(imp) => {
                let Some(ty) = last_segment(&imp.self_ty) else {
                    continue;
                };
                let Some(set) = methods.get_mut(ty.as_str()) else {
                    continue;
                };
                match &imp.trait_ {
                    None => {
                        for member in &imp.items {
                            if let syn::ImplItem::Fn(f) = member {
                                set.insert(f.sig.ident.to_string());
                            }
                        }
                    }
                    Some((_, path, _)) => {
                        if let Some(last) = path.segments.last() {
                            let name = last.ident.to_string();
                            set.extend(trait_methods(&name).iter().map(|m| (*m).to_owned()));
                        }
                    }
                }
            }
            syn::Item::Struct(s) => {
                let Some(set) = methods.get_mut(s.ident.to_string().as_str()) else {
                    continue;
                };
                for attr in s.attrs.iter().filter(|a| a.path().is_ident("derive")) {
                    let _ = attr.parse_nested_meta(|meta| {
                        if let Some(last) = meta.path.segments.last() {
                            let name = last.ident.to_string();
                            set.extend(trait_methods(&name).iter().map(|m| (*m).to_owned()));
                        }
                        Ok(())
                    });
                }
            }
            _ => {}
        }
    }
}

fn last_segment(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}
