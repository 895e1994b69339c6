//! Paper scenario 1 (the AppArmor profile's `deny @{PROC}/sysrq-trigger`): may the container
//! open `/proc/sysrq-trigger` for writing? A write there reboots or crashes the host, so the
//! probe only opens it and closes it again — it never writes a byte.

use super::blame::unreported;
use super::child::{last_errno, run_in_child, ChildEnd};
use super::verdict::{Blocker, Verdict};
use crate::facts::Facts;
use std::time::Duration;

pub fn run(facts: &Facts) -> Verdict {
    let end = run_in_child(Duration::from_secs(2), || {
        // SAFETY: open and close; nothing is written.
        unsafe {
            let fd = libc::open(
                c"/proc/sysrq-trigger".as_ptr(),
                libc::O_WRONLY | libc::O_CLOEXEC,
            );
            if fd < 0 {
                return Err(last_errno());
            }
            libc::close(fd);
        }
        Ok(0)
    });
    let root = facts.runs_as_root();
    match end {
        ChildEnd::Reported(Ok(_)) => Verdict::Allowed {
            detail: "/proc/sysrq-trigger opened for writing (closed without writing)".to_string(),
        },
        ChildEnd::Reported(Err(libc::EROFS)) => Verdict::blocked(
            Blocker::ReadOnlyMount,
            libc::EROFS,
            "/proc/sysrq-trigger is mounted read-only (the runtime's read-only paths)",
        ),
        ChildEnd::Reported(Err(libc::EACCES)) if root == Some(true) => Verdict::blocked(
            Blocker::Apparmor,
            libc::EACCES,
            "root was refused: the security module denies it",
        ),
        ChildEnd::Reported(Err(e @ (libc::EACCES | libc::EPERM))) => Verdict::blocked(
            Blocker::Permissions,
            e,
            "only root may open it, and the probe is not (host) root",
        ),
        ChildEnd::Reported(Err(libc::ENOENT)) => Verdict::NotAvailable {
            reason: "no /proc/sysrq-trigger (proc not mounted, or masked away)".to_string(),
        },
        ChildEnd::Reported(Err(e)) => {
            Verdict::blocked(Blocker::Unknown, e, "open refused with an unexpected error")
        }
        other => unreported(other, "opening /proc/sysrq-trigger"),
    }
}
