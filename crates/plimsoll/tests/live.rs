//! `plimsoll containers` and `plimsoll bench` on the real engine: one tiny image built
//! locally (`FROM scratch` + Debian's static busybox + a static `sshd` that only sleeps), an
//! insecure container, a hardened one and a self-excluded one; the real binary is run with
//! `--format json` and its findings / CIS results are asserted, plus `--check`,
//! `--exclude`, `--include-containers`, `--exclude-containers` and the faults (no engine,
//! unknown container).
//!
//! Everything created is labelled `plimsoll.test=1` and named after this process id; a guard
//! removes it when the test ends, pass or fail. Without a reachable engine (or the docker CLI,
//! /bin/busybox, a C compiler with a static libc) the test is skipped loudly; with
//! `PLIMSOLL_REQUIRE_DOCKER=1` it fails instead.

mod common;

use common::{plimsoll_in, tempdir, Run};
use plimsoll_testkit::docker::{docker, scratch_image_with, skip_or_fail, Guard, BUSYBOX};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn skip(why: &str) {
    skip_or_fail("plimsoll live tests", why);
}

fn image_tag(pid: u32) -> String {
    format!("plimsoll-blive-{pid}-img:1")
}

/// The image: busybox as /bin/busybox and /bin/sh, and /usr/sbin/sshd, a static program
/// that sleeps — so `top` shows an `sshd` process without any SSH server in the image.
fn build_image(pid: u32) -> Result<(String, String), String> {
    let ctx = tempfile::tempdir().map_err(|e| e.to_string())?;
    let src = ctx.path().join("sshd.c");
    let sshd = ctx.path().join("sshd");
    std::fs::write(
        &src,
        "#include <unistd.h>\nint main(void){for(;;)sleep(3600);}\n",
    )
    .map_err(|e| e.to_string())?;
    let cc = Command::new("cc")
        .args(["-static", "-O2", "-o"])
        .arg(&sshd)
        .arg(&src)
        .output()
        .map_err(|e| format!("cc: {e}"))?;
    if !cc.status.success() {
        return Err(format!(
            "cc -static failed: {}",
            String::from_utf8_lossy(&cc.stderr)
        ));
    }
    let busybox = Path::new(BUSYBOX);
    let tag = scratch_image_with(
        &image_tag(pid),
        pid,
        &[
            (busybox, "/bin/busybox"),
            (busybox, "/bin/sh"),
            (&sshd, "/usr/sbin/sshd"),
        ],
        "CMD [\"/bin/busybox\", \"sleep\", \"3600\"]\n",
    )?;
    let id = docker(&["image", "inspect", "--format", "{{.Id}}", &tag])?;
    Ok((tag, id))
}

fn start(name: &str, pid: u32, flags: &[&str], image: &str, cmd: &[&str]) {
    let pid_label = format!("plimsoll.test.pid={pid}");
    let mut args = vec![
        "run",
        "-d",
        "--name",
        name,
        "--label",
        "plimsoll.test=1",
        "--label",
        &pid_label,
    ];
    args.extend(flags);
    args.push(image);
    args.extend(cmd);
    docker(&args).unwrap_or_else(|e| panic!("start {name}: {e}"));
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("0.0.0.0:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(18081)
}

/// A bench result by CIS id.
fn result<'a>(report: &'a Value, id: &str) -> Option<&'a Value> {
    report["tests"]
        .as_array()?
        .iter()
        .flat_map(|t| t["results"].as_array().into_iter().flatten())
        .find(|r| r["id"] == id)
}

fn outcome(report: &Value, id: &str) -> String {
    result(report, id)
        .and_then(|r| r["result"].as_str())
        .unwrap_or("(absent)")
        .to_string()
}

fn items(report: &Value, id: &str) -> Vec<String> {
    result(report, id)
        .and_then(|r| r["items"].as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn ids(report: &Value) -> Vec<String> {
    report["tests"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|t| t["results"].as_array().into_iter().flatten())
        .filter_map(|r| r["id"].as_str().map(str::to_string))
        .collect()
}

/// Rule ids of the findings at `container:<name>`.
fn rules_at(run: &Run, name: &str) -> Vec<String> {
    let path = format!("container:{name}");
    let mut ids: Vec<String> = run.json()["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["file"] == path.as_str())
        .filter_map(|f| f["rule_id"].as_str().map(str::to_string))
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn live_containers_and_bench() {
    if Command::new("docker").arg("version").output().is_err() {
        return skip("the docker CLI is not installed");
    }
    if let Err(e) = docker(&["info", "--format", "{{.ServerVersion}}"]) {
        return skip(&format!("no Docker engine reachable: {e}"));
    }
    if !Path::new(BUSYBOX).exists() {
        return skip("/bin/busybox is missing (apt-get install busybox-static)");
    }
    let pid = std::process::id();
    let guard = Guard {
        pid,
        images: vec![image_tag(pid)],
    };
    let (tag, image_id) = match build_image(pid) {
        Ok(t) => t,
        Err(e) => return skip(&format!("cannot build the test image: {e}")),
    };
    let net = format!("plimsoll-blive-{pid}-net");
    docker(&[
        "network",
        "create",
        "--label",
        "plimsoll.test=1",
        "--label",
        &format!("plimsoll.test.pid={pid}"),
        &net,
    ])
    .expect("create network");

    let prefix = format!("plimsoll-blive-{pid}");
    let insecure = format!("{prefix}-insecure");
    let hardened = format!("{prefix}-hardened");
    let ignored = format!("{prefix}-ignored");
    let port = format!("0.0.0.0:{}:80", free_port());
    start(
        &insecure,
        pid,
        &[
            "--cap-add",
            "SYS_ADMIN",
            "--security-opt",
            "seccomp=unconfined",
            "-v",
            "/etc:/host-etc",
            "--pid=host",
            "-p",
            &port,
            "--restart=always",
        ],
        &tag,
        &["/usr/sbin/sshd"],
    );
    start(
        &hardened,
        pid,
        &[
            "--cap-drop",
            "ALL",
            "--security-opt",
            "no-new-privileges",
            "--read-only",
            "--user",
            "65534",
            "--memory",
            "64m",
            "--pids-limit",
            "64",
            "--cpus",
            "0.5",
            "--network",
            &net,
            "-p",
            "127.0.0.1::80",
            "--health-cmd",
            "/bin/busybox true",
            "--health-interval",
            "30s",
        ],
        &image_id,
        &[],
    );
    start(
        &ignored,
        pid,
        &[
            "--label",
            "plimsoll.bench.ignore=1",
            "--cap-add",
            "NET_ADMIN",
        ],
        &tag,
        &[],
    );
    let dir = tempdir();
    let cwd = dir.path();

    // plimsoll containers: the findings on each container.
    let run = plimsoll_in(
        cwd,
        &[
            "containers",
            "--format",
            "json",
            "--no-config",
            &insecure,
            &hardened,
        ],
    );
    assert_eq!(run.code, 1, "high findings → exit 1\n{}", run.stderr);
    let got = rules_at(&run, &insecure);
    for id in [
        "RS002", "RS004", "RS005", "RS010", "RS016", "RS019", "RS020", "RS021", "RS024", "RS025",
        "RS026", "RS029", "RS030", "RS034",
    ] {
        assert!(
            got.contains(&id.to_string()),
            "insecure: expected {id}, got {got:?}"
        );
    }
    let got = rules_at(&run, &hardened);
    assert!(got.is_empty(), "hardened: expected no finding, got {got:?}");
    let json = run.json();
    let targets: Vec<&str> = json["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["path"].as_str())
        .collect::<Vec<_>>();
    assert_eq!(targets.len(), 2, "{targets:?}");

    // --no-processes: no sshd finding (its processes were not read).
    let run = plimsoll_in(
        cwd,
        &[
            "containers",
            "--format",
            "json",
            "--no-config",
            "--no-processes",
            &insecure,
        ],
    );
    assert!(!rules_at(&run, &insecure).contains(&"RS034".to_string()));

    // A name that matches nothing, alone: nothing audited → 2; beside a real one (a typo in
    // CI): reported, the other audited and its report written, and the run fails (2), unless
    // --allow-partial lets the findings decide.
    let missing = format!("{prefix}-missing");
    let run = plimsoll_in(cwd, &["containers", "--no-config", &missing]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains(&missing), "{}", run.stderr);
    let typo = [
        "containers",
        "--format",
        "json",
        "--no-config",
        &hardened,
        &missing,
    ];
    let run = plimsoll_in(cwd, &typo);
    assert_eq!(
        run.code, 2,
        "a named container that does not exist fails the run\n{}",
        run.stderr
    );
    let json = run.json();
    assert!(json["errors"].as_array().is_some_and(|e| e.len() == 1));
    assert_eq!(json["targets"][0]["path"], format!("container:{hardened}"));
    assert_eq!(json["targets"][0]["kind"], "container");
    let mut partial = typo.to_vec();
    partial.push("--allow-partial");
    let run = plimsoll_in(cwd, &partial);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // plimsoll bench on our containers only.
    let run = plimsoll_in(
        cwd,
        &[
            "bench",
            "--format",
            "docker-bench-json",
            "--include-containers",
            &prefix,
        ],
    );
    assert_eq!(run.code, 1, "high findings → exit 1\n{}", run.stderr);
    let report = run.json();
    assert_eq!(report["dockerbenchsecurity"], "1.6.0");
    for (id, expect) in [
        ("4.1", "WARN"),
        ("5.4", "WARN"),
        ("5.6", "WARN"),
        ("5.7", "WARN"),
        ("5.11", "WARN"),
        ("5.13", "WARN"),
        ("5.14", "WARN"),
        ("5.15", "WARN"),
        ("5.16", "WARN"),
        ("5.22", "WARN"),
        ("5.26", "WARN"),
        ("5.27", "WARN"),
        ("5.29", "WARN"),
        ("5.5", "PASS"),
        ("5.10", "PASS"),
        ("5.17", "PASS"),
        ("5.21", "PASS"),
        ("5.31", "PASS"),
        ("5.32", "PASS"),
        ("5.1", "PASS"),
        ("7.1", "PASS"),
        ("4.5", "INFO"),
        ("5.9", "INFO"),
        ("4.2", "NOTE"),
    ] {
        assert_eq!(outcome(&report, id), expect, "{id}");
    }
    for id in ["4.1", "5.4", "5.6", "5.7", "5.11", "5.16", "5.22", "5.27"] {
        let it = items(&report, id);
        assert_eq!(
            it,
            vec![insecure.clone()],
            "{id}: only the insecure container"
        );
    }
    // 5.9 lists both published containers; the self-excluded one is nowhere.
    let it = items(&report, "5.9");
    assert!(it.contains(&insecure) && it.contains(&hardened), "{it:?}");
    assert!(
        !run.stdout.contains(&ignored),
        "self-excluded container reported"
    );
    // 4.6: our image has no HEALTHCHECK.
    assert_eq!(outcome(&report, "4.6"), "WARN");
    assert!(items(&report, "4.6").contains(&tag));
    // Host checks say why they were not judged, never PASS.
    let r = result(&report, "2.2").cloned().unwrap_or_default();
    assert!(r["result"] != "PASS" || r["not_checked"].is_null());
    // The score is docker-bench's formula over what is shown.
    let (mut pass, mut warn, mut counted) = (0i64, 0i64, 0usize);
    for t in report["tests"].as_array().into_iter().flatten() {
        for r in t["results"].as_array().into_iter().flatten() {
            counted += 1;
            if r["scored"] == true {
                match r["result"].as_str() {
                    Some("PASS") => pass += 1,
                    Some("WARN") => warn += 1,
                    _ => {}
                }
            }
        }
    }
    assert_eq!(report["score"], pass - warn);
    assert_eq!(report["checks"], counted);

    // --exclude-containers: the insecure one left out → the hardened passes alone.
    let run = plimsoll_in(
        cwd,
        &[
            "bench",
            "--format",
            "docker-bench-json",
            "--include-containers",
            &prefix,
            "--exclude-containers",
            "insecure",
            "--check",
            "5",
        ],
    );
    let report = run.json();
    for id in [
        "5.4", "5.5", "5.6", "5.7", "5.10", "5.11", "5.12", "5.13", "5.14", "5.16", "5.22", "5.26",
        "5.27", "5.29", "5.32",
    ] {
        assert_eq!(outcome(&report, id), "PASS", "hardened {id}");
    }
    assert!(ids(&report).iter().all(|i| i.starts_with("5.")));

    // --check and --exclude.
    let run = plimsoll_in(
        cwd,
        &[
            "bench",
            "--format",
            "docker-bench-json",
            "-i",
            &prefix,
            "--check",
            "5.4,5.10",
        ],
    );
    assert_eq!(ids(&run.json()), vec!["5.4", "5.10"]);
    let run = plimsoll_in(
        cwd,
        &[
            "bench",
            "--format",
            "docker-bench-json",
            "-i",
            &prefix,
            "--exclude",
            "2.13,5",
        ],
    );
    let got = ids(&run.json());
    assert!(!got.contains(&"2.13".to_string()) && got.contains(&"2.12".to_string()));
    assert!(!got.iter().any(|i| i.starts_with("5.")));
    let run = plimsoll_in(cwd, &["bench", "--check", "9.9"]);
    assert_eq!(run.code, 2, "unknown check id is a usage error");

    // Text and SARIF.
    let run = plimsoll_in(
        cwd,
        &[
            "bench", "-i", &prefix, "--check", "5.5,5.4", "--color", "never",
        ],
    );
    assert!(
        run.stdout
            .contains("[PASS] 5.5 - Ensure that privileged containers are not used (Automated)"),
        "{}",
        run.stdout
    );
    assert!(run
        .stdout
        .contains(&format!("[WARN]      * Capabilities added: {insecure}")));
    assert!(
        run.stdout.contains("[INFO] Checks: 2\n[INFO] Score: 0\n"),
        "{}",
        run.stdout
    );
    let run = plimsoll_in(cwd, &["bench", "--format", "sarif", "-i", &prefix]);
    assert_eq!(run.json()["version"], "2.1.0");

    bench_takes_the_shared_options(cwd, &prefix, &insecure, &hardened);

    // Faults: no engine at DOCKER_HOST → exit 2 with a hint, for both commands.
    for cmd in ["containers", "bench"] {
        let run = common::run(
            common::plimsoll(cwd)
                .arg(cmd)
                .env("DOCKER_HOST", "unix:///nonexistent/plimsoll-test.sock"),
        );
        assert_eq!(run.code, 2, "{cmd}: {}", run.stderr);
        assert!(run.stderr.contains("hint:"), "{cmd}: {}", run.stderr);
        assert!(
            run.stderr.contains("/nonexistent/plimsoll-test.sock"),
            "{}",
            run.stderr
        );
    }
    drop(guard);
}

/// `bench` takes the options every audit command takes, with the same meaning: `--format
/// json` is plimsoll's report (targets of kind container, daemon and host), `--fail-on`
/// decides the exit status, `-q` prints no report, `--config`/`--no-config` and `--baseline`
/// are read; `--format text` still means the human report.
fn bench_takes_the_shared_options(cwd: &Path, prefix: &str, insecure: &str, hardened: &str) {
    let run = plimsoll_in(
        cwd,
        &["bench", "--format", "json", "--no-config", "-i", prefix],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json = run.json();
    assert!(
        json["schema_version"].is_string(),
        "plimsoll's schema: {json}"
    );
    let kinds: Vec<(String, String)> = json["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            (
                t["path"].as_str().unwrap_or_default().to_string(),
                t["kind"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    for (path, kind) in [
        (format!("container:{insecure}"), "container"),
        (format!("container:{hardened}"), "container"),
        ("daemon".to_string(), "daemon"),
        ("host".to_string(), "host"),
    ] {
        assert!(
            kinds.contains(&(path.clone(), kind.to_string())),
            "{path} ({kind}) in {kinds:?}"
        );
    }
    assert!(rules_at(&run, insecure).contains(&"RS016".to_string()));

    // `bench --no-config -i PREFIX` and more options.
    let bench = |more: &[&str]| {
        let mut args = vec!["bench", "--no-config", "-i", prefix];
        args.extend_from_slice(more);
        plimsoll_in(cwd, &args)
    };
    let run = bench(&["--fail-on", "never", "-q"]);
    assert_eq!(run.code, 0, "--fail-on never\n{}", run.stderr);
    assert!(run.stdout.is_empty(), "-q prints no report: {}", run.stdout);

    // --baseline is read (a missing one is an error, as for every command).
    let run = bench(&["--baseline", "no-such-baseline.json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("no-such-baseline.json"),
        "{}",
        run.stderr
    );

    let cfg = cwd.join("bench-config.toml");
    std::fs::write(&cfg, "fail-on = \"never\"\n").expect("write config");
    let run = plimsoll_in(
        cwd,
        &[
            "bench",
            "--config",
            &cfg.to_string_lossy(),
            "-i",
            prefix,
            "--check",
            "5.4",
        ],
    );
    assert_eq!(run.code, 0, "the config's fail-on is read\n{}", run.stderr);

    // `text`, the old name of the human report, still works and means the same.
    let bench_5_4 =
        |format: &str| bench(&["--check", "5.4", "--color", "never", "--format", format]);
    let (human, text) = (bench_5_4("human"), bench_5_4("text"));
    assert_eq!(text.stdout, human.stdout);
    assert_eq!(text.code, human.code, "{}", text.stderr);
    assert!(text.stdout.contains("[WARN] 5.4 - "), "{}", text.stdout);
}
