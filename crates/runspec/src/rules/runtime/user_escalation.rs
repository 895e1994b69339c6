//! RS037: the container runs as root although its image was built to run as another user.

use super::is_root_user;
use crate::rules::resources::phrasing::spec_key;
use crate::rules::{Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS037",
    name: "user-escalated-to-root",
    title: "Container overrides its image's non-root user with root",
    severity: Severity::High,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when an existing container runs as root (`Config.User` is `root`, `0`, \
`0:0`, `root:<group>` or has no user part) while its image is configured to run as a \
non-root user (the image's `Config.User`, its final `USER`): someone passed `--user root` \
(or `user: root`) when creating it, undoing the image author's choice. RS025 reports every \
container that runs as root; this rule points out the ones where root was asked for on \
purpose against the image — often a debugging shortcut left in place. It needs the image's \
inspect, so it is silent when the image is gone. Runtime only.",
        why: "The image was built and tested to work without root; running it as UID 0 \
gives its process every capability the container keeps, ownership of every file in it, \
and a short path to the host through a kernel bug or a mounted path (see RS025) — for no \
functional reason. An override like this is easy to miss because the image looks \
hardened.",
        fix: "Re-create the container without `--user root` so it runs as its image's user; \
if a task really needs root (a one-off migration), run it as a separate short-lived \
container.",
        bad: "docker run -d --user root --name web nginxinc/nginx-unprivileged\n",
        good: "docker run -d --name web nginxinc/nginx-unprivileged\n",
    },
    references: References {
        cis: &["4.1"],
        cwe: &["CWE-250"],
        links: &["https://docs.docker.com/reference/cli/docker/container/run/#user"],
        ..References::NONE
    },
};

pub struct UserEscalation;

impl Rule<Input<'_>> for UserEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        if spec.state.is_none() || !dialect.describes_existing_container() {
            return;
        }
        let Some(image_user) = spec.image_facts.as_ref().and_then(|f| f.user.as_ref()) else {
            return;
        };
        if is_root_user(&image_user.value) {
            return;
        }
        let Some(user) = spec.user.as_ref() else {
            return;
        };
        if !is_root_user(&user.value) {
            return;
        }
        out.push(
            Finding::new(
                &META,
                user.origin.location.clone(),
                format!(
                    "{} runs as root (`{}`) although its image is configured to run as `{}`: \
                     root was asked for when the container was created",
                    dialect.subject(spec),
                    user.origin.written,
                    image_user.value.trim()
                ),
            )
            .evidence(format!(
                "{}; {}",
                user.origin.written, image_user.origin.written
            ))
            .fix(format!(
                "re-create the container without `--user {}` so it runs as its image's user \
                 `{}`",
                user.value.trim(),
                image_user.value.trim()
            ))
            .key(spec_key(spec, "user-escalated"))
            .build(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RunSpec;
    use crate::model::RuntimeState;
    use crate::rules::testing::{check, compose, container};

    fn live(user: Option<&str>, image_user: Option<&str>) -> RunSpec {
        let mut b = container("web").image_facts(image_user, None);
        if let Some(u) = user {
            b = b.user(u);
        }
        b.with(|s| s.state = Some(RuntimeState::default())).build()
    }

    #[test]
    fn root_over_a_non_root_image_fires() {
        for root in ["root", "0", "0:0", "root:app"] {
            let found = check(&UserEscalation, &live(Some(root), Some("nginx")));
            assert_eq!(found.len(), 1, "{root}");
            assert!(found[0].message.contains("configured to run as `nginx`"));
            assert!(found[0].fix.contains(&format!("--user {root}")));
        }
    }

    #[test]
    fn quiet_otherwise() {
        // Same user as the image, a non-root override, a root image, unknown image.
        assert!(check(&UserEscalation, &live(Some("nginx"), Some("nginx"))).is_empty());
        assert!(check(&UserEscalation, &live(Some("1000"), Some("nginx"))).is_empty());
        assert!(check(&UserEscalation, &live(Some("root"), Some(""))).is_empty());
        assert!(check(&UserEscalation, &live(Some("root"), None)).is_empty());
        assert!(check(&UserEscalation, &live(None, Some("nginx"))).is_empty());
        // Not a live container.
        let spec = compose("web")
            .image_facts(Some("nginx"), None)
            .user("root")
            .build();
        assert!(check(&UserEscalation, &spec).is_empty());
    }
}
