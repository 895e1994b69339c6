//! Flag parsing with spf13/pflag's rules, as the Docker CLI uses them (with interspersed
//! arguments off: the first positional word ends the options).
//!
//! - `--flag=value`, `--flag value` (the next word is taken whatever it looks like, even
//!   `-x`), `--flag=` (an empty value);
//! - booleans: `--flag` is true, `--flag=false` sets it; `--flag false` does *not* (the
//!   `false` is a positional word);
//! - shorthands: `-d`, clusters `-itd`, a value flag takes the rest of its cluster (`-p8080:80`,
//!   `-itp80:80`) or else the next word; `-e=X` gives `X`; `-d=false` sets a boolean;
//! - `--` ends the options; `-` alone is a positional word.

use super::flags::{by_name, by_short, Arity, Flag};
use super::Word;
use crate::values::go_parse_bool;

/// One flag as found on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Occurrence {
    pub flag: &'static Flag,
    /// The value; for a boolean, `true` or `false` (after Go's `ParseBool`).
    pub value: String,
    /// Index of the flag's first word and of its last (the value's word when separate).
    pub first: usize,
    pub last: usize,
    /// The flag as written: `--cap-add=SYS_ADMIN`, `--cap-add SYS_ADMIN`, `-p 80:80`,
    /// `-p80:80`, `-P`.
    pub written: String,
}

/// A flag error, with the words it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FlagError {
    pub message: String,
    pub hint: Option<String>,
    pub first: usize,
    pub last: usize,
}

/// The options found from `words[start..]`, and the index of the first positional word (the
/// subcommand, or the image), if any.
pub(crate) fn parse(
    table: &'static [Flag],
    words: &[Word],
    start: usize,
    command: &str,
) -> Result<(Vec<Occurrence>, Option<usize>), FlagError> {
    let mut out = Vec::new();
    let mut i = start;
    while let Some(word) = words.get(i) {
        let text = word.text.as_str();
        if text == "--" {
            let next = i + 1;
            return Ok((out, (next < words.len()).then_some(next)));
        }
        if let Some(long) = text.strip_prefix("--") {
            i = parse_long(table, words, i, long, command, &mut out)?;
        } else if text.len() > 1 && text.starts_with('-') {
            i = parse_shorts(table, words, i, command, &mut out)?;
        } else {
            return Ok((out, Some(i)));
        }
    }
    Ok((out, None))
}

fn parse_long(
    table: &'static [Flag],
    words: &[Word],
    i: usize,
    long: &str,
    command: &str,
    out: &mut Vec<Occurrence>,
) -> Result<usize, FlagError> {
    let err = |message: String, hint: Option<String>, last: usize| FlagError {
        message,
        hint,
        first: i,
        last,
    };
    let (name, inline) = match long.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (long, None),
    };
    if name.is_empty() || name.starts_with('-') {
        return Err(err(format!("bad flag syntax: --{long}"), None, i));
    }
    let Some(flag) = by_name(table, name) else {
        return Err(err(
            format!("unknown flag: --{name}"),
            Some(unknown_hint(command, &format!("--{name}"))),
            i,
        ));
    };
    match (flag.arity, inline) {
        (Arity::Bool, None) => {
            out.push(occurrence(flag, "true", i, i, format!("--{name}")));
            Ok(i + 1)
        }
        (Arity::Bool, Some(v)) => {
            let b = parse_bool(flag, v).map_err(|m| err(m, None, i))?;
            out.push(occurrence(flag, b, i, i, format!("--{name}={v}")));
            Ok(i + 1)
        }
        (Arity::Value, Some(v)) => {
            out.push(occurrence(flag, v, i, i, format!("--{name}={v}")));
            Ok(i + 1)
        }
        (Arity::Value, None) => {
            let Some(value) = words.get(i + 1) else {
                return Err(err(format!("flag needs an argument: --{name}"), None, i));
            };
            let written = format!("--{name} {}", value.text);
            out.push(occurrence(flag, &value.text, i, i + 1, written));
            Ok(i + 2)
        }
    }
}

fn parse_shorts(
    table: &'static [Flag],
    words: &[Word],
    i: usize,
    command: &str,
    out: &mut Vec<Occurrence>,
) -> Result<usize, FlagError> {
    let text = words.get(i).map_or("", |w| w.text.as_str());
    let err = |message: String, hint: Option<String>, last: usize| FlagError {
        message,
        hint,
        first: i,
        last,
    };
    // `text` starts with the one-byte '-'.
    let mut rest = text.get(1..).unwrap_or("");
    while let Some(c) = rest.chars().next() {
        let after = &rest[c.len_utf8()..];
        let Some(flag) = by_short(table, c) else {
            return Err(err(
                format!("unknown shorthand flag: '{c}' in {text}"),
                Some(unknown_hint(command, &format!("-{c}"))),
                i,
            ));
        };
        // `-x=value`: pflag takes everything after the `=` (needs at least one character).
        if let Some(v) = after.strip_prefix('=').filter(|v| !v.is_empty()) {
            let value = match flag.arity {
                Arity::Bool => parse_bool(flag, v)
                    .map_err(|m| err(m, None, i))?
                    .to_string(),
                Arity::Value => v.to_string(),
            };
            out.push(occurrence(flag, &value, i, i, format!("-{c}={v}")));
            return Ok(i + 1);
        }
        match flag.arity {
            Arity::Bool => {
                out.push(occurrence(flag, "true", i, i, format!("-{c}")));
                rest = after;
            }
            Arity::Value if !after.is_empty() => {
                out.push(occurrence(flag, after, i, i, format!("-{c}{after}")));
                return Ok(i + 1);
            }
            Arity::Value => {
                let Some(value) = words.get(i + 1) else {
                    return Err(err(
                        format!("flag needs an argument: '{c}' in -{c}"),
                        None,
                        i,
                    ));
                };
                let written = format!("-{c} {}", value.text);
                out.push(occurrence(flag, &value.text, i, i + 1, written));
                return Ok(i + 2);
            }
        }
    }
    Ok(i + 1)
}

fn occurrence(
    flag: &'static Flag,
    value: &str,
    first: usize,
    last: usize,
    written: String,
) -> Occurrence {
    Occurrence {
        flag,
        value: value.to_string(),
        first,
        last,
        written,
    }
}

fn parse_bool(flag: &Flag, v: &str) -> Result<&'static str, String> {
    match go_parse_bool(v) {
        Some(true) => Ok("true"),
        Some(false) => Ok("false"),
        None => Err(format!(
            "invalid argument {v:?} for \"--{}\" flag: strconv.ParseBool: parsing {v:?}: invalid syntax",
            flag.name
        )),
    }
}

fn unknown_hint(command: &str, flag: &str) -> String {
    format!(
        "`{command}` does not accept {flag} (plimsoll knows every flag of Docker CLI 29); \
         check the spelling, or if it is a newer flag, the command cannot be audited until \
         plimsoll learns it"
    )
}

#[cfg(test)]
mod tests {
    use super::super::flags::RUN_FLAGS;
    use super::*;
    use plimsoll_core::{Pos, Span};

    fn words(args: &[&str]) -> Vec<Word> {
        args.iter()
            .map(|a| Word::new(*a, Span::new(Pos::new(1, 1), Pos::new(1, 1))))
            .collect()
    }

    /// (flag name, value, written) of each occurrence, and the positional index.
    type Parsed = (Vec<(String, String, String)>, Option<usize>);

    fn run(args: &[&str]) -> Result<Parsed, String> {
        let w = words(args);
        parse(RUN_FLAGS, &w, 0, "docker run")
            .map(|(occ, pos)| {
                (
                    occ.into_iter()
                        .map(|o| (o.flag.name.to_string(), o.value, o.written))
                        .collect(),
                    pos,
                )
            })
            .map_err(|e| e.message)
    }

    fn t(n: &str, v: &str, w: &str) -> (String, String, String) {
        (n.to_string(), v.to_string(), w.to_string())
    }

    #[test]
    fn long_forms() {
        assert_eq!(
            run(&[
                "--cap-add=SYS_ADMIN",
                "--name",
                "web",
                "--label",
                "x",
                "nginx"
            ]),
            Ok((
                vec![
                    t("cap-add", "SYS_ADMIN", "--cap-add=SYS_ADMIN"),
                    t("name", "web", "--name web"),
                    t("label", "x", "--label x"),
                ],
                Some(5)
            ))
        );
        // A value flag takes the next word even when it looks like a flag.
        assert_eq!(
            run(&["--entrypoint", "--privileged", "img"]),
            Ok((
                vec![t("entrypoint", "--privileged", "--entrypoint --privileged")],
                Some(2)
            ))
        );
        assert_eq!(
            run(&["--entrypoint=", "img"]),
            Ok((vec![t("entrypoint", "", "--entrypoint=")], Some(1)))
        );
    }

    #[test]
    fn bools() {
        assert_eq!(
            run(&["--privileged=false", "--rm", "img"]),
            Ok((
                vec![
                    t("privileged", "false", "--privileged=false"),
                    t("rm", "true", "--rm")
                ],
                Some(2)
            ))
        );
        // `--privileged false`: `false` is the image.
        assert_eq!(
            run(&["--privileged", "false"]),
            Ok((vec![t("privileged", "true", "--privileged")], Some(1)))
        );
        assert!(run(&["--privileged=yes", "img"])
            .unwrap_err()
            .contains("ParseBool"));
        assert_eq!(
            run(&["--read-only=T", "img"]).map(|r| r.0),
            Ok(vec![t("read-only", "true", "--read-only=T")])
        );
    }

    #[test]
    fn short_clusters() {
        assert_eq!(
            run(&["-itd", "img"]),
            Ok((
                vec![
                    t("interactive", "true", "-i"),
                    t("tty", "true", "-t"),
                    t("detach", "true", "-d")
                ],
                Some(1)
            ))
        );
        assert_eq!(
            run(&["-p8080:80", "img"]).map(|r| r.0),
            Ok(vec![t("publish", "8080:80", "-p8080:80")])
        );
        assert_eq!(
            run(&["-itp", "80:80", "img"]).map(|r| r.0),
            Ok(vec![
                t("interactive", "true", "-i"),
                t("tty", "true", "-t"),
                t("publish", "80:80", "-p 80:80")
            ])
        );
        assert_eq!(
            run(&["-e=X=1", "img"]).map(|r| r.0),
            Ok(vec![t("env", "X=1", "-e=X=1")])
        );
        assert_eq!(
            run(&["-d=false", "img"]).map(|r| r.0),
            Ok(vec![t("detach", "false", "-d=false")])
        );
        assert_eq!(
            run(&["-e=", "img"]).map(|r| r.0),
            Ok(vec![t("env", "=", "-e=")])
        );
        assert_eq!(
            run(&["-dP", "img"]).map(|r| r.0),
            Ok(vec![
                t("detach", "true", "-d"),
                t("publish-all", "true", "-P")
            ])
        );
    }

    #[test]
    fn ends_and_positionals() {
        assert_eq!(run(&["--", "img", "-it"]), Ok((vec![], Some(1))));
        assert_eq!(run(&["--"]), Ok((vec![], None)));
        assert_eq!(run(&["-", "x"]), Ok((vec![], Some(0))));
        assert_eq!(run(&["-d"]), Ok((vec![t("detach", "true", "-d")], None)));
        // Everything after the image belongs to the container's command.
        assert_eq!(run(&["img", "--privileged"]), Ok((vec![], Some(0))));
    }

    #[test]
    fn errors() {
        assert_eq!(
            run(&["--bogus", "img"]).unwrap_err(),
            "unknown flag: --bogus"
        );
        assert_eq!(
            run(&["-itx", "img"]).unwrap_err(),
            "unknown shorthand flag: 'x' in -itx"
        );
        assert_eq!(
            run(&["--name"]).unwrap_err(),
            "flag needs an argument: --name"
        );
        assert_eq!(
            run(&["-p"]).unwrap_err(),
            "flag needs an argument: 'p' in -p"
        );
        assert_eq!(run(&["--=x"]).unwrap_err(), "bad flag syntax: --=x");
        assert!(run(&["-é"]).is_err());
    }
}
