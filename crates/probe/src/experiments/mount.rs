//! Paper scenario 1 (AppArmor's `deny mount`): may the container mount a filesystem? The
//! child mounts a 64 KiB tmpfs on a fresh private directory and unmounts it at once; the
//! parent unmounts (if the child died between the two) and removes the directory.
//!
//! Who refused is told by a first, empty try: `mount` on a path that does not exist. The
//! kernel resolves the path before any security check, so that try gets `ENOENT` unless the
//! seccomp filter stopped the call first (`EPERM`). A real try that then gets `EACCES` was
//! refused by the LSM (AppArmor's hook runs before the capability check), `EPERM` by the
//! missing CAP_SYS_ADMIN.

use super::blame::unreported;
use super::child::{last_errno, run_in_child, ChildEnd};
use super::verdict::{Blocker, Verdict};
use crate::facts::Facts;
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::time::Duration;

/// The name every temporary directory of the probe starts with.
pub const TEMP_PREFIX: &str = "plimsoll-probe-";

/// Where a private mount point may be made, in order.
pub const TEMP_DIRS: [&str; 4] = ["/tmp", "/dev/shm", "/run", "/var/tmp"];

fn private_dir() -> Option<PathBuf> {
    use std::os::unix::fs::DirBuilderExt;
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    TEMP_DIRS.iter().find_map(|base| {
        let dir =
            PathBuf::from(base).join(format!("{}{}-{stamp}", TEMP_PREFIX, std::process::id()));
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&dir)
            .ok()
            .map(|_| dir)
    })
}

fn try_mount(target: &CString) -> ChildEnd {
    let target = target.clone();
    run_in_child(Duration::from_secs(2), move || {
        // SAFETY: NUL-terminated strings that outlive the calls.
        unsafe {
            let r = libc::mount(
                c"none".as_ptr(),
                target.as_ptr(),
                c"tmpfs".as_ptr(),
                libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
                c"size=64k,mode=700".as_ptr().cast(),
            );
            if r != 0 {
                return Err(last_errno());
            }
            libc::umount2(target.as_ptr(), 0);
        }
        Ok(0)
    })
}

/// Whether the seccomp filter lets `mount` through (`Some(true)`: it reached the kernel).
fn seccomp_passes_mount() -> Option<bool> {
    let missing = CString::new("/nonexistent-plimsoll-probe/mount-point").ok()?;
    match try_mount(&missing) {
        ChildEnd::Reported(Err(libc::ENOENT)) => Some(true),
        ChildEnd::Reported(Err(libc::EPERM)) => Some(false),
        _ => None,
    }
}

pub fn run(_facts: &Facts) -> Verdict {
    let Some(dir) = private_dir() else {
        return Verdict::NotAvailable {
            reason: format!(
                "no writable directory for a private mount point ({})",
                TEMP_DIRS.join(", ")
            ),
        };
    };
    let Ok(target) = CString::new(dir.as_os_str().as_bytes()) else {
        let _ = std::fs::remove_dir(&dir);
        return Verdict::NotAvailable {
            reason: "temporary directory name is not a C string".to_string(),
        };
    };
    let seccomp_passes = seccomp_passes_mount();
    let end = try_mount(&target);
    // SAFETY: detach whatever may still be mounted there (nothing, normally), then remove it.
    unsafe {
        libc::umount2(target.as_ptr(), libc::MNT_DETACH);
    }
    let _ = std::fs::remove_dir(&dir);
    match end {
        ChildEnd::Reported(Ok(_)) => Verdict::Allowed {
            detail: format!("mounted a tmpfs on {} and unmounted it", dir.display()),
        },
        ChildEnd::Reported(Err(libc::EPERM)) => match seccomp_passes {
            Some(false) => Verdict::blocked(
                Blocker::Seccomp,
                libc::EPERM,
                "mount refused before the kernel looked at its arguments: the seccomp filter",
            ),
            Some(true) => Verdict::blocked(
                Blocker::Capability,
                libc::EPERM,
                "the seccomp filter let mount through; the kernel refused it for want of \
                 CAP_SYS_ADMIN",
            ),
            None => Verdict::blocked(Blocker::Unknown, libc::EPERM, "mount refused"),
        },
        ChildEnd::Reported(Err(libc::EACCES)) => Verdict::blocked(
            Blocker::Apparmor,
            libc::EACCES,
            "mount refused by the security module (AppArmor `deny mount`)",
        ),
        ChildEnd::Reported(Err(e)) => Verdict::blocked(
            Blocker::Unknown,
            e,
            "mount refused with an unexpected error",
        ),
        other => unreported(other, "mount"),
    }
}
