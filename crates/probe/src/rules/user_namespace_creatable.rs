//! PB019: the `user-namespace` experiment was allowed (paper scenario 4).

use crate::evidence::Evidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct UserNamespaceCreatable;

pub static META: RuleMeta = RuleMeta {
    id: "PB019",
    name: "user-namespace-creatable",
    title: "Container may create user namespaces",
    severity: Severity::Medium,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"The `user-namespace` experiment succeeded: `unshare(CLONE_NEWUSER)` was allowed, and the new namespace's root is the uid in the message (as `unshare --map-root-user --user` would give).

Configuration counterpart: RS005 (`seccomp-unconfined`)."#,
        why: r#"The paper's scenario 4: Docker's default seccomp profile refuses `unshare`; with `seccomp=unconfined` the container gets a user namespace in which it holds every capability — the door to kernel code (netfilter, mount and filesystem bugs) that assumes only root reaches it."#,
        fix: r#"Keep the default seccomp profile: remove `--security-opt seccomp=unconfined` (compose: `security_opt: [seccomp:unconfined]`) and `--cap-add SYS_ADMIN` (compose: `cap_add: [SYS_ADMIN]`); on the host, `user.max_user_namespaces=0` where nothing needs them."#,
        bad: r#"docker run --security-opt seccomp=unconfined IMAGE
# probe: user-namespace allowed"#,
        good: r#"docker run IMAGE
# probe: user-namespace blocked (seccomp)"#,
    },
    references: References {
        cis: &["5.22"],
        cwe: &["CWE-693"],
        links: &["https://docs.docker.com/engine/security/"],
        ..References::NONE
    },
};

impl Rule<Evidence> for UserNamespaceCreatable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        super::experiment::report_allowed(
            &META,
            ev,
            "user-namespace",
            "the container may create a user namespace",
            out,
        );
    }
}
