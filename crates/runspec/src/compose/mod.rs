//! Compose projects, loaded as `docker compose` loads them (the Compose Specification):
//! files merged in order, `.env` and environment interpolation, `extends`, `include`,
//! profiles; then every active service mapped into a [`crate::RunSpec`].

pub mod dotenv;
pub mod interpolate;
pub mod service;

use plimsoll_core::Span;

/// A warning about a compose project, or the error that stopped loading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file (display path).
    pub path: String,
    pub span: Option<Span>,
    pub message: String,
    pub hint: Option<String>,
}
