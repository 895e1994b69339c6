//! Which files git tracks, so that discovery audits a committed file even when a `.gitignore`
//! matches it (git's ignore rules apply only to untracked files).
//!
//! Read from git's index file with the `gix-index` crate rather than by running `git ls-files`:
//! plimsoll never executes a program to audit a repository (a repository can configure what its
//! git runs, e.g. `core.fsmonitor`), works where git is not installed, and the index format
//! (versions 2–4, path compression, extensions) is gitoxide's to get right, not ours. Finding
//! the index is simple enough to do here: the nearest ancestor holding `.git`, a directory or
//! (in worktrees and submodules) a file saying `gitdir: …`.
//!
//! Anything unexpected (no repository, no index yet, an index this crate cannot read, a
//! SHA-256 repository) yields no tracked files: discovery then works exactly as without git.

use std::path::{Path, PathBuf};

/// The regular files git tracks under `dir`, as `dir.join(path inside dir)` (the form the
/// directory walk produces). Symbolic links and submodules are left out, as the walk skips them.
pub fn tracked_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(absolute) = std::fs::canonicalize(dir) else {
        return Vec::new();
    };
    let Some((work_tree, git_dir)) = find_repository(&absolute) else {
        return Vec::new();
    };
    let Some(index) = read_index(&git_dir) else {
        return Vec::new();
    };
    let Ok(inside) = absolute.strip_prefix(&work_tree) else {
        return Vec::new();
    };
    let mut files = Vec::new();
    for entry in index.entries() {
        let regular = entry.mode == gix_index::entry::Mode::FILE
            || entry.mode == gix_index::entry::Mode::FILE_EXECUTABLE;
        if !regular {
            continue;
        }
        let Ok(relative) = std::str::from_utf8(entry.path(&index)) else {
            continue;
        };
        let relative = Path::new(relative);
        if let Ok(below) = relative.strip_prefix(inside) {
            files.push(dir.join(below));
        }
    }
    // A conflicted path has one entry per stage, next to each other (the index is sorted).
    files.dedup();
    files
}

/// Whether `file` lies in a git work tree whose index does not track it: a local file kept out
/// of the repository (a developer's `.env`), as opposed to a committed one. `false` when that
/// cannot be told (no repository, no readable index): such a file is treated as committed.
pub fn is_untracked(file: &Path) -> bool {
    let Ok(absolute) = std::fs::canonicalize(file) else {
        return false;
    };
    let Some(dir) = absolute.parent() else {
        return false;
    };
    let Some((work_tree, git_dir)) = find_repository(dir) else {
        return false;
    };
    let Some(index) = read_index(&git_dir) else {
        return false;
    };
    let Some(relative) = absolute
        .strip_prefix(&work_tree)
        .ok()
        .and_then(Path::to_str)
    else {
        return false;
    };
    index.entry_by_path(relative.into()).is_none()
}

/// The repository's index (SHA-1 repositories; `None` when there is none yet or it cannot be
/// read).
fn read_index(git_dir: &Path) -> Option<gix_index::File> {
    gix_index::File::at(
        git_dir.join("index"),
        gix_index::hash::Kind::Sha1,
        true,
        gix_index::decode::Options::default(),
    )
    .ok()
}

/// The work tree and git directory of the repository containing `dir` (absolute), if any.
fn find_repository(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    for candidate in dir.ancestors() {
        let dot_git = candidate.join(".git");
        let Ok(meta) = std::fs::metadata(&dot_git) else {
            continue;
        };
        if meta.is_dir() {
            return Some((candidate.to_path_buf(), dot_git));
        }
        // A worktree or submodule: `.git` is a file `gitdir: <path>`, relative to it.
        let text = std::fs::read_to_string(&dot_git).ok()?;
        let target = text.lines().next()?.strip_prefix("gitdir:")?.trim();
        return Some((candidate.to_path_buf(), candidate.join(target)));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_a_repository_nothing_is_tracked() {
        let dir = tempfile::tempdir().unwrap();
        // A temporary directory may itself be inside a repository on a developer's machine;
        // a directory with its own empty `.git` (no index yet) is not.
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        assert!(tracked_files(dir.path()).is_empty());
    }

    #[test]
    fn a_gitdir_file_points_at_the_repository() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".git"), "gitdir: ../real.git\n").unwrap();
        let (work_tree, git_dir) = find_repository(dir.path()).unwrap();
        assert_eq!(work_tree, dir.path());
        assert_eq!(git_dir, dir.path().join("../real.git"));
    }
}
