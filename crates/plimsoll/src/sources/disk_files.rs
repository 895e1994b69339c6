//! The files a compose project reads besides the one named (overrides, `.env`, `env_file`,
//! `extends`/`include` targets, the Dockerfiles its services build), read from disk with the
//! same size limit as every input. Bytes already read (the named file, standard input) are
//! served from memory, so standard input works and nothing is read twice.

use crate::input::{read_bounded, MAX_INPUT_BYTES};
use plimsoll_runspec::compose::FileSource;
use std::collections::BTreeMap;
use std::io;
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
        read_bounded(path, MAX_INPUT_BYTES)
    }
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
