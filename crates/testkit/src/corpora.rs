//! Where the shared conformance corpora are, for tests and benchmarks of every crate: one place
//! for the `$PLIMSOLL_CORPORA` / `PLIMSOLL_REQUIRE_CORPORA` convention (see the corpora README).

use std::path::{Path, PathBuf};

/// The corpus folder `sub` (e.g. `real-dockerfiles`; `""` for the corpora root), taken from
/// `$PLIMSOLL_CORPORA` or else `shared/corpora` beside the repository. When it is absent this
/// prints a loud `SKIPPED` line and returns `None` so the caller can skip — unless
/// `PLIMSOLL_REQUIRE_CORPORA=1`, where a missing corpus is a test failure (panic).
pub fn locate(sub: &str) -> Option<PathBuf> {
    let root = std::env::var_os("PLIMSOLL_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora"));
    let dir = if sub.is_empty() { root } else { root.join(sub) };
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("PLIMSOLL_REQUIRE_CORPORA").as_deref() == Ok("1") {
        panic!(
            "corpus not found at {} (PLIMSOLL_REQUIRE_CORPORA=1)",
            dir.display()
        );
    }
    // Straight to the process's standard error, not `eprintln!`: the test harness captures
    // the latter and shows it only for failing tests, so a skip would pass silently.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr().lock(),
        "SKIPPED: corpus not found at {} (set PLIMSOLL_CORPORA; PLIMSOLL_REQUIRE_CORPORA=1 makes this a failure)",
        dir.display()
    );
    None
}
