//! Paper scenario 2: may the container change its hostname? `sethostname` needs
//! CAP_SYS_ADMIN over the UTS namespace, and Docker's seccomp profile allows it only with
//! that capability. The probe sets the hostname to the value it already has, so nothing
//! changes even when it is allowed — and it never tries in the host's UTS namespace.

use super::blame::{eperm_blocker, unreported};
use super::child::{last_errno, run_in_child, ChildEnd};
use super::verdict::{Blocker, Verdict};
use crate::facts::Facts;
use crate::namespaces::Confidence;
use std::time::Duration;

pub fn run(facts: &Facts) -> Verdict {
    match facts.namespaces.is_initial("uts") {
        Some(true) => {
            return Verdict::NotRun {
                reason: "the container shares the host's UTS namespace: sethostname would \
                         change the host's hostname, so it was not tried"
                    .to_string(),
            }
        }
        None => {
            if facts
                .host_namespace("uts")
                .is_some_and(|h| h.shared || h.confidence < Confidence::High)
            {
                return Verdict::NotRun {
                    reason: "cannot tell whether the UTS namespace is the host's: \
                             sethostname not tried"
                        .to_string(),
                };
            }
        }
        Some(false) => {}
    }
    let end = run_in_child(Duration::from_secs(2), || {
        let mut name = [0u8; 65];
        // SAFETY: a 65-byte buffer for a name of at most 64 bytes.
        if unsafe { libc::gethostname(name.as_mut_ptr().cast(), 64) } != 0 {
            return Err(last_errno());
        }
        let len = name.iter().position(|b| *b == 0).unwrap_or(64);
        // SAFETY: setting the same name it has: `len` bytes of `name`.
        if unsafe { libc::sethostname(name.as_ptr().cast(), len) } != 0 {
            return Err(last_errno());
        }
        Ok(0)
    });
    match end {
        ChildEnd::Reported(Ok(_)) => Verdict::Allowed {
            detail: "sethostname succeeded (set to its current value: nothing changed)".to_string(),
        },
        ChildEnd::Reported(Err(libc::EPERM)) => {
            let (by, also) = eperm_blocker(facts, "SYS_ADMIN");
            Verdict::Blocked {
                by,
                also,
                errno: "EPERM".to_string(),
                detail: "sethostname refused".to_string(),
            }
        }
        ChildEnd::Reported(Err(e)) => Verdict::blocked(
            Blocker::Unknown,
            e,
            "sethostname refused with an unexpected error",
        ),
        other => unreported(other, "sethostname"),
    }
}
