//! Stage 6, write: puts the generated files on disk, or compares them in check mode.
//!
//! Takes: an output directory and the generated files, all at once or one at a time as they are
//! rendered ([`Writer`], [`Checker`]). Gives: the files written (only those whose bytes change,
//! all put in place at the end), or in check mode the list of stale, missing and leftover files. A
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
    let mut checker = Checker::new(out_dir);
    for f in files {
        checker.add(f)?;
    }
    checker.finish()
}

/// Writes `files` into `out_dir`, touching only files whose bytes change, and removes leftover
/// files from the directories the generator owns.
pub fn write(out_dir: &Path, files: &[GeneratedFile]) -> io::Result<WriteReport> {
    let mut writer = Writer::new(out_dir);
    for f in files {
        writer.add(f)?;
    }
    writer.commit()
}

/// Compares files with an output directory one at a time, as they are generated; the leftover
/// files are known once every file has been seen ([`Checker::finish`]).
#[derive(Debug)]
pub struct Checker {
    out_dir: PathBuf,
    seen: BTreeSet<String>,
    stale: Vec<StaleFile>,
}

impl Checker {
    /// A checker of `out_dir`.
    pub fn new(out_dir: &Path) -> Checker {
        Checker {
            out_dir: out_dir.to_path_buf(),
            seen: BTreeSet::new(),
            stale: Vec::new(),
        }
    }

    /// Compares one file.
    pub fn add(&mut self, file: &GeneratedFile) -> io::Result<()> {
        self.seen.insert(file.path.clone());
        let reason = match std::fs::read(self.out_dir.join(&file.path)) {
            Ok(bytes) if bytes == file.contents.as_bytes() => return Ok(()),
            Ok(_) => Staleness::Differs,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Staleness::Missing,
            Err(e) => return Err(e),
        };
        self.stale.push(StaleFile {
            path: file.path.clone(),
            reason,
        });
        Ok(())
    }

    /// Every stale, missing and leftover file, sorted.
    pub fn finish(mut self) -> io::Result<Vec<StaleFile>> {
        for path in leftovers(&self.out_dir, &self.seen)? {
            self.stale.push(StaleFile {
                path,
                reason: Staleness::Leftover,
            });
        }
        self.stale.sort();
        Ok(self.stale)
    }
}

/// Writes files into an output directory one at a time, as they are generated, so that no
/// more than one file is held in memory. A changed file is first written next to its target
/// (as `NAME.generating`) and put in place by [`Writer::commit`], which also removes leftovers:
/// a run that fails half-way (a write error, or a generator bug found while rendering) leaves
/// the directory as it was. Dropping a writer without committing removes what it staged.
#[derive(Debug)]
pub struct Writer {
    out_dir: PathBuf,
    seen: BTreeSet<String>,
    /// Staged files: the temporary path, and the path relative to `out_dir`.
    staged: Vec<(PathBuf, String)>,
    unchanged: Vec<String>,
}

/// The suffix of a file staged by a [`Writer`].
const STAGED_SUFFIX: &str = ".generating";

impl Writer {
    /// A writer into `out_dir` (created when needed).
    pub fn new(out_dir: &Path) -> Writer {
        Writer {
            out_dir: out_dir.to_path_buf(),
            seen: BTreeSet::new(),
            staged: Vec::new(),
            unchanged: Vec::new(),
        }
    }

    /// Stages one file, unless the directory already holds it with the same bytes.
    pub fn add(&mut self, file: &GeneratedFile) -> io::Result<()> {
        self.seen.insert(file.path.clone());
        let path = self.out_dir.join(&file.path);
        if std::fs::read(&path).is_ok_and(|b| b == file.contents.as_bytes()) {
            self.unchanged.push(file.path.clone());
            return Ok(());
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut staged = path.into_os_string();
        staged.push(STAGED_SUFFIX);
        let staged = PathBuf::from(staged);
        std::fs::write(&staged, &file.contents)?;
        self.staged.push((staged, file.path.clone()));
        Ok(())
    }

    /// Puts every staged file in place and removes the leftovers.
    pub fn commit(mut self) -> io::Result<WriteReport> {
        let mut report = WriteReport {
            unchanged: std::mem::take(&mut self.unchanged),
            ..WriteReport::default()
        };
        for (staged, rel) in std::mem::take(&mut self.staged) {
            std::fs::rename(&staged, self.out_dir.join(&rel))?;
            report.written.push(rel);
        }
        for rel in leftovers(&self.out_dir, &self.seen)? {
            std::fs::remove_file(self.out_dir.join(&rel))?;
            report.removed.push(rel);
        }
        report.written.sort();
        report.unchanged.sort();
        Ok(report)
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        for (staged, _) in &self.staged {
            // Best effort: the file is ours, and nothing else can be done about a failure here.
            let _ = std::fs::remove_file(staged);
        }
    }
}

/// What the last generation left in `out_dir`: the version of its `Cargo.toml`, its API
/// surface record and its changelog. `None` when any is missing (a first generation, or a crate
/// made before the generator kept them).
pub fn read_previous(out_dir: &Path) -> Option<crate::settings::Previous> {
    let manifest = std::fs::read_to_string(out_dir.join("Cargo.toml")).ok()?;
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))?
        .trim_end_matches('"')
        .to_owned();
    let surface = std::fs::read_to_string(out_dir.join("api-surface.tsv")).ok()?;
    let changelog = std::fs::read_to_string(out_dir.join("CHANGELOG.md")).ok()?;
    // Without the header line `<!-- @generated ... -->` and the blank line after it.
    let changelog = match changelog.split_once("-->\n\n") {
        Some((header, rest)) if header.contains("@generated") => rest.to_owned(),
        _ => changelog,
    };
    Some(crate::settings::Previous {
        version,
        surface,
        changelog,
    })
}

/// Files under `src/` of `out_dir` that carry the `@generated` header and that the generator
/// would not write.
fn leftovers(out_dir: &Path, expected: &BTreeSet<String>) -> io::Result<Vec<String>> {
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
        if !expected.contains(&rel) && is_generated(&path)? {
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
