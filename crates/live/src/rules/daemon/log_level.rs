//! DM002: the daemon's log level is not `info`.

use plimsoll_core::{References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::{at, findings_or_unknown, where_set};
use crate::facts::DaemonFacts;
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "DM002",
    name: "log-level",
    title: "Daemon log level is not info",
    severity: Severity::Low,
    stage: Stage::Daemon,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when dockerd's log level is set to anything but `info` (`log-level` in \
daemon.json, `-l`/`--log-level`), or debug logging is on (`\"debug\": true`, `-D`). Unset \
means `info` and passes.",
        why: "Below `info` (`warn`, `error`, `fatal`) the daemon stops logging the events an \
investigation needs — container starts, pulls, API errors — so an intrusion through the API \
leaves no trail. `debug` logs request details, sometimes including registry credentials and \
environment values, and fills the disk.",
        fix: "Remove `log-level` and `debug` from daemon.json (and `-l`, `-D` from the \
command line), or set `\"log-level\": \"info\"`, then restart dockerd.",
        bad: "{\n  \"log-level\": \"error\"\n}\n",
        good: "{\n  \"log-level\": \"info\"\n}\n",
    },
    references: References {
        cis: &["2.3"],
        links: &["https://docs.docker.com/reference/cli/dockerd/#daemon-configuration-file"],
        ..References::NONE
    },
};

/// DM002 (`log-level`), judged on the daemon's facts.
pub struct LogLevel;

impl Rule<DaemonFacts, CheckResult> for LogLevel {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    let mut findings = Vec::new();
    if let Some(s) = &d.log_level {
        if !s.value.eq_ignore_ascii_case("info") {
            findings.push(at(
                &META,
                s,
                format!(
                    "the daemon logs at level `{}` (`{}`), not `info`",
                    s.value,
                    s.origin.written()
                ),
                format!(
                    "set `\"log-level\": \"info\"` {} (or remove it)",
                    where_set(d)
                ),
                "log-level",
            ));
        }
    }
    if let Some(s) = &d.debug {
        if s.value && s.origin.is_configured() {
            findings.push(at(
                &META,
                s,
                format!(
                    "debug logging is on (`{}`): the daemon logs request details",
                    s.origin.written()
                ),
                "remove `debug` / `-D` and restart dockerd".to_string(),
                "debug",
            ));
        }
    }
    let could_be_unseen = d.log_level.is_none() && d.debug.is_none();
    findings_or_unknown("2.3", &META, d, findings, could_be_unseen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn fires_on_other_levels_and_debug() {
        let mut d = daemon();
        assert!(!is_fail(&results(&d)[0]));
        d.log_level = Some(cfg("log-level", "info".to_string()));
        assert!(!is_fail(&results(&d)[0]));
        d.log_level = Some(cfg("log-level", "error".to_string()));
        assert!(is_fail(&results(&d)[0]));
        d.log_level = None;
        d.debug = Some(crate::facts::Setting::new(true, flag("-D")));
        let r = results(&d);
        assert!(is_fail(&r[0]));
        assert_eq!(r[0].findings[0].location.path, "daemon:dockerd");
        d.debug = None;
        assert!(is_not_checked(&results(&blind(d))[0]));
    }
}
