//! A POSIX-shell lexer that splits shell text into simple commands of words, enough to find
//! `docker run` lines: quote removal (`'…'`, `"…"`, `\x`, `$'…'`), `\`-newline continuations,
//! comments, the command separators `;` `&&` `||` `|` `&` `;;` `(` `)` and newlines,
//! redirections (dropped with their target), and here-documents (their bodies skipped).
//!
//! Nothing is expanded: `$VAR`, `${VAR:-x}`, `$(cmd)`, `` `cmd` `` and `$((1+2))` stay in the
//! word as literal text. The commands inside a command substitution are lexed as commands of
//! their own (the shell runs them), up to a nesting depth of 8. Reserved words that can start a command (`if`, `then`, `do`, `!`,
//! `{`, …) are dropped from its front, so `if …; then docker run …; fi` yields the run.
//!
//! The lexer is one pass over the characters with explicit counters (no recursion), so it is
//! linear in the input and cannot overflow the stack; an unterminated quote ends at the end
//! of the text.

use super::source::span;
use crate::cli::{is_bare_expansion, Word};
use plimsoll_core::Pos;

/// Words that may precede a command without being it.
const LEADING_RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time",
];

/// One simple command: its words (reserved words in front removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Command {
    pub words: Vec<Word>,
}

/// How deep command substitutions inside command substitutions are followed.
const MAX_SUBSTITUTION_DEPTH: usize = 8;

/// Every simple command of `src` (see [`commands_where`]).
#[cfg(test)]
pub(crate) fn commands(src: &[(char, Pos)]) -> Vec<Command> {
    commands_where(src, &|_| true)
}

/// The simple commands of `src` that `keep` accepts, in source order, including those inside
/// command substitutions (`ID=$(docker run -d …)`, `` `docker run …` ``), which the shell runs
/// too. The others are dropped as soon as they are read: a scanner looking for a few commands
/// in a large script does not hold every word of every other command.
pub(crate) fn commands_where(src: &[(char, Pos)], keep: &dyn Fn(&[Word]) -> bool) -> Vec<Command> {
    let mut out = Vec::new();
    // Ranges of `src` still to lex, with their substitution depth (a work list, not
    // recursion: nesting cannot exhaust the stack).
    let mut work = vec![(0, src.len(), 0usize)];
    while let Some((start, end, depth)) = work.pop() {
        let Some(slice) = src.get(start..end) else {
            continue;
        };
        let mut lx = Lexer {
            src: slice,
            keep,
            i: 0,
            out: Vec::new(),
            current: Vec::new(),
            heredocs: Vec::new(),
            substitutions: Vec::new(),
        };
        lx.run();
        out.append(&mut lx.out);
        if depth < MAX_SUBSTITUTION_DEPTH {
            for (a, b) in lx.substitutions {
                work.push((start + a, start + b, depth + 1));
            }
        }
    }
    out.sort_by_key(|c| c.words.first().map(|w| w.span.start));
    out
}

struct Lexer<'a> {
    src: &'a [(char, Pos)],
    /// Which finished commands to keep.
    keep: &'a dyn Fn(&[Word]) -> bool,
    i: usize,
    out: Vec<Command>,
    current: Vec<Word>,
    /// Here-document delimiters waiting for the next line: (delimiter, strip leading tabs).
    heredocs: Vec<(String, bool)>,
    /// The insides of the command substitutions met (index ranges into `src`).
    substitutions: Vec<(usize, usize)>,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.src.get(self.i).map(|(c, _)| *c)
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.src.get(self.i + offset).map(|(c, _)| *c)
    }

    fn run(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\r' => self.i += 1,
                '\\' if self.peek_at(1) == Some('\n') => self.i += 2,
                '\n' => {
                    self.i += 1;
                    self.end_command();
                    self.skip_heredoc_bodies();
                }
                '#' => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.i += 1;
                    }
                }
                ';' | '|' | '(' | ')' => {
                    self.i += 1;
                    while self.peek().is_some_and(|c| matches!(c, ';' | '|' | '&')) {
                        self.i += 1;
                    }
                    self.end_command();
                }
                '&' if self.peek_at(1) == Some('>') => self.redirection(),
                '&' => {
                    self.i += 1;
                    if self.peek() == Some('&') {
                        self.i += 1;
                    }
                    self.end_command();
                }
                '<' | '>' => self.redirection(),
                _ if c.is_ascii_digit() && self.digits_then_redirect() => self.redirection(),
                _ => {
                    if let Some(word) = self.word() {
                        self.current.push(word);
                    }
                }
            }
        }
        self.end_command();
    }

    fn end_command(&mut self) {
        let mut words = std::mem::take(&mut self.current);
        let skip = words
            .iter()
            .take_while(|w| LEADING_RESERVED.contains(&w.text.as_str()))
            .count();
        words.drain(..skip);
        if !words.is_empty() && (self.keep)(&words) {
            self.out.push(Command { words });
        }
    }

    /// `2>…`, `10<…`: a file-descriptor number directly before a redirection.
    fn digits_then_redirect(&self) -> bool {
        let mut j = self.i;
        while self.src.get(j).is_some_and(|(c, _)| c.is_ascii_digit()) {
            j += 1;
        }
        self.src.get(j).is_some_and(|(c, _)| matches!(c, '<' | '>'))
    }

    /// A redirection operator and its target word, both dropped; `<<` registers a
    /// here-document.
    fn redirection(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        let mut op = String::new();
        while let Some(c) = self.peek() {
            if matches!(c, '<' | '>' | '&' | '|' | '-') && op.len() < 3 {
                // `-` only in `<<-`, `&` only in `>&`, `<&`, `&>`.
                if c == '-' && op != "<<" {
                    break;
                }
                op.push(c);
                self.i += 1;
            } else {
                break;
            }
        }
        while self.peek().is_some_and(|c| c == ' ' || c == '\t') {
            self.i += 1;
        }
        let target = self.word();
        if op.starts_with("<<") && op != "<<<" {
            if let Some(t) = target {
                self.heredocs.push((t.text, op == "<<-"));
            }
        }
    }

    /// After a newline: skips the bodies of pending here-documents.
    fn skip_heredoc_bodies(&mut self) {
        for (delimiter, strip_tabs) in std::mem::take(&mut self.heredocs) {
            while self.i < self.src.len() {
                let start = self.i;
                while self.peek().is_some_and(|c| c != '\n') {
                    self.i += 1;
                }
                let line: String = self
                    .src
                    .get(start..self.i)
                    .unwrap_or(&[])
                    .iter()
                    .map(|(c, _)| *c)
                    .collect();
                if self.peek() == Some('\n') {
                    self.i += 1;
                }
                let line = if strip_tabs {
                    line.trim_start_matches('\t')
                } else {
                    line.as_str()
                };
                if line.trim_end_matches('\r') == delimiter {
                    break;
                }
            }
        }
    }

    /// One word, quotes removed, expansions kept as written. `None` at a separator.
    fn word(&mut self) -> Option<Word> {
        let start = self.src.get(self.i)?.1;
        let mut last = start;
        let mut text = String::new();
        let mut any = false;
        let mut quoted = false;
        while let Some(&(c, pos)) = self.src.get(self.i) {
            if matches!(c, '\\' | '\'' | '"') {
                quoted = true;
            }
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>' => break,
                '\\' => {
                    self.i += 1;
                    match self.src.get(self.i) {
                        Some(('\n', _)) => self.i += 1,
                        Some(&(next, p)) => {
                            text.push(next);
                            last = p;
                            self.i += 1;
                        }
                        None => {
                            text.push('\\');
                            last = pos;
                        }
                    }
                }
                '\'' => {
                    self.i += 1;
                    last = self.until_quote(&mut text, '\'').unwrap_or(pos);
                }
                '"' => {
                    self.i += 1;
                    last = self.double_quoted(&mut text).unwrap_or(pos);
                }
                '$' if self.peek_at(1) == Some('\'') => {
                    self.i += 2;
                    last = self.ansi_c_quoted(&mut text).unwrap_or(pos);
                }
                '$' if matches!(self.peek_at(1), Some('(') | Some('{')) => {
                    last = self.copy_expansion(&mut text);
                }
                '`' => last = self.copy_backquoted(&mut text),
                _ => {
                    text.push(c);
                    last = pos;
                    self.i += 1;
                }
            }
            any = true;
        }
        // Unquoted expansions split into words; `"$@"` and `"${a[@]}"` do even in quotes.
        let splits = is_bare_expansion(&text)
            && (!quoted || text == "$@" || text == "${@}" || text.ends_with("[@]}"));
        any.then(|| Word {
            text,
            span: span(start, last),
            splits,
        })
    }

    /// Copies up to the closing `quote` (consumed); returns its position.
    fn until_quote(&mut self, text: &mut String, quote: char) -> Option<Pos> {
        while let Some(&(c, pos)) = self.src.get(self.i) {
            self.i += 1;
            if c == quote {
                return Some(pos);
            }
            text.push(c);
        }
        None
    }

    /// The inside of `"…"` (the opening quote consumed); returns the closing quote's position.
    fn double_quoted(&mut self, text: &mut String) -> Option<Pos> {
        while let Some(&(c, pos)) = self.src.get(self.i) {
            match c {
                '"' => {
                    self.i += 1;
                    return Some(pos);
                }
                '\\' => {
                    self.i += 1;
                    match self.peek() {
                        Some('\n') => self.i += 1,
                        Some(n @ ('$' | '`' | '"' | '\\')) => {
                            text.push(n);
                            self.i += 1;
                        }
                        _ => text.push('\\'),
                    }
                }
                '$' if matches!(self.peek_at(1), Some('(') | Some('{')) => {
                    self.copy_expansion(text);
                }
                '`' => {
                    self.copy_backquoted(text);
                }
                _ => {
                    text.push(c);
                    self.i += 1;
                }
            }
        }
        None
    }

    /// The inside of `$'…'`, with the common backslash escapes decoded.
    fn ansi_c_quoted(&mut self, text: &mut String) -> Option<Pos> {
        while let Some(&(c, pos)) = self.src.get(self.i) {
            self.i += 1;
            match c {
                '\'' => return Some(pos),
                '\\' => {
                    let escaped = self.peek();
                    self.i += 1;
                    match escaped {
                        Some('n') => text.push('\n'),
                        Some('t') => text.push('\t'),
                        Some(e) => text.push(e),
                        None => text.push('\\'),
                    }
                }
                _ => text.push(c),
            }
        }
        None
    }

    /// Copies `$(…)`, `$((…))` or `${…}` as written, balancing the brackets and skipping
    /// over quotes inside; returns the position of its last character.
    fn copy_expansion(&mut self, text: &mut String) -> Pos {
        let Some(&(_, dollar)) = self.src.get(self.i) else {
            return Pos::new(1, 1);
        };
        let mut last = dollar;
        let (open, close) = match self.peek_at(1) {
            Some('{') => ('{', '}'),
            _ => ('(', ')'),
        };
        // `$(…)` runs commands; `${…}` and `$((…))` do not.
        let inner_start = (open == '(' && self.peek_at(2) != Some('(')).then_some(self.i + 2);
        let mut depth = 0usize;
        while let Some(&(c, pos)) = self.src.get(self.i) {
            self.i += 1;
            text.push(c);
            last = pos;
            match c {
                _ if c == open => depth += 1,
                _ if c == close => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        if let Some(a) = inner_start {
                            self.substitutions.push((a, self.i - 1));
                        }
                        break;
                    }
                }
                '\\' => {
                    if let Some(&(n, p)) = self.src.get(self.i) {
                        text.push(n);
                        last = p;
                        self.i += 1;
                    }
                }
                '\'' | '"' => {
                    while let Some(&(q, p)) = self.src.get(self.i) {
                        self.i += 1;
                        text.push(q);
                        last = p;
                        if q == c {
                            break;
                        }
                        if q == '\\' && c == '"' {
                            if let Some(&(n, p2)) = self.src.get(self.i) {
                                text.push(n);
                                last = p2;
                                self.i += 1;
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        last
    }

    /// Copies `` `…` `` as written; returns the position of the closing backquote.
    fn copy_backquoted(&mut self, text: &mut String) -> Pos {
        let mut last = self.src.get(self.i).map_or(Pos::new(1, 1), |(_, p)| *p);
        if let Some(&(c, _)) = self.src.get(self.i) {
            text.push(c);
            self.i += 1;
        }
        let inner_start = self.i;
        while let Some(&(c, pos)) = self.src.get(self.i) {
            self.i += 1;
            text.push(c);
            last = pos;
            match c {
                '`' => {
                    self.substitutions.push((inner_start, self.i - 1));
                    break;
                }
                '\\' => {
                    if let Some(&(n, p)) = self.src.get(self.i) {
                        text.push(n);
                        last = p;
                        self.i += 1;
                    }
                }
                _ => {}
            }
        }
        last
    }
}

#[cfg(test)]
mod tests {
    use super::super::source::Source;
    use super::*;

    fn lex(text: &str) -> Vec<Vec<String>> {
        let src = Source::whole(text);
        commands(src.chars())
            .into_iter()
            .map(|c| c.words.into_iter().map(|w| w.text).collect())
            .collect()
    }

    fn cmds(list: &[&[&str]]) -> Vec<Vec<String>> {
        list.iter()
            .map(|c| c.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn separators() {
        assert_eq!(
            lex("a b; c && d || e | f & g\nh"),
            cmds(&[&["a", "b"], &["c"], &["d"], &["e"], &["f"], &["g"], &["h"]])
        );
        assert_eq!(
            lex("(docker run x); { docker run y; }"),
            cmds(&[&["docker", "run", "x"], &["docker", "run", "y"]])
        );
        assert_eq!(
            lex("if true; then docker run x; fi"),
            cmds(&[&["true"], &["docker", "run", "x"], &["fi"]])
        );
        assert_eq!(
            lex("case $a in x) docker run i ;; esac"),
            cmds(&[
                &["case", "$a", "in", "x"],
                &["docker", "run", "i"],
                &["esac"]
            ])
        );
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(
            lex(r#"docker run -e 'A=b c' -e "D=$E f" \"x\" a\ b"#),
            cmds(&[&["docker", "run", "-e", "A=b c", "-e", "D=$E f", "\"x\"", "a b"]])
        );
        assert_eq!(
            lex(r#"echo "a\nb" "\$x""#),
            cmds(&[&["echo", "a\\nb", "$x"]])
        );
        assert_eq!(lex("echo $'a\\'b'"), cmds(&[&["echo", "a'b"]]));
        assert_eq!(
            lex("echo 'unterminated"),
            cmds(&[&["echo", "unterminated"]])
        );
    }

    #[test]
    fn continuations_and_comments() {
        assert_eq!(
            lex("docker run \\\n  --privileged \\\n  nginx # comment\nls"),
            cmds(&[&["docker", "run", "--privileged", "nginx"], &["ls"]])
        );
        assert_eq!(lex("a#b"), cmds(&[&["a#b"]]));
    }

    #[test]
    fn expansions_stay_literal() {
        assert_eq!(
            lex("docker run $(echo a b) ${X:-a b} `c d` $((1 + 2)) \"$(x \")\")\""),
            cmds(&[
                &[
                    "docker",
                    "run",
                    "$(echo a b)",
                    "${X:-a b}",
                    "`c d`",
                    "$((1 + 2))",
                    "$(x \")\")"
                ],
                // The substitutions' own commands.
                &["echo", "a", "b"],
                &["c", "d"],
                &["x", ")"],
            ])
        );
        assert_eq!(
            lex("docker run ${{ secrets.X }} img"),
            cmds(&[&["docker", "run", "${{ secrets.X }}", "img"]])
        );
    }

    #[test]
    fn command_substitutions_are_commands_too() {
        assert_eq!(
            lex("ID=$(docker run -d --privileged x)\necho \"`docker run y`\" $((1+2)) ${A}"),
            cmds(&[
                &["ID=$(docker run -d --privileged x)"],
                &["docker", "run", "-d", "--privileged", "x"],
                &["echo", "`docker run y`", "$((1+2))", "${A}"],
                &["docker", "run", "y"],
            ])
        );
        let src = Source::whole("A=$(B=$(docker run z))");
        let cs = commands(src.chars());
        assert_eq!(cs.len(), 3);
        assert_eq!(cs[2].words[0].span, span(Pos::new(1, 9), Pos::new(1, 14)));
        // Deep nesting is bounded, not recursive.
        let deep = format!("{}docker run x{}", "$(".repeat(5000), ")".repeat(5000));
        let src = Source::whole(&deep);
        assert!(commands(src.chars()).len() <= 10);
    }

    #[test]
    fn redirections_and_heredocs() {
        assert_eq!(
            lex("docker run x > /dev/null 2>&1 </dev/null &>log"),
            cmds(&[&["docker", "run", "x"]])
        );
        assert_eq!(
            lex("cat <<EOF\ndocker run --privileged x\nEOF\ndocker run y"),
            cmds(&[&["cat"], &["docker", "run", "y"]])
        );
        assert_eq!(
            lex("cat <<-'END' | sh\n\tdocker run a\n\tEND\nls"),
            cmds(&[&["cat"], &["sh"], &["ls"]])
        );
    }

    #[test]
    fn spans() {
        let src = Source::whole("x\n  docker run 'a b' \\\n  c");
        let cs = commands(src.chars());
        let words = &cs[1].words;
        assert_eq!(words[0].span, span(Pos::new(2, 3), Pos::new(2, 8)));
        assert_eq!(words[2].span, span(Pos::new(2, 14), Pos::new(2, 18)));
        assert_eq!(words[3].span, span(Pos::new(3, 3), Pos::new(3, 3)));
    }
}
