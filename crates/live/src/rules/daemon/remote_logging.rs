//! DM012: container logs stay on the host.

use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::info_not_read;
use crate::facts::DaemonFacts;
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "DM012",
    name: "no-remote-logging",
    title: "Container logs are not shipped to a central log service",
    severity: Severity::Low,
    stage: Stage::Daemon,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when the default logging driver (`/info` `LoggingDriver`) keeps logs on \
the host: `json-file` (the default), `local`, `journald`, or `none` (no logs at all, \
medium). Drivers that ship logs off the host (`syslog`, `gelf`, `fluentd`, `awslogs`, \
`splunk`, `gcplogs`, `logentries`, plugins) pass. docker-bench flags only `json-file`, so \
`local` and `none` pass there.",
        why: "Logs kept on the host are lost with it and are the first thing an intruder who \
gets root deletes. A central log service keeps the trail of what containers did, out of the \
attacker's reach, and lets you alert on it.",
        fix: "Set `log-driver` to a driver that ships logs (e.g. `\"log-driver\": \"syslog\"` \
with `syslog-address`, or `fluentd`, `gelf`), or run a log collector that forwards the \
json-file logs, and keep `log-opts` `max-size`/`max-file` so local copies cannot fill the \
disk.",
        bad: "{\n  \"log-driver\": \"json-file\"\n}\n",
        good: "{\n  \"log-driver\": \"syslog\",\n  \"log-opts\": {\"syslog-address\": \"tcp+tls://logs.internal:6514\"}\n}\n",
    },
    references: References {
        cis: &["2.13"],
        links: &["https://docs.docker.com/engine/logging/configure/"],
        ..References::NONE
    },
};

/// DM012 (`no-remote-logging`), judged on the daemon's facts.
pub struct NoRemoteLogging;

impl Rule<DaemonFacts, CheckResult> for NoRemoteLogging {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    let Some(s) = &d.logging_driver else {
        return vec![info_not_read("2.13", &META, d, "logging driver unknown")];
    };
    let (local, sev) = match s.value.as_str() {
        "none" => (true, Severity::Medium),
        "json-file" | "local" | "journald" | "etwlogs" => (true, Severity::Low),
        _ => (false, Severity::Low),
    };
    if !local {
        return vec![
            CheckResult::pass("2.13", &META).detail(format!("Logging driver: {}", s.value))
        ];
    }
    let what = if s.value == "none" {
        "containers produce no logs at all".to_string()
    } else {
        format!("container logs stay on this host (`{}` driver)", s.value)
    };
    let f = Finding::new(&META, s.origin.location(), format!("{what}: nothing is shipped to a central log service"))
        .evidence(s.origin.written())
        .severity(sev)
        .fix("set `log-driver` to a shipping driver (syslog, fluentd, gelf, …) or forward the logs with a collector")
        .key("log-driver")
        .build();
    vec![CheckResult::fail("2.13", &META, f)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn local_drivers_fire() {
        let mut d = daemon();
        assert!(!is_fail(&results(&d)[0]));
        for drv in ["json-file", "local", "none"] {
            d.logging_driver = Some(info("LoggingDriver", drv.to_string()));
            assert!(is_fail(&results(&d)[0]), "{drv}");
        }
        assert_eq!(results(&d)[0].findings[0].severity, Severity::Medium);
        d.logging_driver = None;
        assert!(is_not_checked(&results(&d)[0]));
    }
}
