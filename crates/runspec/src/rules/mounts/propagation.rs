//! RS017: a mount propagates mount events back to the host.

use crate::dialect::Fix;
use crate::rules::privileges::caps;
use crate::rules::{Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS017",
    name: "shared-propagation",
    title: "Mount propagation shared with the host",
    severity: Severity::Medium,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires on a mount with `shared` or `rshared` propagation: compose short syntax \
`/src:/dst:rshared`, long syntax `bind: {propagation: rshared}`, `docker run -v \
/src:/dst:shared` or `--mount …,bind-propagation=rshared`, `Mounts[].Propagation` of an \
existing container. It is high when the container can mount (it holds `SYS_ADMIN`). \
`slave`/`rslave` (host mounts show up in the container, not the reverse) and the default \
`rprivate` do not fire — unlike KICS, which flags every non-private mode.",
        why: "With shared propagation, a mount made inside the container under that path is \
also made on the host, and the other way round. A container that can mount (with \
`SYS_ADMIN`, or any privileged helper) can then mount over host directories below the \
shared path — shadowing configuration or binaries the host uses, or exposing host filesystems \
to other containers sharing the same path — which is a persistence and escalation route that \
outlives the container.",
        fix: "Remove the propagation option (the default is `rprivate`). If the container must \
see mounts the host makes later (a backup agent, a storage or CSI plugin), use `rslave`, \
which lets host mounts in without letting the container's out.",
        bad: "services:\n  app:\n    image: nginx:1.27\n    volumes:\n      - /mnt/data:/data:rshared\n",
        good: "services:\n  app:\n    image: nginx:1.27\n    volumes:\n      - type: bind\n        source: /mnt/data\n        target: /data\n        bind:\n          propagation: rslave\n",
    },
    references: References {
        cis: &["5.20"],
        kics: &[
            "Volume Mounted In Multiple Containers",
            "baa452f0-1f21-4a25-ace5-844e7a5f410d",
        ],
        cwe: &["CWE-668"],
        links: &[
            "https://docs.docker.com/engine/storage/bind-mounts/#configure-bind-propagation",
            "https://www.kernel.org/doc/Documentation/filesystems/sharedsubtree.txt",
        ],
        ..References::NONE
    },
};

pub struct Propagation;

impl Rule<Input<'_>> for Propagation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let can_mount = caps::holds(spec, "SYS_ADMIN");
        for m in &spec.mounts {
            let Some(prop) = m.value.propagation.as_deref().map(str::trim) else {
                continue;
            };
            if prop != "shared" && prop != "rshared" {
                continue;
            }
            let written = m.origin.written.trim();
            let place = m.value.source.as_deref().unwrap_or(m.value.target.as_str());
            let (severity, tail) = if can_mount {
                (
                    Severity::High,
                    ", and since it holds SYS_ADMIN it can mount over host directories there",
                )
            } else {
                (
                    Severity::Medium,
                    "; any process in it that gains the right to mount can shadow host \
                     directories there",
                )
            };
            let fix = dialect.fix(Fix::NoSharedPropagation { prop });
            out.push(
                Finding::new(
                    &META,
                    m.origin.location.clone(),
                    format!(
                        "{} mounts `{place}` with `{prop}` propagation (`{written}`): mounts made \
                         under it in the container also appear on the host{tail}",
                        dialect.subject(spec)
                    ),
                )
                .evidence(written)
                .fix(fix)
                .key(format!("{}:{}:{prop}", spec.name, m.value.target))
                .severity(severity)
                .build(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{bind, check, compose, run};

    fn with_propagation(p: &str) -> crate::model::Mount {
        let mut m = bind("/mnt/data", "/data", false);
        m.propagation = Some(p.to_string());
        m
    }

    #[test]
    fn shared_modes_fire() {
        for p in ["shared", "rshared"] {
            let spec = compose("web")
                .mount(&format!("/mnt/data:/data:{p}"), with_propagation(p))
                .build();
            let found = check(&Propagation, &spec);
            assert_eq!(found.len(), 1, "{p}");
            assert_eq!(found[0].severity, Severity::Medium);
            assert!(found[0].message.contains(&format!("`{p}` propagation")));
        }
        let spec = run("web")
            .cap_add("SYS_ADMIN")
            .mount("/mnt/data:/data:rshared", with_propagation("rshared"))
            .build();
        let found = check(&Propagation, &spec);
        assert_eq!(found[0].severity, Severity::High);
        assert!(found[0].fix.contains("bind-propagation=rslave"));
    }

    #[test]
    fn private_and_slave_pass() {
        for p in ["private", "rprivate", "slave", "rslave"] {
            let spec = compose("web")
                .mount(&format!("/mnt/data:/data:{p}"), with_propagation(p))
                .build();
            assert!(check(&Propagation, &spec).is_empty(), "{p}");
        }
    }
}
