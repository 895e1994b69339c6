//! A Dockerfile parser that parses exactly as BuildKit does.
//!
//! Re-implemented in Rust from the behaviour of moby/buildkit's
//! `frontend/dockerfile/parser` package (Apache-2.0) and checked against its test data (the
//! `testfiles` AST dumps, negative cases, line numbers and heredoc cases). The pipeline:
//!
//! 1. [`source`]: bytes → UTF-8 text (BOM dropped; binary, UTF-16/32 and invalid UTF-8
//!    refused with the line and a hint), plus a byte-offset → line/column index;
//! 2. [`scan`]: BuildKit's line loop → one [`node::Node`] per instruction (directives,
//!    comments, continuations, heredoc bodies), each with a map from its logical line back to
//!    the source so every word keeps its exact position;
//! 3. [`typed`]: nodes → the typed [`crate::ast`], with the argument checks `docker build`
//!    makes when it runs the file (unknown instruction, `FROM` arity, …).
//!
//! [`parse_nodes`] and [`dump`] expose step 2 so tests can compare with BuildKit's dumps.
//!
//! # Where plimsoll deliberately differs from BuildKit
//!
//! * **Text only.** BuildKit reads any bytes; plimsoll refuses NUL bytes ("binary file"),
//!   UTF-16/UTF-32 byte-order marks and invalid UTF-8, naming the line and how to fix it.
//! * **Build-time checks are parse errors.** What BuildKit's parser accepts but `docker build`
//!   then rejects while interpreting the instructions (unknown instruction, `FROM a b`, `COPY x`,
//!   `USER` without argument, `SHELL` not in JSON, `HEALTHCHECK CONNECT`, `ONBUILD ONBUILD`,
//!   a heredoc as COPY destination…) is an error with BuildKit's message, because the file
//!   cannot build and the typed model cannot represent it. The BuildKit corpus case `health`
//!   is such a file: its node dump matches, its typed parse is rejected.
//! * **Flag problems are warnings**, not errors (unknown flag, missing or non-boolean value,
//!   duplicate flag, malformed `--mount` CSV): new flags appear in new Dockerfile frontends
//!   and plimsoll should still audit such files.
//! * **Unknown instruction inside `ONBUILD`** is an error here; BuildKit only fails when a
//!   child image runs the trigger.
//! * **Flags are scanned by character.** BuildKit's `extractBuilderFlags` and its HEALTHCHECK
//!   type split look at bytes as Latin-1 characters, so non-ASCII text in a flag comes out
//!   mangled (`--chown=josé` → `josÃ©`) and the UTF-8 bytes 0x85/0xA0 count as spaces;
//!   plimsoll keeps the text intact.
//! * **`<<-` heredocs** are stored with leading tabs removed in [`crate::ast::Heredoc`]
//!   (BuildKit strips them when it runs the instruction; the node layer keeps them raw).
//! * **Unicode tables.** Letters, digits, spaces and printable characters are classified by
//!   general category as Go does, but with this crate's Unicode version, which may differ from
//!   the Go release BuildKit was built with for recently added characters.

pub mod directives;
pub mod heredoc;
pub mod json;
pub mod mount;
pub mod node;
pub mod scan;
pub mod source;
pub mod split;
pub mod substitution;
pub mod typed;

use std::sync::Arc;

use plimsoll_core::{Pos, Span};

use crate::ast::{Command, Directives, Dockerfile, Instruction, Located, ParseWarning};
use crate::ParseError;
pub use node::Node;
use scan::ScanResult;
use source::SourceIndex;

/// Parses a Dockerfile's bytes into the typed AST. `path` is only recorded, never read.
pub fn parse(path: &str, bytes: &[u8]) -> Result<Dockerfile, ParseError> {
    let (text, _bom) = source::decode(bytes)?;
    let idx = SourceIndex::new(text);
    let scanned = scan::scan(text).map_err(|e| scan_error(e, &idx))?;
    let mut warnings = Vec::new();
    for ec in &scanned.empty_continuations {
        warnings.push(ParseWarning {
            message: format!("Empty continuation line found in: {}", ec.line),
            span: Span::new(Pos::new(ec.start_line, 1), idx.line_end(ec.line_no)),
        });
    }
    let mut instructions = Vec::with_capacity(scanned.instructions.len());
    for sc in &scanned.instructions {
        instructions.push(typed::instruction(sc, &idx, scanned.escape, &mut warnings)?);
    }
    check_stages(&instructions)?;
    Ok(Dockerfile {
        path: path.to_string(),
        source: Arc::from(text),
        directives: directives(&scanned, text, &idx),
        instructions,
        comments: scanned
            .comments
            .iter()
            .map(|c| Located::new(c.text.clone(), range_span(&idx, c.range)))
            .collect(),
        warnings,
    })
}

/// BuildKit's parse tree for the bytes (no typed checks): what BuildKit's `parser.Parse`
/// returns, or the error it returns. Input that is not UTF-8 text is refused as in [`parse`].
pub fn parse_nodes(bytes: &[u8]) -> Result<Vec<Node>, ParseError> {
    let (text, _) = source::decode(bytes)?;
    let idx = SourceIndex::new(text);
    let scanned = scan::scan(text).map_err(|e| scan_error(e, &idx))?;
    Ok(scanned.instructions.into_iter().map(|s| s.node).collect())
}

/// The scan itself (nodes with line numbers, heredocs, comments), for tests and tools.
pub fn scan_text(text: &str) -> Result<ScanResult, scan::ScanError> {
    scan::scan(text)
}

/// BuildKit's `Node.Dump()` of a whole file, with the trailing newline its `result` files have.
pub fn dump(nodes: &[Node]) -> String {
    node::dump_nodes(nodes)
}

/// What BuildKit's `instructions.Parse` and `dockerfile2llb` refuse about the stage
/// structure: an instruction other than `ARG` before the first `FROM` has no stage to belong
/// to, and a file of global `ARG`s alone builds nothing.
fn check_stages(instructions: &[Instruction]) -> Result<(), ParseError> {
    let first = instructions
        .iter()
        .find(|i| !matches!(i.command, Command::Arg(_)));
    match first {
        Some(i) if matches!(i.command, Command::From { .. }) => Ok(()),
        Some(i) => Err(
            ParseError::new("no build stage in current context", Some(i.keyword_span)).with_hint(
                format!(
            "{} comes before any FROM: a Dockerfile starts with FROM (only ARG may come before it)",
            i.keyword.as_str()
        ),
            ),
        ),
        None => Err(ParseError::new(
            "dockerfile contains no stages to build",
            instructions.last().map(|i| i.span),
        )
        .with_hint("add a FROM instruction: a Dockerfile needs at least one build stage")),
    }
}

fn range_span(idx: &SourceIndex<'_>, (s, e): (usize, usize)) -> Span {
    let start = idx.pos(s);
    if e <= s {
        return Span::new(start, start);
    }
    let last = idx
        .text()
        .get(..e)
        .and_then(|t| t.chars().next_back())
        .map_or(e - 1, |c| e - c.len_utf8());
    Span::new(start, idx.pos_after(last))
}

fn scan_error(e: scan::ScanError, idx: &SourceIndex<'_>) -> ParseError {
    let start = e.start_line.max(1);
    let end = e.end_line.max(start);
    let hint = if e.message.starts_with("unterminated heredoc") {
        Some(format!(
            "the heredoc opened at line {start} has no terminator line; end its body with a line holding only the delimiter"
        ))
    } else if e.message == scan::too_many_instructions_message() {
        Some(format!(
            "plimsoll audits at most {} instructions per Dockerfile, which keeps its memory bounded; \
             the engine refuses images of more than about 125 layers, so no buildable Dockerfile \
             comes close: is this file generated, or not a Dockerfile?",
            scan::MAX_INSTRUCTIONS
        ))
    } else if e.message == "file with no instructions" {
        Some("a Dockerfile needs at least one instruction (e.g. FROM)".to_string())
    } else {
        None
    };
    let mut err = ParseError::new(
        e.message,
        Some(Span::new(Pos::new(start, 1), idx.line_end(end))),
    );
    if let Some(h) = hint {
        err = err.with_hint(h);
    }
    err
}

fn directives(s: &ScanResult, text: &str, idx: &SourceIndex<'_>) -> Directives {
    let mut d = Directives {
        escape: s.escape,
        ..Directives::default()
    };
    let after_shebang = scan::directives_after_shebang(text);
    for sd in s.directives.iter().chain(&after_shebang) {
        let loc = Located::new(sd.value.clone(), range_span(idx, sd.range));
        match sd.name {
            "syntax" => d.syntax = Some(loc),
            "check" => d.check = Some(loc),
            _ => {}
        }
    }
    d
}

#[cfg(test)]
mod tests;
