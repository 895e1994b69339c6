//! Reading the container's files through a root directory, so the same collector reads the
//! live system (`/`) or a recorded tree of `/proc` and `/sys` files in tests.
//!
//! Every read is bounded ([`MAX_READ`], [`MAX_ENTRIES`]) and never panics: a missing or
//! unreadable file is an error value the collector turns into "unknown". A [`Root`] can also
//! record what it reads into another directory, which is how the test fixtures were made: the
//! recorded tree is the collector's input, byte for byte (a symbolic link is recorded as a
//! file holding its target, a directory listing as empty files).

use std::fs;
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};

/// The most bytes read from one file: `/proc/self/mountinfo` of a busy host is far below it.
pub const MAX_READ: u64 = 1 << 20;
/// The most entries listed from one directory (`/dev`, `/proc`).
pub const MAX_ENTRIES: usize = 4096;
/// The file a recording puts in each directory it records, so git keeps empty directories
/// (`/sys/firmware` existing is a fact); listings skip it.
pub const KEEP_FILE: &str = ".plimsoll-keep";

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    NotFound,
    Denied,
    /// Larger than [`MAX_READ`].
    TooLarge,
    /// Any other error, as the OS words it (`Invalid argument` from an LSM file without LSM).
    Other(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotFound => f.write_str("not found"),
            ReadError::Denied => f.write_str("permission denied"),
            ReadError::TooLarge => write!(f, "larger than {MAX_READ} bytes"),
            ReadError::Other(e) => f.write_str(e),
        }
    }
}

fn read_error(e: &std::io::Error) -> ReadError {
    match e.kind() {
        ErrorKind::NotFound => ReadError::NotFound,
        ErrorKind::PermissionDenied => ReadError::Denied,
        _ => ReadError::Other(
            e.to_string()
                .split(" (os error")
                .next()
                .unwrap_or_default()
                .to_string(),
        ),
    }
}

/// What a directory entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Link,
    BlockDevice,
    CharDevice,
    Socket,
    Other,
}

fn kind_of(meta: &fs::Metadata) -> EntryKind {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_symlink() {
        EntryKind::Link
    } else if t.is_dir() {
        EntryKind::Dir
    } else if t.is_file() {
        EntryKind::File
    } else if t.is_block_device() {
        EntryKind::BlockDevice
    } else if t.is_char_device() {
        EntryKind::CharDevice
    } else if t.is_socket() {
        EntryKind::Socket
    } else {
        EntryKind::Other
    }
}

/// The directory the container's `/` is read from, and where to record what is read.
#[derive(Debug, Clone)]
pub struct Root {
    dir: PathBuf,
    record: Option<PathBuf>,
}

impl Root {
    pub fn new(dir: impl Into<PathBuf>) -> Root {
        Root {
            dir: dir.into(),
            record: None,
        }
    }

    /// Also copy every file read into `dir` (the fixture recorder).
    pub fn recording_into(mut self, dir: impl Into<PathBuf>) -> Root {
        self.record = Some(dir.into());
        self
    }

    /// Whether this is the running system's own root (experiments and socket pings only run
    /// there, never against a recorded tree).
    pub fn is_live(&self) -> bool {
        self.dir == Path::new("/")
    }

    /// The host path of a container path (`/proc/self/status` under the root).
    pub fn path(&self, abs: &str) -> PathBuf {
        self.dir.join(abs.trim_start_matches('/'))
    }

    fn record(&self, abs: &str, write: impl FnOnce(&Path) -> std::io::Result<()>) {
        if let Some(dir) = &self.record {
            let target = dir.join(abs.trim_start_matches('/'));
            if let Some(parent) = target.parent() {
                // A recording that cannot be written is a missing fixture file, not a probe
                // failure: the probe's own output is unaffected.
                if fs::create_dir_all(parent).is_ok() {
                    let _ = write(&target);
                }
            }
        }
    }

    /// A file's text (lossy UTF-8), at most [`MAX_READ`] bytes.
    pub fn read(&self, abs: &str) -> Result<String, ReadError> {
        let file = fs::File::open(self.path(abs)).map_err(|e| read_error(&e))?;
        let mut bytes = Vec::new();
        file.take(MAX_READ + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| read_error(&e))?;
        if bytes.len() as u64 > MAX_READ {
            return Err(ReadError::TooLarge);
        }
        self.record(abs, |p| fs::write(p, &bytes));
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// A file's text trimmed, or `None` when it cannot be read.
    pub fn read_trimmed(&self, abs: &str) -> Option<String> {
        self.read(abs).ok().map(|s| s.trim().to_string())
    }

    /// Where a symbolic link points (`/proc/self/ns/uts` → `uts:[4026531838]`). In a recorded
    /// tree the link is a file holding its target.
    pub fn link(&self, abs: &str) -> Option<String> {
        let path = self.path(abs);
        let target = match fs::read_link(&path) {
            Ok(t) => t.to_string_lossy().into_owned(),
            Err(_) => return self.read_trimmed(abs).filter(|t| !t.is_empty()),
        };
        self.record(abs, |p| fs::write(p, target.as_bytes()));
        Some(target)
    }

    /// What kind of entry a path is, without following a final link.
    /// Records the entry's existence (an empty file or directory) when recording.
    pub fn kind(&self, abs: &str) -> Option<EntryKind> {
        let kind = fs::symlink_metadata(self.path(abs))
            .ok()
            .map(|m| kind_of(&m))?;
        self.record_existence(abs, kind);
        Some(kind)
    }

    fn record_existence(&self, abs: &str, kind: EntryKind) {
        if kind == EntryKind::Dir {
            self.record(abs, |p| {
                fs::create_dir_all(p)?;
                fs::write(p.join(KEEP_FILE), b"")
            });
        } else {
            self.record(abs, |p| {
                if p.exists() {
                    Ok(())
                } else {
                    fs::write(p, b"")
                }
            });
        }
    }

    pub fn exists(&self, abs: &str) -> bool {
        self.kind(abs).is_some()
    }

    /// A directory's entries, sorted by name, at most [`MAX_ENTRIES`].
    pub fn list(&self, abs: &str) -> Result<Vec<(String, EntryKind)>, ReadError> {
        let entries = fs::read_dir(self.path(abs)).map_err(|e| read_error(&e))?;
        let mut out = Vec::new();
        for entry in entries
            .flatten()
            .filter(|e| e.file_name() != KEEP_FILE)
            .take(MAX_ENTRIES)
        {
            let kind = entry
                .metadata()
                .map(|m| kind_of(&m))
                .unwrap_or(EntryKind::Other);
            out.push((entry.file_name().to_string_lossy().into_owned(), kind));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, kind) in &out {
            self.record_existence(&format!("{}/{name}", abs.trim_end_matches('/')), *kind);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_bounded_and_errors_are_values() {
        let dir = tempfile::tempdir().unwrap();
        let root = Root::new(dir.path());
        assert_eq!(root.read("/proc/self/status"), Err(ReadError::NotFound));
        fs::write(dir.path().join("big"), vec![b'x'; (MAX_READ + 1) as usize]).unwrap();
        assert_eq!(root.read("/big"), Err(ReadError::TooLarge));
        fs::write(dir.path().join("bad"), [0xff, b'a']).unwrap();
        assert_eq!(root.read("bad").unwrap(), "\u{fffd}a");
        assert!(!root.is_live());
    }

    #[test]
    fn records_what_it_reads() {
        let src = tempfile::tempdir().unwrap();
        let rec = tempfile::tempdir().unwrap();
        fs::create_dir_all(src.path().join("proc/self")).unwrap();
        fs::write(src.path().join("proc/self/status"), "Seccomp:\t2\n").unwrap();
        std::os::unix::fs::symlink("uts:[1]", src.path().join("proc/uts")).unwrap();
        let root = Root::new(src.path()).recording_into(rec.path());
        root.read("/proc/self/status").unwrap();
        assert_eq!(root.link("/proc/uts").as_deref(), Some("uts:[1]"));
        fs::create_dir_all(src.path().join("sys/firmware")).unwrap();
        assert_eq!(root.kind("/sys/firmware"), Some(EntryKind::Dir));
        assert!(rec.path().join("sys/firmware").join(KEEP_FILE).exists());
        let again = Root::new(rec.path());
        assert_eq!(again.list("/sys/firmware").unwrap(), vec![]);
        assert_eq!(again.read("/proc/self/status").unwrap(), "Seccomp:\t2\n");
        assert_eq!(again.link("/proc/uts").as_deref(), Some("uts:[1]"));
    }
}
