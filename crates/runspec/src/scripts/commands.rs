//! The simple commands of a shell text, read with the workspace's one shell reader
//! (`plimsoll-shell`) and turned into the words `docker run` parsing reads: quotes removed,
//! expansions (`$VAR`, `${VAR:-x}`, `$(cmd)`, `` `cmd` ``, `$((1+2))`) kept as written, each
//! word with its span in the file, redirections and here-document bodies left out.
//!
//! The reader streams ([`plimsoll_shell::each_simple_command`]): each command is looked at as
//! soon as it is read and dropped unless the caller keeps it, so a large script costs one
//! command's words, not all of them. Commands inside command substitutions
//! (`ID=$(docker run -d …)`) are read too, since the shell runs them; the script strings of
//! `sh -c '…'` are not (the scanner reads what a script runs directly). Reserved words are
//! syntax, so `if …; then docker run …; fi` yields the run; a leading `time` (a reserved word
//! in bash) is dropped as before.

use super::source::span;
use crate::cli::{is_bare_expansion, Word};
use plimsoll_core::Pos;
use plimsoll_shell::{Ch, Ix, SimpleCommand};
use std::cell::RefCell;

/// Words that may precede a command without being it, when the reader leaves them as words.
const LEADING_RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time",
];

/// One simple command: its words (leading assignments included, reserved words in front
/// removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Command {
    pub words: Vec<Word>,
}

/// Every simple command of `src` (see [`commands_where`]).
#[cfg(test)]
pub(crate) fn commands(src: &[(char, Pos)]) -> Vec<Command> {
    commands_where(src, &|_| true)
}

/// The simple commands of `src` that `keep` accepts, in source order, including those inside
/// command substitutions. The others are dropped as soon as they are read.
pub(crate) fn commands_where(src: &[(char, Pos)], keep: &dyn Fn(&[Word]) -> bool) -> Vec<Command> {
    let chars: Vec<Ch> = src.iter().zip(0..).map(|(&(c, _), i)| (c, i)).collect();
    let kept = RefCell::new(Vec::new());
    plimsoll_shell::each_simple_command(&chars, &|command| {
        let words = words_of(command, src);
        if !words.is_empty() && keep(&words) {
            kept.borrow_mut().push(Command { words });
        }
    });
    let mut out = kept.into_inner();
    out.sort_by_key(|c| c.words.first().map(|w| w.span.start));
    out
}

/// A command's words as the docker parser reads them.
fn words_of(command: SimpleCommand, src: &[(char, Pos)]) -> Vec<Word> {
    let pos = |ix: Ix| {
        usize::try_from(ix)
            .ok()
            .and_then(|i| src.get(i))
            .map_or(Pos::new(1, 1), |c| c.1)
    };
    let mut words: Vec<Word> = command
        .assignments
        .into_iter()
        .chain(command.words)
        .map(|w| {
            // Unquoted expansions split into words; `"$@"` and `"${a[@]}"` do even in quotes.
            let splits = is_bare_expansion(&w.text)
                && (!w.quoted || w.text == "$@" || w.text == "${@}" || w.text.ends_with("[@]}"));
            Word {
                span: span(pos(w.start), pos(w.end.saturating_sub(1).max(w.start))),
                text: w.text,
                splits,
            }
        })
        .collect();
    let skip = words
        .iter()
        .take_while(|w| LEADING_RESERVED.contains(&w.text.as_str()))
        .count();
    words.drain(..skip);
    words
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
        // Reserved words are syntax: compound commands yield the simple commands inside.
        assert_eq!(
            lex("if true; then docker run x; fi"),
            cmds(&[&["true"], &["docker", "run", "x"]])
        );
        assert_eq!(
            lex("case $a in x) docker run i ;; esac"),
            cmds(&[&["docker", "run", "i"]])
        );
        assert_eq!(
            lex("time docker run x; ! docker run y"),
            cmds(&[&["docker", "run", "x"], &["docker", "run", "y"]])
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
        // Deep nesting is bounded: the reader follows plimsoll-shell's nesting limit.
        let deep = format!("{}docker run x{}", "$(".repeat(5000), ")".repeat(5000));
        let src = Source::whole(&deep);
        assert!(commands(src.chars()).len() <= plimsoll_shell::parse::MAX_DEPTH as usize);
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
