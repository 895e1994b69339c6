//! Shell scripts inside CI YAML: GitHub Actions `run:` values and GitLab CI `script:`,
//! `before_script:` and `after_script:` values (a string or a list of strings).
//!
//! This is a line-based scan, not a YAML parser (best effort, by design: workflow files
//! use `${{ }}` expressions and GitLab files `!reference` tags that a strict reading would
//! have to special-case, and all we need is the script text with positions). What it reads:
//! block scalars (`|`, `>`, with chomping/indentation indicators; folded lines joined with
//! spaces), plain scalars on the key's line and their more-indented continuation lines,
//! single- and double-quoted one-line scalars, and block sequences of those under a
//! GitLab script key. Block scalars of other keys are skipped whole, so text inside them
//! (an `actions/github-script` body, say) is never taken for a key. Flow sequences
//! (`script: [a, b]`), anchors/aliases and multi-line quoted scalars are not read.

use super::source::{column_after, line_number, Source};

/// Which CI system's keys hold shell scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    GitHub,
    GitLab,
}

impl Flavor {
    fn is_script_key(self, key: &str) -> bool {
        match self {
            Flavor::GitHub => key == "run",
            Flavor::GitLab => matches!(key, "script" | "before_script" | "after_script"),
        }
    }
}

struct Line<'a> {
    no: u32,
    text: &'a str,
    indent: usize,
    blank: bool,
}

/// One [`Source`] per script (a `run:` value, or one entry of a `script:` list).
pub(crate) fn scripts(text: &str, flavor: Flavor) -> Vec<Source> {
    let lines: Vec<Line<'_>> = text
        .split('\n')
        .enumerate()
        .map(|(n, l)| {
            let text = l.strip_suffix('\r').unwrap_or(l);
            let indent = text.chars().take_while(|c| *c == ' ').count();
            let rest = text.get(indent..).unwrap_or("");
            Line {
                no: line_number(n),
                text,
                indent,
                blank: rest.trim().is_empty() || rest.starts_with('#'),
            }
        })
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        i += 1;
        if line.blank {
            continue;
        }
        let Some((key, key_col, value_col)) = key_of(line.text, line.indent) else {
            continue;
        };
        let value = value_at(line.text, value_col);
        if flavor.is_script_key(key) {
            if value.is_empty() && flavor == Flavor::GitLab {
                i = sequence(&lines, i, key_col, &mut out);
            } else {
                let (src, next) = scalar(&lines, i - 1, value_col, key_col);
                i = next;
                out.extend(src);
            }
        } else if is_block_indicator(value) {
            i = skip_more_indented(&lines, i, key_col);
        }
    }
    out
}

/// `key:` on a line (after any `- ` sequence markers): the key, the character column of the
/// key (its indentation level) and the character column where its value starts.
fn key_of(text: &str, indent: usize) -> Option<(&str, usize, usize)> {
    let mut col = indent;
    let mut rest = text.get(indent..)?;
    while let Some(after) = rest.strip_prefix("- ").or_else(|| rest.strip_prefix("-\t")) {
        let spaces = after.chars().take_while(|c| *c == ' ').count();
        col += 2 + spaces;
        rest = after.get(spaces..)?;
    }
    let key_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
        .unwrap_or(rest.len());
    let key = rest.get(..key_len)?;
    let after = rest.get(key_len..)?;
    let after_colon = after.strip_prefix(':')?;
    if key.is_empty() || !(after_colon.is_empty() || after_colon.starts_with([' ', '\t'])) {
        return None;
    }
    let spaces = after_colon
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .count();
    // Keys and the separator are ASCII: byte counts are character counts.
    Some((key, col, col + key_len + 1 + spaces))
}

/// The value text from character column `col` (0-based), comment excluded.
fn value_at(text: &str, col: usize) -> &str {
    let v: &str = text.char_indices().nth(col).map_or("", |(b, _)| &text[b..]);
    if v.starts_with('#') {
        return "";
    }
    v.trim_end()
}

fn is_block_indicator(value: &str) -> bool {
    let mut chars = value.chars();
    matches!(chars.next(), Some('|' | '>'))
        && chars
            .take_while(|c| *c != '#')
            .all(|c| matches!(c, '+' | '-' | ' ') || c.is_ascii_digit())
}

/// Skips lines more indented than `parent` (and blank lines); returns the next index.
fn skip_more_indented(lines: &[Line<'_>], mut i: usize, parent: usize) -> usize {
    while let Some(l) = lines.get(i) {
        if !l.blank && l.indent <= parent {
            break;
        }
        i += 1;
    }
    i
}

/// The entries of a block sequence under a script key at `key_col`.
fn sequence(lines: &[Line<'_>], mut i: usize, key_col: usize, out: &mut Vec<Source>) -> usize {
    while let Some(l) = lines.get(i) {
        if l.blank {
            i += 1;
            continue;
        }
        let rest = l.text.get(l.indent..).unwrap_or("");
        if l.indent < key_col || !(rest == "-" || rest.starts_with("- ")) {
            break;
        }
        let spaces = rest
            .get(1..)
            .map_or(0, |r| r.chars().take_while(|c| *c == ' ').count());
        let (src, next) = scalar(lines, i, l.indent + 1 + spaces, l.indent);
        out.extend(src);
        i = next;
    }
    i
}

/// The scalar starting at character column `value_col` of line `at`, whose continuation
/// lines are more indented than `parent`. Returns it (if it has text) and the next index.
fn scalar(
    lines: &[Line<'_>],
    at: usize,
    value_col: usize,
    parent: usize,
) -> (Option<Source>, usize) {
    let Some(line) = lines.get(at) else {
        return (None, at + 1);
    };
    let value = value_at(line.text, value_col);
    let col = u32::try_from(value_col + 1).unwrap_or(u32::MAX);
    let mut src = Source::default();
    if is_block_indicator(value) {
        let folded = value.starts_with('>');
        let next = block(lines, at + 1, parent, folded, &mut src);
        return ((!src.is_empty()).then_some(src), next);
    }
    match value.chars().next() {
        Some('"') => double_quoted(&mut src, line.no, col, value),
        Some('\'') => single_quoted(&mut src, line.no, col, value),
        Some('[') | Some('{') => {}
        _ => {
            src.push_str(line.no, col, plain(value));
            // Continuation lines of a multi-line plain scalar, folded with spaces.
            let mut i = at + 1;
            while let Some(l) = lines.get(i) {
                if l.blank || l.indent <= parent {
                    break;
                }
                let cont = plain(l.text.get(l.indent..).unwrap_or(""));
                src.push(' ', line_before(&src, l.no), column_after_last(&src));
                src.push_str(l.no, u32::try_from(l.indent + 1).unwrap_or(u32::MAX), cont);
                i += 1;
            }
            return ((!src.is_empty()).then_some(src), i);
        }
    }
    ((!src.is_empty()).then_some(src), at + 1)
}

/// A plain scalar's text: up to a ` #` comment, trailing blanks trimmed.
fn plain(value: &str) -> &str {
    let end = value.find(" #").unwrap_or(value.len());
    value.get(..end).unwrap_or(value).trim_end()
}

fn line_before(src: &Source, fallback: u32) -> u32 {
    src.chars().last().map_or(fallback, |(_, p)| p.line)
}

fn column_after_last(src: &Source) -> u32 {
    src.chars()
        .last()
        .map_or(1, |(_, p)| p.column.saturating_add(1))
}

/// A block scalar's lines from index `i`; returns the next index.
fn block(lines: &[Line<'_>], mut i: usize, parent: usize, folded: bool, src: &mut Source) -> usize {
    // The content indentation is that of the first non-empty line.
    let Some(content) = lines
        .get(i..)
        .unwrap_or(&[])
        .iter()
        .find(|l| !l.text.trim().is_empty())
        .map(|l| l.indent)
        .filter(|ind| *ind > parent)
    else {
        return i;
    };
    let mut pending_blank = 0usize;
    let mut prev_line: Option<(u32, &str)> = None;
    while let Some(l) = lines.get(i) {
        let empty = l.text.trim().is_empty();
        if !empty && l.indent < content {
            break;
        }
        i += 1;
        if empty {
            pending_blank += 1;
            continue;
        }
        let body = l.text.get(content..).unwrap_or("");
        if let Some((pno, ptext)) = prev_line {
            let more_indented = body.starts_with(' ');
            // Literal: every line break kept. Folded: a single break between two normal
            // lines becomes a space, blank lines are the breaks.
            let (sep, count) = match (folded, pending_blank, more_indented) {
                (true, 0, false) => (' ', 1),
                (true, n, false) => ('\n', n),
                _ => ('\n', pending_blank + 1),
            };
            let mut at_col = column_after(ptext);
            for _ in 0..count {
                src.push(sep, pno, at_col);
                at_col = at_col.saturating_add(1);
            }
        }
        pending_blank = 0;
        src.push_str(l.no, u32::try_from(content + 1).unwrap_or(u32::MAX), body);
        prev_line = Some((l.no, l.text));
    }
    i
}

/// A one-line double-quoted scalar (`\"`, `\\`, `\n`, `\t` decoded).
fn double_quoted(src: &mut Source, line: u32, col: u32, value: &str) {
    let mut c_col = col;
    let mut chars = value.chars().skip(1);
    while let Some(c) = chars.next() {
        c_col = c_col.saturating_add(1);
        match c {
            '"' => return,
            '\\' => {
                let Some(e) = chars.next() else { return };
                src.push(
                    match e {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    },
                    line,
                    c_col,
                );
                c_col = c_col.saturating_add(1);
            }
            _ => src.push(c, line, c_col),
        }
    }
}

/// A one-line single-quoted scalar (`''` is one quote).
fn single_quoted(src: &mut Source, line: u32, col: u32, value: &str) {
    let mut c_col = col;
    let mut chars = value.chars().skip(1).peekable();
    while let Some(c) = chars.next() {
        c_col = c_col.saturating_add(1);
        if c == '\'' {
            if chars.peek() == Some(&'\'') {
                chars.next();
                src.push('\'', line, c_col);
                c_col = c_col.saturating_add(1);
                continue;
            }
            return;
        }
        src.push(c, line, c_col);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_core::Pos;

    fn texts(text: &str, flavor: Flavor) -> Vec<String> {
        scripts(text, flavor)
            .iter()
            .map(|s| s.chars().iter().map(|(c, _)| *c).collect())
            .collect()
    }

    #[test]
    fn github_run_blocks() {
        let wf = "\
jobs:
  test:
    steps:
      - uses: actions/github-script@v7
        with:
          script: |
            run: not a key
      - run: docker run --rm alpine  # inline
      - name: block
        run: |
          docker run \\
            --privileged alpine

          echo done
        shell: bash
      - run: >-
          docker run
          -d nginx
      - run: \"docker run 'q' \\\"x\\\"\"
";
        assert_eq!(
            texts(wf, Flavor::GitHub),
            [
                "docker run --rm alpine",
                "docker run \\\n  --privileged alpine\n\necho done",
                "docker run -d nginx",
                "docker run 'q' \"x\"",
            ]
        );
        let srcs = scripts(wf, Flavor::GitHub);
        assert_eq!(srcs[0].chars()[0].1, Pos::new(8, 14));
        assert_eq!(srcs[1].chars()[0].1, Pos::new(11, 11));
        assert_eq!(srcs[2].chars()[0].1, Pos::new(17, 11));
        // The second line of the folded scalar keeps its own position.
        let d = srcs[2].chars().iter().find(|(c, _)| *c == '-').unwrap();
        assert_eq!(d.1, Pos::new(18, 11));
    }

    #[test]
    fn gitlab_script_lists() {
        let ci = "\
build:
  image: docker
  before_script: docker login
  script:
    - docker run --privileged x
    - |
      docker run \\
        -v /:/host y
    - docker run
        --pid host z
    - 'docker run ''q'''
  after_script:
  - echo bye
deploy:
  script: [\"docker run a\"]
";
        assert_eq!(
            texts(ci, Flavor::GitLab),
            [
                "docker login",
                "docker run --privileged x",
                "docker run \\\n  -v /:/host y",
                "docker run --pid host z",
                "docker run 'q'",
                "echo bye",
            ]
        );
        // GitHub keys are not GitLab's and vice versa.
        assert!(texts(ci, Flavor::GitHub).is_empty());
    }

    #[test]
    fn keys() {
        assert_eq!(key_of("  - run: x", 2), Some(("run", 4, 9)));
        assert_eq!(key_of("run:", 0), Some(("run", 0, 4)));
        assert_eq!(key_of("http://x", 0), None);
        assert_eq!(key_of("- - a: b", 0), Some(("a", 4, 7)));
        assert!(is_block_indicator("|"));
        assert!(is_block_indicator(">-"));
        assert!(is_block_indicator("|2+ # c"));
        assert!(!is_block_indicator("|| true"));
    }
}
