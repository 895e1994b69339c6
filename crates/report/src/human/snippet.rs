//! Quoting source lines under a diagnostic: which lines to show, where the carets go, how to
//! elide long spans and truncate long lines.
//!
//! This is a hand renderer rather than annotate-snippets (see the module docs of
//! [`crate::human`] for why). It works in three steps: pick the lines (first and last of the
//! span, the middle ones too when the span is short), compute each marked line's caret range in
//! *characters* (core columns count Unicode scalar values), then convert characters to display
//! columns through [`DisplayLine`] so tabs and wide characters cannot shift the carets.

use super::source::SourceLines;
use crate::text::DisplayLine;
use plimsoll_core::{secrets, Span};

/// Longest source excerpt shown per line, in display columns (excluding the gutter).
pub const MAX_WIDTH: usize = 120;
/// Spans of more than this many lines show only their first and last line.
pub const MAX_SPAN_LINES: usize = 6;
/// When a line is cut at the front, keep this many columns of context before the carets.
const LEAD_CONTEXT: usize = 16;
const ELLIPSIS: &str = "...";

/// One row of a quoted snippet, before the gutter is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// A source line: its 1-based number and its (sanitised, maybe truncated) text.
    Source { line: u32, text: String },
    /// Carets under the previous source line: `offset` display columns in, `len` wide.
    Carets { offset: usize, len: usize },
    /// Lines left out of a long span.
    Elided,
}

/// The rows that quote `span` from a source's (redacted) lines, or `None` when the span does
/// not point into the source (no line 0, no line past the end: a stale span is shown without a
/// snippet rather than with a wrong one). Costs the quoted window, not the length of the line.
///
/// `secret`: the text under a one-line span is a secret value (see
/// [`plimsoll_core::Finding::span_is_secret`]): it is shown masked but for its first
/// [`secrets::visible_head`] characters, as the rules' messages show it (`Comp…(15 chars)`).
pub fn rows(lines: &SourceLines, span: Span, secret: bool) -> Option<Vec<Row>> {
    let first = span.start.line;
    if first == 0 || first as usize > lines.count() {
        return None;
    }
    let last = span.end.line.clamp(first, lines.count() as u32);
    let line_text = |n: u32| lines.line(n);

    let mut rows = Vec::new();
    if first == last {
        let dl = line_text(first);
        let start = start_index(&dl, span.start.column);
        let end = end_index(&dl, span.end.column, start);
        if secret {
            let head = secrets::visible_head(end - start);
            let masked = dl.masked(start + head, end);
            push_marked(&mut rows, first, &masked, start, end);
        } else {
            push_marked(&mut rows, first, &dl, start, end);
        }
        return Some(rows);
    }

    // First line: from the start column to the end of its text.
    let dl = line_text(first);
    let start = start_index(&dl, span.start.column);
    let end = dl.end_non_blank().max(start + 1);
    push_marked(&mut rows, first, &dl, start, end);

    let count = (last - first + 1) as usize;
    if count > MAX_SPAN_LINES {
        rows.push(Row::Elided);
    } else {
        for n in first + 1..last {
            push_plain(&mut rows, n, &line_text(n));
        }
    }

    // Last line: from its first non-blank character to the end column.
    let dl = line_text(last);
    let start = dl.first_non_blank().min(dl.len());
    let end = end_index(&dl, span.end.column, start);
    push_marked(&mut rows, last, &dl, start, end);
    Some(rows)
}

/// 0-based character index of a 1-based start column (0: unknown, the first non-blank).
fn start_index(dl: &DisplayLine, column: u32) -> usize {
    if column == 0 {
        dl.first_non_blank().min(dl.len())
    } else {
        (column as usize - 1).min(dl.len())
    }
}

/// 0-based exclusive character index of an exclusive 1-based end column (0: end of line).
/// Never at or before `start`, so every marked line gets at least one caret.
fn end_index(dl: &DisplayLine, column: u32, start: usize) -> usize {
    let end = if column == 0 {
        dl.end_non_blank()
    } else {
        (column as usize - 1).min(dl.len())
    };
    end.max(start + 1)
}

fn push_plain(rows: &mut Vec<Row>, line: u32, dl: &DisplayLine) {
    let (text, _, _) = window(dl, 0, 0);
    rows.push(Row::Source { line, text });
}

/// Quotes a line with carets under characters `start..end` (`end` may be one past the line,
/// pointing just after its last character).
fn push_marked(rows: &mut Vec<Row>, line: u32, dl: &DisplayLine, start: usize, end: usize) {
    let caret_from = dl.column_of(start);
    // Past the end of the line each missing character counts one column.
    let caret_to = dl.column_of(end) + end.saturating_sub(dl.len());
    let caret_to = caret_to.max(caret_from + 1);
    let (text, shown_from, shown_to) = window(dl, caret_from, caret_to);
    let lead = if shown_from > 0 { ELLIPSIS.len() } else { 0 };
    let from = caret_from.max(shown_from);
    let to = caret_to.min(shown_to.max(from + 1));
    rows.push(Row::Source { line, text });
    rows.push(Row::Carets {
        offset: lead + from - shown_from,
        len: to.saturating_sub(from).max(1),
    });
}

/// The visible part of a line that keeps display columns `want_from..want_to` in view when
/// possible: `(text, first column shown, column after the last shown)`. A cut is marked with
/// `...` at either end.
fn window(dl: &DisplayLine, want_from: usize, want_to: usize) -> (String, usize, usize) {
    let width = dl.width();
    if width <= MAX_WIDTH && want_to <= MAX_WIDTH + 1 {
        return (dl.slice_columns(0, width), 0, width.max(want_to));
    }
    // Start at 0 when the marked range fits in the first screenful, else shortly before it.
    let budget = MAX_WIDTH - ELLIPSIS.len();
    let from = if want_to <= budget {
        0
    } else {
        dl.boundary_at_or_after(want_from.saturating_sub(LEAD_CONTEXT))
    };
    let budget = if from > 0 {
        budget - ELLIPSIS.len()
    } else {
        budget
    };
    let to = (from + budget).min(width);
    let body = dl.slice_columns(from, to);
    let shown_to = from + dl.width_within(from, to);
    let mut text = String::new();
    if from > 0 {
        text.push_str(ELLIPSIS);
    }
    text.push_str(&body);
    if shown_to < width {
        text.push_str(ELLIPSIS);
    }
    // Past the end of a line that fits after the cut, the carets may still extend one column.
    let shown_to = if shown_to >= width {
        shown_to.max(want_to)
    } else {
        shown_to
    };
    (text, from, shown_to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_core::Pos;

    #[test]
    fn a_secret_span_is_masked_but_for_its_head() {
        let rows = rows_of(
            "RUN tool login deploy Composer-Pass-3 x",
            span(1, 23, 1, 38),
            true,
        )
        .unwrap();
        assert_eq!(
            rows[0],
            Row::Source {
                line: 1,
                text: "RUN tool login deploy Comp*********** x".to_string()
            }
        );
        assert_eq!(carets(&rows), vec![(22, 15)]);
    }

    fn rows(source: &str, span: Span) -> Option<Vec<Row>> {
        rows_of(source, span, false)
    }

    fn rows_of(source: &str, span: Span, secret: bool) -> Option<Vec<Row>> {
        super::rows(&SourceLines::new(source), span, secret)
    }

    fn span(l1: u32, c1: u32, l2: u32, c2: u32) -> Span {
        Span::new(Pos::new(l1, c1), Pos::new(l2, c2))
    }

    fn carets(rows: &[Row]) -> Vec<(usize, usize)> {
        rows.iter()
            .filter_map(|r| match r {
                Row::Carets { offset, len } => Some((*offset, *len)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn single_line_span_marks_its_columns() {
        let rows = rows("FROM x\nUSER root\n", span(2, 6, 2, 10)).unwrap();
        assert_eq!(
            rows[0],
            Row::Source {
                line: 2,
                text: "USER root".into()
            }
        );
        assert_eq!(carets(&rows), vec![(5, 4)]);
    }

    #[test]
    fn whole_line_span_marks_the_text() {
        let rows = rows("  RUN x  \n", Span::lines(1, 1)).unwrap();
        assert_eq!(carets(&rows), vec![(0, 7)]);
    }

    #[test]
    fn tabs_and_wide_characters_keep_carets_aligned() {
        // "\tENV 名前=x": tab (4) + "ENV " (4) + 名 (2) 前 (2) ...; mark 名前.
        let rows = rows("\tENV 名前=x", span(1, 6, 1, 8)).unwrap();
        assert_eq!(carets(&rows), vec![(8, 4)]);
    }

    #[test]
    fn long_spans_are_elided() {
        let src = (1..=10)
            .map(|i| format!("line{i}"))
            .collect::<Vec<_>>()
            .join("\n");
        let long = rows(&src, span(2, 1, 9, 0)).unwrap();
        assert!(long.contains(&Row::Elided));
        assert_eq!(long.len(), 5);
        let short = rows(&src, span(2, 1, 4, 0)).unwrap();
        assert!(!short.contains(&Row::Elided));
        assert_eq!(short.len(), 5); // line2, carets, line3, line4, carets
    }

    #[test]
    fn long_lines_are_cut_around_the_carets() {
        let line = format!("RUN {} --secret=abc", "x".repeat(300));
        let rows = rows(&line, span(1, 306, 1, 318)).unwrap();
        let Row::Source { text, .. } = &rows[0] else {
            panic!()
        };
        assert!(text.starts_with("..."), "{text}");
        assert!(text.chars().count() <= MAX_WIDTH, "{}", text.len());
        let (offset, len) = carets(&rows)[0];
        assert_eq!(&text[offset..offset + len], "--secret=abc");
    }

    #[test]
    fn stale_spans_give_no_snippet() {
        assert_eq!(rows("a\n", span(5, 1, 5, 2)), None);
        assert_eq!(rows("a\n", span(0, 1, 0, 2)), None);
    }

    #[test]
    fn crlf_line_endings_are_not_shown() {
        let rows = rows("FROM x\r\nUSER root\r\n", span(2, 1, 2, 0)).unwrap();
        assert_eq!(
            rows[0],
            Row::Source {
                line: 2,
                text: "USER root".into()
            }
        );
        assert_eq!(carets(&rows), vec![(0, 9)]);
    }

    #[test]
    fn columns_past_the_end_point_after_the_line() {
        let rows = rows("abc", span(1, 9, 1, 12)).unwrap();
        assert_eq!(carets(&rows), vec![(3, 1)]);
    }
}
