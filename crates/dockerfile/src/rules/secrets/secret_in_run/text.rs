//! Secrets found by reading text rather than command lines: known token formats and URL user
//! information in any word of a command; `NAME=value` / `NAME: value` lines and netrc
//! passwords in text written to files (`echo`/`printf` arguments, heredoc bodies fed to a
//! command); and, last, token formats and URL credentials anywhere in the RUN's text (heredoc
//! bodies of scripts that are not shell, Windows shells) that the parsed commands missed.

use super::grade::{self, Grade};
use super::hit::{char_at, chars, range_is_literal, Hit, InBody, InWord};
use crate::ast::{Command, CommandLine};
use crate::rules::run::flat::Flat;
use crate::rules::run::runs::{Run, UnitKind};
use crate::rules::run::shell::{argv, RedirOp, Word};
use crate::rules::secrets::patterns;
use crate::rules::util::find_text;
use regex::Regex;
use std::sync::LazyLock;

/// What a piece of text holds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// A known token format.
    Token,
    /// The password of `scheme://user:password@host` (masked URL).
    UrlPassword(String),
    /// A token written as the user of `scheme://token@host` (masked URL).
    UrlUser(String),
    /// `NAME=value` with a secret-sounding name.
    Named(String),
    /// `password X` in a netrc file.
    Netrc,
}

/// One secret in a text: character range, the user name given with it, what it is.
#[derive(Debug, Clone)]
struct Find {
    from: usize,
    to: usize,
    user: Option<String>,
    kind: Kind,
    /// `scheme://host` for URLs (fingerprint slot).
    host: String,
}

impl Find {
    fn grade(&self, secret: &str, gpg: bool) -> Option<Grade> {
        match &self.kind {
            Kind::Token => grade::of(secret),
            Kind::UrlPassword(_) | Kind::Netrc => match &self.user {
                Some(u) => grade::of_pair(u, secret),
                None => grade::of(secret),
            },
            Kind::UrlUser(_) => match grade::of(secret)? {
                g @ Grade::Token(_) => Some(g),
                _ if secret.chars().count() >= 20 && patterns::is_high_entropy(secret) => {
                    Some(Grade::Random)
                }
                _ => None,
            },
            Kind::Named(name) => grade::of_named(name, secret, gpg),
        }
    }

    fn what(&self) -> String {
        match &self.kind {
            Kind::Token => "contains a literal secret".to_string(),
            Kind::UrlPassword(m) => format!("embeds a literal password in a URL (`{m}`)"),
            Kind::UrlUser(m) => format!("embeds a token as the user name of a URL (`{m}`)"),
            Kind::Named(n) => format!("writes `{n}` with a literal value"),
            Kind::Netrc => "writes a literal password into a netrc file".to_string(),
        }
    }

    fn slot(&self) -> String {
        match &self.kind {
            Kind::Token => "token".to_string(),
            Kind::UrlPassword(_) | Kind::UrlUser(_) => format!("url:{}", self.host),
            Kind::Named(n) => format!("text:{n}"),
            Kind::Netrc => "netrc".to_string(),
        }
    }

    fn fix(&self, cmd: &str) -> String {
        match &self.kind {
            Kind::Token => format!(
                "read the secret from a build secret when the command runs: `RUN \
                 --mount=type=secret,id=token,env=TOKEN {} …\"$TOKEN\"…` with `docker build \
                 --secret id=token,env=TOKEN .`; rotate the exposed token",
                if cmd.is_empty() { "<command>" } else { cmd }
            ),
            Kind::UrlPassword(_) | Kind::UrlUser(_) => url_fix(cmd),
            Kind::Named(_) => "do not write credentials into the image: mount the file as a \
                build secret for the RUN that needs it (`RUN \
                --mount=type=secret,id=app_config,target=<path> …` with `docker build --secret \
                id=app_config,src=<file> .`), or provide it when the container starts; rotate \
                the exposed value"
                .to_string(),
            Kind::Netrc => "mount the netrc file as a build secret instead of writing it: `RUN \
                --mount=type=secret,id=netrc,target=/root/.netrc …` with `docker build --secret \
                id=netrc,src=$HOME/.netrc .`; rotate the exposed password"
                .to_string(),
        }
    }
}

/// How to keep credentials out of a URL, for the command that uses it.
fn url_fix(cmd: &str) -> String {
    match cmd {
        "pip" | "pip3" | "uv" | "pipenv" | "poetry" | "pdm" => "pass the whole index URL as a \
            build secret: `RUN --mount=type=secret,id=pip_index_url,env=PIP_INDEX_URL pip \
            install …` with `docker build --secret id=pip_index_url,env=PIP_INDEX_URL .`; rotate \
            the exposed password"
            .to_string(),
        "git" => "clone over SSH with an agent mount (`RUN --mount=type=ssh git clone \
            git@<host>:<repo>.git`, `docker build --ssh default .`) or pass the token for one \
            command from a build secret (`RUN --mount=type=secret,id=git_token,env=GIT_TOKEN git \
            -c http.extraHeader=\"Authorization: Bearer $GIT_TOKEN\" clone https://<host>/<repo>.git`); \
            a clone URL with credentials is also saved in .git/config; rotate the exposed token"
            .to_string(),
        _ => "take the credentials out of the URL and mount them as a build secret: `RUN \
            --mount=type=secret,id=netrc,target=/root/.netrc …` (curl --netrc, wget, git and pip \
            read ~/.netrc) with `docker build --secret id=netrc,src=$HOME/.netrc .`, or pass the \
            whole URL as a secret (`env=`); rotate the exposed password"
            .to_string(),
    }
}

/// Token formats and URL user information in a text (character ranges).
fn tokens_and_urls(text: &str) -> Vec<Find> {
    let mut out = Vec::new();
    for (_, r) in patterns::known_token_matches(text) {
        out.push(Find {
            from: char_at(text, r.start),
            to: char_at(text, r.end),
            user: None,
            kind: Kind::Token,
            host: String::new(),
        });
    }
    for u in patterns::url_userinfo(text) {
        let host = format!("{}://{}", u.scheme, u.host);
        match (&u.password, &u.password_range) {
            // `https://TOKEN:x-oauth-basic@github.com`: the user is the token.
            (Some(p), Some(r)) if !p.is_empty() && p != "x-oauth-basic" => out.push(Find {
                from: char_at(text, r.start),
                to: char_at(text, r.end),
                user: Some(u.user.clone()),
                kind: Kind::UrlPassword(u.masked(false)),
                host,
            }),
            _ => out.push(Find {
                from: char_at(text, u.user_range.start),
                to: char_at(text, u.user_range.end),
                user: None,
                kind: Kind::UrlUser(u.masked(true)),
                host,
            }),
        }
    }
    out
}

/// `NAME=value`, `NAME = "value"`, `NAME: value` at the start of a line (after optional
/// indentation, `export ` or an npmrc `//host/:` scope), as .env, properties, INI, YAML and
/// npmrc files have them.
static LINE_ASSIGN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?m)^[ \t]*(?:export[ \t]+)?(?://[^\s:]*:)?["']?([A-Za-z_][A-Za-z0-9_.\-]*)["']?[ \t]*(?:=|:[ \t])[ \t]*([^\r\n]*)$"#,
    )
    .expect("line assignment regex is valid")
});

/// `NAME="value"` / `"name": "value"` anywhere (a quoted value cannot be code).
static QUOTED_ASSIGN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:^|[^A-Za-z0-9_.\-$/])["']?([A-Za-z_][A-Za-z0-9_.\-]*)["']?[ \t]*[=:][ \t]*(?:"([^"\r\n]*)"|'([^'\r\n]*)')"#,
    )
    .expect("quoted assignment regex is valid")
});

/// `password X` of a netrc entry (`machine host login user password X`).
static NETRC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bmachine[ \t]+\S+(?:[ \t]+login[ \t]+(\S+))?[ \t]+password[ \t]+(\S+)")
        .expect("netrc regex is valid")
});

/// Secrets in text written to a file: assignments and netrc passwords (plus tokens and URLs).
fn written_text(text: &str) -> Vec<Find> {
    let mut out = tokens_and_urls(text);
    let mut named = |name: &str, from_b: usize, to_b: usize| {
        out.push(Find {
            from: char_at(text, from_b),
            to: char_at(text, to_b),
            user: None,
            kind: Kind::Named(name.to_string()),
            host: String::new(),
        });
    };
    for c in LINE_ASSIGN.captures_iter(text) {
        let (Some(name), Some(v)) = (c.get(1), c.get(2)) else {
            continue;
        };
        if let Some((a, b)) = line_value(v.as_str()) {
            named(name.as_str(), v.start() + a, v.start() + b);
        }
    }
    for c in QUOTED_ASSIGN.captures_iter(text) {
        let (Some(name), Some(v)) = (c.get(1), c.get(2).or(c.get(3))) else {
            continue;
        };
        named(name.as_str(), v.start(), v.end());
    }
    for c in NETRC.captures_iter(text) {
        if let Some(p) = c.get(2) {
            out.push(Find {
                from: char_at(text, p.start()),
                to: char_at(text, p.end()),
                user: c.get(1).map(|l| l.as_str().to_string()),
                kind: Kind::Netrc,
                host: String::new(),
            });
        }
    }
    out
}

/// The value part of a `NAME=…` line (byte range within it): inside quotes, or an unquoted
/// word up to a ` #` comment; `None` for code (`get_token()`, `os.environ["X"]`, `{…}`).
fn line_value(v: &str) -> Option<(usize, usize)> {
    let t = v.trim_end();
    for q in ['"', '\''] {
        if let Some(inner) = t.strip_prefix(q) {
            return inner.find(q).map(|end| (1, 1 + end));
        }
    }
    let end = t.find(" #").unwrap_or(t.len());
    let word = t[..end].trim_end();
    if word.is_empty()
        || word
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | '{' | '}' | ',' | '"' | '\''))
    {
        return None;
    }
    Some((0, word.len()))
}

/// Token formats and URL credentials in the words of every command (arguments and
/// assignments).
pub fn words(run: &Run<'_>, flat: &Flat<'_>, out: &mut Vec<Hit>) {
    for c in &flat.cmds {
        let name = c.name().unwrap_or("");
        // `sh -c '…'` scripts are read as commands of their own: judge their words there.
        let scripts: Vec<&Word> = c.cmd.inline.iter().filter_map(|i| c.cmd.words.get(i.word)).collect();
        for w in c.argv.iter().chain(c.env.iter().copied()) {
            if scripts.iter().any(|s| std::ptr::eq(*s, w)) {
                continue;
            }
            for f in tokens_and_urls(&w.text) {
                out.extend(word_hit(run, c.origin, c.argv, w, &f, name));
            }
        }
    }
}

/// Assignments, netrc entries, tokens and URLs in text written to files: `echo`/`printf`
/// arguments and heredoc bodies fed to commands other than a shell.
pub fn written(run: &Run<'_>, flat: &Flat<'_>, out: &mut Vec<Hit>) {
    let script_heredoc = run.units.iter().any(|u| u.kind == UnitKind::Heredoc);
    for c in &flat.cmds {
        let name = c.name().unwrap_or("");
        if c.is(&["echo", "printf"]) {
            for w in c.args().iter().filter(|w| !w.text.starts_with('-')) {
                for f in written_text(&w.text) {
                    out.extend(word_hit(run, c.origin, c.argv, w, &f, name));
                }
            }
        }
        let shell = argv::is_posix_shell(name) || (c.argv.is_empty() && script_heredoc);
        if shell {
            continue;
        }
        for r in &c.cmd.redirects {
            let (RedirOp::Heredoc | RedirOp::HeredocStrip, Some(body)) = (r.op, &r.body) else {
                continue;
            };
            for f in written_text(&body.text) {
                let secret = chars(&body.text, f.from, f.to);
                let Some(g) = f.grade(&secret, false) else {
                    continue;
                };
                let hit = InBody {
                    run,
                    origin: c.origin,
                    body,
                    from: f.from,
                    to: f.to,
                    user: f.user.clone(),
                    what: f.what(),
                    slot: f.slot(),
                    fix: f.fix(name),
                }
                .hit_as(secret, g);
                out.extend(hit);
            }
        }
    }
}

fn word_hit(
    run: &Run<'_>,
    origin: usize,
    words: &[Word],
    w: &Word,
    f: &Find,
    cmd: &str,
) -> Option<Hit> {
    if !range_is_literal(w, f.from, f.to) {
        return None;
    }
    let secret = chars(&w.text, f.from, f.to);
    let g = f.grade(&secret, false)?;
    let what = if cmd.is_empty() {
        f.what()
    } else {
        format!("{} given to `{cmd}`", f.what())
    };
    InWord {
        run,
        origin,
        words: if words.is_empty() {
            std::slice::from_ref(w)
        } else {
            words
        },
        word: w,
        from: f.from,
        to: f.to,
        user: f.user.clone(),
        what,
        slot: if cmd.is_empty() {
            f.slot()
        } else {
            format!("{}:{cmd}", f.slot())
        },
        fix: f.fix(cmd),
    }
    .hit_as(secret, g)
}

/// Token formats and URL credentials anywhere in the RUN's own text (command line or exec
/// elements, and every heredoc body), located by searching the source.
pub fn raw(run: &Run<'_>, source: &str, out: &mut Vec<Hit>) {
    let mut texts: Vec<&str> = Vec::new();
    if let Command::Run { command, .. } = &run.instr.command {
        match command {
            CommandLine::Shell(t) => texts.push(&t.value),
            CommandLine::Exec(parts) => texts.extend(parts.iter().map(|p| p.value.as_str())),
        }
    }
    texts.extend(run.instr.heredocs.iter().map(|h| h.content.as_str()));
    for text in texts {
        for f in tokens_and_urls(text) {
            let secret = chars(text, f.from, f.to);
            if grade::is_var_like(&secret) {
                continue;
            }
            let Some(g) = f.grade(&secret, false) else {
                continue;
            };
            let span = locate(source, run, text, f.from, f.to);
            let line: String = {
                let all: Vec<char> = text.chars().collect();
                let s = all[..f.from].iter().rposition(|c| *c == '\n').map_or(0, |i| i + 1);
                let e = all[f.to..].iter().position(|c| *c == '\n').map_or(all.len(), |i| f.to + i);
                super::hit::mask_chars(&all[s..e].iter().collect::<String>(), f.from - s, f.to - s)
            };
            out.push(Hit {
                span,
                secret,
                grade: g,
                what: f.what(),
                evidence: crate::rules::run::flat::shorten(line.trim(), 120),
                slot: f.slot(),
                fix: f.fix(""),
            });
        }
    }
}

/// The span of characters `from..to` of `text` (a RUN's text) in the file: found by searching
/// the instruction's source for the secret with some context before it.
fn locate(source: &str, run: &Run<'_>, text: &str, from: usize, to: usize) -> plimsoll_core::Span {
    let within = run.outer.span;
    let all: Vec<char> = text.chars().collect();
    let secret: String = all[from..to].iter().collect();
    let line_start = all[..from].iter().rposition(|c| *c == '\n').map_or(0, |i| i + 1);
    let ctx = from.saturating_sub(16).max(line_start);
    let needle: String = all[ctx..to].iter().collect();
    if let Some(s) = find_text(source, within, &needle) {
        if s.start.line == s.end.line {
            let start = plimsoll_core::Pos::new(s.start.line, s.start.column + (from - ctx) as u32);
            return plimsoll_core::Span::new(start, s.end);
        }
    }
    find_text(source, within, &secret).unwrap_or_else(|| run.first_line())
}
