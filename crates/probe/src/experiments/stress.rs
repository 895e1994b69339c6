//! Paper scenario 3 (a fork bomb against memory and process limits), bounded: the probe
//! stresses a limit only when there is one, never past a hard cap, and cleans up after itself.
//!
//! - `pids`: a child forks sleeping grandchildren up to the room left under `pids.max` plus
//!   a few, counts the refusals (`EAGAIN`), then kills and reaps them all. The grandchildren
//!   die with the child (`PR_SET_PDEATHSIG`) and its process group is killed at the deadline.
//! - `memory`: a child allocates and touches memory up to the limit (plus swap, if the limit
//!   allows swap) and a margin. Being OOM-killed is the expected good outcome; reaching the
//!   target means the limit did not hold.
//!
//! Without a limit the stress is not run ("unlimited"): an unbounded fork bomb is never the
//! probe's business.

use super::blame::unreported;
use super::child::{last_errno, run_in_child, ChildEnd};
use super::verdict::{Blocker, Verdict};
use crate::cgroups::{Cgroups, Limit};
use crate::facts::Facts;
use crate::root::Root;
use std::time::Duration;

/// The most processes the pids stress forks.
pub const MAX_PROCESSES: u64 = 512;
/// Processes beyond the limit's room that the stress tries.
const PIDS_MARGIN: u64 = 4;
/// The most memory the memory stress touches.
pub const MAX_MEMORY: u64 = 1 << 30;
const CHUNK: usize = 1 << 20;
const DEADLINE: Duration = Duration::from_secs(8);

fn not_run_unlimited(what: &str, limit: Option<Limit>) -> Option<Verdict> {
    match limit {
        Some(Limit::Unlimited) => Some(Verdict::NotRun {
            reason: format!("no {what} limit (unlimited): the stress only runs against a limit"),
        }),
        None => Some(Verdict::NotAvailable {
            reason: format!("the {what} limit could not be read"),
        }),
        Some(Limit::Max(_)) => None,
    }
}

/// Forks up to `tries` sleeping children; returns `forked << 32 | refused`.
fn fork_sleepers(tries: u64) -> Result<i64, i32> {
    let mut pids = [0i32; MAX_PROCESSES as usize];
    let mut forked = 0usize;
    let mut refused = 0i64;
    let mut other = 0;
    for _ in 0..tries.min(MAX_PROCESSES) {
        // SAFETY: the grandchild only waits to be killed.
        let pid = unsafe { libc::fork() };
        if pid == 0 {
            // SAFETY: die with the parent; sleep until then.
            unsafe {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                loop {
                    libc::pause();
                }
            }
        }
        if pid > 0 {
            pids[forked] = pid;
            forked += 1;
        } else {
            let e = last_errno();
            if e == libc::EAGAIN {
                refused += 1;
            } else {
                other = e;
            }
        }
    }
    for pid in &pids[..forked] {
        // SAFETY: killing and reaping this child's own children.
        unsafe {
            libc::kill(*pid, libc::SIGKILL);
            libc::waitpid(*pid, std::ptr::null_mut(), 0);
        }
    }
    if forked == 0 && refused == 0 && other != 0 {
        return Err(other);
    }
    Ok(((forked as i64) << 32) | refused)
}

pub fn pids(facts: &Facts) -> Verdict {
    let limit = facts.cgroups.limits.pids;
    if let Some(v) = not_run_unlimited("pids", limit) {
        return v;
    }
    let max = limit.and_then(Limit::value).unwrap_or(0);
    let current = facts.cgroups.limits.pids_current.unwrap_or(1);
    let tries = max.saturating_sub(current).saturating_add(PIDS_MARGIN);
    if tries > MAX_PROCESSES {
        return Verdict::NotRun {
            reason: format!(
                "pids.max is {max}: reaching it needs {tries} processes, more than the probe's \
                 cap of {MAX_PROCESSES}"
            ),
        };
    }
    match run_in_child(DEADLINE, move || fork_sleepers(tries)) {
        ChildEnd::Reported(Ok(v)) => {
            let forked = v >> 32;
            let refused = v & 0xffff_ffff;
            if refused > 0 {
                Verdict::blocked(
                    Blocker::Limit,
                    libc::EAGAIN,
                    format!(
                        "pids.max {max}: {forked} processes forked, {refused} refused; all reaped"
                    ),
                )
            } else {
                Verdict::Allowed {
                    detail: format!(
                        "{forked} processes forked past pids.max {max} ({current} already \
                         running) without a refusal; all reaped"
                    ),
                }
            }
        }
        ChildEnd::Reported(Err(e)) => {
            Verdict::blocked(Blocker::Unknown, e, "fork failed with an unexpected error")
        }
        other => unreported(other, "the pids stress"),
    }
}

/// Allocates and touches `target` bytes in chunks; `Ok(bytes)` when all were touched.
fn touch(target: u64) -> Result<i64, i32> {
    // Be the OOM killer's first choice, not the probe or the container's main process.
    // SAFETY: a NUL-terminated path and a 4-byte write.
    unsafe {
        let fd = libc::open(
            c"/proc/self/oom_score_adj".as_ptr(),
            libc::O_WRONLY | libc::O_CLOEXEC,
        );
        if fd >= 0 {
            libc::write(fd, b"1000".as_ptr().cast(), 4);
            libc::close(fd);
        }
    }
    let mut done: u64 = 0;
    while done < target {
        // SAFETY: an anonymous private mapping, touched a page at a time; freed at exit.
        unsafe {
            let p = libc::mmap(
                std::ptr::null_mut(),
                CHUNK,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            );
            if p == libc::MAP_FAILED {
                return Err(last_errno());
            }
            let bytes = p.cast::<u8>();
            let mut off = 0;
            while off < CHUNK {
                std::ptr::write_volatile(bytes.add(off), 1);
                off += 4096;
            }
        }
        done += CHUNK as u64;
    }
    Ok(i64::try_from(done).unwrap_or(i64::MAX))
}

pub fn memory(facts: &Facts) -> Verdict {
    let limits = &facts.cgroups.limits;
    if let Some(v) = not_run_unlimited("memory", limits.memory) {
        return v;
    }
    let memory = limits.memory.and_then(Limit::value).unwrap_or(0);
    let ceiling = match limits.memory_and_swap {
        Some(Limit::Max(both)) if both > memory => both,
        _ => memory,
    };
    let target = ceiling.saturating_add((ceiling / 10).max(16 << 20));
    if target > MAX_MEMORY {
        return Verdict::NotRun {
            reason: format!(
                "the memory limit ({ceiling} bytes with swap) is above the probe's cap of \
                 {MAX_MEMORY} bytes"
            ),
        };
    }
    let end = run_in_child(DEADLINE, move || touch(target));
    let cgroup_fs = facts
        .mounts
        .covering("/sys/fs/cgroup")
        .map(|m| m.fstype.as_str());
    let oom_after = Cgroups::read(&Root::new("/"), &facts.namespaces, cgroup_fs)
        .limits
        .oom_kills;
    let oom_note = match (limits.oom_kills, oom_after) {
        (Some(a), Some(b)) if b > a => format!("; oom_kill rose from {a} to {b}"),
        _ => String::new(),
    };
    match end {
        ChildEnd::Killed(libc::SIGKILL) => Verdict::Blocked {
            by: Blocker::Limit,
            also: Vec::new(),
            errno: "SIGKILL".to_string(),
            detail: format!("the child was OOM-killed at the limit of {ceiling} bytes{oom_note}"),
        },
        ChildEnd::Reported(Err(libc::ENOMEM)) => Verdict::blocked(
            Blocker::Limit,
            libc::ENOMEM,
            format!("allocation refused under the limit of {ceiling} bytes"),
        ),
        ChildEnd::Reported(Ok(bytes)) => Verdict::Allowed {
            detail: format!(
                "{bytes} bytes touched, past the limit of {ceiling} bytes, without being stopped"
            ),
        },
        ChildEnd::Reported(Err(e)) => Verdict::blocked(
            Blocker::Unknown,
            e,
            "allocation failed with an unexpected error",
        ),
        other => unreported(other, "the memory stress"),
    }
}
