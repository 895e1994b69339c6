//! Secrets found by reading text rather than command lines: known token formats and URL user
//! information in any word of a command; `NAME=value` / `NAME: value` lines and netrc
//! passwords in text written to files (`echo`/`printf` arguments, heredoc bodies fed to a
//! command); and, last, token formats and URL credentials anywhere in the RUN's text (heredoc
//! bodies of scripts that are not shell, Windows shells) that the parsed commands missed.

use super::grade::{self, Grade};
use super::hit::{char_at, chars, mask_chars, range_is_literal, Hit, InBody, InWord};
use crate::analysis::run::commands::UnitKind;
use crate::analysis::run::commands::{shorten, Flat};
use crate::analysis::run::instructions::Run;
use crate::analysis::source_text::find_text;
use crate::ast::{Command, CommandLine};
use crate::rules::secrets::patterns;
use plimsoll_core::{Pos, Span};
use plimsoll_shell::{argv, RedirOp, Word};
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
    /// `?name=value` in a URL's query string with a secret-sounding name (`api_key`,
    /// `access_token`, `license_key`) or an Azure SAS signature (`sig`).
    Query(String),
    /// `password X` in a netrc file.
    Netrc,
    /// `pkg pkg/question password X` fed to `debconf-set-selections`.
    Debconf,
    /// `IDENTIFIED BY 'X'` / `PASSWORD 'X'` in SQL.
    Sql,
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
            Kind::UrlPassword(_) | Kind::Netrc | Kind::Debconf | Kind::Sql => {
                grade::of_maybe_pair(self.user.as_deref(), secret)
            }
            Kind::UrlUser(_) => match grade::of(secret)? {
                g @ Grade::Token(_) => Some(g),
                _ if secret.chars().count() >= 20 && patterns::is_high_entropy(secret) => {
                    Some(grade::random(secret))
                }
                _ => None,
            },
            Kind::Named(name) => grade::of_named(name, secret, grade::Naming::Key, gpg),
            Kind::Query(name) if name == "sig" => grade::of(secret),
            Kind::Query(name) => grade::of_named(name, secret, grade::Naming::Key, false),
        }
    }

    fn what(&self) -> String {
        match &self.kind {
            Kind::Token => "contains a literal secret".to_string(),
            Kind::UrlPassword(m) => format!("embeds a literal password in the URL `{m}`"),
            Kind::UrlUser(m) => format!("embeds a token as the user name of the URL `{m}`"),
            Kind::Named(n) => format!("writes `{n}` with a literal value"),
            Kind::Query(n) => format!("puts a literal `{n}` in a URL's query string"),
            Kind::Netrc => "writes a literal password into a netrc file".to_string(),
            Kind::Debconf => "preseeds a literal debconf password".to_string(),
            Kind::Sql => "sets a literal database password in SQL".to_string(),
        }
    }

    fn slot(&self) -> String {
        match &self.kind {
            Kind::Token => "token".to_string(),
            Kind::UrlPassword(_) | Kind::UrlUser(_) => format!("url:{}", self.host),
            Kind::Named(n) => format!("text:{n}"),
            Kind::Query(n) => format!("query:{n}"),
            Kind::Netrc => "netrc".to_string(),
            Kind::Debconf => "debconf".to_string(),
            Kind::Sql => "sql".to_string(),
        }
    }

    /// How to fix it; `written`: the text goes into a file of the image.
    fn fix(&self, cmd: &str, written: bool) -> String {
        if written && !matches!(self.kind, Kind::Netrc | Kind::Debconf | Kind::Sql) {
            return WRITTEN_FIX.to_string();
        }
        match &self.kind {
            Kind::Token => format!(
                "read the secret from a build secret when the command runs: `RUN \
                 --mount=type=secret,id=token,env=TOKEN {} …\"$TOKEN\"…` with `docker build \
                 --secret id=token,env=TOKEN .`; rotate the exposed token",
                if cmd.is_empty() { "<command>" } else { cmd }
            ),
            Kind::UrlPassword(_) | Kind::UrlUser(_) | Kind::Query(_) => url_fix(cmd),
            Kind::Named(_) => WRITTEN_FIX.to_string(),
            Kind::Debconf => "do not preseed passwords at build time (they stay in the \
                debconf database of the image): configure the service when the container starts, \
                from a secret, or read the answer from a build secret: `RUN \
                --mount=type=secret,id=db_root_password sh -c 'echo \"mysql-server \
                mysql-server/root_password password $(cat /run/secrets/db_root_password)\" | \
                debconf-set-selections'`; rotate the exposed password"
                .to_string(),
            Kind::Sql => "create database users when the container starts, with the password \
                from a secret (the official postgres and mysql images read \
                POSTGRES_PASSWORD_FILE / MYSQL_PASSWORD_FILE), or read it from a build secret: \
                `RUN --mount=type=secret,id=db_password,env=DB_PASSWORD psql -c \"… PASSWORD \
                '$DB_PASSWORD'\"`; rotate the exposed password"
                .to_string(),
            Kind::Netrc => "mount the netrc file as a build secret instead of writing it: `RUN \
                --mount=type=secret,id=netrc,target=/root/.netrc …` with `docker build --secret \
                id=netrc,src=$HOME/.netrc .`; rotate the exposed password"
                .to_string(),
        }
    }
}

const WRITTEN_FIX: &str = "do not write credentials into files of the image: mount the file \
as a build secret for the RUN that needs it (`RUN --mount=type=secret,id=app_config,target=<path> \
…` with `docker build --secret id=app_config,src=<file> .`), or provide it when the container \
starts; rotate the exposed value";

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
            _ if u.user.is_empty() => {}
            _ => out.push(Find {
                from: char_at(text, u.user_range.start),
                to: char_at(text, u.user_range.end),
                user: None,
                kind: Kind::UrlUser(u.masked(true)),
                host,
            }),
        }
    }
    if may_have_sql_password(text) {
        for c in SQL_PASSWORD.captures_iter(text) {
            if let Some(p) = c.get(1).or(c.get(2)) {
                out.push(Find {
                    from: char_at(text, p.start()),
                    to: char_at(text, p.end()),
                    user: None,
                    kind: Kind::Sql,
                    host: String::new(),
                });
            }
        }
    }
    if patterns::has_scheme_separator(text) {
        let sas = text.contains("sv=");
        for c in QUERY.captures_iter(text) {
            let (Some(name), Some(v)) = (c.get(1), c.get(2)) else {
                continue;
            };
            if name.as_str() == "sig" && !sas {
                continue;
            }
            out.push(Find {
                from: char_at(text, v.start()),
                to: char_at(text, v.end()),
                user: None,
                kind: Kind::Query(name.as_str().to_string()),
                host: String::new(),
            });
        }
    }
    out
}

/// Whether [`SQL_PASSWORD`] can match: the usual ASCII text without either keyword (in any
/// case) is ruled out without starting a regex search. Non-ASCII text is always searched, as
/// case-insensitive matching also folds `ſ` to `s`.
fn may_have_sql_password(text: &str) -> bool {
    !text.is_ascii() || patterns::contains_any_ignore_ascii_case(text, &["password", "identified"])
}

/// `IDENTIFIED [WITH plugin] BY 'X'` (MySQL) and `[WITH] PASSWORD 'X'` (PostgreSQL).
static SQL_PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)\b(?:IDENTIFIED\s+(?:WITH\s+\S+\s+)?BY|PASSWORD)\s+(?:'([^'\r\n]*)'|"([^"\r\n]*)")"#,
    )
    .expect("sql password regex is valid")
});

/// `?name=value` / `&name=value` of a URL query string.
static QUERY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"[?&]([A-Za-z][A-Za-z0-9_.\-]*)=([^&\s#"'<>;|)]+)"#).expect("query regex is valid")
});

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
/// A debconf selection of type `password`: `owner owner/question password VALUE`.
static DEBCONF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)[^\s/]+[ \t]+\S+/\S+[ \t]+password[ \t]+([^\s'\x22]+)")
        .expect("debconf regex is valid")
});

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
    for c in DEBCONF.captures_iter(text) {
        if let Some(p) = c.get(1) {
            out.push(Find {
                from: char_at(text, p.start()),
                to: char_at(text, p.end()),
                user: None,
                kind: Kind::Debconf,
                host: String::new(),
            });
        }
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
        || word.chars().any(|c| {
            c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | '{' | '}' | ',' | '"' | '\'')
        })
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
        let scripts: Vec<&Word> = c
            .cmd
            .inline
            .iter()
            .filter_map(|i| c.cmd.words.get(i.word))
            .collect();
        // What `echo`/`printf` print is judged as written text (see [`written`]).
        let printed: &[Word] = if c.is(&["echo", "printf"]) {
            c.args()
        } else {
            &[]
        };
        for w in c.argv.iter().chain(c.env.iter().copied()) {
            let skip = scripts.iter().any(|s| std::ptr::eq(*s, w))
                || printed.iter().any(|p| std::ptr::eq(p, w));
            if skip {
                continue;
            }
            for f in tokens_and_urls(&w.text) {
                out.extend(word_hit(run, c.origin, c.argv, w, &f, name, false));
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
                // `\n` prints a line break: read it as one (same length, so positions hold).
                let text = w.text.replace("\\n", "\n ");
                for f in written_text(&text) {
                    out.extend(word_hit(run, c.origin, c.argv, w, &f, name, true));
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
                    fix: f.fix(name, true),
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
    written: bool,
) -> Option<Hit> {
    if !range_is_literal(w, f.from, f.to) {
        return None;
    }
    let secret = chars(&w.text, f.from, f.to);
    let g = f.grade(&secret, false)?;
    let what = if cmd.is_empty() || written {
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
        fix: f.fix(cmd, written),
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
    let place = Place {
        source,
        within: run.outer.span,
        fallback: run.first_line(),
    };
    for text in texts {
        out.extend(in_text(&place, text, tokens_and_urls(text), false));
    }
}

/// Everything secret in the body of a file created by `COPY <<EOF` / `ADD <<EOF`:
/// assignments, netrc entries, token formats, URL credentials.
pub fn in_file(source: &str, within: Span, fallback: Span, text: &str) -> Vec<Hit> {
    let place = Place {
        source,
        within,
        fallback,
    };
    in_text(&place, text, written_text(text), true)
}

/// Where a text is in the file: the instruction's span to search, and a fallback location.
struct Place<'a> {
    source: &'a str,
    within: Span,
    fallback: Span,
}

/// Judges finds in a text that is not parsed into words, locating each by searching the
/// source.
fn in_text(place: &Place<'_>, text: &str, finds: Vec<Find>, written: bool) -> Vec<Hit> {
    if finds.is_empty() {
        return Vec::new();
    }
    let all: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for f in finds {
        let secret = chars(text, f.from, f.to);
        if grade::is_var_like(&secret) {
            continue;
        }
        let Some(g) = f.grade(&secret, false) else {
            continue;
        };
        let to = f.to.min(all.len());
        let from = f.from.min(to);
        let s = all[..from]
            .iter()
            .rposition(|c| *c == '\n')
            .map_or(0, |i| i + 1);
        let e = all[to..]
            .iter()
            .position(|c| *c == '\n')
            .map_or(all.len(), |i| to + i);
        let line = mask_chars(&all[s..e].iter().collect::<String>(), from - s, to - s);
        out.push(Hit {
            span: locate(place, &all, from, to),
            secret,
            grade: g,
            what: f.what(),
            evidence: shorten(line.trim(), 120),
            slot: f.slot(),
            fix: f.fix("", written),
        });
    }
    out
}

/// The span of characters `from..to` of a text in the file: found by searching the
/// instruction's source for the secret with some context before it.
fn locate(place: &Place<'_>, all: &[char], from: usize, to: usize) -> Span {
    let secret: String = all[from..to].iter().collect();
    let line_start = all[..from]
        .iter()
        .rposition(|c| *c == '\n')
        .map_or(0, |i| i + 1);
    let ctx = from.saturating_sub(16).max(line_start);
    let needle: String = all[ctx..to].iter().collect();
    if let Some(s) = find_text(place.source, place.within, &needle) {
        if s.start.line == s.end.line {
            let start = Pos::new(s.start.line, s.start.column + (from - ctx) as u32);
            return Span::new(start, s.end);
        }
    }
    find_text(place.source, place.within, &secret).unwrap_or(place.fallback)
}

/// The first token format or URL credential in a value (a LABEL's): the secret, its grade,
/// what holds it, and the fingerprint slot.
pub fn in_value(value: &str) -> Option<(String, Grade, String, String)> {
    tokens_and_urls(value).into_iter().find_map(|f| {
        let secret = chars(value, f.from, f.to);
        if grade::is_var_like(&secret) {
            return None;
        }
        let g = f.grade(&secret, false)?;
        Some((secret, g, f.what(), f.slot()))
    })
}
