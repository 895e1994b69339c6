//! DF009: ADD downloads a URL without a checksum.

use crate::analysis::stages;
use crate::ast::Command;

use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF009",
    name: "add-from-url",
    title: "ADD downloads a URL without a checksum",
    severity: Severity::Medium,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when `ADD` (also inside `ONBUILD`) has a remote source and nothing pins \
its content:\n\n- an `http://` or `https://` URL without `--checksum=sha256:…`;\n- a Git \
repository (`https://…/x.git`, `git@host:org/repo`, `git://`, `ssh://`) whose `#ref` is not a \
full commit hash and that has no `--checksum`.\n\nSources are resolved through `ARG`/`ENV` \
defaults; a source that depends on a build argument without a default is left alone.",
        why: "Whatever the server returns at build time goes straight into the image, as \
root-owned files, with no integrity check: a compromised download host, a hijacked domain, a \
MITM on plain `http://`, or a moved Git tag silently changes what you ship. A checksum (or a \
commit hash) makes the build fail instead (CIS 4.9).",
        fix: "Pin the content: `ADD --checksum=sha256:<sha256 of the file> https://…` (needs \
`# syntax=docker/dockerfile:1.6` or later), or download in a `RUN` and verify: \
`curl -fsSLo /tmp/x.tgz URL && echo \"<sha256>  /tmp/x.tgz\" | sha256sum -c -`. For Git, \
reference a full commit: `ADD https://github.com/org/repo.git#<40-hex commit> /src`.",
        bad: "FROM alpine:3.20\nADD https://example.com/tool-1.2.3.tar.gz /opt/\n",
        good: "# syntax=docker/dockerfile:1.6\nFROM alpine:3.20\n\
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d \\\n    \
https://example.com/tool-1.2.3.tar.gz /opt/\n",
    },
    references: References {
        cis: &["4.9"],
        cwe: &["CWE-494", "CWE-829"],
        ..References::NONE
    },
};

pub struct AddUrl;

/// The kind of remote source, or None for a local one.
pub fn remote_kind(src: &str) -> Option<&'static str> {
    let s = src.trim();
    let lower = s.to_ascii_lowercase();
    let repo_part = lower.split('#').next().unwrap_or(&lower);
    if lower.starts_with("git@")
        || lower.starts_with("git://")
        || lower.starts_with("ssh://")
        || ((lower.starts_with("http://") || lower.starts_with("https://"))
            && repo_part.ends_with(".git"))
    {
        Some("git")
    } else if lower.starts_with("http://") || lower.starts_with("https://") {
        Some("http")
    } else {
        None
    }
}

/// Whether a Git source's `#ref` (before any `:subdir`) is a full commit hash.
fn pinned_commit(src: &str) -> bool {
    let Some((_, fragment)) = src.split_once('#') else {
        return false;
    };
    let reference = fragment.split(':').next().unwrap_or("");
    (reference.len() == 40 || reference.len() == 64)
        && reference.chars().all(|c| c.is_ascii_hexdigit())
}

impl Rule<Context<'_>> for AddUrl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        stages::walk_all(stages, |_, instr, onbuild, vars| {
            let Command::Add(spec) = &instr.command else {
                return;
            };
            if instr
                .flag("checksum")
                .is_some_and(|f| f.value.as_deref().is_some_and(|v| !v.is_empty()))
            {
                return;
            }
            for src in &spec.sources {
                let Ok(value) = vars.expand(&src.value) else {
                    continue;
                };
                let Some(kind) = remote_kind(&value) else {
                    continue;
                };
                let prefix = if onbuild { "ONBUILD ADD" } else { "ADD" };
                let (problem, fix) = if kind == "git" {
                    if pinned_commit(&value) {
                        continue;
                    }
                    let (repo, reference) = match value.split_once('#') {
                        Some((r, f)) => (r, f.split(':').next().unwrap_or("")),
                        None => (value.as_str(), ""),
                    };
                    let at = if reference.is_empty() {
                        "its default branch".to_string()
                    } else {
                        format!("`{reference}`, a branch or tag that can be moved")
                    };
                    (
                        format!("clones `{repo}` at {at}"),
                        format!(
                            "pin the exact commit: `{prefix} {}#<full commit hash> …`",
                            value.split('#').next().unwrap_or(&value)
                        ),
                    )
                } else {
                    let plain = if value.to_ascii_lowercase().starts_with("http://") {
                        " over plain http://"
                    } else {
                        ""
                    };
                    (
                        format!("downloads `{value}`{plain} without --checksum"),
                        format!(
                            "add the expected digest: `{prefix} --checksum=sha256:<sha256 of the \
                             file> {value} …` (Dockerfile syntax 1.6+), or download with curl in \
                             a RUN and verify it with sha256sum -c"
                        ),
                    )
                };
                out.push(
                    Finding::new(
                        &META,
                        Location::with_span(&cx.file.path, src.span),
                        format!(
                            "{prefix} at line {} {problem}: whatever the server returns at build \
                             time goes into the image unverified",
                            instr.line()
                        ),
                    )
                    .evidence(instr.original.trim())
                    .fix(fix)
                    .key(value.clone())
                    .build(),
                );
            }
        });
    }
}
