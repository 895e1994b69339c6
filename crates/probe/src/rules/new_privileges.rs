//! PB005: `NoNewPrivs: 0`.

use crate::evidence::Evidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct NewPrivileges;

pub static META: RuleMeta = RuleMeta {
    id: "PB005",
    name: "new-privileges-allowed",
    title: "Processes can gain privileges through setuid files",
    severity: Severity::Medium,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"`/proc/self/status` says `NoNewPrivs: 0`: a setuid or setcap program run in the container gains the privileges its file grants.

Configuration counterpart: RS004 (`no-new-privileges`)."#,
        why: r#"With `no-new-privileges` set, `execve` never raises privileges, so a setuid binary left in the image (`su`, `passwd`, `mount`) cannot turn a compromised unprivileged process into root."#,
        fix: r#"Set `--security-opt no-new-privileges` (compose: `security_opt: [no-new-privileges:true]`)."#,
        bad: r#"docker run IMAGE
# probe: NoNewPrivs 0"#,
        good: r#"docker run --security-opt no-new-privileges IMAGE
# probe: NoNewPrivs 1"#,
    },
    references: References {
        cis: &["5.26"],
        cwe: &["CWE-269"],
        links: &["https://docs.docker.com/reference/cli/docker/container/run/#security-opt"],
        ..References::NONE
    },
};

impl Rule<Evidence> for NewPrivileges {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        if ev.facts.process.no_new_privs != Some(false) {
            return;
        }
        out.push(
            Finding::new(
                &META,
                ev.location(),
                "no-new-privileges is off: setuid and setcap programs raise privileges",
            )
            .evidence("NoNewPrivs: 0")
            .build(),
        );
    }
}
