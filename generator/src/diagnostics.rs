//! Diagnostics: every problem the generator reports names the place in the spec as a JSON
//! pointer (RFC 6901) and says what is wrong. Errors stop generation; warnings (a fallback to
//! `serde_json::Value`, an ignored construct) are reported beside the output. Warnings of the
//! [`Category::BrokenDocument`] kind (a `$ref` that does not resolve, or resolves to the wrong
//! kind of object, and what the generator guessed instead) become errors in strict mode
//! ([`Diagnostics::strict`], `Settings::strict`, `--strict`).
//!
//! Takes: messages from every stage. Gives: a sorted, deduplicated list that prints one
//! diagnostic a line.

use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// A bug in the generator (emitted code that does not parse, a broken invariant): not the
    /// spec's fault. Generation fails; the corpus and fuzz tests fail on it too, where a spec
    /// error is an accepted outcome.
    Internal,
    /// Generation cannot produce a crate for this document.
    Error,
    /// Generation goes on with a documented fallback.
    Warning,
}

/// What kind of problem a diagnostic reports, where that matters beyond its severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Category {
    /// Any other problem.
    #[default]
    Other,
    /// The document is broken, and generation went on with a guess that the message names: a
    /// `$ref` to nothing (typed `serde_json::Value`, or what it stood for left out) or to the
    /// wrong kind of object (followed, because its shape fits). A warning by default, so that
    /// a vendor's broken document still gives a client; an error in strict mode, for teams
    /// that own their document.
    BrokenDocument,
}

/// One problem at one place in the spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// JSON pointer into the spec, written as a URI fragment (`#/paths/~1pets/get`).
    pub pointer: String,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, and where it helps, what to do.
    pub message: String,
    /// What kind of problem it is.
    pub category: Category,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Internal => "internal error",
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}: {}", self.pointer, self.message)
    }
}

/// The diagnostics of one generation run, kept sorted by pointer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records an error at `pointer`.
    pub fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(
            pointer.into(),
            Severity::Error,
            message.into(),
            Category::Other,
        );
    }

    /// Records, at `pointer`, that the document is broken there and what generation did
    /// instead ([`Category::BrokenDocument`]): a warning, which [`Diagnostics::strict`] makes an
    /// error.
    pub fn broken(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(
            pointer.into(),
            Severity::Warning,
            message.into(),
            Category::BrokenDocument,
        );
    }

    /// The same diagnostics, with every [`Category::BrokenDocument`] warning made an error
    /// (its message, which says what would be guessed, marked as refused): strict mode, where
    /// a broken document is rejected instead of guessed at.
    pub fn strict(self) -> Diagnostics {
        let mut out = Diagnostics::default();
        for d in self.items {
            match (d.category, d.severity) {
                (Category::BrokenDocument, Severity::Warning) => out.push(
                    d.pointer,
                    Severity::Error,
                    format!("{} (refused in strict mode)", d.message),
                    d.category,
                ),
                _ => out.push(d.pointer, d.severity, d.message, d.category),
            }
        }
        out
    }

    /// Records a generator bug noticed at `pointer` (the place in the spec being processed, or
    /// `#`). The message should say what broke; the display asks the user to report it.
    pub fn internal(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(
            pointer.into(),
            Severity::Internal,
            format!(
                "{}; this is a bug in the generator, please report it with the spec",
                message.into()
            ),
            Category::Other,
        );
    }

    /// Records a warning at `pointer`.
    pub fn warning(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(
            pointer.into(),
            Severity::Warning,
            message.into(),
            Category::Other,
        );
    }

    fn push(&mut self, pointer: String, severity: Severity, message: String, category: Category) {
        // One diagnostic, one line: spec text quoted in a message may contain line breaks.
        let message = message.replace("\r\n", " ").replace(['\n', '\r'], " ");
        let diagnostic = Diagnostic {
            pointer,
            severity,
            message,
            category,
        };
        if !self.items.contains(&diagnostic) {
            self.items.push(diagnostic);
        }
    }

    /// Moves every diagnostic of `other` into `self`.
    pub fn extend(&mut self, other: Diagnostics) {
        for d in other.items {
            self.push(d.pointer, d.severity, d.message, d.category);
        }
    }

    /// The same diagnostics with every pointer replaced by `f(pointer)` (used to point into
    /// the user's document when the load stage rewrote it; see `load::Origins`).
    pub fn map_pointers(self, f: impl Fn(&str) -> String) -> Diagnostics {
        let mut out = Diagnostics::default();
        for d in self.items {
            out.push(f(&d.pointer), d.severity, d.message, d.category);
        }
        out
    }

    /// Moves the diagnostics of a step's result into `self` and gives its value.
    pub fn keep<T>(&mut self, (value, found): (T, Diagnostics)) -> T {
        self.extend(found);
        value
    }

    /// True when at least one error (of the spec or of the generator) was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity != Severity::Warning)
    }

    /// True when a generator bug was recorded.
    pub fn has_internal_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Internal)
    }

    /// All diagnostics, sorted by pointer, then severity, then message.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        items.sort();
        items
    }

    /// The errors only (of the spec and of the generator), sorted.
    pub fn errors(&self) -> Vec<Diagnostic> {
        self.sorted()
            .into_iter()
            .filter(|d| d.severity != Severity::Warning)
            .collect()
    }

    /// The warnings only, sorted.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        self.sorted()
            .into_iter()
            .filter(|d| d.severity == Severity::Warning)
            .collect()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.sorted() {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// A JSON pointer under construction. Segments are escaped per RFC 6901 (`~` as `~0`, `/` as
/// `~1`); the rendered form is a URI fragment starting with `#`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pointer(String);

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Pointer("#".to_owned())
    }

    /// Parses a local reference such as `#/components/schemas/Pet` as a pointer.
    pub fn from_fragment(fragment: &str) -> Self {
        Pointer(fragment.to_owned())
    }

    /// This pointer with one more segment.
    pub fn push(&self, segment: impl AsRef<str>) -> Self {
        let escaped = segment.as_ref().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{}", self.0, escaped))
    }

    /// The pointer as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Pointer> for String {
    fn from(p: Pointer) -> String {
        p.0
    }
}

impl From<&Pointer> for String {
    fn from(p: &Pointer) -> String {
        p.0.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_segments_are_escaped() {
        let p = Pointer::root().push("paths").push("/pets/{id}").push("a~b");
        assert_eq!(p.as_str(), "#/paths/~1pets~1{id}/a~0b");
    }

    #[test]
    fn diagnostics_sort_by_pointer_and_dedupe() {
        let mut d = Diagnostics::default();
        d.error("#/b", "second");
        d.warning("#/a", "first");
        d.error("#/b", "second");
        let rendered = d.to_string();
        assert_eq!(rendered, "warning: #/a: first\nerror: #/b: second\n");
        assert!(d.has_errors());
    }

    #[test]
    fn strict_makes_only_broken_document_warnings_errors() {
        let mut d = Diagnostics::default();
        d.broken("#/a", "guessed");
        d.warning("#/b", "a fallback");
        assert!(!d.has_errors());
        assert_eq!(d.warnings().len(), 2);
        let strict = d.strict();
        assert_eq!(
            strict.to_string(),
            "error: #/a: guessed (refused in strict mode)\nwarning: #/b: a fallback\n"
        );
        assert_eq!(strict.errors()[0].category, Category::BrokenDocument);
    }
}
