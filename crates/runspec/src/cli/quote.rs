//! An argv as one shell command line: what findings quote and point into when a command is
//! given to `plimsoll run -- docker run …` rather than found in a file.

use super::Word;
use plimsoll_core::{Pos, Span};

/// The argv as a POSIX-shell command line (arguments quoted only when needed, so that pasting
/// it into a shell gives the same argv), and one [`Word`] per argument whose span covers the
/// argument's token (quotes included) in that text.
pub(crate) fn command_line(argv: &[String]) -> (String, Vec<Word>) {
    let mut text = String::new();
    let mut words = Vec::with_capacity(argv.len());
    let mut pos = Pos::new(1, 1);
    for (i, arg) in argv.iter().enumerate() {
        if i > 0 {
            text.push(' ');
            pos = advance(pos, " ");
        }
        let token = quote(arg);
        let start = pos;
        pos = advance(pos, &token);
        text.push_str(&token);
        words.push(Word::new(arg.clone(), Span::new(start, pos)));
    }
    (text, words)
}

/// Shell-quotes one argument: as is when it holds only characters no shell treats
/// specially, otherwise in single quotes (a `'` inside becomes `'\''`).
pub fn quote(arg: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c);
    if !arg.is_empty() && arg.chars().all(safe) {
        return arg.to_string();
    }
    let mut out = String::with_capacity(arg.len() + 2);
    out.push('\'');
    for c in arg.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// The position after `s`, starting at `pos` (columns count characters).
fn advance(mut pos: Pos, s: &str) -> Pos {
    for c in s.chars() {
        if c == '\n' {
            pos = Pos::new(pos.line.saturating_add(1), 1);
        } else {
            pos.column = pos.column.saturating_add(1);
        }
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote("nginx:1.27"), "nginx:1.27");
        assert_eq!(quote("--cap-add=SYS_ADMIN"), "--cap-add=SYS_ADMIN");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote("$HOME"), "'$HOME'");
    }

    #[test]
    fn spans() {
        let argv: Vec<String> = ["docker", "run", "a b", "x"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (text, words) = command_line(&argv);
        assert_eq!(text, "docker run 'a b' x");
        assert_eq!(words[2].span, Span::new(Pos::new(1, 12), Pos::new(1, 17)));
        assert_eq!(words[3].span, Span::new(Pos::new(1, 18), Pos::new(1, 19)));
        let argv: Vec<String> = ["a\nb", "c"].iter().map(|s| s.to_string()).collect();
        let (_, words) = command_line(&argv);
        assert_eq!(words[1].span.start, Pos::new(2, 4));
    }
}
