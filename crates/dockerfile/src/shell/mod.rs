//! Shell-word lexing and variable expansion exactly as BuildKit does it.
//!
//! A re-implementation in Rust of BuildKit's `frontend/dockerfile/shell/lex.go`
//! (moby/buildkit, Apache-2.0), behaviour for behaviour, including its quirks:
//!
//! * `$name`, `${name}`, `${name:-w}`, `${name-w}`, `${name:+w}`, `${name+w}`, `${name:?msg}`,
//!   `${name?msg}`, `${name#p}`, `${name##p}`, `${name%p}`, `${name%%p}`, `${name/p/r}`,
//!   `${name//p/r}`; `$1` style digits and the special parameters `$@ $* $# $? $- $$ $! $0` (never
//!   set, so they expand to nothing);
//! * single quotes are literal, double quotes expand `$` and let the escape token escape only
//!   `"`, `$` and itself; the escape token outside quotes escapes any character;
//! * [`Lex::process_words`] splits the result into words *after* expansion, except inside
//!   quotes; a quirk kept on purpose: a nested `${…}` operand resets the word being built, as
//!   BuildKit's shared word buffer does;
//! * `<<` followed by blanks is kept together (heredoc detection needs `<< EOF` as one word).
//!
//! The options mirror BuildKit's `Lex` fields: `raw_quotes` keeps quote characters in the
//! output, `raw_escapes` keeps escape tokens, `skip_unset_env` leaves references to unset
//! variables as written, `skip_process_quotes` treats quotes as ordinary characters.

pub mod chars;
pub mod pattern;

use std::collections::{HashMap, HashSet};

/// How deep `${…}` substitutions may nest (`${A:-${B:-${C}}}` is 3). Each level is a
/// recursion of the lexer, so without a bound a hostile line (11,000 levels fit on one)
/// overflows the stack; BuildKit's Go stack just grows. Real Dockerfiles nest two or three
/// levels; the parser refuses deeper lines up front with a positioned error
/// (`parser::typed`), this bound only keeps the lexer itself safe for any caller. The same
/// bound as compose interpolation (`plimsoll-runspec`).
pub const MAX_NESTING: usize = 32;

/// The most variable text one expansion may copy in (256 KiB, four times BuildKit's longest
/// line). References multiply: `ENV B=$A$A…` then `ENV C=$B$B…` grows exponentially from a
/// few lines, and BuildKit would follow until it runs out of memory. Past this bound the
/// expansion fails (the value is then unknown to the rules) instead.
pub const MAX_EXPANSION: usize = 256 << 10;

/// The bytes of variable values one file's scopes may store (16 MiB; real files store
/// kilobytes): past it a value is recorded as unknown. A file's scopes
/// ([`crate::analysis::variables::Vars`]) have it twice: for the rules' values and for values
/// as built.
pub const VALUE_BUDGET: usize = 16 << 20;

/// The bytes of variable values one file's expansions may copy in total (32 MiB; real files
/// copy kilobytes); see [`Env::charge`].
pub const COPY_BUDGET: usize = 32 << 20;

/// Takes `len` from a shared budget; `false` (taking nothing) when not that much is left.
pub(crate) fn take(budget: &std::sync::atomic::AtomicUsize, len: usize) -> bool {
    use std::sync::atomic::Ordering;
    budget
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
            left.checked_sub(len)
        })
        .is_ok()
}

/// Variables visible to an expansion.
pub trait Env {
    /// The value of `name`, or `None` when it is not set (set-but-empty is `Some("")`).
    fn get(&self, name: &str) -> Option<&str>;

    /// A plimsoll extension: `name` has a value only known at build time (an `ARG` without
    /// default, a platform `ARG`, a variable from the base image's config). References to
    /// such variables are kept as written, like BuildKit's `SkipUnsetEnv` does, and listed
    /// in [`Processed::unknown`].
    fn is_unknown(&self, _name: &str) -> bool {
        false
    }

    /// A plimsoll extension: takes `bytes` of variable text about to be copied into an
    /// expansion from a budget the environment keeps for a whole file; `false` when it is
    /// spent (the expansion then fails). Each expansion is bounded by [`MAX_EXPANSION`], but
    /// a file can repeat one that copies a large value on every line.
    fn charge(&self, _bytes: usize) -> bool {
        true
    }
}

/// No variables at all.
pub struct NoEnv;

impl Env for NoEnv {
    fn get(&self, _name: &str) -> Option<&str> {
        None
    }
}

impl Env for HashMap<String, String> {
    fn get(&self, name: &str) -> Option<&str> {
        HashMap::get(self, name).map(String::as_str)
    }
}

/// `NAME=value` pairs; a later pair wins, a pair without `=` is set and empty (as BuildKit's
/// `EnvsFromSlice`).
impl Env for [(String, String)] {
    fn get(&self, name: &str) -> Option<&str> {
        self.iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Env for Vec<(String, String)> {
    fn get(&self, name: &str) -> Option<&str> {
        Env::get(self.as_slice(), name)
    }
}

impl<E: Env + ?Sized> Env for &E {
    fn get(&self, name: &str) -> Option<&str> {
        (**self).get(name)
    }
    fn is_unknown(&self, name: &str) -> bool {
        (**self).is_unknown(name)
    }
    fn charge(&self, bytes: usize) -> bool {
        (**self).charge(bytes)
    }
}

/// Why an expansion failed (the message BuildKit gives, without its `failed to process` prefix).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LexError {
    pub message: String,
}

impl LexError {
    fn new(message: impl Into<String>) -> Self {
        LexError {
            message: message.into(),
        }
    }
}

/// The result of one expansion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Processed {
    /// The expanded word (quotes removed unless `raw_quotes`).
    pub result: String,
    /// The words after splitting (only meaningful for [`Lex::process_words`]).
    pub words: Vec<String>,
    /// Variables referenced and set, in order of first use.
    pub matched: Vec<String>,
    /// Variables referenced but not set, in order of first use (includes `unknown`).
    pub unmatched: Vec<String>,
    /// Variables referenced whose value is only known at build time ([`Env::is_unknown`]).
    pub unknown: Vec<String>,
}

/// BuildKit's shell lexer configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lex {
    pub escape: char,
    pub raw_quotes: bool,
    pub raw_escapes: bool,
    pub skip_process_quotes: bool,
    pub skip_unset_env: bool,
}

impl Lex {
    /// A lexer with the given escape token (`\` or `` ` ``) and all options off.
    pub fn new(escape: char) -> Self {
        Lex {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_process_quotes: false,
            skip_unset_env: false,
        }
    }

    /// Expands `word` as one word (BuildKit `ProcessWordWithMatches`).
    pub fn process_word(&self, word: &str, env: &dyn Env) -> Result<Processed, LexError> {
        self.process(word, env)
    }

    /// Expands `word` and splits it into words (BuildKit `ProcessWords`).
    pub fn process_words(&self, word: &str, env: &dyn Env) -> Result<Vec<String>, LexError> {
        self.process(word, env).map(|p| p.words)
    }

    fn process(&self, word: &str, env: &dyn Env) -> Result<Processed, LexError> {
        match self.process_plain(word) {
            Some(plain) => Ok(plain),
            None => self.process_general(word, env),
        }
    }

    /// The full lexer, for any word.
    fn process_general(&self, word: &str, env: &dyn Env) -> Result<Processed, LexError> {
        let mut sw = ShellWord {
            lex: self,
            src: word,
            // Go's text/scanner ignores a byte-order mark at the very start.
            pos: if word.starts_with('\u{feff}') { 3 } else { 0 },
            env,
            raw_escapes: self.raw_escapes,
            words_buf: String::new(),
            matched: Vec::new(),
            unmatched: Vec::new(),
            unknown: Vec::new(),
            seen: HashSet::new(),
            depth: 0,
            copied: 0,
        };
        let (result, words) = sw.process_stop_on(None, self.raw_escapes)?;
        Ok(Processed {
            result,
            words,
            matched: sw.matched,
            unmatched: sw.unmatched,
            unknown: sw.unknown,
        })
    }

    /// The result for a word with nothing to expand, unquote or unescape (no `$`, quote,
    /// escape token, `<` or byte-order mark): the word itself, split at white space. Most
    /// words are like that, and the general path costs a scan with allocations per
    /// character; both give the same result for such words.
    fn process_plain(&self, word: &str) -> Option<Processed> {
        let quotes = !self.skip_process_quotes;
        let special = |c: char| {
            c == '$' || c == '<' || c == self.escape || (quotes && (c == '\'' || c == '"'))
        };
        if word.starts_with('\u{feff}') || word.contains(special) {
            return None;
        }
        Some(Processed {
            result: word.to_string(),
            words: word
                .split(chars::is_space)
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect(),
            ..Processed::default()
        })
    }
}

/// Words being split out of an expansion. The buffer of the word in progress is shared by all
/// nesting levels (BuildKit's `shellWord.wordsBuffer`), which is why it is passed in.
#[derive(Default)]
struct Words {
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, buf: &mut String, ch: char) {
        if chars::is_space(ch) {
            if self.in_word && !buf.is_empty() {
                self.words.push(std::mem::take(buf));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(buf, ch);
        }
    }

    fn add_raw_char(&mut self, buf: &mut String, ch: char) {
        buf.push(ch);
        self.in_word = true;
    }

    fn add_string(&mut self, buf: &mut String, s: &str) {
        for ch in s.chars() {
            self.add_char(buf, ch);
        }
    }

    fn add_raw_string(&mut self, buf: &mut String, s: &str) {
        buf.push_str(s);
        self.in_word = true;
    }

    fn finish(mut self, buf: &mut String) -> Vec<String> {
        if !buf.is_empty() {
            self.words.push(std::mem::take(buf));
        }
        self.words
    }
}

struct ShellWord<'a> {
    lex: &'a Lex,
    src: &'a str,
    pos: usize,
    env: &'a dyn Env,
    raw_escapes: bool,
    words_buf: String,
    matched: Vec<String>,
    unmatched: Vec<String>,
    unknown: Vec<String>,
    /// Names already recorded, `(matched?, name)`, so recording stays linear.
    seen: HashSet<(bool, String)>,
    /// How many `${…}` substitutions enclose the current position.
    depth: usize,
    /// Bytes of variable values copied in so far (bounded by [`MAX_EXPANSION`]).
    copied: usize,
}

impl ShellWord<'_> {
    /// Whether a reference to the unset variable `name` stays as written.
    fn keep_unset(&mut self, name: &str) -> bool {
        if self.env.is_unknown(name) {
            // Names never contain NUL, so "\0name" marks "recorded as unknown".
            if self.seen.insert((true, format!("\0{name}"))) {
                self.unknown.push(name.to_string());
            }
            return true;
        }
        self.lex.skip_unset_env
    }

    #[inline]
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    #[inline]
    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// Processes up to `stop` (consumed) or the end; returns the expanded text and its words.
    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Result<(String, Vec<String>), LexError> {
        let saved = self.raw_escapes;
        self.raw_escapes = raw_escapes;
        let r = self.process_stop_on_inner(stop);
        self.raw_escapes = saved;
        r
    }

    fn process_stop_on_inner(
        &mut self,
        stop: Option<char>,
    ) -> Result<(String, Vec<String>), LexError> {
        let mut result = String::new();
        self.words_buf.clear();
        let mut words = Words::default();
        let quotes = !self.lex.skip_process_quotes;
        while let Some(ch) = self.peek() {
            if stop == Some(ch) {
                self.next();
                return Ok((result, words.finish(&mut self.words_buf)));
            }
            match ch {
                '$' => {
                    let tmp = self.process_dollar()?;
                    result.push_str(&tmp);
                    words.add_string(&mut self.words_buf, &tmp);
                }
                '<' => {
                    let tmp = self.process_possible_heredoc();
                    result.push_str(&tmp);
                    words.add_raw_string(&mut self.words_buf, &tmp);
                }
                '\'' if quotes => {
                    let tmp = self.process_single_quote()?;
                    result.push_str(&tmp);
                    words.add_raw_string(&mut self.words_buf, &tmp);
                }
                '"' if quotes => {
                    let tmp = self.process_double_quote()?;
                    result.push_str(&tmp);
                    words.add_raw_string(&mut self.words_buf, &tmp);
                }
                _ => {
                    self.next();
                    if ch == self.lex.escape {
                        if self.raw_escapes {
                            words.add_raw_char(&mut self.words_buf, ch);
                            result.push(ch);
                        }
                        // The escape token escapes the next character; at the end it vanishes.
                        let Some(escaped) = self.next() else { break };
                        words.add_raw_char(&mut self.words_buf, escaped);
                        result.push(escaped);
                    } else {
                        words.add_char(&mut self.words_buf, ch);
                        result.push(ch);
                    }
                }
            }
        }
        if let Some(stop) = stop {
            return Err(LexError::new(format!(
                "unexpected end of statement while looking for matching {stop}"
            )));
        }
        Ok((result, words.finish(&mut self.words_buf)))
    }

    fn process_single_quote(&mut self) -> Result<String, LexError> {
        let mut result = String::new();
        let open = self.next();
        if self.lex.raw_quotes {
            result.extend(open);
        }
        loop {
            match self.next() {
                None => {
                    return Err(LexError::new(
                        "unexpected end of statement while looking for matching single-quote",
                    ))
                }
                Some('\'') => {
                    if self.lex.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(c) => result.push(c),
            }
        }
    }

    fn process_double_quote(&mut self) -> Result<String, LexError> {
        let mut result = String::new();
        let open = self.next();
        if self.lex.raw_quotes {
            result.extend(open);
        }
        loop {
            match self.peek() {
                None => {
                    return Err(LexError::new(
                        "unexpected end of statement while looking for matching double-quote",
                    ))
                }
                Some('"') => {
                    self.next();
                    if self.lex.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let value = self.process_dollar()?;
                    result.push_str(&value);
                }
                Some(_) => {
                    let mut ch = self.next().unwrap_or_default();
                    if ch == self.lex.escape {
                        if self.raw_escapes {
                            result.push(ch);
                        }
                        match self.peek() {
                            // A trailing escape is dropped; the loop then reports the missing quote.
                            None => continue,
                            Some(c) if c == '"' || c == '$' || c == self.lex.escape => {
                                ch = c;
                                self.next();
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(ch);
                }
            }
        }
    }

    fn process_dollar(&mut self) -> Result<String, LexError> {
        self.next(); // '$'
        if self.peek() != Some('{') {
            let name = self.process_name();
            if name.is_empty() {
                return Ok("$".to_string());
            }
            return Ok(match self.get_env(&name)? {
                Some(v) => v,
                None if self.keep_unset(&name) => format!("${name}"),
                None => String::new(),
            });
        }
        self.next(); // '{'
        if self.depth >= MAX_NESTING {
            return Err(LexError::new(format!(
                "variable substitutions nest more than {MAX_NESTING} levels deep"
            )));
        }
        self.depth += 1;
        let r = self.process_braced();
        self.depth -= 1;
        r
    }

    /// `${…}` after its `${`.
    fn process_braced(&mut self) -> Result<String, LexError> {
        match self.peek() {
            None => return Err(LexError::new("syntax error: missing '}'")),
            Some('{' | '}' | ':') => return Err(LexError::new("syntax error: bad substitution")),
            Some(_) => {}
        }
        let name = self.process_name();
        let mut ch = self.next();
        let mut chs = go_rune_string(ch);
        let mut null_is_unset = false;
        match ch {
            Some('}') => {
                let value = self.get_env(&name)?;
                Ok(match value {
                    Some(v) => v,
                    None if self.keep_unset(&name) => format!("${{{name}}}"),
                    None => String::new(),
                })
            }
            Some(':' | '+' | '-' | '?' | '#' | '%') => {
                if ch == Some(':') {
                    // `${name:X…}`: BuildKit falls through to the modifier handling with
                    // whatever X is, rejecting unsupported ones below.
                    null_is_unset = true;
                    ch = self.next();
                    chs.push_str(&go_rune_string(ch));
                }
                let raw_escapes = matches!(ch, Some('#' | '%'));
                if null_is_unset && raw_escapes {
                    return Err(LexError::new(format!(
                        "unsupported modifier ({chs}) in substitution"
                    )));
                }
                let word = match self.process_stop_on(Some('}'), raw_escapes) {
                    Ok((w, _)) => w,
                    Err(e) => {
                        if self.peek().is_none() {
                            return Err(LexError::new("syntax error: missing '}'"));
                        }
                        return Err(e);
                    }
                };
                let value = self.get_env(&name)?;
                if value.is_none() && self.keep_unset(&name) {
                    return Ok(format!("${{{name}{chs}{word}}}"));
                }
                let set = value.is_some();
                let value = value.unwrap_or_default();
                match ch {
                    Some('-') => Ok(if !set || (null_is_unset && value.is_empty()) {
                        word
                    } else {
                        value
                    }),
                    Some('+') => Ok(if !set || (null_is_unset && value.is_empty()) {
                        String::new()
                    } else {
                        word
                    }),
                    Some('?') => {
                        if !set {
                            let message = if word.is_empty() {
                                "is not allowed to be unset"
                            } else {
                                &word
                            };
                            return Err(LexError::new(format!("{name}: {message}")));
                        }
                        if null_is_unset && value.is_empty() {
                            let message = if word.is_empty() {
                                "is not allowed to be empty"
                            } else {
                                &word
                            };
                            return Err(LexError::new(format!("{name}: {message}")));
                        }
                        Ok(value)
                    }
                    Some(c @ ('%' | '#')) => {
                        // `%`/`#` remove the shortest match, `%%`/`##` the longest.
                        let (greedy, word) = match word.strip_prefix(c) {
                            Some(rest) => (true, rest),
                            None => (false, word.as_str()),
                        };
                        let r = if c == '%' {
                            pattern::trim_suffix(word, &value, greedy)
                        } else {
                            pattern::trim_prefix(word, &value, greedy)
                        };
                        r.map_err(LexError::new)
                    }
                    _ => Err(LexError::new(format!(
                        "unsupported modifier ({chs}) in substitution"
                    ))),
                }
            }
            Some('/') => {
                let replace_all = self.peek() == Some('/');
                if replace_all {
                    self.next();
                }
                let pat = match self.process_stop_on(Some('/'), true) {
                    Ok((w, _)) => w,
                    Err(e) => {
                        if self.peek().is_none() {
                            return Err(LexError::new("syntax error: missing '/' in ${}"));
                        }
                        return Err(e);
                    }
                };
                let replacement = match self.process_stop_on(Some('}'), true) {
                    Ok((w, _)) => w,
                    Err(e) => {
                        if self.peek().is_none() {
                            return Err(LexError::new("syntax error: missing '}'"));
                        }
                        return Err(e);
                    }
                };
                let value = self.get_env(&name)?;
                let Some(value) = value else {
                    if self.keep_unset(&name) {
                        return Ok(format!("${{{name}/{pat}/{replacement}}}"));
                    }
                    return substitute(&pat, "", &replacement, replace_all);
                };
                substitute(&pat, &value, &replacement, replace_all)
            }
            _ => Err(LexError::new(format!(
                "unsupported modifier ({chs}) in substitution"
            ))),
        }
    }

    /// A variable name: letters, digits and `_`; or a run of digits (`$10`); or one special
    /// parameter character.
    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && chars::is_digit(ch) {
                while let Some(c) = self.peek().filter(|c| chars::is_digit(*c)) {
                    self.next();
                    name.push(c);
                }
                return name;
            }
            if name.is_empty() && is_special_param(ch) {
                self.next();
                return ch.to_string();
            }
            if !chars::is_letter(ch) && !chars::is_digit(ch) && ch != '_' {
                break;
            }
            self.next();
            name.push(ch);
        }
        name
    }

    /// `<<` plus any blanks after it stay one unit, so `<< EOF` lexes as one heredoc word.
    fn process_possible_heredoc(&mut self) -> String {
        self.next();
        if self.peek() != Some('<') {
            return "<".to_string();
        }
        self.next();
        let mut out = String::from("<<");
        while let Some(c) = self.peek().filter(|c| matches!(c, '\t' | '\r' | ' ')) {
            self.next();
            out.push(c);
        }
        out
    }

    fn get_env(&mut self, name: &str) -> Result<Option<String>, LexError> {
        match self.env.get(name) {
            Some(v) => {
                if self.seen.insert((true, name.to_string())) {
                    self.matched.push(name.to_string());
                }
                self.copied = self.copied.saturating_add(v.len());
                if self.copied > MAX_EXPANSION {
                    return Err(LexError::new(format!(
                        "the expansion copies more than {} KiB of variable values",
                        MAX_EXPANSION >> 10
                    )));
                }
                if !self.env.charge(v.len()) {
                    return Err(LexError::new(
                        "the file's variable expansions copy more than their budget in total",
                    ));
                }
                Ok(Some(v.to_string()))
            }
            None => {
                if self.seen.insert((false, name.to_string())) {
                    self.unmatched.push(name.to_string());
                }
                Ok(None)
            }
        }
    }
}

/// `${name/pat/repl}` (first match, literal replacement) and `${name//pat/repl}` (all matches;
/// the replacement is a Go/`regex` template, where `$1`-style references expand to nothing).
fn substitute(pat: &str, value: &str, replacement: &str, all: bool) -> Result<String, LexError> {
    let re = pattern::shell_pattern_to_regex(pat, true, false)
        .map_err(|e| LexError::new(format!("invalid pattern ({pat}) in substitution: {e}")))?;
    if all {
        return Ok(re.replace_all(value, replacement).into_owned());
    }
    Ok(match re.find(value) {
        Some(m) => format!(
            "{}{}{}",
            &value[..m.start()],
            replacement,
            &value[m.end()..]
        ),
        None => value.to_string(),
    })
}

/// Go's `string(rune)` of a scanner result: end of input (-1) becomes U+FFFD.
fn go_rune_string(ch: Option<char>) -> String {
    ch.unwrap_or('\u{fffd}').to_string()
}

/// POSIX special parameters (never set in a Dockerfile, so they expand to nothing).
fn is_special_param(c: char) -> bool {
    matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0')
}

#[cfg(test)]
mod tests;
