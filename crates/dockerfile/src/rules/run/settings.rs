//! Package-manager defaults a Dockerfile changes by writing configuration in an earlier RUN
//! (`echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/…`,
//! `echo assumeyes=1 >> /etc/dnf/dnf.conf`), so later installs need not repeat the flag.
//! They carry over to stages built `FROM` that stage.

use crate::rules::run::flat::Flat;
use crate::rules::run::runs::Runs;
use crate::rules::run::writes;
use regex::Regex;
use std::sync::OnceLock;

/// Defaults in effect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Settings {
    /// apt installs no Recommends by default.
    pub apt_no_recommends: bool,
    /// apt answers yes by default.
    pub apt_assume_yes: bool,
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

/// Applies what `written` (by commands before index `before`) sets.
pub fn apply(settings: &mut Settings, written: &[writes::Written<'_>], before: usize) {
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
}

/// For each RUN of `runs.list`: the settings written by earlier RUNs of its stage (and of the
/// stages it builds on).
pub fn before_each(runs: &Runs<'_>) -> Vec<Settings> {
    let mut per_stage: Vec<Settings> = vec![Settings::default(); runs.stages.list.len()];
    let mut started = vec![false; runs.stages.list.len()];
    let mut out = Vec::with_capacity(runs.list.len());
    for run in &runs.list {
        let s = run.stage;
        if s >= per_stage.len() {
            out.push(Settings::default());
            continue;
        }
        if !started[s] {
            started[s] = true;
            if let Some(p) = runs.stages.list[s].parent {
                if p < s {
                    per_stage[s] = per_stage[p];
                }
            }
        }
        out.push(per_stage[s]);
        if !run.onbuild {
            let flat = Flat::of(run);
            apply(&mut per_stage[s], &writes::writes(&flat), usize::MAX);
        }
    }
    out
}
