//! A BuildKit-conformant Dockerfile parser and plimsoll's Dockerfile (`DF`) rules.
//!
//! Flow (DESIGN.md): [`parse`] turns bytes into the typed [`ast::Dockerfile`] exactly as
//! BuildKit parses (errors where BuildKit errors); [`analysis`] derives what the rules read,
//! each view computed once per file (the stages with their `ARG`/`ENV` scopes, every RUN read
//! as shell with the `plimsoll-shell` reader, base-image knowledge); the [`rules`] are pure
//! functions of that model; [`audit`] runs them all. [`image_defaults`] reads the same stages,
//! with variables expanded as a build does (a variable defined nowhere expands to nothing), for
//! the user and healthcheck a built image has. `shell` is BuildKit's word expansion. No I/O
//! happens in this crate.

pub mod analysis;
pub mod ast;
pub mod error;
pub mod image_defaults;
pub mod parser;
pub mod rules;
pub mod shell;

pub use ast::Dockerfile;
pub use error::ParseError;
pub use rules::{audit, audit_target, pragmas, Rule, RULES};

/// Parses a Dockerfile's bytes. `path` is only used in positions and messages.
///
/// Rejects what BuildKit rejects (an empty file, an unterminated heredoc, `ENV` without a
/// value, …) and, in addition, input that is not text (binary, UTF-16/32, invalid UTF-8), with
/// a message naming the line and a hint.
pub fn parse(path: &str, bytes: &[u8]) -> Result<Dockerfile, ParseError> {
    parser::parse(path, bytes)
}
