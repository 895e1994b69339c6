//! Recipe lines of a Makefile, as the shell text make hands to the shell.
//!
//! GNU make rules followed: a recipe line starts with a tab; a line ending in `\` continues
//! on the next line (make passes the backslash-newline to the shell and drops the next line's
//! leading tab); the `@`, `-` and `+` prefixes are make's, not the shell's; `$$` is a literal
//! `$`. A tab-indented line that continues a variable assignment is not a recipe, nor is
//! anything inside `define … endef`. Make variables (`$(DOCKER)`, `${IMAGE}`) are kept as
//! written, so `$(DOCKER) run` is not recognised as `docker run`.

use super::source::{column_after, line_number, Source};

/// One [`Source`] per recipe line (with its continuation lines).
pub(crate) fn recipes(text: &str) -> Vec<Source> {
    let lines: Vec<(u32, &str)> = text
        .split('\n')
        .enumerate()
        .map(|(n, l)| (line_number(n), l.strip_suffix('\r').unwrap_or(l)))
        .collect();
    let mut out = Vec::new();
    let mut in_define = 0usize;
    let mut i = 0;
    while let Some(&(line_no, line)) = lines.get(i) {
        i += 1;
        let trimmed = line.trim_start();
        if !line.starts_with('\t') {
            let first = trimmed.split_whitespace().next().unwrap_or("");
            if first == "define" || trimmed.starts_with("define ") {
                in_define += 1;
            } else if first == "endef" {
                in_define = in_define.saturating_sub(1);
            }
            // A continued non-recipe line swallows its continuation lines.
            let mut cur = line;
            while ends_with_continuation(cur) {
                let Some(&(_, next)) = lines.get(i) else {
                    break;
                };
                i += 1;
                cur = next;
            }
            continue;
        }
        if in_define > 0 {
            continue;
        }
        let mut src = Source::default();
        let mut cur_line = line_no;
        let mut cur = line;
        let mut first = true;
        loop {
            // Drop the recipe tab, and on the first line make's prefixes.
            let mut body = cur.strip_prefix('\t').unwrap_or(cur);
            let mut col: u32 = if cur.starts_with('\t') { 2 } else { 1 };
            if first {
                let prefix_len = body
                    .chars()
                    .take_while(|c| matches!(c, '@' | '-' | '+' | ' ' | '\t'))
                    .count();
                body = body
                    .char_indices()
                    .nth(prefix_len)
                    .map_or("", |(b, _)| &body[b..]);
                col = col.saturating_add(u32::try_from(prefix_len).unwrap_or(u32::MAX));
            }
            push_unescaping_dollars(&mut src, cur_line, col, body);
            first = false;
            if !ends_with_continuation(cur) {
                break;
            }
            let Some(&(next_no, next)) = lines.get(i) else {
                break;
            };
            src.push('\n', cur_line, column_after(cur));
            i += 1;
            cur_line = next_no;
            cur = next;
        }
        if !src.is_empty() {
            out.push(src);
        }
    }
    out
}

/// A line ending in an odd number of backslashes continues on the next line.
fn ends_with_continuation(line: &str) -> bool {
    line.chars().rev().take_while(|c| *c == '\\').count() % 2 == 1
}

/// Pushes `s` with make's `$$` → `$`.
fn push_unescaping_dollars(src: &mut Source, line: u32, column: u32, s: &str) {
    let mut col = column;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        src.push(c, line, col);
        col = col.saturating_add(1);
        if c == '$' && chars.peek() == Some(&'$') {
            chars.next();
            col = col.saturating_add(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        recipes(text)
            .iter()
            .map(|s| s.chars().iter().map(|(c, _)| *c).collect())
            .collect()
    }

    #[test]
    fn recipe_lines() {
        let mk = "IMG = app\nrun:\n\t@docker run --rm $$HOME $(IMG)\n\t-docker run \\\n\t  --privileged x\n\nall: run\n";
        assert_eq!(
            texts(mk),
            [
                "docker run --rm $HOME $(IMG)",
                "docker run \\\n  --privileged x"
            ]
        );
        let src = recipes(mk);
        // `docker` starts after the tab and `@`: column 3.
        assert_eq!(src[0].chars()[0].1, plimsoll_core::Pos::new(3, 3));
        // `$HOME`: written `$$HOME` at columns 19-24, so the `H` is at column 21.
        let h = src[0].chars().iter().find(|(c, _)| *c == 'H').unwrap();
        assert_eq!(h.1.column, 21);
    }

    #[test]
    fn not_recipes() {
        let mk = "VAR = a \\\n\tdocker run x\ndefine BLOCK\n\tdocker run y\nendef\n";
        assert!(texts(mk).is_empty());
    }
}
