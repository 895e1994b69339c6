//! Dockerfiles and Containerfiles: which names discovery picks up, and the per-file pipeline
//! (parse → rules → the pipeline tail with the file's pragmas).

use super::context::{AuditContext, Outcome, Source};
use crate::input::Input;
use plimsoll_core::{AuditError, Finding, Target};
use plimsoll_dockerfile::Dockerfile;
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
    // Source code and data named after Dockerfiles (`dockerfile_test.go`, `Dockerfile.json`).
    "go",
    "rs",
    "py",
    "js",
    "ts",
    "rb",
    "java",
    "json",
    "yaml",
    "yml",
    "toml",
    "xml",
    "html",
    "sum",
    "lock",
    "diff",
    "patch",
    "log",
    "sh",
    "bash",
    "ps1",
    "bat",
    "in",
    "cfg",
    "ini",
];

/// Whether a file name is a Dockerfile by convention: `Dockerfile`, `Dockerfile.*`,
/// `Dockerfile*` (any name starting so), `*.Dockerfile`, `*.dockerfile`, and the same for
/// `Containerfile` (plus the lower-case
/// `dockerfile`/`containerfile` BuildKit also accepts), minus [`NOT_DOCKERFILE_EXTENSIONS`].
fn is_dockerfile_name(name: &str) -> bool {
    const BASES: [&str; 4] = ["Dockerfile", "dockerfile", "Containerfile", "containerfile"];
    if BASES.contains(&name) {
        return true;
    }
    if name.ends_with('~') {
        return false;
    }
    // `Dockerfile*` as hadolint and Trivy match it: `Dockerfile.dev`, `Dockerfile-dev`,
    // `Dockerfile_prod`, `Dockerfile2`, `Containerfile-arm64`, `Dockerfilecachefrom` (buildah's
    // test tree has all of these). The lower-case bases need a separator or a digit after
    // them: `dockerfile_utils.go` and `dockerfileparser` are code, not Dockerfiles.
    let prefixed = BASES.iter().any(|base| {
        name.strip_prefix(base).is_some_and(|rest| {
            let mut chars = rest.chars();
            match chars.next() {
                Some('.' | '-' | '_') => chars.next().is_some(),
                // `Dockerfiles` names a collection (a list, a directory's worth), not one.
                Some(c) => {
                    c.is_ascii_digit() || (base.starts_with(char::is_uppercase) && rest != "s")
                }
                None => false,
            }
        })
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
        let findings = cx
            .tail()
            .pragmas(path, &plimsoll_dockerfile::rules::pragmas(&file))
            .settle_all(plimsoll_dockerfile::rules::audit(&file, &cx.config.images));
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

/// What building stage `target` adds to a Dockerfile's findings. A compose service with
/// `build.target` ships that stage, so the final-stage rules (user, healthcheck, what ends up
/// in the image) must judge it, while the file's own audit judges its last stage. The file is
/// audited once more with the target as the final stage; findings the default audit makes
/// too (same rule, place and message) are dropped, the rest say which target and service they
/// are about. Inline pragmas and the configuration apply as to any Dockerfile finding. A
/// target no stage is named like is a warning, as `docker compose build` fails on it.
pub fn audit_for_target(
    file: &Dockerfile,
    target: &str,
    services: &[String],
    cx: &AuditContext<'_>,
) -> Result<Vec<Finding>, AuditError> {
    let path = file.path.as_str();
    let quoted: Vec<String> = services.iter().map(|s| format!("`{s}`")).collect();
    let who = match quoted.as_slice() {
        [one] => format!("compose service {one}"),
        many => format!("compose services {}", many.join(", ")),
    };
    let targeted =
        plimsoll_dockerfile::audit_target(file, &cx.config.images, target).map_err(|message| {
            AuditError {
                path: path.to_string(),
                span: None,
                message,
                hint: Some(format!(
                    "{who} builds `target: {target}`; name an existing `FROM … AS {target}` \
                     stage (docker compose build fails on this too)"
                )),
            }
        })?;
    let default = plimsoll_dockerfile::audit(file, &cx.config.images);
    let extra: Vec<Finding> = targeted
        .into_iter()
        .filter(|f| {
            !default.iter().any(|d| {
                d.rule_id == f.rule_id && d.location == f.location && d.message == f.message
            })
        })
        .map(|mut f| {
            f.message = format!("{} (as built for {who} with `target: {target}`)", f.message);
            f
        })
        .collect();
    // Whether its pragmas were used is the file's own audit's to report, once.
    Ok(cx
        .tail()
        .pragmas(path, &plimsoll_dockerfile::rules::pragmas(file))
        .judged_elsewhere()
        .settle_all(extra))
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
            // buildah's test tree names them like this (52 of its 304 Dockerfiles).
            "Dockerfile-dev",
            "Dockerfile_prod",
            "Dockerfile2",
            "Containerfile-arm64",
            "dockerfile-alpine",
            "Dockerfilecachefrom",
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
            "DockerfileParser.java",
            "dockerfileparser",
            "dockerfile_build.sh",
            "Dockerfile.in",
            "dockerfile_test.go",
            "dockerfile.go",
            "Dockerfile-",
            "Dockerfile_dev.md",
        ] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
    }
}
