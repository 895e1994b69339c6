//! `plimsoll host --host-root DIR --trusted-users …`: the host's files are read under DIR (a
//! container with the host's `/` mounted there), and `-u` decides CIS 1.1.2. Runs without an
//! engine: `host` still audits the files and reports the engine's absence.

use assert_cmd::Command;
use serde_json::Value;

fn host_json(root: &std::path::Path, extra: &[&str]) -> Value {
    let out = Command::cargo_bin("plimsoll")
        .expect("binary")
        .args(["host", "--no-config", "--format", "json", "--host-root"])
        .arg(root)
        .args(extra)
        .env(
            "DOCKER_HOST",
            "unix:///nonexistent/plimsoll-host-root-test.sock",
        )
        .output()
        .expect("run plimsoll host");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The messages of the findings of one rule.
fn messages(report: &Value, rule: &str) -> Vec<String> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["rule"].as_str() == Some(rule) || f["rule_id"].as_str() == Some(rule))
        .map(|f| f["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn host_root_is_where_host_files_are_read_and_trusted_users_decide_1_1_2() {
    let root = tempfile::tempdir().expect("tempdir");
    let etc = root.path().join("etc");
    std::fs::create_dir_all(&etc).expect("mkdir etc");
    std::fs::write(
        etc.join("group"),
        "root:x:0:\ndocker:x:999:plimsolltestalice,plimsolltestbob\n",
    )
    .expect("write group");
    std::fs::write(etc.join("passwd"), "root:x:0:0:root:/root:/bin/sh\n").expect("passwd");

    // Without -u: the members (from DIR/etc/group, not this machine's) are listed.
    let listed = messages(&host_json(root.path(), &[]), "HS002");
    assert!(
        listed
            .iter()
            .any(|m| m.contains("plimsolltestalice") && m.contains("plimsolltestbob")),
        "{listed:?}"
    );
    // With -u alice: only bob is reported.
    let untrusted = messages(
        &host_json(root.path(), &["--trusted-users", "plimsolltestalice"]),
        "HS002",
    );
    assert!(
        untrusted.iter().any(|m| m.contains("plimsolltestbob"))
            && !untrusted.iter().any(|m| m.contains("plimsolltestalice")),
        "{untrusted:?}"
    );
    // Every member trusted: no HS002 finding.
    let none = messages(
        &host_json(root.path(), &["-u", "plimsolltestalice,plimsolltestbob"]),
        "HS002",
    );
    assert!(none.is_empty(), "{none:?}");
}

/// `--host-root` that does not exist, or is not a host's root (no etc/), is an error with exit
/// status 2 — not a run that audited nothing and passed.
#[test]
fn a_host_root_that_is_not_a_host_root_is_an_error() {
    let empty = tempfile::tempdir().expect("tempdir");
    let missing = empty.path().join("nonexistent");
    for (root, says) in [
        (missing.as_path(), "does not exist"),
        (
            empty.path(),
            "is not a host's root directory: it has no etc/",
        ),
    ] {
        for cmd in ["host", "bench"] {
            let out = Command::cargo_bin("plimsoll")
                .expect("binary")
                .args([cmd, "--no-config", "--host-root"])
                .arg(root)
                .env(
                    "DOCKER_HOST",
                    "unix:///nonexistent/plimsoll-host-root-test.sock",
                )
                .output()
                .expect("run plimsoll");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{cmd} {}: {stderr}",
                root.display()
            );
            assert!(stderr.contains(says), "{cmd}: {stderr}");
            assert!(stderr.contains("--host-root"), "{cmd}: {stderr}");
            assert!(stderr.contains("hint:"), "{cmd}: {stderr}");
            assert!(
                out.stdout.is_empty(),
                "{cmd}: no report for nothing audited"
            );
        }
    }
}
