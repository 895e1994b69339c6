//! Exact spans for text inside an instruction: a word or a piece of text found in the source
//! lines an instruction covers (across `\\` continuations), and an instruction's first line.

use crate::ast::Instruction;
use plimsoll_core::{Pos, Span};

/// Finds `needle` as a whole word (delimited by whitespace, quotes, `=`, `,`, `;`, `|`, `&`,
/// `(`, `)` or the ends) inside the source text covered by `within`, and returns its exact
/// span. Works across continuation lines because it searches the original source.
pub fn find_word(source: &str, within: Span, needle: &str) -> Option<Span> {
    find_in(source, within, needle, true)
}

/// Like [`find_word`] without the word-boundary requirement.
pub fn find_text(source: &str, within: Span, needle: &str) -> Option<Span> {
    find_in(source, within, needle, false)
}

fn find_in(source: &str, within: Span, needle: &str, whole_word: bool) -> Option<Span> {
    if needle.is_empty() {
        return None;
    }
    let (start, end) = byte_range(source, within)?;
    let hay = source.get(start..end)?;
    let is_delim = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '"' | '\'' | '=' | ',' | ';' | '|' | '&' | '(' | ')' | '[' | ']' | '\\' | '`'
            )
    };
    let mut from = 0;
    while let Some(rel) = hay.get(from..)?.find(needle) {
        let at = from + rel;
        let after = at + needle.len();
        let ok = !whole_word
            || (hay[..at].chars().next_back().is_none_or(is_delim)
                && hay[after..].chars().next().is_none_or(is_delim));
        if ok {
            let s = Pos::at_byte(source, start + at);
            let e = Pos::at_byte(source, start + after);
            return Some(Span::new(s, e));
        }
        from = at + needle.chars().next().map(char::len_utf8).unwrap_or(1);
    }
    None
}

/// Byte offsets of a span in `source` (`end.column == 0` means end of that line).
fn byte_range(source: &str, span: Span) -> Option<(usize, usize)> {
    let start = offset_of(source, span.start)?;
    let end = if span.end.column == 0 {
        line_end_offset(source, span.end.line)?
    } else {
        offset_of(source, span.end).unwrap_or(source.len())
    };
    (start <= end).then_some((start, end))
}

fn line_start(source: &str, line: u32) -> Option<usize> {
    if line == 0 {
        return None;
    }
    if line == 1 {
        return Some(0);
    }
    source
        .match_indices('\n')
        .nth(line as usize - 2)
        .map(|(i, _)| i + 1)
}

fn line_end_offset(source: &str, line: u32) -> Option<usize> {
    let s = line_start(source, line)?;
    Some(
        source[s..]
            .find('\n')
            .map(|i| s + i)
            .unwrap_or(source.len()),
    )
}

fn offset_of(source: &str, pos: Pos) -> Option<usize> {
    let s = line_start(source, pos.line)?;
    let line_end = source[s..]
        .find('\n')
        .map(|i| s + i)
        .unwrap_or(source.len());
    let col = pos.column.max(1) as usize - 1;
    let mut off = s;
    for (n, (i, _)) in source[s..line_end].char_indices().enumerate() {
        if n == col {
            return Some(s + i);
        }
        off = s + i;
    }
    let count = source[s..line_end].chars().count();
    if col >= count {
        return Some(line_end);
    }
    Some(off)
}

/// The span of an instruction's first line (for absence findings anchored at a `FROM`).
pub fn first_line(instr: &Instruction) -> Span {
    let start = instr.span.start;
    if instr.span.end.line == start.line {
        instr.span
    } else {
        Span::new(start, Pos::new(start.line, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_words_across_lines() {
        let src = "FROM debian\nRUN apt-get install \\\n    gcc make\n";
        let within = Span::new(Pos::new(2, 1), Pos::new(3, 0));
        let s = find_word(src, within, "make").unwrap();
        assert_eq!(s, Span::new(Pos::new(3, 9), Pos::new(3, 13)));
        assert!(find_word(src, within, "mak").is_none());
    }
}
