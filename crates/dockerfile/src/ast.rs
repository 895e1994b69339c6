//! The typed Dockerfile model the rules read. The parser (`parser` module) fills it exactly as
//! BuildKit parses; `analysis::stages` adds the stage graph and variable resolution on top.
//!
//! Positions are 1-based lines and columns of the *original* source, even inside line
//! continuations and heredocs, so every finding can underline exactly what it is about.

use plimsoll_core::Span;
use std::sync::Arc;

/// A value and where it is in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Located<T> {
    pub fn new(value: T, span: Span) -> Self {
        Located { value, span }
    }
}

/// One parsed Dockerfile.
#[derive(Debug, Clone)]
pub struct Dockerfile {
    /// Path as given (or `-` for stdin).
    pub path: String,
    /// The whole source text (after BOM removal), for quoting lines in reports.
    pub source: Arc<str>,
    pub directives: Directives,
    pub instructions: Vec<Instruction>,
    /// Every comment line (including those inside continuations, which BuildKit drops, and the
    /// parser directives), for suppression pragmas: the text after `#`, trimmed; the span
    /// covers the whole comment from `#`. Lines inside heredoc bodies are not comments.
    pub comments: Vec<Located<String>>,
    /// Non-fatal observations: what BuildKit accepts but warns about (empty continuation
    /// lines), and flag or value problems BuildKit would only report when building (unknown
    /// flag, non-boolean `--link=`, malformed `--mount`, unterminated quote in an ENV value).
    pub warnings: Vec<ParseWarning>,
}

/// Parser directives at the top of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directives {
    /// `# syntax=docker/dockerfile:1`
    pub syntax: Option<Located<String>>,
    /// `# escape=`` ` `` (default `\`).
    pub escape: char,
    /// `# check=skip=…;error=…`
    pub check: Option<Located<String>>,
}

impl Default for Directives {
    fn default() -> Self {
        Directives {
            syntax: None,
            escape: '\\',
            check: None,
        }
    }
}

/// A non-fatal parser observation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseWarning {
    pub message: String,
    pub span: Span,
}

/// The instruction keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    StopSignal,
    User,
    Volume,
    Workdir,
}

impl Keyword {
    /// Upper-case spelling (`STOPSIGNAL`).
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::StopSignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
        }
    }

    /// Case-insensitive lookup, as BuildKit does.
    pub fn parse(word: &str) -> Option<Keyword> {
        const ALL: [Keyword; 18] = [
            Keyword::Add,
            Keyword::Arg,
            Keyword::Cmd,
            Keyword::Copy,
            Keyword::Entrypoint,
            Keyword::Env,
            Keyword::Expose,
            Keyword::From,
            Keyword::Healthcheck,
            Keyword::Label,
            Keyword::Maintainer,
            Keyword::Onbuild,
            Keyword::Run,
            Keyword::Shell,
            Keyword::StopSignal,
            Keyword::User,
            Keyword::Volume,
            Keyword::Workdir,
        ];
        ALL.into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(word))
    }
}

/// One instruction (a logical line, continuations joined, plus its heredoc bodies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    pub keyword: Keyword,
    /// The keyword as written (`run`, `Run`), with its span.
    pub keyword_span: Span,
    /// `--name[=value]` flags before the arguments, in order.
    pub flags: Vec<Flag>,
    /// The typed arguments.
    pub command: Command,
    /// From the keyword to the end of the last continuation line or heredoc terminator.
    pub span: Span,
    /// The logical line as BuildKit's `Node.Original` has it (continuations joined, comment
    /// lines inside the continuation removed), without heredoc bodies.
    pub original: String,
    /// Heredocs introduced on this line (`RUN <<EOF`), in order. For `ONBUILD RUN <<EOF` they
    /// are on both the ONBUILD instruction (as BuildKit attaches them) and its nested trigger.
    pub heredocs: Vec<Heredoc>,
}

impl Instruction {
    /// First value of flag `name` (without `--`), e.g. `from` for `COPY --from=build`.
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// The first line of the instruction.
    pub fn line(&self) -> u32 {
        self.span.start.line
    }
}

/// `--name=value` (or bare `--name`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub name: String,
    pub value: Option<String>,
    pub span: Span,
}

/// A heredoc body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// Delimiter word (`EOF`).
    pub name: String,
    /// Body text with `<<-` tab stripping applied, ending with a newline per line.
    pub content: String,
    /// False for quoted delimiters (`<<'EOF'`, `<<"EOF"`): no variable expansion.
    pub expand: bool,
    /// `<<-`
    pub chomp: bool,
    /// `3<<EOF` → 3; plain `<<EOF` → 0 (stdin).
    pub file_descriptor: u32,
    /// Span of the body lines (first body line to the terminator line).
    pub span: Span,
}

/// Shell form (`RUN echo hi`) or exec form (`RUN ["echo", "hi"]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandLine {
    /// The command text as written on the (joined) line; for `RUN <<EOF` the heredoc body is
    /// in [`Instruction::heredocs`], not here.
    Shell(Located<String>),
    /// JSON array elements, unescaped.
    Exec(Vec<Located<String>>),
}

impl CommandLine {
    /// The command as one string (exec elements joined by spaces), for pattern matching.
    pub fn text(&self) -> String {
        match self {
            CommandLine::Shell(s) => s.value.clone(),
            CommandLine::Exec(parts) => parts
                .iter()
                .map(|p| p.value.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    pub fn span(&self) -> Option<Span> {
        match self {
            CommandLine::Shell(s) => Some(s.span),
            CommandLine::Exec(parts) => match (parts.first(), parts.last()) {
                (Some(first), Some(last)) => Some(Span::new(first.span.start, last.span.end)),
                _ => None,
            },
        }
    }
}

/// `KEY=value` of ENV or LABEL. Values are as written with quotes and escapes processed but
/// variables *not* expanded (see `analysis::variables` for expansion).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    pub key: Located<String>,
    pub value: Located<String>,
    /// The legacy `ENV key value` form.
    pub legacy: bool,
    /// The value exactly as written (quotes and escapes kept), which is what BuildKit expands
    /// when it runs the instruction; `analysis::variables` expands this, not `value`.
    pub raw_value: String,
}

/// `ARG name[=default]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgDecl {
    pub name: Located<String>,
    /// The default with quotes and escapes processed, variables not expanded.
    pub default: Option<Located<String>>,
    /// The default exactly as written (quotes kept), which `analysis::variables` expands.
    pub raw_default: Option<String>,
}

/// `RUN --mount=type=…,…`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// `bind` (default), `cache`, `tmpfs`, `secret`, `ssh`.
    pub kind: String,
    /// Every `key=value` of the mount, in order (`target`, `source`, `from`, `id`, `rw`, …).
    pub options: Vec<(String, Option<String>)>,
    pub span: Span,
}

impl Mount {
    /// The value of the last `key=value` for `key` (case-insensitive; BuildKit lets a later
    /// field override an earlier one). Bare keys (`ro`) have no value: see [`Mount::has`].
    pub fn option(&self, key: &str) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .and_then(|(_, v)| v.as_deref())
    }

    /// Whether `key` appears at all (with or without a value).
    pub fn has(&self, key: &str) -> bool {
        self.options
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(key))
    }

    /// The first of several alias keys that is set, e.g. `target`/`dst`/`destination`.
    fn option_any(&self, keys: &[&str]) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|(k, v)| v.is_some() && keys.iter().any(|a| k.eq_ignore_ascii_case(a)))
            .and_then(|(_, v)| v.as_deref())
    }

    /// `target=` (aliases `dst=`, `destination=`).
    pub fn target(&self) -> Option<&str> {
        self.option_any(&["target", "dst", "destination"])
    }

    /// `source=` (alias `src=`).
    pub fn source(&self) -> Option<&str> {
        self.option_any(&["source", "src"])
    }

    /// `from=` (a stage or image to mount from). An empty `from=` is no source at all: BuildKit
    /// stores the empty string, which means the build context, as when `from` is absent.
    pub fn from(&self) -> Option<&str> {
        self.option_any(&["from"]).filter(|v| !v.is_empty())
    }
}

/// `HEALTHCHECK NONE` or `HEALTHCHECK [options] CMD …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Healthcheck {
    None,
    Cmd(CommandLine),
}

/// `COPY`/`ADD` arguments (flags are on the instruction: `--from`, `--chown`, `--chmod`,
/// `--link`, `--parents`, `--exclude`, `--checksum`, `--keep-git-dir`, `--unpack`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopySpec {
    /// Sources as written (unexpanded). Heredoc sources appear as `<<EOF`.
    pub sources: Vec<Located<String>>,
    pub dest: Located<String>,
    /// Written in exec (JSON) form.
    pub json: bool,
}

/// The typed arguments of each instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    From {
        /// Image reference as written (may contain `$VAR`).
        image: Located<String>,
        /// `AS name`
        alias: Option<Located<String>>,
    },
    Run {
        command: CommandLine,
        mounts: Vec<Mount>,
    },
    Cmd(CommandLine),
    Entrypoint(CommandLine),
    Shell(Vec<Located<String>>),
    Healthcheck(Healthcheck),
    Env(Vec<KeyValue>),
    Label(Vec<KeyValue>),
    Arg(Vec<ArgDecl>),
    Copy(CopySpec),
    Add(CopySpec),
    User(Located<String>),
    Workdir(Located<String>),
    Volume(Vec<Located<String>>),
    Expose(Vec<Located<String>>),
    StopSignal(Located<String>),
    Maintainer(Located<String>),
    Onbuild(Box<Instruction>),
}
