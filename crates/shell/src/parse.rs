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
use super::tokens::{Op, Pending, Tok};

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
    parse_in(src, externals, depth, None)
}

/// Reads `src` in one pass, handing each simple command to `each` as soon as it is read —
/// those inside compound commands and command substitutions included, in the order they
/// end — instead of keeping it in a tree: memory stays bounded by one command (plus the
/// compound structure), however long the script. The scripts of `sh -c '…'` strings are not
/// read (the caller sees the string as a word) and heredoc bodies are not attached. For
/// scanners that look for a few commands in large scripts (the `docker run` finder).
pub fn each_simple_command(src: &[Ch], each: &dyn Fn(SimpleCommand)) {
    parse_in(src, &[], 0, Some(each));
}

/// [`parse_chars`], optionally streaming simple commands (see [`each_simple_command`]).
pub(super) fn parse_in<'a>(
    src: &'a [Ch],
    externals: &[&str],
    depth: u32,
    stream: Option<&'a dyn Fn(SimpleCommand)>,
) -> Script {
    let mut p = Parser {
        src,
        stream,
        i: 0,
        depth,
        peeked: None,
        peeked_end: 0,
        consumed_end: 0,
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

// Stop conditions for `parse_list`.
pub(super) const S_RPAREN: u16 = 1;
const S_RBRACE: u16 = 2;
const S_THEN: u16 = 4;
const S_ELSE: u16 = 8;
const S_DO: u16 = 16;
const S_DONE: u16 = 32;
const S_ESAC: u16 = 64;
const S_CASE_END: u16 = 128;

const RESERVED: [&str; 8] = ["}", "then", "else", "elif", "fi", "do", "done", "esac"];

pub(super) struct Parser<'a> {
    pub(super) src: &'a [Ch],
    /// Where simple commands go when streaming ([`each_simple_command`]) instead of the tree.
    pub(super) stream: Option<&'a dyn Fn(SimpleCommand)>,
    pub(super) i: usize,
    pub(super) depth: u32,
    pub(super) peeked: Option<Tok>,
    /// Where the peeked token ends (one past its last character).
    pub(super) peeked_end: Ix,
    /// Where the last consumed token ends.
    pub(super) consumed_end: Ix,
    pub(super) pending: Vec<Pending>,
    pub(super) bodies: Vec<Option<HereBody>>,
}

impl<'a> Parser<'a> {
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

    pub(super) fn parse_list(&mut self, stop: u16) -> Script {
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            if self.at_stop(stop) {
                break;
            }
            let stray = matches!(
                self.peek(),
                Tok::Op(
                    Op::Semi
                        | Op::Amp
                        | Op::RParen
                        | Op::DSemi
                        | Op::SemiAmp
                        | Op::DSemiAmp
                        | Op::AndIf
                        | Op::OrIf
                        | Op::Pipe
                        | Op::PipeAmp,
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
        // Every RUN keeps its parsed script: trim the growth slack (most lists hold one item,
        // and a first push reserves four) so memory follows the script, not the capacity.
        items.shrink_to_fit();
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
        rest.shrink_to_fit();
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
        commands.shrink_to_fit();
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
                    if matches!(
                        self.peek(),
                        Tok::Op(Op::DSemi | Op::SemiAmp | Op::DSemiAmp, _)
                    ) {
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
        self.consumed_end.max(start)
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
                    if cmd.words.len() == 1
                        && cmd.assignments.is_empty()
                        && cmd.redirects.is_empty() =>
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
        if let Some(each) = self.stream {
            // Streaming: the tree keeps only the command's extent.
            let placeholder = SimpleCommand {
                start: cmd.start,
                end: cmd.end,
                ..SimpleCommand::default()
            };
            each(cmd);
            return Some(Command::Simple(placeholder));
        }
        attach_inline(&mut cmd, self.depth);
        cmd.words.shrink_to_fit();
        cmd.assignments.shrink_to_fit();
        cmd.redirects.shrink_to_fit();
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
