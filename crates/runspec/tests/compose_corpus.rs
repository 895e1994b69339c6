//! The compose loader, mapper and RS rules on the real-world corpus (`shared/corpora/compose`:
//! 205 compose files from 34 public repositories).
//!
//! Each compose file is loaded in its rebuilt repository layout (in memory: the file at its
//! original path, its sibling `.env`, `env_file`s and `extends`/`include` targets at theirs —
//! what the corpus's `docker-compose config` check placed beside it), from its own directory,
//! with the check's minimal environment, and every service is audited. The bar (issue 3):
//!
//! - no panic (nor hang) on any file;
//! - no error on the 91 files `docker-compose` 1.29.2 accepted;
//! - every other file either audited, or an error naming the real cause — judged per
//!   rejection category of `config-check.tsv` ([`Kind`]);
//! - partial files (`-f base -f this`) audited merged with their base where the corpus has it
//!   ([`BASES`]);
//! - the security-relevant patterns the corpus README lists are found in the files it names.
//!
//! `cargo test -p plimsoll-runspec --test compose_corpus -- --nocapture` prints the summary.

#[path = "support/compose_layout.rs"]
mod layout;

use layout::{minimal_env, Check, Corpus, Layout};
use plimsoll_core::config::ImagePolicy;
use plimsoll_core::Finding;
use plimsoll_runspec::compose::{self, Diagnostic, LoadOptions, Project};
use plimsoll_runspec::rules::{self, Context};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Where the in-memory repositories live.
const ROOT: &str = "/corpus";

/// How long one load may take before it counts as a hang (they take milliseconds).
const HANG: Duration = Duration::from_secs(20);

// ------------------------------------------------------------------------------------------
// Loading
// ------------------------------------------------------------------------------------------

/// What loading one layout gave.
enum Outcome {
    Loaded(Box<Loaded>),
    Failed(Diagnostic),
    Panicked(String),
    Hung,
}

struct Loaded {
    project: Project,
    /// Every finding of every service.
    findings: Vec<Finding>,
}

/// How to load a layout.
#[derive(Clone, Default)]
struct How {
    /// Variables added to the minimal environment.
    env: Vec<(String, String)>,
    /// `--profile`s.
    profiles: Vec<String>,
    /// Extra files placed in the layout: (repository path, text).
    extra: Vec<(String, String)>,
}

/// Loads `layout` from the directory of its first compose file (the others given relative to
/// it), audits every service; a panic or a hang is an outcome, not a test abort.
fn load(layout: &Layout, how: &How) -> Outcome {
    let mut layout = layout.clone();
    for (path, text) in &how.extra {
        layout.texts.insert(path.clone(), text.clone());
    }
    let root = Path::new(ROOT);
    let repo = root.join(layout.repo_dir());
    let wd = repo.join(layout.first_dir());
    let files: Vec<PathBuf> = layout
        .compose
        .iter()
        .map(|c| {
            let p = repo.join(c);
            p.strip_prefix(&wd).map(Path::to_path_buf).unwrap_or(p)
        })
        .collect();
    let mut env = minimal_env(&wd);
    env.extend(how.env.iter().cloned());
    let opts = LoadOptions {
        files,
        working_dir: wd,
        profiles: how.profiles.clone(),
        env,
        ..LoadOptions::default()
    };
    let fs = layout.memory(root);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            compose::load(&opts, &fs).map(|project| {
                let policy = ImagePolicy::default();
                let cx = Context::new(&policy);
                let findings = project
                    .services
                    .iter()
                    .flat_map(|s| rules::audit(s, &cx))
                    .collect();
                Loaded { project, findings }
            })
        }));
        let outcome = match run {
            Ok(Ok(loaded)) => Outcome::Loaded(Box::new(loaded)),
            Ok(Err(d)) => Outcome::Failed(d),
            Err(p) => Outcome::Panicked(
                p.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "non-string panic payload".into()),
            ),
        };
        let _ = tx.send(outcome);
    });
    rx.recv_timeout(HANG).unwrap_or(Outcome::Hung)
}

/// A diagnostic in full: `path:line:col: message (hint)`.
fn full(d: &Diagnostic) -> String {
    match &d.hint {
        Some(h) => format!("{d} (hint: {h})"),
        None => d.to_string(),
    }
}

/// What is wrong with a loaded project regardless of the file's category: findings and
/// service anchors must point into a file that was read, at a line it has.
fn location_problems(loaded: &Loaded) -> Vec<String> {
    let lines: BTreeMap<&str, usize> = loaded
        .project
        .files
        .iter()
        // Lines as YAML counts them: `\r\n`, `\n` and a lone `\r` each end one.
        .map(|f| {
            let breaks = f.text.replace("\r\n", "\n").matches(['\n', '\r']).count();
            (f.path.as_str(), breaks + 1)
        })
        .collect();
    let mut out = Vec::new();
    let mut check = |what: String, loc: &plimsoll_core::Location| match lines.get(loc.path.as_str())
    {
        None => out.push(format!("{what} points at {}, which was not read", loc.path)),
        Some(&n) => {
            if let Some(span) = loc.span {
                if span.start.line == 0 || span.start.line as usize > n {
                    out.push(format!(
                        "{what} points at line {} of {} ({n} lines)",
                        span.start.line, loc.path
                    ));
                }
            }
        }
    };
    for s in &loaded.project.services {
        check(format!("service `{}` anchor", s.name), &s.anchor.location);
    }
    for f in &loaded.findings {
        check(format!("{} finding", f.rule_id), &f.location);
    }
    out
}

// ------------------------------------------------------------------------------------------
// What each rejection category must give
// ------------------------------------------------------------------------------------------

/// A file's category: `accepted`, or the deciding one of its `config-check.tsv` rejection
/// categories (the most permissive expectation wins when a file has several).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// `docker-compose` 1.29.2 accepted it: must load.
    Accepted,
    /// Rejected only because the corpus holds no build folders: we never look at them, so it
    /// must load.
    MissingBuildContext,
    /// A Compose-spec feature 1.29.2 predates (`name`, `include`, `!reset`, …): must load.
    NewerFeature,
    /// v1's schema is stricter (`false` as a build arg, a number as a command): compose v2
    /// accepts it, so must load.
    StricterV1Schema,
    /// An `env_file` the repository does not ship: must load, with a warning naming it
    /// (deliberately not an error: repositories rarely ship their env files).
    MissingEnvFile,
    /// An `env_file` at an absolute path outside the repository: same as above.
    AbsoluteEnvFile,
    /// A variable interpolated to an empty value of the wrong type: loads, or an error naming
    /// the unset variable.
    EmptyValue,
    /// A partial file: loads on its own (a service without image/build is a warning), or an
    /// error naming what is missing; and loads merged with its base when the corpus has one.
    Partial,
    /// `${VAR:?msg}` unset: an error naming the variable and quoting the message; loads once
    /// the variables are set.
    RequiredVariable,
}

impl Kind {
    fn of(check: &Check) -> Kind {
        if check.accepted() {
            return Kind::Accepted;
        }
        check
            .categories
            .iter()
            .map(|c| {
                let c = c.as_str();
                if c.starts_with("missing build context folder") {
                    Kind::MissingBuildContext
                } else if c.starts_with("Compose-spec feature newer than docker-compose 1.29.2") {
                    Kind::NewerFeature
                } else if c.starts_with("value type stricter in v1 schema") {
                    Kind::StricterV1Schema
                } else if c.starts_with("missing env_file that the repository does not ship") {
                    Kind::MissingEnvFile
                } else if c.starts_with("env_file at an absolute path outside the repository") {
                    Kind::AbsoluteEnvFile
                } else if c.starts_with("unset variable interpolated to an empty value") {
                    Kind::EmptyValue
                } else if c.starts_with("partial file meant to be merged with a base file") {
                    Kind::Partial
                } else if c.starts_with("required variable") {
                    Kind::RequiredVariable
                } else {
                    panic!(
                        "{}: unknown rejection category {c:?}: teach compose_corpus.rs what it must give",
                        check.file
                    )
                }
            })
            .max()
            .unwrap_or_else(|| panic!("{}: rejected without a category", check.file))
    }

    fn label(self) -> &'static str {
        match self {
            Kind::Accepted => "accepted by docker-compose 1.29.2",
            Kind::MissingBuildContext => "missing build context (not copied)",
            Kind::NewerFeature => "Compose-spec feature newer than 1.29.2",
            Kind::StricterV1Schema => "value type stricter in v1 schema",
            Kind::MissingEnvFile => "env_file the repository does not ship",
            Kind::AbsoluteEnvFile => "env_file at an absolute path outside",
            Kind::EmptyValue => "unset variable → empty value of wrong type",
            Kind::Partial => "partial file (-f base -f this)",
            Kind::RequiredVariable => "required variable ${VAR:?msg} not set",
        }
    }
}

/// `(repository, file, bases in -f order, environment)`: see [`BASES`].
type Base = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);

/// Partial (and override) files and the base files the repository merges them over, as
/// `(repository, file, bases in -f order, environment the repository's CI sets)`. Found by
/// reading each repository's README / Makefile / CI (named in the comments).
const BASES: &[Base] = &[
    // appwrite: `docker compose -f docker-compose.yml -f docker-compose.separate.yml`.
    (
        "appwrite/appwrite",
        "docker-compose.separate.yml",
        &["docker-compose.yml"],
        &[],
    ),
    // docker-elk README "extensions": `-f docker-compose.yml -f extensions/x/x-compose.yml`
    // (their paths are relative to the repository root for that reason).
    (
        "deviantony/docker-elk",
        "extensions/curator/curator-compose.yml",
        &["docker-compose.yml"],
        &[],
    ),
    (
        "deviantony/docker-elk",
        "extensions/filebeat/filebeat-compose.yml",
        &["docker-compose.yml"],
        &[],
    ),
    (
        "deviantony/docker-elk",
        "extensions/fleet/fleet-compose.yml",
        &["docker-compose.yml"],
        &[],
    ),
    (
        "deviantony/docker-elk",
        "extensions/fleet/agent-apmserver-compose.yml",
        &["docker-compose.yml", "extensions/fleet/fleet-compose.yml"],
        &[],
    ),
    (
        "deviantony/docker-elk",
        "extensions/heartbeat/heartbeat-compose.yml",
        &["docker-compose.yml"],
        &[],
    ),
    (
        "deviantony/docker-elk",
        "extensions/metricbeat/metricbeat-compose.yml",
        &["docker-compose.yml"],
        &[],
    ),
    // frappe_docker docs/setup: `-f compose.yaml -f overrides/compose.x.yaml`.
    (
        "frappe/frappe_docker",
        "overrides/compose.backup-cron.yaml",
        &["compose.yaml"],
        &[],
    ),
    (
        "frappe/frappe_docker",
        "overrides/compose.mariadb.yaml",
        &["compose.yaml"],
        &[],
    ),
    // … and the secrets variant needs the file its README says to put in .env.
    (
        "frappe/frappe_docker",
        "overrides/compose.mariadb-secrets.yaml",
        &["compose.yaml", "overrides/compose.mariadb.yaml"],
        &[("DB_PASSWORD_SECRETS_FILE", "./db_password.txt")],
    ),
    (
        "frappe/frappe_docker",
        "overrides/compose.migrator.yaml",
        &["compose.yaml", "overrides/compose.mariadb.yaml"],
        &[],
    ),
    (
        "frappe/frappe_docker",
        "overrides/compose.postgres.yaml",
        &["compose.yaml"],
        &[],
    ),
    // docker-jitsi-meet README: `-f docker-compose.yml -f jibri.yml` (…jigasi, transcriber).
    (
        "jitsi/docker-jitsi-meet",
        "jibri.yml",
        &["docker-compose.yml"],
        &[],
    ),
    (
        "jitsi/docker-jitsi-meet",
        "jigasi.yml",
        &["docker-compose.yml"],
        &[],
    ),
    (
        "jitsi/docker-jitsi-meet",
        "transcriber.yml",
        &["docker-compose.yml"],
        &[],
    ),
    // mailcow: helper-scripts/docker-compose.override.yml.d/X is copied over the base.
    (
        "mailcow/mailcow-dockerized",
        "helper-scripts/docker-compose.override.yml.d/HAPROXY/docker-compose.override.yml",
        &["docker-compose.yml"],
        &[],
    ),
    // netbox-docker test.sh: `-f docker-compose.test.yml -f docker-compose.test.override.yml`.
    (
        "netbox-community/netbox-docker",
        "docker-compose.test.override.yml",
        &["docker-compose.test.yml"],
        &[],
    ),
    // nginx-proxy test/conftest.py: test/compose.base.yml, then the test's own file.
    (
        "nginx-proxy/nginx-proxy",
        "test/test_host-network-mode/test_host-network-mode.yml",
        &["test/compose.base.yml"],
        &[],
    ),
    // opentelemetry-demo Makefile: `--file compose.yaml --file compose.x.yaml` (agent and
    // profiling over the full stack too).
    (
        "open-telemetry/opentelemetry-demo",
        "compose.agent.yaml",
        &["compose.yaml"],
        &[],
    ),
    (
        "open-telemetry/opentelemetry-demo",
        "compose.full.yaml",
        &["compose.yaml"],
        &[],
    ),
    (
        "open-telemetry/opentelemetry-demo",
        "compose.observability.yaml",
        &["compose.yaml"],
        &[],
    ),
    (
        "open-telemetry/opentelemetry-demo",
        "compose.profiling.yaml",
        &["compose.yaml"],
        &[],
    ),
    (
        "open-telemetry/opentelemetry-demo",
        "compose.tests.yaml",
        &["compose.yaml"],
        &[],
    ),
    // docker-zulip CI: `-f compose.yaml -f ci/base.yaml -f ci/<test>/…` with the image built
    // by the workflow in GITHUB_CI_IMAGE.
    (
        "zulip/docker-zulip",
        "ci/http-only/compose.yaml",
        &["compose.yaml", "ci/base.yaml"],
        &[("GITHUB_CI_IMAGE", "zulip-ci:test")],
    ),
    (
        "zulip/docker-zulip",
        "ci/memory/compose.yaml",
        &["compose.yaml", "ci/base.yaml"],
        &[("GITHUB_CI_IMAGE", "zulip-ci:test")],
    ),
    (
        "zulip/docker-zulip",
        "ci/memory/low-memory.yaml",
        &["compose.yaml", "ci/base.yaml"],
        &[("GITHUB_CI_IMAGE", "zulip-ci:test")],
    ),
    (
        "zulip/docker-zulip",
        "ci/certbot/compose.yaml",
        &["compose.yaml", "ci/base.yaml"],
        &[("GITHUB_CI_IMAGE", "zulip-ci:test")],
    ),
    (
        "zulip/docker-zulip",
        "ci/manual_configuration/no-envs.yaml",
        &["compose.yaml", "ci/base.yaml"],
        &[("GITHUB_CI_IMAGE", "zulip-ci:test")],
    ),
];

/// Partial files whose base the corpus does not have (the repositories generate or keep it
/// elsewhere): audited alone.
const NO_BASE: &[&str] = &[
    // authelia's suites merge these over generated files in internal/suites/example/compose/.
    "authelia__authelia__internal__suites__example__compose__redis-sentinel__compose.yml",
    "authelia__authelia__internal__suites__example__compose__traefik__compose.yml",
    // compose-go's extends fixture: a service without image on purpose (it is `extends` input).
    "compose-spec__compose-go__loader__testdata__extends__base.yaml",
];

/// A file's [`Kind`], corrected where v1 stopped before the real problem: a file with an
/// unset `${VAR:?msg}` must name it even when v1 first tripped over something else (frappe's
/// `compose.mariadb-secrets.yaml`: v1 fails on `!reset`, and then would on
/// `${DB_PASSWORD_SECRETS_FILE:?…}`).
fn kind_of(corpus: &Corpus, check: &Check) -> Kind {
    let kind = Kind::of(check);
    let defined = dotenv_names(corpus, check);
    let required_unset = required_variables(&corpus.text(&check.file))
        .iter()
        .any(|(n, _)| !defined.contains(n));
    if required_unset && !check.accepted() {
        kind.max(Kind::RequiredVariable)
    } else {
        kind
    }
}

/// `${NAME:?msg}` / `${NAME?msg}` in `text`: (name, message).
fn required_variables(text: &str) -> Vec<(String, String)> {
    let re = regex::Regex::new(r"\$\{([A-Za-z_][A-Za-z0-9_]*):?\?([^}]*)\}").expect("regex");
    let mut out: Vec<(String, String)> = re
        .captures_iter(text)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Every variable a text interpolates (`${NAME…}`, `$NAME`), `$$` escapes left out.
fn interpolated_names(text: &str) -> BTreeSet<String> {
    let re = regex::Regex::new(r"\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))")
        .expect("regex");
    re.captures_iter(text)
        .filter_map(|c| {
            c.get(2)
                .or_else(|| c.get(3))
                .map(|m| m.as_str().to_string())
        })
        .collect()
}

/// Variable names in v1's warnings ("The X variable is not set. Defaulting to a blank
/// string.").
fn v1_unset(warnings: &str) -> BTreeSet<String> {
    let re = regex::Regex::new(r"The ([A-Za-z_][A-Za-z0-9_]*) variable is not set").expect("regex");
    re.captures_iter(warnings)
        .map(|c| c[1].to_string())
        .collect()
}

/// Whether `text` names the variable `name` as a word.
fn names(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        !word(before) && !word(after)
    })
}

/// The verdict on one load: `Ok(label)` when the outcome meets the category's bar, `Err(why)`
/// otherwise.
type Verdict = Result<&'static str, String>;

/// The bar that holds for every file: no panic, no hang; loaded projects point into their files.
fn sound(outcome: &Outcome) -> Result<(), String> {
    match outcome {
        Outcome::Panicked(p) => Err(format!("PANIC: {p}")),
        Outcome::Hung => Err(format!("HANG: no result within {HANG:?}")),
        Outcome::Loaded(l) => {
            let problems = location_problems(l);
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems.join("; "))
            }
        }
        Outcome::Failed(_) => Ok(()),
    }
}

fn must_load(outcome: &Outcome) -> Verdict {
    sound(outcome)?;
    match outcome {
        Outcome::Loaded(_) => Ok("loaded"),
        Outcome::Failed(d) => Err(format!("expected to load, got error: {}", full(d))),
        _ => unreachable!("handled by sound()"),
    }
}

fn warnings_text(l: &Loaded) -> String {
    l.project
        .diagnostics
        .iter()
        .map(full)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Judges one file's stand-alone outcome by its category.
fn judge(corpus: &Corpus, check: &Check, kind: Kind, outcome: &Outcome) -> Verdict {
    sound(outcome)?;
    let text = corpus.text(&check.file);
    match kind {
        Kind::Accepted
        | Kind::MissingBuildContext
        | Kind::NewerFeature
        | Kind::StricterV1Schema => must_load(outcome),
        Kind::MissingEnvFile | Kind::AbsoluteEnvFile => {
            must_load(outcome)?;
            let Outcome::Loaded(l) = outcome else {
                unreachable!()
            };
            let warnings = warnings_text(l);
            let missing: Vec<String> = if kind == Kind::AbsoluteEnvFile {
                vec!["/doesnotexist/.env".to_string()]
            } else {
                corpus
                    .relations
                    .iter()
                    .filter(|r| r.from == check.file && r.to.is_none() && r.relation == "env_file")
                    .map(|r| r.target_path.clone())
                    .collect()
            };
            assert!(
                !missing.is_empty(),
                "{}: no missing env_file in relations.tsv",
                check.file
            );
            for m in &missing {
                let file_name = m.rsplit('/').next().unwrap_or(m);
                let named = l.project.diagnostics.iter().any(|d| {
                    (d.path.ends_with(file_name) || d.message.contains(file_name))
                        && d.message.contains("env")
                });
                if !named {
                    return Err(format!(
                        "loaded, but no warning names the missing env file {m}; warnings:\n{warnings}"
                    ));
                }
            }
            Ok("loaded, warns of the missing env_file")
        }
        Kind::EmptyValue => match outcome {
            Outcome::Loaded(_) => Ok("loaded"),
            Outcome::Failed(d) => {
                let said = full(d);
                let env = dotenv_names(corpus, check);
                let unset: Vec<String> = interpolated_names(&text)
                    .into_iter()
                    .filter(|n| !env.contains(n))
                    .collect();
                if unset.iter().any(|n| names(&said, n)) {
                    Ok("error naming the unset variable")
                } else {
                    Err(format!(
                        "error does not name the unset variable behind the empty value (unset here: {}): {said}",
                        unset.join(", ")
                    ))
                }
            }
            _ => unreachable!(),
        },
        Kind::Partial => match outcome {
            Outcome::Loaded(_) => Ok("loaded (partial, audited alone)"),
            Outcome::Failed(d) => {
                let said = full(d).to_lowercase();
                if ["image", "build", "depends on", "undefined", "not defined"]
                    .iter()
                    .any(|w| said.contains(w))
                {
                    Ok("error naming what the base would give")
                } else {
                    Err(format!(
                        "error does not name the missing base part: {}",
                        full(d)
                    ))
                }
            }
            _ => unreachable!(),
        },
        Kind::RequiredVariable => match outcome {
            Outcome::Loaded(_) => Err("loaded, but a required variable is unset".into()),
            Outcome::Failed(d) => {
                let said = full(d);
                let required = required_variables(&text);
                if required.iter().any(|(n, msg)| {
                    names(&said, n) && (msg.is_empty() || said.contains(msg.trim()))
                }) {
                    Ok("error naming the required variable and its message")
                } else {
                    Err(format!(
                        "error does not name a required variable with its message ({}): {said}",
                        required
                            .iter()
                            .map(|(n, m)| format!("{n}: {m}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                }
            }
            _ => unreachable!(),
        },
    }
}

/// Names a layout's `.env` files define (a variable set there is not "unset").
fn dotenv_names(corpus: &Corpus, check: &Check) -> BTreeSet<String> {
    corpus
        .relations
        .iter()
        .filter(|r| r.from == check.file && r.relation == "sibling .env")
        .filter_map(|r| r.to.as_ref())
        .flat_map(|f| {
            corpus
                .text(f)
                .lines()
                .filter_map(|l| {
                    let l = l.trim().trim_start_matches("export ");
                    let (k, _) = l.split_once('=')?;
                    (!k.starts_with('#')).then(|| k.trim().to_string())
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

// ------------------------------------------------------------------------------------------
// The test
// ------------------------------------------------------------------------------------------

#[derive(Default)]
struct Tally {
    files: usize,
    loaded: usize,
    cause: usize,
    wrong: usize,
    services: usize,
    findings: usize,
}

#[test]
fn corpus_meets_the_bar() {
    let Some(dir) = plimsoll_testkit::corpora::locate("compose") else {
        return;
    };
    let corpus = Corpus::read(&dir);
    assert_eq!(corpus.checks.len(), 205, "the corpus has 205 compose files");
    assert_eq!(
        corpus.checks.iter().filter(|c| c.accepted()).count(),
        91,
        "docker-compose 1.29.2 accepted 91 of them"
    );

    let mut failures: Vec<String> = Vec::new();
    let mut tally: BTreeMap<Kind, Tally> = BTreeMap::new();
    let mut lines: Vec<String> = Vec::new();

    for check in &corpus.checks {
        let kind = kind_of(&corpus, check);
        let layout = corpus.layout(&[&check.file]);

        // The layout is what the config check placed beside the file.
        let placed: BTreeSet<&String> = layout
            .texts
            .keys()
            .filter(|p| **p != layout.compose[0])
            .collect();
        let expected: BTreeSet<&String> = check.placed.iter().collect();
        assert_eq!(
            placed, expected,
            "{}: layout differs from config-check.tsv",
            check.file
        );

        let outcome = load(&layout, &How::default());
        let verdict = judge(&corpus, check, kind, &outcome);
        let t = tally.entry(kind).or_default();
        t.files += 1;
        let mut problems = Vec::new();
        match &verdict {
            Ok(_) => {}
            Err(why) => problems.push(why.clone()),
        }
        match &outcome {
            Outcome::Loaded(l) => {
                t.services += l.project.services.len();
                t.findings += l.findings.len();
                // Every variable v1 warned about is one we warn about too.
                let warnings = warnings_text(l);
                // Except COMPOSE_PROJECT_NAME: compose v2 sets it to the project name for
                // interpolation (compose-go `WithName`), v1 does not.
                let missed: Vec<String> = v1_unset(&check.warnings)
                    .into_iter()
                    .filter(|v| v != "COMPOSE_PROJECT_NAME")
                    .filter(|v| !names(&warnings, v))
                    .collect();
                if !missed.is_empty() {
                    problems.push(format!(
                        "docker-compose warned that {} {} unset; we did not",
                        missed.join(", "),
                        if missed.len() == 1 { "is" } else { "are" }
                    ));
                }
            }
            Outcome::Failed(_) | Outcome::Panicked(_) | Outcome::Hung => {}
        }
        if problems.is_empty() {
            if matches!(outcome, Outcome::Loaded(_)) {
                t.loaded += 1;
            } else {
                t.cause += 1;
            }
        } else {
            t.wrong += 1;
            failures.push(format!(
                "{} [{}]: {}",
                check.file,
                kind.label(),
                problems.join("; ")
            ));
        }
        lines.push(format!(
            "{:<4} {:<44} {}",
            if problems.is_empty() { "ok" } else { "FAIL" },
            kind.label(),
            match &outcome {
                Outcome::Loaded(l) => format!(
                    "{} — {} services, {} findings, {} warnings",
                    check.file,
                    l.project.services.len(),
                    l.findings.len(),
                    l.project.diagnostics.len()
                ),
                Outcome::Failed(d) => format!("{} — error: {}", check.file, full(d)),
                Outcome::Panicked(p) => format!("{} — PANIC: {p}", check.file),
                Outcome::Hung => format!("{} — HANG", check.file),
            }
        ));

        // A required variable is the only obstacle: set, the file loads.
        if kind == Kind::RequiredVariable {
            let how = How {
                env: required_variables(&corpus.text(&check.file))
                    .into_iter()
                    .map(|(n, _)| (n, "example".to_string()))
                    .collect(),
                ..How::default()
            };
            if let Err(why) = must_load(&load(&layout, &how)) {
                failures.push(format!(
                    "{} with its required variables set: {why}",
                    check.file
                ));
            }
        }
        // A partial file without a known base must be acknowledged as such.
        if kind == Kind::Partial {
            let src = corpus.source(&check.file);
            let has_base = BASES
                .iter()
                .any(|(r, f, _, _)| *r == src.repo && *f == src.original_path);
            if !has_base && !NO_BASE.contains(&check.file.as_str()) {
                failures.push(format!(
                    "{}: partial file with no entry in BASES or NO_BASE",
                    check.file
                ));
            }
        }
    }

    // Partial files merged over their bases.
    let mut merged_lines = Vec::new();
    for (repo, file, bases, env) in BASES {
        let mut files: Vec<&str> = bases
            .iter()
            .map(|b| corpus.by_path(repo, b).file.as_str())
            .collect();
        files.push(corpus.by_path(repo, file).file.as_str());
        let layout = corpus.layout(&files);
        let how = How {
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..How::default()
        };
        let outcome = load(&layout, &how);
        let shown = format!("{repo}: -f {} -f {file}", bases.join(" -f "));
        match must_load(&outcome) {
            Ok(_) => {
                let Outcome::Loaded(l) = &outcome else {
                    unreachable!()
                };
                // Merged over its base, no service lacks an image or a build any more.
                let partial: Vec<&Diagnostic> = l
                    .project
                    .diagnostics
                    .iter()
                    .filter(|d| d.message.contains("neither `image` nor `build`"))
                    .collect();
                if partial.is_empty() {
                    merged_lines.push(format!(
                        "ok   {shown} — {} services, {} findings",
                        l.project.services.len(),
                        l.findings.len()
                    ));
                } else {
                    failures.push(format!(
                        "{shown}: still a partial service after the merge: {}",
                        partial
                            .iter()
                            .map(|d| full(d))
                            .collect::<Vec<_>>()
                            .join("; ")
                    ));
                    merged_lines.push(format!("FAIL {shown}"));
                }
            }
            Err(why) => {
                failures.push(format!("{shown}: {why}"));
                merged_lines.push(format!("FAIL {shown}: {why}"));
            }
        }
    }

    // Summary.
    let mut out = String::new();
    let _ = writeln!(out, "\ncompose corpus: {} files", corpus.checks.len());
    for l in &lines {
        let _ = writeln!(out, "  {l}");
    }
    let _ = writeln!(out, "\npartial files merged over their bases:");
    for l in &merged_lines {
        let _ = writeln!(out, "  {l}");
    }
    let _ = writeln!(
        out,
        "\n  {:<46} {:>5} {:>7} {:>12} {:>6} {:>9} {:>9}",
        "category", "files", "loaded", "error+cause", "WRONG", "services", "findings"
    );
    let mut total = Tally::default();
    for (kind, t) in &tally {
        let _ = writeln!(
            out,
            "  {:<46} {:>5} {:>7} {:>12} {:>6} {:>9} {:>9}",
            kind.label(),
            t.files,
            t.loaded,
            t.cause,
            t.wrong,
            t.services,
            t.findings
        );
        total.files += t.files;
        total.loaded += t.loaded;
        total.cause += t.cause;
        total.wrong += t.wrong;
        total.services += t.services;
        total.findings += t.findings;
    }
    let _ = writeln!(
        out,
        "  {:<46} {:>5} {:>7} {:>12} {:>6} {:>9} {:>9}",
        "total",
        total.files,
        total.loaded,
        total.cause,
        total.wrong,
        total.services,
        total.findings
    );
    println!("{out}");
    assert!(
        failures.is_empty(),
        "{} problem(s) on the compose corpus:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ------------------------------------------------------------------------------------------
// What the corpus README says is in the files
// ------------------------------------------------------------------------------------------

/// Loads a file as well as the corpus allows, with every profile enabled: required variables
/// set to a placeholder, and for the files rejected over empty values, the repository's env
/// template as `.env` (what the README says makes them valid).
fn load_best(corpus: &Corpus, file: &str) -> Outcome {
    let check = corpus
        .checks
        .iter()
        .find(|c| c.file == file)
        .unwrap_or_else(|| panic!("{file} is not a compose file of the corpus"));
    let layout = corpus.layout(&[file]);
    let mut how = How {
        profiles: vec!["*".into()],
        ..How::default()
    };
    if kind_of(corpus, check) == Kind::RequiredVariable {
        how.env = required_variables(&corpus.text(file))
            .into_iter()
            .map(|(n, _)| (n, "example".to_string()))
            .collect();
    }
    let outcome = load(&layout, &how);
    if !matches!(outcome, Outcome::Failed(_)) || kind_of(corpus, check) != Kind::EmptyValue {
        return outcome;
    }
    let src = corpus.source(file);
    let template = corpus
        .sources
        .values()
        .find(|s| s.repo == src.repo && s.notes.starts_with("env template"));
    match template {
        Some(t) => {
            let dir = layout.first_dir();
            how.extra = vec![(
                dir.join(".env").to_string_lossy().into_owned(),
                corpus.text(&t.file),
            )];
            load(&layout, &how)
        }
        None => outcome,
    }
}

/// The README's "Security-relevant patterns" lists: (pattern title, files).
fn readme_patterns(dir: &Path) -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(dir.join("README.md")).expect("corpus README.md");
    let start = text
        .find("### Security-relevant patterns")
        .expect("README section `Security-relevant patterns`");
    let section = &text[start..];
    let end = section[4..].find("\n#").map_or(section.len(), |i| i + 4);
    let file_re = regex::Regex::new(r"`([^`\s]+\.(?:ya?ml))`").expect("regex");
    section[..end]
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("- **")?;
            let (title, list) = rest.split_once("**")?;
            let files = file_re
                .captures_iter(list)
                .map(|c| c[1].to_string())
                .collect::<Vec<_>>();
            Some((title.to_string(), files))
        })
        .collect()
}

#[test]
fn readme_security_patterns_are_found() {
    use plimsoll_runspec::{NamespaceMode, NetworkMode, RunSpec};
    let Some(dir) = plimsoll_testkit::corpora::locate("compose") else {
        return;
    };
    let corpus = Corpus::read(&dir);
    let patterns = readme_patterns(&dir);
    assert!(
        patterns.len() >= 9,
        "README pattern lists not found: {patterns:?}"
    );

    type Pred = fn(&RunSpec, &[Finding]) -> bool;
    let table: &[(&str, &str, Pred)] = &[
        ("Docker socket bind-mounted", "RS015 fires", |_, f| {
            f.iter().any(|f| f.rule_id == "RS015")
        }),
        (
            "`privileged: true`",
            "privileged and RS001 fires",
            |s, f| {
                s.privileged.as_ref().is_some_and(|p| p.value)
                    && f.iter().any(|f| f.rule_id == "RS001")
            },
        ),
        (
            "`network_mode: host`",
            "host network and RS009 fires",
            |s, f| {
                s.network_mode
                    .as_ref()
                    .is_some_and(|n| n.value == NetworkMode::Host)
                    && f.iter().any(|f| f.rule_id == "RS009")
            },
        ),
        ("`pid: host`", "host pid and RS010 fires", |s, f| {
            s.pid
                .as_ref()
                .is_some_and(|n| n.value == NamespaceMode::Host)
                && f.iter().any(|f| f.rule_id == "RS010")
        }),
        ("`cap_add`", "cap_add mapped", |s, _| !s.cap_add.is_empty()),
        ("`devices`", "devices mapped and RS018 fires", |s, f| {
            !s.devices.is_empty() && f.iter().any(|f| f.rule_id == "RS018")
        }),
        ("`security_opt`", "security_opt mapped", |s, _| {
            !s.security_opt.is_empty()
        }),
        ("`read_only`", "read_only mapped", |s, _| {
            s.read_only.is_some()
        }),
        ("`user`", "user mapped", |s, _| s.user.is_some()),
    ];

    // (file, why its pattern cannot be checked): the README's list is a regex over the text.
    let not_applicable: &[(&str, &str)] = &[(
        "compose-spec__compose-go__schema__using-variables.yaml",
        "compose-go's schema fixture: every value is `${VARIABLE}` (so `read_only`, `user` are \
         unknown until it is set), and with it unset the file is an error naming it",
    )];
    let mut failures = Vec::new();
    let mut checked = 0;
    for (title, files) in &patterns {
        let Some((_, what, pred)) = table.iter().find(|(t, _, _)| title.contains(t)) else {
            failures.push(format!(
                "README pattern {title:?} has no check in compose_corpus.rs"
            ));
            continue;
        };
        for file in files {
            if not_applicable.iter().any(|(f, _)| f == file) {
                continue;
            }
            checked += 1;
            match load_best(&corpus, file) {
                Outcome::Loaded(l) => {
                    let policy = ImagePolicy::default();
                    let cx = Context::new(&policy);
                    let hit = l
                        .project
                        .services
                        .iter()
                        .any(|s| pred(s, &rules::audit(s, &cx)));
                    if !hit {
                        failures.push(format!(
                            "{file}: README says {title}; expected {what} for some service"
                        ));
                    }
                }
                Outcome::Failed(d) => failures.push(format!(
                    "{file}: README says {title}, but it does not load: {}",
                    full(&d)
                )),
                Outcome::Panicked(p) => failures.push(format!("{file}: PANIC {p}")),
                Outcome::Hung => failures.push(format!("{file}: HANG")),
            }
        }
    }
    println!("README security patterns: {checked} (file, pattern) pairs checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ------------------------------------------------------------------------------------------
// Semantics, on hand-checked corpus files
// ------------------------------------------------------------------------------------------

fn loaded(corpus: &Corpus, files: &[&str], how: &How) -> Loaded {
    match load(&corpus.layout(files), how) {
        Outcome::Loaded(l) => *l,
        Outcome::Failed(d) => panic!("{files:?}: {}", full(&d)),
        Outcome::Panicked(p) => panic!("{files:?}: PANIC {p}"),
        Outcome::Hung => panic!("{files:?}: HANG"),
    }
}

fn service<'a>(l: &'a Loaded, name: &str) -> &'a plimsoll_runspec::RunSpec {
    l.project
        .services
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| {
            let names: Vec<&str> = l.project.services.iter().map(|s| s.name.as_str()).collect();
            panic!("no service {name}; services: {names:?}")
        })
}

fn env_of(s: &plimsoll_runspec::RunSpec, name: &str) -> Option<(Option<String>, String)> {
    s.environment
        .iter()
        .rev()
        .find(|e| e.value.name == name)
        .map(|e| (e.value.value.clone(), e.origin.location.path.clone()))
}

#[test]
fn extends_from_another_file_keeps_its_values_and_origins() {
    let Some(dir) = plimsoll_testkit::corpora::locate("compose") else {
        return;
    };
    let corpus = Corpus::read(&dir);
    // conduktor full-stack.yml: `postgresql: {extends: {service: postgresql, file: conduktor.yml}}`.
    let l = loaded(
        &corpus,
        &["conduktor__kafka-stack-docker-compose__full-stack.yml"],
        &How::default(),
    );
    let pg = service(&l, "postgresql");
    let image = pg.image.as_ref().expect("image from conduktor.yml");
    assert_eq!(image.value, "postgres:14");
    assert_eq!(
        image.origin.location.path, "conduktor.yml",
        "the image is written in conduktor.yml"
    );
    let (value, path) =
        env_of(pg, "POSTGRES_PASSWORD").expect("POSTGRES_PASSWORD from conduktor.yml");
    assert_eq!(value.as_deref(), Some("some_password"));
    assert_eq!(path, "conduktor.yml");
    // ... and RS031 quotes it where it is written.
    let policy = ImagePolicy::default();
    let secrets: Vec<Finding> = rules::audit(pg, &Context::new(&policy))
        .into_iter()
        .filter(|f| f.rule_id == "RS031")
        .collect();
    assert!(
        secrets.iter().any(|f| f.location.path == "conduktor.yml"),
        "RS031 should point into conduktor.yml: {secrets:#?}"
    );
}

#[test]
fn extends_resolves_env_file_relative_to_the_extended_file() {
    let Some(dir) = plimsoll_testkit::corpora::locate("compose") else {
        return;
    };
    let corpus = Corpus::read(&dir);
    // compose-go compose-test-extends.yaml: `importer` extends subdir/…imported.yaml, whose
    // `env_file: ./extra.env` is relative to subdir (the comment in the fixture says so).
    let l = loaded(
        &corpus,
        &["compose-spec__compose-go__loader__testdata__compose-test-extends.yaml"],
        &How::default(),
    );
    assert_eq!(l.project.name, "compose-test-extends");
    let s = service(&l, "importer");
    assert_eq!(s.image.as_ref().map(|i| i.value.as_str()), Some("nginx"));
    let (value, _) = env_of(s, "SOURCE").expect("SOURCE from subdir/extra.env");
    assert_eq!(value.as_deref(), Some("extends"));
    assert!(
        s.env_files
            .iter()
            .any(|f| f.value.ends_with("subdir/extra.env")),
        "env_file resolved against subdir: {:?}",
        s.env_files.iter().map(|f| &f.value).collect::<Vec<_>>()
    );
    assert!(
        s.mounts
            .iter()
            .any(|m| m.value.source.as_deref() == Some("/opt/data")
                && m.value.target == "/var/lib/mysql"),
        "bind /opt/data:/var/lib/mysql"
    );
}

#[test]
fn include_with_project_directory_resolves_against_it() {
    let Some(dir) = plimsoll_testkit::corpora::locate("compose") else {
        return;
    };
    let corpus = Corpus::read(&dir);
    // compose-go include/project-directory.yaml includes ./dir/compose.yaml with
    // `project_directory: ../subdir`: the included file's relative paths (env_file extra.env,
    // the bind source) resolve against loader/testdata/subdir, where extra.env is (the corpus
    // README: "resolves against the including file's project_directory").
    let extra = corpus.by_path(
        "compose-spec/compose-go",
        "loader/testdata/subdir/extra.env",
    );
    let how = How {
        extra: vec![(
            "loader/testdata/subdir/extra.env".into(),
            corpus.text(&extra.file),
        )],
        ..How::default()
    };
    let l = loaded(
        &corpus,
        &["compose-spec__compose-go__loader__testdata__include__project-directory.yaml"],
        &how,
    );
    let s = service(&l, "service");
    let (value, _) = env_of(s, "SOURCE").expect("SOURCE from subdir/extra.env");
    assert_eq!(value.as_deref(), Some("extends"));
    let bind = s
        .mounts
        .iter()
        .find(|m| m.value.target == "/mnt/bind/compose.yaml")
        .expect("the bind mount");
    let source = bind.value.source.as_deref().unwrap_or_default();
    assert!(
        source.ends_with("loader/testdata/subdir/compose-test-extends-imported.yaml"),
        "bind source resolved against the include's project_directory: {source}"
    );
}

#[test]
fn override_and_reset_tags_replace_what_the_base_set() {
    let Some(dir) = plimsoll_testkit::corpora::locate("compose") else {
        return;
    };
    let corpus = Corpus::read(&dir);
    // docker-zulip CI: compose.yaml + ci/base.yaml + ci/manual_configuration/no-envs.yaml,
    // where `environment: !override {MANUAL_CONFIGURATION: True}` and `secrets: !reset []`.
    let how = How {
        env: vec![("GITHUB_CI_IMAGE".into(), "zulip-ci:test".into())],
        ..How::default()
    };
    let l = loaded(
        &corpus,
        &[
            "zulip__docker-zulip__compose.yaml",
            "zulip__docker-zulip__ci__base.yaml",
            "zulip__docker-zulip__ci__manual_configuration__no-envs.yaml",
        ],
        &how,
    );
    let z = service(&l, "zulip");
    assert_eq!(
        z.image.as_ref().map(|i| i.value.as_str()),
        Some("zulip-ci:test")
    );
    let names: Vec<&str> = z
        .environment
        .iter()
        .map(|e| e.value.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["MANUAL_CONFIGURATION"],
        "!override replaces the whole mapping"
    );
    assert!(
        z.secrets.is_empty(),
        "!reset [] empties secrets: {:?}",
        z.secrets
    );
    // Other keys of the base survive the override files.
    assert!(
        z.ulimits
            .iter()
            .any(|u| u.value.name == "nofile" && u.value.hard == 1_048_576),
        "ulimits from compose.yaml"
    );
    assert!(z.ports.iter().any(|p| p.value.container_port.start == 443));
}

#[test]
fn env_files_fill_the_environment() {
    let Some(dir) = plimsoll_testkit::corpora::locate("compose") else {
        return;
    };
    let corpus = Corpus::read(&dir);
    let l = loaded(
        &corpus,
        &["netbox-community__netbox-docker__docker-compose.yml"],
        &How::default(),
    );
    let s = service(&l, "netbox");
    let e = s
        .environment
        .iter()
        .find(|e| e.value.name == "DB_PASSWORD")
        .expect("DB_PASSWORD from env/netbox.env");
    assert_eq!(e.value.value.as_deref(), Some("J5brHrAXFLQSif0K"));
    assert!(
        matches!(&e.value.from, plimsoll_runspec::EnvFrom::EnvFile(p) if p.ends_with("env/netbox.env")),
        "from env/netbox.env: {:?}",
        e.value.from
    );
}
