//! Suppression comments (pragmas), read in one place for every kind of input:
//! `# plimsoll ignore=DF001,RS019` (the next instruction, key or command), `# plimsoll global
//! ignore=…` (the whole file) and hadolint's `# hadolint ignore=DL3007`, honoured through the
//! rules' cross-reference table.
//!
//! [`parse_pragma`] says what one comment means. Where comments are and what a pragma covers
//! depends on the file: the Dockerfile parser knows its comments and instructions (the
//! Dockerfile crate maps them with [`parse_pragma`]); [`comment_pragmas`] reads files whose
//! comments start with `#` — compose YAML, `.env` files, shell scripts, Makefiles, CI YAML:
//! `# plimsoll ignore=RS001,RS019` on its own line covers what follows it.
//!
//! What "what follows" is depends on the file:
//! - YAML: the next key or list item and everything indented under it, so a pragma above a
//!   service (`web:`) covers the whole service, and one above `privileged: true` covers that
//!   line only;
//! - shell-like text: the next command, with its `\`-continued lines.
//!
//! A pragma at the end of a line (`privileged: true  # plimsoll ignore=RS001`) covers its own
//! line (and, in YAML, what is nested under it).
//!
//! Comments are found by text: in YAML a `#` at the start of a line (after indentation) is
//! always a comment, except inside a block scalar, where it is text; block scalars are
//! recognised by their `|`/`>` indicator and skipped.

use crate::{Pos, Span};

/// Which tool's pragma syntax a comment used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PragmaTool {
    Plimsoll,
    Hadolint,
}

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pragma {
    pub tool: PragmaTool,
    /// Rule ids as written (plimsoll ids/names, or hadolint codes).
    pub ids: Vec<String>,
    /// Where the comment is.
    pub span: Span,
    /// The lines it covers (the next instruction's first..=last line), or `None` for a
    /// `global ignore=` that covers the whole file.
    pub covers: Option<(u32, u32)>,
}

/// Reads a comment's text (without the leading `#`) as a pragma: `plimsoll ignore=A,B`,
/// `plimsoll global ignore=A`, `hadolint ignore=DL3007`. Anything after the id list (a reason)
/// is ignored. Returns the tool, whether it is global, and the ids.
pub fn parse_pragma(comment: &str) -> Option<(PragmaTool, bool, Vec<String>)> {
    let text = comment.trim_start_matches('#').trim();
    let (tool, rest) = if let Some(rest) = strip_prefix_ci(text, "plimsoll") {
        (PragmaTool::Plimsoll, rest)
    } else if let Some(rest) = strip_prefix_ci(text, "hadolint") {
        (PragmaTool::Hadolint, rest)
    } else {
        return None;
    };
    let rest = rest.trim_start().trim_start_matches(':').trim_start();
    let (global, rest) = match strip_prefix_ci(rest, "global") {
        Some(r) => (true, r.trim_start()),
        None => (false, rest),
    };
    let rest = strip_prefix_ci(rest, "ignore")?.trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let list = rest.split_whitespace().next().unwrap_or("");
    let ids: Vec<String> = list
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if ids.is_empty() {
        None
    } else {
        Some((tool, global, ids))
    }
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// The pragmas among the comments of a file whose parser knows its units (a Dockerfile's
/// instructions): `comments` are each comment's span and text, `units` the first and last line
/// of each unit, in source order.
///
/// A pragma covers the lines of the first unit that starts after the comment. A pragma written
/// inside a multi-line unit (a comment line within a Dockerfile's `\` continuation, which
/// BuildKit drops) covers that enclosing unit, since that is plainly what it is about. A pragma
/// with no unit after it covers nothing, so it is reported as unused (PL001).
pub fn unit_pragmas<'c>(
    comments: impl IntoIterator<Item = (Span, &'c str)>,
    units: &[(u32, u32)],
) -> Vec<Pragma> {
    let mut out = Vec::new();
    for (span, text) in comments {
        let Some((tool, global, ids)) = parse_pragma(text) else {
            continue;
        };
        let line = span.start.line;
        let covers = if global {
            None
        } else {
            let next = units.partition_point(|(first, _)| *first <= line);
            let enclosing = next
                .checked_sub(1)
                .and_then(|i| units.get(i))
                .filter(|(_, last)| *last >= line);
            Some(
                enclosing
                    .or_else(|| units.get(next))
                    .copied()
                    .unwrap_or((line + 1, line)),
            )
        };
        out.push(Pragma {
            tool,
            ids,
            span,
            covers,
        });
    }
    out
}

/// How a file's lines group into the units a pragma covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Yaml,
    Shell,
}

/// Every pragma in the comments of `text` with the lines it covers.
pub fn comment_pragmas(text: &str, style: Style) -> Vec<Pragma> {
    let lines: Vec<&str> = text.lines().collect();
    let block_scalar = block_scalar_lines(&lines, style);
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if block_scalar.get(i).copied().unwrap_or(false) {
            continue;
        }
        let Some(hash) = comment_start(line, style) else {
            continue;
        };
        let comment = &line[hash..];
        let Some((tool, global, ids)) = parse_pragma(comment) else {
            continue;
        };
        let number = line_number(i);
        let own_line = line[..hash].trim().is_empty();
        let covers = if global {
            None
        } else if own_line {
            let next = (i + 1..lines.len()).find(|&j| {
                let t = lines[j].trim();
                !t.is_empty() && !t.starts_with('#')
            });
            Some(match next {
                Some(j) => (line_number(j), line_number(extent(&lines, j, style))),
                None => (number + 1, number),
            })
        } else {
            Some((number, line_number(extent(&lines, i, style))))
        };
        let start_col = line[..hash].chars().count() as u32 + 1;
        let end_col = line.chars().count() as u32 + 1;
        out.push(Pragma {
            tool,
            ids,
            span: Span::new(Pos::new(number, start_col), Pos::new(number, end_col)),
            covers,
        });
    }
    out
}

fn line_number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// The byte index of the `#` starting a comment on this line, if any: at the start of the
/// line, or after whitespace outside quotes.
fn comment_start(line: &str, _style: Style) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut prev_space = true;
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '#' && prev_space => return Some(i),
            None if c == '\'' || c == '"' => quote = Some(c),
            None => {}
        }
        prev_space = c.is_whitespace();
    }
    None
}

/// The last line (index) of the unit starting at line `start`.
fn extent(lines: &[&str], start: usize, style: Style) -> usize {
    match style {
        Style::Shell => {
            let mut end = start;
            while end + 1 < lines.len() && lines[end].trim_end().ends_with('\\') {
                end += 1;
            }
            end
        }
        Style::Yaml => {
            let line = lines[start];
            let indent = indentation(line);
            // A list item's children are indented past its `- `.
            let item = line.trim_start().starts_with("- ");
            let mut end = start;
            for (j, l) in lines.iter().enumerate().skip(start + 1) {
                let t = l.trim();
                if t.is_empty() || t.starts_with('#') {
                    continue;
                }
                let ind = indentation(l);
                let nested = ind > indent || (item && ind == indent && !t.starts_with('-'));
                if !nested {
                    break;
                }
                end = j;
            }
            end
        }
    }
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// Which lines are inside YAML block scalars (`key: |`, `- >-`), where `#` is text.
fn block_scalar_lines(lines: &[&str], style: Style) -> Vec<bool> {
    let mut inside = vec![false; lines.len()];
    if style != Style::Yaml {
        return inside;
    }
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim_end();
        let opens = t
            .rsplit_once(|c: char| c.is_whitespace())
            .map(|(_, last)| last)
            .unwrap_or(t);
        let is_block = (opens.starts_with('|') || opens.starts_with('>'))
            && opens[1..]
                .chars()
                .all(|c| matches!(c, '-' | '+') || c.is_ascii_digit())
            && (t.contains(':') || t.trim_start().starts_with('-'));
        if is_block {
            let indent = indentation(line);
            let mut j = i + 1;
            while j < lines.len() {
                let l = lines[j];
                if !l.trim().is_empty() && indentation(l) <= indent {
                    break;
                }
                inside[j] = true;
                j += 1;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pragmas() {
        assert_eq!(
            parse_pragma("# plimsoll ignore=DF001,DF004"),
            Some((
                PragmaTool::Plimsoll,
                false,
                vec!["DF001".into(), "DF004".into()]
            ))
        );
        assert_eq!(
            parse_pragma("#hadolint ignore=DL3007 because we pin elsewhere"),
            Some((PragmaTool::Hadolint, false, vec!["DL3007".into()]))
        );
        assert_eq!(
            parse_pragma("# plimsoll global ignore=DF010"),
            Some((PragmaTool::Plimsoll, true, vec!["DF010".into()]))
        );
        assert_eq!(parse_pragma("# just a comment"), None);
        assert_eq!(parse_pragma("# plimsoll ignore="), None);
    }

    #[test]
    fn unit_pragmas_cover_the_next_or_enclosing_unit() {
        let at = |line| Span::new(Pos::new(line, 1), Pos::new(line, 20));
        let units = [(2, 2), (4, 6)];
        let comments = [
            (at(1), "# plimsoll ignore=DF001"),
            (at(5), "# plimsoll ignore=DF002"),
            (at(7), "# hadolint ignore=DL3007"),
            (at(8), "# plimsoll global ignore=DF003"),
            (at(9), "# just a comment"),
        ];
        let p = unit_pragmas(comments, &units);
        let covers: Vec<Option<(u32, u32)>> = p.iter().map(|p| p.covers).collect();
        assert_eq!(covers, vec![Some((2, 2)), Some((4, 6)), Some((8, 7)), None]);
        assert_eq!(p[2].tool, PragmaTool::Hadolint);
    }

    #[test]
    fn yaml_pragma_covers_the_next_key_and_its_block() {
        let text = "services:\n  # plimsoll ignore=RS019\n  web:\n    image: x\n    privileged: true\n  db:\n    image: y\n";
        let p = comment_pragmas(text, Style::Yaml);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].ids, vec!["RS019"]);
        assert_eq!(p[0].covers, Some((3, 5)));
    }

    #[test]
    fn trailing_pragma_covers_its_line_and_hash_in_block_scalars_is_text() {
        let text = "services:\n  web:\n    privileged: true # plimsoll ignore=RS001\n    command: |\n      # plimsoll ignore=RS002\n      echo\n";
        let p = comment_pragmas(text, Style::Yaml);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].covers, Some((3, 3)));
    }

    #[test]
    fn shell_pragma_covers_a_continued_command() {
        let text = "#!/bin/sh\n# plimsoll ignore=RS001\ndocker run \\\n  --privileged \\\n  img\necho done\n";
        let p = comment_pragmas(text, Style::Shell);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].covers, Some((3, 5)));
    }

    #[test]
    fn quoted_hash_is_not_a_comment() {
        assert_eq!(comment_start("a: \"x # y\"", Style::Yaml), None);
        assert_eq!(comment_start("a: x#y", Style::Yaml), None);
        assert_eq!(comment_start("a: x # y", Style::Yaml), Some(5));
    }
}
