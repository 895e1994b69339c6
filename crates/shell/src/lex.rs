//! The lexer half of the shell reader: characters to words (quote removal, expansions
//! kept as parts, substitutions parsed on the spot), operators, redirections, and heredoc
//! bodies read when their line ends.

use super::ast::*;
use super::parse::{parse_in, Ch, Parser, MAX_DEPTH, S_RPAREN};
use super::tokens::{Op, Tok, EOF};

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
    /// How many characters the word probably has (to size its buffers once).
    hint: usize,
}

impl WordBuf {
    /// A word starting at `start` that probably has `hint` characters.
    fn new(start: Ix, hint: usize) -> Self {
        WordBuf {
            w: Word {
                start,
                end: start,
                text: String::with_capacity(hint),
                pos: Vec::with_capacity(hint),
                ..Word::default()
            },
            started: false,
            name_ok: true,
            digits_only: true,
            len: 0,
            hint,
        }
    }

    fn lit(&mut self, c: char, ix: Ix, quoted: bool) {
        self.lits(&[(c, ix)], quoted);
    }

    /// Appends literal characters: the same as [`WordBuf::lit`] for each, with the buffers
    /// extended once (most of a script is runs of plain characters).
    fn lits(&mut self, chars: &[Ch], quoted: bool) {
        if chars.is_empty() {
            return;
        }
        let first = self.len;
        // `NAME=` detection only looks at characters while no `=` was found and all were name
        // characters: once `name_ok` is false and no `=` seen, nothing can change either.
        for (k, &(c, _)) in chars.iter().enumerate() {
            if self.w.assign_at.is_some() || !self.name_ok {
                break;
            }
            let n = first + k;
            if !quoted && c == '=' && n > 0 {
                self.w.assign_at = Some(n);
            } else {
                let name_char = c == '_' || c.is_ascii_alphanumeric();
                self.name_ok = !quoted && name_char && !(n == 0 && c.is_ascii_digit());
            }
        }
        self.digits_only &= !quoted && chars.iter().all(|(c, _)| c.is_ascii_digit());
        self.len += chars.len();
        self.w.quoted |= quoted;
        self.w.text.extend(chars.iter().map(|c| c.0));
        self.w.pos.extend(chars.iter().map(|c| c.1));
        match self.w.parts.last_mut() {
            Some(Part::Lit(s)) => s.extend(chars.iter().map(|c| c.0)),
            _ => {
                let mut s = String::with_capacity(self.hint.saturating_sub(first).max(chars.len()));
                s.extend(chars.iter().map(|c| c.0));
                self.w.parts.push(Part::Lit(s));
            }
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
    pub(super) fn ch(&self, k: usize) -> Option<char> {
        self.src.get(k).map(|c| c.0)
    }

    pub(super) fn ix(&self, k: usize) -> Ix {
        match self.src.get(k) {
            Some(c) => c.1,
            None => self.src.last().map_or(0, |c| c.1.saturating_add(1)),
        }
    }

    pub(super) fn peek(&mut self) -> &Tok {
        if self.peeked.is_none() {
            let t = self.lex();
            self.peeked_end = match &t {
                Tok::Word(w) => w.end,
                Tok::Newline | Tok::Eof => self.consumed_end,
                _ => {
                    if self.i > 0 {
                        self.ix(self.i - 1).saturating_add(1)
                    } else {
                        0
                    }
                }
            };
            self.peeked = Some(t);
        }
        self.peeked.as_ref().unwrap_or(&EOF)
    }

    pub(super) fn next(&mut self) -> Tok {
        self.peek();
        let t = self.peeked.take().unwrap_or(Tok::Eof);
        if !matches!(t, Tok::Newline | Tok::Eof) {
            self.consumed_end = self.peeked_end;
        }
        t
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
        // Most words end at the first blank or operator character: size the buffers for that.
        let hint = self.src[self.i..]
            .iter()
            .take_while(|(c, _)| {
                !matches!(
                    c,
                    ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>'
                )
            })
            .count();
        let mut b = WordBuf::new(self.ix(self.i), hint);
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
                    // Everything up to the closing quote (or the end) is literal.
                    let rest = self.src.get(self.i..).unwrap_or(&[]);
                    let n = rest
                        .iter()
                        .position(|(q, _)| *q == '\'')
                        .unwrap_or(rest.len());
                    b.lits(&rest[..n], true);
                    self.i = (self.i + n + 1).min(self.src.len());
                }
                '"' => self.lex_dquote(&mut b),
                '$' => self.lex_dollar(&mut b, false),
                '`' => self.lex_backtick(&mut b),
                _ => {
                    // A run of characters none of the cases above applies to.
                    let rest = self.src.get(self.i..).unwrap_or(&[]);
                    let n = rest
                        .iter()
                        .position(|(c, _)| {
                            matches!(
                                c,
                                ' ' | '\t'
                                    | '\r'
                                    | '\n'
                                    | ';'
                                    | '&'
                                    | '|'
                                    | ')'
                                    | '('
                                    | '<'
                                    | '>'
                                    | '\\'
                                    | '\''
                                    | '"'
                                    | '$'
                                    | '`'
                            )
                        })
                        .unwrap_or(rest.len())
                        .max(1);
                    b.lits(&rest[..n.min(rest.len())], false);
                    self.i += n;
                }
            }
        }
        b.w.end = if self.i > 0 {
            self.ix(self.i - 1).saturating_add(1)
        } else {
            b.w.start
        };
        if b.w.end < b.w.start {
            b.w.end = b.w.start;
        }
        // Words live as long as their RUN's parsed script: keep no growth slack.
        b.w.text.shrink_to_fit();
        b.w.pos.shrink_to_fit();
        b.w.parts.shrink_to_fit();
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
                    // A run of characters with no meaning inside double quotes.
                    let rest = self.src.get(self.i..).unwrap_or(&[]);
                    let n = rest
                        .iter()
                        .position(|(c, _)| matches!(c, '"' | '\\' | '$' | '`'))
                        .unwrap_or(rest.len())
                        .max(1);
                    b.lits(&rest[..n.min(rest.len())], true);
                    self.i += n;
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
                    .find(|(k, c)| {
                        !(c.is_ascii_alphanumeric() || *c == '_') || (*k == 0 && c.is_ascii_digit())
                    })
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
                while self
                    .ch(end)
                    .is_some_and(|c| c == '_' || c.is_ascii_alphanumeric())
                {
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
            parse_in(&inner, &[], self.depth + 1, self.stream)
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
        let saved_end = (self.peeked_end, self.consumed_end);
        self.depth += 1;
        let script = self.parse_list(S_RPAREN);
        if matches!(self.peek(), Tok::Op(Op::RParen, _)) {
            self.next();
        }
        self.depth -= 1;
        (self.peeked_end, self.consumed_end) = saved_end;
        // The word lexer only starts a substitution when nothing is peeked; keep it that way.
        if saved.is_some() {
            self.peeked = saved;
        }
        script
    }

    /// From an opening bracket at `k`: the index just past its matching close, skipping
    /// quoted text. Unbalanced input runs to the end.
    pub(super) fn scan_balanced(&self, k: usize, open: char, close: char) -> usize {
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
}
