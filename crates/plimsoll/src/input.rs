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
    /// The size of a regular file (`None` for standard input, or when it cannot be read: the
    /// audit then reports why).
    pub fn size_on_disk(&self) -> Option<u64> {
        match &self.origin {
            Origin::File(path) => std::fs::metadata(path)
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.len()),
            Origin::Stdin => None,
        }
    }

    /// Reads the whole input, refusing more than [`MAX_INPUT_BYTES`].
    /// A file that is not text (NUL bytes without a UTF-16/32 byte-order mark) is refused here,
    /// once for every kind of input, with the offset of the first NUL.
    pub fn read(&self) -> Result<Vec<u8>, AuditError> {
        let bytes = match &self.origin {
            Origin::Stdin => {
                read_limited(io::stdin().lock(), &self.display, None, MAX_INPUT_BYTES)?
            }
            Origin::File(path) => read_file(path, &self.display)?,
        };
        check_text(&self.display, &bytes)?;
        Ok(bytes)
    }
}

/// Refuses binary data: a NUL byte never occurs in UTF-8 text. Files with a UTF-16 or UTF-32
/// byte-order mark are left to the parsers, which name the encoding and how to convert it;
/// text that looks like UTF-16 without a mark (every other byte NUL) is named as such.
fn check_text(display: &str, bytes: &[u8]) -> Result<(), AuditError> {
    const WIDE_BOMS: [&[u8]; 2] = [b"\xFF\xFE", b"\xFE\xFF"];
    if WIDE_BOMS.iter().any(|bom| bytes.starts_with(bom)) {
        return Ok(());
    }
    let Some(offset) = bytes.iter().position(|b| *b == 0) else {
        return Ok(());
    };
    let hint = if looks_like_bomless_utf16(bytes) {
        "this looks like UTF-16 text without a byte-order mark; re-save it as UTF-8".to_string()
    } else {
        match file_kind_by_magic(bytes) {
            Some(kind) => format!(
                "it starts like {kind}; check that the path names the file you meant to audit"
            ),
            None => "Dockerfiles, compose files and scripts are text; check that the path names \
                     the file you meant to audit"
                .to_string(),
        }
    };
    Err(error(
        display,
        &format!("not text: contains NUL bytes at offset {offset}"),
        Some(hint),
    ))
}

/// ASCII text in UTF-16: in the first 512 bytes, the bytes at one parity are almost all NUL and
/// those at the other almost never are.
fn looks_like_bomless_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    if head.len() < 4 {
        return false;
    }
    let nul_at = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let half = head.len() / 2;
    let (even, odd) = (nul_at(0), nul_at(1));
    let mostly = |n: usize| n * 10 >= half * 9;
    let rarely = |n: usize| n * 10 <= half;
    (mostly(even) && rarely(odd)) || (mostly(odd) && rarely(even))
}

/// A few common binary formats, by their first bytes, to say what was given instead of text.
fn file_kind_by_magic(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 6] = [
        (b"\x7fELF", "an ELF executable or library"),
        (b"\x1f\x8b", "a gzip archive"),
        (b"PK\x03\x04", "a zip archive"),
        (b"\x89PNG", "a PNG image"),
        (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
        (b"MZ", "a Windows executable"),
    ];
    MAGIC
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, kind)| *kind)
}

fn read_file(path: &Path, display: &str) -> Result<Vec<u8>, AuditError> {
    read_checked(path, MAX_INPUT_BYTES).map_err(|refused| match refused {
        Refused::Directory => error(
            display,
            "is a directory, not a Dockerfile",
            Some(format!(
                "use `plimsoll scan {display}` to audit every Dockerfile under a directory"
            )),
        ),
        Refused::NotAFile(what) => error(
            display,
            &format!("is {what}, not a file"),
            Some("name the Dockerfile, compose file or script itself".to_string()),
        ),
        Refused::TooLarge(len) => too_large(display, len),
        Refused::Io(e) => io_error(display, &e),
    })
}

/// Reads a file plimsoll needs besides the audited inputs (a compose project's other files, a
/// baseline) with the same care: no directories or devices, and never more than `limit + 1`
/// bytes, whatever the file claims or turns out to be.
pub fn read_bounded(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    read_checked(path, limit).map_err(|refused| match refused {
        Refused::Directory => {
            io::Error::new(io::ErrorKind::IsADirectory, "is a directory, not a file")
        }
        Refused::NotAFile(what) => io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("is {what}, not a file"),
        ),
        Refused::TooLarge(len) => {
            io::Error::new(io::ErrorKind::FileTooLarge, too_large_message(len, limit))
        }
        Refused::Io(e) => e,
    })
}

/// Why [`read_checked`] read nothing.
enum Refused {
    Directory,
    /// A device or socket: what it is.
    NotAFile(&'static str),
    /// Over the limit: the size when known (a regular file), `None` for a stream cut off.
    TooLarge(Option<u64>),
    Io(io::Error),
}

/// The one way a named file is read: directories and devices refused before opening, a
/// regular file's size checked up front, a pipe (`<(…)`) read up to the limit.
fn read_checked(path: &Path, limit: u64) -> Result<Vec<u8>, Refused> {
    let meta = std::fs::metadata(path).map_err(Refused::Io)?;
    if meta.is_dir() {
        return Err(Refused::Directory);
    }
    if let Some(what) = not_a_file(&meta.file_type()) {
        return Err(Refused::NotAFile(what));
    }
    let size = meta.is_file().then_some(meta.len());
    if let Some(len) = size.filter(|len| *len > limit) {
        return Err(Refused::TooLarge(Some(len)));
    }
    let file = std::fs::File::open(path).map_err(Refused::Io)?;
    read_up_to(file, size, limit).map_err(|e| match e.kind() {
        io::ErrorKind::FileTooLarge => Refused::TooLarge(None),
        _ => Refused::Io(e),
    })
}

/// What a path is when it is neither a regular file nor something that ends (a pipe): devices
/// such as `/dev/zero` stream forever, sockets are not read at all.
fn not_a_file(file_type: &std::fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_char_device() {
            return Some("a character device");
        }
        if file_type.is_block_device() {
            return Some("a block device");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
    }
    let _ = file_type;
    None
}

/// Reads at most one byte past the limit, so a file that grows while being read (or a pipe,
/// or standard input) is still refused instead of exhausting memory. Over the limit is an
/// [`io::ErrorKind::FileTooLarge`] error saying so.
pub fn read_up_to(reader: impl Read, size_hint: Option<u64>, limit: u64) -> io::Result<Vec<u8>> {
    // One byte more than the file's size, so the final read that sees EOF needs no regrowth.
    let capacity = size_hint.map_or(8 * 1024, |n| n + 1).min(limit) as usize;
    let mut bytes = Vec::with_capacity(capacity);
    reader.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        // Reading stopped one byte past the limit: the true size is unknown (a stream may be
        // endless), so say only that it is over.
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            too_large_message(None, limit),
        ));
    }
    Ok(bytes)
}

/// [`read_up_to`] for an audited input, with its errors.
fn read_limited(
    reader: impl Read,
    display: &str,
    size_hint: Option<u64>,
    limit: u64,
) -> Result<Vec<u8>, AuditError> {
    read_up_to(reader, size_hint, limit).map_err(|e| match e.kind() {
        io::ErrorKind::FileTooLarge => too_large(display, None),
        _ => io_error(display, &e),
    })
}

/// The "too large" error: with the size when it is known (a regular file), without when the
/// input was a stream cut off at the limit.
fn too_large(display: &str, len: Option<u64>) -> AuditError {
    error(
        display,
        &too_large_message(len, MAX_INPUT_BYTES),
        Some(
            "Dockerfiles, compose files and scripts are normally a few KiB: check that this is \
             the file you meant"
                .into(),
        ),
    )
}

/// "is 5.2 MiB, over plimsoll's 4 MiB input limit" when the size is known (a regular file);
/// "is larger than …" for a stream cut off at the limit, whose size is not.
fn too_large_message(len: Option<u64>, limit: u64) -> String {
    let limit = limit / (1024 * 1024);
    match len {
        Some(len) => format!(
            "is {:.1} MiB, over plimsoll's {limit} MiB input limit",
            len as f64 / (1024.0 * 1024.0)
        ),
        None => format!("is larger than plimsoll's {limit} MiB input limit"),
    }
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
            display: plimsoll_core::finding::path_string(path),
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
    fn binary_files_are_named_as_such_with_the_offset_of_the_first_nul() {
        let err = check_text("ls", b"\x7fELF\x02\x01\x01\x00\x00\x00rest").unwrap_err();
        assert_eq!(err.message, "not text: contains NUL bytes at offset 7");
        assert!(err.hint.unwrap_or_default().contains("ELF"));
        let utf16: Vec<u8> = "FROM alpine:3\nUSER app\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let err = check_text("Dockerfile", &utf16).unwrap_err();
        assert!(
            err.hint.clone().unwrap_or_default().contains("UTF-16"),
            "{err}"
        );
        assert_eq!(
            check_text("Dockerfile", b"\xFF\xFEF\x00"),
            Ok(()),
            "left to the parser"
        );
        assert_eq!(check_text("Dockerfile", b"FROM alpine:3\n"), Ok(()));
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_without_reading_them() {
        let err = input(Path::new("/dev/zero")).read().unwrap_err();
        assert_eq!(err.message, "is a character device, not a file");
    }

    #[test]
    fn refuses_more_than_the_limit() {
        let err = read_limited(io::repeat(b'a').take(100), "big", None, 99).unwrap_err();
        assert!(err.message.contains("larger than"), "{err}");
        let err = read_limited(io::repeat(0), "endless", None, 99).unwrap_err();
        assert!(
            err.message.contains("larger than"),
            "never reads it all: {err}"
        );
        assert_eq!(
            read_limited(io::repeat(b'a').take(99), "ok", None, 99).map(|b| b.len()),
            Ok(99)
        );
    }
}
