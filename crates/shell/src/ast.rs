//! The shape of a parsed RUN script: lists of and-or chains of pipelines of commands, with
//! every word carrying where its characters came from so a finding can underline it.

/// A character index in the text the script was parsed from (its "origin": the RUN line, a
/// heredoc body, or a JSON element). Nested scripts (`sh -c '…'`, `$(…)`) keep the indices of
/// the outermost text, so one origin maps every word of a RUN back to the file.
pub type Ix = u32;

/// One piece of a word, after quote removal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text (from unquoted, single-quoted or double-quoted characters).
    Lit(String),
    /// `$NAME` or `${NAME…}`; `op` is what follows the name inside the braces (`:-dflt`), empty
    /// for the plain forms. `quoted` when inside double quotes (no field splitting).
    Param {
        name: String,
        op: String,
        quoted: bool,
        /// Characters it takes in [`Word::text`] (as written).
        len: usize,
    },
    /// `$(…)`, `` `…` ``, `$((…))`, `<(…)`, `>(…)`: only known when the build runs. `len`:
    /// characters it takes in [`Word::text`] (as written).
    Subst { len: usize },
}

/// A shell word after quote removal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    /// The characters after quote removal; expansions appear as written (`$HOME`, `$(id -u)`).
    pub text: String,
    /// For each character of `text`, where it is in the origin.
    pub pos: Vec<Ix>,
    /// The raw extent in the origin, quotes included: `start..end`.
    pub start: Ix,
    pub end: Ix,
    /// Some character was quoted or escaped.
    pub quoted: bool,
    /// The pieces, for expansion with known variables.
    pub parts: Vec<Part>,
    /// Command and process substitutions inside the word, parsed.
    pub subs: Vec<Script>,
    /// For `NAME=value` with an unquoted name: the char index of `=` in `text`.
    pub(crate) assign_at: Option<usize>,
}

impl Word {
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// A literal word whose characters sit at `start..` contiguously (an exec-form element).
    pub fn literal(text: &str, pos: Vec<Ix>, start: Ix, end: Ix) -> Word {
        Word {
            text: text.to_string(),
            pos,
            start,
            end,
            quoted: true,
            parts: vec![Part::Lit(text.to_string())],
            subs: Vec::new(),
            assign_at: None,
        }
    }

    /// Whether the word has no parameter or command expansion (its text is its value).
    pub fn is_literal(&self) -> bool {
        self.parts.iter().all(|p| matches!(p, Part::Lit(_)))
    }

    /// `Some((name, value))` when the word is an assignment `NAME=value`.
    pub fn assignment(&self) -> Option<(&str, &str)> {
        let at = self.assign_at?;
        let byte = self.text.char_indices().nth(at).map(|(b, _)| b)?;
        Some((&self.text[..byte], &self.text[byte + 1..]))
    }

    /// The word's value with variables substituted by `lookup` (which returns `None` for an
    /// unknown variable). `None` when anything in it is unknown at lint time.
    pub fn resolve(&self, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Lit(s) => out.push_str(s),
                Part::Param { name, op, .. } => out.push_str(&resolve_param(name, op, lookup)?),
                Part::Subst { .. } => return None,
            }
        }
        Some(out)
    }

    /// Whether any unquoted expansion could split this word into several (`$PKGS`).
    pub fn may_split(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, Part::Param { quoted: false, .. } | Part::Subst { .. }))
    }
}

/// `$name`, `${name}`, `${name:-w}`, `${name-w}`, `${name:+w}`, `${name+w}` with a literal `w`.
fn resolve_param(name: &str, op: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let value = lookup(name);
    if op.is_empty() {
        return value;
    }
    let literal = |w: &str| (!w.contains('$') && !w.contains('`')).then(|| unquote(w));
    if let Some(w) = op.strip_prefix(":-") {
        return match value {
            Some(v) if !v.is_empty() => Some(v),
            _ => literal(w),
        };
    }
    if let Some(w) = op.strip_prefix('-') {
        return value.or_else(|| literal(w));
    }
    if let Some(w) = op.strip_prefix(":+") {
        return match value {
            Some(v) if !v.is_empty() => literal(w),
            Some(_) => Some(String::new()),
            None => None,
        };
    }
    if let Some(w) = op.strip_prefix('+') {
        return value.map(|_| literal(w)).unwrap_or(None);
    }
    if op.starts_with(":?") || op.starts_with('?') {
        return value;
    }
    None
}

fn unquote(w: &str) -> String {
    w.chars().filter(|c| *c != '"' && *c != '\'').collect()
}

/// `>`, `<<`, … (the fd, if written, is on [`Redirect`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirOp {
    /// `<`
    In,
    /// `>`
    Out,
    /// `>>`
    Append,
    /// `>|`
    Clobber,
    /// `<&`
    DupIn,
    /// `>&`
    DupOut,
    /// `<>`
    ReadWrite,
    /// `<<`
    Heredoc,
    /// `<<-`
    HeredocStrip,
    /// `<<<`
    HereString,
    /// `&>`
    OutErr,
    /// `&>>`
    AppendErr,
}

impl RedirOp {
    /// Whether the redirection writes to its target file.
    pub fn writes(self) -> bool {
        matches!(
            self,
            RedirOp::Out
                | RedirOp::Append
                | RedirOp::Clobber
                | RedirOp::OutErr
                | RedirOp::AppendErr
        )
    }
}

/// A heredoc body, read from the text after the line (or from the Dockerfile's heredoc for
/// the RUN line itself, where BuildKit already cut it out).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HereBody {
    pub text: String,
    /// For each character of `text`, where it is: in the same origin as the script, or (when
    /// `external` is set) in the Dockerfile heredoc with that index.
    pub pos: Vec<Ix>,
    /// The delimiter was unquoted, so `$` expands in the body.
    pub expand: bool,
    /// Index into the RUN instruction's heredocs when the body came from there.
    pub external: Option<usize>,
}

/// `[n]op target` (for heredocs, `target` is the delimiter word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub fd: Option<u32>,
    pub op: RedirOp,
    pub target: Word,
    pub body: Option<HereBody>,
    pub(crate) heredoc_id: Option<usize>,
}

/// A command with its arguments: `A=1 cmd arg… >file`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SimpleCommand {
    /// `NAME=value` words before the command name.
    pub assignments: Vec<Word>,
    /// The command name and its arguments.
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    /// Raw extent in the origin.
    pub start: Ix,
    pub end: Ix,
    /// Scripts this command runs through `sh -c '…'`, `bash -c "…"`, `su -c '…'`,
    /// `find … -exec sh -c '…'`: parsed.
    pub inline: Vec<Inline>,
}

/// A script passed as a string to a shell started by a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inline {
    pub script: Script,
    /// The inner shell was started with `-o pipefail`.
    pub pipefail: bool,
    /// Index in the command's words of the script string.
    pub word: usize,
}

/// What kind of compound command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompoundKind {
    /// `( … )`: runs in a subshell (settings made inside do not leak out).
    Subshell,
    /// `{ …; }`
    Group,
    If,
    While,
    Until,
    For,
    Case,
    /// `name() { … }` (the body runs when called; treated as if it ran where defined).
    Function,
    /// `(( … ))` arithmetic: no commands.
    Arith,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compound {
    pub kind: CompoundKind,
    /// Words in the header (`for x in a b c`, `case $x`), for completeness.
    pub header: Vec<Word>,
    pub bodies: Vec<Script>,
    pub redirects: Vec<Redirect>,
    pub start: Ix,
    pub end: Ix,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Simple(SimpleCommand),
    Compound(Compound),
}

impl Command {
    pub fn start(&self) -> Ix {
        match self {
            Command::Simple(c) => c.start,
            Command::Compound(c) => c.start,
        }
    }

    pub fn end(&self) -> Ix {
        match self {
            Command::Simple(c) => c.end,
            Command::Compound(c) => c.end,
        }
    }

    pub fn as_simple(&self) -> Option<&SimpleCommand> {
        match self {
            Command::Simple(c) => Some(c),
            Command::Compound(_) => None,
        }
    }
}

/// `cmd | cmd | …`, optionally negated with `!`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pipeline {
    pub negated: bool,
    pub commands: Vec<Command>,
}

impl Pipeline {
    pub fn start(&self) -> Ix {
        self.commands.first().map_or(0, Command::start)
    }

    pub fn end(&self) -> Ix {
        self.commands.last().map_or(0, Command::end)
    }
}

/// How an and-or chain links its pipelines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    /// `&&`
    And,
    /// `||`
    Or,
}

/// `p1 && p2 || p3`, optionally run in the background with `&`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
    pub background: bool,
}

impl AndOr {
    pub fn pipelines(&self) -> impl Iterator<Item = &Pipeline> {
        std::iter::once(&self.first).chain(self.rest.iter().map(|(_, p)| p))
    }
}

/// A list of and-or chains separated by `;`, `&` or newlines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Script {
    pub items: Vec<AndOr>,
}

impl Script {
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}
