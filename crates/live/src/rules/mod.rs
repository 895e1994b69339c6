//! The DM (daemon, CIS section 2 and 5.1) and HS (host, CIS sections 1, 3 and 6) rules: pure
//! checks of [`DaemonFacts`] / [`HostFacts`]. No I/O, no clock, no env.
//!
//! Each rule is one file holding its `META` and a unit struct implementing
//! [`plimsoll_core::Rule`]`<DaemonFacts, CheckResult>` (or `<HostFacts, CheckResult>`), declared
//! in its group's `rule_group!` list (`daemon/mod.rs`, `host/mod.rs`): that one line both
//! compiles the module and registers the rule, and a test fails on a rule file the list does
//! not name.
//!
//! Each rule reports one [`CheckResult`] per CIS item it covers (docker-bench numbering), so
//! `plimsoll bench` can print PASS / WARN / INFO / "not checked" per CIS id; the findings are
//! inside. [`audit_daemon`] / [`audit_host`] flatten them for the usual reports, and
//! [`not_checked`] lists what could not be judged (a file that could not be read is never a
//! pass).

use plimsoll_core::{Finding, RuleMeta};

use crate::facts::{DaemonFacts, HostFacts};

mod daemon;
mod host;

/// The outcome of one CIS item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Judged and fine.
    Pass,
    /// Judged and not fine: the findings say why (non-empty), or, when one finding covers
    /// several items (HS003), the first item carries it and the details of each say why.
    Fail,
    /// Does not apply (the file is not there, the daemon does not listen on TCP): docker-bench
    /// prints INFO. The text says why.
    NotApplicable(String),
    /// Could not be judged (permission denied, no dockerd visible, engine down).
    NotChecked(String),
}

/// One CIS item's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    /// The CIS id in docker-bench numbering (`2.2`, `3.14`).
    pub cis: &'static str,
    /// The rule that judges it.
    pub rule: &'static RuleMeta,
    pub status: Status,
    /// Findings (for `Fail`; informational rules may attach findings of severity info).
    pub findings: Vec<Finding>,
    /// Facts worth printing under the check (`Users: alice,bob`, `Using 20.10.24`).
    pub details: Vec<String>,
}

impl CheckResult {
    pub fn pass(cis: &'static str, rule: &'static RuleMeta) -> Self {
        CheckResult {
            cis,
            rule,
            status: Status::Pass,
            findings: Vec::new(),
            details: Vec::new(),
        }
    }

    /// `Fail` with these findings (`Pass` when there are none).
    pub fn of(cis: &'static str, rule: &'static RuleMeta, findings: Vec<Finding>) -> Self {
        CheckResult {
            cis,
            rule,
            status: if findings.is_empty() {
                Status::Pass
            } else {
                Status::Fail
            },
            findings,
            details: Vec::new(),
        }
    }

    pub fn fail(cis: &'static str, rule: &'static RuleMeta, finding: Finding) -> Self {
        Self::of(cis, rule, vec![finding])
    }

    /// `Fail` whose finding is carried by another item of the same rule (one finding for
    /// several CIS items); `item` (the offending path) is what `bench` prints under it.
    pub fn fail_reported_elsewhere(
        cis: &'static str,
        rule: &'static RuleMeta,
        item: impl Into<String>,
    ) -> Self {
        CheckResult {
            status: Status::Fail,
            ..Self::pass(cis, rule)
        }
        .detail(item)
    }

    pub fn not_applicable(
        cis: &'static str,
        rule: &'static RuleMeta,
        why: impl Into<String>,
    ) -> Self {
        CheckResult {
            status: Status::NotApplicable(why.into()),
            ..Self::pass(cis, rule)
        }
    }

    pub fn not_checked(cis: &'static str, rule: &'static RuleMeta, why: impl Into<String>) -> Self {
        CheckResult {
            status: Status::NotChecked(why.into()),
            ..Self::pass(cis, rule)
        }
    }

    pub fn detail(mut self, d: impl Into<String>) -> Self {
        self.details.push(d.into());
        self
    }
}

/// Every DM and HS rule's metadata, DM first, in id order.
pub fn metas() -> Vec<&'static RuleMeta> {
    let mut all: Vec<&'static RuleMeta> = daemon::RULES
        .iter()
        .map(|r| r.meta())
        .chain(host::RULES.iter().map(|r| r.meta()))
        .collect();
    all.sort_by_key(|m| m.id);
    all
}

/// Every CIS item of sections 2 (and 5.1, 6) with its result.
pub fn evaluate_daemon(facts: &DaemonFacts) -> Vec<CheckResult> {
    let mut out = Vec::new();
    for rule in daemon::RULES {
        rule.check(facts, &mut out);
    }
    out
}

/// Every CIS item of sections 1 and 3 with its result.
pub fn evaluate_host(facts: &HostFacts) -> Vec<CheckResult> {
    let mut out = Vec::new();
    for rule in host::RULES {
        rule.check(facts, &mut out);
    }
    out
}

/// The DM findings.
pub fn audit_daemon(facts: &DaemonFacts) -> Vec<Finding> {
    evaluate_daemon(facts)
        .into_iter()
        .flat_map(|c| c.findings)
        .collect()
}

/// The HS findings.
pub fn audit_host(facts: &HostFacts) -> Vec<Finding> {
    evaluate_host(facts)
        .into_iter()
        .flat_map(|c| c.findings)
        .collect()
}

/// What could not be judged: `(rule id, CIS id, reason)`, daemon first.
pub fn not_checked(
    daemon: &DaemonFacts,
    host: &HostFacts,
) -> Vec<(&'static str, &'static str, String)> {
    evaluate_daemon(daemon)
        .into_iter()
        .chain(evaluate_host(host))
        .filter_map(|c| match c.status {
            Status::NotChecked(why) => Some((c.rule.id, c.cis, why)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_is_complete_and_unique() {
        let all = metas();
        let mut ids: Vec<&str> = all.iter().map(|m| m.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), all.len(), "duplicate rule ids");
        for m in all {
            assert!(m.id.starts_with("DM") || m.id.starts_with("HS"), "{}", m.id);
            for text in [
                m.title,
                m.docs.what,
                m.docs.why,
                m.docs.fix,
                m.docs.bad,
                m.docs.good,
            ] {
                assert!(!text.trim().is_empty(), "{}: empty docs", m.id);
            }
            assert!(!m.references.cis.is_empty(), "{}: no CIS reference", m.id);
            let stage = if m.id.starts_with("DM") {
                plimsoll_core::Stage::Daemon
            } else {
                plimsoll_core::Stage::Host
            };
            assert_eq!(m.stage, stage, "{}", m.id);
        }
    }

    /// Every file of a rule group is declared (and so registered) in its `rule_group!` list.
    #[test]
    fn every_rule_file_is_registered() {
        let groups = [
            ("daemon", include_str!("daemon/mod.rs"), daemon::RULES.len()),
            ("host", include_str!("host/mod.rs"), host::RULES.len()),
        ];
        for (group, list, registered) in groups {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("src/rules")
                .join(group);
            let mut files = 0;
            for entry in std::fs::read_dir(&dir).expect("read the rule group's folder") {
                let path = entry.expect("read a directory entry").path();
                let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
                    continue;
                };
                if path.extension().is_some_and(|e| e == "rs") && stem != "mod" {
                    files += 1;
                    assert!(
                        list.contains(&format!("    {stem} => ")),
                        "src/rules/{group}/{stem}.rs is not declared in {group}/mod.rs's rule_group!"
                    );
                }
            }
            assert_eq!(files, registered, "{group}: one rule per file");
        }
    }
}
