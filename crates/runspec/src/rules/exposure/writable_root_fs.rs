//! RS024: the container's root filesystem is writable.

use crate::dialect::Fix;
use crate::model::MountKind;
use crate::rules::resources::phrasing::spec_key;
use crate::rules::{Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS024",
    name: "writable-root-filesystem",
    title: "Root filesystem is writable",
    severity: Severity::Medium,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when the container's root filesystem is writable: `read_only:` is unset \
or `false` in compose, `docker run` has no `--read-only`, or `HostConfig.ReadonlyRootfs` is \
false on a container (CIS 5.13). Volumes, binds and tmpfs mounts stay writable either way; \
this rule is only about the image's own filesystem. KICS has no compose query for it.",
        why: "With a writable root filesystem, whoever gets code execution in the container — \
through a deserialisation bug, a template injection, a malicious dependency — can change \
the application itself: drop a web shell into the document root, replace a binary or a \
shared library so the next start runs their code, add tools (`curl`, scanners, miners) \
the image never had, or edit configuration and CA bundles. A read-only root turns all of that \
into `EROFS` errors, so an intrusion has to live in memory and ends at the next restart, and \
it makes drift from the image impossible.",
        fix: "Run the root filesystem read-only and give the application explicit, small \
writable places: a `tmpfs` for scratch (`/tmp`, `/run`, caches) and a volume for data it \
must keep. In compose: `read_only: true` plus `tmpfs: [/tmp]`; on `docker run`: \
`--read-only --tmpfs /tmp`. A running container cannot be switched; re-create it with the \
flag. Start the container once and watch its logs for `Read-only file system` errors to find \
the paths that need a tmpfs.",
        bad: concat!("services:\n", "  web:\n", "    image: nginx:1.27\n"),
        good: concat!(
            "services:\n",
            "  web:\n",
            "    image: nginx:1.27\n",
            "    read_only: true\n",
            "    tmpfs:\n",
            "      - /tmp\n",
            "      - /var/cache/nginx\n",
            "      - /var/run\n",
        ),
    },
    references: References {
        cis: &["5.13"],
        cwe: &["CWE-732"],
        links: &[
            "https://docs.docker.com/reference/cli/docker/container/run/#read-only",
            "https://docs.docker.com/reference/compose-file/services/#read_only",
        ],
        ..References::NONE
    },
};

pub struct WritableRootFs;

impl Rule<Input<'_>> for WritableRootFs {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        if spec.read_only.as_ref().is_some_and(|r| r.value) {
            return;
        }
        let has_tmpfs = spec.mounts.iter().any(|m| m.value.kind == MountKind::Tmpfs);
        let fix = match (has_tmpfs, &spec.read_only) {
            (_, Some(_)) | (true, None) => dialect.fix(Fix::MakeRootReadOnly),
            (false, None) => dialect.fix(Fix::MakeRootReadOnlyWithTmp),
        };
        let consequence = "code that gets in can rewrite the application, plant a web shell or \
                           a backdoored binary, and install tools the image never had";
        let who = dialect.subject(spec);
        let finding = match &spec.read_only {
            Some(ro) => Finding::new(
                &META,
                ro.origin.location.clone(),
                format!(
                    "{who} keeps its root filesystem writable (`{}`): {consequence}",
                    ro.origin.written
                ),
            )
            .evidence(ro.origin.written.clone()),
            None => Finding::new(
                &META,
                spec.anchor.location.clone(),
                format!("{who} runs with a writable root filesystem: {consequence}"),
            ),
        };
        out.push(
            finding
                .fix(fix)
                .key(spec_key(spec, "read-only:off"))
                .build(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, container, run};

    #[test]
    fn unset_fires_at_anchor() {
        let spec = compose("web").build();
        let found = check(&WritableRootFs, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].location, spec.anchor.location);
        assert!(found[0]
            .message
            .starts_with("service `web` runs with a writable root filesystem"));
        assert!(found[0]
            .fix
            .contains("`read_only: true` and `tmpfs: [/tmp]`"));
    }

    #[test]
    fn explicit_false_fires_at_it() {
        let spec = run("web").read_only(false).build();
        let found = check(&WritableRootFs, &spec);
        assert_eq!(found[0].evidence.as_deref(), Some("--read-only=false"));
        assert!(found[0].fix.starts_with("add `--read-only`;"));
    }

    #[test]
    fn read_only_passes() {
        for spec in [
            compose("w").read_only(true).build(),
            run("w").read_only(true).build(),
            container("w").read_only(true).build(),
        ] {
            assert!(check(&WritableRootFs, &spec).is_empty());
        }
    }

    #[test]
    fn container_must_be_recreated() {
        let f = &check(&WritableRootFs, &container("w").build())[0];
        assert!(f.fix.starts_with("re-create the container"));
    }
}
