//! Cleans spec prose into rustdoc that builds without warnings.
//!
//! Takes: `description`/`summary`/`title` text. Gives: Markdown where bare URLs are autolinks,
//! stray `<`, `>`, `[`, `]` are escaped, indentation cannot become a doctest, and code fences are
//! marked `text` so spec examples are never compiled.
//!
//! A doc the IR holds is never blank: text that cleans to nothing (`description: ""`, or only
//! spaces) is no doc, so that the emitter's fallback (a line naming the item's place) applies.

use openapiv3::Schema;

/// The doc of a schema: its description, else its title (a blank one counts as none).
pub fn schema_doc(s: &Schema) -> Option<String> {
    prose(s.schema_data.description.as_deref()).or_else(|| prose(s.schema_data.title.as_deref()))
}

/// Spec prose cleaned ([`clean`]), or `None` when there is none or it is blank.
pub fn prose(text: Option<&str>) -> Option<String> {
    text.map(clean).filter(|d| !d.is_empty())
}

/// The first paragraph of a cleaned doc (up to the first blank line), for a place that
/// borrows another item's doc: a field typed by a referenced schema says what the schema is
/// in a line, and the schema's own doc has the rest. A paragraph that opens a code fence is
/// kept whole up to where the fence closes.
pub fn first_paragraph(doc: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in doc.lines() {
        if line.is_empty() && !in_fence {
            break;
        }
        if line.starts_with("```") {
            in_fence = !in_fence;
        }
        out.push(line);
    }
    out.join("\n")
}

/// Joins a summary and a description into one doc.
pub fn summary_and_description(summary: Option<&str>, description: Option<&str>) -> Option<String> {
    let parts: Vec<String> = [summary, description]
        .into_iter()
        .flatten()
        .map(clean)
        .filter(|p| !p.is_empty())
        .collect();
    let mut out: Vec<String> = Vec::new();
    for p in parts {
        if !out
            .iter()
            .any(|o| o.trim_end_matches('.') == p.trim_end_matches('.'))
        {
            out.push(p);
        }
    }
    if out.is_empty() {
        None
    } else {
        Some(out.join("\n\n"))
    }
}

/// Adds a paragraph to a doc.
pub fn append(doc: Option<String>, paragraph: &str) -> String {
    match doc {
        Some(d) if !d.is_empty() => format!("{d}\n\n{paragraph}"),
        _ => paragraph.to_owned(),
    }
}

/// Cleans one piece of prose.
pub fn clean(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    // Width of the marker of the list item that the following lines continue, if any.
    let mut list_indent: Option<usize> = None;
    for raw in text.replace("\r\n", "\n").lines() {
        let line = raw.trim();
        if line.starts_with("```") || line.starts_with("~~~") {
            out.push(if in_fence {
                "```".to_owned()
            } else {
                "```text".to_owned()
            });
            in_fence = !in_fence;
            list_indent = None;
            continue;
        }
        if in_fence {
            out.push(raw.trim_end().to_owned());
            continue;
        }
        if line.is_empty() {
            list_indent = None;
            out.push(String::new());
            continue;
        }
        if let Some(width) = list_marker_width(line) {
            list_indent = Some(width);
            out.push(clean_line(line));
        } else if let Some(width) = list_indent {
            // A continuation of a list item: indent it under the item, so that Markdown (and
            // clippy's doc lints) read it as part of the item, never as a code block.
            out.push(format!("{}{}", " ".repeat(width), clean_line(line)));
        } else {
            out.push(clean_line(line));
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    out.join("\n").trim().to_owned()
}

/// Width of a list marker (`- `, `* `, `+ `, `1. `) at the start of `line`.
fn list_marker_width(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && line[digits..].starts_with(". ") {
        return Some(digits + 2);
    }
    None
}

fn clean_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    let mut in_code = false;
    while !rest.is_empty() {
        if !in_code {
            if let Some(url_len) = url_at(rest) {
                out.push('<');
                out.push_str(&rest[..url_len]);
                out.push('>');
                rest = &rest[url_len..];
                continue;
            }
        }
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        match c {
            '`' => {
                // Only open a code span that closes on this line; text in it stays verbatim.
                if in_code || chars.as_str().contains('`') {
                    in_code = !in_code;
                }
                out.push('`');
            }
            _ if in_code => out.push(c),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
        rest = chars.as_str();
    }
    out
}

/// Length of a bare URL starting at the beginning of `s`, without trailing punctuation.
fn url_at(s: &str) -> Option<usize> {
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return None;
    }
    let end = s
        .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"' || c == '`')
        .unwrap_or(s.len());
    let url = s[..end].trim_end_matches(['.', ',', ';', ':', ')', '(', ']', '[', '\'', '!', '?']);
    if url.len() <= "https://".len() {
        None
    } else {
        Some(url.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning() {
        assert_eq!(
            clean("See https://example.com/x."),
            "See <https://example.com/x>."
        );
        assert_eq!(
            clean("A List<String> [note]"),
            "A List&lt;String&gt; \\[note\\]"
        );
        assert_eq!(clean("    indented code"), "indented code");
        assert_eq!(clean("```\nlet x = 1;\n```"), "```text\nlet x = 1;\n```");
        assert_eq!(clean("```json\n{}"), "```text\n{}\n```");
        assert_eq!(
            clean("Known:\n\n- `a`: e.g. `[\"X\"]`\n  more"),
            "Known:\n\n- `a`: e.g. `[\"X\"]`\n  more"
        );
        assert_eq!(clean("`a<b>` and a<b>"), "`a<b>` and a&lt;b&gt;");
    }

    #[test]
    fn blank_prose_is_no_doc() {
        assert_eq!(prose(Some(" \n\t ")), None);
        assert_eq!(prose(Some("")), None);
        assert_eq!(prose(None), None);
        assert_eq!(prose(Some(" A pet. ")).as_deref(), Some("A pet."));
        assert_eq!(summary_and_description(Some(" "), Some("\n")), None);
    }

    #[test]
    fn first_paragraphs() {
        assert_eq!(
            first_paragraph("One.\nStill one.\n\nTwo."),
            "One.\nStill one."
        );
        assert_eq!(
            first_paragraph("```text\na\n\nb\n```\n\nAfter."),
            "```text\na\n\nb\n```"
        );
        assert_eq!(first_paragraph("Only."), "Only.");
    }
}
