//! The PB rules: each judges one fact the probe read or one experiment it ran, inside a
//! running container. They are pure (the probe did the I/O) and name the `docker run` flag
//! and the compose key that fix what they find, and their configuration-side counterpart
//! (an RS rule) where there is one, so `plimsoll probe --launch` can set both side by side.
//!
//! Every rule is new in 0.1.0 and experimental: its edges are tuned on Docker 20.10+ with
//! cgroup v1 and v2 and will move as other runtimes are tried.

mod cgroup_limit;
mod experiment;
mod kernel_paths;

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

/// The configuration rule(s) that promise what a PB rule checks the kernel enforces:
/// `(PB id, RS ids)`. Where the RS side fires and the PB side does not (or the reverse), the
/// configuration and the kernel disagree. Experiments have no entry: they are evidence, not
/// a promise's mirror.
pub const COUNTERPARTS: &[(&str, &[&str])] = &[
    ("PB001", &["RS001"]),
    ("PB002", &["RS002"]),
    ("PB003", &["RS005"]),
    ("PB004", &["RS006", "RS007"]),
    ("PB005", &["RS004"]),
    ("PB006", &["RS025"]),
    ("PB007", &["RS019"]),
    ("PB008", &["RS020"]),
    ("PB009", &["RS021"]),
    ("PB010", &["RS024"]),
    ("PB011", &["RS016"]),
    ("PB013", &["RS008"]),
    ("PB014", &["RS018"]),
    ("PB015", &["RS015"]),
    ("PB016", &["RS009", "RS010", "RS011", "RS012"]),
    ("PB017", &["RS031"]),
];

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

#[cfg(test)]
mod tests {
    use super::*;

    /// `COUNTERPARTS` and each rule's "Configuration counterpart" line say the same thing twice;
    /// this keeps the table from naming an RS rule the rule's own docs do not.
    #[test]
    fn every_counterpart_is_named_in_its_rules_docs() {
        let metas = metas();
        for (pb, rs_ids) in COUNTERPARTS {
            let meta = metas.iter().find(|m| m.id == *pb);
            let what = meta.map_or("", |m| m.docs.what);
            for rs in *rs_ids {
                assert!(
                    what.contains(&format!("{rs} (`")),
                    "{pb}: COUNTERPARTS names {rs}, its docs do not"
                );
            }
        }
    }
}
