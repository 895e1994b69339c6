//! The line loop of BuildKit's `parser.Parse` (moby/buildkit
//! `frontend/dockerfile/parser/parser.go`, Apache-2.0): parser directives, comments, blank
//! lines, line continuations, heredoc bodies, and one [`Node`] per instruction.
//!
//! What it reproduces, precisely:
//! * a line is first stripped of its terminator (any trailing `\r`/`\n`) and, for the first
//!   line of an instruction, of leading whitespace; comment lines (`#` after optional
//!   whitespace) and blank lines between instructions are skipped;
//! * a line continues when it ends with the escape token followed only by spaces/tabs, unless
//!   the token is itself escaped (`\\` at the end does not continue; `\\\` does not either, a
//!   BuildKit limitation); the token and the blanks are removed, nothing else: continuation
//!   lines keep their leading whitespace;
//! * inside a continuation, comment lines and whitespace-only lines are dropped (the latter
//!   with a warning, BuildKit's "empty continuation line");
//! * heredoc bodies follow the whole instruction, one after the other, each ending at a line
//!   equal to its delimiter (after removing leading tabs for `<<-`).
//!
//! Everything is linear in the input: the logical line is built once by appending slices.

use super::directives::DirectiveParser;
use super::heredoc;
use super::node::{Arg, HeredocNode, Node};
use super::split::node_from_line;
use crate::shell::chars::is_space;

/// Where the pieces of a logical line come from: `(offset in the logical line, offset in the
/// source text)` for each appended slice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineMap {
    segments: Vec<(usize, usize)>,
}

impl LineMap {
    /// Adds a slice starting at `source` as logical offset `logical`. An empty slice before it
    /// (same logical offset) is replaced, so offsets stay strictly increasing and lookups are
    /// a plain binary search, however many empty continuation pieces there are.
    fn push(&mut self, logical: usize, source: usize) {
        match self.segments.last_mut() {
            Some(last) if last.0 == logical => *last = (logical, source),
            _ => self.segments.push((logical, source)),
        }
    }

    /// The source byte offset of logical-line byte `logical`.
    pub fn source_offset(&self, logical: usize) -> usize {
        let idx = match self.segments.binary_search_by(|(l, _)| l.cmp(&logical)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        match self.segments.get(idx) {
            Some((l, s)) => s + logical.saturating_sub(*l),
            None => logical,
        }
    }
}

/// A heredoc with where its body is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedHeredoc {
    pub node: HeredocNode,
    /// First body line (1-based); equals `end_line` for an empty body.
    pub start_line: u32,
    /// The terminator line.
    pub end_line: u32,
}

/// One instruction as scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scanned {
    pub node: Node,
    /// The logical line (BuildKit's `Node.Original`).
    pub line: String,
    pub map: LineMap,
    /// First and last physical line (1-based), heredoc bodies included.
    pub start_line: u32,
    pub end_line: u32,
    pub heredocs: Vec<ScannedHeredoc>,
    /// BuildKit's `PrevComment`: the comments right above the instruction.
    pub prev_comments: Vec<String>,
}

/// A comment line: its text after `#` (trimmed) and the byte range of the whole comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedComment {
    pub text: String,
    pub range: (usize, usize),
}

/// A directive: name, value, byte range of the value in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedDirective {
    pub name: &'static str,
    pub value: String,
    pub range: (usize, usize),
}

/// An empty continuation line warning: the instruction's logical line and the line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmptyContinuation {
    pub line: String,
    pub line_no: u32,
    pub start_line: u32,
}

/// The result of scanning a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanResult {
    pub escape: char,
    pub directives: Vec<ScannedDirective>,
    pub instructions: Vec<Scanned>,
    pub comments: Vec<ScannedComment>,
    pub empty_continuations: Vec<EmptyContinuation>,
}

/// A scan error: BuildKit's message and the lines it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    pub message: String,
    pub start_line: u32,
    pub end_line: u32,
}

/// A physical line: byte offsets of its start, the end of its content (terminator stripped)
/// and the end including the terminator.
#[derive(Clone, Copy)]
struct Phys {
    start: usize,
    content_end: usize,
    full_end: usize,
    no: u32,
}

struct Lines<'a> {
    text: &'a str,
    pos: usize,
    no: u32,
}

impl Iterator for Lines<'_> {
    type Item = Phys;
    fn next(&mut self) -> Option<Phys> {
        if self.pos >= self.text.len() {
            return None;
        }
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let full_end =
            memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |p| start + p + 1);
        let mut content_end = full_end;
        while content_end > start && matches!(bytes[content_end - 1], b'\r' | b'\n') {
            content_end -= 1;
        }
        self.pos = full_end;
        self.no = self.no.saturating_add(1);
        Some(Phys {
            start,
            content_end,
            full_end,
            no: self.no,
        })
    }
}

fn is_comment(s: &str) -> bool {
    s.trim_start_matches(is_space).starts_with('#')
}

/// Length of `line` without a trailing line-continuation (escape token + spaces/tabs), and
/// whether there was one. Mirrors BuildKit's regex `([^E])E[ \t]*$|^E[ \t]*$` for escape `E`.
fn trim_continuation(line: &str, escape: char) -> (usize, bool) {
    let body = line.trim_end_matches([' ', '\t']);
    let Some(before) = body.strip_suffix(escape) else {
        return (line.len(), false);
    };
    match before.chars().next_back() {
        None => (0, true),
        Some(c) if c == escape => (line.len(), false),
        Some(_) => (before.len(), true),
    }
}

/// Scans the text (BOM already removed).
/// The most instructions a Dockerfile may have. Memory grows with the number of instructions
/// (about 1.6 KB per one-word `RUN` once parsed and analysed): a 4 MiB file of ~690,000 such
/// lines cost over a gigabyte, 100,000 of them cost about 155 MB. No buildable Dockerfile comes
/// near this: the engine refuses an image of more than about 125 layers on overlay2 ("max depth
/// exceeded"), and the largest of the 601 real Dockerfiles in the test corpus has a few hundred
/// instructions.
pub const MAX_INSTRUCTIONS: usize = 100_000;

/// The error for the instruction past [`MAX_INSTRUCTIONS`] (its hint is added by the parser).
pub fn too_many_instructions_message() -> String {
    format!("more than {MAX_INSTRUCTIONS} instructions")
}

pub fn scan(text: &str) -> Result<ScanResult, ScanError> {
    let mut out = ScanResult {
        escape: '\\',
        ..ScanResult::default()
    };
    let mut directives = DirectiveParser::default();
    let mut lines = Lines {
        text,
        pos: 0,
        no: 0,
    };
    let mut prev_comments: Vec<String> = Vec::new();
    let err = |message: String, start_line: u32, end_line: u32| ScanError {
        message,
        start_line,
        end_line,
    };

    while let Some(first) = lines.next() {
        let raw = &text[first.start..first.content_end];
        if is_comment(raw) {
            let c = record_comment(text, first, &mut out.comments);
            if c.is_empty() {
                prev_comments.clear();
            } else {
                prev_comments.push(c);
            }
        }
        let lead = raw.len() - raw.trim_start_matches(is_space).len();
        let token = &raw[lead..];
        match directives.parse_line(token) {
            Err(e) => return Err(err(e, first.no, first.no)),
            Ok(Some(d)) => {
                if d.name == "escape" {
                    out.escape = match d.value.as_str() {
                        "`" => '`',
                        "\\" => '\\',
                        other => {
                            return Err(err(
                                format!("invalid escape token '{other}' does not match ` or \\"),
                                first.no,
                                first.no,
                            ))
                        }
                    };
                }
                let base = first.start + lead;
                out.directives.push(ScannedDirective {
                    name: d.name,
                    value: d.value,
                    range: (base + d.value_range.0, base + d.value_range.1),
                });
                prev_comments.pop();
            }
            Ok(None) => {}
        }
        let token = if is_comment(token) { "" } else { token };
        let (n, continues) = trim_continuation(token, out.escape);
        if !continues && n == 0 {
            continue;
        }

        let start_line = first.no;
        let mut current = first.no;
        let mut line = String::with_capacity(n);
        let mut map = LineMap::default();
        map.push(0, first.start + lead);
        line.push_str(&token[..n]);
        let mut end_of_line = !continues;
        let mut has_empty = false;
        while !end_of_line {
            let Some(next) = lines.next() else { break };
            current = next.no;
            let raw = &text[next.start..next.content_end];
            if is_comment(raw) {
                record_comment(text, next, &mut out.comments);
                continue;
            }
            if raw.trim_start_matches(is_space).is_empty() {
                has_empty = true;
                continue;
            }
            let (n, continues) = trim_continuation(raw, out.escape);
            map.push(line.len(), next.start);
            line.push_str(&raw[..n]);
            end_of_line = !continues;
        }

        if has_empty {
            out.empty_continuations.push(EmptyContinuation {
                line: line.clone(),
                line_no: current,
                start_line,
            });
        }

        let node = node_from_line(&line, 0, out.escape).map_err(|m| err(m, start_line, current))?;

        let mut heredocs = Vec::new();
        if can_contain_heredoc(&node) && line.contains("<<") {
            let found =
                heredoc::heredocs_from_line(&line).map_err(|m| err(m, start_line, current))?;
            for mut h in found {
                let body_start = current.saturating_add(1);
                let mut content = String::new();
                let mut terminated = false;
                for l in lines.by_ref() {
                    current = l.no;
                    let mut candidate = &text[l.start..l.content_end];
                    if h.chomp {
                        candidate = candidate.trim_start_matches('\t');
                    }
                    if candidate == h.name {
                        terminated = true;
                        break;
                    }
                    content.push_str(&text[l.start..l.full_end]);
                }
                if !terminated {
                    return Err(err(
                        format!("unterminated heredoc {}", super::node::go_quote(&h.name)),
                        start_line,
                        current,
                    ));
                }
                h.content = content;
                heredocs.push(ScannedHeredoc {
                    node: h,
                    start_line: body_start.min(current),
                    end_line: current,
                });
            }
        }

        if out.instructions.len() == MAX_INSTRUCTIONS {
            return Err(err(too_many_instructions_message(), start_line, current));
        }
        out.instructions.push(Scanned {
            node,
            line,
            map,
            start_line,
            end_line: current,
            heredocs,
            prev_comments: std::mem::take(&mut prev_comments),
        });
    }

    if out.instructions.is_empty() {
        return Err(err(
            "file with no instructions".to_string(),
            lines.no,
            lines.no,
        ));
    }
    Ok(out)
}

/// `syntax` and `check` directives after a `#!` first line. BuildKit picks the frontend
/// (`DetectSyntax`) and the check configuration (`ParseDirective`) after dropping a shebang
/// line, although its parser proper stops reading directives at that line (so `escape` is not
/// honoured there).
pub fn directives_after_shebang(text: &str) -> Vec<ScannedDirective> {
    let mut out = Vec::new();
    if !text.starts_with("#!") {
        return out;
    }
    let mut parser = DirectiveParser::default();
    for l in (Lines {
        text,
        pos: 0,
        no: 0,
    })
    .skip(1)
    {
        let raw = &text[l.start..l.content_end];
        match parser.parse_line(raw) {
            Ok(Some(d)) if d.name != "escape" => out.push(ScannedDirective {
                name: d.name,
                value: d.value,
                range: (l.start + d.value_range.0, l.start + d.value_range.1),
            }),
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => break,
        }
    }
    out
}

/// BuildKit's `canContainHeredoc`: RUN, COPY and ADD in shell form, also inside ONBUILD.
fn can_contain_heredoc(node: &Node) -> bool {
    let mut n = node;
    if super::node::go_lower(&n.value) == "onbuild" {
        if let Some(Arg::Sub(child)) = n.args.first() {
            n = child;
        }
    }
    matches!(
        super::node::go_lower(&n.value).as_str(),
        "add" | "copy" | "run"
    ) && !n.json
}

/// Records a comment line; returns its text after `#`, trimmed.
fn record_comment(text: &str, line: Phys, comments: &mut Vec<ScannedComment>) -> String {
    let raw = &text[line.start..line.content_end];
    let lead = raw.len() - raw.trim_start_matches(is_space).len();
    let body = &raw[lead..];
    let trimmed_end = body.trim_end_matches(is_space);
    let inner = trimmed_end.strip_prefix('#').unwrap_or(trimmed_end);
    let c = inner.trim_matches(is_space).to_string();
    comments.push(ScannedComment {
        text: c.clone(),
        range: (line.start + lead, line.start + lead + trimmed_end.len()),
    });
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_detection() {
        assert_eq!(trim_continuation("a \\", '\\'), (2, true));
        assert_eq!(trim_continuation("a \\ \t", '\\'), (2, true));
        assert_eq!(trim_continuation("\\  ", '\\'), (0, true));
        assert_eq!(trim_continuation("a \\\\", '\\'), (4, false));
        assert_eq!(trim_continuation("a `", '`'), (2, true));
        assert_eq!(trim_continuation("a \\", '`'), (3, false));
        assert_eq!(trim_continuation("é\\", '\\'), (2, true));
    }

    #[test]
    fn line_map_resolves_segments() {
        let mut m = LineMap::default();
        for (l, s) in [(0, 10), (5, 30), (5, 40), (9, 50)] {
            m.push(l, s);
        }
        assert_eq!(m.segments.len(), 3);
        assert_eq!(m.source_offset(0), 10);
        assert_eq!(m.source_offset(4), 14);
        assert_eq!(m.source_offset(5), 40);
        assert_eq!(m.source_offset(10), 51);
    }
}
