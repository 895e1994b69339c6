//! A small POSIX shell script reader: enough `sh` to know which commands a script (a Dockerfile
//! RUN, a shell script, a Makefile recipe, a CI step) executes, with which arguments, in which
//! pipelines, under which options — and where each word is in the text it came from.
//!
//! It is a leaf crate (it depends on no other plimsoll crate) so that every stage that reads
//! shell — the Dockerfile RUN analysis and the `docker run` script scanner — shares one reader
//! and one table of command wrappers instead of keeping copies.
//!
//! * [`ast`]: the script model (lists, and-or chains, pipelines, simple and compound commands,
//!   words with per-character positions, redirections and heredoc bodies);
//! * [`parse`]: the reader (quotes, expansions, substitutions, heredocs, compound commands,
//!   inline `sh -c` scripts), total on any input;
//! * [`wrappers`]: the one table of command wrappers (`sudo`, `env`, `timeout`, `nice`,
//!   `xargs`, …, with the options that take a value) and the peeling that finds the command a
//!   line really runs, over any word type;
//! * [`argv`]: command-line semantics shared by every reader (shells started with a script,
//!   `sh -c` strings, `set -o pipefail`).

pub mod argv;
pub mod ast;
mod lex;
pub mod parse;
mod tokens;
pub mod wrappers;

#[cfg(test)]
mod tests;

pub use ast::*;
pub use parse::{each_simple_command, parse_chars, parse_str, Ch};
