//! Dockerfiles and Containerfiles: which names discovery picks up, and the per-file pipeline
//! (parse → rules → inline pragmas → config rule settings).

use super::{AuditContext, Outcome, Source};
use crate::input::Input;
use plimsoll_core::suppression::apply_inline;
use plimsoll_core::{AuditError, Target};
use std::path::Path;

/// The Dockerfile source (`kind = "dockerfile"`).
pub struct DockerfileSource;

/// Extensions that mark a file named like a Dockerfile as something else: BuildKit's
/// per-Dockerfile ignore files (`Dockerfile.dockerignore`), documentation, editor and patch
/// leftovers, and templates that are rendered into a Dockerfile before any build (they are
/// not valid Dockerfiles as written). `plimsoll dockerfile FILE` still audits any of them.
const NOT_DOCKERFILE_EXTENSIONS: &[&str] = &[
    "dockerignore",
    "md",
    "markdown",
    "rst",
    "adoc",
    "txt",
    "orig",
    "rej",
    "bak",
    "swp",
    "template",
    "tmpl",
    "tpl",
    "j2",
    "jinja",
    "jinja2",
];

/// Whether a file name is a Dockerfile by convention: `Dockerfile`, `Dockerfile.*`,
/// `*.Dockerfile`, `*.dockerfile`, `Containerfile`, `Containerfile.*` (plus the lower-case
/// `dockerfile`/`containerfile` BuildKit also accepts), minus [`NOT_DOCKERFILE_EXTENSIONS`].
pub fn is_dockerfile_name(name: &str) -> bool {
    const BASES: [&str; 4] = ["Dockerfile", "dockerfile", "Containerfile", "containerfile"];
    if BASES.contains(&name) {
        return true;
    }
    if name.ends_with('~') {
        return false;
    }
    let prefixed = BASES.iter().any(|base| {
        name.strip_prefix(base)
            .is_some_and(|rest| rest.len() > 1 && rest.starts_with('.'))
    });
    let suffixed = [
        ".Dockerfile",
        ".dockerfile",
        ".Containerfile",
        ".containerfile",
    ]
    .iter()
    .any(|suffix| name.len() > suffix.len() && name.ends_with(suffix));
    if !(prefixed || suffixed) {
        return false;
    }
    let extension = name.rsplit('.').next().unwrap_or("");
    !NOT_DOCKERFILE_EXTENSIONS
        .iter()
        .any(|bad| extension.eq_ignore_ascii_case(bad))
}

impl Source for DockerfileSource {
    fn kind(&self) -> &'static str {
        "dockerfile"
    }

    fn plural(&self) -> &'static str {
        "Dockerfiles"
    }

    fn claims(&self, path: &Path) -> bool {
        path.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(is_dockerfile_name)
    }

    fn audit(&self, input: &Input, bytes: &[u8], cx: &AuditContext<'_>) -> Outcome {
        let path = input.display.as_str();
        let file = match plimsoll_dockerfile::parse(path, bytes) {
            Ok(file) => file,
            Err(err) => {
                return Outcome {
                    errors: vec![AuditError {
                        path: path.to_string(),
                        span: err.span,
                        message: err.message,
                        hint: err.hint,
                    }],
                    ..Outcome::default()
                }
            }
        };
        let mut findings = plimsoll_dockerfile::rules::audit(&file, &cx.config.images);
        let pragmas = plimsoll_dockerfile::rules::pragmas(&file);
        let extra = apply_inline(path, &mut findings, &pragmas, cx.registry);
        findings.extend(extra);
        cx.config.apply(cx.registry, &mut findings);
        Outcome {
            targets: vec![Target {
                path: path.to_string(),
                kind: self.kind(),
                source: Some(file.source.clone()),
            }],
            findings,
            ..Outcome::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_dockerfile_name;

    #[test]
    fn recognises_dockerfile_names() {
        for yes in [
            "Dockerfile",
            "dockerfile",
            "Dockerfile.dev",
            "Dockerfile.alpine.arm64",
            "api.Dockerfile",
            "api.dockerfile",
            "Containerfile",
            "Containerfile.fedora",
        ] {
            assert!(is_dockerfile_name(yes), "{yes}");
        }
        for no in [
            "Dockerfile.dockerignore",
            "api.Dockerfile.dockerignore",
            "Dockerfile.md",
            "Dockerfile.template",
            "Dockerfile~",
            "Dockerfile.",
            ".Dockerfile",
            "Dockerfiles",
            "README.md",
            "docker-compose.yml",
            "MyDockerfile",
        ] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
    }
}
