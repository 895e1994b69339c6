//! RS011: the container shares the host's IPC namespace.

use crate::dialect::Fix;
use crate::rules::{remove, Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS011",
    name: "host-ipc",
    title: "Host IPC namespace shared",
    severity: Severity::Medium,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a container shares the host's IPC namespace: compose `ipc: host`, \
`docker run --ipc host`, `HostConfig.IpcMode: host`. `private`, `shareable`, `none` and \
sharing another container's namespace (`ipc: service:db`, `--ipc container:db`) do not \
fire.",
        why: "The IPC namespace holds System V shared memory segments, semaphores and message \
queues, and POSIX shared memory in `/dev/shm`. Sharing the host's lets the container list, \
read and write the shared memory of host processes — database buffers, X11 `MIT-SHM` \
images of the desktop, data exchanged between a host application's processes — and corrupt \
or delete it. It also shares the host's IPC limits, so the container can exhaust them.",
        fix: "Remove `ipc: host` (`--ipc host`). Containers that must share memory with each \
other can do so without the host: make one `ipc: shareable` and the others \
`ipc: \"service:<name>\"` (`--ipc container:<name>`).",
        bad: "services:\n  app:\n    image: nginx:1.27\n    ipc: host\n",
        good: "services:\n  app:\n    image: nginx:1.27\n    ipc: shareable\n  worker:\n    image: busybox:1.36\n    ipc: \"service:app\"\n",
    },
    references: References {
        cis: &["5.17"],
        kics: &[
            "Shared Host IPC Namespace",
            "baa3890f-bed7-46f5-ab8f-1da8fc91c729",
        ],
        cwe: &["CWE-668"],
        links: &["https://docs.docker.com/reference/cli/docker/container/run/#ipc"],
        ..References::NONE
    },
};

pub struct HostIpc;

impl Rule<Input<'_>> for HostIpc {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let Some(ipc) = super::host(&spec.ipc) else {
            return;
        };
        let written = ipc.origin.written.trim();
        let then = dialect.fix(Fix::ShareIpcWithPeerInstead);
        let fix = remove(
            dialect,
            &ipc.origin,
            "re-create the container without `--ipc host`",
        ) + &then;
        out.push(
            Finding::new(
                &META,
                ipc.origin.location.clone(),
                format!(
                    "{} shares the host's IPC namespace (`{written}`): it can read, change and \
                     delete the shared memory, semaphores and message queues of host processes",
                    dialect.subject(spec)
                ),
            )
            .evidence(written)
            .fix(fix)
            .key(format!("{}:ipc:host", spec.name))
            .build(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NamespaceMode;
    use crate::rules::testing::{check, compose, container};

    #[test]
    fn host_ipc_fires() {
        let found = check(
            &HostIpc,
            &compose("web").ipc("host", NamespaceMode::Host).build(),
        );
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("(`ipc: host`)"));
        let found = check(
            &HostIpc,
            &container("web").ipc("host", NamespaceMode::Host).build(),
        );
        assert!(found[0].message.contains("HostConfig.IpcMode=host"));
    }

    #[test]
    fn other_modes_pass() {
        for (w, m) in [
            ("shareable", NamespaceMode::Shareable),
            ("none", NamespaceMode::None),
            ("service:db", NamespaceMode::Service("db".into())),
        ] {
            assert!(check(&HostIpc, &compose("web").ipc(w, m).build()).is_empty());
        }
    }
}
