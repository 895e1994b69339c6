//! Where each character of a RUN's script is in the Dockerfile.
//!
//! The parser hands rules the *logical* line (continuations joined, comment lines inside the
//! continuation dropped), heredoc bodies (tab-stripped for `<<-`), and JSON-unescaped exec
//! elements. To underline the exact word a finding is about, each of those texts gets an
//! [`Origin`]: one file position per character, rebuilt by walking the source the way BuildKit
//! joins lines. When the rebuilt text does not match (an unexpected parser detail), every
//! character maps to the instruction's first line instead: a coarse but never wrong location.

use crate::ast::{Heredoc, Located};
use plimsoll_core::{Pos, Span};
use plimsoll_shell::{HereBody, Ix, Word};

/// What the readers of a RUN's commands and written files need from the RUN itself: where its
/// characters are in the file, and the ARG/ENV values in scope before it. The RUN
/// (`instructions::Run`) implements it; it is a trait so those readers sit below the RUN that
/// is built from them instead of importing it back.
pub trait RunPositions {
    /// The span of origin characters `start..end`.
    fn span(&self, origin: usize, start: Ix, end: Ix) -> Span;
    /// The span of several words (first to last).
    fn words_span(&self, origin: usize, words: &[Word]) -> Span;
    /// The span of heredoc-body characters `from..to` (char indices into `body.text`).
    fn body_span(&self, origin: usize, body: &HereBody, from: usize, to: usize) -> Span;
    /// The RUN keyword's line (for findings about the instruction as a whole).
    fn first_line(&self) -> Span;
    /// The value of a variable from ARG/ENV in scope (`None` when unknown).
    fn var(&self, name: &str) -> Option<String>;

    fn word_span(&self, origin: usize, w: &Word) -> Span {
        self.span(origin, w.start, w.end)
    }
}

/// The file's lines, for position arithmetic.
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    source: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(source: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1));
        Lines { source, starts }
    }

    /// The text of 1-based line `line`, without its line terminator.
    pub fn line(&self, line: u32) -> Option<&'a str> {
        let idx = (line as usize).checked_sub(1)?;
        let start = *self.starts.get(idx)?;
        let end = self
            .starts
            .get(idx + 1)
            .map_or(self.source.len(), |n| n.saturating_sub(1));
        let text = self.source.get(start..end.max(start))?;
        Some(text.strip_suffix('\r').unwrap_or(text))
    }
}

/// One position per character of a script text.
#[derive(Debug, Clone)]
pub struct Origin {
    pos: Vec<Pos>,
    /// Used for characters without a known position.
    fallback: Span,
}

impl Origin {
    /// Every character at the fallback span (when nothing better is known).
    pub fn coarse(fallback: Span) -> Origin {
        Origin {
            pos: Vec::new(),
            fallback,
        }
    }

    /// The span of characters `start..end`.
    pub fn span(&self, start: Ix, end: Ix) -> Span {
        let first = self.pos.get(start as usize).copied();
        let last = end
            .checked_sub(1)
            .and_then(|e| self.pos.get(e.max(start) as usize))
            .copied();
        match (first, last) {
            (Some(s), Some(l)) if l >= s => Span::new(s, Pos::new(l.line, l.column + 1)),
            (Some(s), _) => Span::new(s, Pos::new(s.line, s.column + 1)),
            _ => self.fallback,
        }
    }

    /// The logical shell-form line of a RUN that starts at `start` in the file.
    pub fn shell_line(
        lines: &Lines<'_>,
        start: Pos,
        text: &str,
        escape: char,
        fallback: Span,
    ) -> Origin {
        // Usually the joined source starts with exactly the text: take the positions while
        // comparing. Otherwise align the two.
        let mut pos = Vec::with_capacity(text.len());
        let mut wanted = text.chars();
        let mut next = wanted.next();
        let mut mismatch = false;
        joined_chars(lines, start, escape, |c, p| match next {
            Some(w) if w == c => {
                pos.push(p);
                next = wanted.next();
                true
            }
            Some(_) => {
                mismatch = true;
                false
            }
            None => false,
        });
        if mismatch || next.is_some() {
            let joined = join_lines(lines, start, escape);
            let wanted: Vec<char> = text.chars().collect();
            pos = align(&joined, &wanted).unwrap_or_default();
        }
        Origin { pos, fallback }
    }

    /// A heredoc body (`content` lines are the source lines from `span.start.line` on, minus
    /// leading tabs for `<<-`).
    pub fn heredoc(lines: &Lines<'_>, doc: &Heredoc, fallback: Span) -> Origin {
        let mut pos = Vec::with_capacity(doc.content.len());
        for (n, content_line) in doc.content.split_inclusive('\n').enumerate() {
            let line = doc.span.start.line.saturating_add(n as u32);
            let body = content_line.strip_suffix('\n').unwrap_or(content_line);
            let body = body.strip_suffix('\r').unwrap_or(body);
            let src_len = lines.line(line).map_or(0, |l| l.chars().count());
            let shift = src_len.saturating_sub(body.chars().count()) as u32;
            for (k, _) in content_line.chars().enumerate() {
                pos.push(Pos::new(line, shift + k as u32 + 1));
            }
        }
        Origin { pos, fallback }
    }

    /// The elements of an exec-form (JSON) command, concatenated; returns each element's
    /// first index in the origin.
    pub fn exec(lines: &Lines<'_>, parts: &[Located<String>], fallback: Span) -> (Origin, Vec<Ix>) {
        let mut pos = Vec::new();
        let mut bases = Vec::with_capacity(parts.len());
        for part in parts {
            bases.push(pos.len() as Ix);
            match json_positions(lines, part) {
                Some(p) => pos.extend(p),
                None => pos.extend(std::iter::repeat_n(
                    part.span.start,
                    part.value.chars().count(),
                )),
            }
        }
        (Origin { pos, fallback }, bases)
    }
}

/// The characters BuildKit joins into one logical line, starting at `start`, each with its
/// position: a line ending in the escape character (plus blanks) continues on the next line;
/// blank lines and comment lines inside a continuation are dropped.
fn join_lines(lines: &Lines<'_>, start: Pos, escape: char) -> Vec<(char, Pos)> {
    let mut out = Vec::new();
    joined_chars(lines, start, escape, |c, p| {
        out.push((c, p));
        true
    });
    out
}

/// Calls `f` with each character of [`join_lines`] in order, until it returns false.
fn joined_chars(lines: &Lines<'_>, start: Pos, escape: char, mut f: impl FnMut(char, Pos) -> bool) {
    let mut line_no = start.line;
    let mut first = true;
    while let Some(text) = lines.line(line_no) {
        let skip_cols = if first {
            start.column.saturating_sub(1) as usize
        } else {
            0
        };
        if !first {
            let trimmed = text.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                line_no += 1;
                continue;
            }
        }
        first = false;
        let trimmed = text.trim_end_matches([' ', '\t']);
        let content = match trimmed.strip_suffix(escape) {
            Some(before) => before,
            None => text,
        };
        for (k, c) in content.chars().enumerate().skip(skip_cols) {
            if !f(c, Pos::new(line_no, k as u32 + 1)) {
                return;
            }
        }
        if content.len() == text.len() {
            break;
        }
        line_no += 1;
    }
}

/// Matches `wanted` against `joined` in order, skipping joined characters that are missing
/// from `wanted`. `None` unless every wanted character is found.
fn align(joined: &[(char, Pos)], wanted: &[char]) -> Option<Vec<Pos>> {
    let mut out = Vec::with_capacity(wanted.len());
    let mut j = 0;
    for c in wanted {
        while j < joined.len() && joined[j].0 != *c {
            j += 1;
        }
        let (_, p) = joined.get(j)?;
        out.push(*p);
        j += 1;
    }
    Some(out)
}

/// Positions of the decoded characters of a JSON string element, when its source text is a
/// plain `"…"` on one line that decodes to the element's value.
fn json_positions(lines: &Lines<'_>, part: &Located<String>) -> Option<Vec<Pos>> {
    let line = lines.line(part.span.start.line)?;
    let chars: Vec<char> = line.chars().collect();
    let mut k = part.span.start.column.checked_sub(1)? as usize;
    if chars.get(k) != Some(&'"') {
        return None;
    }
    k += 1;
    let mut out = Vec::new();
    let mut decoded = String::new();
    while let Some(&c) = chars.get(k) {
        let at = Pos::new(part.span.start.line, k as u32 + 1);
        match c {
            '"' => break,
            '\\' => {
                let n = *chars.get(k + 1)?;
                let (d, len) = match n {
                    'n' => ('\n', 2),
                    't' => ('\t', 2),
                    'r' => ('\r', 2),
                    'b' => ('\u{8}', 2),
                    'f' => ('\u{c}', 2),
                    'u' => {
                        let hex: String = chars.get(k + 2..k + 6)?.iter().collect();
                        (char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?, 6)
                    }
                    other => (other, 2),
                };
                decoded.push(d);
                out.push(at);
                k += len;
            }
            _ => {
                decoded.push(c);
                out.push(at);
                k += 1;
            }
        }
    }
    (decoded == part.value).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_continuations_and_drops_comment_lines() {
        let src = "FROM x\nRUN apt-get install \\\n    # a comment\n\n    curl \\  \n && echo ok\n";
        let lines = Lines::new(src);
        let text = "apt-get install     curl  && echo ok";
        let o = Origin::shell_line(&lines, Pos::new(2, 5), text, '\\', Span::lines(2, 6));
        let at = text.find("curl").unwrap() as Ix;
        assert_eq!(
            o.span(at, at + 4),
            Span::new(Pos::new(5, 5), Pos::new(5, 9))
        );
        let at = text.find("echo").unwrap() as Ix;
        assert_eq!(o.span(at, at + 4).start, Pos::new(6, 5));
    }

    #[test]
    fn unknown_text_falls_back() {
        let lines = Lines::new("RUN a\n");
        let o = Origin::shell_line(&lines, Pos::new(1, 5), "zzz", '\\', Span::lines(1, 1));
        assert_eq!(o.span(0, 3), Span::lines(1, 1));
    }

    #[test]
    fn exec_elements_map_through_json_escapes() {
        let src = r#"RUN ["sh", "-c", "curl -k \"x\""]"#;
        let lines = Lines::new(src);
        let parts = vec![
            Located::new("sh".to_string(), Span::new(Pos::new(1, 6), Pos::new(1, 10))),
            Located::new(
                "-c".to_string(),
                Span::new(Pos::new(1, 12), Pos::new(1, 16)),
            ),
            Located::new(
                "curl -k \"x\"".to_string(),
                Span::new(Pos::new(1, 18), Pos::new(1, 33)),
            ),
        ];
        let (o, bases) = Origin::exec(&lines, &parts, Span::lines(1, 1));
        let k = bases[2] + 5;
        assert_eq!(
            o.span(k, k + 2),
            Span::new(Pos::new(1, 24), Pos::new(1, 26))
        );
    }
}
