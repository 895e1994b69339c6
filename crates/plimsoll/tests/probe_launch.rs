//! `plimsoll probe --launch` and `--experiments paper` on the real engine, and the probe's
//! findings through the pipeline tail.
//!
//! The probe mounted is the static release build users get (`testkit::docker::static_probe`,
//! built once into a cached target directory outside the repository, checked to have no
//! dynamic loader), and the image it is launched in is `FROM scratch` with nothing in it but
//! busybox and a script that holds the container open (for the Ctrl-C test). Without an engine
//! the test skips loudly (fails under `PLIMSOLL_REQUIRE_DOCKER=1`). Everything is labelled
//! `plimsoll.test=1` / `plimsoll.test.pid=<pid>` and removed; the containers `plimsoll probe`
//! starts must be gone when it returns, and when it is interrupted.

use plimsoll_testkit::docker::{
    docker, remove_run, scratch_image, skip_or_fail, static_probe, BUSYBOX,
};
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SUITE: &str = "probe_launch";

/// A scratch image with busybox and `/hold`, a script that keeps a container running.
fn test_image(pid: u32) -> Result<String, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let hold = dir.path().join("hold");
    std::fs::write(&hold, "#!/bin/busybox sh\n/bin/busybox sleep 120\n")
        .map_err(|e| e.to_string())?;
    std::fs::set_permissions(&hold, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| e.to_string())?;
    scratch_image(
        &format!("plimsoll-probe-launch-test:{pid}"),
        pid,
        &[(Path::new(BUSYBOX), "/bin/busybox"), (&hold, "/hold")],
        None,
    )
}

fn plimsoll(args: &[&str]) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("plimsoll: {e}"));
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "plimsoll {args:?}: not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

/// Containers `plimsoll probe` started and did not remove.
fn launched_left() -> String {
    docker(&["ps", "-aq", "--filter", "label=plimsoll.probe=1"]).unwrap_or_default()
}

#[test]
fn launch_sets_configuration_beside_kernel_and_reproduces_the_paper() {
    if let Err(e) = docker(&["version", "--format", "{{.Server.Version}}"]) {
        return skip_or_fail(SUITE, &format!("no Docker engine reachable ({e})"));
    }
    let probe = static_probe().unwrap_or_else(|e| panic!("the static probe: {e}"));
    let probe = probe.to_string_lossy().to_string();
    let pid = std::process::id();
    let image = match test_image(pid) {
        Ok(tag) => tag,
        Err(e) => panic!("building the test image: {e}"),
    };
    struct Cleanup(u32, String);
    impl Drop for Cleanup {
        fn drop(&mut self) {
            remove_run(self.0, std::slice::from_ref(&self.1));
        }
    }
    let _cleanup = Cleanup(pid, image.clone());

    // SYS_ADMIN for a process that, as the non-root user --launch adds, does not hold it:
    // the configuration warns (RS002), the kernel shows no such capability.
    let (_, launched) = plimsoll(&[
        "probe",
        "--no-config",
        "--probe-binary",
        &probe,
        "--format",
        "json",
        "--experiments",
        "safe",
        "--launch",
        &image,
        "--",
        "--cap-add",
        "SYS_ADMIN",
    ]);
    let options = launched["docker_options"].to_string();
    assert!(options.contains("65534:65534"), "{options}");
    assert_eq!(
        launched["probe"]["facts"]["process"]["effective_uid"],
        65534
    );
    let rows = launched["comparison"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let pb002 = rows
        .iter()
        .find(|r| r["probe_rule"] == "PB002")
        .cloned()
        .unwrap_or_default();
    assert_eq!(pb002["verdict"], "DISAGREE: config only", "{pb002}");
    assert!(launched["configuration_findings"]
        .to_string()
        .contains("RS002"));
    assert_eq!(launched_left(), "", "a launched container was left behind");

    // The launched probe's findings go through the pipeline tail too: one ignored is gone,
    // from the report and from the exit status.
    let fired = finding_ids(&launched["probe"]);
    let first = fired.first().cloned().unwrap_or_default();
    assert!(!first.is_empty(), "the launched probe found nothing");
    let (_, ignored) = plimsoll(&[
        "probe",
        "--no-config",
        "--probe-binary",
        &probe,
        "--format",
        "json",
        "--ignore",
        &first,
        "--fail-on",
        "never",
        "--launch",
        &image,
    ]);
    let left = finding_ids(&ignored["probe"]);
    assert!(!left.contains(&first), "{first} was ignored: {left:?}");
    assert_eq!(launched_left(), "", "a launched container was left behind");

    // The paper's table: every outcome the paper's, or "same outcome" where this host lacks
    // AppArmor, or "not available".
    let (status, paper) = plimsoll(&[
        "probe",
        "--probe-binary",
        &probe,
        "--format",
        "json",
        "--experiments",
        "paper",
        &image,
    ]);
    let rows = paper["rows"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 18, "six experiments under three configurations");
    for r in &rows {
        assert_ne!(r["agreement"], "differs", "{r}");
    }
    assert_eq!(status, 0);
    let weakened_hostname = rows
        .iter()
        .find(|r| r["experiment"] == "hostname" && r["configuration"] == "weakened")
        .cloned()
        .unwrap_or_default();
    assert_eq!(weakened_hostname["observed"], "allowed");
    assert_eq!(launched_left(), "", "a paper container was left behind");

    interrupted_launch_leaves_nothing(&probe, &image, pid);
}

/// Ctrl-C (SIGINT to plimsoll alone, the harder case: the docker CLI is not interrupted with
/// it) while the launched container runs: plimsoll removes it and exits with 130.
fn interrupted_launch_leaves_nothing(probe: &str, image: &str, pid: u32) {
    let test_label = format!("plimsoll.test.pid={pid}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .args(["probe", "--no-config", "--probe-binary", probe, "--launch"])
        .args([image, "--", "--entrypoint", "/hold", "--label"])
        .arg(&test_label)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("plimsoll: {e}"));
    let running = || {
        docker(&[
            "ps",
            "-q",
            "--filter",
            "label=plimsoll.probe=1",
            "--filter",
            &format!("label={test_label}"),
        ])
        .unwrap_or_default()
    };
    let start = Instant::now();
    while running().is_empty() {
        if start.elapsed() > Duration::from_secs(60) || child.try_wait().ok().flatten().is_some() {
            let _ = child.kill();
            panic!("the launched container never ran");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let signalled = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    assert!(signalled.is_ok_and(|s| s.success()), "kill -INT");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().ok().flatten() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("plimsoll did not end within 30 s of SIGINT");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stderr = child
        .wait_with_output()
        .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
        .unwrap_or_default();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    let left = docker(&[
        "ps",
        "-aq",
        "--filter",
        "label=plimsoll.probe=1",
        "--filter",
        &format!("label={test_label}"),
    ])
    .unwrap_or_default();
    assert_eq!(left, "", "the interrupted launch left its container behind");
}

/// `plimsoll probe --root DIR` reads a recorded tree in process (no engine, no experiments).
#[test]
fn probe_reads_a_recorded_tree() {
    let tree =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../probe/tests/fixtures/trees/host-mounts");
    let tree = tree.to_string_lossy().to_string();
    let (status, report) = plimsoll(&["probe", "--format", "json", "--root", &tree]);
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    assert!(ids.contains(&"PB011") && ids.contains(&"PB015"), "{ids:?}");
    assert_eq!(status, 1, "a critical finding (PB015) gives exit status 1");
    assert_eq!(report["experiments"], Value::Array(Vec::new()));
    let (status, _) = plimsoll(&["probe", "--format", "json", "--root", "/nonexistent-tree"]);
    assert_eq!(
        status, 0,
        "an empty tree is unknowns, not findings or a crash"
    );
}

/// The rule ids of a probe JSON report's findings.
fn finding_ids(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule_id"].as_str().map(str::to_string))
        .collect()
}

/// The probe's findings go through the pipeline tail every audit uses: the configuration
/// (disabled rules, severity overrides), `--ignore`, the baseline, `--fail-on`, `--severity`.
#[test]
fn probe_findings_are_settled_like_every_audit() {
    let tree =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../probe/tests/fixtures/trees/host-mounts");
    let tree = tree.to_string_lossy().to_string();
    let probe = |extra: &[&str]| {
        let mut args = vec!["probe", "--format", "json", "--root", &tree];
        args.extend(extra);
        plimsoll(&args)
    };
    let (status, raw) = probe(&["--no-config"]);
    let ids = finding_ids(&raw);
    assert!(ids.contains(&"PB015".to_string()), "{ids:?}");
    assert_eq!(status, 1);

    // A .plimsoll.toml disabling PB015 and lowering PB011: nothing reaches high.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let config = dir.path().join(".plimsoll.toml");
    std::fs::write(
        &config,
        "[rules]\ndisable = [\"PB015\"]\nseverity = { PB011 = \"low\" }\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let config = config.to_string_lossy().to_string();
    let (status, configured) = probe(&["--config", &config]);
    let ids = finding_ids(&configured);
    assert!(!ids.contains(&"PB015".to_string()), "{ids:?}");
    assert!(ids.contains(&"PB011".to_string()), "{ids:?}");
    let pb011 = configured["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["rule_id"] == "PB011")
        .cloned()
        .unwrap_or_default();
    assert_eq!(pb011["severity"], "low");
    assert_eq!(status, 0, "no finding at or above high once configured");

    // A baseline accepting the high and critical findings.
    let accepted: Vec<Value> = raw["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["rule_id"] == "PB015" || f["rule_id"] == "PB011")
        .map(|f| {
            serde_json::json!({
                "fingerprint": f["fingerprint"],
                "rule": f["rule_id"],
                "path": f["location"]["path"],
                "count": 1,
            })
        })
        .collect();
    assert_eq!(accepted.len(), 3);
    let baseline = dir.path().join("baseline.json");
    std::fs::write(
        &baseline,
        serde_json::json!({"version": 2, "findings": accepted}).to_string(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let baseline = baseline.to_string_lossy().to_string();
    let (status, baselined) = probe(&["--no-config", "--baseline", &baseline]);
    let ids = finding_ids(&baselined);
    assert!(
        !ids.contains(&"PB015".to_string()) && !ids.contains(&"PB011".to_string()),
        "{ids:?}"
    );
    assert!(ids.contains(&"PB005".to_string()), "{ids:?}");
    assert_eq!(status, 0, "the baseline accepted every high finding");
    let (_, shown) = probe(&["--no-config", "--baseline", &baseline, "--show-suppressed"]);
    assert_eq!(finding_ids(&shown).len(), finding_ids(&raw).len());

    // --fail-on and --ignore.
    let (status, _) = probe(&["--no-config", "--fail-on", "never"]);
    assert_eq!(status, 0);
    let (status, _) = probe(&["--no-config", "--ignore", "PB015", "--fail-on", "critical"]);
    assert_eq!(status, 0);
    let (status, _) = probe(&[
        "--no-config",
        "--ignore",
        "PB015",
        "--ignore",
        "PB011",
        "--fail-on",
        "medium",
    ]);
    assert_eq!(status, 1, "medium findings trip --fail-on medium");

    // --severity shows less and fails the same.
    let (status, shown) = probe(&["--no-config", "--severity", "critical"]);
    assert_eq!(finding_ids(&shown), ["PB015"]);
    assert_eq!(status, 1);
}
