//! Package-manager defaults a Dockerfile changes by writing configuration in an earlier RUN
//! (`echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/…`,
//! `echo assumeyes=1 >> /etc/dnf/dnf.conf`), so later installs need not repeat the flag.
//! They carry over to stages built `FROM` that stage.

use crate::analysis::run::commands::Flat;
use crate::analysis::run::file_writes;
use crate::analysis::run::instructions::Runs;
use regex::Regex;
use std::sync::OnceLock;

/// Defaults in effect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Settings {
    /// apt installs no Recommends by default.
    pub apt_no_recommends: bool,
    /// apt answers yes by default.
    pub apt_assume_yes: bool,
    /// apt keeps downloaded `.deb` files in /var/cache/apt/archives (the Docker images'
    /// `docker-clean` hook was removed, or `Keep-Downloaded-Packages` was set).
    pub apt_keeps_debs: bool,
    /// yum/dnf answer yes by default.
    pub rpm_assume_yes: bool,
    /// zypper installs only required packages.
    pub zypper_only_requires: bool,
}

/// A configuration pattern and the default it changes.
type Pattern = (Regex, fn(&mut Settings));

fn patterns() -> &'static [Pattern] {
    static P: OnceLock<Vec<Pattern>> = OnceLock::new();
    P.get_or_init(|| {
        let re = |s: &str| Regex::new(s).expect("constant regex is valid");
        vec![
            (
                re(r#"(?i)APT::Install-Recommends\s*"?\s*(false|0|no)\b"#),
                (|s: &mut Settings| s.apt_no_recommends = true) as fn(&mut Settings),
            ),
            (
                re(r#"(?i)APT::Get::Assume-Yes\s*"?\s*(true|1|yes)\b"#),
                |s: &mut Settings| s.apt_assume_yes = true,
            ),
            (
                re(r#"(?i)Keep-Downloaded-Packages\s*"?\s*(true|1|yes)\b"#),
                |s: &mut Settings| s.apt_keeps_debs = true,
            ),
            (
                re(r"(?im)^\s*assumeyes\s*=\s*(1|true|yes)\b"),
                |s: &mut Settings| s.rpm_assume_yes = true,
            ),
            (
                re(r"(?im)solver\.onlyRequires\s*=\s*true\b"),
                |s: &mut Settings| s.zypper_only_requires = true,
            ),
        ]
    })
}

/// Applies what the RUN's commands before index `before` set: configuration text they write
/// (`written`, from [`file_writes::writes`]) and `rm /etc/apt/apt.conf.d/docker-clean`.
pub fn apply(
    settings: &mut Settings,
    flat: &Flat<'_>,
    written: &[file_writes::Written<'_>],
    before: usize,
) {
    for w in written {
        if w.cmd >= before {
            continue;
        }
        for (re, set) in patterns() {
            if re.is_match(&w.text) {
                set(settings);
            }
        }
    }
    let removes_docker_clean = flat.cmds.iter().take(before).any(|c| {
        c.is(&["rm"])
            && c.args()
                .iter()
                .any(|a| a.text == "/etc/apt/apt.conf.d/docker-clean")
    });
    if removes_docker_clean {
        settings.apt_keeps_debs = true;
    }
}

/// For each RUN of `runs.list`: the settings written by earlier RUNs of its stage (and of the
/// stages it builds on).
pub fn before_each(runs: &Runs<'_>) -> Vec<Settings> {
    let n = runs.stages.list.len();
    let mut at_end: Vec<Settings> = Vec::with_capacity(n);
    let mut out = vec![Settings::default(); runs.list.len()];
    for stage in &runs.stages.list {
        let mut now = stage
            .parent
            .and_then(|p| at_end.get(p).copied())
            .unwrap_or_default();
        // ONBUILD RUNs run later, in a downstream build: they see everything this stage set,
        // and each other's settings, but normal RUNs never see theirs.
        let mut onbuild_now = now;
        for (k, run) in runs.list.iter().enumerate() {
            if run.stage != stage.index {
                continue;
            }
            if let Some(slot) = out.get_mut(k) {
                *slot = if run.onbuild { onbuild_now } else { now };
            }
            let flat = &run.flat;
            let written = &run.written;
            if !run.onbuild {
                apply(&mut now, flat, written, usize::MAX);
            }
            apply(&mut onbuild_now, flat, written, usize::MAX);
        }
        at_end.push(now);
    }
    out
}
