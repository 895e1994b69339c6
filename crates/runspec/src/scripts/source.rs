//! Shell text gathered from a file, each character with its position in that file.
//!
//! A Makefile recipe or a CI block scalar is not the shell text itself: make removes the
//! recipe prefix and turns `$$` into `$`, YAML removes the block's indentation. The scanners
//! rebuild the shell text the shell would receive while keeping every character's original
//! line and column, so a word's span points into the file as written.

use plimsoll_core::{Pos, Span};

/// Shell text with the file position of every character.
#[derive(Debug, Default, Clone)]
pub(crate) struct Source {
    chars: Vec<(char, Pos)>,
}

impl Source {
    /// All of `text` (a shell script).
    pub fn whole(text: &str) -> Self {
        let mut src = Source::default();
        let mut lines = text.split('\n').enumerate().peekable();
        while let Some((n, line)) = lines.next() {
            let line_no = line_number(n);
            let line = line.strip_suffix('\r').unwrap_or(line);
            src.push_str(line_no, 1, line);
            if lines.peek().is_some() {
                src.push('\n', line_no, column_after(line));
            }
        }
        src
    }

    /// Adds `s`, whose first character is at `line`:`column`.
    pub fn push_str(&mut self, line: u32, column: u32, s: &str) {
        let mut col = column;
        for c in s.chars() {
            self.chars.push((c, Pos::new(line, col)));
            col = col.saturating_add(1);
        }
    }

    /// Adds one character at `line`:`column`.
    pub fn push(&mut self, c: char, line: u32, column: u32) {
        self.chars.push((c, Pos::new(line, column)));
    }

    pub fn chars(&self) -> &[(char, Pos)] {
        &self.chars
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }
}

/// The column just after `line` (1-based, counting characters).
pub(crate) fn column_after(line: &str) -> u32 {
    u32::try_from(line.chars().count()).map_or(u32::MAX, |n| n.saturating_add(1))
}

/// 1-based line number of the `n`-th (0-based) line, saturating.
pub(crate) fn line_number(n: usize) -> u32 {
    u32::try_from(n).map_or(u32::MAX, |n| n.saturating_add(1))
}

/// The span from the first character at `start` to just after the character at `last`.
pub(crate) fn span(start: Pos, last: Pos) -> Span {
    Span::new(start, Pos::new(last.line, last.column.saturating_add(1)))
}
