//! A small shell reader for RUN commands: enough POSIX `sh` to know which commands a RUN
//! executes, with which arguments, in which pipelines, under which options — and where each
//! word is in the Dockerfile.
//!
//! * [`ast`]: the script model (lists, and-or chains, pipelines, simple and compound commands,
//!   words with per-character positions, redirections and heredoc bodies);
//! * [`parse`]: the reader (quotes, expansions, substitutions, heredocs, compound commands,
//!   inline `sh -c` scripts), total on any input;
//! * [`argv`]: command-line semantics shared by rules (wrappers such as `sudo`/`env`/`xargs`,
//!   shells started with a script, `set -o pipefail`).

pub mod argv;
pub mod ast;
mod lex;
pub mod parse;

#[cfg(test)]
mod tests;

pub use ast::*;
pub use parse::{parse_chars, parse_str, Ch};
