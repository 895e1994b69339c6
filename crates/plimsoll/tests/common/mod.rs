//! Helpers shared by the CLI integration tests: run the real binary in a temporary project and
//! check that it never panics.

#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// A Dockerfile whose final stage runs as root (DF001, high).
pub const ROOT: &str = "FROM debian:12\nUSER root\nCMD [\"sh\"]\n";
/// A Dockerfile without high-severity findings (non-root user).
pub const NONROOT: &str = "FROM debian:12\nUSER app\nCMD [\"sh\"]\n";

/// The outcome of one run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// The findings of the JSON report, owned (the parsed report is not kept).
    pub fn findings(&self) -> Vec<serde_json::Value> {
        self.json()["findings"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Rule ids of active (unsuppressed) findings in a JSON report.
    pub fn active_rules(&self) -> Vec<String> {
        rule_ids(&self.json(), false)
    }

    pub fn suppressed_rules(&self) -> Vec<String> {
        rule_ids(&self.json(), true)
    }

    /// The paths a JSON report says were audited.
    pub fn targets(&self) -> Vec<String> {
        self.json()["targets"]
            .as_array()
            .expect("targets")
            .iter()
            .filter_map(|t| t["path"].as_str().map(str::to_string))
            .collect()
    }
}

/// The findings of a JSON report (none when it has no `findings` array).
pub fn findings(report: &serde_json::Value) -> Vec<&serde_json::Value> {
    report["findings"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

/// The findings of one rule in a JSON report, suppressed or not.
pub fn of_rule<'a>(report: &'a serde_json::Value, rule: &str) -> Vec<&'a serde_json::Value> {
    findings(report)
        .into_iter()
        .filter(|f| f["rule_id"] == rule)
        .collect()
}

pub fn rule_ids(report: &serde_json::Value, suppressed: bool) -> Vec<String> {
    findings(report)
        .into_iter()
        .filter(|f| f["suppressed"].is_null() != suppressed)
        .filter_map(|f| f["rule_id"].as_str().map(str::to_string))
        .collect()
}

/// The binary, with a clean environment for colour decisions.
pub fn plimsoll(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("plimsoll").expect("the plimsoll binary is built");
    cmd.current_dir(cwd)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

/// Runs and asserts that nothing panicked.
pub fn run(cmd: &mut Command) -> Run {
    let output = cmd.output().expect("run plimsoll");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked") && run.code != 101,
        "plimsoll panicked:\n{}",
        run.stderr
    );
    run
}

/// Runs `plimsoll ARGS…` in `cwd`.
pub fn plimsoll_in(cwd: &Path, args: &[&str]) -> Run {
    run(plimsoll(cwd).args(args))
}

/// Writes `text` to `dir/rel`, creating parent directories.
pub fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create parent");
    }
    std::fs::write(&path, text).expect("write fixture");
    path
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// `$PLIMSOLL_CORPORA`, else `<workspace>/../shared/corpora`; `None` (with a loud message) when
/// absent, unless `PLIMSOLL_REQUIRE_CORPORA=1`.
pub fn corpora() -> Option<PathBuf> {
    plimsoll_testkit::corpora::locate("")
}

/// Runs `git ARGS` in `dir` to set up a fixture repository; `false` when git is missing or
/// the command fails.
pub fn git_in(dir: &Path, args: &[&str]) -> bool {
    std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .is_ok_and(|o| o.status.success())
}
