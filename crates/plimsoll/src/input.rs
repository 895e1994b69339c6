//! Reading one input's bytes, from a file or standard input, with a size limit and errors that
//! say what to do (a directory given as a file, a missing file, no permission, too large).
//!
//! Everything after this point works on bytes in memory; nothing else in the binary opens an
//! audited file.

use plimsoll_core::AuditError;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The largest input read: 4 MiB, about a thousand times the largest real Dockerfile seen (the
/// 601-file corpus tops out near 10 KiB). The parser is linear, but the rules keep per-file facts
/// (parsed RUN scripts with positions) that cost tens of bytes per input byte, so a cap is what
/// keeps memory bounded (~200 MB at this size); a larger file is almost certainly not a
/// Dockerfile and is refused with a message before it is read.
pub const MAX_INPUT_BYTES: u64 = 4 * 1024 * 1024;

/// Where an input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File(PathBuf),
    Stdin,
}

/// One thing to audit: where to read it and the path reports show for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub origin: Origin,
    /// The path as shown in reports and fingerprints (`-` for standard input).
    pub display: String,
    /// The target kind that will audit it (`dockerfile`); see `sources`.
    pub kind: &'static str,
    /// Further files audited together with this one: the compose files merged after it
    /// (`compose.override.yaml`, `-f` files after the first).
    pub with: Vec<PathBuf>,
}

/// The display name of standard input.
pub const STDIN_NAME: &str = "-";

impl Input {
    /// Reads the whole input, refusing more than [`MAX_INPUT_BYTES`].
    pub fn read(&self) -> Result<Vec<u8>, AuditError> {
        match &self.origin {
            Origin::Stdin => read_limited(io::stdin().lock(), &self.display, None, MAX_INPUT_BYTES),
            Origin::File(path) => read_file(path, &self.display),
        }
    }
}

fn read_file(path: &Path, display: &str) -> Result<Vec<u8>, AuditError> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(display, &e))?;
    if meta.is_dir() {
        return Err(error(
            display,
            "is a directory, not a Dockerfile",
            Some(format!(
                "use `plimsoll scan {display}` to audit every Dockerfile under a directory"
            )),
        ));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(too_large(display, meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| io_error(display, &e))?;
    read_limited(file, display, Some(meta.len()), MAX_INPUT_BYTES)
}

/// Reads at most one byte past the limit, so a file that grows while being read (or a pipe)
/// is still refused instead of exhausting memory.
fn read_limited(
    reader: impl Read,
    display: &str,
    size_hint: Option<u64>,
    limit: u64,
) -> Result<Vec<u8>, AuditError> {
    // One byte more than the file's size, so the final read that sees EOF needs no regrowth.
    let capacity = size_hint.map_or(8 * 1024, |n| n + 1).min(limit) as usize;
    let mut bytes = Vec::with_capacity(capacity);
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(display, &e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(display, bytes.len() as u64));
    }
    Ok(bytes)
}

fn too_large(display: &str, len: u64) -> AuditError {
    error(
        display,
        &format!(
            "is {} MiB, over plimsoll's {} MiB input limit",
            len / (1024 * 1024),
            MAX_INPUT_BYTES / (1024 * 1024)
        ),
        Some(
            "Dockerfiles, compose files and scripts are normally a few KiB: check that this is \
             the file you meant"
                .into(),
        ),
    )
}

fn io_error(display: &str, err: &io::Error) -> AuditError {
    let (message, hint) = match err.kind() {
        io::ErrorKind::NotFound => (
            "no such file".to_string(),
            Some("check the path; `plimsoll scan DIR` finds Dockerfiles by name".to_string()),
        ),
        io::ErrorKind::PermissionDenied => (
            "permission denied".to_string(),
            Some("plimsoll needs read access to the file".to_string()),
        ),
        io::ErrorKind::IsADirectory => (
            "is a directory, not a Dockerfile".to_string(),
            Some(format!("use `plimsoll scan {display}`")),
        ),
        _ => (format!("cannot read: {err}"), None),
    };
    error(display, &message, hint)
}

fn error(display: &str, message: &str, hint: Option<String>) -> AuditError {
    AuditError {
        path: display.to_string(),
        span: None,
        message: message.to_string(),
        hint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(path: &Path) -> Input {
        Input {
            origin: Origin::File(path.to_path_buf()),
            display: path.display().to_string(),
            kind: "dockerfile",
            with: Vec::new(),
        }
    }

    #[test]
    fn explains_missing_files_and_directories() {
        let dir = std::env::temp_dir();
        let err = input(&dir).read().unwrap_err();
        assert!(err.message.contains("directory"), "{err}");
        assert!(err.hint.unwrap_or_default().contains("plimsoll scan"));
        let err = input(&dir.join("plimsoll-does-not-exist-42"))
            .read()
            .unwrap_err();
        assert_eq!(err.message, "no such file");
    }

    #[test]
    fn refuses_more_than_the_limit() {
        let err = read_limited(io::repeat(b'a').take(100), "big", None, 99).unwrap_err();
        assert!(err.message.contains("input limit"), "{err}");
        assert_eq!(
            read_limited(io::repeat(b'a').take(99), "ok", None, 99).map(|b| b.len()),
            Ok(99)
        );
    }
}
