//! Compose projects, loaded as `docker compose` loads them (the Compose Specification, and
//! compose-go where the specification is silent): files merged in order, `.env` and
//! environment interpolation, `extends`, `include`, profiles; then every active service mapped
//! into a [`crate::RunSpec`].
//!
//! Entry points: [`load`] (a project: `-f` files or default discovery, through a
//! [`FileSource`]) and [`load_str`] (one in-memory file). The steps live in their own modules:
//! [`files`] (reading, lexical paths), `load` (options, environment, discovery, project name,
//! the per-file pipeline), `include`, `extends`, `merge` (merge rules, `!reset`/`!override`),
//! `unique` (one entry per key in merged lists), `paths` (relative host paths), `profiles`.

pub mod dotenv;
mod extends;
pub mod files;
mod include;
pub mod interpolate;
mod load;
mod merge;
mod nodes;
mod paths;
mod profiles;
pub mod schema;
pub mod service;
mod unique;

pub use files::{default_file_names, FileKind, FileSource, LoadedFile, MemoryFiles};
pub use load::{load, load_str, LoadOptions, Project};

use plimsoll_core::Span;

/// A warning about a compose project, or the error that stopped loading it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// The file (display path).
    pub path: String,
    pub span: Option<Span>,
    pub message: String,
    pub hint: Option<String>,
}

impl std::fmt::Display for Diagnostic {
    /// `path:line:column: message` (the hint is not included).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.span {
            Some(s) => write!(
                f,
                "{}:{}:{}: {}",
                self.path, s.start.line, s.start.column, self.message
            ),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for Diagnostic {}
