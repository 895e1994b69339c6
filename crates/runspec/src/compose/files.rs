//! Where compose files come from, and the lexical path arithmetic the loader does on them.
//!
//! The crate does no I/O of its own: every file (compose files, `.env`, `env_file`, `extends`
//! and `include` targets) is read through the caller's [`FileSource`], so the loader is tested
//! on in-memory projects ([`MemoryFiles`]) and the binary decides what the filesystem is.
//! Paths are joined and cleaned *lexically*, never canonicalised: a report names the file as
//! the user wrote it (`-f dir/compose.yaml`, `dir/base.yaml` for a relative `extends.file`), and
//! a symlink in the tree never changes what a relative path means to the loader.

use super::Diagnostic;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// Reads files for the loader. The binary implements it over the real filesystem; tests use
/// [`MemoryFiles`].
pub trait FileSource: Sync {
    /// The bytes of the file at `path`; an `io::ErrorKind::NotFound` (or `IsADirectory`)
    /// error when there is no such file: the loader tells "absent" from "unreadable" by the
    /// kind. Implementations should refuse files far larger than a compose file can be (the
    /// YAML parser rejects more than 8 MiB anyway) rather than read them whole.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
}

/// An in-memory file tree, for tests and fuzzing. Paths are compared after lexical cleaning
/// (`./a/../b.yaml` is `b.yaml`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryFiles(pub BTreeMap<PathBuf, String>);

impl MemoryFiles {
    pub fn new() -> Self {
        MemoryFiles::default()
    }

    /// Adds a file (builder style).
    pub fn with(mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        self.insert(path, text);
        self
    }

    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) {
        self.0.insert(clean(&path.into()), text.into());
    }
}

impl FileSource for MemoryFiles {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let wanted = clean(path);
        if let Some(text) = self.0.get(&wanted) {
            return Ok(text.clone().into_bytes());
        }
        // Keys inserted directly into the public map may not be clean.
        self.0
            .iter()
            .find(|(k, _)| clean(k) == wanted)
            .map(|(_, v)| v.clone().into_bytes())
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file"))
    }
}

/// What a file read while loading a project was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A compose file given with `-f`, found by default discovery (including the override
    /// file) or named by `COMPOSE_FILE`.
    Compose,
    /// A compose file pulled in by `include`.
    Include,
    /// A compose file read for `extends: {file: …}`.
    Extends,
    /// A file of variables for interpolation: `.env`, `--env-file`, `include.env_file`.
    DotEnv,
    /// A service's `env_file`.
    EnvFile,
}

/// A file the loader read, kept so reports can quote its lines.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedFile {
    /// Display path: as given (`-f`), or joined lexically for a file referenced by another.
    pub path: String,
    pub text: Arc<str>,
    pub kind: FileKind,
}

/// The names `docker compose` looks for when no `-f` is given, in its order of preference
/// (compose-go `cli.DefaultFileNames`; note `docker-compose.yml` before `.yaml`).
pub fn default_file_names() -> &'static [&'static str] {
    &[
        "compose.yaml",
        "compose.yml",
        "docker-compose.yml",
        "docker-compose.yaml",
    ]
}

/// The override files merged over the default file, in compose-go's order of preference
/// (`cli.DefaultOverrideFileNames`).
pub fn default_override_file_names() -> &'static [&'static str] {
    &[
        "compose.override.yml",
        "compose.override.yaml",
        "docker-compose.override.yml",
        "docker-compose.override.yaml",
    ]
}

/// Cleans a path lexically: drops `.` components, folds `name/..`, keeps leading `..` of a
/// relative path and drops `..` above the root of an absolute one (as Go's `filepath.Clean`).
/// The empty path stays empty (it means "the directory we are relative to").
pub fn clean(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir) | Some(Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    out.iter().collect()
}

/// `base` joined with `path` (an absolute `path` wins), cleaned.
pub fn join(base: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        clean(path)
    } else {
        clean(&base.join(path))
    }
}

/// The directory holding `path`, lexically (`compose.yaml` → empty, `a/b.yaml` → `a`).
pub fn parent(path: &Path) -> PathBuf {
    let cleaned = clean(path);
    match cleaned.components().next_back() {
        Some(Component::Normal(_)) => cleaned.parent().map(Path::to_path_buf).unwrap_or_default(),
        // `..`, `/`: the path is itself a directory reference; its "parent" is the path plus
        // `..` (for `..`) or itself (for the root).
        Some(Component::ParentDir) => cleaned.join(".."),
        _ => cleaned,
    }
}

/// A path as text for messages: the empty path is `.`.
pub fn show(path: &Path) -> String {
    if path.as_os_str().is_empty() {
        ".".to_string()
    } else {
        path.to_string_lossy().into_owned()
    }
}

/// Why a file could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    NotFound,
    Failed(Diagnostic),
}

/// Most compose files one load may process (a file is processed again for each `include`
/// that names it): a bound on hostile fan-out (diamond includes, one file included many
/// times).
const MAX_LOADS: usize = 4096;

/// Most bytes of compose text one load may process, counting each processing.
const MAX_LOAD_BYTES: usize = 64 << 20;

/// The caller's [`FileSource`] plus the loader's record of what it read.
pub(crate) struct Files<'a> {
    fs: &'a dyn FileSource,
    working_dir: PathBuf,
    loaded: RefCell<Vec<LoadedFile>>,
    loads: Cell<usize>,
    load_bytes: Cell<usize>,
}

impl<'a> Files<'a> {
    pub(crate) fn new(fs: &'a dyn FileSource, working_dir: &Path) -> Self {
        Files {
            fs,
            working_dir: clean(working_dir),
            loaded: RefCell::new(Vec::new()),
            loads: Cell::new(0),
            load_bytes: Cell::new(0),
        }
    }

    /// Where a display path (relative to the working directory, or absolute) is on the
    /// [`FileSource`].
    pub(crate) fn locate(&self, display: &Path) -> PathBuf {
        join(&self.working_dir, display)
    }

    /// The display form of a located path: relative to the working directory when it is
    /// inside it (so `/w/sub/x.yaml` shows as `sub/x.yaml` when the working dir is `/w`).
    pub(crate) fn display_of(&self, located: &Path) -> String {
        let located = clean(located);
        if !self.working_dir.as_os_str().is_empty() {
            if let Ok(rest) = located.strip_prefix(&self.working_dir) {
                return show(rest);
            }
        }
        show(&located)
    }

    /// Counts one processing of a compose file of `bytes` against [`MAX_LOADS`] and
    /// [`MAX_LOAD_BYTES`].
    pub(crate) fn count_load(&self, display: &str, bytes: usize) -> Result<(), Diagnostic> {
        let n = self.loads.get() + 1;
        self.loads.set(n);
        let total = self.load_bytes.get().saturating_add(bytes);
        self.load_bytes.set(total);
        if n > MAX_LOADS || total > MAX_LOAD_BYTES {
            return Err(Diagnostic {
                path: display.to_string(),
                span: None,
                message: format!(
                    "more than {MAX_LOADS} compose files or {} MiB of compose text processed for one project (include/extends fan-out)",
                    MAX_LOAD_BYTES >> 20
                ),
                hint: Some("check for includes that pull the same files in many times".into()),
            });
        }
        Ok(())
    }

    /// Whether a file exists (can be read), without recording it: default discovery probes
    /// names it may not use.
    pub(crate) fn exists(&self, located: &Path) -> bool {
        self.fs.read(located).is_ok()
    }

    /// Reads the file at `located`, shown as `display`, and records it. A file read twice is
    /// read from the record.
    pub(crate) fn read(
        &self,
        located: &Path,
        display: &str,
        kind: FileKind,
    ) -> Result<Arc<str>, ReadError> {
        if let Some(f) = self.loaded.borrow().iter().find(|f| f.path == display) {
            return Ok(f.text.clone());
        }
        let bytes = match self.fs.read(located) {
            Ok(b) => b,
            // A directory where a file is expected is "no such file" for the loader, as for
            // compose (a `.env` directory is skipped).
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::IsADirectory
                ) =>
            {
                return Err(ReadError::NotFound)
            }
            Err(e) => {
                return Err(ReadError::Failed(Diagnostic {
                    path: display.to_string(),
                    span: None,
                    message: format!("cannot read the file: {e}"),
                    hint: None,
                }))
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                return Err(ReadError::Failed(Diagnostic {
                    path: display.to_string(),
                    span: None,
                    message: format!(
                        "the file is not UTF-8 text (invalid byte at offset {})",
                        e.utf8_error().valid_up_to()
                    ),
                    hint: Some("compose files and env files must be UTF-8".into()),
                }))
            }
        };
        // A byte-order mark is not part of the content (and would shift column 1).
        let text: Arc<str> = Arc::from(text.strip_prefix('\u{feff}').unwrap_or(&text));
        self.loaded.borrow_mut().push(LoadedFile {
            path: display.to_string(),
            text: text.clone(),
            kind,
        });
        Ok(text)
    }

    pub(crate) fn into_loaded(self) -> Vec<LoadedFile> {
        self.loaded.into_inner()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_is_lexical() {
        assert_eq!(clean(Path::new("./a/../b/./c")), PathBuf::from("b/c"));
        assert_eq!(clean(Path::new("../../x")), PathBuf::from("../../x"));
        assert_eq!(clean(Path::new("/../etc")), PathBuf::from("/etc"));
        assert_eq!(clean(Path::new(".")), PathBuf::new());
        assert_eq!(
            join(Path::new("/p"), Path::new("../q")),
            PathBuf::from("/q")
        );
        assert_eq!(
            join(Path::new("/p"), Path::new("/abs")),
            PathBuf::from("/abs")
        );
    }

    #[test]
    fn parent_of_relative_paths() {
        assert_eq!(parent(Path::new("compose.yaml")), PathBuf::new());
        assert_eq!(parent(Path::new("a/b.yaml")), PathBuf::from("a"));
        assert_eq!(parent(Path::new("..")), PathBuf::from("../.."));
        assert_eq!(parent(Path::new("/")), PathBuf::from("/"));
    }

    #[test]
    fn memory_files_compare_clean_paths() {
        let fs = MemoryFiles::new().with("/p/./a.yaml", "x");
        assert_eq!(
            fs.read(Path::new("/p/b/../a.yaml")).ok(),
            Some(b"x".to_vec())
        );
        let err = fs.read(Path::new("/p/c.yaml")).err();
        assert_eq!(err.map(|e| e.kind()), Some(io::ErrorKind::NotFound));
    }

    #[test]
    fn display_is_relative_to_the_working_dir() {
        let fs = MemoryFiles::new();
        let files = Files::new(&fs, Path::new("/w"));
        assert_eq!(files.display_of(Path::new("/w/sub/x.yaml")), "sub/x.yaml");
        assert_eq!(
            files.display_of(Path::new("/other/x.yaml")),
            "/other/x.yaml"
        );
        assert_eq!(
            files.locate(Path::new("sub/x.yaml")),
            PathBuf::from("/w/sub/x.yaml")
        );
    }

    #[test]
    fn reads_are_recorded_once_and_bom_stripped() {
        let fs = MemoryFiles::new().with("/w/a.env", "\u{feff}A=1\n");
        let files = Files::new(&fs, Path::new("/w"));
        let t = files.read(Path::new("/w/a.env"), "a.env", FileKind::DotEnv);
        assert_eq!(t.ok().as_deref(), Some("A=1\n"));
        let _ = files.read(Path::new("/w/a.env"), "a.env", FileKind::DotEnv);
        assert_eq!(files.into_loaded().len(), 1);
    }
}
