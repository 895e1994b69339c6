//! Namespace rules (RS009–RS014): containers that share one of the host's namespaces —
//! network, PID, IPC, UTS, user, cgroup — and so see and touch what the host's own processes
//! do. Sharing another container's namespace (`container:<name>`, `service:<name>`) is not
//! flagged: it widens nothing beyond that container.

use super::Rule;
use crate::model::{NamespaceMode, Sourced};

pub mod cgroupns;
pub mod ipc;
pub mod network;
pub mod pid;
pub mod userns;
pub mod uts;

/// The rules of this group, in id order.
pub static RULES: &[&dyn Rule] = &[
    &network::HostNetwork,
    &pid::HostPid,
    &ipc::HostIpc,
    &uts::HostUts,
    &userns::HostUserns,
    &cgroupns::HostCgroupns,
];

/// The setting, when it shares the host's namespace.
fn host(field: &Option<Sourced<NamespaceMode>>) -> Option<&Sourced<NamespaceMode>> {
    field.as_ref().filter(|s| s.value == NamespaceMode::Host)
}
