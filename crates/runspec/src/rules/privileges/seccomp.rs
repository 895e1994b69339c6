//! RS005: seccomp filtering switched off.

use crate::dialect::Fix;
use crate::model::{SecurityOpt, Sourced};
use crate::rules::{remove, Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS005",
    name: "seccomp-unconfined",
    title: "Seccomp unconfined",
    severity: Severity::High,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a container runs without a seccomp filter: \
`security_opt: [seccomp:unconfined]` (or `seccomp=unconfined`; `docker run --security-opt \
seccomp=unconfined`). When the option is given several times the last one wins, as in the \
engine. On an existing container, whose `HostConfig.SecurityOpt` holds the profile's JSON \
instead of a path, it also fires when that profile allows every system call \
(`defaultAction` `SCMP_ACT_ALLOW` or `SCMP_ACT_LOG` and no rule that denies anything).\n\nA \
profile given by path (`seccomp=./profile.json`) or `seccomp=builtin` does not fire: plimsoll \
does not read files the compose file names, so a custom profile is trusted. Privileged \
containers run unconfined too; RS001 reports them.",
        why: "Docker's default seccomp profile blocks about 44 of the 300-odd system calls, \
those that are rarely needed and often exploited: `unshare` and `clone` with new user \
namespaces, `keyctl`, `bpf`, `userfaultfd`, `mount`, `kexec_load`, `open_by_handle_at`, \
`ptrace` on old kernels. Most kernel privilege escalations used to escape containers go \
through one of them. The paper's experiment shows the difference: with the default profile, \
`unshare --map-root-user --user` fails with \"Operation not permitted\"; with \
`seccomp=unconfined` it succeeds and `whoami` prints `root` — a new user namespace where the \
process holds every capability, the usual first step of such exploits.",
        fix: "Remove `seccomp:unconfined` from `security_opt` (`--security-opt \
seccomp=unconfined`) so the default profile applies. If one blocked system call is really \
needed, copy Docker's default profile, allow only that call, and pass it with \
`security_opt: [\"seccomp:./seccomp.json\"]` (`--security-opt seccomp=./seccomp.json`).",
        bad: "services:\n  app:\n    image: nginx:1.27\n    security_opt:\n      - seccomp:unconfined\n",
        good: "services:\n  app:\n    image: nginx:1.27\n    security_opt:\n      - seccomp:./seccomp-profile.json\n",
    },
    references: References {
        cis: &["5.22"],
        kics: &[
            "Default Seccomp Profile Disabled",
            "404fde2c-bc4b-4371-9747-7054132ac953",
        ],
        cwe: &["CWE-693"],
        links: &[
            "https://docs.docker.com/engine/security/seccomp/",
            "https://github.com/moby/profiles/blob/main/seccomp/default.json",
        ],
        ..References::NONE
    },
};

pub struct Seccomp;

impl Rule<Input<'_>> for Seccomp {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let last: Option<(&str, &Sourced<SecurityOpt>)> = spec.last_security_opt(|o| match o {
            SecurityOpt::Seccomp(v) => Some(v.as_str()),
            _ => None,
        });
        let Some((value, opt)) = last else { return };
        let value = value.trim();
        let how = if value == "unconfined" {
            "switches seccomp off"
        } else if allows_everything(value) {
            "uses a seccomp profile that allows every system call"
        } else {
            return;
        };
        let written = opt.origin.written.trim();
        let evidence = if written.chars().count() > 120 {
            format!("{}…", written.chars().take(120).collect::<String>())
        } else {
            written.to_string()
        };
        let then = dialect.fix(Fix::SeccompProfileInstead);
        let fix = remove(
            dialect,
            &opt.origin,
            "re-create the container without it so Docker's default profile applies",
        ) + &then;
        out.push(
            Finding::new(
                &META,
                opt.origin.location.clone(),
                format!(
                    "{} {how} (`{evidence}`): the system calls Docker's default profile blocks \
                     (`unshare` into a user namespace where it is root, `keyctl`, `bpf`, \
                     `userfaultfd`, `mount`…) become available to kernel exploits",
                    dialect.subject(spec)
                ),
            )
            .evidence(evidence)
            .fix(fix)
            .key(format!("{}:seccomp:{how}", spec.name))
            .build(),
        );
    }
}

/// Whether an inline profile (the JSON the CLI stores in `HostConfig.SecurityOpt`) allows
/// every system call: an allowing default action and no rule with another action.
fn allows_everything(value: &str) -> bool {
    if !value.starts_with('{') || value.len() > 1 << 20 {
        return false;
    }
    let Ok(profile) = serde_json::from_str::<serde_json::Value>(value) else {
        return false;
    };
    let allowing = |action: Option<&serde_json::Value>| {
        matches!(
            action.and_then(|a| a.as_str()),
            Some("SCMP_ACT_ALLOW" | "SCMP_ACT_LOG")
        )
    };
    if !allowing(profile.get("defaultAction")) {
        return false;
    }
    let rules = profile
        .get("syscalls")
        .and_then(|s| s.as_array())
        .map(Vec::as_slice)
        .unwrap_or_default();
    rules.iter().all(|r| allowing(r.get("action")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, container, run};

    fn seccomp(v: &str) -> SecurityOpt {
        SecurityOpt::Seccomp(v.to_string())
    }

    #[test]
    fn unconfined_fires_with_its_spelling() {
        let spec = compose("web")
            .security_opt("seccomp:unconfined", seccomp("unconfined"))
            .build();
        let found = check(&Seccomp, &spec);
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .message
            .contains("switches seccomp off (`security_opt: seccomp:unconfined`)"));
        let spec = run("web")
            .security_opt("seccomp=unconfined", seccomp("unconfined"))
            .build();
        assert!(check(&Seccomp, &spec)[0].fix.contains("--security-opt"));
    }

    #[test]
    fn profiles_pass_and_the_last_option_wins() {
        let spec = compose("web")
            .security_opt("seccomp:./p.json", seccomp("./p.json"))
            .build();
        assert!(check(&Seccomp, &spec).is_empty());
        let spec = compose("web")
            .security_opt("seccomp:unconfined", seccomp("unconfined"))
            .security_opt("seccomp:builtin", seccomp("builtin"))
            .build();
        assert!(check(&Seccomp, &spec).is_empty());
        let spec = compose("web")
            .security_opt("seccomp:builtin", seccomp("builtin"))
            .security_opt("seccomp:unconfined", seccomp("unconfined"))
            .build();
        assert_eq!(check(&Seccomp, &spec).len(), 1);
    }

    #[test]
    fn inline_allow_all_profile_fires() {
        let allow = r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[]}"#;
        let spec = container("web").security_opt(allow, seccomp(allow)).build();
        let found = check(&Seccomp, &spec);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("allows every system call"));

        let deny_some = r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["unshare"],"action":"SCMP_ACT_ERRNO"}]}"#;
        let spec = container("web")
            .security_opt(deny_some, seccomp(deny_some))
            .build();
        assert!(check(&Seccomp, &spec).is_empty());
        let strict = r#"{"defaultAction":"SCMP_ACT_ERRNO"}"#;
        let spec = container("web")
            .security_opt(strict, seccomp(strict))
            .build();
        assert!(check(&Seccomp, &spec).is_empty());
        let broken = "{not json";
        let spec = container("web")
            .security_opt(broken, seccomp(broken))
            .build();
        assert!(check(&Seccomp, &spec).is_empty());
    }
}
