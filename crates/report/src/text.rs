//! Making untrusted text safe and measurable on a terminal.
//!
//! Everything a finding quotes comes from audited input (a Dockerfile line, an environment
//! value, an image label). Printed raw, an escape sequence in a Dockerfile could repaint the
//! auditor's own terminal, and a bidi override could make a quoted line read differently from
//! what it is ("Trojan Source"). So every control and bidi-control character is replaced with a
//! visible stand-in before it reaches the output, and display widths are measured per character
//! so carets stay under the characters they point at (tabs, CJK, emoji, combining marks).

use unicode_width::UnicodeWidthChar;

/// Tabs are shown as this many spaces (as rustc does), so caret columns are predictable.
pub const TAB_WIDTH: usize = 4;

/// The visible stand-in for a character that must not reach the terminal as is, or `None`
/// when the character is safe to print. Tab and newline are handled by the callers.
fn stand_in(c: char) -> Option<char> {
    match c {
        // C0 controls have "control pictures" (U+2400…U+241F): ESC shows as ␛.
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32),
        '\u{7f}' => Some('\u{2421}'),
        // C1 controls (U+0080…U+009F), bidi embeddings/overrides/isolates, and the line and
        // paragraph separators that some terminals honour.
        '\u{80}'..='\u{9f}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{feff}' => Some('\u{fffd}'),
        // A non-UTF-8 byte of a file name (plimsoll_core::finding::path_string).
        c if plimsoll_core::finding::raw_byte(c).is_some() => Some('\u{fffd}'),
        _ => None,
    }
}

/// One-line text (a message, a path): tabs and newlines become spaces, other control
/// characters become visible stand-ins.
pub fn inline(s: &str) -> String {
    let s = s.trim_end_matches(['\r', '\n']);
    s.chars()
        .map(|c| match c {
            '\t' | '\n' => ' ',
            '\r' => ' ',
            c => stand_in(c).unwrap_or(c),
        })
        .collect()
}

/// Multi-line text (a fix): newlines are kept, everything else as for [`inline`].
pub fn block(s: &str) -> String {
    s.trim()
        .split('\n')
        .map(|line| inline(line.trim_end_matches('\r')))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A source line prepared for display: the printable text and, for each original character,
/// the display column where it starts (plus one final entry: the line's total width).
///
/// Built once per quoted line and shared by every finding that quotes it: the column of a
/// character and the characters in a column range are found by binary search over `starts`, so
/// quoting a window of a 200,000-character line costs the window, not the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayLine {
    /// What each original character is shown as, in order (a tab becomes several spaces).
    pub cells: Vec<Cell>,
    /// `starts[i]`: display column where character `i` starts; `starts[len]`: the width.
    /// `u32` and a one-byte cell width keep a prepared line at 12 bytes per character: the
    /// human report keeps every line it quotes from a file (up to the 4 MiB input limit).
    starts: Vec<u32>,
    first_non_blank: usize,
    end_non_blank: usize,
}

/// How one source character is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    /// The printable character (a space for a tab, repeated `width` times).
    pub shown: char,
    /// Its display width in terminal columns (0 for combining marks; at most [`TAB_WIDTH`]).
    pub width: u8,
    /// Whether the source character is whitespace.
    pub blank: bool,
}

impl Cell {
    fn push_to(self, out: &mut String) {
        if self.shown == ' ' {
            out.extend(std::iter::repeat_n(' ', usize::from(self.width.max(1))));
        } else {
            out.push(self.shown);
        }
    }
}

impl DisplayLine {
    /// A copy with the non-blank characters `from..to` shown as `*`, one column each (a
    /// secret under a finding's carets); the carets computed from the copy stay aligned.
    pub fn masked(&self, from: usize, to: usize) -> DisplayLine {
        let mut copy = self.clone();
        let to = to.min(copy.cells.len());
        for cell in copy.cells.iter_mut().take(to).skip(from) {
            if !cell.blank {
                cell.shown = '*';
                cell.width = 1;
            }
        }
        let mut col: u32 = 0;
        for (i, cell) in copy.cells.iter().enumerate() {
            copy.starts[i] = col;
            col = col.saturating_add(u32::from(cell.width));
        }
        if let Some(last) = copy.starts.last_mut() {
            *last = col;
        }
        copy
    }

    pub fn new(line: &str) -> DisplayLine {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let cells: Vec<Cell> = line
            .chars()
            .map(|c| match c {
                '\t' => Cell {
                    shown: ' ',
                    width: TAB_WIDTH as u8,
                    blank: true,
                },
                c => {
                    let shown = stand_in(c).unwrap_or(c);
                    Cell {
                        shown,
                        width: u8::try_from(shown.width().unwrap_or(0)).unwrap_or(2),
                        blank: c.is_whitespace(),
                    }
                }
            })
            .collect();
        let mut starts = Vec::with_capacity(cells.len() + 1);
        let mut col: u32 = 0;
        for cell in &cells {
            starts.push(col);
            col = col.saturating_add(u32::from(cell.width));
        }
        starts.push(col);
        let first_non_blank = cells.iter().position(|c| !c.blank).unwrap_or(cells.len());
        let end_non_blank = cells.iter().rposition(|c| !c.blank).map_or(0, |i| i + 1);
        DisplayLine {
            cells,
            starts,
            first_non_blank,
            end_non_blank,
        }
    }

    /// Number of characters (Unicode scalar values) in the line.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// The display column (0-based) where character `index` (0-based) starts; an index past
    /// the end gives the line's width.
    pub fn column_of(&self, index: usize) -> usize {
        self.starts[index.min(self.cells.len())] as usize
    }

    /// The line's total display width.
    pub fn width(&self) -> usize {
        self.column_of(self.cells.len())
    }

    /// Index of the first character that is not whitespace (the line's length if none).
    pub fn first_non_blank(&self) -> usize {
        self.first_non_blank
    }

    /// Index one past the last character that is not whitespace (0 if none).
    pub fn end_non_blank(&self) -> usize {
        self.end_non_blank
    }

    /// The first character boundary at or after display column `col` (the width if none).
    pub fn boundary_at_or_after(&self, col: usize) -> usize {
        let i = self.starts.partition_point(|start| (*start as usize) < col);
        self.starts
            .get(i)
            .map_or_else(|| self.width(), |start| *start as usize)
    }

    /// The characters lying wholly inside display columns `from..to`, in order.
    fn cells_within(&self, from: usize, to: usize) -> impl Iterator<Item = &Cell> + '_ {
        let first =
            self.starts[..self.cells.len()].partition_point(|start| (*start as usize) < from);
        self.cells[first..]
            .iter()
            .zip(&self.starts[first..])
            .take_while(move |(cell, start)| **start as usize + usize::from(cell.width) <= to)
            .map(|(cell, _)| cell)
    }

    /// The text of the characters whose display columns lie in `from..to` (a character that
    /// straddles a boundary is left out, so the result is never wider than `to - from`).
    pub fn slice_columns(&self, from: usize, to: usize) -> String {
        let mut out = String::new();
        for cell in self.cells_within(from, to) {
            cell.push_to(&mut out);
        }
        out
    }

    /// Width of the characters lying wholly inside columns `from..to`.
    pub fn width_within(&self, from: usize, to: usize) -> usize {
        self.cells_within(from, to)
            .map(|c| usize::from(c.width))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_neutralised() {
        assert_eq!(inline("a\u{1b}[31mred"), "a\u{241b}[31mred");
        assert_eq!(inline("x\u{202e}y"), "x\u{fffd}y");
        assert_eq!(inline("one\ttwo\nthree\n"), "one two three");
        assert_eq!(block("  a\r\n\u{7}b \n"), "a\n\u{2407}b");
    }

    #[test]
    fn widths_follow_tabs_and_wide_characters() {
        let line = DisplayLine::new("\tRUN 日本\u{301}x\r");
        assert_eq!(line.len(), 9);
        // tab=4, "RUN "=4, 日=2, 本=2, combining acute=0, x=1
        assert_eq!(line.column_of(1), 4);
        assert_eq!(line.column_of(5), 8);
        assert_eq!(line.column_of(6), 10);
        assert_eq!(line.column_of(8), 12);
        assert_eq!(line.width(), 13);
        assert_eq!(line.first_non_blank(), 1);
        assert_eq!(line.slice_columns(8, 11), "日");
    }
}
