//! Ctrl-C, SIGTERM or SIGHUP while `plimsoll probe` has a container running: the container
//! is removed before plimsoll exits.
//!
//! Why not leave it to `docker run --rm`: a signal that ends plimsoll (and the docker CLI
//! with it, as Ctrl-C does to the whole foreground group) does not end the container — the
//! probe is its init, which the forwarded signal does not stop — so it would live on until
//! the probe's own deadlines end it, and a container whose CLI dies before it starts may be
//! left created. So the first time a container is launched, these signals are blocked in
//! this (single-threaded) command and a watcher thread waits for them (`sigwait`, no code in
//! a signal handler): on one, it kills the `docker run` clients still running, removes every
//! container still registered (`docker rm -f`, by the unique name plimsoll gave it, tried
//! until the engine no longer knows the name) and exits with 128 + the signal's number.
//! Child processes start with no blocked signal (the standard library resets the mask).

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};
use std::time::Duration;

/// The signals that end plimsoll and are turned into a removal first.
const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// The containers running now: their name and their `docker run` client's process id.
static RUNNING: Mutex<Vec<(String, u32)>> = Mutex::new(Vec::new());
static WATCHER: Once = Once::new();
/// Set once a signal came: the watcher is removing the containers and will end plimsoll.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Registers a container about to be started (before its `docker run` is spawned, so a
/// signal in between still removes it); the watcher is started on first use.
pub fn register(name: &str) {
    WATCHER.call_once(start_watcher);
    with_running(|running| running.push((name.to_string(), 0)));
}

/// Records the process id of the `docker run` client of a registered container.
pub fn client_started(name: &str, pid: u32) {
    with_running(|running| {
        if let Some(entry) = running.iter_mut().find(|(n, _)| n == name) {
            entry.1 = pid;
        }
    });
}

/// Called when a `docker run` client ended: if that was the watcher killing it, this thread
/// waits for the watcher to finish removing and end plimsoll, instead of reporting the
/// killed client as an error and exiting first.
pub fn wait_if_interrupted() {
    while INTERRUPTED.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// Forgets a container once it is removed.
pub fn forget(name: &str) {
    with_running(|running| running.retain(|(n, _)| n != name));
}

fn with_running(f: impl FnOnce(&mut Vec<(String, u32)>)) {
    let mut running = RUNNING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    f(&mut running);
}

fn signal_set() -> libc::sigset_t {
    // SAFETY: sigemptyset initialises the set before sigaddset reads it; both only write the
    // set they are given.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for signal in SIGNALS {
            libc::sigaddset(&mut set, signal);
        }
        set
    }
}

fn start_watcher() {
    let set = signal_set();
    // SAFETY: blocks the signals in the calling thread (the watcher, spawned after, inherits
    // the mask and takes them with sigwait); the set is initialised.
    let blocked = unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) };
    if blocked != 0 {
        return;
    }
    let spawned = std::thread::Builder::new()
        .name("probe-signals".to_string())
        .spawn(move || watch(set));
    if spawned.is_err() {
        // No watcher: let the signals end plimsoll as before (`--rm` still removes the
        // container when the probe ends).
        // SAFETY: unblocks what was blocked above, in this thread.
        unsafe { libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut()) };
    }
}

fn watch(set: libc::sigset_t) {
    let mut signal: libc::c_int = 0;
    // SAFETY: waits for one of the blocked signals in the initialised set.
    if unsafe { libc::sigwait(&set, &mut signal) } != 0 {
        return;
    }
    INTERRUPTED.store(true, Ordering::SeqCst);
    let running: Vec<(String, u32)> = RUNNING
        .lock()
        .map(|r| r.clone())
        .unwrap_or_else(|p| p.into_inner().clone());
    for (_, pid) in &running {
        if let Ok(pid) = libc::pid_t::try_from(*pid) {
            if pid > 0 {
                // SAFETY: signals our own child, the docker CLI, so it cannot start the
                // container after plimsoll is gone.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        }
    }
    for (name, _) in &running {
        remove(name);
    }
    if !running.is_empty() {
        eprintln!(
            "plimsoll: interrupted: removed the launched container{} {}",
            if running.len() == 1 { "" } else { "s" },
            running
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    std::process::exit(128 + signal);
}

/// `docker rm -f` until the engine no longer knows the name twice in a row, half a second
/// apart (a create still in flight when the client was killed may land a moment later); at
/// most a few seconds.
fn remove(name: &str) {
    let mut absent = 0;
    for _ in 0..12 {
        let _ = Command::new("docker")
            .args(["rm", "-f", "-v", name])
            .output();
        let exact = format!("name=^/{name}$");
        let left = Command::new("docker")
            .args(["ps", "-aq", "--filter", &exact])
            .output();
        match left {
            Ok(out) if out.status.success() && out.stdout.iter().all(u8::is_ascii_whitespace) => {
                absent += 1;
                if absent == 2 {
                    return;
                }
            }
            Err(_) => return,
            _ => absent = 0,
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}
