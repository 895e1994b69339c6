//! Paper scenario 4: may the container create a user namespace (`unshare --user
//! --map-root-user`)? The kernel lets any process do it; Docker's default seccomp profile
//! refuses `unshare` without CAP_SYS_ADMIN. If it is allowed, the child maps its own uid to
//! root in the new namespace, as `--map-root-user` does, and reports that uid; the namespace
//! ends with the child.

use super::blame::{seccomp_filtering, unreported};
use super::child::{last_errno, run_in_child, ChildEnd};
use super::verdict::{Blocker, Verdict};
use crate::facts::Facts;
use std::time::Duration;

/// Writes `0 <uid> 1` into the new namespace's uid_map; `Ok(uid)` when `getuid` is then 0.
fn map_root(outer_uid: u32) -> Result<i64, i32> {
    let mut line = [0u8; 32];
    line[..2].copy_from_slice(b"0 ");
    let mut digits = [0u8; 10];
    let mut n = outer_uid;
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for i in 0..len {
        line[2 + i] = digits[len - 1 - i];
    }
    line[2 + len..2 + len + 3].copy_from_slice(b" 1\n");
    let total = 2 + len + 3;
    // SAFETY: a NUL-terminated literal path; writing `total` bytes of `line`.
    unsafe {
        let fd = libc::open(
            c"/proc/self/uid_map".as_ptr(),
            libc::O_WRONLY | libc::O_CLOEXEC,
        );
        if fd < 0 {
            return Err(last_errno());
        }
        let written = libc::write(fd, line.as_ptr().cast(), total);
        libc::close(fd);
        if written < 0 {
            return Err(last_errno());
        }
        if libc::getuid() != 0 {
            return Err(libc::EINVAL);
        }
    }
    Ok(i64::from(outer_uid))
}

pub fn run(facts: &Facts) -> Verdict {
    // SAFETY: getuid cannot fail.
    let outer_uid = unsafe { libc::getuid() };
    let end = run_in_child(Duration::from_secs(2), move || {
        // SAFETY: a single-threaded child leaves its user namespace behind when it exits.
        if unsafe { libc::unshare(libc::CLONE_NEWUSER) } != 0 {
            return Err(last_errno());
        }
        match map_root(outer_uid) {
            Ok(uid) => Ok(uid),
            // Created, but the map could not be written: still allowed.
            Err(_) => Ok(-1),
        }
    });
    let seccomp = seccomp_filtering(facts);
    match end {
        ChildEnd::Reported(Ok(uid)) => Verdict::Allowed {
            detail: if uid >= 0 {
                let host = facts
                    .uid_map
                    .as_ref()
                    .and_then(|m| m.outside(u32::try_from(uid).unwrap_or(u32::MAX)))
                    .map(|h| format!(", host uid {h}"))
                    .unwrap_or_default();
                format!(
                    "unshare(CLONE_NEWUSER) succeeded; `id` in it is uid 0 = uid {uid} of the \
                     container{host}"
                )
            } else {
                "unshare(CLONE_NEWUSER) succeeded (the uid map could not be written)".to_string()
            },
        },
        ChildEnd::Reported(Err(libc::EPERM)) => match seccomp {
            Some(true) => Verdict::blocked(
                Blocker::Seccomp,
                libc::EPERM,
                "unshare(CLONE_NEWUSER) refused; creating a user namespace needs no \
                 capability, so the seccomp filter refused it",
            ),
            _ => Verdict::blocked(
                Blocker::Unknown,
                libc::EPERM,
                "unshare(CLONE_NEWUSER) refused without a seccomp filter: the kernel forbids \
                 unprivileged user namespaces (kernel.unprivileged_userns_clone=0) or the \
                 process is in a chroot",
            ),
        },
        ChildEnd::Reported(Err(e @ (libc::ENOSPC | libc::EUSERS))) => Verdict::blocked(
            Blocker::Limit,
            e,
            "user.max_user_namespaces (or the nesting depth) is reached",
        ),
        ChildEnd::Reported(Err(libc::EACCES)) => Verdict::blocked(
            Blocker::Apparmor,
            libc::EACCES,
            "an LSM (AppArmor's restrict_unprivileged_userns) refused",
        ),
        ChildEnd::Reported(Err(libc::EINVAL)) => Verdict::NotAvailable {
            reason: "this kernel has no user namespaces".to_string(),
        },
        ChildEnd::Reported(Err(e)) => Verdict::blocked(
            Blocker::Unknown,
            e,
            "unshare(CLONE_NEWUSER) refused with an unexpected error",
        ),
        other => unreported(other, "unshare(CLONE_NEWUSER)"),
    }
}
