//! Turning command-line arguments into inputs: directories are walked (honouring `.gitignore`,
//! `.ignore` and `[paths] ignore`), files are taken as given, `-` is standard input.
//!
//! Walk policy, chosen to find what a build would use and nothing a repository keeps out:
//! - `.gitignore`, `.ignore`, `.git/info/exclude` and the global git excludes are honoured, in a
//!   git repository or not (a Dockerfile listed in `.gitignore` is generated or vendored), for
//!   files git does not track: git ignores only untracked files, so in a git work tree a
//!   *committed* file is audited even when it matches `.gitignore` (mailcow commits five compose
//!   overrides its `.gitignore` lists). Tracked files are read from git's index (`gix-index`);
//!   `[paths] ignore` is the way to skip one;
//! - hidden directories are searched (`.devcontainer/Dockerfile`, `.github/…` are real), except
//!   version-control metadata (`.git`, `.hg`, `.svn`);
//! - symbolic links are not followed (no loops, no leaving the tree);
//! - `[paths] ignore` globs of the configuration skip discovered files, but never a file named
//!   explicitly on the command line (naming a file is asking for it to be audited).

use super::context::Source;
use super::SOURCES;
use crate::input::{Input, Origin, STDIN_NAME};
use plimsoll_core::config::Config;
use plimsoll_core::finding::path_string;
use plimsoll_core::AuditError;
use std::path::{Path, PathBuf};

/// What discovery found: inputs to audit, and paths it could not walk.
#[derive(Debug, Default)]
pub struct Discovered {
    pub inputs: Vec<Input>,
    pub errors: Vec<AuditError>,
    /// Files matched by a source but skipped by `[paths] ignore`.
    pub ignored_by_config: usize,
}

/// Directories never searched: version-control metadata.
const SKIPPED_DIRS: [&str; 3] = [".git", ".hg", ".svn"];

/// Walks `dir` and offers each file to the sources.
fn walk_dir(dir: &Path, config: &Config, ignore: &globset::GlobSet, found: &mut Discovered) {
    let mut walker = ignore::WalkBuilder::new(dir);
    walker
        .hidden(false)
        .parents(true)
        .ignore(true)
        .git_ignore(true)
        .git_global(true)
        .git_exclude(true)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            !(is_dir
                && entry.depth() > 0
                && entry
                    .file_name()
                    .to_str()
                    .is_some_and(|n| SKIPPED_DIRS.contains(&n)))
        });
    let mut inputs = Vec::new();
    for entry in walker.build() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                found.errors.push(walk_error(dir, &err));
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let Some(source) = SOURCES.iter().find(|s| s.claims(path)) else {
            continue;
        };
        if config.is_path_ignored(ignore, path) {
            found.ignored_by_config += 1;
            continue;
        }
        inputs.push(Input {
            display: display_path(dir, path),
            origin: Origin::File(path.to_path_buf()),
            kind: source.kind(),
            with: Vec::new(),
        });
    }
    add_tracked_files(dir, config, ignore, &mut inputs, found);
    inputs.sort_by(|a, b| a.display.cmp(&b.display));
    merge_compose_overrides(&mut inputs);
    found.inputs.extend(inputs);
}

/// Adds the files git tracks under `dir` that a source claims and the walk skipped (because a
/// `.gitignore` or `.ignore` matches them, or a directory holding them).
fn add_tracked_files(
    dir: &Path,
    config: &Config,
    ignore: &globset::GlobSet,
    inputs: &mut Vec<Input>,
    found: &mut Discovered,
) {
    let walked: std::collections::HashSet<PathBuf> = inputs
        .iter()
        .filter_map(|i| match &i.origin {
            Origin::File(p) => Some(p.clone()),
            Origin::Stdin => None,
        })
        .collect();
    for path in super::git::tracked_files(dir) {
        if walked.contains(&path) {
            continue;
        }
        let Some(source) = SOURCES.iter().find(|s| s.claims(&path)) else {
            continue;
        };
        // Only what is really there: a tracked file deleted (or replaced by a directory or a
        // symbolic link) in the work tree is not audited, as the walk would not see it.
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            continue;
        }
        if config.is_path_ignored(ignore, &path) {
            found.ignored_by_config += 1;
            continue;
        }
        inputs.push(Input {
            display: display_path(dir, &path),
            origin: Origin::File(path),
            kind: source.kind(),
            with: Vec::new(),
        });
    }
}

/// An explicitly named file (or `-`), audited as `source` whatever its name.
pub fn named_file(path: &Path, source: &dyn Source) -> Input {
    if path.as_os_str() == STDIN_NAME {
        return Input {
            origin: Origin::Stdin,
            display: STDIN_NAME.to_string(),
            kind: source.kind(),
            with: Vec::new(),
        };
    }
    Input {
        origin: Origin::File(path.to_path_buf()),
        display: path_string(path),
        kind: source.kind(),
        with: Vec::new(),
    }
}

/// A directory's compose project is what `docker compose` would run there: the first base file
/// (`compose.yaml`, `compose.yml`, `docker-compose.yaml`, `docker-compose.yml`) with its
/// `.override` file merged on top. So an override beside its base is not audited on its own
/// but with the base; other base names in the same directory (rare) are audited on their own.
fn merge_compose_overrides(inputs: &mut Vec<Input>) {
    use super::compose::{override_name, BASE_NAMES};
    let file_of = |input: &Input| match &input.origin {
        Origin::File(p) => Some(p.clone()),
        Origin::Stdin => None,
    };
    let mut merged: Vec<PathBuf> = Vec::new();
    let compose_paths: Vec<PathBuf> = inputs
        .iter()
        .filter(|i| i.kind == "compose")
        .filter_map(file_of)
        .collect();
    for input in inputs.iter_mut().filter(|i| i.kind == "compose") {
        let Some(path) = file_of(input) else { continue };
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !BASE_NAMES.contains(&name) {
            continue;
        }
        let dir = path.parent().unwrap_or(Path::new(""));
        // Only the preferred base of a directory takes the override.
        let preferred = BASE_NAMES
            .iter()
            .map(|b| dir.join(b))
            .find(|p| compose_paths.contains(p));
        if preferred.as_deref() != Some(path.as_path()) {
            continue;
        }
        if let Some(over) = override_name(name).map(|o| dir.join(o)) {
            if compose_paths.contains(&over) {
                input.with.push(over.clone());
                merged.push(over);
            }
        }
    }
    inputs.retain(|i| !(i.kind == "compose" && file_of(i).is_some_and(|p| merged.contains(&p))));
}

/// Collects inputs from arguments that may be directories (walked) or files (taken as given,
/// audited as the first source that claims them, else as a Dockerfile).
pub fn collect(args: &[PathBuf], config: &Config, ignore: &globset::GlobSet) -> Discovered {
    let mut found = Discovered::default();
    for arg in args {
        if arg.as_os_str() != STDIN_NAME && arg.is_dir() {
            walk_dir(arg, config, ignore, &mut found);
        } else {
            let source = SOURCES
                .iter()
                .copied()
                .find(|s| s.claims(arg))
                .unwrap_or(SOURCES[0]);
            found.inputs.push(named_file(arg, source));
        }
    }
    found
}

/// The path reports show for a discovered file: relative to the directory as the user gave it
/// (`sub/Dockerfile` for `scan .`, `proj/sub/Dockerfile` for `scan proj`).
fn display_path(root: &Path, path: &Path) -> String {
    let shown = if root == Path::new(".") {
        path.strip_prefix(".").unwrap_or(path)
    } else {
        path
    };
    path_string(shown)
}

fn walk_error(root: &Path, err: &ignore::Error) -> AuditError {
    // The ignore crate wraps I/O errors with the path and depth; show the innermost path.
    let path = innermost_path(err)
        .map(|p| display_path(root, p))
        .unwrap_or_else(|| path_string(root));
    let permission = err
        .io_error()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied);
    AuditError {
        path,
        span: None,
        message: if permission {
            "permission denied: this directory was not searched".to_string()
        } else {
            format!("cannot search: {err}")
        },
        hint: None,
    }
}

fn innermost_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, err } => innermost_path(err).or(Some(path)),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            innermost_path(err)
        }
        _ => None,
    }
}
