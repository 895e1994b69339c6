//! Linux capabilities as Docker hands them out: the engine's default set, what each
//! capability lets a process do, how dangerous it is when added, and the capabilities a
//! container actually ends up with after `cap_add`/`cap_drop`/`privileged` (moby's
//! `TweakCapabilities` with the CLI's "add wins over drop" rule).

use crate::model::RunSpec;
use plimsoll_core::Severity;

/// One capability: its name (upper case, no `CAP_` prefix), how severe adding it is, and what
/// it lets a process in a container do.
#[derive(Debug)]
pub struct Cap {
    pub name: &'static str,
    pub severity: Severity,
    pub gives: &'static str,
}

/// The capabilities Docker grants every container unless told otherwise (one table in
/// `plimsoll-core`, shared with the probe).
pub use plimsoll_core::capabilities::DOCKER_DEFAULT as DEFAULTS;

const fn cap(name: &'static str, severity: Severity, gives: &'static str) -> Cap {
    Cap {
        name,
        severity,
        gives,
    }
}

use Severity::{Critical, High, Low, Medium};

/// Every capability the Linux kernel defines (capabilities(7), up to Linux 6.x), rated as an
/// *addition* to a container: critical where it is a documented container escape on its own,
/// high where it reaches outside the container's namespaces (the host's clock, kernel log,
/// audit, security modules, other processes' memory) or defeats another isolation layer.
pub static ALL: &[Cap] = &[
    cap(
        "SYS_ADMIN",
        Critical,
        "mount filesystems and perform hundreds of other administrative operations: mounting a \
         cgroup v1 hierarchy and setting its `release_agent` runs a program as root on the \
         host, and Docker's default seccomp profile then allows `mount`, `unshare` and `setns`",
    ),
    cap(
        "SYS_MODULE",
        Critical,
        "load kernel modules: arbitrary code running inside the host kernel",
    ),
    cap(
        "SYS_PTRACE",
        High,
        "trace, read the memory of and inject code into any process it can see",
    ),
    cap(
        "DAC_READ_SEARCH",
        High,
        "open files by handle with `open_by_handle_at`, which reads arbitrary files of the \
         host filesystem (the \"shocker\" escape)",
    ),
    cap(
        "NET_ADMIN",
        High,
        "reconfigure interfaces, routes and firewall rules, set promiscuous mode and sniff or \
         redirect traffic",
    ),
    cap(
        "SYS_RAWIO",
        High,
        "raw I/O port and memory access (`iopl`, `ioperm`, `/dev/mem` where a device is mapped), \
         and raw SCSI commands to disks",
    ),
    cap(
        "BPF",
        High,
        "load eBPF programs and maps, which read kernel memory and widen the kernel attack \
         surface",
    ),
    cap(
        "PERFMON",
        High,
        "use perf events to observe the kernel and other processes (side channels, kernel \
         address leaks)",
    ),
    cap(
        "SYS_BOOT",
        High,
        "call `kexec_load` to load a new kernel, and reboot",
    ),
    cap(
        "MAC_ADMIN",
        High,
        "change the host's mandatory access control (AppArmor, SMACK) policy",
    ),
    cap(
        "MAC_OVERRIDE",
        High,
        "override mandatory access control (AppArmor, SMACK) decisions",
    ),
    cap(
        "SYSLOG",
        High,
        "read and clear the kernel log, which leaks kernel addresses that defeat KASLR",
    ),
    cap(
        "SYS_TIME",
        High,
        "set the system clock, which is not namespaced: it changes the host's time (breaking \
         TLS validity checks, token expiry and logs)",
    ),
    cap(
        "AUDIT_CONTROL",
        High,
        "change or disable the host's audit rules, which are not namespaced",
    ),
    cap(
        "AUDIT_READ",
        Medium,
        "read the host's audit log over netlink",
    ),
    cap(
        "LINUX_IMMUTABLE",
        Medium,
        "set and clear the immutable and append-only flags on files",
    ),
    cap(
        "NET_BROADCAST",
        Low,
        "send broadcasts and listen to multicast",
    ),
    cap(
        "IPC_LOCK",
        Medium,
        "lock unlimited memory (`mlock`), starving the host of memory",
    ),
    cap(
        "IPC_OWNER",
        Medium,
        "bypass permission checks on System V IPC objects (shared memory of other processes \
         in the IPC namespace)",
    ),
    cap("SYS_PACCT", Medium, "switch process accounting on and off"),
    cap(
        "SYS_NICE",
        Medium,
        "raise priorities and set real-time scheduling, starving other containers of CPU",
    ),
    cap(
        "SYS_RESOURCE",
        Medium,
        "override resource limits and quotas (ulimits, reserved disk space)",
    ),
    cap("SYS_TTY_CONFIG", Medium, "configure terminals (`vhangup`)"),
    cap("LEASE", Low, "take leases on files it does not own"),
    cap(
        "WAKE_ALARM",
        Low,
        "set alarms that wake the host from suspend",
    ),
    cap("BLOCK_SUSPEND", Medium, "prevent the host from suspending"),
    cap(
        "CHECKPOINT_RESTORE",
        Medium,
        "checkpoint and restore processes (choose PIDs, read `/proc/<pid>/map_files`)",
    ),
    // The defaults: adding them is a no-op unless `cap_drop` removed them first.
    cap("CHOWN", Medium, "change the owner of any file"),
    cap(
        "DAC_OVERRIDE",
        Medium,
        "bypass file read, write and execute permission checks",
    ),
    cap(
        "FSETID",
        Medium,
        "keep set-user-ID and set-group-ID bits when modifying files",
    ),
    cap(
        "FOWNER",
        Medium,
        "bypass permission checks on operations that require owning the file",
    ),
    cap(
        "MKNOD",
        Medium,
        "create device nodes (usable where the device cgroup allows them)",
    ),
    cap(
        "NET_RAW",
        Medium,
        "open raw and packet sockets: forge packets and ARP-spoof or sniff other containers \
         on the same network",
    ),
    cap("SETGID", Medium, "switch to any group ID"),
    cap("SETUID", Medium, "switch to any user ID"),
    cap("SETFCAP", Medium, "set file capabilities on executables"),
    cap(
        "SETPCAP",
        Medium,
        "change the capability sets of its own threads",
    ),
    cap("NET_BIND_SERVICE", Low, "bind ports below 1024"),
    cap("SYS_CHROOT", Medium, "call `chroot`"),
    cap("KILL", Medium, "send signals to processes of other users"),
    cap("AUDIT_WRITE", Low, "write records to the kernel audit log"),
];

/// Upper case, without the `CAP_` prefix: how Docker compares capability names (the parsers
/// normalise too; done again here so a hand-built RunSpec cannot slip through).
pub fn normalize(name: &str) -> String {
    crate::values::normalize_capability(name)
}

/// The capability called `name` (normalised), if the kernel defines it.
pub fn info(name: &str) -> Option<&'static Cap> {
    let name = normalize(name);
    ALL.iter().find(|c| c.name == name)
}

pub fn is_default(name: &str) -> bool {
    let name = normalize(name);
    DEFAULTS.contains(&name.as_str())
}

fn contains(list: &[crate::model::Sourced<String>], name: &str) -> bool {
    list.iter().any(|c| normalize(&c.value) == name)
}

/// Whether the spec adds `ALL` capabilities.
pub fn adds_all(spec: &RunSpec) -> bool {
    contains(&spec.cap_add, "ALL")
}

/// Whether the spec drops `ALL` capabilities.
pub fn drops_all(spec: &RunSpec) -> bool {
    contains(&spec.cap_drop, "ALL")
}

pub fn is_privileged(spec: &RunSpec) -> bool {
    spec.privileged.as_ref().is_some_and(|p| p.value)
}

/// Whether the container ends up holding capability `name`, as the engine computes it:
/// `privileged` grants everything; `cap_add: [ALL]` grants everything not in `cap_drop`;
/// `cap_drop: [ALL]` leaves only `cap_add`; otherwise the defaults minus `cap_drop` plus
/// `cap_add`, where a capability both added and dropped stays (the CLI lets add win).
pub fn holds(spec: &RunSpec, name: &str) -> bool {
    let name = normalize(name);
    if is_privileged(spec) {
        return true;
    }
    let added = contains(&spec.cap_add, &name);
    if adds_all(spec) {
        return !contains(&spec.cap_drop, &name) || added;
    }
    if added {
        return true;
    }
    if drops_all(spec) {
        return false;
    }
    is_default(&name) && !contains(&spec.cap_drop, &name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{compose, run};

    #[test]
    fn table_is_complete_and_unique() {
        assert_eq!(ALL.len(), 41, "capabilities(7) defines 41 capabilities");
        for (i, c) in ALL.iter().enumerate() {
            assert!(
                ALL.iter().skip(i + 1).all(|d| d.name != c.name),
                "{} listed twice",
                c.name
            );
        }
        for d in DEFAULTS {
            assert!(info(d).is_some(), "default {d} missing from the table");
        }
    }

    #[test]
    fn normalises_prefix_and_case() {
        assert_eq!(normalize(" cap_sys_admin "), "SYS_ADMIN");
        assert_eq!(info("Cap_Net_Admin").map(|c| c.name), Some("NET_ADMIN"));
        assert!(is_default("cap_net_raw"));
        assert!(!is_default("SYS_ADMIN"));
        assert!(info("SYS_ADMN").is_none());
    }

    #[test]
    fn effective_capabilities_follow_the_engine() {
        let plain = compose("web").build();
        assert!(holds(&plain, "NET_RAW"));
        assert!(!holds(&plain, "SYS_ADMIN"));

        let dropped = compose("web")
            .cap_drop("ALL")
            .cap_add("NET_BIND_SERVICE")
            .build();
        assert!(!holds(&dropped, "NET_RAW"));
        assert!(holds(&dropped, "NET_BIND_SERVICE"));

        let partial = run("web").cap_drop("NET_RAW").build();
        assert!(!holds(&partial, "NET_RAW"));
        assert!(holds(&partial, "CHOWN"));

        // Added and dropped: the CLI lets the addition win.
        let both = run("web")
            .cap_add("SYS_ADMIN")
            .cap_drop("SYS_ADMIN")
            .build();
        assert!(holds(&both, "SYS_ADMIN"));

        let all = compose("web").cap_add("ALL").cap_drop("SYS_MODULE").build();
        assert!(holds(&all, "SYS_ADMIN"));
        assert!(!holds(&all, "SYS_MODULE"));

        let privileged = compose("web").privileged(true).cap_drop("ALL").build();
        assert!(holds(&privileged, "SYS_ADMIN"));
    }
}
