//! Compose projects: which files discovery picks up, and the per-project pipeline (load and
//! merge → map services → attach the facts of the Dockerfiles they build → RS rules → the
//! pipeline tail with the project files' pragmas). The Dockerfiles the services build are
//! audited too and reported with the project, so a service's run findings and its image's
//! build findings arrive together.

use super::context::{AuditContext, Outcome, Source};
use super::correlate::{attach_image_facts, BuiltFrom};
use super::disk_files::DiskFiles;
use super::dockerfile::audit_for_target;
use crate::input::{Input, Origin};
use plimsoll_core::pragma::{comment_pragmas, Style};
use plimsoll_core::{AuditError, Finding, Target};
use plimsoll_runspec::compose::{self, Diagnostic, LoadOptions, Project};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The compose source (`kind = "compose"`).
pub struct ComposeSource;

/// The names `docker compose` looks for, in its order of preference.
pub const BASE_NAMES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

/// Whether a file name is a compose file by convention: the four base names, their
/// `.override` files, and variants such as `docker-compose.prod.yml` or `compose.test.yaml`.
fn is_compose_name(name: &str) -> bool {
    let stem = match name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
    {
        Some(stem) => stem,
        None => return false,
    };
    ["compose", "docker-compose"].iter().any(|base| {
        stem == *base
            || stem
                .strip_prefix(base)
                .is_some_and(|rest| rest.len() > 1 && rest.starts_with('.'))
    })
}

/// The override file `docker compose` merges onto a base file by default
/// (`compose.yaml` → `compose.override.yaml`, same extension).
pub fn override_name(base: &str) -> Option<String> {
    if !BASE_NAMES.contains(&base) {
        return None;
    }
    let (stem, ext) = base.rsplit_once('.')?;
    Some(format!("{stem}.override.{ext}"))
}

impl Source for ComposeSource {
    fn kind(&self) -> &'static str {
        "compose"
    }

    fn plural(&self) -> &'static str {
        "compose files"
    }

    fn claims(&self, path: &Path) -> bool {
        path.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(is_compose_name)
    }

    fn audit(&self, input: &Input, bytes: &[u8], cx: &AuditContext<'_>) -> Outcome {
        // The loader shows paths as given: give them as the report shows them (`app/x.yml`,
        // not the walk's `./app/x.yml`), which name the same files from the working directory.
        let first = match &input.origin {
            Origin::File(_) => PathBuf::from(&input.display),
            Origin::Stdin => PathBuf::from(crate::input::STDIN_NAME),
        };
        let mut files = DiskFiles::default();
        files.preload(first.clone(), bytes.to_vec());
        let mut paths = vec![first.clone()];
        paths.extend(input.with.iter().map(|p| without_dot(p)));
        let mut outcome = Outcome::default();
        let alone = load(&paths, &files, cx);
        let partial = match &alone {
            Ok(project) => is_partial(project),
            Err(_) => true,
        };
        // A variant such as `docker-compose.prod.yml` that does not stand alone (it fails to
        // load, or has services with neither image nor build) is an override of the base file
        // beside it: audit the two merged, as `docker compose -f base -f variant` runs them.
        let merged = match base_for_partial(&first) {
            Some(base) if partial && input.with.is_empty() => {
                load(&[base.clone(), first.clone()], &files, cx)
                    .ok()
                    .map(|project| (base, project))
            }
            _ => None,
        };
        let project = match (alone, merged) {
            (_, Some((base, project))) => {
                outcome.warnings.push(AuditError {
                    path: input.display.clone(),
                    span: None,
                    message: format!(
                        "does not stand alone (a partial file); audited merged onto {}",
                        without_dot(&base).display()
                    ),
                    hint: Some(format!(
                        "this is what `docker compose -f {} -f {}` runs",
                        without_dot(&base).display(),
                        input.display
                    )),
                });
                project
            }
            (Ok(project), None) => project,
            (Err(err), None) => {
                outcome.errors.push(to_audit_error(err));
                return outcome;
            }
        };
        audit_project(project, &files, cx, &mut outcome);
        outcome
    }
}

/// `./app/x.yml` → `app/x.yml`.
fn without_dot(path: &Path) -> PathBuf {
    path.strip_prefix(".")
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

fn load(
    paths: &[PathBuf],
    files: &DiskFiles,
    cx: &AuditContext<'_>,
) -> Result<Project, Diagnostic> {
    // `-f` paths are relative to the working directory, as for `docker compose`; they are given
    // here as the user (or the walk) wrote them, so the working directory is "here".
    let opts = LoadOptions {
        files: paths.to_vec(),
        working_dir: PathBuf::new(),
        project_directory: cx.run.project_directory.clone(),
        project_name: cx.run.project_name.clone(),
        profiles: cx.run.profiles.clone(),
        env: cx.run.env.clone(),
        env_files: cx.run.env_files.clone(),
    };
    compose::load(&opts, files)
}

/// Whether a project has services with neither `image` nor `build`: a file meant to be merged
/// over a base file.
fn is_partial(project: &Project) -> bool {
    project
        .services
        .iter()
        .any(|s| s.image.is_none() && s.build.is_none())
}

/// The base compose file beside a variant file (`docker-compose.prod.yml` → the first existing
/// of `compose.yaml`, …, `docker-compose.yml` in the same directory), if any.
fn base_for_partial(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    if BASE_NAMES.contains(&name) {
        return None;
    }
    let dir = path.parent().unwrap_or(Path::new(""));
    BASE_NAMES
        .iter()
        .map(|b| dir.join(b))
        .find(|candidate| candidate.is_file())
}

/// Runs the rules on every service of a loaded project and gathers its targets.
fn audit_project(
    project: Project,
    files: &dyn compose::FileSource,
    cx: &AuditContext<'_>,
    outcome: &mut Outcome,
) {
    let rule_cx = plimsoll_runspec::rules::Context {
        policy: &cx.config.images,
    };
    let compose_path = project
        .files
        .first()
        .map(|f| f.path.clone())
        .unwrap_or_default();
    let mut findings: Vec<Finding> = Vec::new();
    let mut built: Vec<BuiltFrom> = Vec::new();
    for mut spec in project.services {
        if let Some(b) = attach_image_facts(&mut spec, &compose_path, files) {
            built.push(b);
        }
        findings.extend(plimsoll_runspec::rules::audit(&spec, &rule_cx));
    }
    // A secret in a `.env` that git does not track is the developer's local configuration,
    // which is where compose tells people to keep such values: RS031 reports committed ones.
    // The git index is read only for a file that has such a finding.
    let secret_in = |f: &Finding, path: &str| {
        f.rule_id == plimsoll_runspec::rules::operations::secret_env::META.id
            && f.location.path == path
    };
    for file in project.files.iter().filter(|f| !is_yaml(&f.path)) {
        if findings.iter().any(|f| secret_in(f, &file.path))
            && super::git::is_untracked(Path::new(&file.path))
        {
            findings.retain(|f| !secret_in(f, &file.path));
        }
    }
    let mut tail = cx.tail();
    for file in &project.files {
        let style = if file.path.ends_with(".env") || !is_yaml(&file.path) {
            Style::Shell
        } else {
            Style::Yaml
        };
        tail = tail.pragmas(&file.path, &comment_pragmas(&file.text, style));
        outcome.targets.push(Target {
            path: file.path.clone(),
            kind: if is_yaml(&file.path) {
                "compose"
            } else {
                "env-file"
            },
            source: Some(file.text.clone()),
        });
    }
    outcome.findings.extend(tail.settle_all(findings));
    outcome
        .warnings
        .extend(project.diagnostics.into_iter().map(to_audit_error));
    // Each distinct `build.target` of a Dockerfile, with the services that build it: its stage
    // is what those services ship.
    let mut targets: Vec<(usize, &str, Vec<String>)> = Vec::new();
    for (i, b) in built.iter().enumerate() {
        let (Ok(_), Some(target)) = (&b.result, b.target.as_deref()) else {
            continue;
        };
        let same = targets
            .iter_mut()
            .find(|(j, t, _)| built[*j].path == b.path && t.eq_ignore_ascii_case(target));
        match same {
            Some((_, _, services)) => services.push(b.service.clone()),
            None => targets.push((i, target, vec![b.service.clone()])),
        }
    }
    for (i, target, services) in &targets {
        if let Ok(file) = &built[*i].result {
            match audit_for_target(file, target, services, cx) {
                Ok(findings) => outcome.findings.extend(findings),
                Err(e) => outcome.warnings.push(e),
            }
        }
    }
    // Each Dockerfile once, however many services build it.
    let mut audited: Vec<String> = Vec::new();
    for b in built {
        if !cx.dockerfiles.contains(&b.path) && !audited.contains(&b.path) {
            audited.push(b.path.clone());
            audit_built_dockerfile(b, cx, outcome);
        }
    }
}

fn is_yaml(path: &str) -> bool {
    path.ends_with(".yaml") || path.ends_with(".yml")
}

/// Audits a Dockerfile a service builds, as `plimsoll dockerfile` would.
fn audit_built_dockerfile(built: BuiltFrom, cx: &AuditContext<'_>, outcome: &mut Outcome) {
    match built.result {
        Ok(file) => {
            let findings = cx
                .tail()
                .pragmas(&built.path, &plimsoll_dockerfile::rules::pragmas(&file))
                .settle_all(plimsoll_dockerfile::rules::audit(&file, &cx.config.images));
            outcome.findings.extend(findings);
            outcome.targets.push(Target {
                path: built.path,
                kind: "dockerfile",
                source: Some(Arc::clone(&file.source)),
            });
        }
        Err(message) => outcome.warnings.push(AuditError {
            path: built.path,
            span: None,
            message: format!("the Dockerfile a service builds could not be audited: {message}"),
            hint: None,
        }),
    }
}

fn to_audit_error(d: Diagnostic) -> AuditError {
    AuditError {
        path: d.path,
        span: d.span,
        message: d.message,
        hint: d.hint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_compose_names() {
        for yes in [
            "compose.yaml",
            "compose.yml",
            "docker-compose.yml",
            "docker-compose.yaml",
            "compose.override.yaml",
            "docker-compose.override.yml",
            "docker-compose.prod.yml",
            "compose.test.yaml",
        ] {
            assert!(is_compose_name(yes), "{yes}");
        }
        for no in [
            "compose.json",
            "my-compose.yml",
            "docker-compose.yml.template",
            "compose.",
            "compose..yml",
            "values.yaml",
        ] {
            assert!(!is_compose_name(no), "{no}");
        }
        assert_eq!(
            override_name("docker-compose.yml").as_deref(),
            Some("docker-compose.override.yml")
        );
        assert_eq!(override_name("docker-compose.prod.yml"), None);
    }
}
