//! Where a finding points: a file (or another target) and an optional span inside it.

use serde::{Deserialize, Serialize};

/// A 1-based line and 1-based column (columns count Unicode scalar values, as editors do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub const fn new(line: u32, column: u32) -> Self {
        Pos { line, column }
    }

    /// The position of byte `offset` in `text` (clamped to its end); `offset` must fall on a
    /// character boundary.
    pub fn at_byte(text: &str, offset: usize) -> Self {
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() as u32 + 1;
        let column = before
            .rsplit('\n')
            .next()
            .map(|l| l.chars().count())
            .unwrap_or(0) as u32
            + 1;
        Pos::new(line, column)
    }
}

/// A range of source text; `end` is inclusive of the last character's line and exclusive of
/// its column (`end.column` is one past the last character), like SARIF's `endColumn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub const fn new(start: Pos, end: Pos) -> Self {
        Span { start, end }
    }

    /// A span covering whole lines `start..=end` (column 1 to the start of the next line is
    /// not known here, so `end.column` is 0 meaning "end of line").
    pub const fn lines(start: u32, end: u32) -> Self {
        Span {
            start: Pos::new(start, 1),
            end: Pos::new(end, 0),
        }
    }
}

/// Where a finding is: a path (file, `docker run` origin, container id) and where inside it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    /// File path as given on the command line or found by discovery, `-` for stdin, or
    /// another target name (`container:abc123`).
    pub path: String,
    /// Position inside the file, when the finding has one.
    pub span: Option<Span>,
}

impl Location {
    pub fn file(path: impl Into<String>) -> Self {
        Location {
            path: path.into(),
            span: None,
        }
    }

    pub fn with_span(path: impl Into<String>, span: Span) -> Self {
        Location {
            path: path.into(),
            span: Some(span),
        }
    }
}
