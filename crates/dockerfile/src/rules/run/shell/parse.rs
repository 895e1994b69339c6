//! A recursive-descent reader for the POSIX-shell subset Dockerfile RUN commands use: quoting
//! (`'…'`, `"…"`, `$'…'`, backslash), parameter and command substitution (`$X`, `${X:-y}`,
//! `$(…)`, `` `…` ``, `<(…)`), operators (`&&`, `||`, `;`, `|`, `|&`, `&`), redirections with
//! heredocs, subshells, groups, `if`/`while`/`until`/`for`/`case`, functions and `[[ … ]]`.
//!
//! It never fails: anything it does not understand becomes words or is skipped, because a
//! linter must keep going on scripts a real shell would reject (and must never panic on
//! input). Nesting deeper than [`MAX_DEPTH`] is read but not parsed further.

use super::argv;
use super::ast::*;

/// How deep substitutions, compound commands and inline scripts may nest before the rest is
/// treated as opaque text (bounds stack use on hostile input).
pub const MAX_DEPTH: u32 = 40;

/// A character and where it came from.
pub type Ch = (char, Ix);

/// Parses `text`; character `i` of the text has position `i`.
pub fn parse_str(text: &str) -> Script {
    let chars: Vec<Ch> = text.chars().zip(0..).collect();
    parse_chars(&chars, &[], 0)
}

/// Parses a character sequence. `externals` are the bodies of heredocs whose text is not in
/// `src` (the RUN line, where BuildKit cut the bodies out), taken in order by the heredoc
/// redirections left without a body at the end.
pub fn parse_chars(src: &[Ch], externals: &[&str], depth: u32) -> Script {
    let mut p = Parser {
        src,
        i: 0,
        depth,
        peeked: None,
        pending: Vec::new(),
        bodies: Vec::new(),
    };
    let mut script = p.parse_list(0);
    // Whatever a stop condition left behind (a stray `)` at the top) is skipped and parsing
    // goes on, so nothing after it is lost.
    loop {
        match p.peek() {
            Tok::Eof => break,
            _ => {
                p.next();
                let more = p.parse_list(0);
                script.items.extend(more.items);
            }
        }
    }
    for (next_external, pending) in std::mem::take(&mut p.pending).into_iter().enumerate() {
        if let Some(text) = externals.get(next_external) {
            let body = HereBody {
                text: text.to_string(),
                pos: (0..).take(text.chars().count()).collect(),
                expand: pending.expand,
                external: Some(next_external),
            };
            if let Some(slot) = p.bodies.get_mut(pending.id) {
                *slot = Some(body);
            }
        }
    }
    let mut bodies = std::mem::take(&mut p.bodies);
    fill_script(&mut script, &mut bodies);
    script
}

/// Parses the script string of `sh -c`/`su -c` found in `cmd` (if any) and attaches it.
pub fn attach_inline(cmd: &mut SimpleCommand, depth: u32) {
    if depth >= MAX_DEPTH {
        return;
    }
    for (index, pipefail) in argv::inline_scripts(&cmd.words) {
        let Some(word) = cmd.words.get(index) else {
            continue;
        };
        let Some(chars) = inline_text(word) else {
            continue;
        };
        let script = parse_chars(&chars, &[], depth + 1);
        cmd.inline.push(Inline {
            script,
            pipefail,
            word: index,
        });
    }
}

/// The text an inner shell receives for a `-c` word: the outer shell has already replaced
/// command substitutions by their output, unknown here, so each becomes a neutral `_` (and
/// is not parsed a second time). `None` when the script is nothing but substitutions
/// (`bash -c "$(curl …)"`): its text only exists at build time.
fn inline_text(word: &Word) -> Option<Vec<Ch>> {
    let text: Vec<char> = word.text.chars().collect();
    let mut out = Vec::with_capacity(text.len());
    let mut k = 0;
    let mut known = false;
    for part in &word.parts {
        let n = match part {
            Part::Lit(s) => s.chars().count(),
            Part::Param { len, .. } | Part::Subst { len } => *len,
        };
        let end = (k + n).min(text.len());
        match part {
            Part::Subst { .. } => {
                if let Some(&p) = word.pos.get(k) {
                    out.push(('_', p));
                }
            }
            _ => {
                for (j, c) in text.iter().enumerate().take(end).skip(k) {
                    out.push((*c, word.pos.get(j).copied().unwrap_or(0)));
                }
                known |= text[k..end].iter().any(|c| !c.is_whitespace());
            }
        }
        k = end;
    }
    known.then_some(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    AndIf,
    OrIf,
    Semi,
    DSemi,
    SemiAmp,
    DSemiAmp,
    Pipe,
    PipeAmp,
    Amp,
    LParen,
    RParen,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(Word),
    Op(Op, Ix),
    Redir {
        fd: Option<u32>,
        op: RedirOp,
        start: Ix,
    },
    Newline,
    Eof,
}

static EOF: Tok = Tok::Eof;

struct Pending {
    id: usize,
    delim: String,
    strip: bool,
    expand: bool,
}

// Stop conditions for `parse_list`.
const S_RPAREN: u16 = 1;
const S_RBRACE: u16 = 2;
const S_THEN: u16 = 4;
const S_ELSE: u16 = 8;
const S_DO: u16 = 16;
const S_DONE: u16 = 32;
const S_ESAC: u16 = 64;
const S_CASE_END: u16 = 128;

const RESERVED: [&str; 8] = ["}", "then", "else", "elif", "fi", "do", "done", "esac"];

struct Parser<'a> {
    src: &'a [Ch],
    i: usize,
    depth: u32,
    peeked: Option<Tok>,
    pending: Vec<Pending>,
    bodies: Vec<Option<HereBody>>,
}

/// Word under construction.
#[derive(Default)]
struct WordBuf {
    w: Word,
    started: bool,
    /// Every character so far is an unquoted name character (for `NAME=` detection).
    name_ok: bool,
    /// Every character so far is an unquoted digit (for `2>` io numbers).
    digits_only: bool,
    /// Characters in `w.text` so far.
    len: usize,
}

impl WordBuf {
    fn new(start: Ix) -> Self {
        WordBuf {
            w: Word {
                start,
                end: start,
                ..Word::default()
            },
            started: false,
            name_ok: true,
            digits_only: true,
            len: 0,
        }
    }

    fn lit(&mut self, c: char, ix: Ix, quoted: bool) {
        let n = self.len;
        self.len += 1;
        if !quoted && c == '=' && self.w.assign_at.is_none() && self.name_ok && n > 0 {
            self.w.assign_at = Some(n);
        }
        if self.w.assign_at.is_none() {
            let name_char = c == '_' || c.is_ascii_alphanumeric();
            self.name_ok &= !quoted && name_char && !(n == 0 && c.is_ascii_digit());
        }
        self.digits_only &= !quoted && c.is_ascii_digit();
        self.w.quoted |= quoted;
        self.w.text.push(c);
        self.w.pos.push(ix);
        match self.w.parts.last_mut() {
            Some(Part::Lit(s)) => s.push(c),
            _ => self.w.parts.push(Part::Lit(c.to_string())),
        }
        self.started = true;
    }

    /// Appends raw characters (an expansion as written) and the part they stand for.
    fn raw(&mut self, chars: &[Ch], mut part: Part) {
        if let Part::Param { len, .. } | Part::Subst { len } = &mut part {
            *len = chars.len();
        }
        for &(c, ix) in chars {
            self.w.text.push(c);
            self.w.pos.push(ix);
        }
        self.len += chars.len();
        if self.w.assign_at.is_none() {
            self.name_ok = false;
        }
        self.digits_only = false;
        self.w.parts.push(part);
        self.started = true;
    }
}

impl<'a> Parser<'a> {
    // ----------------------------------------------------------------------------- lexing

    fn ch(&self, k: usize) -> Option<char> {
        self.src.get(k).map(|c| c.0)
    }

    fn ix(&self, k: usize) -> Ix {
        match self.src.get(k) {
            Some(c) => c.1,
            None => self.src.last().map_or(0, |c| c.1.saturating_add(1)),
        }
    }

    fn peek(&mut self) -> &Tok {
        if self.peeked.is_none() {
            let t = self.lex();
            self.peeked = Some(t);
        }
        self.peeked.as_ref().unwrap_or(&EOF)
    }

    fn next(&mut self) -> Tok {
        self.peek();
        self.peeked.take().unwrap_or(Tok::Eof)
    }

    fn lex(&mut self) -> Tok {
        loop {
            match self.ch(self.i) {
                None => return Tok::Eof,
                Some(' ' | '\t' | '\r') => self.i += 1,
                Some('\\') if self.ch(self.i + 1) == Some('\n') => self.i += 2,
                Some('#') => {
                    while let Some(c) = self.ch(self.i) {
                        if c == '\n' {
                            break;
                        }
                        self.i += 1;
                    }
                }
                Some(_) => break,
            }
        }
        let start = self.ix(self.i);
        let c = self.ch(self.i).unwrap_or('\n');
        let c1 = self.ch(self.i + 1);
        let c2 = self.ch(self.i + 2);
        let (op, len) = match c {
            '\n' => {
                self.i += 1;
                self.read_heredoc_bodies();
                return Tok::Newline;
            }
            '&' => match (c1, c2) {
                (Some('&'), _) => (Op::AndIf, 2),
                (Some('>'), Some('>')) => return self.redir(None, RedirOp::AppendErr, 3, start),
                (Some('>'), _) => return self.redir(None, RedirOp::OutErr, 2, start),
                _ => (Op::Amp, 1),
            },
            '|' => match c1 {
                Some('|') => (Op::OrIf, 2),
                Some('&') => (Op::PipeAmp, 2),
                _ => (Op::Pipe, 1),
            },
            ';' => match (c1, c2) {
                (Some(';'), Some('&')) => (Op::DSemiAmp, 3),
                (Some(';'), _) => (Op::DSemi, 2),
                (Some('&'), _) => (Op::SemiAmp, 2),
                _ => (Op::Semi, 1),
            },
            '(' => (Op::LParen, 1),
            ')' => (Op::RParen, 1),
            '<' if c1 != Some('(') => return self.lex_redir_op(None, start),
            '>' if c1 != Some('(') => return self.lex_redir_op(None, start),
            _ => return self.lex_word(),
        };
        self.i += len;
        Tok::Op(op, start)
    }

    fn redir(&mut self, fd: Option<u32>, op: RedirOp, len: usize, start: Ix) -> Tok {
        self.i += len;
        Tok::Redir { fd, op, start }
    }

    /// At `<` or `>`: the redirection operator.
    fn lex_redir_op(&mut self, fd: Option<u32>, start: Ix) -> Tok {
        let c = self.ch(self.i).unwrap_or('>');
        let c1 = self.ch(self.i + 1);
        let c2 = self.ch(self.i + 2);
        let (op, len) = if c == '<' {
            match (c1, c2) {
                (Some('<'), Some('<')) => (RedirOp::HereString, 3),
                (Some('<'), Some('-')) => (RedirOp::HeredocStrip, 3),
                (Some('<'), _) => (RedirOp::Heredoc, 2),
                (Some('>'), _) => (RedirOp::ReadWrite, 2),
                (Some('&'), _) => (RedirOp::DupIn, 2),
                _ => (RedirOp::In, 1),
            }
        } else {
            match c1 {
                Some('>') => (RedirOp::Append, 2),
                Some('|') => (RedirOp::Clobber, 2),
                Some('&') => (RedirOp::DupOut, 2),
                _ => (RedirOp::Out, 1),
            }
        };
        self.redir(fd, op, len, start)
    }

    fn lex_word(&mut self) -> Tok {
        let mut b = WordBuf::new(self.ix(self.i));
        while let Some(c) = self.ch(self.i) {
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | ')' => break,
                '(' => {
                    // `arr=(a b c)`: keep the array literal in the word.
                    let array = b.w.assign_at.is_some_and(|at| at + 1 == b.len);
                    if !array {
                        break;
                    }
                    let end = self.scan_balanced(self.i, '(', ')');
                    let raw: Vec<Ch> = self.src[self.i..end].to_vec();
                    b.raw(&raw, Part::Subst { len: 0 });
                    self.i = end;
                }
                '<' | '>' if self.ch(self.i + 1) == Some('(') => self.lex_procsub(&mut b),
                '<' | '>' => {
                    if b.started && b.digits_only {
                        let fd = b.w.text.parse::<u32>().ok();
                        let start = b.w.start;
                        return self.lex_redir_op(fd, start);
                    }
                    break;
                }
                '\\' => match self.ch(self.i + 1) {
                    Some('\n') => self.i += 2,
                    Some(n) => {
                        let ix = self.ix(self.i + 1);
                        b.lit(n, ix, true);
                        self.i += 2;
                    }
                    None => {
                        let ix = self.ix(self.i);
                        b.lit('\\', ix, false);
                        self.i += 1;
                    }
                },
                '\'' => {
                    self.i += 1;
                    b.w.quoted = true;
                    b.started = true;
                    b.name_ok &= b.w.assign_at.is_some();
                    while let Some(q) = self.ch(self.i) {
                        self.i += 1;
                        if q == '\'' {
                            break;
                        }
                        let ix = self.ix(self.i - 1);
                        b.lit(q, ix, true);
                    }
                }
                '"' => self.lex_dquote(&mut b),
                '$' => self.lex_dollar(&mut b, false),
                '`' => self.lex_backtick(&mut b),
                _ => {
                    let ix = self.ix(self.i);
                    b.lit(c, ix, false);
                    self.i += 1;
                }
            }
        }
        b.w.end = if self.i > 0 { self.ix(self.i - 1).saturating_add(1) } else { b.w.start };
        if b.w.end < b.w.start {
            b.w.end = b.w.start;
        }
        Tok::Word(b.w)
    }

    fn lex_dquote(&mut self, b: &mut WordBuf) {
        self.i += 1;
        b.w.quoted = true;
        b.started = true;
        if b.w.assign_at.is_none() {
            b.name_ok = false;
        }
        while let Some(c) = self.ch(self.i) {
            match c {
                '"' => {
                    self.i += 1;
                    return;
                }
                '\\' => match self.ch(self.i + 1) {
                    Some('\n') => self.i += 2,
                    Some(n @ ('$' | '`' | '"' | '\\')) => {
                        let ix = self.ix(self.i + 1);
                        b.lit(n, ix, true);
                        self.i += 2;
                    }
                    _ => {
                        let ix = self.ix(self.i);
                        b.lit('\\', ix, true);
                        self.i += 1;
                    }
                },
                '$' => self.lex_dollar(b, true),
                '`' => self.lex_backtick(b),
                _ => {
                    let ix = self.ix(self.i);
                    b.lit(c, ix, true);
                    self.i += 1;
                }
            }
        }
    }

    fn lex_dollar(&mut self, b: &mut WordBuf, in_dq: bool) {
        let at = self.i;
        match self.ch(at + 1) {
            Some('(') if self.ch(at + 2) == Some('(') => {
                let end = self.scan_balanced(at + 1, '(', ')');
                let raw: Vec<Ch> = self.src[at..end].to_vec();
                b.raw(&raw, Part::Subst { len: 0 });
                self.i = end;
            }
            Some('(') => {
                self.i = at + 2;
                let sub = self.parse_subst();
                let end = self.i.min(self.src.len());
                let raw: Vec<Ch> = self.src[at..end].to_vec();
                b.raw(&raw, Part::Subst { len: 0 });
                b.w.subs.push(sub);
            }
            Some('{') => {
                let end = self.scan_balanced(at + 1, '{', '}');
                let raw: Vec<Ch> = self.src[at..end].to_vec();
                let inner: String = raw
                    .iter()
                    .skip(2)
                    .take(raw.len().saturating_sub(3))
                    .map(|c| c.0)
                    .collect();
                let name_len = inner
                    .char_indices()
                    .find(|(k, c)| !(c.is_ascii_alphanumeric() || *c == '_') || (*k == 0 && c.is_ascii_digit()))
                    .map_or(inner.len(), |(k, _)| k);
                let part = if name_len == 0 {
                    Part::Subst { len: 0 }
                } else {
                    Part::Param {
                        name: inner[..name_len].to_string(),
                        op: inner[name_len..].to_string(),
                        quoted: in_dq,
                        len: 0,
                    }
                };
                b.raw(&raw, part);
                self.i = end;
            }
            Some('\'') if !in_dq => self.lex_ansi_c(b),
            Some('"') if !in_dq => {
                self.i = at + 1;
                self.lex_dquote(b);
            }
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                let mut end = at + 1;
                while self.ch(end).is_some_and(|c| c == '_' || c.is_ascii_alphanumeric()) {
                    end += 1;
                }
                let raw: Vec<Ch> = self.src[at..end].to_vec();
                let name: String = raw.iter().skip(1).map(|c| c.0).collect();
                b.raw(
                    &raw,
                    Part::Param {
                        name,
                        op: String::new(),
                        quoted: in_dq,
                        len: 0,
                    },
                );
                self.i = end;
            }
            Some(c) if c.is_ascii_digit() || "@*#?-$!".contains(c) => {
                let raw: Vec<Ch> = self.src[at..at + 2].to_vec();
                b.raw(
                    &raw,
                    Part::Param {
                        name: c.to_string(),
                        op: String::new(),
                        quoted: in_dq,
                        len: 0,
                    },
                );
                self.i = at + 2;
            }
            _ => {
                let ix = self.ix(at);
                b.lit('$', ix, in_dq);
                self.i = at + 1;
            }
        }
    }

    /// `$'…'` with C escapes.
    fn lex_ansi_c(&mut self, b: &mut WordBuf) {
        self.i += 2;
        b.w.quoted = true;
        b.started = true;
        while let Some(c) = self.ch(self.i) {
            let ix = self.ix(self.i);
            match c {
                '\'' => {
                    self.i += 1;
                    return;
                }
                '\\' => {
                    let n = self.ch(self.i + 1).unwrap_or('\\');
                    let out = match n {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        'e' | 'E' => '\u{1b}',
                        '0' => '\0',
                        other => other,
                    };
                    b.lit(out, ix, true);
                    self.i += 2;
                }
                _ => {
                    b.lit(c, ix, true);
                    self.i += 1;
                }
            }
        }
    }

    fn lex_backtick(&mut self, b: &mut WordBuf) {
        let at = self.i;
        let mut k = at + 1;
        let mut inner: Vec<Ch> = Vec::new();
        while let Some(c) = self.ch(k) {
            match c {
                '`' => break,
                '\\' => match self.ch(k + 1) {
                    Some(n @ ('$' | '`' | '\\')) => {
                        inner.push((n, self.ix(k + 1)));
                        k += 2;
                    }
                    _ => {
                        inner.push(('\\', self.ix(k)));
                        k += 1;
                    }
                },
                _ => {
                    inner.push((c, self.ix(k)));
                    k += 1;
                }
            }
        }
        let end = (k + 1).min(self.src.len());
        let sub = if self.depth + 1 < MAX_DEPTH {
            parse_chars(&inner, &[], self.depth + 1)
        } else {
            Script::default()
        };
        let raw: Vec<Ch> = self.src[at..end].to_vec();
        b.raw(&raw, Part::Subst { len: 0 });
        b.w.subs.push(sub);
        self.i = end;
    }

    /// `<(…)` / `>(…)`.
    fn lex_procsub(&mut self, b: &mut WordBuf) {
        let at = self.i;
        self.i = at + 2;
        let sub = self.parse_subst();
        let end = self.i.min(self.src.len());
        let raw: Vec<Ch> = self.src[at..end].to_vec();
        b.raw(&raw, Part::Subst { len: 0 });
        b.w.subs.push(sub);
    }

    /// After `$(` or `<(`: the commands up to the matching `)`, which is consumed.
    fn parse_subst(&mut self) -> Script {
        if self.depth + 1 >= MAX_DEPTH {
            self.i = self.scan_balanced(self.i.saturating_sub(1), '(', ')');
            return Script::default();
        }
        let saved = self.peeked.take();
        self.depth += 1;
        let script = self.parse_list(S_RPAREN);
        if matches!(self.peek(), Tok::Op(Op::RParen, _)) {
            self.next();
        }
        self.depth -= 1;
        // The word lexer only starts a substitution when nothing is peeked; keep it that way.
        if saved.is_some() {
            self.peeked = saved;
        }
        script
    }

    /// From an opening bracket at `k`: the index just past its matching close, skipping
    /// quoted text. Unbalanced input runs to the end.
    fn scan_balanced(&self, k: usize, open: char, close: char) -> usize {
        let mut depth = 0usize;
        let mut j = k;
        let mut quote: Option<char> = None;
        while let Some(c) = self.ch(j) {
            match quote {
                Some(q) => {
                    if c == '\\' && q == '"' {
                        j += 1;
                    } else if c == q {
                        quote = None;
                    }
                }
                None => {
                    if c == '\\' {
                        j += 1;
                    } else if c == '\'' || c == '"' {
                        quote = Some(c);
                    } else if c == open {
                        depth += 1;
                    } else if c == close {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                }
            }
            j += 1;
        }
        self.src.len()
    }

    fn read_heredoc_bodies(&mut self) {
        for p in std::mem::take(&mut self.pending) {
            let mut body = HereBody {
                expand: p.expand,
                ..HereBody::default()
            };
            while self.i < self.src.len() {
                let line_start = self.i;
                let mut end = line_start;
                while end < self.src.len() && self.src[end].0 != '\n' {
                    end += 1;
                }
                let mut s = line_start;
                if p.strip {
                    while s < end && self.src[s].0 == '\t' {
                        s += 1;
                    }
                }
                let content: String = self.src[s..end].iter().map(|c| c.0).collect();
                self.i = (end + 1).min(self.src.len());
                if content.trim_end_matches('\r') == p.delim {
                    break;
                }
                for &(c, ix) in &self.src[s..end] {
                    body.text.push(c);
                    body.pos.push(ix);
                }
                body.text.push('\n');
                body.pos.push(self.ix(end));
            }
            if let Some(slot) = self.bodies.get_mut(p.id) {
                *slot = Some(body);
            }
        }
    }

    // ---------------------------------------------------------------------------- parsing

    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Tok::Newline) {
            self.next();
        }
    }

    fn peek_reserved(&mut self) -> Option<&'static str> {
        match self.peek() {
            Tok::Word(w) if !w.quoted && w.is_literal() => {
                RESERVED.iter().copied().find(|r| *r == w.text)
            }
            _ => None,
        }
    }

    fn peek_word_is(&mut self, text: &str) -> bool {
        matches!(self.peek(), Tok::Word(w) if !w.quoted && w.text == text)
    }

    fn at_stop(&mut self, stop: u16) -> bool {
        let reserved = self.peek_reserved();
        match self.peek() {
            Tok::Eof => true,
            Tok::Op(Op::RParen, _) => stop & S_RPAREN != 0,
            Tok::Op(Op::DSemi | Op::SemiAmp | Op::DSemiAmp, _) => stop & S_CASE_END != 0,
            Tok::Word(_) => match reserved {
                Some("}") => stop & S_RBRACE != 0,
                Some("then") => stop & S_THEN != 0,
                Some("else" | "elif" | "fi") => stop & S_ELSE != 0,
                Some("do") => stop & S_DO != 0,
                Some("done") => stop & S_DONE != 0,
                Some("esac") => stop & S_ESAC != 0,
                _ => false,
            },
            _ => false,
        }
    }

    fn parse_list(&mut self, stop: u16) -> Script {
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            if self.at_stop(stop) {
                break;
            }
            let stray = matches!(
                self.peek(),
                Tok::Op(
                    Op::Semi | Op::Amp | Op::RParen | Op::DSemi | Op::SemiAmp | Op::DSemiAmp
                        | Op::AndIf | Op::OrIf | Op::Pipe | Op::PipeAmp,
                    _
                )
            ) || self.peek_reserved().is_some();
            if stray {
                // A separator or keyword out of place: skip it and go on.
                self.next();
                continue;
            }
            let before = (self.i, self.peeked.is_some());
            match self.parse_and_or(stop) {
                Some(mut ao) => {
                    match self.peek() {
                        Tok::Op(Op::Semi, _) => {
                            self.next();
                        }
                        Tok::Op(Op::Amp, _) => {
                            self.next();
                            ao.background = true;
                        }
                        _ => {}
                    }
                    items.push(ao);
                }
                None => {
                    if (self.i, self.peeked.is_some()) == before {
                        self.next();
                    }
                }
            }
        }
        Script { items }
    }

    fn parse_and_or(&mut self, stop: u16) -> Option<AndOr> {
        let first = self.parse_pipeline(stop)?;
        let mut rest = Vec::new();
        loop {
            let conn = match self.peek() {
                Tok::Op(Op::AndIf, _) => Connector::And,
                Tok::Op(Op::OrIf, _) => Connector::Or,
                _ => break,
            };
            self.next();
            self.skip_newlines();
            match self.parse_pipeline(stop) {
                Some(p) => rest.push((conn, p)),
                None => break,
            }
        }
        Some(AndOr {
            first,
            rest,
            background: false,
        })
    }

    fn parse_pipeline(&mut self, stop: u16) -> Option<Pipeline> {
        let mut negated = false;
        while self.peek_word_is("!") {
            self.next();
            negated = !negated;
        }
        let mut commands = Vec::new();
        loop {
            if self.at_stop(stop) {
                break;
            }
            match self.parse_command(stop) {
                Some(c) => commands.push(c),
                None => break,
            }
            if matches!(self.peek(), Tok::Op(Op::Pipe | Op::PipeAmp, _)) {
                self.next();
                self.skip_newlines();
                continue;
            }
            break;
        }
        (!commands.is_empty()).then_some(Pipeline { negated, commands })
    }

    fn parse_command(&mut self, stop: u16) -> Option<Command> {
        let keyword = match self.peek() {
            Tok::Op(Op::LParen, _) => Some("("),
            Tok::Word(w) if !w.quoted && w.is_literal() => match w.text.as_str() {
                "{" => Some("{"),
                "if" => Some("if"),
                "while" => Some("while"),
                "until" => Some("until"),
                "for" | "select" => Some("for"),
                "case" => Some("case"),
                "function" => Some("function"),
                "[[" => Some("[["),
                _ => None,
            },
            Tok::Word(_) | Tok::Redir { .. } => None,
            _ => return None,
        };
        match keyword {
            Some("[[") => Some(Command::Simple(self.parse_cond())),
            Some(k) if self.depth < MAX_DEPTH => {
                self.depth += 1;
                let c = self.parse_compound(k, stop);
                self.depth -= 1;
                c
            }
            Some(_) => {
                // Too deep: swallow the token; the list parser carries on after it.
                self.next();
                None
            }
            None => self.parse_simple(stop),
        }
    }

    fn start_of_peek(&mut self) -> Ix {
        match self.peek() {
            Tok::Word(w) => w.start,
            Tok::Op(_, s) => *s,
            Tok::Redir { start, .. } => *start,
            _ => self.ix(self.i),
        }
    }

    fn parse_compound(&mut self, keyword: &str, _stop: u16) -> Option<Command> {
        let start = self.start_of_peek();
        self.next();
        let mut header = Vec::new();
        let mut bodies = Vec::new();
        let kind = match keyword {
            "(" => {
                if self.peeked.is_none() && self.ch(self.i) == Some('(') {
                    // `(( … ))`
                    self.i = self.scan_balanced(self.i.saturating_sub(1), '(', ')');
                    CompoundKind::Arith
                } else {
                    bodies.push(self.parse_list(S_RPAREN));
                    if matches!(self.peek(), Tok::Op(Op::RParen, _)) {
                        self.next();
                    }
                    CompoundKind::Subshell
                }
            }
            "{" => {
                bodies.push(self.parse_list(S_RBRACE));
                if self.peek_word_is("}") {
                    self.next();
                }
                CompoundKind::Group
            }
            "if" => {
                bodies.push(self.parse_list(S_THEN));
                if self.peek_word_is("then") {
                    self.next();
                }
                bodies.push(self.parse_list(S_ELSE));
                loop {
                    if self.peek_word_is("elif") {
                        self.next();
                        bodies.push(self.parse_list(S_THEN));
                        if self.peek_word_is("then") {
                            self.next();
                        }
                        bodies.push(self.parse_list(S_ELSE));
                    } else if self.peek_word_is("else") {
                        self.next();
                        bodies.push(self.parse_list(S_ELSE));
                    } else {
                        if self.peek_word_is("fi") {
                            self.next();
                        }
                        break;
                    }
                }
                CompoundKind::If
            }
            "while" | "until" => {
                bodies.push(self.parse_list(S_DO));
                if self.peek_word_is("do") {
                    self.next();
                }
                bodies.push(self.parse_list(S_DONE));
                if self.peek_word_is("done") {
                    self.next();
                }
                if keyword == "while" {
                    CompoundKind::While
                } else {
                    CompoundKind::Until
                }
            }
            "for" => {
                if matches!(self.peek(), Tok::Op(Op::LParen, _)) {
                    // `for (( … ))`
                    self.next();
                    self.i = self.scan_balanced(self.i.saturating_sub(1), '(', ')');
                } else if let Tok::Word(w) = self.next() {
                    header.push(w);
                }
                self.skip_newlines();
                if self.peek_word_is("in") {
                    self.next();
                    while let Tok::Word(_) = self.peek() {
                        if let Tok::Word(w) = self.next() {
                            header.push(w);
                        }
                    }
                }
                if matches!(self.peek(), Tok::Op(Op::Semi, _)) {
                    self.next();
                }
                self.skip_newlines();
                if self.peek_word_is("do") {
                    self.next();
                    bodies.push(self.parse_list(S_DONE));
                    if self.peek_word_is("done") {
                        self.next();
                    }
                } else if self.peek_word_is("{") {
                    self.next();
                    bodies.push(self.parse_list(S_RBRACE));
                    if self.peek_word_is("}") {
                        self.next();
                    }
                }
                CompoundKind::For
            }
            "case" => {
                if let Tok::Word(w) = self.peek().clone() {
                    self.next();
                    header.push(w);
                }
                self.skip_newlines();
                if self.peek_word_is("in") {
                    self.next();
                }
                loop {
                    self.skip_newlines();
                    if self.peek_word_is("esac") {
                        self.next();
                        break;
                    }
                    if matches!(self.peek(), Tok::Eof) {
                        break;
                    }
                    let before = (self.i, self.peeked.is_some());
                    if matches!(self.peek(), Tok::Op(Op::LParen, _)) {
                        self.next();
                    }
                    // Patterns up to `)`.
                    loop {
                        match self.peek() {
                            Tok::Word(_) => {
                                if let Tok::Word(w) = self.next() {
                                    header.push(w);
                                }
                            }
                            Tok::Op(Op::Pipe, _) => {
                                self.next();
                            }
                            _ => break,
                        }
                    }
                    if matches!(self.peek(), Tok::Op(Op::RParen, _)) {
                        self.next();
                    }
                    bodies.push(self.parse_list(S_CASE_END | S_ESAC));
                    if matches!(self.peek(), Tok::Op(Op::DSemi | Op::SemiAmp | Op::DSemiAmp, _)) {
                        self.next();
                    }
                    if (self.i, self.peeked.is_some()) == before {
                        break;
                    }
                }
                CompoundKind::Case
            }
            "function" => {
                if let Tok::Word(w) = self.peek().clone() {
                    self.next();
                    header.push(w);
                }
                if matches!(self.peek(), Tok::Op(Op::LParen, _)) {
                    self.next();
                    if matches!(self.peek(), Tok::Op(Op::RParen, _)) {
                        self.next();
                    }
                }
                self.skip_newlines();
                if let Some(body) = self.parse_command(0) {
                    bodies.push(single(body));
                }
                CompoundKind::Function
            }
            _ => return None,
        };
        let redirects = self.parse_redirects();
        let end = self.last_end(start);
        Some(Command::Compound(Compound {
            kind,
            header,
            bodies,
            redirects,
            start,
            end,
        }))
    }

    /// The end position of what was consumed so far.
    fn last_end(&self, start: Ix) -> Ix {
        let end = if self.i == 0 {
            start
        } else {
            self.ix(self.i - 1).saturating_add(1)
        };
        end.max(start)
    }

    fn parse_redirects(&mut self) -> Vec<Redirect> {
        let mut out = Vec::new();
        while matches!(self.peek(), Tok::Redir { .. }) {
            if let Some(r) = self.parse_redirect() {
                out.push(r);
            }
        }
        out
    }

    fn parse_redirect(&mut self) -> Option<Redirect> {
        let Tok::Redir { fd, op, start } = self.next() else {
            return None;
        };
        let target = match self.peek() {
            Tok::Word(_) => match self.next() {
                Tok::Word(w) => w,
                _ => Word::default(),
            },
            _ => Word {
                start,
                end: start,
                ..Word::default()
            },
        };
        let mut heredoc_id = None;
        if matches!(op, RedirOp::Heredoc | RedirOp::HeredocStrip) {
            let id = self.bodies.len();
            self.bodies.push(None);
            self.pending.push(Pending {
                id,
                delim: target.text.clone(),
                strip: op == RedirOp::HeredocStrip,
                expand: !target.quoted,
            });
            heredoc_id = Some(id);
        }
        Some(Redirect {
            fd,
            op,
            target,
            body: None,
            heredoc_id,
        })
    }

    /// `[[ … ]]`: every token up to `]]` is a word (operators inside are test operators).
    fn parse_cond(&mut self) -> SimpleCommand {
        let mut cmd = SimpleCommand::default();
        let start = self.start_of_peek();
        cmd.start = start;
        loop {
            let tok = self.next();
            let word = match tok {
                Tok::Word(w) => {
                    let done = !w.quoted && w.text == "]]";
                    cmd.words.push(w);
                    if done {
                        break;
                    }
                    continue;
                }
                Tok::Op(op, s) => {
                    let text = match op {
                        Op::AndIf => "&&",
                        Op::OrIf => "||",
                        Op::LParen => "(",
                        Op::RParen => ")",
                        Op::Pipe => "|",
                        _ => break,
                    };
                    synthetic(text, s)
                }
                Tok::Redir { op, start, .. } => {
                    synthetic(if op == RedirOp::In { "<" } else { ">" }, start)
                }
                Tok::Newline | Tok::Eof => break,
            };
            cmd.words.push(word);
        }
        cmd.end = self.last_end(start);
        cmd
    }

    fn parse_simple(&mut self, stop: u16) -> Option<Command> {
        let mut cmd = SimpleCommand::default();
        let start = self.start_of_peek();
        loop {
            match self.peek() {
                Tok::Word(w) => {
                    if cmd.words.is_empty() && w.assign_at.is_some() {
                        if let Tok::Word(w) = self.next() {
                            cmd.assignments.push(w);
                        }
                    } else if !cmd.words.is_empty() || !self.at_stop(stop) {
                        if let Tok::Word(w) = self.next() {
                            cmd.words.push(w);
                        }
                    } else {
                        break;
                    }
                }
                Tok::Redir { .. } => {
                    if let Some(r) = self.parse_redirect() {
                        cmd.redirects.push(r);
                    }
                }
                Tok::Op(Op::LParen, _)
                    if cmd.words.len() == 1 && cmd.assignments.is_empty() && cmd.redirects.is_empty() =>
                {
                    // `name() body`
                    self.next();
                    if matches!(self.peek(), Tok::Op(Op::RParen, _)) {
                        self.next();
                    }
                    self.skip_newlines();
                    let mut bodies = Vec::new();
                    if self.depth < MAX_DEPTH {
                        self.depth += 1;
                        if let Some(body) = self.parse_command(0) {
                            bodies.push(single(body));
                        }
                        self.depth -= 1;
                    }
                    let end = self.last_end(start);
                    return Some(Command::Compound(Compound {
                        kind: CompoundKind::Function,
                        header: std::mem::take(&mut cmd.words),
                        bodies,
                        redirects: Vec::new(),
                        start,
                        end,
                    }));
                }
                _ => break,
            }
        }
        if cmd.words.is_empty() && cmd.assignments.is_empty() && cmd.redirects.is_empty() {
            return None;
        }
        cmd.start = start;
        cmd.end = self.last_end(start);
        attach_inline(&mut cmd, self.depth);
        Some(Command::Simple(cmd))
    }
}

fn synthetic(text: &str, at: Ix) -> Word {
    Word {
        text: text.to_string(),
        pos: (at..).take(text.len()).collect(),
        start: at,
        end: at.saturating_add(text.len() as Ix),
        parts: vec![Part::Lit(text.to_string())],
        ..Word::default()
    }
}

fn single(c: Command) -> Script {
    Script {
        items: vec![AndOr {
            first: Pipeline {
                negated: false,
                commands: vec![c],
            },
            rest: Vec::new(),
            background: false,
        }],
    }
}

// Moves heredoc bodies, read when their line ended, into the redirections that asked for them.
fn fill_script(s: &mut Script, bodies: &mut [Option<HereBody>]) {
    for item in &mut s.items {
        fill_pipeline(&mut item.first, bodies);
        for (_, p) in &mut item.rest {
            fill_pipeline(p, bodies);
        }
    }
}

fn fill_pipeline(p: &mut Pipeline, bodies: &mut [Option<HereBody>]) {
    for c in &mut p.commands {
        match c {
            Command::Simple(sc) => {
                for w in sc.assignments.iter_mut().chain(sc.words.iter_mut()) {
                    fill_word(w, bodies);
                }
                fill_redirects(&mut sc.redirects, bodies);
            }
            Command::Compound(cc) => {
                for b in &mut cc.bodies {
                    fill_script(b, bodies);
                }
                for w in &mut cc.header {
                    fill_word(w, bodies);
                }
                fill_redirects(&mut cc.redirects, bodies);
            }
        }
    }
}

fn fill_word(w: &mut Word, bodies: &mut [Option<HereBody>]) {
    for s in &mut w.subs {
        fill_script(s, bodies);
    }
}

fn fill_redirects(rs: &mut [Redirect], bodies: &mut [Option<HereBody>]) {
    for r in rs {
        fill_word(&mut r.target, bodies);
        if let Some(id) = r.heredoc_id {
            if let Some(slot) = bodies.get_mut(id) {
                if let Some(b) = slot.take() {
                    r.body = Some(b);
                }
            }
        }
    }
}
