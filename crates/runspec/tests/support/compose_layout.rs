//! The compose corpus (`shared/corpora/compose`) as the tests use it: its tables
//! (`SOURCES.tsv`, `relations.tsv`, `config-check.tsv`) read into rows, and each compose file's
//! repository layout rebuilt — the file at its original path, with the files it uses (sibling
//! `.env`, `env_file`, `extends`/`include` targets, transitively) at theirs — exactly as the
//! corpus's config check placed them beside it before running `docker-compose config`.
//!
//! Shared by `compose_corpus.rs` (in memory) and `compose_compare.rs` (on disk).

#![allow(dead_code)] // each test binary uses part of it

use plimsoll_runspec::compose::MemoryFiles;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One row of `SOURCES.tsv`.
#[derive(Debug, Clone)]
pub struct Source {
    /// The corpus file name (`owner__repo__path`).
    pub file: String,
    /// `owner/name`.
    pub repo: String,
    /// The path inside the repository.
    pub original_path: String,
    pub notes: String,
}

/// One row of `relations.tsv`.
#[derive(Debug, Clone)]
pub struct Relation {
    pub from: String,
    /// `sibling .env`, `env_file`, `extends`, `include`, `include env_file`.
    pub relation: String,
    /// The corpus file, or `None` when the repository does not ship the target.
    pub to: Option<String>,
    /// Where the target is in the repository.
    pub target_path: String,
}

/// One row of `config-check.tsv`: what `docker-compose` 1.29.2 said about a compose file.
#[derive(Debug, Clone)]
pub struct Check {
    pub file: String,
    /// `accepted` or `rejected`.
    pub result: String,
    pub error: String,
    /// v1's warnings, ` | `-separated (unset variables: "The X variable is not set.").
    pub warnings: String,
    /// Files the check placed beside it (repository paths; `dir:`/`empty-file:` stubs are in
    /// `stubbed`, not here).
    pub placed: Vec<String>,
    /// The rejection categories, `;`-separated in the table.
    pub categories: Vec<String>,
}

impl Check {
    pub fn accepted(&self) -> bool {
        self.result == "accepted"
    }
}

/// The corpus tables.
pub struct Corpus {
    pub dir: PathBuf,
    pub sources: BTreeMap<String, Source>,
    pub relations: Vec<Relation>,
    /// One per compose file, in table order.
    pub checks: Vec<Check>,
}

/// Reads a TSV table: the header row is checked against `columns`, rows are split on tabs.
fn table(path: &Path, columns: &[&str]) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    assert_eq!(header, columns, "unexpected columns in {}", path.display());
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut cells: Vec<String> = l.split('\t').map(str::to_string).collect();
            cells.resize(columns.len(), String::new());
            cells
        })
        .collect()
}

/// The `; `-separated rejection categories; `accepted once stubbed` continues the category
/// before it (`missing build context folder (…); accepted once stubbed`).
fn categories(cell: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in cell.split("; ").filter(|p| !p.is_empty()) {
        match out.last_mut() {
            Some(prev) if part == "accepted once stubbed" => {
                prev.push_str("; ");
                prev.push_str(part);
            }
            _ => out.push(part.to_string()),
        }
    }
    out
}

impl Corpus {
    /// Reads the tables of the corpus at `dir`.
    pub fn read(dir: &Path) -> Corpus {
        let sources = table(
            &dir.join("SOURCES.tsv"),
            &[
                "file",
                "repo",
                "commit",
                "original_path",
                "license",
                "notes",
            ],
        )
        .into_iter()
        .map(|c| {
            let s = Source {
                file: c[0].clone(),
                repo: c[1].clone(),
                original_path: c[3].clone(),
                notes: c[5].clone(),
            };
            (s.file.clone(), s)
        })
        .collect();
        let relations = table(
            &dir.join("relations.tsv"),
            &[
                "from_file",
                "relation",
                "to_file",
                "target_path_in_repo",
                "detail",
            ],
        )
        .into_iter()
        .map(|c| Relation {
            from: c[0].clone(),
            relation: c[1].clone(),
            to: (!c[2].starts_with('(')).then(|| c[2].clone()),
            target_path: c[3].clone(),
        })
        .collect();
        let checks = table(
            &dir.join("config-check.tsv"),
            &[
                "file",
                "result",
                "exit_code",
                "error_or_other_message",
                "warning_count",
                "warnings",
                "files_placed_beside_it",
                "result_after_stubbing_missing_build_dirs_and_env_files",
                "stubbed",
                "rejection_category",
            ],
        )
        .into_iter()
        .map(|c| Check {
            file: c[0].clone(),
            result: c[1].clone(),
            error: c[3].clone(),
            warnings: c[5].clone(),
            placed: c[6]
                .split(", ")
                .filter(|p| !p.is_empty() && !p.contains(':'))
                .map(str::to_string)
                .collect(),
            categories: categories(&c[9]),
        })
        .collect();
        Corpus {
            dir: dir.to_path_buf(),
            sources,
            relations,
            checks,
        }
    }

    /// The text of a corpus file.
    pub fn text(&self, file: &str) -> String {
        let path = self.dir.join("files").join(file);
        let bytes =
            std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        String::from_utf8(bytes).unwrap_or_else(|e| panic!("{file} is not UTF-8: {e}"))
    }

    pub fn source(&self, file: &str) -> &Source {
        self.sources
            .get(file)
            .unwrap_or_else(|| panic!("{file} is not in SOURCES.tsv"))
    }

    /// The corpus file at `original_path` of the repository `repo`.
    pub fn by_path(&self, repo: &str, original_path: &str) -> &Source {
        self.sources
            .values()
            .find(|s| s.repo == repo && s.original_path == original_path)
            .unwrap_or_else(|| panic!("{repo}:{original_path} is not in the corpus"))
    }

    /// The files `file` uses, transitively, as (repository path, corpus file): what the
    /// config check placed beside it. Targets the repository does not ship are left out.
    pub fn related(&self, file: &str) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let mut todo = vec![file.to_string()];
        let mut seen = BTreeSet::new();
        while let Some(f) = todo.pop() {
            if !seen.insert(f.clone()) {
                continue;
            }
            for r in self.relations.iter().filter(|r| r.from == f) {
                if let Some(to) = &r.to {
                    out.insert(r.target_path.clone(), to.clone());
                    todo.push(to.clone());
                }
            }
        }
        out
    }

    /// The repository layout of the compose files `files` (several for `-f base -f this`):
    /// each at its original path, with everything they use.
    pub fn layout(&self, files: &[&str]) -> Layout {
        let first = self.source(files[0]);
        let mut placed = BTreeMap::new();
        for f in files {
            let s = self.source(f);
            assert_eq!(
                s.repo, first.repo,
                "{f} and {} are from different repositories",
                files[0]
            );
            placed.insert(s.original_path.clone(), s.file.clone());
            placed.extend(self.related(f));
        }
        let texts = placed
            .iter()
            .map(|(path, file)| (path.clone(), self.text(file)))
            .collect();
        Layout {
            repo: first.repo.clone(),
            compose: files
                .iter()
                .map(|f| self.source(f).original_path.clone())
                .collect(),
            texts,
        }
    }
}

/// A compose file (or `-f` list) in its rebuilt repository.
#[derive(Debug, Clone)]
pub struct Layout {
    /// `owner/name`.
    pub repo: String,
    /// The compose files, as repository paths, in `-f` order.
    pub compose: Vec<String>,
    /// Every file of the layout: repository path → text.
    pub texts: BTreeMap<String, String>,
}

impl Layout {
    /// The folder the repository is rebuilt in, below some root: the repository's name
    /// (`docker-elk`), so a project named after its directory gets the name it has in a
    /// checkout.
    pub fn repo_dir(&self) -> &str {
        self.repo.rsplit('/').next().unwrap_or(&self.repo)
    }

    /// The directory of the first compose file, relative to the repository.
    pub fn first_dir(&self) -> PathBuf {
        Path::new(&self.compose[0])
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    /// The layout as an in-memory tree below `root` (`/corpus` → `/corpus/<repo>/<path>`).
    pub fn memory(&self, root: &Path) -> MemoryFiles {
        let mut fs = MemoryFiles::new();
        for (path, text) in &self.texts {
            fs.insert(root.join(self.repo_dir()).join(path), text.clone());
        }
        fs
    }

    /// Writes the layout below `root`; returns the repository folder.
    pub fn write(&self, root: &Path) -> std::io::Result<PathBuf> {
        let repo = root.join(self.repo_dir());
        for (path, text) in &self.texts {
            let p = repo.join(path);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&p, text)?;
        }
        Ok(repo)
    }
}

/// The environment the corpus was checked with: `PATH`, `HOME`, `LANG` and `PWD` only.
pub fn minimal_env(pwd: &Path) -> BTreeMap<String, String> {
    [
        ("PATH", "/usr/local/bin:/usr/bin:/bin".to_string()),
        ("HOME", "/home/user".to_string()),
        ("LANG", "C.UTF-8".to_string()),
        ("PWD", pwd.to_string_lossy().into_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}
