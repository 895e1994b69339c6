//! Loading a compose project the way `docker compose` does (docker/compose
//! `cmd/compose/compose.go` `toProjectOptions`, compose-go `cli/options.go` and
//! `loader/loader.go`):
//!
//! 1. **Environment**: the caller's environment, then the `.env` of the working (or project)
//!    directory — or the `--env-file`s instead — for variables not already set: the caller's
//!    environment wins, as in compose.
//! 2. **Files**: the `-f` files; else `COMPOSE_FILE`; else the first of
//!    [`default_file_names`] found in the working directory or its parents, plus the first
//!    override file ([`super::files::default_override_file_names`]) beside it. Several
//!    candidates: the first wins, with a warning (compose's).
//! 3. **Project directory**: `--project-directory`, else the first file's directory; its
//!    `.env` is read too (again without overriding anything set).
//! 4. **Project name**: `--project-name`, else `COMPOSE_PROJECT_NAME`, else the last `name:`
//!    of the files (interpolated), else the project directory's name — normalised as compose
//!    does (lower case, `[a-z0-9_-]`). `COMPOSE_PROJECT_NAME` is then set for interpolation.
//! 5. **Each document of each file**, in order: interpolation, `include` (each included
//!    project loaded on its own and its resources imported), `extends`, then a merge over what
//!    came before ([`super::merge`]).
//! 6. **The model**: unique keys enforced, relative paths resolved against the project
//!    directory, inactive-profile services removed, and each service mapped into a
//!    [`RunSpec`] by [`super::service::to_runspec`].
//!
//! Differences from compose, on purpose (an auditor reads repositories, not deployments):
//! a missing `env_file` is a warning, not an error (repositories rarely ship their `.env`); a
//! service with neither `image` nor `build` (a partial file meant to be merged over a base) is
//! a warning and is still audited; an empty (`null`) service is a warning and skipped.

use super::dotenv;
use super::files::{
    clean, default_file_names, default_override_file_names, join, parent, show, FileKind,
    FileSource, Files, LoadedFile, MemoryFiles, ReadError,
};
use super::interpolate::interpolate;
use super::merge::{clean as clean_tags, merge_models};
use super::nodes::{empty_map, error_at, remove_key, text, warning_at};
use super::paths::{resolve_paths, Base};
use super::profiles::{drop_inactive, enabled_profiles};
use super::schema;
use super::service::{to_runspec, MapContext, ProjectEnv};
use super::unique::enforce_unicity;
use super::Diagnostic;
use crate::model::RunSpec;
use crate::yaml::{parse, Limits, Node, NodeKind, YamlError};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

/// How to load a project: what `docker compose` takes from its command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// `-f` files in order (relative to `working_dir`); empty: `COMPOSE_FILE`, else the
    /// default names in `working_dir` or its parents.
    pub files: Vec<PathBuf>,
    /// The directory compose runs in (the binary passes the current directory).
    pub working_dir: PathBuf,
    /// `--project-directory`; default: the first file's directory.
    pub project_directory: Option<PathBuf>,
    /// `--project-name` / `-p`.
    pub project_name: Option<String>,
    /// `--profile`; when empty, `COMPOSE_PROFILES` from the environment.
    pub profiles: Vec<String>,
    /// The caller's environment (the process environment for the binary).
    pub env: BTreeMap<String, String>,
    /// `--env-file`; default: `<project dir>/.env` when it exists.
    pub env_files: Vec<PathBuf>,
}

/// A loaded compose project.
#[derive(Debug, Clone)]
pub struct Project {
    pub name: String,
    /// Every file read (compose files, `.env`, `env_file`, `extends`/`include` targets), for
    /// quoting source lines in reports.
    pub files: Vec<LoadedFile>,
    /// The merged, interpolated model: `extends`/`include` resolved, relative paths resolved,
    /// inactive-profile services removed.
    pub model: Node,
    /// One per active service, in the model's order.
    pub services: Vec<RunSpec>,
    /// Warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// The project directory relative paths were resolved against (the working directory
    /// joined with the display project directory).
    pub project_dir: PathBuf,
    /// The profiles that were enabled.
    pub profiles: Vec<String>,
}

/// Loads the project `opts` describes, reading files through `fs`.
pub fn load(opts: &LoadOptions, fs: &dyn FileSource) -> Result<Project, Diagnostic> {
    let home = opts.env.get("HOME").cloned();
    Loader::new(fs, &opts.working_dir, home).load_project(opts)
}

/// Loads one in-memory compose file (tests, fuzzing): `path` is its display path; its
/// directory is the project directory; nothing else exists (so `env_file`s are missing and an
/// `extends.file` or `include` fails to load).
pub fn load_str(
    path: &str,
    text: &str,
    env: &BTreeMap<String, String>,
) -> Result<Project, Diagnostic> {
    let fs = MemoryFiles::new().with(path, text);
    let opts = LoadOptions {
        files: vec![PathBuf::from(path)],
        env: env.clone(),
        ..LoadOptions::default()
    };
    load(&opts, &fs)
}

/// One project being loaded: the top level, or an `include`d project.
pub(crate) struct Level {
    /// What this level's relative paths are resolved against: the located project directory
    /// at the top; for an included project, its directory relative to the including level
    /// (the including level resolves the result in turn, as compose-go does).
    pub rel: PathBuf,
    /// The located directory of the level, for reading files it references.
    pub dir: PathBuf,
    /// Variables for interpolation.
    pub vars: Rc<BTreeMap<String, String>>,
    /// Display paths of the compose files being processed above this point (include cycles).
    pub chain: Vec<String>,
}

/// State shared by every step of one load.
pub(crate) struct Loader<'a> {
    pub files: Files<'a>,
    pub limits: Limits,
    pub home: Option<String>,
    pub diags: Vec<Diagnostic>,
    /// `extends: {file:}` targets already loaded: by located path and the directory their
    /// paths were rebased to; the services mapping, with `extends` resolved as it goes.
    pub extends_cache: HashMap<(PathBuf, PathBuf), (Node, HashMap<String, usize>)>,
    /// Nodes produced by resolving `extends` so far (bounded by `limits.max_nodes`).
    pub extended_nodes: usize,
    /// Warnings not kept because [`MAX_WARNINGS`] were already kept.
    pub omitted: usize,
}

/// Most warnings one load keeps: a hostile file can make one per scalar (an unset variable
/// in every value); the rest are counted and summarised.
const MAX_WARNINGS: usize = 1000;

impl<'a> Loader<'a> {
    fn new(fs: &'a dyn FileSource, working_dir: &Path, home: Option<String>) -> Self {
        Loader {
            files: Files::new(fs, working_dir),
            limits: Limits::default(),
            home,
            diags: Vec::new(),
            extends_cache: HashMap::new(),
            extended_nodes: 0,
            omitted: 0,
        }
    }

    fn load_project(mut self, opts: &LoadOptions) -> Result<Project, Diagnostic> {
        // 1. The caller's environment, then `.env` where compose first looks for it.
        let mut vars = opts.env.clone();
        let mut dotenv_seen = Vec::new();
        let mut from_dotenv = ProjectEnv::new();
        let first_dir = match (&opts.project_directory, opts.files.first()) {
            (Some(d), _) => clean(d),
            (None, Some(f)) => parent(f),
            (None, None) => PathBuf::new(),
        };
        self.project_dotenv(
            opts,
            &first_dir,
            &mut vars,
            &mut dotenv_seen,
            &mut from_dotenv,
        )?;

        // 2. The compose files.
        let files = self.compose_files(opts, &vars)?;
        let Some((first_display, _)) = files.first() else {
            return Err(no_files(&opts.working_dir));
        };

        // 3. The project directory, and its `.env`.
        let display_dir = match &opts.project_directory {
            Some(d) => clean(d),
            None => parent(Path::new(first_display)),
        };
        let project_dir = self.files.locate(&display_dir);
        self.project_dotenv(
            opts,
            &display_dir,
            &mut vars,
            &mut dotenv_seen,
            &mut from_dotenv,
        )?;

        // 4. Read the files, then the project name (it may come from them).
        let mut sources = Vec::new();
        for (display, located) in &files {
            let docs = self.read_compose(located, display, FileKind::Compose, None)?;
            sources.push((display.clone(), docs));
        }
        let name = project_name(opts, &vars, &sources, &project_dir)?;
        vars.insert("COMPOSE_PROJECT_NAME".to_string(), name.clone());

        // 5. The per-file pipeline.
        let top = Level {
            rel: project_dir.clone(),
            dir: project_dir.clone(),
            vars: Rc::new(vars),
            chain: Vec::new(),
        };
        let mut model = self.merge_level(sources, &top)?;

        // 6. The model.
        self.check_model(&mut model)?;
        let profiles = enabled_profiles(&opts.profiles, &top.vars);
        let skipped = drop_inactive(&mut model, &profiles);
        self.note(skipped);
        let services = self.map_services(&name, &model, &project_dir, &top.vars, &from_dotenv)?;

        let (files, diagnostics) = self.into_warnings();
        Ok(Project {
            name,
            files,
            model,
            services,
            diagnostics,
            project_dir,
            profiles,
        })
    }

    /// Reads the project's variable files (`--env-file`s, else `<dir>/.env`) into `vars`
    /// without overriding what is set, noting in `from_dotenv` where each value it set is
    /// written. A file already read is not read again.
    fn project_dotenv(
        &mut self,
        opts: &LoadOptions,
        dir: &Path,
        vars: &mut BTreeMap<String, String>,
        seen: &mut Vec<PathBuf>,
        from_dotenv: &mut ProjectEnv,
    ) -> Result<(), Diagnostic> {
        let mut wanted: Vec<(PathBuf, bool)> = Vec::new();
        if !opts.env_files.is_empty() {
            wanted.extend(opts.env_files.iter().map(|f| (clean(f), true)));
        } else if !disabled_dotenv(&opts.env) {
            wanted.push((join(dir, Path::new(".env")), false));
        }
        let mut acc: Vec<(String, dotenv::Located)> = Vec::new();
        for (display_path, required) in wanted {
            let located = self.files.locate(&display_path);
            if seen.contains(&located) {
                continue;
            }
            seen.push(located.clone());
            let display = show(&display_path);
            let text = match self.files.read(&located, &display, FileKind::DotEnv) {
                Ok(t) => t,
                Err(ReadError::NotFound) if !required => continue,
                Err(ReadError::NotFound) => {
                    return Err(Diagnostic {
                        path: display.clone(),
                        span: None,
                        message: format!("couldn't find env file `{display}`"),
                        hint: Some("check the path given with --env-file".into()),
                    })
                }
                Err(ReadError::Failed(d)) => return Err(d),
            };
            let lookup = |k: &str| {
                vars.get(k).cloned().or_else(|| {
                    acc.iter()
                        .rev()
                        .find(|(_, v)| v.name == k)
                        .map(|(_, v)| v.value.clone())
                })
            };
            let located = dotenv::parse_located(&display, &text, &lookup)?;
            acc.extend(located.into_iter().map(|v| (display.clone(), v)));
        }
        for (path, v) in acc.into_iter().rev() {
            // Later files win over earlier ones, the environment over all of them.
            if vars.contains_key(&v.name) {
                continue;
            }
            vars.insert(v.name.clone(), v.value.clone());
            from_dotenv.insert(v.name.clone(), (path, v));
        }
        Ok(())
    }

    /// The compose files to load, as (display, located) pairs.
    fn compose_files(
        &mut self,
        opts: &LoadOptions,
        vars: &BTreeMap<String, String>,
    ) -> Result<Vec<(String, PathBuf)>, Diagnostic> {
        let given: Vec<PathBuf> = if !opts.files.is_empty() {
            opts.files.clone()
        } else if let Some(list) = vars.get("COMPOSE_FILE").filter(|v| !v.is_empty()) {
            let sep = vars
                .get("COMPOSE_PATH_SEPARATOR")
                .filter(|s| !s.is_empty())
                .map_or(":", String::as_str);
            list.split(sep)
                .filter(|p| !p.is_empty())
                .map(PathBuf::from)
                .collect()
        } else {
            return self.discover(&opts.working_dir);
        };
        Ok(given
            .into_iter()
            .map(|p| {
                if p.as_os_str() == "-" {
                    ("-".to_string(), p)
                } else {
                    (show(&p), self.files.locate(&p))
                }
            })
            .collect())
    }

    /// Default discovery: the working directory, then its parents (as far as the working
    /// directory's path tells them lexically).
    fn discover(&mut self, working_dir: &Path) -> Result<Vec<(String, PathBuf)>, Diagnostic> {
        let wd = clean(working_dir);
        let depth = wd
            .components()
            .filter(|c| matches!(c, std::path::Component::Normal(_)))
            .count();
        let mut rel = PathBuf::new();
        for _ in 0..=depth {
            let found = self.existing(&rel, default_file_names());
            if let Some(winner) = found.first() {
                let mut out = vec![winner.clone()];
                self.warn_several(&found, "config files");
                let overrides = self.existing(&rel, default_override_file_names());
                self.warn_several(&overrides, "override files");
                out.extend(overrides.first().cloned());
                return Ok(out);
            }
            rel.push("..");
        }
        Err(no_files(working_dir))
    }

    /// Which of `names` exist in `rel` (relative to the working directory).
    fn existing(&self, rel: &Path, names: &[&str]) -> Vec<(String, PathBuf)> {
        names
            .iter()
            .map(|n| clean(&rel.join(n)))
            .filter_map(|display| {
                let located = self.files.locate(&display);
                self.files
                    .exists(&located)
                    .then(|| (show(&display), located))
            })
            .collect()
    }

    fn warn_several(&mut self, found: &[(String, PathBuf)], what: &str) {
        if let (Some((winner, _)), true) = (found.first(), found.len() > 1) {
            let names: Vec<&str> = found.iter().map(|(d, _)| d.as_str()).collect();
            self.diags.push(Diagnostic {
                path: winner.clone(),
                span: None,
                message: format!(
                    "found multiple {what} with supported names: {}; using {winner}",
                    names.join(", ")
                ),
                hint: Some("remove or rename the others, or choose one with -f".into()),
            });
        }
    }

    /// Reads and parses a compose file; `missing` is the error for a file that does not
    /// exist (default: "cannot find the compose file").
    pub(crate) fn read_compose(
        &mut self,
        located: &Path,
        display: &str,
        kind: FileKind,
        missing: Option<Diagnostic>,
    ) -> Result<Vec<Node>, Diagnostic> {
        let text = match self.files.read(located, display, kind) {
            Ok(t) => {
                self.files.count_load(display, t.len())?;
                t
            }
            Err(ReadError::NotFound) => {
                return Err(missing.unwrap_or_else(|| Diagnostic {
                    path: display.to_string(),
                    span: None,
                    message: format!("cannot find the compose file `{display}`"),
                    hint: Some(
                        "check the path given with -f (relative to the working directory)".into(),
                    ),
                }))
            }
            Err(ReadError::Failed(d)) => return Err(d),
        };
        parse(display, &text, &self.limits).map_err(yaml_diagnostic)
    }

    /// The per-file pipeline of one level: each document interpolated, its `include`s and
    /// `extends` applied, merged over the previous ones; then unique keys and paths.
    pub(crate) fn merge_level(
        &mut self,
        sources: Vec<(String, Vec<Node>)>,
        level: &Level,
    ) -> Result<Node, Diagnostic> {
        let mut acc: Option<Node> = None;
        let mut first_file: Option<Arc<str>> = None;
        for (display, docs) in sources {
            let mut chain = level.chain.clone();
            chain.push(display.clone());
            first_file.get_or_insert_with(|| Arc::from(display.as_str()));
            for doc in docs {
                let mut doc = self.prepare(doc, &level.vars)?;
                self.apply_include(&mut doc, level, &chain)?;
                self.apply_extends(&mut doc, &display, level)?;
                let file = doc.file.clone();
                acc = Some(match acc {
                    None => clean_tags(doc).unwrap_or_else(|| empty_map(&file)),
                    Some(base) => merge_models(base, doc)?,
                });
            }
        }
        let mut model =
            acc.unwrap_or_else(|| empty_map(&first_file.unwrap_or_else(|| Arc::from(""))));
        enforce_unicity(&mut model);
        resolve_paths(
            &mut model,
            Base {
                dir: &level.rel,
                home: self.home.as_deref(),
            },
        );
        Ok(model)
    }

    /// A document ready to merge: a mapping (an empty document is an empty mapping),
    /// interpolated, without the obsolete `version`.
    pub(crate) fn prepare(
        &mut self,
        doc: Node,
        vars: &BTreeMap<String, String>,
    ) -> Result<Node, Diagnostic> {
        let mut doc = if doc.is_null() {
            empty_map(&doc.file)
        } else {
            doc
        };
        if doc.as_map().is_none() {
            return Err(error_at(
                &doc,
                format!(
                    "the top level of a compose file must be a mapping, but it is {}",
                    doc.type_name()
                ),
                Some("a compose file is a mapping with `services:`, `networks:`, `volumes:`…"),
            ));
        }
        let warnings = interpolate(&mut doc, &|k: &str| vars.get(k).cloned())?;
        self.note(warnings);
        if let Some(NodeKind::Map(entries)) = Some(&doc.kind) {
            if let Some((key, _)) = entries.iter().find(|(k, _)| text(k) == Some("version")) {
                self.diags.push(warning_at(
                    key,
                    "the attribute `version` is obsolete, it will be ignored",
                    Some("remove it: the Compose Specification does not use versions"),
                ));
            }
        }
        remove_key(&mut doc, "version");
        Ok(doc)
    }

    /// Structure the mapping relies on: `services` is a mapping of mappings (an empty service
    /// is dropped with a warning); top-level keys are known ones.
    fn check_model(&mut self, model: &mut Node) -> Result<(), Diagnostic> {
        if model.as_map().is_some_and(|m| m.is_empty()) {
            return Err(Diagnostic {
                path: model.file.to_string(),
                span: None,
                message: "empty compose file".into(),
                hint: Some("a compose file needs at least `services:`".into()),
            });
        }
        let mut top = model.clone();
        remove_key(&mut top, "services");
        schema::check_keys(&top, "", "", &mut self.diags);
        let Some(services) = model.get_mut("services") else {
            return Ok(());
        };
        if services.is_null() {
            remove_key(model, "services");
            return Ok(());
        }
        let NodeKind::Map(entries) = &mut services.kind else {
            return Err(services_not_a_mapping(services));
        };
        let mut warnings = Vec::new();
        entries.retain(|(key, service)| {
            if service.is_null() {
                warnings.push(warning_at(
                    key,
                    format!(
                        "service `{}` is empty: nothing to audit",
                        text(key).unwrap_or("")
                    ),
                    Some(
                        "docker compose rejects an empty service; give it an `image:` or `build:`",
                    ),
                ));
                return false;
            }
            true
        });
        self.note(warnings);
        Ok(())
    }

    /// Maps every service of the model.
    fn map_services(
        &mut self,
        project: &str,
        model: &Node,
        project_dir: &Path,
        vars: &BTreeMap<String, String>,
        from_dotenv: &ProjectEnv,
    ) -> Result<Vec<RunSpec>, Diagnostic> {
        let Some(services) = model.get("services").and_then(Node::as_map) else {
            return Ok(Vec::new());
        };
        let files = &self.files;
        let read_env = |path: &str| -> Result<Vec<(String, String)>, Diagnostic> {
            let located = PathBuf::from(path);
            let display = files.display_of(&located);
            match files.read(&located, &display, FileKind::EnvFile) {
                Ok(text) => dotenv::parse(&display, &text, &|k: &str| vars.get(k).cloned()),
                Err(ReadError::NotFound) => Err(Diagnostic {
                    path: display.clone(),
                    span: None,
                    message: format!("env file `{display}` not found"),
                    hint: Some(
                        "docker compose refuses to start the service without it; the audit goes on without its variables"
                            .into(),
                    ),
                }),
                Err(ReadError::Failed(d)) => Err(d),
            }
        };
        let lookup = |k: &str| vars.get(k).cloned();
        let cx = MapContext::new(project, project_dir, model, &read_env)
            .with_vars(&lookup)
            .with_project_env(from_dotenv);
        let mut specs = Vec::with_capacity(services.len());
        let mut warnings = Vec::new();
        for (key, service) in services {
            if service.get("image").is_none_or(Node::is_null)
                && service.get("build").is_none_or(Node::is_null)
            {
                warnings.push(warning_at(
                    key,
                    format!(
                        "service `{}` has neither `image` nor `build`: docker compose rejects it (a partial file meant to be merged over a base?)",
                        text(key).unwrap_or("")
                    ),
                    Some("audit it with its base: -f base.yaml -f this.yaml"),
                ));
            }
            let (spec, found) = to_runspec(project, key, service, &cx)?;
            warnings.extend(found);
            specs.push(spec);
        }
        self.note(warnings);
        Ok(specs)
    }

    /// Keeps warnings, up to [`MAX_WARNINGS`].
    pub(crate) fn note(&mut self, warnings: Vec<Diagnostic>) {
        let room = MAX_WARNINGS.saturating_sub(self.diags.len());
        self.omitted += warnings.len().saturating_sub(room);
        self.diags.extend(warnings.into_iter().take(room));
    }

    /// The warnings, each once, with a note of those not kept.
    fn into_warnings(self) -> (Vec<LoadedFile>, Vec<Diagnostic>) {
        let mut seen = HashSet::new();
        let mut out: Vec<Diagnostic> = Vec::with_capacity(self.diags.len() + 1);
        let mut first_path = None;
        for d in self.diags {
            first_path.get_or_insert_with(|| d.path.clone());
            if seen.insert(d.clone()) {
                out.push(d);
            }
        }
        if self.omitted > 0 {
            out.push(Diagnostic {
                path: first_path.unwrap_or_default(),
                span: None,
                message: format!("{} more warnings not shown", self.omitted),
                hint: Some(
                    "fix the ones shown first (often one unset variable used everywhere)".into(),
                ),
            });
        }
        (self.files.into_loaded(), out)
    }
}

fn no_files(working_dir: &Path) -> Diagnostic {
    let names = default_file_names().join(", ");
    Diagnostic {
        path: show(working_dir),
        span: None,
        message: format!(
            "no configuration file provided: none of {names} in this directory or its parents"
        ),
        hint: Some("pass the compose file with -f FILE".into()),
    }
}

/// A YAML error as a compose diagnostic.
pub(crate) fn yaml_diagnostic(e: YamlError) -> Diagnostic {
    Diagnostic {
        path: e.path,
        span: e.span,
        message: e.message,
        hint: e.hint,
    }
}

/// `COMPOSE_DISABLE_ENV_FILE` (read from the caller's environment only, as compose reads it
/// from the process environment) turns the default `.env` off.
fn disabled_dotenv(env: &BTreeMap<String, String>) -> bool {
    env.get("COMPOSE_DISABLE_ENV_FILE")
        .and_then(|v| go_bool(v))
        .unwrap_or(false)
}

/// Go's `strconv.ParseBool`.
fn go_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// compose-go `NormalizeProjectName`: lower case, only `[a-z0-9_-]`, no leading `_`/`-`.
pub(crate) fn normalize_project_name(s: &str) -> String {
    let kept: String = s
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == '-')
        .collect();
    kept.trim_start_matches(['_', '-']).to_string()
}

/// The project name (see the module documentation for the precedence).
fn project_name(
    opts: &LoadOptions,
    vars: &BTreeMap<String, String>,
    sources: &[(String, Vec<Node>)],
    project_dir: &Path,
) -> Result<String, Diagnostic> {
    let imperative = opts
        .project_name
        .clone()
        .filter(|n| !n.is_empty())
        .map(|n| (n, "--project-name"))
        .or_else(|| {
            vars.get("COMPOSE_PROJECT_NAME")
                .filter(|n| !n.is_empty())
                .map(|n| (n.clone(), "COMPOSE_PROJECT_NAME"))
        });
    if let Some((name, from)) = imperative {
        if normalize_project_name(&name) != name {
            return Err(Diagnostic {
                path: from.to_string(),
                span: None,
                message: format!(
                    "invalid project name {name:?}: must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number"
                ),
                hint: Some(format!("try {:?}", normalize_project_name(&name))),
            });
        }
        return Ok(name);
    }
    let mut from_files: Option<&Node> = None;
    for (_, docs) in sources {
        for doc in docs {
            if let Some(n) = doc
                .get("name")
                .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()))
            {
                from_files = Some(n);
            }
        }
    }
    if let Some(node) = from_files {
        let mut node = node.clone();
        interpolate(&mut node, &|k: &str| vars.get(k).cloned())?;
        let name = normalize_project_name(text(&node).unwrap_or_default());
        if !name.is_empty() {
            return Ok(name);
        }
    }
    let base = project_dir
        .file_name()
        .map(|n| normalize_project_name(&n.to_string_lossy()))
        .unwrap_or_default();
    // docker-compose v1 named such projects `default`; compose v2 refuses an empty name.
    Ok(if base.is_empty() {
        "default".to_string()
    } else {
        base
    })
}

/// The error for a `services` key that holds something other than a mapping.
pub(super) fn services_not_a_mapping(services: &Node) -> Diagnostic {
    error_at(
        services,
        format!(
            "`services` must be a mapping, but it is {}",
            services.type_name()
        ),
        Some("write `services:` followed by one indented mapping per service"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_names_are_normalised_like_compose() {
        assert_eq!(normalize_project_name("My App.v2"), "myappv2");
        assert_eq!(normalize_project_name("__x-y"), "x-y");
        assert_eq!(normalize_project_name("Ünïcode"), "ncode");
    }

    #[test]
    fn go_bools() {
        assert_eq!(go_bool("1"), Some(true));
        assert_eq!(go_bool("False"), Some(false));
        assert_eq!(go_bool("yes"), None);
    }
}
