//! PB023: the `stress-memory` experiment was allowed (paper scenario 3).

use crate::evidence::Evidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct MemoryLimitNotEnforced;

pub static META: RuleMeta = RuleMeta {
    id: "PB023",
    name: "memory-limit-not-enforced",
    title: "The memory limit did not stop an allocation past it",
    severity: Severity::High,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"The bounded `--stress memory` experiment allocated and touched memory past the container's limit (plus its swap allowance and a margin) without being stopped. (Without a limit the stress is not run; PB007 reports that.)

Configuration counterpart: RS019 (`no-memory-limit`)."#,
        why: r#"The paper's scenario 3: the memory limit is what kept the fork bomb's neighbours alive; one that does not hold protects nothing."#,
        fix: r#"Set the limit and no more swap than intended: `--memory 512m --memory-swap 512m` (compose: `mem_limit: 512m`, `memswap_limit: 512m`)."#,
        bad: r#"docker run --memory 64m IMAGE   # limit not enforced by this host"#,
        good: r#"docker run --memory 64m IMAGE
# probe: stress-memory blocked (limit)"#,
    },
    references: References {
        cis: &["5.11"],
        cwe: &["CWE-693"],
        links: &["https://docs.docker.com/engine/security/"],
        ..References::NONE
    },
};

impl Rule<Evidence> for MemoryLimitNotEnforced {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        super::experiment::report_allowed(
            &META,
            ev,
            "stress-memory",
            "the memory limit did not stop the memory stress",
            out,
        );
    }
}
