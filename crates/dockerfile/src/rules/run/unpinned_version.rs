//! DF038: packages installed without a pinned version.

use crate::analysis::run::commands::Flat;
use crate::analysis::run::instructions::{Run, Runs};
use crate::analysis::run::packages::{self, Manager, PkgCmd};
use crate::analysis::stages::Stages;
use crate::rules::{Context, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Span, Stage};
use plimsoll_shell::Word;

pub static META: RuleMeta = RuleMeta {
    id: "DF038",
    name: "unpinned-package-version",
    title: "Package installed without a pinned version",
    severity: Severity::Info,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires once per install command that names packages without a version: \
`apt-get install pkg` (pin: `pkg=1.2.3-1`), `apk add pkg` (`pkg=1.2-r0`, `pkg~1.2`), \
`yum`/`dnf`/`microdnf install pkg` (`pkg-1.2.3`, modules `mod:stream`), `zypper install pkg` \
(`pkg=1.2`, `pkg>=1.2`), `pip install pkg` (`pkg==1.2`, `~=`, `<`), `npm`/`yarn`/`pnpm add pkg` \
(`pkg@1.2.3`), `gem install pkg` (`pkg:1.2` or `-v`), `go install|get|run mod` \
(`mod@v1.2.3`), `cargo install crate` (`--version`, `crate@1.2`).\n\n\
Not flagged: local files and directories (`./x.deb`, `/tmp/*.apk`, `.`, `*.whl`, \
`*.tgz`), URLs of archives, apk provider names (`so:libssl.so.3`, `cmd:bash`, `pc:zlib`: a \
capability, not a package), git references with a ref (`git+https://…@v1.2`, `…#v1.2`), \
pip with `-c constraints.txt` or `PIP_CONSTRAINT`, `--no-index` installs from a local wheel \
directory, npm/yarn installs from the lockfile (no package names), dnf/yum groups, options' \
values (`apt-get -t bookworm-backports`, `apk --virtual .deps`, `pip --root-user-action \
ignore`), and names whose value the linter cannot know (`$PKGS` from a build argument \
without a default, `$(cat list)`). Variables it *can* resolve are resolved: `pkg=$VER` is \
pinned, and `buildDeps=\"a b\"; apt-get install $buildDeps` checks `a` and `b`; a variable \
only another stage sets (an `ENV` of a stage this one does not build on) is empty when the \
RUN runs, so `openjdk-${JAVA_MAJOR}-jre` is judged with it empty. A bare lower \
bound (`pip install 'flask>=2'`) and moving tags (`@latest`, `@master`) count as unpinned.",
        why: "An unpinned install gets whatever the repository serves on build day. Two \
builds of one commit can differ, a rebuild can pull a new major version that breaks the app \
or a freshly published malicious release (typosquatting and account-takeover attacks on npm \
and PyPI ship exactly that way), and a vulnerability report cannot say which image carries \
which version. Pinning makes every version change a reviewed diff, which a dependency bot \
can keep current.",
        fix: "Pin each package to an exact version (`apt-get install curl=7.88.1-10+deb12u5`, \
`pip install flask==3.0.3`, `npm install express@4.19.2`), or install from a lock file \
(`pip install -r requirements.txt` with hashes, `npm ci`), and let Renovate or Dependabot \
propose upgrades.",
        bad: "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask gunicorn\n",
        good:
            "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3 gunicorn==22.0.0\n",
    },
    references: References {
        cis: &["4.7"],
        hadolint: &[
            "DL3008", "DL3013", "DL3016", "DL3018", "DL3028", "DL3033", "DL3037", "DL3041",
            "DL3062",
        ],
        cwe: &["CWE-1357"],
        ..References::NONE
    },
};

pub struct UnpinnedVersion;

/// The values an operand stands for, with the RUN's variables. A variable this stage does
/// not declare but another stage sets (`ENV JAVA_MAJOR=21` in a stage this one does not build
/// on) is empty when the shell runs: `openjdk-${JAVA_MAJOR}-jre` is read with it empty, not
/// skipped as unknowable — the version the author meant is not there. `None` when a value
/// cannot be known (a build argument without default, `$(…)`).
/// Also returns the names read as empty that way.
fn operand_values(runs: &Runs<'_>, run: &Run<'_>, w: &Word) -> Option<(Vec<String>, Vec<String>)> {
    let emptied = std::cell::RefCell::new(Vec::new());
    let lookup = |name: &str| {
        run.flat.lookup(run, name).or_else(|| {
            let undeclared = !run.flat.vars.contains_key(name) && run.vars.get(name).is_none();
            let elsewhere = undeclared && set_in_another_stage(runs.stages, run.stage, name);
            if elsewhere {
                emptied.borrow_mut().push(name.to_string());
            }
            elsewhere.then(String::new)
        })
    };
    let v = w.resolve(&lookup)?;
    let values = if w.may_split() {
        v.split_whitespace().map(str::to_string).collect()
    } else {
        vec![v]
    };
    Some((values, emptied.into_inner()))
}

/// Whether a stage outside `stage`'s lineage sets `name` with `ENV` or `ARG`.
fn set_in_another_stage(stages: &Stages<'_>, stage: usize, name: &str) -> bool {
    let lineage = stages.lineage(stage);
    stages
        .list
        .iter()
        .filter(|s| !lineage.contains(&s.index))
        .any(|s| stages.vars_at_end(s.index).get(name).is_some())
}

/// Whether one operand (after variable substitution) is pinned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pin {
    Pinned,
    Unpinned,
    /// Not a registry package (a file, a URL, a group), or not judgeable.
    NotApplicable,
}

impl Rule<Context<'_>> for UnpinnedVersion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let runs = cx.runs();
        for run in &runs.list {
            let flat = &run.flat;
            for c in &flat.cmds {
                let Some(pc) = run.pkg(c) else {
                    continue;
                };
                if !pc.installs() || whole_command_pinned(pc, flat, run) {
                    continue;
                }
                let operands: Vec<&Word> = if pc.manager == Manager::Go && pc.action == "run" {
                    pc.operands.iter().take(1).copied().collect()
                } else {
                    pc.operands.clone()
                };
                let mut unpinned: Vec<(String, &Word)> = Vec::new();
                let mut emptied: Vec<String> = Vec::new();
                for w in operands {
                    let Some((values, empty)) = operand_values(runs, run, w) else {
                        continue;
                    };
                    for v in values {
                        if pin(pc, &v) == Pin::Unpinned {
                            unpinned.push((v, w));
                            for name in &empty {
                                if !emptied.contains(name) {
                                    emptied.push(name.clone());
                                }
                            }
                        }
                    }
                }
                let Some((_, first)) = unpinned.first() else {
                    continue;
                };
                let names: Vec<String> = unpinned.iter().map(|(v, _)| format!("`{v}`")).collect();
                let shown = if names.len() > 6 {
                    format!("{} and {} more", names[..5].join(", "), names.len() - 5)
                } else {
                    names.join(", ")
                };
                let from_var = unpinned.iter().any(|(_, w)| !w.is_literal());
                let message = format!(
                    "`{} {}` installs {shown} without a pinned version{}",
                    pc.tool,
                    pc.action,
                    match (emptied.as_slice(), from_var) {
                        ([], true) => " (resolved from variables)".to_string(),
                        ([], false) => String::new(),
                        (names, _) => format!(
                            " (resolved from variables: `{}` is set only in another stage, so it \
                             is empty in this RUN)",
                            names.join("`, `")
                        ),
                    }
                );
                let last = unpinned.last().map_or(*first, |(_, w)| *w);
                let s = run.word_span(c.origin, first);
                let e = run.word_span(c.origin, last);
                let span = if e.end >= s.start {
                    Span::new(s.start, e.end)
                } else {
                    s
                };
                out.push(
                    Finding::new(&META, run.location(span), message)
                        .evidence(pc.text())
                        .fix(fix_for(pc, &unpinned[0].0))
                        .build(),
                );
            }
        }
    }
}

/// Options that pin everything the command installs.
fn whole_command_pinned(
    pc: &PkgCmd<'_>,
    flat: &Flat<'_>,
    run: &crate::analysis::run::instructions::Run<'_>,
) -> bool {
    match pc.manager {
        Manager::Pip => {
            pc.has(&["-c", "--constraint", "--no-index"])
                || flat
                    .lookup(run, "PIP_CONSTRAINT")
                    .is_some_and(|v| !v.is_empty())
        }
        Manager::Gem => pc.has(&["-v", "--version"]),
        Manager::Cargo => pc.has(&["--version", "--vers", "--path", "--rev", "--tag"]),
        Manager::Zypper => pc
            .opts_named(&["-t", "--type"])
            .any(|o| o.value.as_deref().is_some_and(|v| v != "package")),
        Manager::Yum | Manager::Dnf | Manager::Microdnf => {
            pc.action == "groupinstall" || matches!(pc.action.as_str(), "group" | "groups")
        }
        _ => false,
    }
}

fn is_local_path(v: &str) -> bool {
    v.starts_with('.') || v.starts_with('/') || v.starts_with('~') || v.starts_with("file:")
}

fn has_archive_suffix(v: &str, suffixes: &[&str]) -> bool {
    let v = v.to_ascii_lowercase();
    suffixes.iter().any(|s| v.ends_with(s))
}

fn pin(pc: &PkgCmd<'_>, v: &str) -> Pin {
    use Pin::*;
    if v.is_empty() || v.starts_with('-') {
        return NotApplicable;
    }
    match pc.manager {
        Manager::AptGet | Manager::Apt | Manager::Aptitude => {
            if is_local_path(v) || has_archive_suffix(v, &[".deb"]) || v.contains('*') {
                NotApplicable
            } else if v.contains('=') {
                Pinned
            } else {
                Unpinned
            }
        }
        Manager::Apk => {
            // `so:libssl.so.3`, `cmd:bash`, `pc:zlib`: a capability any package may provide,
            // resolved by apk to whichever provides it; there is no package version to pin.
            let provider = ["so:", "cmd:", "pc:", "dbg:"]
                .iter()
                .any(|p| v.starts_with(p));
            if is_local_path(v) || has_archive_suffix(v, &[".apk"]) || provider {
                NotApplicable
            } else if v.contains(['=', '~', '<', '>']) {
                Pinned
            } else {
                Unpinned
            }
        }
        Manager::Yum | Manager::Dnf | Manager::Microdnf | Manager::Zypper => {
            if is_local_path(v) || v.contains("://") || has_archive_suffix(v, &[".rpm"]) {
                return NotApplicable;
            }
            if matches!(pc.action.as_str(), "module") || v.starts_with('@') {
                return if v.contains(':') {
                    Pinned
                } else if pc.action == "module" {
                    Unpinned
                } else {
                    NotApplicable
                };
            }
            let dash_digit = v
                .match_indices('-')
                .any(|(i, _)| v[i + 1..].starts_with(|c: char| c.is_ascii_digit()));
            if dash_digit || v.contains(['=', '<', '>']) {
                Pinned
            } else {
                Unpinned
            }
        }
        Manager::Pip | Manager::Pipx => pip_pin(v),
        Manager::Npm | Manager::Yarn | Manager::Pnpm => npm_pin(v),
        Manager::Gem => {
            if is_local_path(v) || has_archive_suffix(v, &[".gem"]) {
                NotApplicable
            } else if v.contains(':') {
                Pinned
            } else {
                Unpinned
            }
        }
        Manager::Go => {
            let path = v.split('@').next().unwrap_or(v);
            let first = path.split('/').next().unwrap_or(path);
            if is_local_path(v) || path.ends_with(".go") || !first.contains('.') {
                return NotApplicable;
            }
            match v.split_once('@') {
                Some((_, ver))
                    if !matches!(ver, "latest" | "master" | "main" | "upgrade" | "patch" | "") =>
                {
                    Pinned
                }
                _ => Unpinned,
            }
        }
        Manager::Cargo => {
            if pc.has(&["--git"]) {
                return Unpinned;
            }
            if v.contains('@') {
                Pinned
            } else {
                Unpinned
            }
        }
    }
}

/// pip requirement specifiers: `==`, `===`, `~=` pin; `<`/`<=` bound from above; a bare `>=`,
/// `>` or `!=` still installs whatever is newest.
fn pip_pin(v: &str) -> Pin {
    use Pin::*;
    let lower = v.to_ascii_lowercase();
    if is_local_path(v)
        || has_archive_suffix(v, &[".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2", ".tar"])
        || (v.contains('/') && !v.contains("://") && !v.contains('@'))
    {
        return NotApplicable;
    }
    if lower.contains(" @ ") || lower.contains("@ ") {
        return Pinned;
    }
    if let Some((scheme, rest)) = lower.split_once("://") {
        if scheme.starts_with("git+") || scheme == "git" || scheme.starts_with("hg+") {
            // A VCS URL is pinned when it names a ref after the path: `…/repo.git@v1.2`.
            let rest = rest.split('#').next().unwrap_or(rest);
            let path = rest.split_once('/').map_or("", |(_, p)| p);
            return if path.contains('@') { Pinned } else { Unpinned };
        }
        return NotApplicable;
    }
    let spec_start = lower.find(['=', '<', '>', '~', '!']);
    let Some(at) = spec_start else {
        return Unpinned;
    };
    let spec = &lower[at..];
    let clauses: Vec<&str> = spec.split(',').map(str::trim).collect();
    let pins = clauses
        .iter()
        .any(|c| c.starts_with("==") || c.starts_with("~=") || c.starts_with('<'));
    if pins {
        Pinned
    } else {
        Unpinned
    }
}

/// npm/yarn/pnpm package specs.
fn npm_pin(v: &str) -> Pin {
    use Pin::*;
    if is_local_path(v)
        || v.starts_with("link:")
        || v.starts_with("workspace:")
        || has_archive_suffix(v, &[".tgz", ".tar.gz", ".tar"])
    {
        return NotApplicable;
    }
    let is_git = v.starts_with("git+")
        || v.starts_with("git://")
        || v.starts_with("github:")
        || v.starts_with("gitlab:")
        || v.starts_with("bitbucket:")
        || (v.contains('/') && !v.starts_with('@') && !v.contains("://") && !v.contains('@'));
    if is_git {
        return if v.contains('#') { Pinned } else { Unpinned };
    }
    if v.contains("://") {
        return NotApplicable;
    }
    let name_end = if let Some(rest) = v.strip_prefix('@') {
        rest.find('@').map(|i| i + 1)
    } else {
        v.find('@')
    };
    match name_end {
        Some(i) => {
            let ver = &v[i + 1..];
            if matches!(ver, "" | "latest" | "next" | "*" | "x") {
                Unpinned
            } else {
                Pinned
            }
        }
        None => Unpinned,
    }
}

fn fix_for(pc: &PkgCmd<'_>, example: &str) -> String {
    let name = match pc.manager {
        Manager::Npm | Manager::Yarn | Manager::Pnpm | Manager::Cargo => {
            let cut = if let Some(rest) = example.strip_prefix('@') {
                rest.find('@').map(|i| i + 1)
            } else {
                example.find('@')
            };
            cut.map_or(example, |i| &example[..i]).to_string()
        }
        Manager::Pip | Manager::Pipx => example
            .find(['=', '<', '>', '~', '!', '[', ';', ' '])
            .map_or(example, |i| &example[..i])
            .to_string(),
        _ => packages::package_name(pc.manager, example),
    };
    let name = if name.is_empty() {
        example.to_string()
    } else {
        name
    };
    let how = match pc.manager {
        Manager::AptGet | Manager::Apt | Manager::Aptitude => {
            format!("`{name}=<version>` (see `apt-cache policy {name}`)")
        }
        Manager::Apk => format!("`{name}=<version>` (see `apk policy {name}`)"),
        Manager::Yum | Manager::Dnf | Manager::Microdnf => format!("`{name}-<version>`"),
        Manager::Zypper => format!("`{name}=<version>`"),
        Manager::Pip | Manager::Pipx => {
            format!("`{name}==<version>`, or install from a requirements file with hashes")
        }
        Manager::Npm | Manager::Yarn | Manager::Pnpm => {
            format!("`{name}@<version>`, or add it to package.json and use the lockfile (`npm ci`)")
        }
        Manager::Gem => format!("`{name}:<version>` (or `-v <version>`)"),
        Manager::Go => format!(
            "`{}@v<version>`",
            example.split('@').next().unwrap_or(example)
        ),
        Manager::Cargo => format!("`{name}@<version>` (or `--version <version>`)"),
    };
    format!("pin each package to an exact version, e.g. {how}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pip_specifiers() {
        assert_eq!(pip_pin("flask==3.0"), Pin::Pinned);
        assert_eq!(pip_pin("flask~=3.0"), Pin::Pinned);
        assert_eq!(pip_pin("flask<4"), Pin::Pinned);
        assert_eq!(pip_pin("flask>=2"), Pin::Unpinned);
        assert_eq!(pip_pin("flask>=2,<3"), Pin::Pinned);
        assert_eq!(pip_pin("flask[async]"), Pin::Unpinned);
        assert_eq!(pip_pin("./dist/app.whl"), Pin::NotApplicable);
        assert_eq!(pip_pin("https://example.com/a.zip"), Pin::NotApplicable);
        assert_eq!(
            pip_pin("git+https://github.com/o/r.git@v1.2#egg=r"),
            Pin::Pinned
        );
        assert_eq!(
            pip_pin("git+https://github.com/o/r.git#egg=r"),
            Pin::Unpinned
        );
        assert_eq!(
            pip_pin("git+https://user@github.com/o/r.git"),
            Pin::Unpinned
        );
        assert_eq!(pip_pin("src/pkg"), Pin::NotApplicable);
    }

    #[test]
    fn npm_specs() {
        assert_eq!(npm_pin("express"), Pin::Unpinned);
        assert_eq!(npm_pin("express@4.19.2"), Pin::Pinned);
        assert_eq!(npm_pin("express@latest"), Pin::Unpinned);
        assert_eq!(npm_pin("@scope/pkg"), Pin::Unpinned);
        assert_eq!(npm_pin("@scope/pkg@1.0.0"), Pin::Pinned);
        assert_eq!(npm_pin("user/repo"), Pin::Unpinned);
        assert_eq!(npm_pin("user/repo#v1"), Pin::Pinned);
        assert_eq!(npm_pin("./pkg.tgz"), Pin::NotApplicable);
    }
}
