//! Our compose loader against `docker-compose config` (Compose v1, 1.29.2, the one Debian
//! ships): for each of the 91 corpus files v1 accepts and for the fixtures under
//! `tests/fixtures/compare/`, v1's merged, interpolated model (its `config` output, itself a
//! compose file) and the original are both loaded with our loader, and the two projects'
//! RunSpecs are compared service by service, origins aside.
//!
//! v1's output has conventions of its own that say nothing about semantics; the normaliser
//! ([`normalise`]) removes them (sorted lists, `env_file` contents inlined into `environment`,
//! port ranges expanded, durations rewritten as seconds, `~` expanded). What remains must be
//! explained: a difference where v1 and the Compose Specification really disagree is listed
//! in [`ALLOWED`] with the reason; anything else is a bug in the loader or the mapper.
//!
//! `docker-compose` is looked for as `$PLIMSOLL_DOCKER_COMPOSE`, `/usr/bin/docker-compose`,
//! then on `PATH`. Without it the test is skipped with a loud message — unless
//! `PLIMSOLL_REQUIRE_DOCKER=1` (CI), where that is a failure.

#[path = "support/compose_layout.rs"]
mod layout;

use layout::{minimal_env, Corpus};
use plimsoll_runspec::compose::{self, FileSource, LoadOptions, Project};
use plimsoll_runspec::{EnvFrom, Healthcheck, Mount, MountKind, PortBinding, PortRange, RunSpec};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// Differences v1 and the Compose Specification (compose v2, compose-go) really have, as
/// `(case, service, field, why)`; `*` matches any case or service. Each entry must be used.
const ALLOWED: &[(&str, &str, &str, &str)] = &[
    (
        "frappe__frappe_docker__compose.yaml",
        "*",
        "image",
        "`${CUSTOM_TAG:-$ERPNEXT_VERSION}`: the Compose Specification interpolates the default \
     value too (compose-go `template.Substitute` recurses), so with ERPNEXT_VERSION unset the \
     tag is empty; v1 keeps the default as literal text (`$ERPNEXT_VERSION`)",
    ),
    (
        "frappe__frappe_docker__compose.yaml",
        "frontend",
        "environment",
        "`${FRAPPE_SITE_NAME_HEADER:-$$host}`: same cause — compose v2 interpolates the default, \
         so its `$$` escape becomes `$` (`$host`); v1 leaves the default untouched (`$$host`)",
    ),
];

// ---------------------------------------------------------------------------------------------
// docker-compose
// ---------------------------------------------------------------------------------------------

/// The `docker-compose` v1 binary, or `None` (skip) when it is not installed.
fn docker_compose() -> Option<PathBuf> {
    let required = std::env::var("PLIMSOLL_REQUIRE_DOCKER").as_deref() == Ok("1");
    let candidates: Vec<PathBuf> = std::env::var_os("PLIMSOLL_DOCKER_COMPOSE")
        .map(PathBuf::from)
        .into_iter()
        .chain([PathBuf::from("/usr/bin/docker-compose")])
        .chain(
            std::env::var_os("PATH")
                .map(|p| {
                    std::env::split_paths(&p)
                        .map(|d| d.join("docker-compose"))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default(),
        )
        .collect();
    let Some(found) = candidates.into_iter().find(|p| p.is_file()) else {
        let msg = "docker-compose not found (apt-get install -y docker-compose)";
        if required {
            panic!("{msg}, and PLIMSOLL_REQUIRE_DOCKER=1");
        }
        eprintln!("SKIPPED compose_compare: {msg}");
        return None;
    };
    let version = Command::new(&found)
        .args(["version", "--short"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    if !version.starts_with("1.") {
        // The normaliser and the allow-list describe v1's output; v2 would need its own.
        let msg = format!(
            "{} is not docker-compose v1 (version {version:?})",
            found.display()
        );
        if required {
            panic!("{msg}, and PLIMSOLL_REQUIRE_DOCKER=1");
        }
        eprintln!("SKIPPED compose_compare: {msg}");
        return None;
    }
    Some(found)
}

/// Files on disk, for our loader.
struct Disk;

impl FileSource for Disk {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(path)
    }
}

/// One comparison: compose files in a directory on disk.
struct Case {
    name: String,
    /// The working directory (the first file's directory).
    dir: PathBuf,
    /// `-f` files, relative to `dir`.
    files: Vec<PathBuf>,
    env: BTreeMap<String, String>,
}

/// Runs v1's `config` on a case: its output, or why it failed.
fn v1_config(dc: &Path, case: &Case) -> Result<String, String> {
    let mut cmd = Command::new(dc);
    for f in &case.files {
        cmd.arg("-f").arg(f);
    }
    let out = cmd
        .arg("config")
        .current_dir(&case.dir)
        .env_clear()
        .envs(&case.env)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", dc.display()))?;
    if !out.status.success() {
        return Err(format!(
            "docker-compose config failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("docker-compose printed non-UTF-8: {e}"))
}

fn our_load(case: &Case, files: &[PathBuf]) -> Result<Project, String> {
    let opts = LoadOptions {
        files: files.to_vec(),
        working_dir: case.dir.clone(),
        env: case.env.clone(),
        ..LoadOptions::default()
    };
    compose::load(&opts, &Disk).map_err(|d| match &d.hint {
        Some(h) => format!("{d} (hint: {h})"),
        None => d.to_string(),
    })
}

// ---------------------------------------------------------------------------------------------
// The normaliser
// ---------------------------------------------------------------------------------------------

/// Rewrites what only v1's `config` output writes, back into Compose-Specification syntax,
/// before our loader reads it: `volumes_from` entries come out as `service:NAME:MODE` (v1's
/// internal `VolumeFromSpec` form), which the specification writes `NAME:MODE` (its
/// `container:NAME` form is the same in both).
fn v1_conventions(output: &str) -> String {
    let mut out = String::with_capacity(output.len());
    let mut in_volumes_from: Option<usize> = None;
    for line in output.lines() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start();
        if in_volumes_from
            .is_some_and(|i| indent < i || (indent == i && !trimmed.starts_with("- ")))
        {
            in_volumes_from = None;
        }
        if trimmed == "volumes_from:" {
            in_volumes_from = Some(indent);
        } else if in_volumes_from.is_some() {
            if let Some(rest) = trimmed.strip_prefix("- service:") {
                out.push_str(&line[..indent]);
                out.push_str("- ");
                out.push_str(rest);
                out.push('\n');
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A service as comparable facts: field → canonical text.
type Facts = BTreeMap<&'static str, String>;

fn opt<T: std::fmt::Debug>(v: &Option<plimsoll_runspec::Sourced<T>>) -> String {
    match v {
        Some(s) => format!("{:?}", s.value),
        None => "-".into(),
    }
}

fn list<T: std::fmt::Debug>(v: &[plimsoll_runspec::Sourced<T>]) -> String {
    let mut items: Vec<String> = v.iter().map(|s| format!("{:?}", s.value)).collect();
    items.sort();
    items.dedup();
    format!("[{}]", items.join(", "))
}

/// Lexically cleaned `base/path` (absolute `path` wins).
fn absolute(base: &Path, path: &str) -> String {
    let joined = base.join(path);
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.last(), Some(Component::Normal(_))) {
                    out.pop();
                }
            }
            c => out.push(c),
        }
    }
    out.iter()
        .collect::<PathBuf>()
        .to_string_lossy()
        .into_owned()
}

/// A Go duration (`1m30s`, `500ms`) in seconds, to compare v1's rewritten durations (it
/// prints `90s` for `1m30s`); anything unparsable is kept as written.
fn seconds(d: &str) -> String {
    let mut total = 0f64;
    let mut rest = d.trim();
    if rest.is_empty() {
        return d.to_string();
    }
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let Ok(value) = rest[..n].parse::<f64>() else {
            return d.to_string();
        };
        rest = &rest[n..];
        let u = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..u] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 1e-3,
            "us" | "µs" => 1e-6,
            "ns" => 1e-9,
            _ => return d.to_string(),
        };
        total += value * scale;
        rest = &rest[u..];
    }
    format!("{total}s")
}

/// Ports one per host/container port pair (v1 expands `9000-9002:9000-9002` into three).
fn expand_ports(ports: &[plimsoll_runspec::Sourced<PortBinding>]) -> String {
    let mut out = Vec::new();
    for p in ports {
        let b = &p.value;
        let c = b.container_port;
        let n = c.end.saturating_sub(c.start);
        let host_is_range = b
            .host_port
            .is_some_and(|h| h.end.saturating_sub(h.start) == n);
        for i in 0..=n {
            let host = match b.host_port {
                Some(h) if host_is_range => Some(PortRange {
                    start: h.start + i,
                    end: h.start + i,
                }),
                other => other,
            };
            out.push(format!(
                "{:?}",
                PortBinding {
                    host_ip: b.host_ip.clone(),
                    host_port: host,
                    container_port: PortRange {
                        start: c.start + i,
                        end: c.start + i,
                    },
                    protocol: b.protocol.clone(),
                }
            ));
        }
    }
    out.sort();
    out.dedup();
    format!("[{}]", out.join(", "))
}

/// A mount with its source absolute (`~` expanded, as v1 and compose v2 both do).
fn mount(m: &Mount, base: &Path, home: &str) -> String {
    let mut m = m.clone();
    if m.kind == MountKind::Bind {
        if let Some(src) = &m.source {
            let src = match src.strip_prefix('~') {
                Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("{home}{rest}"),
                _ => src.clone(),
            };
            m.source = Some(absolute(base, &src));
        }
    }
    format!("{m:?}")
}

/// The environment the container gets: `env_file` entries first, then `environment` (which
/// wins). v1 inlines env files into `environment`, so only the result is comparable.
fn environment(s: &RunSpec) -> String {
    let mut env: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    for e in s
        .environment
        .iter()
        .filter(|e| matches!(e.value.from, EnvFrom::EnvFile(_)))
    {
        env.insert(&e.value.name, e.value.value.as_deref());
    }
    for e in s
        .environment
        .iter()
        .filter(|e| !matches!(e.value.from, EnvFrom::EnvFile(_)))
    {
        env.insert(&e.value.name, e.value.value.as_deref());
    }
    format!("{env:?}")
}

fn normalise(s: &RunSpec, project_dir: &Path, home: &str) -> Facts {
    let mut f = Facts::new();
    f.insert("kind", format!("{:?}", s.kind));
    f.insert("image", opt(&s.image));
    f.insert(
        "build",
        match &s.build {
            Some(b) => {
                let b = &b.value;
                let context = if b.context.contains("://") || b.context.starts_with("git@") {
                    b.context.clone()
                } else {
                    absolute(Path::new(&b.base_dir), &b.context)
                };
                format!(
                    "context={context} dockerfile={} inline={:?} target={:?}",
                    b.dockerfile, b.inline, b.target
                )
            }
            None => "-".into(),
        },
    );
    f.insert("user", opt(&s.user));
    f.insert("group_add", list(&s.group_add));
    f.insert("privileged", opt(&s.privileged));
    f.insert("cap_add", list(&s.cap_add));
    f.insert("cap_drop", list(&s.cap_drop));
    f.insert("security_opt", list(&s.security_opt));
    f.insert("network_mode", opt(&s.network_mode));
    f.insert("networks", list(&s.networks));
    f.insert("pid", opt(&s.pid));
    f.insert("ipc", opt(&s.ipc));
    f.insert("uts", opt(&s.uts));
    f.insert("userns", opt(&s.userns));
    f.insert("cgroupns", opt(&s.cgroupns));
    f.insert("cgroup_parent", opt(&s.cgroup_parent));
    let mut mounts: Vec<String> = s
        .mounts
        .iter()
        .map(|m| mount(&m.value, project_dir, home))
        .collect();
    mounts.sort();
    f.insert("mounts", format!("[{}]", mounts.join(", ")));
    f.insert("devices", list(&s.devices));
    f.insert("device_cgroup_rules", list(&s.device_cgroup_rules));
    f.insert("gpus", opt(&s.gpus));
    f.insert("sysctls", list(&s.sysctls));
    f.insert("memory", opt(&s.memory));
    f.insert("memory_swap", opt(&s.memory_swap));
    f.insert("memory_reservation", opt(&s.memory_reservation));
    f.insert("oom_kill_disable", opt(&s.oom_kill_disable));
    f.insert("cpus", opt(&s.cpus));
    f.insert("cpu_shares", opt(&s.cpu_shares));
    f.insert("cpu_quota", opt(&s.cpu_quota));
    f.insert("cpu_period", opt(&s.cpu_period));
    f.insert("cpuset_cpus", opt(&s.cpuset_cpus));
    f.insert("pids_limit", opt(&s.pids_limit));
    f.insert("ulimits", list(&s.ulimits));
    f.insert("read_only", opt(&s.read_only));
    f.insert("ports", expand_ports(&s.ports));
    f.insert("publish_all", opt(&s.publish_all));
    f.insert("restart", opt(&s.restart));
    f.insert(
        "healthcheck",
        match &s.healthcheck {
            Some(h) => match &h.value {
                Healthcheck::Disabled => "Disabled".into(),
                Healthcheck::Check {
                    test,
                    interval,
                    timeout,
                    retries,
                    start_period,
                } => format!(
                    "test={test:?} interval={:?} timeout={:?} retries={retries:?} start_period={:?}",
                    interval.as_deref().map(seconds),
                    timeout.as_deref().map(seconds),
                    start_period.as_deref().map(seconds)
                ),
            },
            None => "-".into(),
        },
    );
    f.insert("environment", environment(s));
    f.insert("secrets", list(&s.secrets));
    f.insert("log_driver", opt(&s.log_driver));
    f.insert("log_opts", list(&s.log_opts));
    f.insert("init", opt(&s.init));
    f.insert("runtime", opt(&s.runtime));
    f
}

// ---------------------------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------------------------

/// One unexplained (or explained) difference.
#[derive(Debug, Clone)]
struct Diff {
    case: String,
    service: String,
    field: String,
    ours: String,
    v1: String,
}

impl std::fmt::Display for Diff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} / {} / {}:\n      ours (original): {}\n      ours (v1 output): {}",
            self.case, self.service, self.field, self.ours, self.v1
        )
    }
}

/// What comparing one case gave.
enum Compared {
    Diffs { services: usize, diffs: Vec<Diff> },
    Broken(String),
}

fn compare(dc: &Path, case: &Case) -> Compared {
    let output = match v1_config(dc, case) {
        Ok(o) => o,
        Err(e) => return Compared::Broken(e),
    };
    let output = v1_conventions(&output);
    let out_file = PathBuf::from(".v1-config.yaml");
    if let Err(e) = std::fs::write(case.dir.join(&out_file), &output) {
        return Compared::Broken(format!("cannot write v1's output: {e}"));
    }
    let ours = match our_load(case, &case.files) {
        Ok(p) => p,
        Err(e) => return Compared::Broken(format!("our loader rejects the original: {e}")),
    };
    let theirs = match our_load(case, &[out_file]) {
        Ok(p) => p,
        Err(e) => {
            return Compared::Broken(format!("our loader rejects v1's output: {e}\n{output}"))
        }
    };
    let home = case.env.get("HOME").cloned().unwrap_or_default();
    let facts = |p: &Project| -> BTreeMap<String, Facts> {
        p.services
            .iter()
            .map(|s| (s.name.clone(), normalise(s, &p.project_dir, &home)))
            .collect()
    };
    let (a, b) = (facts(&ours), facts(&theirs));
    let mut diffs = Vec::new();
    let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for name in names {
        match (a.get(name), b.get(name)) {
            (Some(x), Some(y)) => {
                for (field, xv) in x {
                    let yv = y.get(field).cloned().unwrap_or_default();
                    if *xv != yv {
                        diffs.push(Diff {
                            case: case.name.clone(),
                            service: name.clone(),
                            field: field.to_string(),
                            ours: xv.clone(),
                            v1: yv,
                        });
                    }
                }
            }
            (x, y) => diffs.push(Diff {
                case: case.name.clone(),
                service: name.clone(),
                field: "(service)".into(),
                ours: if x.is_some() { "present" } else { "absent" }.into(),
                v1: if y.is_some() { "present" } else { "absent" }.into(),
            }),
        }
    }
    Compared::Diffs {
        services: a.len(),
        diffs,
    }
}

/// The allow-list entries that matched nothing although their case was compared. An entry for
/// a case that was not compared (its corpus is absent and was skipped) cannot match and is not
/// stale: a check that depends on skipped data skips with it.
fn unused_allowances(used: &[usize], compared: &BTreeSet<&str>) -> Vec<String> {
    ALLOWED
        .iter()
        .zip(used)
        .filter(|((case, ..), n)| **n == 0 && (*case == "*" || compared.contains(case)))
        .map(|((c, s, f, _), _)| format!("{c} / {s} / {f}"))
        .collect()
}

fn allowed(d: &Diff) -> Option<usize> {
    ALLOWED.iter().position(|(case, service, field, _)| {
        (*case == "*" || *case == d.case)
            && (*service == "*" || *service == d.service)
            && *field == d.field
    })
}

// ---------------------------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------------------------

/// The fixtures: one folder each, with `compose.yaml` (or the `-f` files listed in
/// `files.list`) and optionally `environment.list` (`NAME=value` lines added to the
/// environment of both loaders).
fn fixture_cases(tmp: &Path) -> Vec<Case> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compare");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&src)
        .expect("tests/fixtures/compare")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|d| {
            let name = d
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let dest = tmp.join("fixtures").join(&name);
            copy_dir(&d, &dest);
            let files = std::fs::read_to_string(d.join("files.list"))
                .map(|t| {
                    t.lines()
                        .filter(|l| !l.trim().is_empty())
                        .map(PathBuf::from)
                        .collect()
                })
                .unwrap_or_else(|_| vec![PathBuf::from("compose.yaml")]);
            let mut env = minimal_env(&dest);
            if let Ok(t) = std::fs::read_to_string(d.join("environment.list")) {
                for l in t.lines() {
                    if let Some((k, v)) = l.split_once('=') {
                        env.insert(k.to_string(), v.to_string());
                    }
                }
            }
            Case {
                name: format!("fixture:{name}"),
                dir: dest,
                files,
                env,
            }
        })
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create fixture dir");
    for e in std::fs::read_dir(from).expect("read fixture dir").flatten() {
        let p = e.path();
        let name = e.file_name();
        if name == "files.list" || name == "environment.list" {
            continue;
        }
        if p.is_dir() {
            copy_dir(&p, &to.join(&name));
        } else {
            std::fs::copy(&p, to.join(&name)).expect("copy fixture file");
        }
    }
}

/// The corpus files v1 accepted, each in its own rebuilt repository.
fn corpus_cases(tmp: &Path) -> Vec<Case> {
    let Some(dir) = plimsoll_testkit::corpora::locate("compose") else {
        return Vec::new();
    };
    let corpus = Corpus::read(&dir);
    let accepted: Vec<_> = corpus.checks.iter().filter(|c| c.accepted()).collect();
    assert_eq!(accepted.len(), 91, "config-check.tsv: 91 files accepted");
    accepted
        .iter()
        .enumerate()
        .map(|(i, check)| {
            let layout = corpus.layout(&[&check.file]);
            let repo = layout
                .write(&tmp.join(format!("corpus-{i:03}")))
                .expect("write the layout");
            let dir = repo.join(layout.first_dir());
            let file = Path::new(&layout.compose[0])
                .file_name()
                .map(PathBuf::from)
                .unwrap_or_default();
            Case {
                name: check.file.clone(),
                env: minimal_env(&dir),
                dir,
                files: vec![file],
            }
        })
        .collect()
}

#[test]
fn loader_agrees_with_docker_compose_config() {
    let Some(dc) = docker_compose() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut cases = fixture_cases(tmp.path());
    assert!(cases.len() >= 8, "fixtures under tests/fixtures/compare");
    cases.extend(corpus_cases(tmp.path()));

    // v1 is a Python program taking half a second per run: a few at a time.
    let results: Mutex<Vec<(usize, Compared)>> = Mutex::new(Vec::new());
    let next = Mutex::new(0usize);
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| loop {
                let i = {
                    let mut n = next.lock().expect("lock");
                    let i = *n;
                    *n += 1;
                    i
                };
                let Some(case) = cases.get(i) else { break };
                let r = compare(&dc, case);
                results.lock().expect("lock").push((i, r));
            });
        }
    });
    let mut results = results.into_inner().expect("lock");
    results.sort_by_key(|(i, _)| *i);

    let mut broken = Vec::new();
    let mut unexplained = Vec::new();
    let mut used = vec![0usize; ALLOWED.len()];
    let (mut services, mut explained) = (0, 0);
    for (i, r) in &results {
        let case = &cases[*i];
        match r {
            Compared::Broken(why) => broken.push(format!("{}: {why}", case.name)),
            Compared::Diffs { services: n, diffs } => {
                services += n;
                for d in diffs {
                    match allowed(d) {
                        Some(k) => {
                            used[k] += 1;
                            explained += 1;
                        }
                        None => unexplained.push(d.to_string()),
                    }
                }
            }
        }
    }
    println!(
        "compose_compare: {} cases ({} fixtures), {services} services compared; {explained} known v1 differences, {} unexplained, {} broken",
        cases.len(),
        cases.iter().filter(|c| c.name.starts_with("fixture:")).count(),
        unexplained.len(),
        broken.len()
    );
    for (k, (case, service, field, why)) in ALLOWED.iter().enumerate() {
        println!(
            "  allowed ×{}: {case} / {service} / {field}: {why}",
            used[k]
        );
    }
    let compared: BTreeSet<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    let unused = unused_allowances(&used, &compared);
    let mut problems = Vec::new();
    if !broken.is_empty() {
        problems.push(format!(
            "{} case(s) could not be compared:\n  {}",
            broken.len(),
            broken.join("\n  ")
        ));
    }
    if !unexplained.is_empty() {
        problems.push(format!(
            "{} unexplained difference(s):\n  {}",
            unexplained.len(),
            unexplained.join("\n  ")
        ));
    }
    if !unused.is_empty() {
        problems.push(format!(
            "allow-list entries that matched nothing: {}",
            unused.join("; ")
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// Without the corpus (a fresh clone), the allow-list entries for corpus files are not
/// reported as stale: they skip with the corpus. With their case compared, an unused entry is.
#[test]
fn allow_list_entries_for_skipped_corpus_cases_are_not_stale() {
    let unused = vec![0; ALLOWED.len()];
    let fixtures_only: BTreeSet<&str> = ["fixture:anchors"].into_iter().collect();
    assert_eq!(
        unused_allowances(&unused, &fixtures_only),
        Vec::<String>::new()
    );
    let with_corpus: BTreeSet<&str> = ["fixture:anchors", "frappe__frappe_docker__compose.yaml"]
        .into_iter()
        .collect();
    assert_eq!(
        unused_allowances(&unused, &with_corpus).len(),
        ALLOWED.len(),
        "entries for a compared case that matched nothing are stale"
    );
}

#[test]
fn normaliser_conventions() {
    assert_eq!(
        v1_conventions("services:\n  a:\n    volumes_from:\n    - service:b:rw\n    - container:c:ro\n    image: x\n"),
        "services:\n  a:\n    volumes_from:\n    - b:rw\n    - container:c:ro\n    image: x\n"
    );
    assert_eq!(seconds("1m30s"), "90s");
    assert_eq!(seconds("90s"), "90s");
    assert_eq!(seconds("500ms"), "0.5s");
    assert_eq!(seconds("1h"), "3600s");
    assert_eq!(seconds("soon"), "soon");
    assert_eq!(absolute(Path::new("/p/q"), "./a/../b"), "/p/q/b");
    assert_eq!(absolute(Path::new("/p/q"), "/abs"), "/abs");
    let m = Mount {
        kind: MountKind::Bind,
        source: Some("~/cache".into()),
        target: "/cache".into(),
        read_only: false,
        propagation: None,
        selinux: None,
    };
    assert!(mount(&m, Path::new("/p"), "/home/u").contains("\"/home/u/cache\""));
}
