//! `.env` and `env_file` files, parsed as compose-go's `dotenv` package parses them (a port
//! of its `parser.go`), because the values they hold become interpolation variables and
//! service environments, and plimsoll must see the same values docker compose would.
//!
//! The format: `KEY=value` or `KEY: value` statements, an optional `export ` prefix, `#`
//! comment lines, inline ` #` comments on unquoted values, single-quoted values taken
//! literally (only `\'` is unescaped), double-quoted values with shell escapes (`\n`, `\t`,
//! `\0123` …) and multi-line content, and a bare `KEY` that takes the caller's value if it has
//! one. Unquoted and double-quoted values are interpolated like compose files
//! (`${VAR:-default}`), looking variables up in the caller's environment first and then in
//! the keys defined earlier in the file.
//!
//! compose-go quirks kept on purpose: a last line without `=`, `:` or line feed becomes the
//! value of the empty key; text after a closing quote on the same line starts a new statement.
//! One deliberate difference: error line numbers are those of the statement or value at fault
//! (compose-go reports the line it had counted to, which for an unterminated quote is the end
//! of the file).

use super::interpolate::{substitute, TemplateError};
use super::Diagnostic;
use plimsoll_core::{Pos, Span};
use std::collections::HashMap;

/// Parses the env file `path`. Returns the variables in the order they are first defined,
/// each with its last value (compose-go fills a map). `vars` is the caller's environment.
pub fn parse(
    path: &str,
    text: &str,
    vars: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<(String, String)>, Diagnostic> {
    Ok(parse_located(path, text, vars)?
        .into_iter()
        .map(|v| (v.name, v.value))
        .collect())
}

/// One variable of an env file, with where its (last) value is written: a secret typed into
/// a `.env` file is reported there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub name: String,
    /// The value, unquoted and interpolated.
    pub value: String,
    /// The value as written (quotes included; `None` for a bare `KEY` that takes the
    /// caller's value, which the file does not hold).
    pub written: Option<String>,
    /// Where the written value is (the key's line, for a bare `KEY`).
    pub span: Span,
}

/// [`parse`], keeping where each value is written.
pub fn parse_located(
    path: &str,
    text: &str,
    vars: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Located>, Diagnostic> {
    let bom = text.len() - text.strip_prefix('\u{FEFF}').unwrap_or(text).len();
    let text = text.get(bom..).unwrap_or(text);
    let mut env = Env::default();
    let mut cursor = Cursor::default();
    let mut pos = 0;
    loop {
        pos = statement_start(text, pos);
        if pos >= text.len() {
            break;
        }
        let fail = |at: usize, message: String, hint: &str| error(path, text, at, message, hint);
        let key = locate_key(text, pos).map_err(|(c, line)| {
            fail(
                pos,
                format!(
                    "unexpected character {:?} in variable name {line:?}",
                    c.to_string()
                ),
                "variable names are letters, digits, `_`, `.`, `-`, `[` and `]`; \
                 write `NAME=value`",
            )
        })?;
        if key.name.contains(' ') {
            return Err(fail(
                pos,
                "key cannot contain a space".into(),
                "write `NAME=value`; quote values that contain spaces",
            ));
        }
        if key.inherited {
            if let Some(value) = vars(&key.name) {
                let at = cursor.pos(text, pos);
                env.set(Located {
                    name: key.name,
                    value,
                    written: None,
                    span: Span::new(at, at),
                });
            }
            pos = key.rest;
            continue;
        }
        let (value, next, end) =
            extract_value(text, key.rest, &env, vars).map_err(|e| match e {
                ValueError::Unterminated(at) => fail(
                    at,
                    format!(
                        "unterminated quoted value {}",
                        first_line(text.get(at..).unwrap_or(""))
                    ),
                    "close the quote; a quoted value may span several lines",
                ),
                ValueError::Template(at, e) => {
                    let value = first_line(text.get(at..).unwrap_or(""));
                    let message = match e {
                        TemplateError::Invalid => format!("Invalid template: {value:?}"),
                        TemplateError::Required { name, reason } if reason.is_empty() => {
                            format!("required variable {name} is missing a value")
                        }
                        TemplateError::Required { name, reason } => {
                            format!("required variable {name} is missing a value: {reason}")
                        }
                        TemplateError::TooDeep => "interpolation defaults nest too deeply".into(),
                    };
                    fail(
                        at,
                        message,
                        "a literal `$` is written `$$` (or `\\$` in double quotes, or use single \
                     quotes)",
                    )
                }
            })?;
        let start = cursor.pos(text, key.rest);
        let end_pos = cursor.pos(text, end);
        env.set(Located {
            name: key.name,
            value,
            written: text.get(key.rest..end).map(str::to_string),
            span: Span::new(start, end_pos),
        });
        pos = next;
    }
    Ok(env.vars)
}

/// Line and column of byte offsets that only grow (one pass over the text, not a count
/// from the start for every variable).
#[derive(Default)]
struct Cursor {
    offset: usize,
    line: u32,
    line_start: usize,
}

impl Cursor {
    /// The position of byte `at` (at or after every earlier call's).
    fn pos(&mut self, text: &str, at: usize) -> Pos {
        if self.line == 0 {
            self.line = 1;
        }
        if at > self.offset {
            let seen = text.get(self.offset..at).unwrap_or("");
            for (i, b) in seen.bytes().enumerate() {
                if b == b'\n' {
                    self.line = self.line.saturating_add(1);
                    self.line_start = self.offset + i + 1;
                }
            }
            self.offset = at;
        }
        let column = text
            .get(self.line_start..at)
            .map_or(0, |l| l.chars().count());
        Pos::new(
            self.line,
            u32::try_from(column).map_or(u32::MAX, |c| c.saturating_add(1)),
        )
    }
}

/// The variables read so far: definition order, last value wins.
#[derive(Default)]
struct Env {
    vars: Vec<Located>,
    index: HashMap<String, usize>,
}

impl Env {
    fn set(&mut self, var: Located) {
        match self.index.get(&var.name) {
            Some(&i) => {
                if let Some(slot) = self.vars.get_mut(i) {
                    slot.value = var.value;
                    slot.written = var.written;
                    slot.span = var.span;
                }
            }
            None => {
                self.index.insert(var.name.clone(), self.vars.len());
                self.vars.push(var);
            }
        }
    }

    fn get(&self, key: &str) -> Option<String> {
        let &i = self.index.get(key)?;
        self.vars.get(i).map(|v| v.value.clone())
    }
}

fn error(path: &str, text: &str, at: usize, message: String, hint: &str) -> Diagnostic {
    let head = text.get(..at).unwrap_or(text);
    let line = head.matches('\n').count() + 1;
    let start = head.rfind('\n').map_or(0, |i| i + 1);
    let len = text
        .get(start..)
        .map_or(0, |l| first_line(l).trim_end_matches('\r').chars().count());
    let line = u32::try_from(line).unwrap_or(u32::MAX);
    let end = u32::try_from(len).unwrap_or(u32::MAX).saturating_add(1);
    Diagnostic {
        path: path.to_string(),
        span: Some(Span::new(Pos::new(line, 1), Pos::new(line, end))),
        message: format!("line {line}: {message}"),
        hint: Some(hint.to_string()),
    }
}

fn first_line(s: &str) -> &str {
    s.split('\n').next().unwrap_or(s)
}

/// compose-go's `isSpace`: blanks but not the line feed.
fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\u{B}' | '\u{C}' | '\r' | ' ' | '\u{85}' | '\u{A0}'
    )
}

/// Where the next statement starts at or after `pos`, skipping blank and comment lines
/// (`text.len()` when there is none).
fn statement_start(text: &str, mut pos: usize) -> usize {
    loop {
        let Some(rest) = text.get(pos..) else {
            return text.len();
        };
        let Some(off) = rest.find(|c: char| !c.is_whitespace()) else {
            return text.len();
        };
        pos += off;
        if !rest.get(off..).is_some_and(|s| s.starts_with('#')) {
            return pos;
        }
        match text.get(pos..).and_then(|s| s.find('\n')) {
            Some(nl) => pos += nl,
            None => return text.len(),
        }
    }
}

struct Key {
    name: String,
    /// `KEY` alone on its line: takes the caller's value.
    inherited: bool,
    /// Where the value starts (or the next statement, for an inherited key).
    rest: usize,
}

/// compose-go's `locateKeyName`. The error is the offending character and the line.
fn locate_key(text: &str, pos: usize) -> Result<Key, (char, String)> {
    let mut base = pos;
    let mut src = text.get(pos..).unwrap_or("");
    // `^export\s+` (Go's `\s` is ASCII: tab, line feed, form feed, carriage return, space).
    if let Some(after) = src.strip_prefix("export") {
        if after.starts_with(['\t', '\n', '\u{C}', '\r', ' ']) {
            let trimmed = after.trim_start_matches(is_space);
            base += src.len() - trimmed.len();
            src = trimmed;
        }
    }
    let mut found = None;
    for (i, c) in src.char_indices() {
        if is_space(c) {
            continue;
        }
        match c {
            '=' | ':' | '\n' => {
                found = Some((i, c == '\n'));
                break;
            }
            '_' | '.' | '-' | '[' | ']' => {}
            c if c.is_alphabetic() || c.is_numeric() => {}
            c => return Err((c, first_line(src).to_string())),
        }
    }
    // No `=`, `:` or line feed before the end: compose-go leaves the key empty and reads the
    // whole statement as its value.
    let (name, offset, inherited) = match found {
        Some((i, inherited)) => (src.get(..i).unwrap_or(""), i + 1, inherited),
        None => ("", 0, false),
    };
    let name = name.trim_end_matches(char::is_whitespace).to_string();
    let value = src.get(offset..).unwrap_or("");
    let rest = base + offset + (value.len() - value.trim_start_matches(is_space).len());
    Ok(Key {
        name,
        inherited,
        rest,
    })
}

enum ValueError {
    /// The quote opening at this byte is never closed.
    Unterminated(usize),
    /// The value starting at this byte cannot be interpolated.
    Template(usize, TemplateError),
}

/// compose-go's `extractVarValue`: the value at `pos` and where parsing continues.
fn extract_value(
    text: &str,
    pos: usize,
    env: &Env,
    vars: &dyn Fn(&str) -> Option<String>,
) -> Result<(String, usize, usize), ValueError> {
    let src = text.get(pos..).unwrap_or("");
    let lookup = |k: &str| vars(k).or_else(|| env.get(k));
    let expand = |value: &str| {
        substitute(value, &lookup, &mut Vec::new(), 0).map_err(|e| ValueError::Template(pos, e))
    };
    let quote = match src.as_bytes().first() {
        Some(&q @ (b'"' | b'\'')) => q,
        _ => {
            let (line, next) = match src.find('\n') {
                Some(nl) => (src.get(..nl).unwrap_or(""), pos + nl + 1),
                None => (src, text.len()),
            };
            // An inline comment needs a space before its `#`.
            let value = line.split(" #").next().unwrap_or(line);
            let value = value.trim_end_matches(char::is_whitespace);
            return Ok((expand(value)?, next, pos + value.len()));
        }
    };
    let bytes = src.as_bytes();
    let mut chars = Vec::new();
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate().skip(1) {
        if b != quote {
            if !escaped && b == b'\\' {
                escaped = true;
                continue;
            }
            if escaped {
                escaped = false;
                chars.push(b'\\');
            }
            chars.push(b);
            continue;
        }
        // `\"` in double quotes, `\'` in single quotes: the quote itself.
        if escaped {
            escaped = false;
            chars.push(b);
            continue;
        }
        let value = String::from_utf8_lossy(&chars).into_owned();
        let value = if quote == b'"' {
            expand(&expand_escapes(&value))?
        } else {
            value
        };
        return Ok((value, pos + i + 1, pos + i + 1));
    }
    Err(ValueError::Unterminated(pos))
}

/// compose-go's `expandEscapes`: the escapes matched by `\\(?:[abcfnrtv$"\\]|0\d{0,3})`,
/// decoded as Go's `strconv.UnquoteChar` would (`\0ddd` as octal `\ddd`); `\$` becomes `$$`
/// so that interpolation leaves a literal `$`. Anything Go cannot decode stays as written.
fn expand_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('\\') {
        out.push_str(rest.get(..i).unwrap_or(""));
        let after = rest.get(i + 1..).unwrap_or("");
        let Some(c) = after.chars().next() else {
            out.push('\\');
            rest = "";
            break;
        };
        let (replacement, used): (Option<String>, usize) = match c {
            'a' => (Some("\u{7}".into()), 1),
            'b' => (Some("\u{8}".into()), 1),
            'f' => (Some("\u{C}".into()), 1),
            'n' => (Some("\n".into()), 1),
            'r' => (Some("\r".into()), 1),
            't' => (Some("\t".into()), 1),
            'v' => (Some("\u{B}".into()), 1),
            '"' => (Some("\"".into()), 1),
            '\\' => (Some("\\".into()), 1),
            '$' => (Some("$$".into()), 1),
            // Matched by the regex but not an escape Go decodes: kept.
            'c' => (None, 1),
            '0' => {
                let digits = after
                    .get(1..)
                    .unwrap_or("")
                    .bytes()
                    .take(3)
                    .take_while(u8::is_ascii_digit)
                    .count();
                let octal = after.get(1..1 + digits).unwrap_or("");
                let value = (digits == 3)
                    .then(|| u32::from_str_radix(octal, 8).ok())
                    .flatten()
                    .filter(|&v| v <= 255)
                    .and_then(char::from_u32);
                (value.map(String::from), 1 + digits)
            }
            _ => {
                // Not an escape: the backslash stays and scanning goes on after it.
                out.push('\\');
                rest = after;
                continue;
            }
        };
        match replacement {
            Some(r) => out.push_str(&r),
            None => {
                out.push('\\');
                out.push_str(after.get(..used).unwrap_or(""));
            }
        }
        rest = after.get(used..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests;
