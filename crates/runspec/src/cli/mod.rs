//! `docker run` / `docker create` command lines, parsed as the Docker CLI parses them, into a
//! [`RunSpec`].
//!
//! The command may come as an argv (`plimsoll run -- docker run …`, [`parse_argv`]) or as
//! words a script scanner found in a file ([`parse_words`]; see [`crate::scripts`]). Parsing
//! follows docker/cli:
//! - the command is `docker` (or a path ending in `/docker`), possibly after `sudo [opts]`,
//!   `env [opts]`, `timeout [opts] DURATION`, `exec`, `command`, `nohup`, `time` and
//!   `NAME=value` prefixes;
//! - the global options before the subcommand (`-H`, `--context`, `--config`, `-l`, `--tls*`,
//!   `-D`) are skipped with their values;
//! - the subcommand is `run`, `create`, `container run` or `container create` (anything else
//!   is not ours: `Ok(None)`);
//! - the options follow pflag (module `pflag`) with the complete flag table of the command
//!   (module `flags`), so an option plimsoll does not map still consumes its value; the image is
//!   the first positional word and everything after it is the container's command, never
//!   read as options;
//! - each isolation-relevant option is mapped into the RunSpec with the value parsers of
//!   [`crate::values`] (module `map`); an invalid value is an error, as the CLI would refuse to
//!   run the command.
//!
//! Limits: nothing is expanded or executed. An unquoted expansion (`$OPTS`, [`Word::splits`])
//! where the image belongs, followed by an option, is taken as unknown options rather than as
//! the image when the rest parses that way (best effort: its real contents are unknown). `--env-file` and `--label-file`
//! are recorded, not read; a relative bind source stays as written.

mod flags;
mod gotypes;
mod map;
/// Go's `time.ParseDuration`, as docker's CLI reads `--health-interval` and the like.
pub use gotypes::parse_duration as parse_go_duration;
pub(crate) use map::is_bare_expansion;
pub use quote::quote as shell_quote;
mod pflag;
mod quote;

use crate::model::RunSpec;
use plimsoll_core::Span;
use plimsoll_shell::wrappers;
use std::fmt;

/// A shell word after quote removal, with its span in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub span: Span,
    /// The word is an unquoted expansion (`$OPTS`, `$(opts)`, or `"$@"`, `"${a[@]}"`), which
    /// the shell turns into any number of words: where the image belongs, it may hide
    /// options. Always `false` for an argv, whose words are final.
    pub splits: bool,
}

impl Word {
    /// A literal word (one that is exactly one argument).
    pub fn new(text: impl Into<String>, span: Span) -> Self {
        Word {
            text: text.into(),
            span,
            splits: false,
        }
    }
}

/// A command that is a `docker run`/`docker create` but cannot be read as one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    pub path: String,
    pub span: Option<Span>,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.span {
            Some(s) => write!(
                f,
                "{}:{}:{}: {}",
                self.path, s.start.line, s.start.column, self.message
            )?,
            None => write!(f, "{}: {}", self.path, self.message)?,
        }
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for CliError {}

/// The display path of a command given on plimsoll's own command line.
pub const COMMAND_LINE_PATH: &str = "<command-line>";

/// Parses the words of one shell command found in `path`. `Ok(None)`: the command is not a
/// `docker run`/`docker create` (another docker subcommand, another program, or a request
/// for help or the version). `anchor` is the span of the whole command (what findings about
/// missing settings point at).
pub fn parse_words(path: &str, words: &[Word], anchor: Span) -> Result<Option<RunSpec>, CliError> {
    let Some(program) = skip_prefixes(words) else {
        return Ok(None);
    };
    let Some(cmd) = docker_subcommand(path, words, program)? else {
        return Ok(None);
    };
    map::run_command(path, words, program, cmd, anchor)
}

/// Parses a command given as an argv (`plimsoll run -- docker run …`). Returns the RunSpec and
/// the command line as shell text, which the spans of the RunSpec (path `<command-line>`)
/// point into.
pub fn parse_argv(argv: &[String]) -> Result<(RunSpec, String), CliError> {
    let (text, words) = quote::command_line(argv);
    let anchor = match (words.first(), words.last()) {
        (Some(first), Some(last)) => Span::new(first.span.start, last.span.end),
        _ => Span::new(plimsoll_core::Pos::new(1, 1), plimsoll_core::Pos::new(1, 1)),
    };
    match parse_words(COMMAND_LINE_PATH, &words, anchor)? {
        Some(spec) => Ok((spec, text)),
        None => Err(CliError {
            path: COMMAND_LINE_PATH.to_string(),
            span: Some(anchor),
            message: format!("not a `docker run` or `docker create` command: {text}"),
            hint: Some(
                "give the command as you would run it: `plimsoll run -- docker run [OPTIONS] IMAGE …`"
                    .to_string(),
            ),
        }),
    }
}

/// Which word of a `docker …` command is `run`/`create` (after the global options), or `None`
/// when it is another subcommand. `program` is the index of the `docker` word.
fn docker_subcommand(
    path: &str,
    words: &[Word],
    program: usize,
) -> Result<Option<usize>, CliError> {
    let is_run = |w: Option<&Word>| w.is_some_and(|w| w.text == "run" || w.text == "create");
    let (globals, positional) =
        match pflag::parse(flags::GLOBAL_FLAGS, words, program + 1, "docker") {
            Ok(found) => found,
            Err(e) => {
                // Only an error if the command was meant to be a `docker run`.
                let later = words.get(e.last + 1..).unwrap_or(&[]);
                if later.iter().any(|w| w.text == "run" || w.text == "create") {
                    return Err(map::error(path, words, e.first, e.last, e.message, e.hint));
                }
                return Ok(None);
            }
        };
    if globals
        .iter()
        .any(|o| matches!(o.flag.name, "help" | "version") && o.value == "true")
    {
        return Ok(None);
    }
    let Some(sub) = positional else {
        return Ok(None);
    };
    if is_run(words.get(sub)) {
        return Ok(Some(sub));
    }
    if words.get(sub).is_some_and(|w| w.text == "container") && is_run(words.get(sub + 1)) {
        return Ok(Some(sub + 1));
    }
    Ok(None)
}

/// The index of the program word after what a shell line may put before `docker`:
/// `NAME=value` assignments and the command wrappers of [`plimsoll_shell::wrappers`] (`sudo
/// [options]`, `env [options] [NAME=value…]`, `timeout [options] DURATION`, `exec`, `nice`,
/// `xargs`, …). `None` when the program is not `docker`.
pub(crate) fn skip_prefixes(words: &[Word]) -> Option<usize> {
    let program = wrappers::effective_after_assignments(words).index?;
    let name = wrappers::basename(&words.get(program)?.text);
    matches!(name, "docker" | "docker.exe").then_some(program)
}

impl wrappers::Arg for Word {
    fn text(&self) -> &str {
        &self.text
    }

    fn is_assignment(&self) -> bool {
        is_assignment(&self.text)
    }
}

/// `NAME=value` and variable names as the workspace's shell reader judges them.
pub(crate) use plimsoll_shell::wrappers::{is_assignment, is_name};

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_core::Pos;

    fn words(args: &[&str]) -> Vec<Word> {
        args.iter()
            .map(|a| Word::new(*a, Span::new(Pos::new(1, 1), Pos::new(1, 1))))
            .collect()
    }

    #[test]
    fn prefixes() {
        assert_eq!(skip_prefixes(&words(&["docker", "run"])), Some(0));
        assert_eq!(skip_prefixes(&words(&["sudo", "docker", "run"])), Some(1));
        assert_eq!(
            skip_prefixes(&words(&["sudo", "-u", "root", "-E", "docker"])),
            Some(4)
        );
        assert_eq!(skip_prefixes(&words(&["FOO=1", "BAR=", "docker"])), Some(2));
        assert_eq!(skip_prefixes(&words(&["exec", "/usr/bin/docker"])), Some(1));
        assert_eq!(
            skip_prefixes(&words(&["env", "-i", "A=1", "docker"])),
            Some(3)
        );
        assert_eq!(skip_prefixes(&words(&["podman", "run"])), None);
        assert_eq!(skip_prefixes(&words(&["echo", "docker"])), None);
        assert_eq!(skip_prefixes(&words(&["sudo"])), None);
        assert_eq!(skip_prefixes(&words(&[])), None);
    }

    #[test]
    fn subcommands() {
        let sub = |a: &[&str]| docker_subcommand("f", &words(a), 0);
        assert_eq!(sub(&["docker", "run", "x"]), Ok(Some(1)));
        assert_eq!(sub(&["docker", "create", "x"]), Ok(Some(1)));
        assert_eq!(sub(&["docker", "container", "run", "x"]), Ok(Some(2)));
        assert_eq!(sub(&["docker", "container", "ls"]), Ok(None));
        assert_eq!(sub(&["docker", "ps"]), Ok(None));
        assert_eq!(
            sub(&[
                "docker",
                "-H",
                "tcp://h:2376",
                "--tlsverify",
                "-l",
                "debug",
                "run",
                "x"
            ]),
            Ok(Some(6))
        );
        assert_eq!(
            sub(&["docker", "--context=prod", "-c", "x", "run"]),
            Ok(Some(4))
        );
        // `-H run`: `run` is the host, the subcommand is `ps`.
        assert_eq!(sub(&["docker", "-H", "run", "ps"]), Ok(None));
        assert_eq!(sub(&["docker", "--version", "run"]), Ok(None));
        assert_eq!(sub(&["docker", "--bogus", "ps"]), Ok(None));
        assert!(sub(&["docker", "--bogus", "run", "x"]).is_err());
        assert_eq!(sub(&["docker"]), Ok(None));
    }
}
