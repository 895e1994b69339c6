//! From BuildKit-style nodes to the typed [`crate::ast`], with source spans.
//!
//! BuildKit's parser accepts some lines that its next step (`instructions.Parse`, run by every
//! `docker build`) rejects: unknown instructions, `FROM` with two arguments, `COPY` without a
//! destination, `HEALTHCHECK CONNECT`, `SHELL` not in JSON form, `ONBUILD ONBUILD`… Those are
//! errors here too, with BuildKit's messages, because the typed model cannot represent them
//! and the build would fail anyway. Flag problems BuildKit would also reject (unknown flag,
//! missing value) are *warnings* instead, so a file written for a newer Dockerfile frontend
//! (new flags appear regularly) is still audited.

use plimsoll_core::{Pos, Span};

use super::heredoc;
use super::mount::parse_mount;
use super::node::{go_quote, Arg, Node, Word};
use super::scan::{LineMap, Scanned};
use super::source::SourceIndex;
use super::substitution;
use crate::ast::{
    ArgDecl, Command, CommandLine, CopySpec, Flag, Healthcheck, Heredoc, Instruction, KeyValue,
    Keyword, Located, Mount, ParseWarning,
};
use crate::shell::{Lex, NoEnv};
use crate::ParseError;

/// Maps logical-line byte ranges to source spans.
pub struct Spans<'a> {
    pub idx: &'a SourceIndex<'a>,
    pub map: &'a LineMap,
    pub line: &'a str,
}

impl Spans<'_> {
    /// The span of logical-line bytes `start..end`.
    pub fn span(&self, (start, end): (usize, usize)) -> Span {
        let s = self.idx.pos(self.map.source_offset(start));
        if end <= start {
            return Span::new(s, s);
        }
        // Start of the last character, so that the end stays on its line.
        let last = self
            .line
            .get(..end)
            .and_then(|t| t.chars().next_back())
            .map_or(end - 1, |c| end - c.len_utf8());
        let e = self.idx.pos_after(self.map.source_offset(last));
        Span::new(s, e)
    }
}

/// Converts one scanned instruction.
pub fn instruction(
    sc: &Scanned,
    idx: &SourceIndex<'_>,
    escape: char,
    warnings: &mut Vec<ParseWarning>,
) -> Result<Instruction, ParseError> {
    let sp = Spans {
        idx,
        map: &sc.map,
        line: &sc.line,
    };
    let end = idx.line_end(sc.end_line);
    let heredocs: Vec<Heredoc> = sc
        .heredocs
        .iter()
        .map(|h| Heredoc {
            name: h.node.name.clone(),
            content: if h.node.chomp {
                heredoc::chomp_content(&h.node.content)
            } else {
                h.node.content.clone()
            },
            expand: h.node.expand,
            chomp: h.node.chomp,
            file_descriptor: h.node.file_descriptor,
            span: Span::new(Pos::new(h.start_line, 1), idx.line_end(h.end_line)),
        })
        .collect();
    let cx = Cx {
        sp: &sp,
        end,
        escape,
        original: &sc.line,
        heredocs: &heredocs,
    };
    cx.convert(&sc.node, warnings)
}

struct Cx<'a> {
    sp: &'a Spans<'a>,
    /// End of the instruction (last physical line, heredoc terminators included).
    end: Pos,
    escape: char,
    original: &'a str,
    heredocs: &'a [Heredoc],
}

/// Known flags per instruction, as BuildKit's `instructions` package declares them
/// (RUN's come from its `--mount`/`--network`/`--security`/`--device` hooks).
fn known_flags(k: Keyword) -> &'static [&'static str] {
    match k {
        Keyword::Add => &[
            "chown",
            "chmod",
            "link",
            "keep-git-dir",
            "checksum",
            "unpack",
            "exclude",
        ],
        Keyword::Copy => &["chown", "from", "chmod", "link", "exclude", "parents"],
        Keyword::From => &["platform"],
        Keyword::Run => &["mount", "network", "security", "device"],
        Keyword::Healthcheck => &[
            "interval",
            "timeout",
            "start-period",
            "start-interval",
            "retries",
        ],
        _ => &[],
    }
}

const ALL_KEYWORDS: [&str; 18] = [
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// Keyword lookup the way BuildKit's dispatch does (Go `strings.ToLower`, so even the Kelvin
/// sign lowers to `k`).
fn keyword(value: &str) -> Option<Keyword> {
    let lower = super::node::go_lower(value);
    ALL_KEYWORDS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(&lower))
        .and_then(|k| Keyword::parse(k))
}

/// A "did you mean" for an unknown instruction: the keyword at edit distance ≤ 2.
fn suggestion(word: &str) -> Option<&'static str> {
    let w = word.to_ascii_uppercase();
    ALL_KEYWORDS
        .iter()
        .map(|k| (levenshtein(&w, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Quote and escape processing of a value without expanding variables (unset references stay
/// as written). Unterminated quotes leave the text as written.
pub fn unquote(raw: &str, escape: char) -> String {
    let mut lex = Lex::new(escape);
    lex.skip_unset_env = true;
    lex.process_word(raw, &NoEnv)
        .map(|p| p.result)
        .unwrap_or_else(|_| raw.to_string())
}

impl Cx<'_> {
    fn err(&self, message: impl Into<String>, span: Span) -> ParseError {
        ParseError::new(message, Some(span))
    }

    fn located(&self, w: &Word) -> Located<String> {
        Located::new(w.value.clone(), self.span_of(w))
    }

    fn span_of(&self, w: &Word) -> Span {
        match w.range {
            Some(r) => self.sp.span(r),
            None => Span::new(self.end, self.end),
        }
    }

    fn convert(
        &self,
        node: &Node,
        warnings: &mut Vec<ParseWarning>,
    ) -> Result<Instruction, ParseError> {
        let keyword_span = self.sp.span(node.range);
        let span = Span::new(keyword_span.start, self.end);
        let Some(kw) = keyword(&node.value) else {
            let name = node.value.to_uppercase();
            let mut e = self.err(format!("unknown instruction: {}", node.value), keyword_span);
            e = match suggestion(&node.value) {
                Some(s) => e.with_hint(format!(
                    "did you mean {s}? BuildKit fails the build on unknown instructions"
                )),
                None if name.is_empty() => e.with_hint(
                    "a line continuation or stray escape character left an empty instruction",
                ),
                None => e.with_hint(
                    "BuildKit fails the build on unknown instructions; is this line part of a heredoc or a continuation?",
                ),
            };
            return Err(e);
        };
        if let Some(w) = self.too_deep_word(kw, node) {
            let (message, hint) = substitution::error_text(kw.as_str());
            return Err(self.err(message, self.span_of(w)).with_hint(hint));
        }
        let flags: Vec<Flag> = node.flags.iter().map(|w| self.flag(w)).collect();
        self.check_flags(kw, &flags, &node.args, warnings)?;
        let words: Vec<&Word> = node
            .args
            .iter()
            .filter_map(|a| match a {
                Arg::Word(w) => Some(w),
                Arg::Sub(_) => None,
            })
            .collect();
        let name = kw.as_str();
        let exactly_one = |words: &[&Word]| -> Result<Located<String>, ParseError> {
            match words {
                [w] => Ok(self.located(w)),
                _ => Err(self.err(format!("{name} requires exactly one argument"), span)),
            }
        };
        let at_least_one = |words: &[&Word]| -> Result<(), ParseError> {
            if words.is_empty() {
                Err(self.err(format!("{name} requires at least one argument"), span))
            } else {
                Ok(())
            }
        };
        let command = match kw {
            Keyword::From => self.from(&words, span)?,
            Keyword::Run => {
                let mounts = flags
                    .iter()
                    .filter(|f| f.name == "mount")
                    .map(|f| {
                        let (m, problem) = parse_mount(f.value.as_deref().unwrap_or(""), f.span);
                        if let Some(p) = problem {
                            warnings.push(ParseWarning {
                                message: p,
                                span: f.span,
                            });
                        }
                        m
                    })
                    .collect::<Vec<Mount>>();
                Command::Run {
                    command: self.command_line(node.json, &words, keyword_span),
                    mounts,
                }
            }
            Keyword::Cmd => Command::Cmd(self.command_line(node.json, &words, keyword_span)),
            Keyword::Entrypoint => {
                Command::Entrypoint(self.command_line(node.json, &words, keyword_span))
            }
            Keyword::Shell => {
                if !node.json {
                    if words.is_empty() {
                        return Err(self.err("SHELL requires at least one argument", span));
                    }
                    return Err(self
                        .err("SHELL requires the arguments to be in JSON form", span)
                        .with_hint("write it as SHELL [\"executable\", \"parameters\"]"));
                }
                at_least_one(&words)?;
                Command::Shell(words.iter().map(|w| self.located(w)).collect())
            }
            Keyword::Healthcheck => self.healthcheck(node.json, &words, span)?,
            Keyword::Env | Keyword::Label => {
                let kvs = self.key_values(name, &words, span, warnings)?;
                if kw == Keyword::Env {
                    Command::Env(kvs)
                } else {
                    Command::Label(kvs)
                }
            }
            Keyword::Arg => {
                at_least_one(&words)?;
                let mut decls = Vec::with_capacity(words.len());
                for w in &words {
                    decls.push(self.arg_decl(w, span)?);
                }
                Command::Arg(decls)
            }
            Keyword::Copy | Keyword::Add => {
                let spec = self.copy_spec(name, node.json, &words, span)?;
                if kw == Keyword::Copy {
                    Command::Copy(spec)
                } else {
                    Command::Add(spec)
                }
            }
            Keyword::User => Command::User(exactly_one(&words)?),
            Keyword::Workdir => Command::Workdir(exactly_one(&words)?),
            Keyword::StopSignal => Command::StopSignal(exactly_one(&words)?),
            Keyword::Maintainer => Command::Maintainer(exactly_one(&words)?),
            Keyword::Expose => {
                at_least_one(&words)?;
                Command::Expose(words.iter().map(|w| self.located(w)).collect())
            }
            Keyword::Volume => {
                at_least_one(&words)?;
                if words
                    .iter()
                    .any(|w| w.value.trim_matches(char::is_whitespace).is_empty())
                {
                    return Err(self.err("VOLUME specified can not be an empty string", span));
                }
                Command::Volume(words.iter().map(|w| self.located(w)).collect())
            }
            Keyword::Onbuild => {
                let Some(Arg::Sub(child)) = node.args.first() else {
                    return Err(self.err("ONBUILD requires at least one argument", span));
                };
                let trigger = super::node::go_lower(child.value.trim_matches(char::is_whitespace));
                match trigger.as_str() {
                    "onbuild" => {
                        return Err(
                            self.err("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", span)
                        )
                    }
                    "maintainer" | "from" => {
                        return Err(self.err(
                            format!(
                                "{} isn't allowed as an ONBUILD trigger",
                                trigger.to_uppercase()
                            ),
                            span,
                        ))
                    }
                    _ => {}
                }
                // The trigger's own text, as BuildKit's nested node has it.
                let original = self
                    .sp
                    .line
                    .get(child.range.0..)
                    .unwrap_or("")
                    .trim_end_matches(char::is_whitespace);
                let inner = Cx {
                    sp: self.sp,
                    end: self.end,
                    escape: self.escape,
                    original,
                    heredocs: self.heredocs,
                };
                Command::Onbuild(Box::new(inner.convert(child, warnings)?))
            }
        };
        Ok(Instruction {
            keyword: kw,
            keyword_span,
            flags,
            command,
            span,
            original: self.original.to_string(),
            heredocs: self.heredocs.to_vec(),
        })
    }

    /// The first word BuildKit expands (every flag; the arguments of all but the command
    /// instructions, whose text the shell reads) that nests `${…}` too deep to follow.
    fn too_deep_word<'n>(&self, kw: Keyword, node: &'n Node) -> Option<&'n Word> {
        let args_expanded = !matches!(
            kw,
            Keyword::Run
                | Keyword::Cmd
                | Keyword::Entrypoint
                | Keyword::Shell
                | Keyword::Healthcheck
        );
        let args = node.args.iter().filter_map(|a| match a {
            Arg::Word(w) if args_expanded => Some(w),
            _ => None,
        });
        node.flags
            .iter()
            .chain(args)
            .find(|w| substitution::too_deep(&w.value, self.escape))
    }

    fn flag(&self, w: &Word) -> Flag {
        let body = w.value.strip_prefix("--").unwrap_or(&w.value);
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (body.to_string(), None),
        };
        Flag {
            name,
            value,
            span: self.span_of(w),
        }
    }

    /// Flag checks BuildKit makes when it runs the instruction. An unknown flag is a warning
    /// (a newer frontend may know it); a known flag BuildKit cannot read (no `=value`, a
    /// non-boolean value, repeated, `--network` with an unknown mode) is an error with
    /// BuildKit's message, because reading on would misread the line: BuildKit takes flags
    /// only as `--name=value`, so in `COPY --chmod 777 src /dst` the `777` is not the flag's
    /// value but would become a source.
    fn check_flags(
        &self,
        kw: Keyword,
        flags: &[Flag],
        args: &[Arg],
        warnings: &mut Vec<ParseWarning>,
    ) -> Result<(), ParseError> {
        // BuildKit never parses STOPSIGNAL's flags, nor HEALTHCHECK NONE's.
        if kw == Keyword::StopSignal {
            return Ok(());
        }
        if kw == Keyword::Healthcheck
            && matches!(args.first(), Some(Arg::Word(w)) if w.value.eq_ignore_ascii_case("none"))
        {
            return Ok(());
        }
        let known = known_flags(kw);
        let mut seen: Vec<&str> = Vec::new();
        for f in flags {
            if !known.contains(&f.name.as_str()) {
                warnings.push(ParseWarning {
                    message: format!(
                        "unknown flag --{} for {}: BuildKit fails the build on it",
                        f.name,
                        kw.as_str()
                    ),
                    span: f.span,
                });
                continue;
            }
            let problem = if seen.contains(&f.name.as_str())
                && !matches!(f.name.as_str(), "mount" | "exclude" | "device")
            {
                Some((format!("duplicate flag specified: --{}", f.name), None))
            } else {
                self.flag_value_problem(kw, f, args)
            };
            seen.push(&f.name);
            if let Some((message, hint)) = problem {
                let e = self.err(message, f.span);
                return Err(match hint {
                    Some(h) => e.with_hint(h),
                    None => e,
                });
            }
        }
        Ok(())
    }

    /// BuildKit's complaint about a known flag's value, with a hint.
    fn flag_value_problem(
        &self,
        kw: Keyword,
        f: &Flag,
        args: &[Arg],
    ) -> Option<(String, Option<String>)> {
        let boolean = matches!(
            (kw, f.name.as_str()),
            (_, "link")
                | (_, "parents")
                | (Keyword::Add, "keep-git-dir")
                | (Keyword::Add, "unpack")
        );
        match (&f.value, boolean) {
            (None, false) => {
                let next = args.iter().find_map(|a| match a {
                    Arg::Word(w) => Some(w.value.as_str()),
                    Arg::Sub(_) => None,
                });
                let hint = match next {
                    Some(v) => format!(
                        "BuildKit reads flags only as `--name=value`: write `--{}={v}`",
                        f.name
                    ),
                    None => format!(
                        "BuildKit reads flags only as `--name=value`: write `--{}=…`",
                        f.name
                    ),
                };
                Some((format!("missing a value on flag: --{}", f.name), Some(hint)))
            }
            (Some(v), true) if v.is_empty() => Some((
                format!("missing a value on flag: --{}", f.name),
                Some(format!("write `--{0}` or `--{0}=true`", f.name)),
            )),
            (Some(v), true) if !matches!(v.to_ascii_lowercase().as_str(), "true" | "false") => {
                Some((
                    format!("expecting boolean value for flag --{}, not: {v}", f.name),
                    Some(format!(
                        "write `--{0}`, `--{0}=true` or `--{0}=false`",
                        f.name
                    )),
                ))
            }
            (Some(v), false)
                if kw == Keyword::Run
                    && f.name == "network"
                    && !v.contains('$')
                    && !matches!(v.as_str(), "default" | "none" | "host") =>
            {
                Some((
                    format!("invalid network mode {}", go_quote(v)),
                    Some(
                        "RUN --network takes `default`, `none` or `host` (BuildKit's \
                         allowed modes)"
                            .to_string(),
                    ),
                ))
            }
            _ => None,
        }
    }

    fn command_line(&self, json: bool, words: &[&Word], keyword_span: Span) -> CommandLine {
        if json {
            return CommandLine::Exec(words.iter().map(|w| self.located(w)).collect());
        }
        match words.first() {
            Some(w) => CommandLine::Shell(self.located(w)),
            None => CommandLine::Shell(Located::new(
                String::new(),
                Span::new(keyword_span.end, keyword_span.end),
            )),
        }
    }

    fn from(&self, words: &[&Word], span: Span) -> Result<Command, ParseError> {
        match words {
            [image] => Ok(Command::From {
                image: self.located(image),
                alias: None,
            }),
            [image, as_kw, name] if as_kw.value.eq_ignore_ascii_case("as") => {
                let lower = name.value.to_lowercase();
                if !valid_stage_name(&lower) {
                    return Err(self.err(
                        format!(
                            "invalid name for build stage: {}, name can't start with a number or contain symbols",
                            go_quote(&name.value)
                        ),
                        self.span_of(name),
                    ));
                }
                Ok(Command::From {
                    image: self.located(image),
                    alias: Some(self.located(name)),
                })
            }
            _ => Err(self
                .err("FROM requires either one or three arguments", span)
                .with_hint("write FROM <image> [AS <name>]")),
        }
    }

    fn healthcheck(&self, json: bool, words: &[&Word], span: Span) -> Result<Command, ParseError> {
        let Some((typ, rest)) = words.split_first() else {
            return Err(self.err("HEALTHCHECK requires at least one argument", span));
        };
        match typ.value.to_uppercase().as_str() {
            "NONE" => {
                if !rest.is_empty() {
                    return Err(self.err("HEALTHCHECK NONE takes no arguments", span));
                }
                Ok(Command::Healthcheck(Healthcheck::None))
            }
            "CMD" => {
                if rest.is_empty() {
                    return Err(self.err("Missing command after HEALTHCHECK CMD", span));
                }
                let cl = self.command_line(json, rest, self.span_of(typ));
                Ok(Command::Healthcheck(Healthcheck::Cmd(cl)))
            }
            other => Err(self
                .err(
                    format!("Unknown type {} in HEALTHCHECK (try CMD)", go_quote(other)),
                    self.span_of(typ),
                )
                .with_hint("HEALTHCHECK takes NONE or CMD <command>")),
        }
    }

    fn key_values(
        &self,
        name: &str,
        words: &[&Word],
        span: Span,
        warnings: &mut Vec<ParseWarning>,
    ) -> Result<Vec<KeyValue>, ParseError> {
        if words.is_empty() {
            return Err(self.err(format!("{name} requires at least one argument"), span));
        }
        let mut out = Vec::with_capacity(words.len() / 3);
        for chunk in words.chunks(3) {
            let [k, v, sep] = chunk else {
                return Err(self.err(format!("Bad input to {name}, too many arguments"), span));
            };
            if k.value.is_empty() {
                return Err(self.err(format!("{name} names can not be blank"), self.span_of(k)));
            }
            if let Err(e) = Lex::new(self.escape).process_word(&v.value, &NoEnv) {
                warnings.push(ParseWarning {
                    message: format!("BuildKit cannot process the value of {}: {e}", k.value),
                    span: self.span_of(v),
                });
            }
            out.push(KeyValue {
                key: Located::new(unquote(&k.value, self.escape), self.span_of(k)),
                value: Located::new(unquote(&v.value, self.escape), self.span_of(v)),
                legacy: sep.value.is_empty(),
                raw_value: v.value.clone(),
            });
        }
        Ok(out)
    }

    fn arg_decl(&self, w: &Word, span: Span) -> Result<ArgDecl, ParseError> {
        let Some((key, value)) = w.value.split_once('=') else {
            return Ok(ArgDecl {
                name: Located::new(unquote(&w.value, self.escape), self.span_of(w)),
                default: None,
                raw_default: None,
            });
        };
        if key.is_empty() {
            return Err(self.err("ARG names can not be blank", span));
        }
        let (ws, we) = w.range.unwrap_or((0, 0));
        let key_span = self.sp.span((ws, ws + key.len()));
        let value_span = self
            .sp
            .span((ws + key.len() + 1, we.max(ws + key.len() + 1)));
        Ok(ArgDecl {
            name: Located::new(unquote(key, self.escape), key_span),
            default: Some(Located::new(unquote(value, self.escape), value_span)),
            raw_default: Some(value.to_string()),
        })
    }

    fn copy_spec(
        &self,
        name: &str,
        json: bool,
        words: &[&Word],
        span: Span,
    ) -> Result<CopySpec, ParseError> {
        let Some((dest, sources)) = words.split_last().filter(|(_, s)| !s.is_empty()) else {
            return Err(self.err(
                format!("{name} requires at least two arguments, but only one was provided. Destination could not be determined"),
                span,
            ));
        };
        if matches!(heredoc::parse_heredoc(&dest.value), Ok(Some(_))) {
            return Err(self.err(
                format!("{name} cannot accept a heredoc as a destination"),
                self.span_of(dest),
            ));
        }
        Ok(CopySpec {
            sources: sources.iter().map(|w| self.located(w)).collect(),
            dest: self.located(dest),
            json,
        })
    }
}

/// BuildKit's stage-name rule `^[a-z][a-z0-9-_.]*$` (after lower-casing).
fn valid_stage_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '-' | '_' | '.'))
}
