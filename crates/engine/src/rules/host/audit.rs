//! HS003: Docker's files and binaries are not audited.

use plimsoll_core::{Finding, Location, References, RuleDocs, RuleMeta, Severity, Stage};

use crate::facts::{HostFacts, Probe};
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "HS003",
    name: "audit-rules",
    title: "Docker files and binaries are not audited",
    severity: Severity::Low,
    stage: Stage::Host,
    docs: RuleDocs {
        what: "Fires for each Docker path of CIS 1.1.3–1.1.18 that exists and that no audit \
rule watches: dockerd (the running one's path, e.g. /usr/sbin/dockerd on Debian, not only \
/usr/bin/dockerd), /run/containerd, the data root, /etc/docker, docker.service, \
containerd.sock, docker.socket, /etc/default/docker, daemon.json, \
/etc/containerd/config.toml, /etc/sysconfig/docker, containerd, containerd-shim, \
containerd-shim-runc-v1/v2 and runc. Rules are the loaded ones (`auditctl -l`) when it can \
run, else /etc/audit/audit.rules and /etc/audit/rules.d/*.rules. A rule counts when it names \
the path (`-w PATH`, `-F path=PATH`) or watches a directory above it (`-w /etc/docker`), not \
when the path merely appears in a comment or a longer name, as docker-bench's grep accepts.",
        why: "These files decide what the daemon runs and with which rights. Without audit \
rules, a change to daemon.json (turning off `userns-remap`), a replaced runc or dockerd, or \
a tampered unit file leaves no record, and an intrusion cannot be reconstructed.",
        fix: "Install auditd and add a watch per path to /etc/audit/rules.d/docker.rules, \
e.g. `-w /usr/bin/dockerd -k docker` and `-w /etc/docker -k docker`, then `augenrules \
--load`.",
        bad: "# /etc/audit/rules.d/docker.rules\n-w /etc/docker -k docker\n",
        good: "# /etc/audit/rules.d/docker.rules\n-w /usr/bin/dockerd -k docker\n-w /run/containerd -k docker\n-w /var/lib/docker -k docker\n-w /etc/docker -k docker\n-w /lib/systemd/system/docker.service -k docker\n-w /run/containerd/containerd.sock -k docker\n-w /lib/systemd/system/docker.socket -k docker\n-w /etc/default/docker -k docker\n-w /etc/containerd/config.toml -k docker\n-w /usr/bin/containerd -k docker\n-w /usr/bin/containerd-shim-runc-v2 -k docker\n-w /usr/bin/runc -k docker\n",
    },
    references: References {
        cis: &[
            "1.1.3", "1.1.4", "1.1.5", "1.1.6", "1.1.7", "1.1.8", "1.1.9", "1.1.10", "1.1.11",
            "1.1.12", "1.1.13", "1.1.14", "1.1.15", "1.1.16", "1.1.17", "1.1.18",
        ],
        links: &["https://man7.org/linux/man-pages/man8/auditctl.8.html"],
        ..References::NONE
    },
};

pub fn check(h: &HostFacts) -> Vec<CheckResult> {
    h.audit_targets
        .iter()
        .map(|t| {
            match &t.present {
                Probe::Missing => return CheckResult::not_applicable(t.cis, &META, format!("{} not found", t.path)),
                Probe::NotChecked(r) => return CheckResult::not_checked(t.cis, &META, format!("{}: {r}", t.path)),
                Probe::Checked(_) => {}
            }
            let rules = match &h.audit_rules {
                Probe::NotChecked(r) => return CheckResult::not_checked(t.cis, &META, format!("audit rules not read: {r}")),
                Probe::Missing => None,
                Probe::Checked(r) => Some(r),
            };
            if let Some(rule) = rules.and_then(|r| r.watching(&t.path)) {
                return CheckResult::pass(t.cis, &META).detail(format!("{}:{}: {}", rule.source, rule.line, rule.text));
            }
            let why = match rules {
                None => "no audit rules are configured (no auditctl, no /etc/audit rules)".to_string(),
                Some(r) => format!("no audit rule in {} watches it", r.from),
            };
            CheckResult::fail(
                t.cis,
                &META,
                Finding::new(&META, Location::file(t.path.clone()), format!("{} is not audited: {why}", t.path))
                    .evidence(t.path.clone())
                    .fix(format!(
                        "add `-w {} -k docker` to /etc/audit/rules.d/docker.rules and run `augenrules --load`",
                        t.path
                    ))
                    .key(format!("audit:{}", t.path))
                    .build(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{AuditRule, AuditRules, AuditTarget, FileKind};
    use crate::rules::testing::*;
    use crate::rules::Status;

    #[test]
    fn per_path() {
        let mut h = host();
        h.audit_targets = vec![
            AuditTarget {
                cis: "1.1.3",
                path: "/usr/sbin/dockerd".into(),
                present: Probe::Checked(FileKind::File),
            },
            AuditTarget {
                cis: "1.1.11",
                path: "/etc/docker/daemon.json".into(),
                present: Probe::Checked(FileKind::File),
            },
            AuditTarget {
                cis: "1.1.13",
                path: "/etc/sysconfig/docker".into(),
                present: Probe::Missing,
            },
        ];
        h.audit_rules = Probe::Checked(AuditRules {
            from: "/etc/audit/rules.d/docker.rules".into(),
            rules: vec![AuditRule {
                source: "/etc/audit/rules.d/docker.rules".into(),
                line: 1,
                text: "-w /etc/docker -k docker".into(),
            }],
        });
        let r = check(&h);
        assert!(is_fail(result(&r, "1.1.3")));
        assert_eq!(result(&r, "1.1.11").status, Status::Pass);
        assert!(matches!(
            result(&r, "1.1.13").status,
            Status::NotApplicable(_)
        ));
        h.audit_rules = Probe::NotChecked("permission denied".into());
        assert!(is_not_checked(result(&check(&h), "1.1.3")));
        h.audit_rules = Probe::Missing;
        assert!(is_fail(result(&check(&h), "1.1.11")));
    }
}
