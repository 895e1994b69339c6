//! RS025: the container runs as root.

use crate::dialect::Fix;
use crate::model::Origin;
use crate::rules::resources::phrasing::{fact_source, image_name, setting, spec_key};
use crate::rules::{Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS025",
    name: "container-runs-as-root",
    title: "Container runs as root",
    severity: Severity::High,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when the container's process runs as UID 0:\n\n\
- `user:` / `-u`/`--user` / `Config.User` names root: `root`, `0`, `root:root`, `0:0`, \
`0:1000`, `root:staff` — the group never makes UID 0 less than root (docker-bench's check \
4.1 misses `0:0` and `root:root`); an empty user part (`:1000`) is root too;\n\
- no user is set and the image's default user is known to be root — plimsoll learns it from \
the Dockerfile the service builds (its final `USER`) or from the image itself;\n\
- no user is set and the image's default user is unknown (a pulled image plimsoll has not \
inspected): reported at **medium**, saying so, because most images run as root unless they \
switch user.\n\n\
It does not fire when a non-root user is set, by UID or by name (`10001`, `app`, \
`1000:0`), nor when no user is set and the image is known to run as a non-root user. A \
`docker inspect` result already shows the user the container really runs as (the image's \
default merged in), so an empty `Config.User` there is root. KICS has no compose query for \
the user.",
        why: "Root in the container is root on the host kernel, held back only by the \
remaining capabilities, seccomp, AppArmor/SELinux and the namespaces, and many container \
escapes need UID 0 inside: overwriting the host's runc binary (CVE-2019-5736), the cgroup v1 \
`release_agent` escape (CVE-2022-0492), writing to host files reached through a mount or \
`/proc`. A kernel bug that lets a process out of its namespaces lands an attacker as root on \
the host if the process was root. Inside \
the container, root can also read every secret file, rewrite the application, and bind any \
port; and files it writes to bind mounts are owned by root on the host. Unless the daemon \
remaps users (`userns-remap`, invisible from a compose file or command line), UID 0 in the \
container is UID 0 on the host.",
        fix: "Run the process as an unprivileged user with a fixed numeric UID: `user: \
\"10001:10001\"` in compose, `--user 10001:10001` on `docker run` (numeric, so it needs no \
`/etc/passwd` entry and Kubernetes-style `runAsNonRoot` checks can verify it). Better still, \
end the image's Dockerfile with `USER 10001` so every way of running it is non-root; then \
make sure files the process writes (volumes, tmpfs) are owned by that UID. A running \
container's user cannot be changed; re-create it.",
        bad: concat!(
            "services:\n",
            "  app:\n",
            "    image: python:3.12-slim\n",
            "    user: root\n",
        ),
        good: concat!(
            "services:\n",
            "  app:\n",
            "    image: python:3.12-slim\n",
            "    user: \"10001:10001\"\n",
        ),
    },
    references: References {
        cis: &["4.1"],
        cwe: &["CWE-250"],
        links: &[
            "https://docs.docker.com/reference/cli/docker/container/run/#user",
            "https://docs.docker.com/engine/security/userns-remap/",
        ],
        ..References::NONE
    },
};

pub struct RunsAsRoot;

impl Rule<Input<'_>> for RunsAsRoot {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let who = dialect.subject(spec);
        let set = spec.user.as_ref().filter(|u| !u.value.trim().is_empty());
        if let Some(user) = set {
            let Some(what) = root_form(&user.value) else {
                return;
            };
            out.push(
                Finding::new(
                    &META,
                    user.origin.location.clone(),
                    format!("{who} runs as root: `{}` {what}", user.origin.written),
                )
                .evidence(user.origin.written.clone())
                .fix(
                    dialect
                        .fix(Fix::UseUnprivilegedUser)
                        .replace("{key}", setting(&user.origin)),
                )
                .key(spec_key(spec, format!("user:{}", user.value.trim())))
                .build(),
            );
            return;
        }

        let add_user = dialect.fix(Fix::AddUnprivilegedUser);
        if dialect.describes_existing_container() {
            // Inspect's Config.User already has the image's default merged in.
            out.push(
                Finding::new(
                    &META,
                    spec.anchor.location.clone(),
                    format!(
                        "{who} runs as root: its `Config.User` is empty, so neither the \
                         container nor its image sets a user"
                    ),
                )
                .fix(add_user)
                .key(spec_key(spec, "user:unset"))
                .build(),
            );
            return;
        }

        let fact = spec.image_facts.as_ref().and_then(|f| f.user.as_ref());
        let finding = match fact {
            Some(fact) => {
                let Some(what) = image_root_form(&fact.value) else {
                    return;
                };
                Finding::new(
                    &META,
                    spec.anchor.location.clone(),
                    format!(
                        "{who} runs as root: it sets no user and its image {what} ({})",
                        describe(&fact.origin)
                    ),
                )
                .evidence(fact.origin.written.clone())
            }
            None => Finding::new(
                &META,
                spec.anchor.location.clone(),
                format!(
                    "{who} sets no user and the image's default user is unknown ({}): unless \
                     the image switches to a non-root USER, it runs as root",
                    image_name(spec)
                ),
            )
            .severity(Severity::Medium),
        };
        out.push(
            finding
                .fix(add_user)
                .key(spec_key(spec, "user:unset"))
                .build(),
        );
    }
}

/// Why a `user` value means root, or `None` when it does not: `root`, `0`, `0:0`,
/// `root:staff`, `:1000` (no user part: the engine uses UID 0).
fn root_form(value: &str) -> Option<&'static str> {
    let value = value.trim();
    let (user, group) = match value.split_once(':') {
        Some((u, g)) => (u.trim(), Some(g.trim())),
        None => (value, None),
    };
    if user.is_empty() {
        return Some("has no user part, so the engine runs it as UID 0");
    }
    if !is_root(user) {
        return None;
    }
    Some(match group {
        Some(g) if !g.is_empty() && !is_root(g) => {
            "is UID 0 — the group does not make root any less root"
        }
        _ if user == "root" => "names the root user",
        _ => "is UID 0",
    })
}

/// What an image's default user means, or `None` when it is not root: an empty value is an
/// image without `USER`.
fn image_root_form(value: &str) -> Option<&'static str> {
    if value.trim().is_empty() {
        return Some("sets no USER, so it runs as root");
    }
    root_form(value).map(|_| "runs as root")
}

/// `root`, `0`, `00`: the names the kernel and `/etc/passwd` give UID 0.
fn is_root(name: &str) -> bool {
    name == "root" || (!name.is_empty() && name.bytes().all(|b| b == b'0'))
}

/// Where an image fact came from: `` `USER root`, final stage of api/Dockerfile ``.
fn describe(origin: &Origin) -> String {
    let from = fact_source(origin);
    let written = origin.written.trim();
    if written.is_empty() {
        from
    } else {
        format!("`{written}`, {from}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, container, run};

    #[test]
    fn root_forms() {
        for (v, root) in [
            ("root", true),
            ("0", true),
            ("0:0", true),
            ("root:root", true),
            ("0:1000", true),
            ("root:staff", true),
            (":1000", true),
            ("000", true),
            ("10001", false),
            ("app", false),
            ("1000:0", false),
            ("app:root", false),
            ("rooter", false),
        ] {
            assert_eq!(root_form(v).is_some(), root, "{v}");
        }
    }

    #[test]
    fn explicit_root_is_high_at_the_user_key() {
        let spec = compose("app").user("0:1000").build();
        let found = check(&RunsAsRoot, &spec);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(f.severity, Severity::High);
        assert_eq!(
            Some(&f.location),
            spec.user.as_ref().map(|u| &u.origin.location)
        );
        assert!(f.message.contains("`user: 0:1000` is UID 0 — the group"));
        assert!(f
            .fix
            .starts_with("set `user` to an unprivileged numeric user"));
    }

    #[test]
    fn non_root_user_passes() {
        for spec in [
            compose("a").user("10001:10001").build(),
            run("a").user("app").build(),
            container("a").user("1000:0").build(),
        ] {
            assert!(check(&RunsAsRoot, &spec).is_empty());
        }
    }

    #[test]
    fn unknown_image_default_is_medium_and_says_so() {
        let found = check(&RunsAsRoot, &compose("app").build());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Medium);
        assert!(found[0]
            .message
            .contains("the image's default user is unknown (`nginx:1.27`)"));
    }

    #[test]
    fn image_facts_decide_when_no_user_is_set() {
        let root = compose("app").image_facts(Some(""), None).build();
        let found = check(&RunsAsRoot, &root);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::High);
        assert!(found[0].message.contains("its image sets no USER"));
        assert!(found[0].message.contains("final stage of Dockerfile"));

        let explicit = run("app").image_facts(Some("root"), None).build();
        assert!(check(&RunsAsRoot, &explicit)[0]
            .message
            .contains("its image runs as root (`USER root`"));

        let nonroot = compose("app").image_facts(Some("app"), None).build();
        assert!(check(&RunsAsRoot, &nonroot).is_empty());
        // An explicit root user wins over a non-root image.
        let over = compose("app")
            .image_facts(Some("app"), None)
            .user("root")
            .build();
        assert_eq!(check(&RunsAsRoot, &over).len(), 1);
    }

    #[test]
    fn container_with_empty_user_is_root() {
        let found = check(&RunsAsRoot, &container("c").build());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::High);
        assert!(found[0].message.contains("`Config.User` is empty"));
        assert!(found[0].fix.starts_with("re-create the container"));
    }

    #[test]
    fn build_only_service_names_its_context() {
        let spec = compose("api").no_image().build_context("./api").build();
        assert!(check(&RunsAsRoot, &spec)[0]
            .message
            .contains("(built from `./api`)"));
    }
}
