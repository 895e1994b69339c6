//! HS003: Docker's files and binaries are not audited.

use plimsoll_core::{
    Finding, Location, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

use crate::facts::{HostFacts, Probe};
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "HS003",
    name: "audit-rules",
    title: "Docker files and binaries are not audited",
    severity: Severity::Low,
    stage: Stage::Host,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires once, listing every Docker path of CIS 1.1.3–1.1.18 that exists and that \
no audit rule watches (one fix: the lines to add to one rules file; `plimsoll bench` still \
judges each CIS item): dockerd (the running one's path, e.g. /usr/sbin/dockerd on Debian, not only \
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
--load`. The finding's fix lists the exact lines for the paths found unwatched.",
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

/// One result per CIS item (1.1.3–1.1.18) for `bench`, but one finding for the host: the
/// missing rules are one fix (a few lines in one rules file), so fifteen findings would only
/// repeat it. The finding rides on the first failing item; the other failing items carry no
/// finding of their own (see [`CheckResult::fail_reported_elsewhere`]), and each names its
/// path in its details.
/// HS003 (`audit-rules`), judged on the host's facts.
pub struct UnauditedDockerFiles;

impl Rule<HostFacts, CheckResult> for UnauditedDockerFiles {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, h: &HostFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(h));
    }
}

fn results(h: &HostFacts) -> Vec<CheckResult> {
    let rules = match &h.audit_rules {
        Probe::NotChecked(r) => Err(r),
        Probe::Missing => Ok(None),
        Probe::Checked(r) => Ok(Some(r)),
    };
    let mut results = Vec::new();
    let mut missing: Vec<(usize, &str)> = Vec::new();
    for t in &h.audit_targets {
        match &t.present {
            Probe::Missing => {
                results.push(CheckResult::not_applicable(
                    t.cis,
                    &META,
                    format!("{} not found", t.path),
                ));
                continue;
            }
            Probe::NotChecked(r) => {
                results.push(CheckResult::not_checked(
                    t.cis,
                    &META,
                    format!("{}: {r}", t.path),
                ));
                continue;
            }
            Probe::Checked(_) => {}
        }
        let rules = match rules {
            Err(r) => {
                results.push(CheckResult::not_checked(
                    t.cis,
                    &META,
                    format!("audit rules not read: {r}"),
                ));
                continue;
            }
            Ok(rules) => rules,
        };
        if let Some(rule) = rules.and_then(|r| r.watching(&t.path)) {
            results.push(
                CheckResult::pass(t.cis, &META)
                    .detail(format!("{}:{}: {}", rule.source, rule.line, rule.text)),
            );
            continue;
        }
        missing.push((results.len(), t.path.as_str()));
        results.push(CheckResult::fail_reported_elsewhere(
            t.cis,
            &META,
            t.path.clone(),
        ));
    }
    if let (Some(&(first, _)), Ok(rules)) = (missing.first(), rules) {
        results[first].findings.push(finding(
            &missing.iter().map(|m| m.1).collect::<Vec<_>>(),
            rules,
        ));
    }
    results
}

/// The one finding: every unwatched path, and the lines that watch them.
fn finding(paths: &[&str], rules: Option<&crate::facts::AuditRules>) -> Finding {
    let (file, why) = match rules {
        None => (
            "/etc/audit/rules.d/docker.rules".to_string(),
            "no audit rules are configured (no auditctl, no /etc/audit rules)".to_string(),
        ),
        Some(r) => (
            r.from.clone(),
            format!(
                "no audit rule in {} watches {}",
                r.from,
                if paths.len() == 1 { "it" } else { "them" }
            ),
        ),
    };
    // Loaded rules (`auditctl -l`) have no file to add to: the persistent place is rules.d.
    let target = if file.starts_with("/etc/audit/rules.d/") {
        file.clone()
    } else {
        "/etc/audit/rules.d/docker.rules".to_string()
    };
    let subject = match paths {
        [one] => format!("{one} is not audited"),
        many => format!(
            "{} Docker paths are not audited ({})",
            many.len(),
            many.join(", ")
        ),
    };
    let lines: Vec<String> = paths.iter().map(|p| format!("-w {p} -k docker")).collect();
    Finding::new(&META, Location::file(file), format!("{subject}: {why}"))
        .fix(format!(
            "add to {target}, then run `augenrules --load`:\n{}",
            lines.join("\n")
        ))
        .key(format!("audit:{}", paths.join(",")))
        .build()
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
        let r = results(&h);
        assert!(is_fail(result(&r, "1.1.3")));
        assert_eq!(result(&r, "1.1.11").status, Status::Pass);
        assert_eq!(r.iter().flat_map(|c| &c.findings).count(), 1);
        assert!(matches!(
            result(&r, "1.1.13").status,
            Status::NotApplicable(_)
        ));
        h.audit_rules = Probe::NotChecked("permission denied".into());
        assert!(is_not_checked(result(&results(&h), "1.1.3")));
        h.audit_rules = Probe::Missing;
        let r = results(&h);
        // Both fail; the one finding rides on the first.
        assert!(is_fail(result(&r, "1.1.3")));
        assert_eq!(result(&r, "1.1.11").status, Status::Fail);
        assert_eq!(r.iter().flat_map(|c| &c.findings).count(), 1);
    }

    /// Fifteen unwatched paths are one finding (one fix: the lines to add), while `bench`
    /// still judges each CIS item.
    #[test]
    fn every_missing_audit_rule_is_one_finding() {
        let mut h = host();
        let paths = [
            "/usr/bin/dockerd",
            "/run/containerd",
            "/var/lib/docker",
            "/etc/docker",
        ];
        h.audit_targets = paths
            .iter()
            .zip(["1.1.3", "1.1.4", "1.1.5", "1.1.6"])
            .map(|(p, cis)| AuditTarget {
                cis,
                path: p.to_string(),
                present: Probe::Checked(FileKind::File),
            })
            .collect();
        h.audit_rules = Probe::Missing;
        let r = results(&h);
        assert!(r.iter().all(|c| c.status == Status::Fail), "{r:?}");
        let findings: Vec<&Finding> = r.iter().flat_map(|c| &c.findings).collect();
        assert_eq!(findings.len(), 1);
        let f = findings[0];
        assert_eq!(f.severity, Severity::Low);
        assert!(f.message.starts_with("4 Docker paths are not audited (/usr/bin/dockerd, /run/containerd, /var/lib/docker, /etc/docker)"), "{}", f.message);
        for p in paths {
            assert!(f.fix.contains(&format!("\n-w {p} -k docker")), "{}", f.fix);
        }
        assert_eq!(r[2].details, vec!["/var/lib/docker".to_string()]);
    }
}
