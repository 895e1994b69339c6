//! Compose variable interpolation (`${VAR:-default}`), exactly as compose-go's `template`
//! package does it, because what a service really runs with depends on it: an image tag, a
//! published port or a `privileged: ${PRIV:-false}` is only known after substitution.
//!
//! compose-go matches `\$(?i:(?P<escaped>\$)|(?P<named>[_a-z][_a-z0-9]*)|{(?:(?P<braced>
//! [_a-z][_a-z0-9]*(?::?[-+?](.*))?)}|(?P<invalid>)))` and then cuts a braced match at its
//! first balanced `}`. This module scans by hand with the same outcome (the greedy `.*` runs
//! to the last `}` of the line, the cut counts braces the way `getFirstBraceClosingIndex`
//! does), but iteratively: compose-go recurses on what follows the cut, which a long line
//! could turn into a deep recursion. Defaults and error messages are substituted lazily, only
//! when used, as compose-go does; their nesting is bounded.
//!
//! Only scalar *values* are interpolated, never mapping keys (compose-go interpolates the
//! decoded values of the model).

use super::Diagnostic;
use crate::yaml::{Node, NodeKind};

/// How deep defaults may nest (`${A:-${B:-${C}}}`): each level is a recursion.
const MAX_NESTING: usize = 32;

/// Interpolates every scalar value under `node` with `vars` (`None` = unset). A changed
/// scalar keeps its text as written in `Scalar::original`. Returns one warning per unset
/// variable used without a default; the error is the first invalid template or missing
/// required variable (`${X:?msg}`), in document order.
pub fn interpolate(
    node: &mut Node,
    vars: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Diagnostic>, Diagnostic> {
    let mut warnings = Vec::new();
    let mut stack: Vec<(&mut Node, String)> = vec![(node, String::new())];
    while let Some((node, path)) = stack.pop() {
        let file = node.file.to_string();
        let span = node.span;
        match &mut node.kind {
            NodeKind::Scalar(scalar) => {
                if !scalar.text.contains('$') {
                    continue;
                }
                let mut unset = Vec::new();
                let text = substitute(&scalar.text, vars, &mut unset, 0).map_err(|e| {
                    let (message, hint) = e.describe(&path, &scalar.text);
                    Diagnostic {
                        path: file.clone(),
                        span: Some(span),
                        message,
                        hint: Some(hint),
                    }
                })?;
                warnings.extend(unset.into_iter().map(|name| Diagnostic {
                    path: file.clone(),
                    span: Some(span),
                    message: format!(
                        "The {name:?} variable is not set. Defaulting to a blank string."
                    ),
                    hint: Some(format!(
                        "set {name} in the environment or the .env file, or give a default: \
                         ${{{name}:-value}}"
                    )),
                }));
                if text != scalar.text {
                    let written = std::mem::replace(&mut scalar.text, text);
                    if scalar.original.is_none() {
                        scalar.original = Some(written);
                    }
                }
            }
            NodeKind::Seq(items) => {
                let child = next_path(&path, "[]");
                for item in items.iter_mut().rev() {
                    stack.push((item, child.clone()));
                }
            }
            NodeKind::Map(entries) => {
                for (key, value) in entries.iter_mut().rev() {
                    let name = key.as_scalar().map_or("?", |s| s.text.as_str());
                    stack.push((value, next_path(&path, name)));
                }
            }
        }
    }
    Ok(warnings)
}

/// compose-go's `tree.Path`: keys joined with `.`, list items as `[]`.
fn next_path(path: &str, part: &str) -> String {
    if path.is_empty() {
        part.to_string()
    } else {
        format!("{path}.{part}")
    }
}

/// Why a template cannot be substituted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TemplateError {
    /// `${`, `${}`, `${ x}`, `${x!}`, an unclosed `${x:-…`.
    Invalid,
    /// `${X:?reason}` with X unset or empty, `${X?reason}` with X unset.
    Required { name: String, reason: String },
    /// Defaults nested deeper than [`MAX_NESTING`].
    TooDeep,
}

impl TemplateError {
    /// compose-go's message for the value at `path` (dotted), and a hint.
    fn describe(&self, path: &str, template: &str) -> (String, String) {
        match self {
            TemplateError::Invalid => (
                format!("invalid interpolation format for {path}: {template:?}"),
                "you may need to escape any $ with another $ (`$$` is a literal `$`)".into(),
            ),
            TemplateError::Required { name, reason } => (
                format!(
                    "error while interpolating {path}: {}",
                    required_message(name, reason)
                ),
                format!("set {name} in the environment or the .env file"),
            ),
            TemplateError::TooDeep => (
                format!(
                    "error while interpolating {path}: defaults nest more than {MAX_NESTING} \
                     levels deep"
                ),
                "simplify the nested `${VAR:-${OTHER}}` defaults".into(),
            ),
        }
    }
}

/// `MissingRequiredError.Error()`.
fn required_message(name: &str, reason: &str) -> String {
    if reason.is_empty() {
        format!("required variable {name} is missing a value")
    } else {
        format!("required variable {name} is missing a value: {reason}")
    }
}

/// The operator of a braced substitution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// `:-` default when unset or empty.
    DefaultIfEmpty,
    /// `-` default when unset.
    DefaultIfUnset,
    /// `:+` replacement when set and not empty.
    AltIfNonEmpty,
    /// `+` replacement when set.
    AltIfSet,
    /// `:?` error when unset or empty.
    RequiredNonEmpty,
    /// `?` error when unset.
    Required,
}

/// What a `$` starts.
#[derive(Debug, PartialEq, Eq)]
enum Token<'t> {
    /// Not a template (`$`, `$1`, `$}`): kept as is.
    Literal,
    /// `$$`.
    Escaped,
    /// `$NAME` or `${NAME}`, ending at byte `end`.
    Var {
        name: &'t str,
        end: usize,
    },
    /// `${NAME<op>…}`: the argument starts at `arg`; the regex match ends at `end` (after the
    /// last `}` of the line).
    Braced {
        name: &'t str,
        op: Op,
        arg: usize,
        end: usize,
    },
    Invalid,
}

/// `[_a-z]` under `(?i)`: Go's case folding also maps `ſ` to `s` and the Kelvin sign to `k`.
fn is_name_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic() || c == '\u{17F}' || c == '\u{212A}'
}

fn is_name_char(c: char) -> bool {
    is_name_start(c) || c.is_ascii_digit()
}

/// Length in bytes of the name starting at `s`, 0 if none.
fn name_len(s: &str) -> usize {
    let mut chars = s.char_indices();
    match chars.next() {
        Some((_, c)) if is_name_start(c) => {}
        _ => return 0,
    }
    chars
        .find(|&(_, c)| !is_name_char(c))
        .map_or(s.len(), |(i, _)| i)
}

/// Parses the operator at the start of `s` (`:?[-+?]`), with its length.
pub(crate) fn parse_op(s: &str) -> Option<(Op, usize)> {
    let b = s.as_bytes();
    let (colon, rest) = match b.first() {
        Some(b':') => (true, b.get(1)),
        first => (false, first),
    };
    let op = match (colon, rest) {
        (true, Some(b'-')) => Op::DefaultIfEmpty,
        (false, Some(b'-')) => Op::DefaultIfUnset,
        (true, Some(b'+')) => Op::AltIfNonEmpty,
        (false, Some(b'+')) => Op::AltIfSet,
        (true, Some(b'?')) => Op::RequiredNonEmpty,
        (false, Some(b'?')) => Op::Required,
        _ => return None,
    };
    Some((op, if colon { 2 } else { 1 }))
}

/// The last `}` of the current line, remembered so that many substitutions on one long line
/// do not each search to its end.
#[derive(Default)]
struct LineCache {
    /// The line was searched from `start` to `end` (its line feed or the end of the text).
    start: usize,
    end: usize,
    last_close: Option<usize>,
}

impl LineCache {
    /// The last `}` at or after `from` and before the end of its line.
    fn last_close(&mut self, t: &str, from: usize) -> Option<usize> {
        if from < self.start || from >= self.end {
            let rest = t.get(from..).unwrap_or("");
            let len = rest.find('\n').unwrap_or(rest.len());
            self.start = from;
            self.end = from + len;
            self.last_close = rest.get(..len).and_then(|l| l.rfind('}')).map(|c| from + c);
            if len == 0 {
                return None;
            }
        }
        self.last_close.filter(|&c| c >= from)
    }
}

/// What the `$` at byte `at` of `t` starts.
fn token_at<'t>(t: &'t str, at: usize, lines: &mut LineCache) -> Token<'t> {
    let after = t.get(at + 1..).unwrap_or("");
    if after.starts_with('$') {
        return Token::Escaped;
    }
    let n = name_len(after);
    if n > 0 {
        return Token::Var {
            name: after.get(..n).unwrap_or(""),
            end: at + 1 + n,
        };
    }
    let Some(inner) = after.strip_prefix('{') else {
        return Token::Literal;
    };
    let inner_at = at + 2;
    let n = name_len(inner);
    if n == 0 {
        return Token::Invalid;
    }
    let name = inner.get(..n).unwrap_or("");
    let after_name = inner.get(n..).unwrap_or("");
    if after_name.starts_with('}') {
        return Token::Var {
            name,
            end: inner_at + n + 1,
        };
    }
    let Some((op, op_len)) = parse_op(after_name) else {
        return Token::Invalid;
    };
    let arg = inner_at + n + op_len;
    // `(.*)}`: `.` stops at a line feed and `.*` is greedy, so the match runs to the last
    // `}` before the end of the line.
    match lines.last_close(t, arg) {
        Some(close) => Token::Braced {
            name,
            op,
            arg,
            end: close + 1,
        },
        None => Token::Invalid,
    }
}

/// compose-go's `getFirstBraceClosingIndex`, quirk included: the character after a `{` is
/// skipped.
fn first_brace_closing(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut open = 0i64;
    let mut i = 0;
    while i < b.len() {
        match b.get(i) {
            Some(b'}') => {
                open -= 1;
                if open == 0 {
                    return Some(i);
                }
            }
            Some(b'{') => {
                open += 1;
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Substitutes the variables of one template. Unset variables read without a default are
/// appended to `unset` (compose's warning).
pub(crate) fn substitute(
    t: &str,
    vars: &dyn Fn(&str) -> Option<String>,
    unset: &mut Vec<String>,
    depth: usize,
) -> Result<String, TemplateError> {
    if depth > MAX_NESTING {
        return Err(TemplateError::TooDeep);
    }
    let mut out = String::with_capacity(t.len());
    let mut lines = LineCache::default();
    let mut i = 0;
    while let Some(offset) = t.get(i..).and_then(|rest| rest.find('$')) {
        let at = i + offset;
        out.push_str(t.get(i..at).unwrap_or(""));
        match token_at(t, at, &mut lines) {
            Token::Literal => {
                out.push('$');
                i = at + 1;
            }
            Token::Escaped => {
                out.push('$');
                i = at + 2;
            }
            Token::Var { name, end } => {
                match vars(name) {
                    Some(value) => out.push_str(&value),
                    None => unset.push(name.to_string()),
                }
                i = end;
            }
            Token::Invalid => return Err(TemplateError::Invalid),
            Token::Braced { name, op, arg, end } => {
                // compose-go cuts the match at its first balanced `}` and substitutes what
                // follows separately; that text is scanned by this loop instead.
                let cut = t
                    .get(at..end)
                    .and_then(first_brace_closing)
                    .map_or(end, |c| at + c + 1);
                let arg = t.get(arg..cut.saturating_sub(1)).unwrap_or("");
                out.push_str(&apply(name, op, arg, vars, unset, depth)?);
                i = cut;
            }
        }
    }
    out.push_str(t.get(i..).unwrap_or(""));
    Ok(out)
}

/// One braced substitution with an operator; `arg` is substituted only when used.
fn apply(
    name: &str,
    op: Op,
    arg: &str,
    vars: &dyn Fn(&str) -> Option<String>,
    unset: &mut Vec<String>,
    depth: usize,
) -> Result<String, TemplateError> {
    let value = vars(name);
    let nested = |unset: &mut Vec<String>| substitute(arg, vars, unset, depth + 1);
    match op {
        Op::DefaultIfEmpty | Op::DefaultIfUnset => {
            let use_default = match &value {
                None => true,
                Some(v) => op == Op::DefaultIfEmpty && v.is_empty(),
            };
            if use_default {
                nested(unset)
            } else {
                Ok(value.unwrap_or_default())
            }
        }
        Op::AltIfNonEmpty | Op::AltIfSet => {
            let use_alt = match &value {
                None => false,
                Some(v) => op == Op::AltIfSet || !v.is_empty(),
            };
            if use_alt {
                nested(unset)
            } else {
                Ok(value.unwrap_or_default())
            }
        }
        Op::RequiredNonEmpty | Op::Required => {
            let missing = match &value {
                None => true,
                Some(v) => op == Op::RequiredNonEmpty && v.is_empty(),
            };
            if missing {
                let reason = nested(unset)?;
                Err(TemplateError::Required {
                    name: name.to_string(),
                    reason,
                })
            } else {
                Ok(value.unwrap_or_default())
            }
        }
    }
}

#[cfg(test)]
mod tests;
