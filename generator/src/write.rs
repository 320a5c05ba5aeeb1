//! Stage 6, write: puts the generated files on disk, or compares them in check mode.
//!
//! Takes: an output directory and the generated files. Gives: the files written (only those
//! whose bytes change), or in check mode the list of stale, missing and leftover files. A
//! leftover is a file under `src/` that carries the `@generated` header but is no longer
//! generated; files without the header (hand-written ones, a `target/` or `Cargo.lock` from
//! building the crate) are never touched.

use crate::GeneratedFile;
use std::collections::BTreeSet;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Why a file in the output directory does not match.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Staleness {
    /// The generator would write it, and it is not there.
    Missing,
    /// It is there with other bytes.
    Differs,
    /// It carries the `@generated` header, and the generator would not write it any more.
    Leftover,
}

/// One file that does not match.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct StaleFile {
    /// Path relative to the output directory.
    pub path: String,
    /// What is wrong with it.
    pub reason: Staleness,
}

impl fmt::Display for StaleFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self.reason {
            Staleness::Missing => "missing",
            Staleness::Differs => "out of date",
            Staleness::Leftover => "leftover (no longer generated)",
        };
        write!(f, "{}: {why}", self.path)
    }
}

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteReport {
    /// Files written because they were new or changed.
    pub written: Vec<String>,
    /// Files already up to date.
    pub unchanged: Vec<String>,
    /// Leftover files removed.
    pub removed: Vec<String>,
}

/// Compares `files` with `out_dir` without writing anything.
pub fn check(out_dir: &Path, files: &[GeneratedFile]) -> io::Result<Vec<StaleFile>> {
    let mut stale = Vec::new();
    for f in files {
        let path = out_dir.join(&f.path);
        match std::fs::read(&path) {
            Ok(bytes) if bytes == f.contents.as_bytes() => {}
            Ok(_) => stale.push(StaleFile {
                path: f.path.clone(),
                reason: Staleness::Differs,
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => stale.push(StaleFile {
                path: f.path.clone(),
                reason: Staleness::Missing,
            }),
            Err(e) => return Err(e),
        }
    }
    for path in leftovers(out_dir, files)? {
        stale.push(StaleFile {
            path,
            reason: Staleness::Leftover,
        });
    }
    stale.sort();
    Ok(stale)
}

/// Writes `files` into `out_dir`, touching only files whose bytes change, and removes leftover
/// files from the directories the generator owns.
pub fn write(out_dir: &Path, files: &[GeneratedFile]) -> io::Result<WriteReport> {
    let mut report = WriteReport::default();
    for f in files {
        let path = out_dir.join(&f.path);
        if std::fs::read(&path).is_ok_and(|b| b == f.contents.as_bytes()) {
            report.unchanged.push(f.path.clone());
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &f.contents)?;
        report.written.push(f.path.clone());
    }
    for rel in leftovers(out_dir, files)? {
        std::fs::remove_file(out_dir.join(&rel))?;
        report.removed.push(rel);
    }
    Ok(report)
}

/// Files under `src/` of `out_dir` that carry the `@generated` header and that the generator
/// would not write.
fn leftovers(out_dir: &Path, files: &[GeneratedFile]) -> io::Result<Vec<String>> {
    let expected: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut found = Vec::new();
    let src = out_dir.join("src");
    if src.is_dir() {
        walk(&src, &mut found)?;
    }
    let mut out = Vec::new();
    for path in found {
        let rel = path
            .strip_prefix(out_dir)
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if !expected.contains(rel.as_str()) && is_generated(&path)? {
            out.push(rel);
        }
    }
    out.sort();
    Ok(out)
}

/// True when the file's first line carries the `@generated` marker.
fn is_generated(path: &Path) -> io::Result<bool> {
    use std::io::BufRead;
    let mut first = String::new();
    io::BufReader::new(std::fs::File::open(path)?).read_line(&mut first)?;
    Ok(first.contains("@generated"))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        if e.file_type()?.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}
