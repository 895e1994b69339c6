//! DM016: the daemon's default seccomp profile.

use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::info_not_read;
use crate::facts::{DaemonFacts, SeccompProfile};
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "DM016",
    name: "seccomp-default",
    title: "No default seccomp profile for containers",
    severity: Severity::High,
    stage: Stage::Daemon,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when `/info` `SecurityOptions` shows containers get no seccomp filter by \
default: `name=seccomp,profile=unconfined` (`\"seccomp-profile\": \"unconfined\"`), or no \
`name=seccomp` at all (engine or kernel without seccomp). Docker's built-in profile passes \
whether the engine calls it `profile=builtin` (current engines) or `profile=default` (older \
ones) — docker-bench 2.17 only knows `default` — and so does a custom profile file.",
        why: "The default profile blocks about 50 system calls (`keyctl`, `add_key`, \
`bpf`, `mount`, `unshare`, `ptrace` on old kernels…) that most container escapes through \
kernel bugs need. Without it every container exposes the whole syscall surface of the host \
kernel.",
        fix: "Remove `seccomp-profile: unconfined` from daemon.json (the built-in profile is \
the default), or point it at a reviewed custom profile; on hosts without seccomp, use a \
kernel built with `CONFIG_SECCOMP_FILTER`.",
        bad: "{\n  \"seccomp-profile\": \"unconfined\"\n}\n",
        good: "{\n  \"icc\": false\n}\n",
    },
    references: References {
        cis: &["2.17"],
        links: &["https://docs.docker.com/engine/security/seccomp/"],
        ..References::NONE
    },
};

/// DM016 (`seccomp-default`), judged on the daemon's facts.
pub struct SeccompDefault;

impl Rule<DaemonFacts, CheckResult> for SeccompDefault {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    let Some(s) = &d.seccomp else {
        return vec![info_not_read("2.17", &META, d, "security options unknown")];
    };
    let (loc, written) = match &d.seccomp_profile {
        Some(p) => (p.origin.location(), p.origin.written().to_string()),
        None => (s.origin.location(), s.origin.written().to_string()),
    };
    let (msg, fix) = match &s.value {
        SeccompProfile::Builtin => {
            return vec![
                CheckResult::pass("2.17", &META).detail("Docker's built-in seccomp profile")
            ]
        }
        SeccompProfile::Custom(p) => {
            return vec![
                CheckResult::pass("2.17", &META).detail(format!("custom seccomp profile {p}"))
            ]
        }
        SeccompProfile::Unconfined => (
            "containers run without a seccomp filter by default (`profile=unconfined`)",
            "use Docker's built-in profile (remove `\"seccomp-profile\": \"unconfined\"` from \
             daemon.json, or `--seccomp-profile=unconfined` from dockerd's command line) or a \
             reviewed custom one, and restart dockerd",
        ),
        SeccompProfile::Disabled => (
            "the engine reports no seccomp support: containers run without a syscall filter",
            "run the engine on a kernel built with CONFIG_SECCOMP and CONFIG_SECCOMP_FILTER and a \
             dockerd built with seccomp support (every distribution package is); the built-in \
             profile then applies by default",
        ),
    };
    let f = Finding::new(&META, loc, msg)
        .evidence(written)
        .fix(fix)
        .key("seccomp")
        .build();
    vec![CheckResult::fail("2.17", &META, f)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn builtin_and_default_pass() {
        let mut d = daemon();
        assert!(!is_fail(&results(&d)[0]));
        d.seccomp = Some(info(
            "SecurityOptions",
            SeccompProfile::Custom("/p.json".into()),
        ));
        assert!(!is_fail(&results(&d)[0]));
        d.seccomp = Some(info("SecurityOptions", SeccompProfile::Unconfined));
        assert!(is_fail(&results(&d)[0]));
        d.seccomp = Some(info("SecurityOptions", SeccompProfile::Disabled));
        assert!(is_fail(&results(&d)[0]));
    }
}
