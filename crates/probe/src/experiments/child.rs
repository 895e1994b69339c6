//! Running one experiment in a forked child with a deadline, so whatever it does (a new
//! namespace, a mount, a hundred sleeping processes) ends with the child: the parent kills
//! the child's whole process group at the deadline and reaps it.
//!
//! The child sends back one small fixed-size message through a pipe: `Ok(value)` or
//! `Err(errno)`. Code run in the child must not allocate or lock (the parent may have other
//! threads, e.g. under `cargo test`): system calls and stack buffers only.

use std::time::{Duration, Instant};

/// How a child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildEnd {
    /// It reported a result.
    Reported(Result<i64, i32>),
    /// It was killed by a signal before reporting (an OOM kill is `SIGKILL`).
    Killed(i32),
    /// It exited without reporting.
    Silent,
    /// It ran past its deadline and was killed.
    TimedOut,
    /// `fork` or `pipe` failed (errno).
    NoChild(i32),
}

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// Runs `work` in a child in its own process group; waits at most `deadline`.
pub fn run_in_child(deadline: Duration, work: impl FnOnce() -> Result<i64, i32>) -> ChildEnd {
    let mut fds = [0i32; 2];
    // SAFETY: `fds` is a valid array of two ints for pipe2 to fill.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return ChildEnd::NoChild(errno());
    }
    let [read_fd, write_fd] = fds;
    // SAFETY: the child only makes system calls (no allocation) and ends with `_exit`.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        let e = errno();
        // SAFETY: closing the two descriptors this function opened.
        unsafe {
            libc::close(read_fd);
            libc::close(write_fd);
        }
        return ChildEnd::NoChild(e);
    }
    if pid == 0 {
        // SAFETY: in the child: own process group, run, report, exit without unwinding.
        unsafe {
            libc::close(read_fd);
            libc::setpgid(0, 0);
            let result = work();
            let mut msg = [0u8; 12];
            match result {
                Ok(v) => msg[4..].copy_from_slice(&v.to_le_bytes()),
                Err(e) => {
                    msg[..4].copy_from_slice(&1i32.to_le_bytes());
                    msg[4..].copy_from_slice(&i64::from(e).to_le_bytes());
                }
            }
            libc::write(write_fd, msg.as_ptr().cast(), msg.len());
            libc::_exit(0);
        }
    }
    // SAFETY: the parent's copy of the write end is not needed.
    unsafe {
        libc::close(write_fd);
        // Both sides set the group, so a kill of the group cannot race the child's setpgid.
        libc::setpgid(pid, pid);
    }
    let start = Instant::now();
    let mut status = 0i32;
    let mut timed_out = false;
    loop {
        // SAFETY: waiting for our own child.
        let r = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if r == pid || (r < 0 && errno() != libc::EINTR) {
            break;
        }
        if start.elapsed() >= deadline {
            timed_out = true;
            // SAFETY: kill the child's group, then reap the child.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
                libc::kill(pid, libc::SIGKILL);
                libc::waitpid(pid, &mut status, 0);
            }
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    // Anything the child left in its group (it should have reaped its own) goes too.
    // SAFETY: signalling a process group this function created.
    unsafe {
        libc::kill(-pid, libc::SIGKILL);
    }
    let mut msg = [0u8; 12];
    // SAFETY: reading at most 12 bytes into a 12-byte buffer, then closing our descriptor.
    let n = unsafe {
        let n = libc::read(read_fd, msg.as_mut_ptr().cast(), msg.len());
        libc::close(read_fd);
        n
    };
    if timed_out {
        return ChildEnd::TimedOut;
    }
    if n == 12 {
        let mut tag = [0u8; 4];
        tag.copy_from_slice(&msg[..4]);
        let mut value = [0u8; 8];
        value.copy_from_slice(&msg[4..]);
        let value = i64::from_le_bytes(value);
        return ChildEnd::Reported(if i32::from_le_bytes(tag) == 0 {
            Ok(value)
        } else {
            Err(i32::try_from(value).unwrap_or(0))
        });
    }
    if libc::WIFSIGNALED(status) {
        return ChildEnd::Killed(libc::WTERMSIG(status));
    }
    ChildEnd::Silent
}

/// The calling thread's errno, for code running in a child.
pub fn last_errno() -> i32 {
    errno()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_values_errors_signals_and_deadlines() {
        let t = Duration::from_secs(5);
        assert_eq!(run_in_child(t, || Ok(42)), ChildEnd::Reported(Ok(42)));
        assert_eq!(run_in_child(t, || Err(13)), ChildEnd::Reported(Err(13)));
        let killed = run_in_child(t, || {
            // SAFETY: the child kills itself.
            unsafe { libc::kill(libc::getpid(), libc::SIGKILL) };
            Ok(0)
        });
        assert_eq!(killed, ChildEnd::Killed(libc::SIGKILL));
        let start = Instant::now();
        let slow = run_in_child(Duration::from_millis(100), || {
            // SAFETY: the child sleeps past its deadline.
            unsafe { libc::sleep(10) };
            Ok(0)
        });
        assert_eq!(slow, ChildEnd::TimedOut);
        assert!(start.elapsed() < Duration::from_secs(3));
    }
}
