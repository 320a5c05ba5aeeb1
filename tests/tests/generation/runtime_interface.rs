//! `generator/runtime/INTERFACE.md` describes the contract between generated code and the
//! runtime; these tests compare its lists with the runtime's source, so that the document
//! cannot drift from the code.

use std::collections::BTreeSet;
use tests::workspace_root;

fn read(path: &str) -> String {
    std::fs::read_to_string(workspace_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The backticked words of the paragraph of `INTERFACE.md` that starts with `prefix`.
fn listed(prefix: &str) -> BTreeSet<String> {
    let doc = read("generator/runtime/INTERFACE.md");
    let start = doc
        .find(prefix)
        .unwrap_or_else(|| panic!("INTERFACE.md has a paragraph starting with {prefix:?}"));
    let paragraph = &doc[start..];
    let end = paragraph.find("\n- ").unwrap_or(paragraph.len());
    paragraph[prefix.len()..end]
        .split('`')
        .skip(1)
        .step_by(2)
        .flat_map(|list| list.split(','))
        .map(|w| w.trim().trim_end_matches("()").to_owned())
        .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .collect()
}

fn parse(path: &str) -> syn::File {
    syn::parse_file(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn use_names(tree: &syn::UseTree, out: &mut BTreeSet<String>) {
    match tree {
        syn::UseTree::Path(p) => use_names(&p.tree, out),
        syn::UseTree::Name(n) => {
            out.insert(n.ident.to_string());
        }
        syn::UseTree::Rename(r) => {
            out.insert(r.rename.to_string());
        }
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_names(t, out)),
        syn::UseTree::Glob(_) => panic!("codegen.rs must not glob-import"),
    }
}

#[test]
fn the_codegen_list_is_what_codegen_exports() {
    let mut exported = BTreeSet::new();
    for item in parse("generator/runtime/src/codegen.rs").items {
        match item {
            syn::Item::Use(u) if matches!(u.vis, syn::Visibility::Public(_)) => {
                use_names(&u.tree, &mut exported)
            }
            syn::Item::Fn(f) if matches!(f.vis, syn::Visibility::Public(_)) => {
                exported.insert(f.sig.ident.to_string());
            }
            _ => {}
        }
    }
    assert_eq!(listed("- `codegen` re-exports:"), exported);
}

/// The inherent methods of `Call` defined in a runtime source file.
fn call_methods(path: &str, out: &mut BTreeSet<String>) {
    for item in parse(path).items {
        let syn::Item::Impl(imp) = item else { continue };
        let syn::Type::Path(ty) = &*imp.self_ty else {
            continue;
        };
        if imp.trait_.is_some() || ty.path.segments.last().is_none_or(|s| s.ident != "Call") {
            continue;
        }
        for member in imp.items {
            if let syn::ImplItem::Fn(f) = member {
                out.insert(f.sig.ident.to_string());
            }
        }
    }
}

#[test]
fn the_call_method_list_is_what_call_has() {
    let mut inherent = BTreeSet::new();
    call_methods("generator/runtime/src/call.rs", &mut inherent);
    call_methods("generator/runtime/src/pagination.rs", &mut inherent);
    assert!(inherent.contains("into_stream") && inherent.contains("send"));
    let documented = listed("- Names taken by methods of `Call`");
    for method in &inherent {
        assert!(
            documented.contains(method),
            "INTERFACE.md does not list `Call::{method}`"
        );
        assert!(
            generator::runtime_source::RUNTIME_CALL_METHODS.contains(&method.as_str()),
            "the generator does not reserve `Call::{method}`"
        );
    }
}
