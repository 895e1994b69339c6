//! The one table of command wrappers — commands that run the command given after their own
//! options and operands (`sudo -u app cmd`, `env A=1 cmd`, `timeout 10 cmd`, `nice -n 5 cmd`,
//! `xargs -n1 cmd`, `gosu app cmd`, …) — and the peeling that finds the command a line really
//! runs. Every reader of command lines uses it: the shell reader's [`crate::argv`], the
//! Dockerfile analysis (package and build commands) and the script scanner (`docker run`
//! behind `sudo`), so a wrapper or an option that takes a value is added once.
//!
//! Words are anything that is [`Arg`]: the shell reader's words, plain strings, or a caller's
//! own word type.

use crate::ast::Word;

/// A command-line word as the peeling reads it.
pub trait Arg {
    /// The word's text (quotes removed).
    fn text(&self) -> &str;
    /// Whether it is a `NAME=value` assignment.
    fn is_assignment(&self) -> bool {
        is_assignment(self.text())
    }
}

impl Arg for Word {
    fn text(&self) -> &str {
        &self.text
    }
    fn is_assignment(&self) -> bool {
        self.assignment().is_some()
    }
}

impl Arg for String {
    fn text(&self) -> &str {
        self
    }
}

impl Arg for &str {
    fn text(&self) -> &str {
        self
    }
}

/// `NAME=value` with a valid shell variable name (see [`is_name`]).
pub fn is_assignment(text: &str) -> bool {
    text.split_once('=').is_some_and(|(name, _)| is_name(name))
}

/// A shell (and compose) variable name: a letter or `_`, then letters, digits, `_`.
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The last path component of a command name (`/usr/bin/curl` → `curl`).
pub fn basename(name: &str) -> &str {
    // A byte scan: this runs for every word that may be a command name, and `rsplit` costs
    // several times more on such short strings. `/` is ASCII, so `i + 1` is a char boundary.
    match name.bytes().rposition(|b| b == b'/') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// A wrapper command: runs the command given after its options and fixed operands.
struct Wrapper {
    /// Options that take the next word as their value.
    with_arg: &'static [&'static str],
    /// Operands before the wrapped command (`gosu USER cmd`, `timeout 10 cmd`).
    operands: usize,
    /// `NAME=value` words may come before the command (`env`, `sudo`).
    assignments: bool,
    /// Options that make it not run a command (`command -v`, `sudo -l`).
    not_a_wrapper: &'static [&'static str],
}

fn wrapper(name: &str) -> Option<Wrapper> {
    let w = |with_arg, operands, assignments, not_a_wrapper| {
        Some(Wrapper {
            with_arg,
            operands,
            assignments,
            not_a_wrapper,
        })
    };
    match name {
        "sudo" => w(
            &[
                "-u",
                "-g",
                "-C",
                "-D",
                "-h",
                "-p",
                "-r",
                "-t",
                "-T",
                "-U",
                "--user",
                "--group",
                "--chdir",
                "--prompt",
                "--role",
                "--type",
                "--host",
                "--close-from",
                "--command-timeout",
                "--other-user",
            ],
            0,
            true,
            &[
                "-l",
                "-v",
                "-k",
                "-K",
                "-V",
                "-e",
                "--list",
                "--validate",
                "--edit",
                "--version",
            ],
        ),
        "doas" => w(&["-u", "-C"], 0, false, &[]),
        "env" => w(
            &["-u", "--unset", "-C", "--chdir", "-S", "--split-string"],
            0,
            true,
            &[],
        ),
        "nice" => w(&["-n", "--adjustment"], 0, false, &[]),
        "nohup" | "time" | "eatmydata" | "fakeroot" | "unbuffer" | "builtin" | "catchsegv"
        | "setsid" | "busybox" => w(&[], 0, false, &[]),
        "command" => w(&[], 0, false, &["-v", "-V"]),
        "exec" => w(&["-a"], 0, false, &[]),
        "stdbuf" => w(&["-i", "-o", "-e"], 0, false, &[]),
        "ionice" => w(
            &["-c", "-n", "-p", "-P", "-u", "--class", "--classdata"],
            0,
            false,
            &[],
        ),
        "timeout" => w(&["-s", "-k", "--signal", "--kill-after"], 1, false, &[]),
        "chroot" => w(&["--userspec", "--groups"], 1, false, &[]),
        "gosu" | "su-exec" => w(&[], 1, false, &[]),
        "runuser" => w(
            &["-u", "-g", "-G", "--user", "--group"],
            0,
            false,
            &["-c", "-l"],
        ),
        "xargs" => w(
            &[
                "-I",
                "-L",
                "-n",
                "-P",
                "-s",
                "-d",
                "-E",
                "-a",
                "--arg-file",
                "--delimiter",
                "--max-args",
                "--max-procs",
                "--max-chars",
                "--max-lines",
                "--replace",
                "--eof",
            ],
            0,
            false,
            &[],
        ),
        _ => None,
    }
}

/// The command a word list really runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effective {
    /// Index of the real command name, `None` when the wrappers run nothing (`sudo -s`).
    pub index: Option<usize>,
    /// Indices of wrapper command names peeled off (`sudo`, `env`, …), in order.
    pub wrappers: Vec<usize>,
    /// Indices of `NAME=value` words given to `env`/`sudo`.
    pub assignments: Vec<usize>,
}

/// Peels wrappers off `words` (a simple command's words after its own `NAME=value` prefix).
pub fn effective<W: Arg>(words: &[W]) -> Effective {
    let mut out = Effective::default();
    let mut k = 0;
    while let Some(word) = words.get(k) {
        let name = basename(word.text());
        let Some(spec) = wrapper(name) else {
            out.index = Some(k);
            return out;
        };
        if is_query(words, k + 1, &spec) {
            out.index = Some(k);
            return out;
        }
        out.wrappers.push(k);
        k += 1;
        while let Some(w) = words.get(k) {
            let t = w.text();
            if t == "--" {
                k += 1;
                break;
            }
            let numeric_nice =
                name == "nice" && t.len() > 1 && t[1..].chars().all(|c| c.is_ascii_digit());
            if t.len() > 1 && t.starts_with('-') && !numeric_nice {
                k += if spec.with_arg.contains(&t) { 2 } else { 1 };
                continue;
            }
            if numeric_nice {
                k += 1;
                continue;
            }
            if spec.assignments && w.is_assignment() {
                out.assignments.push(k);
                k += 1;
                continue;
            }
            break;
        }
        k += spec.operands;
    }
    out
}

/// Whether the wrapper's options (from `k`) include one that makes it not run a command.
fn is_query<W: Arg>(words: &[W], mut k: usize, spec: &Wrapper) -> bool {
    while let Some(w) = words.get(k) {
        let t = w.text();
        if !t.starts_with('-') || t == "--" || t == "-" {
            return false;
        }
        if spec.not_a_wrapper.contains(&t) {
            return true;
        }
        k += if spec.with_arg.contains(&t) { 2 } else { 1 };
    }
    false
}

/// Like [`effective`] for a command line whose words still start with the shell's own
/// `NAME=value` prefix (`DEBIAN_FRONTEND=noninteractive sudo -E apt-get …`): the prefix is
/// skipped (its indices are listed in [`Effective::assignments`]) and the rest peeled.
pub fn effective_after_assignments<W: Arg>(words: &[W]) -> Effective {
    let prefix = words.iter().take_while(|w| w.is_assignment()).count();
    let rest = effective(words.get(prefix..).unwrap_or(&[]));
    Effective {
        index: rest.index.map(|i| i + prefix),
        wrappers: rest.wrappers.iter().map(|i| i + prefix).collect(),
        assignments: (0..prefix)
            .chain(rest.assignments.iter().map(|i| i + prefix))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program(line: &str) -> Option<String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        effective_after_assignments(&words)
            .index
            .map(|i| words[i].to_string())
    }

    #[test]
    fn wrappers_and_their_options_are_peeled() {
        assert_eq!(
            program("A=1 sudo -E -u app env B=2 docker run").as_deref(),
            Some("docker")
        );
        assert_eq!(program("sudo --user app docker").as_deref(), Some("docker"));
        assert_eq!(program("nice -n 10 make").as_deref(), Some("make"));
        assert_eq!(program("nice -5 make").as_deref(), Some("make"));
        assert_eq!(program("timeout -s KILL 10 curl").as_deref(), Some("curl"));
        assert_eq!(program("xargs -n 1 apt-get").as_deref(), Some("apt-get"));
        assert_eq!(
            program("/usr/bin/sudo -- gosu app id").as_deref(),
            Some("id")
        );
        assert_eq!(program("command -v docker").as_deref(), Some("command"));
        assert_eq!(program("sudo -l docker").as_deref(), Some("sudo"));
        assert_eq!(program("sudo"), None);
        assert_eq!(program("A=1 B=2"), None);
        assert_eq!(program("a.b=1 make").as_deref(), Some("a.b=1"));
    }
}
