//! Positions in the source text. saphyr's markers count characters (index and 0-based
//! column) while we slice the `&str` by bytes, and some spans need a look at the text itself:
//! saphyr starts a node's span at its anchor or tag (we want the value), starts a block
//! scalar at its first content line (we want the `|`/`>` header) and ends it after the
//! trailing blank lines (we want the last character).

use plimsoll_core::{Pos, Span};
use saphyr_parser::Marker;
use std::collections::BTreeMap;

/// One byte offset is remembered every `STEP` characters of a non-ASCII text, so turning a
/// character index into a byte offset costs at most `STEP` steps whatever the line length.
const STEP: usize = 64;

pub(super) struct Source<'a> {
    text: &'a str,
    /// Byte offset of every `STEP`-th character; `None` for ASCII text (index == offset).
    checkpoints: Option<Vec<usize>>,
    /// Spaces inserted at the start of lines (1-based line → count) to satisfy saphyr's
    /// indentation check inside flow collections (see `super::reindent`); positions on those
    /// lines are shifted back so they point into the file as written.
    shifts: &'a BTreeMap<usize, usize>,
}

impl<'a> Source<'a> {
    pub(super) fn new(text: &'a str, shifts: &'a BTreeMap<usize, usize>) -> Self {
        let checkpoints = if text.is_ascii() {
            None
        } else {
            Some(
                text.char_indices()
                    .step_by(STEP)
                    .map(|(byte, _)| byte)
                    .collect(),
            )
        };
        Source {
            text,
            checkpoints,
            shifts,
        }
    }

    /// The byte offset of the character at `index` (the text length past the end).
    pub(super) fn byte_of(&self, index: usize) -> usize {
        let len = self.text.len();
        match &self.checkpoints {
            None => index.min(len),
            Some(points) => {
                let Some(&base) = points.get(index / STEP) else {
                    return len;
                };
                let rest = index % STEP;
                self.text
                    .get(base..)
                    .and_then(|tail| tail.char_indices().nth(rest))
                    .map_or(len, |(offset, _)| base + offset)
            }
        }
    }

    /// The text between two markers (empty if they are out of order or off the text).
    pub(super) fn slice(&self, start: Marker, end: Marker) -> &'a str {
        self.text
            .get(self.byte_of(start.index())..self.byte_of(end.index()))
            .unwrap_or("")
    }

    /// Where the node content starts when a node written at `start` has properties (`&anchor`,
    /// `!tag`), possibly on earlier lines: skips them, blanks and comments. `None` when nothing
    /// but properties lies before `limit` (an empty scalar such as `key: !reset`).
    pub(super) fn skip_properties(&self, start: Marker, limit: Marker) -> Option<Marker> {
        let mut cur = Cursor::new(self, start);
        while cur.mark.index() < limit.index() {
            let c = cur.peek()?;
            match c {
                ' ' | '\t' | '\n' | '\r' => cur.bump(),
                '#' => cur.skip_comment(),
                '&' | '!' => cur.skip_word(),
                _ => return Some(cur.mark),
            }
        }
        None
    }

    /// The `|` or `>` header of a block scalar whose content ends at `limit`, looking forward
    /// from the end of the previous event (`key`, `-`, `?`, `:`, properties, comments).
    pub(super) fn block_header(&self, from: Marker, limit: Marker) -> Option<Marker> {
        let mut cur = Cursor::new(self, from);
        while cur.mark.index() < limit.index() {
            let c = cur.peek()?;
            match c {
                '|' | '>' => return Some(cur.mark),
                ' ' | '\t' | '\n' | '\r' | ':' | '-' | '?' => cur.bump(),
                '#' => cur.skip_comment(),
                '&' | '!' => cur.skip_word(),
                _ => return None,
            }
        }
        None
    }

    /// Just after the closing quote of a quoted scalar opening at `start` (saphyr's span of a
    /// quoted scalar runs on over trailing blanks and a comment). `None` if no closing quote
    /// is found before `limit`.
    pub(super) fn quoted_end(&self, start: Marker, limit: Marker) -> Option<Marker> {
        let mut cur = Cursor::new(self, start);
        let quote = cur.peek()?;
        if quote != '\'' && quote != '"' {
            return None;
        }
        cur.bump();
        while cur.mark.index() < limit.index() {
            let c = cur.peek()?;
            cur.bump();
            if quote == '"' && c == '\\' {
                cur.bump();
            } else if c == quote {
                // `''` is an escaped quote inside a single-quoted scalar.
                if quote == '\'' && cur.peek() == Some('\'') {
                    cur.bump();
                } else {
                    return Some(cur.mark);
                }
            }
        }
        None
    }

    /// `end` moved back over trailing blanks and line breaks, but not before `floor` (block
    /// scalars end after the blank lines that follow them).
    pub(super) fn trim_end(&self, floor: Marker, end: Marker) -> Marker {
        let bytes = self.text.as_bytes();
        let floor_b = self.byte_of(floor.index());
        let mut b = self.byte_of(end.index());
        let mut index = end.index();
        let mut line = end.line();
        let mut moved = false;
        while b > floor_b {
            match bytes.get(b - 1) {
                Some(b' ' | b'\t') => {}
                Some(b'\n') => {
                    if b - 1 > floor_b && bytes.get(b - 2) == Some(&b'\r') {
                        b -= 1;
                        index -= 1;
                    }
                    line = line.saturating_sub(1);
                }
                Some(b'\r') => line = line.saturating_sub(1),
                _ => break,
            }
            // Blanks and breaks are one byte and one character each.
            b -= 1;
            index = index.saturating_sub(1);
            moved = true;
        }
        if !moved {
            return end;
        }
        let head = self.text.get(..b).unwrap_or("");
        let line_start = head.rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let col = head.get(line_start..).map_or(0, |l| l.chars().count());
        Marker::new(index, line, col)
    }

    /// A saphyr marker as a 1-based position in the file as written.
    pub(super) fn pos(&self, mark: Marker) -> Pos {
        let shift = self.shifts.get(&mark.line()).copied().unwrap_or(0);
        let col = mark.col().saturating_sub(shift);
        Pos::new(to_u32(mark.line()), to_u32(col).saturating_add(1))
    }

    pub(super) fn span(&self, start: Marker, end: Marker) -> Span {
        Span::new(self.pos(start), self.pos(end))
    }

    /// The character at a marker.
    pub(super) fn char_at(&self, mark: Marker) -> Option<char> {
        self.text.get(self.byte_of(mark.index())..)?.chars().next()
    }

    /// The alias written at `mark` (`*name` → `name`), for naming it in an error: up to a
    /// blank, a break or a flow indicator, at most 128 characters. `None` when no alias starts
    /// there.
    pub(super) fn alias_at(&self, mark: Marker) -> Option<&'a str> {
        let rest = self
            .text
            .get(self.byte_of(mark.index())..)?
            .strip_prefix('*')?;
        let end = rest
            .char_indices()
            .take(128)
            .find(|(_, c)| matches!(c, ' ' | '\t' | '\n' | '\r' | ',' | '[' | ']' | '{' | '}'))
            .map_or_else(
                || rest.char_indices().nth(128).map_or(rest.len(), |(i, _)| i),
                |(i, _)| i,
            );
        rest.get(..end).filter(|n| !n.is_empty())
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Walks characters forward from a marker, keeping line and column as saphyr counts them
/// (`\r\n`, `\n` and a lone `\r` each end a line).
struct Cursor<'s, 'a> {
    src: &'s Source<'a>,
    byte: usize,
    mark: Marker,
}

impl<'s, 'a> Cursor<'s, 'a> {
    fn new(src: &'s Source<'a>, mark: Marker) -> Self {
        Cursor {
            src,
            byte: src.byte_of(mark.index()),
            mark,
        }
    }

    fn peek(&self) -> Option<char> {
        self.src.text.get(self.byte..)?.chars().next()
    }

    fn bump(&mut self) {
        let Some(c) = self.peek() else { return };
        self.byte += c.len_utf8();
        let (index, line, col) = (self.mark.index() + 1, self.mark.line(), self.mark.col());
        self.mark = match c {
            '\r' if self.peek() == Some('\n') => {
                self.byte += 1;
                Marker::new(index + 1, line + 1, 0)
            }
            '\n' | '\r' => Marker::new(index, line + 1, 0),
            _ => Marker::new(index, line, col + 1),
        };
    }

    fn skip_comment(&mut self) {
        while let Some(c) = self.peek() {
            if c == '\n' || c == '\r' {
                break;
            }
            self.bump();
        }
    }

    /// Skips an anchor or tag: everything up to a blank, a break or a flow indicator.
    fn skip_word(&mut self) {
        self.bump();
        while let Some(c) = self.peek() {
            if matches!(c, ' ' | '\t' | '\n' | '\r' | ',' | '[' | ']' | '{' | '}') {
                break;
            }
            self.bump();
        }
    }
}
