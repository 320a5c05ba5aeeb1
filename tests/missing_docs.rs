//! Finds the public items of a crate's source that have no doc, the way `#![warn(missing_docs)]`
//! would, without compiling the crate: a `syn` walk from `src/lib.rs` through every `mod`
//! declaration (`#[path]` included).
//!
//! What needs a doc: every `pub` item (function, struct, enum, union, trait, type alias,
//! constant, static, module; a module's doc may be its file's `//!` lines), every named `pub`
//! field, every variant of a `pub` enum (and its named fields), every `pub` method, constant and
//! type of an inherent `impl`, and every item of a `pub` trait. What does not: `use`, impls of
//! traits, positional fields, items under `#[doc(hidden)]`, anything not `pub` (`pub(crate)`
//! included). The walk is stricter than the lint in one way: a `pub` item in a private module
//! needs a doc even when nothing re-exports it.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// What a walk over a crate found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// How many public items, fields, variants and methods were looked at (so that a caller can
    /// tell a crate with every item documented from a walk that saw nothing).
    pub checked: usize,
    /// The ones without a doc, each as `file: what`, and files that could not be read or parsed.
    pub undocumented: Vec<String>,
}

/// Walks the crate in the directory `dir` (holding `src/lib.rs`), read from the disk.
pub fn check_dir(dir: &Path) -> Report {
    walk(dir, &|p: &Path| std::fs::read_to_string(p).ok())
}

/// Walks a crate held in memory: `files` have paths relative to the crate's directory
/// (`src/lib.rs`), as the generator gives them.
pub fn check_files(files: &[generator::GeneratedFile]) -> Report {
    let by_path: BTreeMap<PathBuf, &str> = files
        .iter()
        .map(|f| (normalise(Path::new(&f.path)), f.contents.as_str()))
        .collect();
    walk(Path::new(""), &|p: &Path| {
        by_path.get(&normalise(p)).map(|s| (*s).to_owned())
    })
}

/// `p` with `.` and `..` resolved lexically.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn walk(root: &Path, read: &dyn Fn(&Path) -> Option<String>) -> Report {
    let mut walker = Walker {
        root: root.to_path_buf(),
        read,
        found: Vec::new(),
        checked: 0,
    };
    let lib = root.join("src/lib.rs");
    walker.file(&lib, true, "the crate");
    Report {
        checked: walker.checked,
        undocumented: walker.found,
    }
}

struct Walker<'r> {
    root: PathBuf,
    read: &'r dyn Fn(&Path) -> Option<String>,
    found: Vec<String>,
    checked: usize,
}

impl Walker<'_> {
    /// Walks the file of a module; `needs_doc` when its inner doc is its only possible doc.
    fn file(&mut self, path: &Path, needs_doc: bool, what: &str) {
        let shown = self.shown(path);
        let Some(text) = (self.read)(path) else {
            self.found
                .push(format!("{shown}: cannot read this file of {what}"));
            return;
        };
        let file = match syn::parse_file(&text) {
            Ok(f) => f,
            Err(e) => {
                self.found.push(format!("{shown}: does not parse: {e}"));
                return;
            }
        };
        if needs_doc {
            self.checked += 1;
            if !has_doc(&file.attrs) {
                self.found.push(format!("{shown}: {what} has no doc"));
            }
        }
        let dir = module_dir(path);
        self.items(&file.items, path, &dir);
    }

    fn shown(&self, path: &Path) -> String {
        let p = normalise(path);
        p.strip_prefix(normalise(&self.root))
            .unwrap_or(&p)
            .display()
            .to_string()
    }

    /// Walks `items` of the file `file`, whose child modules' files are under `dir`.
    fn items(&mut self, items: &[syn::Item], file: &Path, dir: &Path) {
        for item in items {
            self.item(item, file, dir);
        }
    }

    fn report(&mut self, file: &Path, what: String) {
        let shown = self.shown(file);
        self.found.push(format!("{shown}: {what}"));
    }

    fn item(&mut self, item: &syn::Item, file: &Path, dir: &Path) {
        use syn::Item;
        let (attrs, vis) = match item {
            Item::Const(i) => (&i.attrs, Some(&i.vis)),
            Item::Enum(i) => (&i.attrs, Some(&i.vis)),
            Item::Fn(i) => (&i.attrs, Some(&i.vis)),
            Item::Mod(i) => (&i.attrs, Some(&i.vis)),
            Item::Static(i) => (&i.attrs, Some(&i.vis)),
            Item::Struct(i) => (&i.attrs, Some(&i.vis)),
            Item::Trait(i) => (&i.attrs, Some(&i.vis)),
            Item::Type(i) => (&i.attrs, Some(&i.vis)),
            Item::Union(i) => (&i.attrs, Some(&i.vis)),
            Item::Impl(i) => (&i.attrs, None),
            _ => return,
        };
        if is_hidden(attrs) {
            return;
        }
        let public = vis.is_some_and(is_pub);
        let documented = has_doc(attrs);
        let need = |this: &mut Self, kind: &str, name: &dyn std::fmt::Display| {
            if public {
                this.checked += 1;
                if !documented {
                    this.report(file, format!("{kind} `{name}` has no doc"));
                }
            }
        };
        match item {
            Item::Const(i) => need(self, "constant", &i.ident),
            Item::Static(i) => need(self, "static", &i.ident),
            Item::Fn(i) => need(self, "function", &i.sig.ident),
            Item::Type(i) => need(self, "type alias", &i.ident),
            Item::Union(i) => {
                need(self, "union", &i.ident);
                if public {
                    self.fields(&i.fields.named, file, &i.ident.to_string());
                }
            }
            Item::Struct(i) => {
                need(self, "struct", &i.ident);
                if public {
                    if let syn::Fields::Named(named) = &i.fields {
                        self.fields(&named.named, file, &i.ident.to_string());
                    }
                }
            }
            Item::Enum(i) => {
                need(self, "enum", &i.ident);
                if public {
                    for v in &i.variants {
                        if is_hidden(&v.attrs) {
                            continue;
                        }
                        let owner = format!("{}::{}", i.ident, v.ident);
                        self.checked += 1;
                        if !has_doc(&v.attrs) {
                            self.report(file, format!("variant `{owner}` has no doc"));
                        }
                        if let syn::Fields::Named(named) = &v.fields {
                            self.all_fields(&named.named, file, &owner);
                        }
                    }
                }
            }
            Item::Trait(i) => {
                need(self, "trait", &i.ident);
                if public {
                    for ti in &i.items {
                        let (attrs, name) = match ti {
                            syn::TraitItem::Const(c) => (&c.attrs, c.ident.to_string()),
                            syn::TraitItem::Fn(f) => (&f.attrs, f.sig.ident.to_string()),
                            syn::TraitItem::Type(t) => (&t.attrs, t.ident.to_string()),
                            _ => continue,
                        };
                        if is_hidden(attrs) {
                            continue;
                        }
                        self.checked += 1;
                        if !has_doc(attrs) {
                            self.report(
                                file,
                                format!("trait item `{}::{name}` has no doc", i.ident),
                            );
                        }
                    }
                }
            }
            Item::Impl(i) => {
                if i.trait_.is_some() {
                    return;
                }
                let owner = type_name(&i.self_ty);
                for ii in &i.items {
                    let (attrs, vis, name) = match ii {
                        syn::ImplItem::Const(c) => (&c.attrs, &c.vis, c.ident.to_string()),
                        syn::ImplItem::Fn(f) => (&f.attrs, &f.vis, f.sig.ident.to_string()),
                        syn::ImplItem::Type(t) => (&t.attrs, &t.vis, t.ident.to_string()),
                        _ => continue,
                    };
                    if !is_pub(vis) || is_hidden(attrs) {
                        continue;
                    }
                    self.checked += 1;
                    if !has_doc(attrs) {
                        self.report(file, format!("method or item `{owner}::{name}` has no doc"));
                    }
                }
            }
            Item::Mod(m) => {
                let name = m.ident.to_string();
                match &m.content {
                    Some((_, inner)) => {
                        need(self, "module", &m.ident);
                        self.items(inner, file, &dir.join(&name));
                    }
                    None => {
                        let path = match path_attr(&m.attrs) {
                            Some(p) => file.parent().unwrap_or(Path::new("")).join(p),
                            None => {
                                let flat = dir.join(format!("{name}.rs"));
                                if (self.read)(&flat).is_some() {
                                    flat
                                } else {
                                    dir.join(&name).join("mod.rs")
                                }
                            }
                        };
                        self.file(&path, public && !documented, &format!("module `{name}`"));
                    }
                }
            }
            _ => {}
        }
    }

    /// The `pub` named fields of `owner` that have no doc.
    fn fields(
        &mut self,
        fields: &syn::punctuated::Punctuated<syn::Field, syn::Token![,]>,
        file: &Path,
        owner: &str,
    ) {
        for f in fields {
            if !is_pub(&f.vis) || is_hidden(&f.attrs) {
                continue;
            }
            self.checked += 1;
            if !has_doc(&f.attrs) {
                let name = f
                    .ident
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                self.report(file, format!("field `{owner}.{name}` has no doc"));
            }
        }
    }

    /// The named fields of an enum variant (public with the enum) that have no doc.
    fn all_fields(
        &mut self,
        fields: &syn::punctuated::Punctuated<syn::Field, syn::Token![,]>,
        file: &Path,
        owner: &str,
    ) {
        for f in fields {
            if is_hidden(&f.attrs) {
                continue;
            }
            self.checked += 1;
            if !has_doc(&f.attrs) {
                let name = f
                    .ident
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                self.report(file, format!("field `{owner}.{name}` has no doc"));
            }
        }
    }
}

/// The directory of the files of `path`'s child modules: beside a `lib.rs`/`mod.rs`, else in a
/// directory named after the file.
fn module_dir(path: &Path) -> PathBuf {
    let parent = path.parent().unwrap_or(Path::new("")).to_path_buf();
    match path.file_name().and_then(|n| n.to_str()) {
        Some("lib.rs" | "mod.rs" | "main.rs") => parent,
        _ => parent.join(path.file_stem().unwrap_or_default()),
    }
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// A `#[doc = "..."]` (a `///` or `//!` comment) among `attrs`.
fn has_doc(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| a.path().is_ident("doc") && matches!(a.meta, syn::Meta::NameValue(_)))
}

/// `#[doc(hidden)]` among `attrs`.
fn is_hidden(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("doc")
            && matches!(&a.meta, syn::Meta::List(l) if l.tokens.to_string().trim() == "hidden")
    })
}

/// The value of `#[path = "..."]` among `attrs`.
fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

/// The last segment of an impl's self type, for messages.
fn type_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => "_".to_owned(),
    }
}

/// The document with every `description`, `summary` and `title` removed, so that no generated
/// item can take its doc from the spec and every fallback is exercised. Where the OpenAPI
/// schema requires one (a response's `description`, `info.title`) it is kept, empty.
pub fn without_prose(doc: &mut serde_json::Value) {
    strip(doc, Place::Other);
}

/// The document with every `description`, `summary` and `title` blank (spaces and a line
/// break): text that is there but says nothing.
pub fn with_blank_prose(doc: &mut serde_json::Value) {
    match doc {
        serde_json::Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if PROSE.contains(&key.as_str()) && value.is_string() {
                    *value = " \n ".into();
                } else {
                    with_blank_prose(value);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(with_blank_prose),
        _ => {}
    }
}

const PROSE: &[&str] = &["description", "summary", "title"];

/// Where a value sits, for what [`without_prose`] must keep.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    /// The `info` object.
    Info,
    /// The map of a `responses` key: its values are response objects.
    Responses,
    /// A value of such a map.
    Response,
    Other,
}

fn strip(value: &mut serde_json::Value, place: Place) {
    match value {
        serde_json::Value::Object(map) => {
            let required = matches!(place, Place::Info | Place::Response);
            for key in PROSE {
                if map.get(*key).is_some_and(serde_json::Value::is_string) {
                    if required {
                        map.insert((*key).to_owned(), "".into());
                    } else {
                        map.remove(*key);
                    }
                }
            }
            for (key, v) in map.iter_mut() {
                let child = match (place, key.as_str()) {
                    (Place::Responses, _) => Place::Response,
                    (_, "responses") => Place::Responses,
                    (Place::Other, "info") => Place::Info,
                    _ => Place::Other,
                };
                strip(v, child);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| strip(v, Place::Other)),
        _ => {}
    }
}
