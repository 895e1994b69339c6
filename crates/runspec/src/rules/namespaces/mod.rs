//! Namespace rules (RS009–RS014): containers that share one of the host's namespaces —
//! network, PID, IPC, UTS, user, cgroup — and so see and touch what the host's own processes
//! do. Sharing another container's namespace (`container:<name>`, `service:<name>`) is not
//! flagged: it widens nothing beyond that container.

use crate::model::{NamespaceMode, Sourced};

// The rules of this group, in id order: each entry declares the rule's module and lists the
// rule in `RULES`, so a rule module cannot exist unregistered.
plimsoll_core::rule_group!(dyn super::RunSpecRule;
    network => HostNetwork,
    pid => HostPid,
    ipc => HostIpc,
    uts => HostUts,
    userns => HostUserns,
    cgroupns => HostCgroupns,
);

/// The setting, when it shares the host's namespace.
fn host(field: &Option<Sourced<NamespaceMode>>) -> Option<&Sourced<NamespaceMode>> {
    field.as_ref().filter(|s| s.value == NamespaceMode::Host)
}
