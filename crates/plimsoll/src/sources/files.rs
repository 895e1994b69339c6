//! The files a compose project reads besides the one named (overrides, `.env`, `env_file`,
//! `extends`/`include` targets, the Dockerfiles its services build), read from disk with the
//! same size limit as every input. Bytes already read (the named file, standard input) are
//! served from memory, so standard input works and nothing is read twice.

use crate::input::{not_a_file, too_large_message, MAX_INPUT_BYTES};
use plimsoll_runspec::compose::FileSource;
use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The real filesystem, with some files already in memory.
#[derive(Debug, Default)]
pub struct DiskFiles {
    preloaded: BTreeMap<PathBuf, Vec<u8>>,
}

impl DiskFiles {
    /// Serves `bytes` for `path` instead of reading it.
    pub fn preload(&mut self, path: impl Into<PathBuf>, bytes: Vec<u8>) {
        self.preloaded.insert(path.into(), bytes);
    }
}

impl FileSource for DiskFiles {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        if let Some(bytes) = self.preloaded.get(path) {
            return Ok(bytes.clone());
        }
        let meta = std::fs::metadata(path)?;
        if meta.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                "is a directory, not a file",
            ));
        }
        // A device (`env_file: /dev/zero`) streams forever: refused without reading it.
        if let Some(what) = not_a_file(&meta.file_type()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("is {what}, not a file"),
            ));
        }
        if meta.len() > MAX_INPUT_BYTES {
            return Err(too_large(Some(meta.len())));
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
        std::fs::File::open(path)?
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_INPUT_BYTES {
            // Cut off one byte past the limit (a pipe, or a file that grew): size unknown.
            return Err(too_large(None));
        }
        Ok(bytes)
    }
}

fn too_large(len: Option<u64>) -> io::Error {
    io::Error::new(io::ErrorKind::FileTooLarge, too_large_message(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_device_named_by_a_compose_file_is_refused_without_reading_it() {
        let err = DiskFiles::default()
            .read(Path::new("/dev/zero"))
            .unwrap_err();
        assert_eq!(err.to_string(), "is a character device, not a file");
    }
}
