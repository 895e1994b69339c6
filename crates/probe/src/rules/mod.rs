//! The PB rules: each judges one fact the probe read or one experiment it ran, inside a
//! running container. They are pure (the probe did the I/O) and name the `docker run` flag
//! and the compose key that fix what they find, and their configuration-side counterpart
//! (an RS rule) where there is one, so `plimsoll probe --launch` can set both side by side.
//!
//! Every rule is new in 0.1.0 and experimental: its edges are tuned on Docker 20.10+ with
//! cgroup v1 and v2 and will move as other runtimes are tried.

use crate::evidence::Evidence;
use plimsoll_core::{Finding, Rule, RuleMeta};

plimsoll_core::rule_group!(dyn Rule<Evidence>;
    all_capabilities => AllCapabilities,
    dangerous_capability => DangerousCapability,
    seccomp_disabled => SeccompDisabled,
    lsm_unconfined => LsmUnconfined,
    new_privileges => NewPrivileges,
    host_root => HostRoot,
    no_memory_limit => NoMemoryLimit,
    no_pids_limit => NoPidsLimit,
    no_cpu_limit => NoCpuLimit,
    writable_root => WritableRoot,
    sensitive_mount => SensitiveMount,
    writable_kernel_interface => WritableKernelInterface,
    unmasked_kernel_file => UnmaskedKernelFile,
    host_device => HostDevice,
    runtime_socket => RuntimeSocket,
    host_namespace => HostNamespace,
    secret_in_environment => SecretInEnvironment,
    hostname_changeable => HostnameChangeable,
    user_namespace_creatable => UserNamespaceCreatable,
    mount_allowed => MountAllowed,
    sysrq_trigger => SysrqTrigger,
    pids_limit_not_enforced => PidsLimitNotEnforced,
    memory_limit_not_enforced => MemoryLimitNotEnforced,
);

/// Every PB rule's metadata, in id order.
pub fn metas() -> Vec<&'static RuleMeta> {
    RULES.iter().map(|r| r.meta()).collect()
}

/// Runs every PB rule on the evidence.
pub fn audit(evidence: &Evidence) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in RULES {
        rule.check(evidence, &mut out);
    }
    out
}

/// The version every PB rule first shipped in.
pub(crate) const SINCE: &str = "0.1.0";
