//! DM004: insecure registries are configured.

use plimsoll_core::{References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::{at, findings_or_unknown};
use crate::facts::DaemonFacts;
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "DM004",
    name: "insecure-registry",
    title: "Insecure registries are allowed",
    severity: Severity::High,
    stage: Stage::Daemon,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires once per registry the daemon reaches without verified TLS: \
`insecure-registries` in daemon.json, `--insecure-registry`, or what `/info` reports in \
`RegistryConfig` (`InsecureRegistryCIDRs`, `IndexConfigs[*].Secure: false`). The loopback \
range `127.0.0.0/8` that Docker always allows is not a finding (docker-bench used to flag it).",
        why: "Pulls and pushes to an insecure registry go over plain HTTP or unverified TLS. \
Anyone on the path can swap the image the daemon pulls for one with a backdoor, which then \
runs with whatever privileges its containers get, and can read pushed images and the \
credentials sent with them.",
        fix: "Give the registry a certificate (from a public CA, or your CA installed in \
/etc/docker/certs.d/<registry>/ca.crt) and remove it from `insecure-registries`, then \
restart dockerd.",
        bad: "{\n  \"insecure-registries\": [\"registry.internal:5000\"]\n}\n",
        good: "{\n  \"insecure-registries\": []\n}\n",
    },
    references: References {
        cis: &["2.5"],
        cwe: &["CWE-319"],
        links: &["https://docs.docker.com/engine/security/certificates/"],
        ..References::NONE
    },
};

/// DM004 (`insecure-registry`), judged on the daemon's facts.
pub struct InsecureRegistry;

impl Rule<DaemonFacts, CheckResult> for InsecureRegistry {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    let findings: Vec<_> = d
        .insecure_registries
        .iter()
        .map(|s| {
            at(
                &META,
                s,
                if s.value.contains('/') {
                    format!(
                        "the daemon pulls from registries in `{}` without verified TLS (`{}`): \
                         images from them can be swapped in transit",
                        s.value,
                        s.origin.written()
                    )
                } else {
                    format!(
                        "the daemon pulls from `{}` without verified TLS (`{}`): images from it \
                         can be swapped in transit",
                        s.value,
                        s.origin.written()
                    )
                },
                if s.value.contains('/') {
                    format!(
                        "remove `{}` from the insecure registries and give each registry in it a \
                         trusted certificate (/etc/docker/certs.d/<host:port>/ca.crt)",
                        s.value
                    )
                } else {
                    format!(
                        "give `{}` a trusted certificate (/etc/docker/certs.d/{}/ca.crt) and \
                         remove it from the insecure registries",
                        s.value, s.value
                    )
                },
                &format!("insecure:{}", s.value),
            )
        })
        .collect();
    let could_be_unseen = d.info_unknown().is_some();
    findings_or_unknown("2.5", &META, d, findings, could_be_unseen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn one_finding_per_registry() {
        let mut d = daemon();
        assert!(!is_fail(&results(&d)[0]));
        d.insecure_registries = vec![
            cfg("insecure-registries", "r:5000".to_string()),
            info(
                "RegistryConfig.InsecureRegistryCIDRs",
                "10.0.0.0/8".to_string(),
            ),
        ];
        let r = results(&d);
        assert_eq!(r[0].findings.len(), 2);
        assert_eq!(r[0].findings[1].location.path, "daemon:info");
    }
}
