//! `docker run` / `docker create` commands found in shell scripts, Makefiles and CI YAML,
//! each parsed into a [`RunSpec`] whose spans point into the file.
//!
//! Discovery is by name ([`kind_of`]: `*.sh`, `*.bash`, `Makefile`, `GNUmakefile`, `*.mk`,
//! `*.makefile` (`docker.Makefile`, run with `make -f`),
//! `.github/workflows/*.yml|yaml`, `.gitlab-ci.yml`) or, for an extensionless script, by its
//! `#!` line ([`kind_of_text`]: `sh`, `bash`, `dash`, `ash`, also through `env`).
//!
//! Each file kind is first turned into the shell text its runner would execute, keeping every
//! character's position (module `source`): a shell script as it is; a Makefile's recipe lines
//! (module `make`); a CI file's `run:` / `script:` values (module `ci`). That text is split
//! into simple commands (module `commands`, with the `plimsoll-shell` reader) and each
//! command's words go to [`crate::cli::parse_words`].
//!
//! This is a scanner, not a shell (best effort, documented limits):
//! - nothing is executed or expanded: `$VAR`, `$(…)` and make's `$(VAR)` stay literal, so a
//!   command whose program is `$DOCKER` or `$(DOCKER)` is not recognised; an image given as
//!   `$IMAGE` is the literal the script assigned to `IMAGE` earlier (module `assign`), or stays
//!   `$IMAGE` (unknown) when the script does not say;
//! - commands inside `$(…)` and backquotes are found (the shell runs them), and so are those
//!   behind a command wrapper (`sudo`, `env`, `nice`, `timeout`, `xargs`, …; the table is
//!   `plimsoll_shell::wrappers`); a `docker run` passed as a string (`sh -c 'docker run …'`,
//!   `ssh host docker run …`) is not;
//! - shell functions and aliases are not followed (`run() { docker run "$@"; }` yields the
//!   inner command with `$@` as its image);
//! - an image the script built earlier (`docker build -t app .`, then `docker run app`) is
//!   marked as built ([`RunSpec::build`], module `built`), as a compose service with `build:`;
//! - here-document bodies are skipped (they are data, or input to another program);
//! - CI YAML is scanned line by line (`ci` lists what it reads).

mod assign;
mod built;
mod ci;
mod commands;
mod make;
mod source;

use crate::cli::{self, CliError};
use crate::model::RunSpec;
use plimsoll_core::Span;
use std::path::Path;

/// What kind of file holds the commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScriptKind {
    /// A POSIX shell or bash script.
    Shell,
    /// A Makefile (GNU make syntax): its recipe lines.
    Makefile,
    /// GitHub Actions workflow (`run:` values).
    GitHubWorkflow,
    /// GitLab CI configuration (`script:`, `before_script:`, `after_script:` values).
    GitLabCi,
}

/// The kind of script `path` is, by its name alone. Extensionless scripts need their first
/// line: see [`kind_of_text`].
pub fn kind_of(path: &Path) -> Option<ScriptKind> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    if matches!(name, "Makefile" | "makefile" | "GNUmakefile")
        || lower.ends_with(".mk")
        || lower.ends_with(".makefile")
    {
        return Some(ScriptKind::Makefile);
    }
    if lower.ends_with(".sh") || lower.ends_with(".bash") {
        return Some(ScriptKind::Shell);
    }
    if lower == ".gitlab-ci.yml" || lower == ".gitlab-ci.yaml" || lower.ends_with(".gitlab-ci.yml")
    {
        return Some(ScriptKind::GitLabCi);
    }
    if lower.ends_with(".yml") || lower.ends_with(".yaml") {
        let mut parents = path.parent()?.components().rev();
        let dir = parents.next()?.as_os_str();
        let grand = parents.next()?.as_os_str();
        if dir == "workflows" && grand == ".github" {
            return Some(ScriptKind::GitHubWorkflow);
        }
    }
    None
}

/// [`kind_of`], or for any other file a shell script when `first_line` is a `#!` line naming
/// `sh`, `bash`, `dash` or `ash` (directly or through `env`, with or without `-S`).
pub fn kind_of_text(path: &Path, first_line: &str) -> Option<ScriptKind> {
    if let Some(kind) = kind_of(path) {
        return Some(kind);
    }
    let interpreter = first_line.strip_prefix("#!")?;
    let mut words = interpreter.split_whitespace();
    let mut program = words.next()?;
    if program.rsplit('/').next() == Some("env") {
        program = words.find(|w| !w.starts_with('-') && !w.contains('='))?;
    }
    let name = program.rsplit('/').next().unwrap_or(program);
    matches!(name, "sh" | "bash" | "dash" | "ash").then_some(ScriptKind::Shell)
}

/// The largest script scanned: the scanner keeps a position per character, and no real
/// script comes near this.
pub const MAX_SCRIPT_BYTES: usize = 16 << 20;

/// Every `docker run`/`docker create` command in `text` (the contents of `path`), parsed, in
/// order; a command that is one but cannot be read gives its error in place. A text larger
/// than [`MAX_SCRIPT_BYTES`] that mentions `docker` gives one error instead.
///
/// The commands are parsed as the iterator is read: a caller that audits each [`RunSpec`] and
/// drops it holds one at a time, however many `docker run` lines the script has (a 3.8 MB
/// script of 25,000 of them used to hold 25,000 RunSpecs at once). Of the other commands only
/// variable assignments are kept while a script block is scanned.
pub fn find_runs<'a>(
    path: &'a str,
    text: &'a str,
    kind: ScriptKind,
) -> impl Iterator<Item = Result<RunSpec, CliError>> + 'a {
    let (too_big, sources) = sources_of(path, text, kind);
    // Each make recipe line runs in a shell of its own: a variable set on one is gone on the
    // next, so assignments are followed only in shell scripts and CI script blocks.
    let follow_assignments = kind != ScriptKind::Makefile;
    too_big.into_iter().map(Err).chain(
        sources
            .into_iter()
            .flat_map(move |src| runs_in(path, &src, follow_assignments)),
    )
}

/// The shell texts to scan, or the error for a text too large to scan.
fn sources_of(path: &str, text: &str, kind: ScriptKind) -> (Option<CliError>, Vec<source::Source>) {
    if !text.contains("docker") {
        return (None, Vec::new());
    }
    if text.len() > MAX_SCRIPT_BYTES {
        return (
            Some(CliError {
                path: path.to_string(),
                span: None,
                message: format!(
                    "not scanned for `docker run` commands: {} bytes is more than the {} MiB limit",
                    text.len(),
                    MAX_SCRIPT_BYTES >> 20
                ),
                hint: Some(
                    "split the script, or audit its commands with `plimsoll run`".to_string(),
                ),
            }),
            Vec::new(),
        );
    }
    let sources = match kind {
        ScriptKind::Shell => vec![source::Source::whole(text)],
        ScriptKind::Makefile => make::recipes(text),
        ScriptKind::GitHubWorkflow => ci::scripts(text, ci::Flavor::GitHub),
        ScriptKind::GitLabCi => ci::scripts(text, ci::Flavor::GitLab),
    };
    (None, sources)
}

/// The docker commands of one shell text, parsed one by one as the iterator is read.
fn runs_in<'a>(
    path: &'a str,
    src: &source::Source,
    follow_assignments: bool,
) -> impl Iterator<Item = Result<RunSpec, CliError>> + 'a {
    let mentions_docker = |words: &[cli::Word]| words.iter().any(|w| w.text.contains("docker"));
    let keep = |words: &[cli::Word]| {
        mentions_docker(words) || (follow_assignments && assign::may_assign(words))
    };
    let commands = commands::commands_where(src.chars(), &keep);
    let assignments = if follow_assignments {
        assign::assignments(&commands)
    } else {
        Vec::new()
    };
    let built = built::builds(&commands);
    commands
        .into_iter()
        .filter(move |c| mentions_docker(&c.words))
        .filter_map(move |command| {
            let (first, last) = (command.words.first()?, command.words.last()?);
            let anchor = Span::new(first.span.start, last.span.end);
            match cli::parse_words(path, &command.words, anchor) {
                Ok(Some(mut spec)) => {
                    assign::resolve_image(&mut spec, &assignments);
                    built::attach(&mut spec, path, &built);
                    Some(Ok(spec))
                }
                Ok(None) => None,
                Err(e) => Some(Err(e)),
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A large script is scanned without holding every command's words, and its `docker run`
    /// lines are parsed one at a time as they are read (issue 8: a 3.8 MB script of 25,000
    /// `docker run` lines held them all).
    #[test]
    fn scanning_keeps_only_docker_commands_and_assignments() {
        let text = "echo a\nIMG=app:1\nls -l | wc -l\nexport TAG=x\ndocker run $IMG\n";
        let src = source::Source::whole(text);
        let keep =
            |w: &[cli::Word]| w.iter().any(|w| w.text.contains("docker")) || assign::may_assign(w);
        let kept: Vec<String> = commands::commands_where(src.chars(), &keep)
            .iter()
            .filter_map(|c| c.words.first().map(|w| w.text.clone()))
            .collect();
        assert_eq!(kept, ["IMG=app:1", "export", "docker"]);
        let many = "docker run --rm alpine:3.20 true\n".repeat(1000);
        let mut runs = find_runs("many.sh", &many, ScriptKind::Shell);
        assert!(runs.next().is_some_and(|r| r.is_ok()));
        assert_eq!(runs.count(), 999);
    }

    #[test]
    fn kinds_by_name() {
        let k = |p: &str| kind_of(Path::new(p));
        assert_eq!(k("run.sh"), Some(ScriptKind::Shell));
        assert_eq!(k("dir/deploy.BASH"), Some(ScriptKind::Shell));
        assert_eq!(k("Makefile"), Some(ScriptKind::Makefile));
        assert_eq!(k("sub/GNUmakefile"), Some(ScriptKind::Makefile));
        assert_eq!(k("rules.mk"), Some(ScriptKind::Makefile));
        assert_eq!(k("docker.Makefile"), Some(ScriptKind::Makefile));
        assert_eq!(k(".gitlab-ci.yml"), Some(ScriptKind::GitLabCi));
        assert_eq!(k("ci/build.gitlab-ci.yml"), Some(ScriptKind::GitLabCi));
        assert_eq!(
            k(".github/workflows/ci.yml"),
            Some(ScriptKind::GitHubWorkflow)
        );
        assert_eq!(
            k("repo/.github/workflows/ci.yaml"),
            Some(ScriptKind::GitHubWorkflow)
        );
        assert_eq!(k("workflows/ci.yml"), None);
        assert_eq!(k("compose.yaml"), None);
        assert_eq!(k("script"), None);
        assert_eq!(k(""), None);
    }

    #[test]
    fn kinds_by_shebang() {
        let k = |line: &str| kind_of_text(Path::new("bin/start"), line);
        assert_eq!(k("#!/bin/sh"), Some(ScriptKind::Shell));
        assert_eq!(k("#!/bin/bash -e"), Some(ScriptKind::Shell));
        assert_eq!(k("#!/usr/bin/env bash"), Some(ScriptKind::Shell));
        assert_eq!(k("#!/usr/bin/env -S bash -eu"), Some(ScriptKind::Shell));
        assert_eq!(k("#! /bin/dash"), Some(ScriptKind::Shell));
        assert_eq!(k("#!/usr/bin/env python3"), None);
        assert_eq!(k("#!/usr/bin/env"), None);
        assert_eq!(k("echo hi"), None);
        assert_eq!(
            kind_of_text(Path::new("x.sh"), "#!/usr/bin/python"),
            Some(ScriptKind::Shell)
        );
    }
}
