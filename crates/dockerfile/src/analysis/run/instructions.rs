//! Every RUN of a file (ONBUILD-wrapped ones too) with what decides how it is read: its stage,
//! whether that stage ends up in the final image, the shell in effect (`SHELL`, inherited
//! through `FROM <stage>`; `cmd` on Windows base images), the ARG/ENV values in scope, its
//! `--mount`s, and its script(s) parsed with positions back into the file.

use crate::analysis::run::commands::{Cmd, Flat, Unit, UnitKind};
use crate::analysis::run::file_writes::{self, Written};
use crate::analysis::run::packages::{self, PkgCmd};
use crate::analysis::run::positions::{Lines, Origin, RunPositions};
use crate::analysis::source_text;
use crate::analysis::stages::{Stages, Vars};
use crate::ast::{Command, CommandLine, Dockerfile, Instruction, Located, Mount};
use plimsoll_core::{Location, Span};
use plimsoll_shell as shell;
use plimsoll_shell::{argv, Ch, HereBody, Ix, RedirOp, Script, SimpleCommand, Word};

/// The shell RUN's shell form is executed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellKind {
    /// Its program name (`sh`, `bash`, `powershell`, `cmd`).
    pub name: String,
    /// It reads POSIX `sh` syntax (the POSIX-specific rules only apply then).
    pub posix: bool,
    /// It was started with `-o pipefail`.
    pub pipefail: bool,
}

impl ShellKind {
    /// BuildKit's default on Linux: `["/bin/sh", "-c"]`.
    pub fn linux_default() -> Self {
        ShellKind {
            name: "sh".into(),
            posix: true,
            pipefail: false,
        }
    }

    /// The default on Windows images: `["cmd", "/S", "/C"]`.
    pub fn windows_default() -> Self {
        ShellKind {
            name: "cmd".into(),
            posix: false,
            pipefail: false,
        }
    }

    /// From a `SHELL ["…", …]` instruction.
    pub fn from_args(args: &[Located<String>]) -> Self {
        let Some(first) = args.first() else {
            return ShellKind::linux_default();
        };
        let name = argv::basename(&first.value.replace('\\', "/")).to_ascii_lowercase();
        let name = name.strip_suffix(".exe").unwrap_or(&name).to_string();
        let posix = argv::is_posix_shell(&name);
        let mut pipefail = false;
        for (k, a) in args.iter().enumerate().skip(1) {
            let t = a.value.as_str();
            if (t.starts_with('-') || t.starts_with('+')) && !t.starts_with("--") && t.contains('o')
            {
                let o_count = t.chars().filter(|c| *c == 'o').count();
                if (1..=o_count).any(|n| args.get(k + n).is_some_and(|v| v.value == "pipefail")) {
                    pipefail = t.starts_with('-');
                }
            }
        }
        ShellKind {
            name,
            posix,
            pipefail,
        }
    }
}

/// What is known about one RUN that does not borrow from the file (computed once per file by
/// [`compute`] and shared by all rules through `rules::AnalysisCache`).
#[derive(Debug, Clone)]
pub struct RunData {
    /// Index of the instruction in `Dockerfile::instructions` (the ONBUILD for a wrapped RUN).
    outer_index: usize,
    pub onbuild: bool,
    /// Index of its stage.
    pub stage: usize,
    /// What it leaves behind ends up in a shipped image: its stage is the final stage or one
    /// it builds on, or it is an ONBUILD RUN (which runs in downstream images' builds).
    pub in_final_image: bool,
    pub shell: ShellKind,
    /// ARG/ENV values in scope before it.
    pub vars: Vars,
    pub units: Vec<Unit>,
    pub origins: Vec<Origin>,
    /// Origin of each of the instruction's heredocs.
    heredoc_origins: Vec<usize>,
}

/// A RUN instruction, ready for the rules: the instruction, its [`RunData`] (reachable
/// through `Deref`, so `run.units`, `run.shell`, … read naturally) and the commands its
/// scripts execute ([`Run::flat`]).
#[derive(Debug, Clone)]
pub struct Run<'a> {
    /// The RUN itself (the wrapped instruction for `ONBUILD RUN`).
    pub instr: &'a Instruction,
    /// As listed in the file (the `ONBUILD` for a wrapped RUN).
    pub outer: &'a Instruction,
    pub mounts: &'a [Mount],
    /// Every simple command its scripts execute, in order.
    pub flat: Flat<'a>,
    /// Each command of [`Run::flat`] read as a package-manager command (same order), for
    /// [`Run::pkg`].
    pkgs: Vec<Option<PkgCmd<'a>>>,
    /// Text its commands write to files (see [`file_writes::writes`]).
    pub written: Vec<Written<'a>>,
    data: &'a RunData,
    path: &'a str,
}

impl std::ops::Deref for Run<'_> {
    type Target = RunData;

    fn deref(&self) -> &RunData {
        self.data
    }
}

impl<'a> Run<'a> {
    /// The span of origin characters `start..end`.
    pub fn span(&self, origin: usize, start: Ix, end: Ix) -> Span {
        match self.origins.get(origin) {
            Some(o) => o.span(start, end),
            None => self.first_line(),
        }
    }

    pub fn word_span(&self, origin: usize, w: &Word) -> Span {
        self.span(origin, w.start, w.end)
    }

    /// The span of several words (first to last).
    pub fn words_span(&self, origin: usize, words: &[Word]) -> Span {
        match (words.first(), words.last()) {
            (Some(a), Some(b)) => {
                let s = self.word_span(origin, a);
                let e = self.word_span(origin, b);
                if e.end >= s.start {
                    Span::new(s.start, e.end)
                } else {
                    s
                }
            }
            _ => self.first_line(),
        }
    }

    /// The span of heredoc-body characters `from..to` (char indices into `body.text`).
    pub fn body_span(&self, origin: usize, body: &HereBody, from: usize, to: usize) -> Span {
        let origin = match body.external {
            Some(k) => self.heredoc_origins.get(k).copied().unwrap_or(usize::MAX),
            None => origin,
        };
        match (
            body.pos.get(from),
            to.checked_sub(1).and_then(|t| body.pos.get(t)),
        ) {
            (Some(&s), Some(&e)) => self.span(origin, s, e.max(s) + 1),
            _ => self.first_line(),
        }
    }

    /// The RUN keyword's line (for findings about the instruction as a whole).
    pub fn first_line(&self) -> Span {
        source_text::first_line(self.outer)
    }

    pub fn location(&self, span: Span) -> Location {
        Location::with_span(self.path, span)
    }

    /// Whether a `--mount=type=cache|tmpfs` covers `dir` (or a directory above it), so what
    /// is written there never lands in the image.
    pub fn mount_covers(&self, dir: &str) -> bool {
        self.mounts.iter().any(|m| {
            let kind = m.kind.to_ascii_lowercase();
            if kind != "cache" && kind != "tmpfs" {
                return false;
            }
            let target = m.target().unwrap_or("");
            let target = target.trim_end_matches('/');
            !target.is_empty() && (dir == target || dir.starts_with(&format!("{target}/")))
        })
    }

    /// The value of a variable from ARG/ENV in scope (`None` when unknown).
    pub fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).flatten().cloned()
    }

    /// A command of [`Run::flat`] read as a package-manager command ([`packages::parse`], done once
    /// per command for all rules).
    pub fn pkg(&self, cmd: &Cmd<'_>) -> Option<&PkgCmd<'a>> {
        self.pkgs.get(cmd.seq).and_then(Option::as_ref)
    }

    /// A package command of [`Run::flat`] with the packages it installs and their words,
    /// variables substituted when known ([`packages::installed_names`]).
    pub fn installs(&self, cmd: &Cmd<'_>) -> Option<(&PkgCmd<'a>, Vec<(String, &Word)>)> {
        let pc = self.pkg(cmd)?;
        let values = |w: &Word| self.flat.values(self, w);
        Some((pc, packages::installed_names(pc, &values)))
    }

    /// [`Run::pkg`] for every command of [`Run::flat`], in order.
    pub fn pkgs(&self) -> &[Option<PkgCmd<'a>>] {
        &self.pkgs
    }
}

impl RunPositions for Run<'_> {
    fn span(&self, origin: usize, start: Ix, end: Ix) -> Span {
        Run::span(self, origin, start, end)
    }

    fn words_span(&self, origin: usize, words: &[Word]) -> Span {
        Run::words_span(self, origin, words)
    }

    fn body_span(&self, origin: usize, body: &HereBody, from: usize, to: usize) -> Span {
        Run::body_span(self, origin, body, from, to)
    }

    fn first_line(&self) -> Span {
        Run::first_line(self)
    }

    fn var(&self, name: &str) -> Option<String> {
        Run::var(self, name)
    }
}

/// All RUNs of a file, in order, plus the stage view they were computed with.
pub struct Runs<'a> {
    pub stages: &'a Stages<'a>,
    pub list: Vec<Run<'a>>,
}

impl<'a> Runs<'a> {
    /// The RUNs of `file` from what [`compute`] found in it (with the same `stages`).
    pub fn new(file: &'a Dockerfile, stages: &'a Stages<'a>, data: &'a [RunData]) -> Runs<'a> {
        let mut list = Vec::with_capacity(data.len());
        for r in data {
            let Some((outer, instr, mounts)) = run_instr(file, r.outer_index) else {
                continue;
            };
            let flat = Flat::of(&r.units);
            let pkgs = flat.cmds.iter().map(packages::parse).collect();
            let written = file_writes::writes(&flat);
            list.push(Run {
                instr,
                outer,
                mounts,
                flat,
                pkgs,
                written,
                data: r,
                path: &file.path,
            });
        }
        Runs { stages, list }
    }
}

/// The RUN at `outer_index` (unwrapping ONBUILD): (as listed, the RUN, its mounts).
fn run_instr(
    file: &Dockerfile,
    outer_index: usize,
) -> Option<(&Instruction, &Instruction, &[Mount])> {
    let outer = file.instructions.get(outer_index)?;
    let inner = match &outer.command {
        Command::Onbuild(inner) => inner.as_ref(),
        _ => outer,
    };
    match &inner.command {
        Command::Run { mounts, .. } => Some((outer, inner, mounts.as_slice())),
        _ => None,
    }
}

/// Parses every RUN of the file.
pub fn compute(file: &Dockerfile, stages: &Stages<'_>) -> Vec<RunData> {
    let lines = Lines::new(&file.source);
    // Stage bodies are slices of `file.instructions`: an instruction's index is its offset
    // in that slice (checked by identity; a linear search per RUN would make the walk
    // quadratic in the file's length).
    let index_of = |instr: &Instruction| {
        let offset = (instr as *const Instruction as usize)
            .checked_sub(file.instructions.as_ptr() as usize)?;
        let at = offset / std::mem::size_of::<Instruction>().max(1);
        file.instructions
            .get(at)
            .filter(|i| std::ptr::eq(*i, instr))
            .map(|_| at)
    };
    let mut list = Vec::new();
    let mut shell_end: Vec<ShellKind> = Vec::with_capacity(stages.list.len());
    for stage in &stages.list {
        let mut shell = match stage.parent.and_then(|p| shell_end.get(p)) {
            Some(s) => s.clone(),
            None => default_shell(stages, stage.index),
        };
        let in_final = stages.in_final_image(stage.index);
        stages.walk(stage.index, |instr, vars| {
            let (inner, onbuild) = match &instr.command {
                Command::Onbuild(inner) => (inner.as_ref(), true),
                _ => (instr, false),
            };
            match &inner.command {
                Command::Shell(args) if !onbuild => shell = ShellKind::from_args(args),
                Command::Run { command, .. } => {
                    if let Some(at) = index_of(instr) {
                        list.push(build_run(
                            file,
                            &lines,
                            instr,
                            inner,
                            at,
                            onbuild,
                            stage.index,
                            in_final,
                            command,
                            &shell,
                            vars,
                        ));
                    }
                }
                _ => {}
            }
        });
        shell_end.push(shell);
    }
    list
}

/// The shell a stage starts with when it does not build on another stage: `cmd` for Windows
/// base images (their RUN lines are not POSIX shell), `/bin/sh` otherwise.
fn default_shell(stages: &Stages<'_>, index: usize) -> ShellKind {
    let Some(base) = stages.base_image(index) else {
        return ShellKind::linux_default();
    };
    let name = match &base.resolved {
        Ok(r) => r.full_name(),
        Err(_) => base.written.clone(),
    }
    .to_ascii_lowercase();
    let windows = ["windows", "nanoserver", "servercore"]
        .iter()
        .any(|w| name.contains(w));
    if windows {
        ShellKind::windows_default()
    } else {
        ShellKind::linux_default()
    }
}

#[allow(clippy::too_many_arguments)]
fn build_run(
    file: &Dockerfile,
    lines: &Lines<'_>,
    outer: &Instruction,
    instr: &Instruction,
    outer_index: usize,
    onbuild: bool,
    stage: usize,
    in_final_image: bool,
    command: &CommandLine,
    shell: &ShellKind,
    vars: &Vars,
) -> RunData {
    let fallback = source_text::first_line(outer);
    let mut run = RunData {
        outer_index,
        onbuild,
        stage,
        // An ONBUILD RUN runs in the builds of images made FROM this one: it always ships.
        in_final_image: in_final_image || onbuild,
        shell: shell.clone(),
        vars: vars.clone(),
        units: Vec::new(),
        origins: Vec::new(),
        heredoc_origins: Vec::new(),
    };
    for doc in &instr.heredocs {
        run.heredoc_origins.push(run.origins.len());
        run.origins.push(Origin::heredoc(lines, doc, fallback));
    }
    match command {
        CommandLine::Shell(text) => {
            if !shell.posix {
                return run;
            }
            let origin = run.origins.len();
            run.origins.push(Origin::shell_line(
                lines,
                text.span.start,
                &text.value,
                file.directives.escape,
                fallback,
            ));
            let chars: Vec<Ch> = text.value.chars().zip(0..).collect();
            let externals: Vec<&str> = instr.heredocs.iter().map(|h| h.content.as_str()).collect();
            let script = shell::parse_chars(&chars, &externals, 0);
            let heredoc_script = heredoc_as_script(&script, shell);
            run.units.push(Unit {
                script,
                origin,
                pipefail: shell.pipefail,
                kind: UnitKind::Line,
            });
            if let Some((k, pipefail)) = heredoc_script {
                if let (Some(doc), Some(&origin)) =
                    (instr.heredocs.get(k), run.heredoc_origins.get(k))
                {
                    let chars: Vec<Ch> = doc.content.chars().zip(0..).collect();
                    run.units.push(Unit {
                        script: shell::parse_chars(&chars, &[], 0),
                        origin,
                        pipefail,
                        kind: UnitKind::Heredoc,
                    });
                }
            }
        }
        CommandLine::Exec(parts) => {
            if parts.is_empty() {
                return run;
            }
            let origin = run.origins.len();
            let (o, bases) = Origin::exec(lines, parts, fallback);
            run.origins.push(o);
            let mut cmd = SimpleCommand::default();
            for (part, base) in parts.iter().zip(bases) {
                let n = part.value.chars().count() as Ix;
                let pos: Vec<Ix> = (base..base + n).collect();
                cmd.words
                    .push(Word::literal(&part.value, pos, base, base + n));
            }
            cmd.start = cmd.words.first().map_or(0, |w| w.start);
            cmd.end = cmd.words.last().map_or(0, |w| w.end);
            shell::parse::attach_inline(&mut cmd, 0);
            run.units.push(Unit {
                script: Script {
                    items: vec![shell::AndOr {
                        first: shell::Pipeline {
                            negated: false,
                            commands: vec![shell::Command::Simple(cmd)],
                        },
                        rest: Vec::new(),
                        background: false,
                    }],
                },
                origin,
                pipefail: false,
                kind: UnitKind::Exec,
            });
        }
    }
    // Kept for every RUN of the file: no growth slack.
    run.units.shrink_to_fit();
    run.origins.shrink_to_fit();
    run
}

/// `RUN <<EOF` (the body is the script, run by the SHELL) and `RUN bash [-opts] <<EOF` (a
/// shell reading the body from stdin): which heredoc, and whether pipefail is on in it.
/// A body starting with a `#!` line naming something other than a POSIX shell is not shell.
fn heredoc_as_script(script: &Script, shell: &ShellKind) -> Option<(usize, bool)> {
    let [item] = script.items.as_slice() else {
        return None;
    };
    if !item.rest.is_empty() {
        return None;
    }
    let [shell::Command::Simple(cmd)] = item.first.commands.as_slice() else {
        return None;
    };
    let doc = cmd.redirects.iter().find(|r| {
        matches!(r.op, RedirOp::Heredoc | RedirOp::HeredocStrip) && matches!(r.fd, None | Some(0))
    })?;
    let body = doc.body.as_ref()?;
    let k = body.external?;
    if cmd.words.is_empty() {
        if let Some(first) = body.text.lines().next() {
            if let Some(bang) = first.strip_prefix("#!") {
                let mut words = bang.split_whitespace();
                let mut prog = words.next().map(argv::basename).unwrap_or("");
                if prog == "env" {
                    prog = words.find(|w| !w.starts_with('-')).unwrap_or("");
                }
                if !argv::is_posix_shell(prog) {
                    return None;
                }
                return Some((k, bang.contains("pipefail")));
            }
        }
        return Some((k, shell.pipefail));
    }
    let call = argv::shell_call(&cmd.words)?;
    (call.reads_stdin && call.command_string.is_none()).then_some((k, call.pipefail))
}
