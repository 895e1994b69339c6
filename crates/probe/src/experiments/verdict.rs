//! How an experiment ended, in the words of the issue: *allowed*, *blocked* (and by what), or
//! *not available here* — plus *not run*, when the probe declined on purpose (the host's UTS
//! namespace, no limit to stress against).

use serde::{Deserialize, Serialize};

/// What refused an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Blocker {
    /// The seccomp filter (its `EPERM` comes before any kernel check).
    Seccomp,
    /// The kernel's capability check (the process lacks the capability).
    Capability,
    /// An AppArmor (or other LSM) denial: `EACCES` from a security hook.
    Apparmor,
    /// A resource limit (pids.max, memory.max, a kernel sysctl limit).
    Limit,
    /// A read-only mount over the path (`EROFS`).
    ReadOnlyMount,
    /// Ordinary file permissions (a non-root user, a root mapped by a user namespace).
    Permissions,
    Unknown,
}

impl Blocker {
    pub fn as_str(self) -> &'static str {
        match self {
            Blocker::Seccomp => "seccomp",
            Blocker::Capability => "capability",
            Blocker::Apparmor => "apparmor",
            Blocker::Limit => "limit",
            Blocker::ReadOnlyMount => "read-only-mount",
            Blocker::Permissions => "permissions",
            Blocker::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "kebab-case")]
pub enum Verdict {
    Allowed {
        detail: String,
    },
    Blocked {
        by: Blocker,
        /// Other mechanisms that would refuse it too (seccomp behind a missing capability).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        also: Vec<Blocker>,
        errno: String,
        detail: String,
    },
    /// The kernel or the container lacks what the experiment needs.
    NotAvailable {
        reason: String,
    },
    /// Declined on purpose.
    NotRun {
        reason: String,
    },
}

impl Verdict {
    pub fn blocked(by: Blocker, errno: i32, detail: impl Into<String>) -> Verdict {
        Verdict::Blocked {
            by,
            also: Vec::new(),
            errno: errno_name(errno),
            detail: detail.into(),
        }
    }

    pub fn is_allowed(&self) -> bool {
        matches!(self, Verdict::Allowed { .. })
    }

    /// One short phrase: `allowed`, `blocked (seccomp)`, `not available`, `not run`.
    pub fn short(&self) -> String {
        match self {
            Verdict::Allowed { .. } => "allowed".to_string(),
            Verdict::Blocked { by, also, .. } => {
                let mut names = vec![by.as_str()];
                names.extend(also.iter().map(|b| b.as_str()));
                format!("blocked ({})", names.join(", "))
            }
            Verdict::NotAvailable { .. } => "not available".to_string(),
            Verdict::NotRun { .. } => "not run".to_string(),
        }
    }

    pub fn detail(&self) -> &str {
        match self {
            Verdict::Allowed { detail } | Verdict::Blocked { detail, .. } => detail,
            Verdict::NotAvailable { reason } | Verdict::NotRun { reason } => reason,
        }
    }
}

/// The symbolic name of an errno the experiments meet.
pub fn errno_name(errno: i32) -> String {
    let name = match errno {
        libc::EPERM => "EPERM",
        libc::ENOENT => "ENOENT",
        libc::EINTR => "EINTR",
        libc::EAGAIN => "EAGAIN",
        libc::ENOMEM => "ENOMEM",
        libc::EACCES => "EACCES",
        libc::EBUSY => "EBUSY",
        libc::EINVAL => "EINVAL",
        libc::ENOSPC => "ENOSPC",
        libc::EROFS => "EROFS",
        libc::ENOSYS => "ENOSYS",
        libc::EUSERS => "EUSERS",
        libc::EOPNOTSUPP => "EOPNOTSUPP",
        libc::ENODEV => "ENODEV",
        _ => return format!("errno {errno}"),
    };
    name.to_string()
}
