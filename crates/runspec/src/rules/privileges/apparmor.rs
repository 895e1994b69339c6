//! RS006: AppArmor confinement switched off.

use super::caps;
use crate::dialect::Fix;
use crate::model::SecurityOpt;
use crate::rules::{remove, Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS006",
    name: "apparmor-unconfined",
    title: "AppArmor unconfined",
    severity: Severity::Medium,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a container opts out of AppArmor: \
`security_opt: [apparmor:unconfined]` (or `apparmor=unconfined`; `docker run --security-opt \
apparmor=unconfined`; the last `apparmor` option wins, as in the engine). It is high when \
the container also holds `SYS_ADMIN`, because the `docker-default` profile is then what \
stops the mount-based escapes.\n\nA named profile (`apparmor=docker-default`, \
`apparmor=my-profile`) does not fire. Nor does an empty `AppArmorProfile` on an existing \
container: that is what hosts without AppArmor (SELinux distributions) report, which \
docker-bench wrongly counts as a failure. Privileged containers run unconfined too; RS001 \
reports them.",
        why: "On hosts with AppArmor (Debian, Ubuntu, SUSE), Docker confines every container \
with the `docker-default` profile: it denies `mount`, writes to `/proc/sys`, \
`/proc/sysrq-trigger`, `/proc/kcore` and most of `/sys`, and ptrace of processes outside the \
profile. Those denials are a second wall behind capabilities and seccomp — the \
`release_agent` escape that `SYS_ADMIN` allows, for instance, needs a `mount` that \
`docker-default` refuses. The paper's first experiment checks that `docker inspect` reports \
`AppArmorProfile=docker-default`; `apparmor=unconfined` removes it.",
        fix: "Remove `apparmor:unconfined` from `security_opt` (`--security-opt \
apparmor=unconfined`) so `docker-default` applies. If the program needs something the \
default denies, write a profile that allows just that (start from `docker-default`, load it \
with `apparmor_parser`) and select it with `apparmor=<profile>`.",
        bad: "services:\n  app:\n    image: nginx:1.27\n    security_opt:\n      - apparmor:unconfined\n",
        good: "services:\n  app:\n    image: nginx:1.27\n    security_opt:\n      - apparmor:docker-default\n",
    },
    references: References {
        cis: &["5.2"],
        cwe: &["CWE-693"],
        links: &[
            "https://docs.docker.com/engine/security/apparmor/",
            "https://github.com/moby/profiles/blob/main/apparmor/template.go",
        ],
        ..References::NONE
    },
};

pub struct AppArmor;

impl Rule<Input<'_>> for AppArmor {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let last = spec.last_security_opt(|o| match o {
            SecurityOpt::AppArmor(v) => Some(v.trim()),
            _ => None,
        });
        let Some((value, opt)) = last else { return };
        if value != "unconfined" {
            return;
        }
        let written = opt.origin.written.trim();
        let sys_admin = caps::holds(spec, "SYS_ADMIN") && !caps::is_privileged(spec);
        let (severity, tail) = if sys_admin {
            (
                Severity::High,
                "; with SYS_ADMIN also granted, nothing is left to refuse the `mount` that the \
                 cgroup `release_agent` escape needs",
            )
        } else {
            (Severity::Medium, "")
        };
        let then = dialect.fix(Fix::AppArmorProfileInstead);
        let fix = remove(
            dialect,
            &opt.origin,
            "re-create the container without it so the `docker-default` profile applies",
        ) + &then;
        out.push(
            Finding::new(
                &META,
                opt.origin.location.clone(),
                format!(
                    "{} runs without AppArmor confinement (`{written}`): the `docker-default` \
                     profile's denials of `mount`, writes to `/proc/sys` and `/sys`, and \
                     `/proc/sysrq-trigger` no longer apply{tail}",
                    dialect.subject(spec)
                ),
            )
            .evidence(written)
            .fix(fix)
            .key(format!("{}:apparmor:unconfined", spec.name))
            .severity(severity)
            .build(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, run};

    fn apparmor(v: &str) -> SecurityOpt {
        SecurityOpt::AppArmor(v.to_string())
    }

    #[test]
    fn unconfined_fires_higher_with_sys_admin() {
        let spec = compose("web")
            .security_opt("apparmor:unconfined", apparmor("unconfined"))
            .build();
        let found = check(&AppArmor, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Medium);
        let spec = run("web")
            .cap_add("SYS_ADMIN")
            .security_opt("apparmor=unconfined", apparmor("unconfined"))
            .build();
        let found = check(&AppArmor, &spec);
        assert_eq!(found[0].severity, Severity::High);
        assert!(found[0].message.contains("release_agent"));
    }

    #[test]
    fn named_profiles_pass() {
        for p in ["docker-default", "my-profile", ""] {
            let spec = compose("web")
                .security_opt(&format!("apparmor:{p}"), apparmor(p))
                .build();
            assert!(check(&AppArmor, &spec).is_empty(), "{p}");
        }
        let spec = compose("web")
            .security_opt("apparmor:unconfined", apparmor("unconfined"))
            .security_opt("apparmor:docker-default", apparmor("docker-default"))
            .build();
        assert!(check(&AppArmor, &spec).is_empty());
    }
}
