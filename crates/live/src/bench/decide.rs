//! From facts and findings to one docker-bench-style result per CIS check.
//!
//! Each [`How`] has one decision: container checks look at the RS findings of the audited
//! containers, 4.6 at the images' configs, 5.1/6.x/7.x at the engine's `info`, image list
//! and networks, sections 1–3 at the daemon/host collector's results ([`HostResult`]). A
//! fact that could not be read gives INFO `not checked: <reason>`, never a PASS.
//!
//! Like docker-bench, the per-container checks of section 5 (5.2–5.32) are skipped — not
//! shown, not counted — when no container is running, and 4.1 says INFO.

use std::collections::BTreeSet;

use plimsoll_core::Finding;

use super::catalogue::{Check, How, CHECKS};

pub use plimsoll_core::bench::Outcome;

/// One audited container: its name, its published ports as written, and every finding the
/// rules raised on it.
#[derive(Debug, Clone)]
pub struct AuditedContainer<'a> {
    pub name: &'a str,
    /// Each published port as the container's configuration writes it (5.9 lists them).
    pub ports: Vec<&'a str>,
    pub findings: &'a [Finding],
}

/// What the benchmark reads of the engine's `info` (5.1, 5.2, 5.3, 6.2, section 7).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EngineInfo {
    /// The engine's security options (`name=apparmor`, `name=seccomp,profile=builtin`).
    pub security_options: Vec<String>,
    /// Containers, running or not.
    pub containers: i64,
    pub containers_running: i64,
    /// Swarm mode is active, pending or locked on this node.
    pub swarm_active: bool,
    /// Swarm managers (0 when unknown).
    pub managers: i64,
    /// The swarm's managers auto-lock (`docker swarm update --autolock`).
    pub autolock: bool,
}

/// What 7.3 needs of one network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchNetwork {
    pub name: String,
    pub scope: String,
    /// Its driver is `overlay`.
    pub overlay: bool,
    /// It has the `encrypted` option.
    pub encrypted: bool,
}

/// What 4.6 needs of one image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchImage {
    /// `repo:tag`, or the short id of an untagged image.
    pub name: String,
    /// The image defines a `HEALTHCHECK` (other than `NONE`).
    pub healthcheck: bool,
}

/// The daemon/host collector's verdict on one CIS id (sections 1–3, and any other id it
/// decides: it then wins over plimsoll's own decision).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostResult {
    pub cis: String,
    pub verdict: Verdict,
    /// What failed (files, users, settings), shown under the check and as JSON `items`.
    pub items: Vec<String>,
    /// Facts worth printing under the check.
    pub details: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
    /// Judged, and only worth telling (a manual check's facts: the docker group's members,
    /// the image count): INFO with the items, never scored.
    Info,
    /// Does not apply here (INFO, with why).
    NotApplicable(String),
    /// Could not be judged (INFO "not checked: …").
    NotChecked(String),
}

/// Everything the benchmark is decided from. `None` = could not be read (the reason is in
/// the matching `*_error`).
#[derive(Debug, Default)]
pub struct BenchInput<'a> {
    /// The running containers audited (self-excluded and filtered ones already removed).
    pub containers: Vec<AuditedContainer<'a>>,
    /// Names of containers that were selected but could not be inspected.
    pub unaudited: Vec<String>,
    /// Whether the containers' processes were read (`top`), for 5.7.
    pub processes_read: bool,
    pub images: Option<Vec<BenchImage>>,
    pub images_error: Option<String>,
    /// Ids of the images any container (running or not) uses, for 6.1.
    pub used_images: Option<BTreeSet<String>>,
    /// Number of distinct local images (`docker images -q | sort -u`), for 6.1.
    pub image_count: Option<usize>,
    pub info: Option<EngineInfo>,
    pub info_error: Option<String>,
    pub networks: Option<Vec<BenchNetwork>>,
    pub networks_error: Option<String>,
    /// Results from the daemon/host collector.
    pub host: Vec<HostResult>,
    /// Why there are no host results for an id the collector did not decide.
    pub host_missing: String,
    /// Only these check ids or prefixes (`5`, `5.4`, `1.1`); empty = all.
    pub only: Vec<String>,
    /// Not these.
    pub exclude: Vec<String>,
}

/// The result of one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    pub check: &'static Check,
    pub outcome: Outcome,
    /// Counted in `Checks: N` (every shown result is, as in docker-bench).
    pub counted: bool,
    /// Moves the score: scored checks that PASS (+1) or WARN (−1).
    pub scored: bool,
    /// Text after the title: ` (Swarm mode not enabled)`.
    pub suffix: String,
    /// docker-bench's JSON `details` ("Containers running in privileged mode").
    pub details: Option<String>,
    /// The offending containers/images/files (JSON `items`).
    pub items: Vec<String>,
    /// Lines printed under the check (`Privileged: web`), without the `* ` bullet.
    pub lines: Vec<String>,
    /// Set when a fact could not be read: the result is INFO and says why.
    pub not_checked: Option<String>,
}

/// The whole benchmark.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bench {
    pub results: Vec<CheckResult>,
    /// Notes printed under a section heading (`No containers running, skipping Section 5`).
    pub section_notes: Vec<(&'static str, String)>,
}

impl Bench {
    /// `Checks: N`: every counted result.
    pub fn checks(&self) -> usize {
        self.results.iter().filter(|r| r.counted).count()
    }

    /// `Score: S`: +1 per scored PASS, −1 per scored WARN (docker-bench's formula).
    pub fn score(&self) -> i64 {
        self.results
            .iter()
            .filter(|r| r.scored)
            .map(|r| match r.outcome {
                Outcome::Pass => 1,
                Outcome::Warn => -1,
                _ => 0,
            })
            .sum()
    }
}

/// Whether `id` is selected by `--check` / `--exclude` patterns: a pattern selects the id
/// itself and everything under it (`5` → `5.4`, `1.1` → `1.1.3`); docker-bench's function
/// names (`check_5_4`) are accepted too.
pub fn selected(id: &str, only: &[String], exclude: &[String]) -> bool {
    let hit = |p: &String| {
        let p = p.trim();
        let p = p
            .strip_prefix("check_")
            .map(|r| r.replace('_', "."))
            .unwrap_or_else(|| p.to_string());
        !p.is_empty()
            && (id == p
                || id
                    .strip_prefix(p.as_str())
                    .is_some_and(|r| r.starts_with('.')))
    };
    (only.is_empty() || only.iter().any(hit)) && !exclude.iter().any(hit)
}

/// Decides every selected check.
pub fn decide(input: &BenchInput<'_>) -> Bench {
    let mut bench = Bench::default();
    let running = !input.containers.is_empty() || !input.unaudited.is_empty();
    let section5 = CHECKS
        .iter()
        .any(|c| c.section() == "5" && selected(c.id, &input.only, &input.exclude));
    if !running && section5 {
        bench
            .section_notes
            .push(("5", "No containers running, skipping Section 5".to_string()));
    }
    for check in CHECKS {
        if !selected(check.id, &input.only, &input.exclude) {
            continue;
        }
        if let Some(h) = input.host.iter().find(|h| h.cis == check.id) {
            bench.results.push(from_host(check, h));
            continue;
        }
        let result = match check.how {
            How::Host => not_from_host(check, &input.host_missing),
            How::Manual(rules) => Some(manual(check, rules)),
            How::ContentTrust => Some(content_trust(check)),
            How::Containers(_) | How::OpenPorts if !running => {
                (check.id == "4.1").then(|| info_saying(check, "No containers running"))
            }
            How::Containers(rules) => Some(containers(check, rules, input)),
            How::OpenPorts => Some(open_ports(check, input)),
            How::ImageHealthcheck => Some(image_healthcheck(check, input)),
            How::Engine => Some(engine(check, input)),
        };
        bench.results.extend(result);
    }
    bench
}

fn base(check: &'static Check, outcome: Outcome) -> CheckResult {
    CheckResult {
        check,
        outcome,
        counted: true,
        scored: check.scored && matches!(outcome, Outcome::Pass | Outcome::Warn),
        suffix: String::new(),
        details: None,
        items: Vec::new(),
        lines: Vec::new(),
        not_checked: None,
    }
}

fn not_checked(check: &'static Check, why: impl Into<String>) -> CheckResult {
    let why = why.into();
    let mut r = base(check, Outcome::Info);
    r.details = Some(format!("not checked: {why}"));
    r.not_checked = Some(why);
    r
}

/// INFO `not checked`: a fact was not read — its read error if there was one, else `fallback`.
fn unread(check: &'static Check, error: &Option<String>, fallback: &str) -> CheckResult {
    not_checked(check, error.clone().unwrap_or_else(|| fallback.to_string()))
}

/// INFO saying why, in the JSON `details` and under the check.
fn info_saying(check: &'static Check, why: &str) -> CheckResult {
    let mut r = base(check, Outcome::Info);
    r.details = Some(why.to_string());
    r.lines.push(why.to_string());
    r
}

/// What a failed check says: WARN, or INFO for an unscored check.
fn failed(check: &'static Check) -> Outcome {
    if check.scored {
        Outcome::Warn
    } else {
        Outcome::Info
    }
}

/// PASS, or WARN (INFO for unscored checks) with the offenders.
fn pass_or_warn(
    check: &'static Check,
    details: &str,
    offenders: Vec<(String, String)>,
) -> CheckResult {
    if offenders.is_empty() {
        return base(check, Outcome::Pass);
    }
    let mut r = base(check, failed(check));
    r.details = Some(details.to_string());
    for (item, line) in offenders {
        if !r.items.contains(&item) {
            r.items.push(item);
        }
        r.lines.push(line);
    }
    r
}

fn from_host(check: &'static Check, h: &HostResult) -> CheckResult {
    let mut r = match &h.verdict {
        Verdict::Pass => base(check, Outcome::Pass),
        Verdict::Fail | Verdict::Info => {
            let outcome = match h.verdict {
                Verdict::Fail => failed(check),
                _ => Outcome::Info,
            };
            let mut r = base(check, outcome);
            r.items = h.items.clone();
            r.lines = h.items.clone();
            r
        }
        Verdict::NotApplicable(why) => info_saying(check, why),
        Verdict::NotChecked(why) => not_checked(check, why.clone()),
    };
    if r.outcome == Outcome::Pass && !check.automated() && !check.scored && h.details.is_empty() {
        // A manual check the collector has nothing to say about stays a NOTE.
        r.outcome = Outcome::Note;
    }
    r.lines.extend(h.details.iter().cloned());
    if r.details.is_none() && !h.details.is_empty() {
        r.details = Some(h.details.join("; "));
    }
    r
}

fn not_from_host(check: &'static Check, missing: &str) -> Option<CheckResult> {
    if !check.automated() && !check.scored {
        return Some(base(check, Outcome::Note));
    }
    Some(not_checked(check, missing))
}

fn manual(check: &'static Check, rules: &[&str]) -> CheckResult {
    let mut r = base(check, Outcome::Note);
    if !rules.is_empty() {
        let dockerfile = rules.iter().any(|r| r.starts_with("DF"));
        r.details = Some(format!(
            "checked by {}{}",
            rules.join(", "),
            if dockerfile {
                " on Dockerfiles (`plimsoll scan`)"
            } else {
                ""
            }
        ));
    }
    r
}

fn content_trust(check: &'static Check) -> CheckResult {
    info_saying(
        check,
        "Docker Content Trust is retired (Notary v1 shuts down on 8 Dec 2026; signed Official \
         Images expired in Aug 2025): pin images by digest (RS033) and verify cosign/Notation \
         signatures instead",
    )
}

/// docker-bench's words for the offenders of each container check.
fn label(id: &str) -> (&'static str, &'static str) {
    match id {
        "4.1" => ("running as root", "Running as root"),
        "5.2" => ("Containers with no AppArmorProfile", "No AppArmorProfile"),
        "5.3" => ("Containers with no SELinux options", "No SELinux options"),
        "5.4" => ("Capabilities added for containers", "Capabilities added"),
        "5.5" => ("Containers running in privileged mode", "Privileged"),
        "5.6" => (
            "Containers with sensitive directories mounted",
            "Sensitive directory mounted",
        ),
        "5.7" => ("Containers running sshd", "Running sshd"),
        "5.8" => (
            "Containers using privileged ports",
            "Privileged port mapped",
        ),
        "5.10" => (
            "Containers running with networking mode 'host'",
            "Host network",
        ),
        "5.11" => (
            "Container running without memory restrictions",
            "No memory limit",
        ),
        "5.12" => (
            "Containers running without CPU restrictions",
            "No CPU limit",
        ),
        "5.13" => (
            "Containers running with root FS mounted R/W",
            "Root FS writable",
        ),
        "5.14" => (
            "Containers with port bound to wildcard IP",
            "Port on all interfaces",
        ),
        "5.15" => (
            "Containers with an unbounded restart policy",
            "Restart policy",
        ),
        "5.16" => (
            "Containers sharing host PID namespace",
            "Host PID namespace",
        ),
        "5.17" => (
            "Containers sharing host IPC namespace",
            "Host IPC namespace",
        ),
        "5.18" => (
            "Containers with host devices exposed directly",
            "Host devices",
        ),
        "5.19" => ("Containers with raised ulimits", "Ulimit raised"),
        "5.20" => (
            "Containers with shared mount propagation",
            "Shared propagation",
        ),
        "5.21" => (
            "Containers sharing host UTS namespace",
            "Host UTS namespace",
        ),
        "5.22" => (
            "Containers with default seccomp profile disabled",
            "Seccomp disabled",
        ),
        "5.25" => ("Containers using unexpected cgroup", "cgroup parent set"),
        "5.26" => (
            "Containers without restricted privileges",
            "Privileges not restricted",
        ),
        "5.27" => ("Containers without health check or unhealthy", "Health"),
        "5.28" => (
            "Containers with images not pinned by digest",
            "Image not pinned",
        ),
        "5.29" => ("Containers without PIDs cgroup limit", "PIDs limit not set"),
        "5.30" => ("Containers using docker0 network", "In docker0 network"),
        "5.31" => (
            "Containers sharing host user namespace",
            "Host user namespace",
        ),
        "5.32" => ("Containers sharing docker socket", "Runtime socket mounted"),
        _ => ("Containers", "Container"),
    }
}

fn containers(check: &'static Check, rules: &[&str], input: &BenchInput<'_>) -> CheckResult {
    let no_options = Vec::new();
    let engine_opts = input
        .info
        .as_ref()
        .map_or(&no_options, |i| &i.security_options);
    let has = |name: &str| {
        engine_opts
            .iter()
            .any(|o| o.split(',').any(|kv| kv == format!("name={name}")))
    };
    match check.id {
        "5.2" if input.info.is_some() && !has("apparmor") => {
            return info_saying(
                check,
                "not applicable: the engine does not use AppArmor (no `name=apparmor` in its \
                 security options)",
            );
        }
        "5.3" if input.info.is_some() && !has("selinux") => {
            return info_saying(
                check,
                "not applicable: the engine does not use SELinux (no `name=selinux` in its \
                 security options)",
            );
        }
        "5.7" if !input.processes_read => {
            return not_checked(check, "the containers' processes were not read");
        }
        _ => {}
    }
    let (details, what) = label(check.id);
    let mut offenders = Vec::new();
    for c in &input.containers {
        for f in c.findings.iter().filter(|f| rules.contains(&f.rule_id)) {
            let evidence = f
                .evidence
                .as_deref()
                .filter(|e| !e.is_empty() && e.chars().count() <= 100)
                .map(|e| format!(" ({e})"))
                .unwrap_or_default();
            offenders.push((c.name.to_string(), format!("{what}: {}{evidence}", c.name)));
        }
    }
    let mut r = pass_or_warn(check, details, offenders);
    for name in &input.unaudited {
        r.lines
            .push(format!("not checked: {name} could not be inspected"));
    }
    r
}

fn open_ports(check: &'static Check, input: &BenchInput<'_>) -> CheckResult {
    let mut offenders = Vec::new();
    for c in &input.containers {
        for written in &c.ports {
            offenders.push((
                c.name.to_string(),
                format!("Port in use: {written} in {}", c.name),
            ));
        }
    }
    pass_or_warn(check, "Containers with open ports", offenders)
}

fn image_healthcheck(check: &'static Check, input: &BenchInput<'_>) -> CheckResult {
    let Some(images) = &input.images else {
        return unread(check, &input.images_error, "the images were not read");
    };
    let offenders = images
        .iter()
        .filter(|i| !i.healthcheck)
        .map(|i| (i.name.clone(), format!("No Healthcheck found: {}", i.name)))
        .collect();
    pass_or_warn(check, "Images w/o HEALTHCHECK", offenders)
}

fn engine(check: &'static Check, input: &BenchInput<'_>) -> CheckResult {
    let info_missing = || unread(check, &input.info_error, "the engine's info was not read");
    match check.id {
        "6.1" => {
            let (Some(count), Some(used)) = (input.image_count, &input.used_images) else {
                return unread(check, &input.images_error, "the images were not read");
            };
            let active = used.len();
            let mut r = base(check, Outcome::Info);
            r.lines.push(format!("There are currently: {count} images"));
            if active < count / 2 {
                r.lines
                    .push(format!("Only {active} out of {count} are in use"));
            }
            r.details = Some(format!("{active} active/{count} in use"));
            return r;
        }
        "6.2" => {
            let Some(info) = &input.info else {
                return info_missing();
            };
            let total = info.containers;
            let running = info.containers_running;
            let mut r = base(check, Outcome::Info);
            let only = if total - running > 25 { "only " } else { "" };
            r.lines.push(format!(
                "There are currently a total of {total} containers, with {only}{running} of them currently running"
            ));
            r.details = Some(format!("{total} total/{running} running"));
            return r;
        }
        _ => {}
    }
    let Some(info) = &input.info else {
        return info_missing();
    };
    let active = info.swarm_active;
    if check.id == "5.1" {
        return if active {
            let mut r = base(check, Outcome::Warn);
            r.details = Some("swarm mode is active".to_string());
            r
        } else {
            base(check, Outcome::Pass)
        };
    }
    // Section 7.
    if !active {
        let mut r = base(check, Outcome::Pass);
        r.suffix = " (Swarm mode not enabled)".to_string();
        return r;
    }
    match check.id {
        "7.1" => {
            let managers = info.managers;
            let mut r = if managers >= 1 && managers % 2 == 1 && managers <= 7 {
                base(check, Outcome::Pass)
            } else {
                base(check, Outcome::Warn)
            };
            r.lines.push(format!("Managers: {managers}"));
            r.details = Some(format!("{managers} managers"));
            r
        }
        "7.3" => {
            let Some(networks) = &input.networks else {
                return unread(check, &input.networks_error, "the networks were not read");
            };
            let offenders = networks
                .iter()
                .filter(|n| n.overlay && !n.encrypted)
                .map(|n| {
                    let name = format!("{} ({})", n.name, n.scope);
                    (name.clone(), format!("Unencrypted overlay network: {name}"))
                })
                .collect();
            pass_or_warn(check, "Unencrypted overlay networks:", offenders)
        }
        "7.5" => {
            base(
                check,
                if info.autolock {
                    Outcome::Pass
                } else {
                    Outcome::Warn
                },
            )
        }
        "7.6" => base(check, Outcome::Note),
        "7.2" => not_checked(
            check,
            "needs the host's listening sockets: check that `ss -lnt` shows no 0.0.0.0:2377 / [::]:2377",
        ),
        "7.4" => not_checked(check, "swarm secrets are not listed by plimsoll"),
        _ => base(check, Outcome::Info),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_by_id_prefix_and_function_name() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(selected("5.4", &s(&["5.4", "5.10"]), &[]));
        assert!(!selected("5.41", &s(&["5.4"]), &[]));
        assert!(selected("1.1.3", &s(&["1.1"]), &[]));
        assert!(!selected("1.2.1", &s(&["1.1"]), &[]));
        assert!(selected("5.10", &s(&["check_5_10"]), &[]));
        assert!(!selected("2.13", &[], &s(&["2.13"])));
        assert!(selected("2.1", &[], &s(&["2.13"])));
        assert!(!selected("5.5", &s(&["5"]), &s(&["5.5"])));
    }

    #[test]
    fn score_is_docker_benchs() {
        let check = &CHECKS[0];
        let scored = Check {
            scored: true,
            ..*check
        };
        let scored: &'static Check = Box::leak(Box::new(scored));
        let bench = Bench {
            results: vec![
                base(scored, Outcome::Pass),
                base(scored, Outcome::Pass),
                base(scored, Outcome::Warn),
                base(scored, Outcome::Info),
                base(scored, Outcome::Note),
            ],
            section_notes: Vec::new(),
        };
        assert_eq!(bench.checks(), 5);
        assert_eq!(bench.score(), 1);
    }

    #[test]
    fn no_containers_skips_section_5_like_docker_bench() {
        let input = BenchInput {
            host_missing: "host facts not collected".into(),
            ..BenchInput::default()
        };
        let bench = decide(&input);
        let ids: Vec<&str> = bench.results.iter().map(|r| r.check.id).collect();
        assert!(ids.contains(&"5.1"));
        assert!(!ids.contains(&"5.2") && !ids.contains(&"5.32"));
        assert!(bench.section_notes.iter().any(|(s, _)| *s == "5"));
        let r41 = bench.results.iter().find(|r| r.check.id == "4.1");
        assert_eq!(r41.map(|r| r.outcome), Some(Outcome::Info));
        // Host facts unknown: INFO not checked, never PASS; manual ones NOTE.
        let r = bench.results.iter().find(|r| r.check.id == "2.2");
        assert!(r.is_some_and(|r| r.outcome == Outcome::Info && r.not_checked.is_some()));
        let r = bench.results.iter().find(|r| r.check.id == "2.1");
        assert_eq!(r.map(|r| r.outcome), Some(Outcome::Note));
        // Engine facts unknown too.
        let r = bench.results.iter().find(|r| r.check.id == "5.1");
        assert!(r.is_some_and(|r| r.not_checked.is_some()));
    }

    #[test]
    fn host_results_win() {
        let input = BenchInput {
            host: vec![HostResult {
                cis: "3.16".into(),
                verdict: Verdict::Fail,
                items: vec!["/var/run/docker.sock 0666".into()],
                details: vec![],
            }],
            only: vec!["3.16".into()],
            ..BenchInput::default()
        };
        let bench = decide(&input);
        assert_eq!(bench.results.len(), 1);
        assert_eq!(bench.results[0].outcome, Outcome::Warn);
        assert_eq!(bench.score(), -1);
    }
}
