//! What a spec change does to a generated crate's users.
//!
//! Takes: the IR of the crate before and after ([`Api`]). Gives: a [`Report`]: every change to
//! the public API ([`crate::surface`] items added, removed or changed), each marked breaking or
//! additive with the reason, grouped by model or namespace, and the semver bump they call for;
//! [`Report::markdown`] writes it for a pull request.
//!
//! The rules, by what changed:
//! - removed (a method, namespace, model, field, enum value, variant, event, scheme): breaking;
//! - added: a method, namespace, version, model, security scheme: additive; an optional field:
//!   additive (code that builds the struct with a literal must add it; builders and `new` are
//!   unaffected); a required field: breaking (`build()` and `new` need it); an enum value, a
//!   union variant, a webhook event or a signature scheme: breaking for an exhaustive `match`
//!   (decoding already kept unknown values, so running clients are unaffected);
//! - changed: a method that only gained optional parameters: additive; a method whose
//!   credentials changed (`auth(..)`): breaking, said so; any other change to a method
//!   (arguments, output, versions): breaking; a field made required, optional, nullable
//!   or retyped: breaking, with the old and new type; anything else: breaking.

use crate::ir::Api;
use crate::surface::{Item, ItemKind, items};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Whether a change can break code that uses the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Code that compiled before may not compile now.
    Breaking,
    /// Only adds.
    Additive,
}

/// One change to the public API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The model or namespace it belongs to.
    pub group: String,
    /// Breaking or additive.
    pub impact: Impact,
    /// What changed and why it matters, one line.
    pub text: String,
}

/// The semver bump a set of changes calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Nothing in the public API changed.
    None,
    /// Additions only: a minor version (a patch one before 1.0).
    Minor,
    /// Something breaks: a major version (a minor one before 1.0).
    Major,
}

/// Every change from one version of a crate's API to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The changes, grouped by model or namespace, breaking ones first in each group.
    pub changes: Vec<Change>,
}

impl Report {
    /// Whether any change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.impact == Impact::Breaking)
    }

    /// The semver bump the changes call for.
    pub fn bump(&self) -> Bump {
        if self.is_breaking() {
            Bump::Major
        } else if self.changes.is_empty() {
            Bump::None
        } else {
            Bump::Minor
        }
    }

    /// The report in Markdown: a summary with the bump, then the changes by group.
    pub fn markdown(&self) -> String {
        let breaking = self
            .changes
            .iter()
            .filter(|c| c.impact == Impact::Breaking)
            .count();
        let additive = self.changes.len() - breaking;
        let mut out = String::from("## API changes\n\n");
        let bump = match self.bump() {
            Bump::None => "none: the public API is unchanged",
            Bump::Minor => "minor (additions only)",
            Bump::Major => "major: something breaks (minor before 1.0)",
        };
        let _ = writeln!(
            out,
            "{breaking} breaking, {additive} additive. Version bump: {bump}.\n"
        );
        let mut group = None;
        for c in &self.changes {
            if group != Some(&c.group) {
                if group.is_some() {
                    out.push('\n');
                }
                let _ = writeln!(out, "### {}\n", code(&c.group));
                group = Some(&c.group);
            }
            let mark = match c.impact {
                Impact::Breaking => "**breaking**",
                Impact::Additive => "additive",
            };
            let _ = writeln!(out, "- {mark}: {}", c.text);
        }
        out
    }
}

/// The changes from `old` to `new`.
pub fn diff(old: &Api, new: &Api) -> Report {
    diff_items(items(old), items(new))
}

/// The changes from one list of surface items to another.
pub fn diff_items(old: Vec<Item>, new: Vec<Item>) -> Report {
    let before: BTreeMap<String, Item> = old.into_iter().map(|i| (i.key.clone(), i)).collect();
    let after: BTreeMap<String, Item> = new.into_iter().map(|i| (i.key.clone(), i)).collect();
    let mut changes = Vec::new();
    for (key, old_item) in &before {
        match after.get(key) {
            None => changes.push(removed(old_item)),
            Some(new_item) if new_item.detail != old_item.detail => {
                changes.push(changed(old_item, new_item));
            }
            Some(_) => {}
        }
    }
    for (key, new_item) in &after {
        if !before.contains_key(key) {
            changes.push(added(new_item));
        }
    }
    changes.sort_by(|a, b| (&a.group, a.impact, &a.text).cmp(&(&b.group, b.impact, &b.text)));
    Report { changes }
}

fn line(item: &Item) -> String {
    code(&format!("{}{}", item.key, item.detail))
}

/// `text` as inline code, with a longer fence when it holds backticks itself (`nothing` when
/// it is empty).
fn code(text: &str) -> String {
    if text.is_empty() {
        "nothing".to_owned()
    } else if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

fn removed(item: &Item) -> Change {
    Change {
        group: item.group.clone(),
        impact: Impact::Breaking,
        text: format!("removed {}", line(item)),
    }
}

fn added(item: &Item) -> Change {
    let (impact, why) = match item.kind {
        ItemKind::Field if item.detail.contains("(required") => (
            Impact::Breaking,
            "a new required field: `build()` and `new` need it",
        ),
        ItemKind::Field => (
            Impact::Additive,
            "optional; a struct literal must add it, builders are unaffected",
        ),
        ItemKind::EnumValue
        | ItemKind::UnionVariant
        | ItemKind::WebhookEvent
        | ItemKind::WebhookScheme => (
            Impact::Breaking,
            "a new variant: an exhaustive `match` needs an arm (decoding already kept unknown values)",
        ),
        ItemKind::Feature
        | ItemKind::Version
        | ItemKind::Security
        | ItemKind::Namespace
        | ItemKind::Method
        | ItemKind::Type => (Impact::Additive, "new"),
    };
    Change {
        group: item.group.clone(),
        impact,
        text: format!("added {} ({why})", line(item)),
    }
}

fn changed(old: &Item, new: &Item) -> Change {
    let (impact, why) = match new.kind {
        ItemKind::Method if only_optional_parameters_added(&old.detail, &new.detail) => {
            (Impact::Additive, "new optional parameters".to_owned())
        }
        ItemKind::Method if auth(&old.detail) != auth(&new.detail) => (
            Impact::Breaking,
            "the credentials it needs changed (configure the client for them)".to_owned(),
        ),
        ItemKind::Method => (
            Impact::Breaking,
            "its arguments, output or versions changed".to_owned(),
        ),
        ItemKind::Field => (Impact::Breaking, field_change(&old.detail, &new.detail)),
        _ => (Impact::Breaking, "changed".to_owned()),
    };
    Change {
        group: new.group.clone(),
        impact,
        text: format!(
            "{}: {why}: {} became {}",
            code(&new.key),
            code(old.detail.trim_start_matches([':', ' '])),
            code(new.detail.trim_start_matches([':', ' ']))
        ),
    }
}

/// The `auth(..)` part of a method's line.
fn auth(detail: &str) -> &str {
    detail.split_once(" auth(").map_or("", |(_, rest)| rest)
}

/// Whether a method's line differs only by parameters added to its `optional(..)` list.
fn only_optional_parameters_added(old: &str, new: &str) -> bool {
    let split = |s: &str| -> (String, Vec<String>) {
        match s.split_once(" optional(") {
            None => (s.to_owned(), Vec::new()),
            Some((head, rest)) => {
                let (list, tail) = rest.split_once(')').unwrap_or((rest, ""));
                let params = list.split(", ").map(str::to_owned).collect();
                (format!("{head}{tail}"), params)
            }
        }
    };
    let (old_rest, old_params) = split(old);
    let (new_rest, new_params) = split(new);
    old_rest == new_rest
        && new_params.len() > old_params.len()
        && old_params.iter().all(|p| new_params.contains(p))
}

/// Why a field's change breaks, in the words of the spec.
fn field_change(old: &str, new: &str) -> String {
    let required = |s: &str| s.contains("(required");
    match (required(old), required(new)) {
        (false, true) => "became required: `build()` and `new` need it".to_owned(),
        (true, false) => "became optional: its type is now an `Option`".to_owned(),
        _ if new.contains("Nullable<") != old.contains("Nullable<")
            || new.contains("nullable") != old.contains("nullable") =>
        {
            "its nullability changed".to_owned()
        }
        _ => "its type changed".to_owned(),
    }
}
