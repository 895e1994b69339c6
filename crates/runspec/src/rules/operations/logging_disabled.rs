//! RS032: the container's logging driver is `none`.

use crate::dialect::Fix;
use crate::rules::resources::phrasing::spec_key;
use crate::rules::{Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS032",
    name: "logging-disabled",
    title: "Container logging disabled",
    severity: Severity::Medium,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when the container's log driver is `none`: `logging: {driver: none}` in \
compose, `--log-driver none` on `docker run`, \
`HostConfig.LogConfig.Type` `none` on a container. Any other driver passes, including the \
default (which the daemon chooses, usually `json-file`, and which cannot be seen here) — \
whether logs are shipped off the host is a daemon setting (CIS 2.13), not a property of one \
service.",
        why: "With the `none` driver the engine throws away everything the container writes \
to stdout and stderr: `docker logs` shows nothing, and no log collector ever receives it. \
The access log lines of an exploitation attempt, the stack trace of the crash it caused, \
the commands an intruder's tooling printed — the evidence an incident response starts from \
— never exist. An attacker who can change how a service is run (a compose file in a \
compromised repository, a CI variable) can use it to blind defenders before acting.",
        fix: "Remove the setting so the daemon's default driver applies, or choose one that \
keeps logs with bounded disk use: in compose `logging: {driver: local}` (or `json-file` \
with `options: {max-size: 10m, max-file: \"3\"}`), on `docker run` `--log-driver local`. To \
ship logs off the host, use `syslog`, `journald`, `fluentd`, `gelf` or `awslogs`. A running \
container's driver cannot be changed; re-create it.",
        bad: concat!(
            "services:\n",
            "  api:\n",
            "    image: node:22-slim\n",
            "    logging:\n",
            "      driver: none\n",
        ),
        good: concat!(
            "services:\n",
            "  api:\n",
            "    image: node:22-slim\n",
            "    logging:\n",
            "      driver: local\n",
        ),
    },
    references: References {
        cwe: &["CWE-778"],
        links: &[
            "https://docs.docker.com/engine/logging/configure/",
            "https://docs.docker.com/reference/compose-file/services/#logging",
        ],
        ..References::NONE
    },
};

pub struct LoggingDisabled;

impl Rule<Input<'_>> for LoggingDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let Some(driver) = &spec.log_driver else {
            return;
        };
        if !driver.value.trim().eq_ignore_ascii_case("none") {
            return;
        }
        out.push(
            Finding::new(
                &META,
                driver.origin.location.clone(),
                format!(
                    "{} discards everything it logs (`{}`): `docker logs` and log collectors see \
                     nothing, so an intrusion or crash leaves no trace",
                    dialect.subject(spec),
                    driver.origin.written
                ),
            )
            .evidence(driver.origin.written.clone())
            .fix(dialect.fix(Fix::KeepLogging))
            .key(spec_key(spec, "log-driver:none"))
            .build(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, container, run};

    #[test]
    fn none_fires() {
        for spec in [
            compose("a").log_driver("none").build(),
            run("a").log_driver("none").build(),
            container("a").log_driver("none").build(),
        ] {
            let found = check(&LoggingDisabled, &spec);
            assert_eq!(found.len(), 1);
            assert!(found[0].message.contains("discards everything it logs"));
        }
        let f = &check(&LoggingDisabled, &run("a").log_driver("none").build())[0];
        assert_eq!(f.evidence.as_deref(), Some("--log-driver=none"));
        assert!(f.fix.starts_with("drop `--log-driver none`"));
    }

    #[test]
    fn other_drivers_pass() {
        for d in ["json-file", "local", "journald", "syslog"] {
            assert!(check(&LoggingDisabled, &compose("a").log_driver(d).build()).is_empty());
        }
        assert!(check(&LoggingDisabled, &compose("a").build()).is_empty());
    }
}
