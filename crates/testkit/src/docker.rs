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
//! Images for such tests are built `FROM scratch` from files of this machine
//! ([`scratch_image`]); the probe's tests put in it the static probe users get
//! ([`static_probe`]).
//!
//! Tests of faults a real engine cannot be made to show (silence, an endless answer, a web
//! server at `DOCKER_HOST`) use a [`Stub`] engine instead.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

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

/// Builds a `FROM scratch` image holding exactly `files` (each a file on this machine and its
/// absolute path in the image), with `entrypoint` when given, labelled `plimsoll.test=1` and
/// `plimsoll.test.pid=<pid>` (so [`remove_run`] and [`Guard`] remove it); its tag.
pub fn scratch_image(
    tag: &str,
    pid: u32,
    files: &[(&Path, &str)],
    entrypoint: Option<&str>,
) -> Result<String, String> {
    let config = entrypoint
        .map(|entrypoint| format!("ENTRYPOINT [\"{entrypoint}\"]\n"))
        .unwrap_or_default();
    scratch_image_with(tag, pid, files, &config)
}

/// [`scratch_image`] with `config` (Dockerfile instructions, one a line, such as a `CMD`)
/// after the files are copied in.
pub fn scratch_image_with(
    tag: &str,
    pid: u32,
    files: &[(&Path, &str)],
    config: &str,
) -> Result<String, String> {
    static CONTEXTS: AtomicU32 = AtomicU32::new(0);
    let n = CONTEXTS.fetch_add(1, Ordering::Relaxed);
    let context = std::env::temp_dir().join(format!("plimsoll-scratch-{pid}-{n}"));
    let built = (|| {
        for (from, to) in files {
            let target = context.join(to.trim_start_matches('/'));
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            std::fs::copy(from, &target).map_err(|e| format!("{}: {e}", from.display()))?;
        }
        let dockerfile = format!("FROM scratch\nCOPY . /\n{config}");
        std::fs::write(context.join("Dockerfile"), dockerfile).map_err(|e| e.to_string())?;
        docker(&[
            "build",
            "-q",
            "--label",
            "plimsoll.test=1",
            "--label",
            &format!("plimsoll.test.pid={pid}"),
            "-t",
            tag,
            &context.to_string_lossy(),
        ])
    })();
    let _ = std::fs::remove_dir_all(&context);
    built.map(|_| tag.to_string())
}

/// Builds the workspace's `plimsoll-probe` as users get it — static, glibc with
/// `+crt-static`, for `x86_64-unknown-linux-gnu`, release — into a target directory outside
/// the repository that later runs reuse (`$PLIMSOLL_PROBE_STATIC_DIR`, else
/// `<temp>/plimsoll-probe-static`), checks that it is static (an ELF with no `PT_INTERP`
/// program header, so no dynamic loader), and returns its path. A first build takes about a
/// minute on two cores; later ones only relink what changed.
pub fn static_probe() -> Result<PathBuf, String> {
    let target_dir = std::env::var_os("PLIMSOLL_PROBE_STATIC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("plimsoll-probe-static"));
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.toml");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args(["build", "--quiet", "--release", "-p", "plimsoll-probe"])
        .args(["--target", "x86_64-unknown-linux-gnu"])
        .arg("--manifest-path")
        .arg(&workspace)
        .arg("--target-dir")
        .arg(&target_dir)
        .env("RUSTFLAGS", "-C target-feature=+crt-static")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .map_err(|e| format!("cargo build of the static probe: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo build of the static probe: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let binary = target_dir.join("x86_64-unknown-linux-gnu/release/plimsoll-probe");
    let bytes = std::fs::read(&binary).map_err(|e| format!("{}: {e}", binary.display()))?;
    match has_interpreter(&bytes) {
        Some(false) => Ok(binary),
        Some(true) => Err(format!(
            "{} names a dynamic loader (PT_INTERP): not a static build",
            binary.display()
        )),
        None => Err(format!("{} is not a 64-bit ELF", binary.display())),
    }
}

/// Whether a 64-bit little-endian ELF has a `PT_INTERP` program header (a dynamic loader);
/// `None` when the bytes are not such an ELF.
pub fn has_interpreter(elf: &[u8]) -> Option<bool> {
    const PT_INTERP: u32 = 3;
    if elf.get(..4)? != b"\x7fELF" || *elf.get(4)? != 2 || *elf.get(5)? != 1 {
        return None;
    }
    let u16_at = |at: usize| -> Option<usize> {
        Some(usize::from(u16::from_le_bytes(
            elf.get(at..at + 2)?.try_into().ok()?,
        )))
    };
    let u32_at = |at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(elf.get(at..at + 4)?.try_into().ok()?))
    };
    let phoff = usize::try_from(u64::from_le_bytes(elf.get(32..40)?.try_into().ok()?)).ok()?;
    let phentsize = u16_at(54)?;
    let phnum = u16_at(56)?;
    let mut interp = false;
    for i in 0..phnum {
        interp |= u32_at(phoff.checked_add(i.checked_mul(phentsize)?)?)? == PT_INTERP;
    }
    Some(interp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dynamically_linked_program_names_its_loader() {
        let this = std::env::current_exe().unwrap_or_default();
        let bytes = std::fs::read(this).unwrap_or_default();
        assert_eq!(has_interpreter(&bytes), Some(true));
        assert_eq!(has_interpreter(b"#!/bin/sh\n"), None);
        assert_eq!(has_interpreter(b"\x7fELF"), None);
    }
}
