//! Support for tests that need a real Docker Engine: the engine crate's live tests and the
//! binary's (`crates/plimsoll/tests/live.rs`). Nothing in plimsoll itself uses it; it lives in
//! this dev-only crate because it runs `docker rm -f`, which has no place in the read-only
//! collector library.
//!
//! The conventions every such test follows (developers' guide): skip with a loud message when
//! no engine is reachable, fail instead when `PLIMSOLL_REQUIRE_DOCKER=1`; label everything it
//! creates `plimsoll.test=1` and `plimsoll.test.pid=<its process id>`; remove all of it when the
//! test ends, pass or fail ([`Guard`]).
//!
//! Tests of faults a real engine cannot be made to show (silence, an endless answer, a web
//! server at `DOCKER_HOST`) use a [`Stub`] engine instead.

use std::io::Write;
use std::process::Command;

mod stub_engine;
pub use stub_engine::{Reply, Stub};

/// Debian's `busybox-static`, the only program the test images contain.
pub const BUSYBOX: &str = "/bin/busybox";

/// Skips the calling test with a loud banner on the real standard error (the harness does not
/// capture it), or panics when `PLIMSOLL_REQUIRE_DOCKER=1` says the engine is required.
pub fn skip_or_fail(suite: &str, why: &str) {
    if std::env::var("PLIMSOLL_REQUIRE_DOCKER").as_deref() == Ok("1") {
        panic!("PLIMSOLL_REQUIRE_DOCKER=1 but {why}");
    }
    let _ = writeln!(
        std::io::stderr(),
        "\n**************************************************************\n\
         *** SKIPPED {suite}: {why}\n\
         *** (set PLIMSOLL_REQUIRE_DOCKER=1 to make this a failure)\n\
         **************************************************************\n"
    );
}

/// Runs the docker CLI; its trimmed standard output, or the command and its error.
pub fn docker(args: &[&str]) -> Result<String, String> {
    let out = Command::new("docker")
        .args(args)
        .output()
        .map_err(|e| format!("docker {}: {e}", args.join(" ")))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(format!(
            "docker {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Removes the containers (with their anonymous volumes) and networks labelled with `pid`, then
/// the given images.
pub fn remove_run(pid: u32, images: &[String]) {
    let label = format!("label=plimsoll.test.pid={pid}");
    if let Ok(ids) = docker(&["ps", "-aq", "--filter", &label]) {
        let ids: Vec<&str> = ids.split_whitespace().collect();
        if !ids.is_empty() {
            let mut args = vec!["rm", "-f", "-v"];
            args.extend(ids);
            let _ = docker(&args);
        }
    }
    if let Ok(ids) = docker(&["network", "ls", "-q", "--filter", &label]) {
        for id in ids.split_whitespace() {
            let _ = docker(&["network", "rm", id]);
        }
    }
    for image in images {
        let _ = docker(&["rmi", "-f", image]);
    }
}

/// Removes everything a test run created when it is dropped — also when an assertion panicked.
pub struct Guard {
    pub pid: u32,
    /// Image tags the run built.
    pub images: Vec<String>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        remove_run(self.pid, &self.images);
    }
}
