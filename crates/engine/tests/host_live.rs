//! The daemon and host collectors against this machine's engine: real DaemonFacts and
//! HostFacts, checked against what `docker info` says and what the host's files say.
//!
//! Without a reachable engine (or the docker CLI) the test is skipped with a loud message;
//! with `PLIMSOLL_REQUIRE_DOCKER=1` it fails instead. It creates nothing.

use std::io::Write;
use std::process::Command;

use plimsoll_engine::host::{self, HostOptions};
use plimsoll_engine::{Engine, EngineConfig};
use plimsoll_live::facts::{FileRole, Probe, SeccompProfile};
use plimsoll_live::rules::{self, Status};

fn skip(why: &str) {
    if std::env::var("PLIMSOLL_REQUIRE_DOCKER").as_deref() == Ok("1") {
        panic!("PLIMSOLL_REQUIRE_DOCKER=1 but {why}");
    }
    let _ = writeln!(
        std::io::stderr(),
        "\n**************************************************************\n\
         *** SKIPPED host_live: {why}\n\
         *** (set PLIMSOLL_REQUIRE_DOCKER=1 to make this a failure)\n\
         **************************************************************\n"
    );
}

fn docker_info() -> Result<serde_json::Value, String> {
    let out = Command::new("docker")
        .args(["info", "--format", "{{json .}}"])
        .output()
        .map_err(|e| format!("docker info: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "docker info: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("docker info output: {e}"))
}

#[test]
fn live_daemon_and_host_facts() {
    let cfg = EngineConfig::from_env(|k| std::env::var(k).ok());
    let engine = match Engine::connect(&cfg) {
        Ok(e) => e,
        Err(e) => return skip(&format!("no engine: {e}")),
    };
    let want = match docker_info() {
        Ok(v) => v,
        Err(e) => return skip(&e),
    };
    let s = |k: &str| want.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let started = std::time::Instant::now();
    let (d, h) = host::collect(Some(&engine), &HostOptions::default());
    let took = started.elapsed();
    assert!(took.as_secs() < 10, "collection took {took:?}");

    assert_eq!(d.sources.info, Probe::Checked(()));
    assert_eq!(
        d.storage_driver.as_ref().map(|x| x.value.clone()),
        s("Driver")
    );
    assert_eq!(
        d.logging_driver.as_ref().map(|x| x.value.clone()),
        s("LoggingDriver")
    );
    assert_eq!(d.cgroup_driver, s("CgroupDriver"));
    assert_eq!(d.cgroup_version, s("CgroupVersion"));
    assert_eq!(d.docker_root_dir, s("DockerRootDir"));
    assert_eq!(d.server_version, s("ServerVersion"));
    let opts: Vec<String> = want
        .get("SecurityOptions")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(d.security_options, opts);
    let seccomp = d.seccomp.as_ref().map(|x| x.value.clone());
    if opts.iter().any(|o| {
        o.contains("name=seccomp")
            && (o.contains("profile=default") || o.contains("profile=builtin"))
    }) {
        assert_eq!(seccomp, Some(SeccompProfile::Builtin));
        assert_eq!(
            rules::evaluate_daemon(&d)
                .iter()
                .find(|c| c.cis == "2.17")
                .map(|c| c.status.clone()),
            Some(Status::Pass)
        );
    }
    assert_eq!(
        d.rootless.as_ref().map(|x| x.value),
        Some(opts.iter().any(|o| o.contains("name=rootless")))
    );
    let live = want.get("LiveRestoreEnabled").and_then(|v| v.as_bool());
    assert_eq!(d.live_restore.as_ref().map(|x| x.value), live);
    // The built-in loopback range is never reported.
    assert!(d
        .insecure_registries
        .iter()
        .all(|r| r.value != "127.0.0.0/8"));
    match &d.sprawl {
        Probe::Checked(sp) => {
            let containers = want.get("Containers").and_then(|v| v.as_u64()).unwrap_or(0);
            // Containers may come and go between the two calls (other tests run).
            assert!(
                sp.containers_total.abs_diff(containers) <= 50,
                "{sp:?} vs {containers}"
            );
            assert!(sp.images_used <= sp.images_total);
        }
        other => panic!("sprawl: {other:?}"),
    }

    // The dockerd command line and daemon.json, when this process can see them.
    if let Probe::Checked(args) = &d.sources.cmdline {
        eprintln!(
            "dockerd {:?} (pid {:?}): {args:?}",
            d.sources.exe, d.sources.pid
        );
        let target = h.audit_targets.iter().find(|t| t.cis == "1.1.3").unwrap();
        assert_eq!(
            Some(target.path.as_str()),
            d.sources
                .exe
                .as_deref()
                .filter(|e| e.starts_with('/'))
                .or(Some(target.path.as_str()))
        );
    }
    if std::path::Path::new("/etc/docker/daemon.json").is_file()
        && d.sources
            .cmdline
            .checked()
            .is_some_and(|a| !a.iter().any(|x| x.contains("config-file")))
    {
        assert_eq!(
            d.sources.config_file,
            Probe::Checked("/etc/docker/daemon.json".to_string())
        );
    }

    // Host facts: the socket we are talking through (default socket only).
    if cfg.host.is_none() {
        let sock = h
            .files_of(FileRole::DockerSock)
            .find(|f| f.path == "/var/run/docker.sock")
            .expect("docker.sock entry");
        let meta = std::fs::metadata("/var/run/docker.sock").unwrap();
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let st = sock.stat.checked().expect("socket stat");
        assert_eq!(st.uid, meta.uid());
        assert_eq!(st.mode, meta.permissions().mode() & 0o7777);
    }
    assert!(
        matches!(h.data_root, Probe::Checked(_)),
        "{:?}",
        h.data_root
    );
    let root_uid = std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m))
        .unwrap_or(1);
    if root_uid == 0 {
        assert!(matches!(h.docker_group, Probe::Checked(_) | Probe::Missing));
    }

    // Every CIS id of sections 1, 2, 3 and 6 has a result, and the findings render.
    let all: Vec<_> = rules::evaluate_daemon(&d)
        .into_iter()
        .chain(rules::evaluate_host(&h))
        .collect();
    for id in [
        "1.1.1", "1.1.2", "1.1.3", "1.1.18", "2.1", "2.2", "2.18", "3.1", "3.24", "5.1", "6.1",
        "6.2",
    ] {
        assert!(all.iter().any(|c| c.cis == id), "no result for {id}");
    }
    for c in &all {
        let status = match &c.status {
            Status::Pass => "PASS".to_string(),
            Status::Fail => "WARN".to_string(),
            Status::NotApplicable(w) => format!("INFO ({w})"),
            Status::NotChecked(w) => format!("NOT CHECKED ({w})"),
        };
        eprintln!("{:7} {} {status}", c.cis, c.rule.id);
        for f in &c.findings {
            eprintln!("        {} {}: {}", f.severity, f.location.path, f.message);
        }
    }
}

/// The host collector on this machine without any engine connection, as whoever runs the
/// test (run it as a non-root user to see the "not checked" paths): whatever cannot be read
/// must be reported as not checked, never judged.
#[test]
fn live_host_without_engine() {
    let (d, h) = host::collect(None, &HostOptions::default());
    assert!(d.sources.info.not_checked().is_some());
    let daemon_json = std::path::Path::new("/etc/docker/daemon.json");
    let results = rules::evaluate_daemon(&d);
    let status = |cis: &str| {
        results
            .iter()
            .find(|c| c.cis == cis)
            .map(|c| c.status.clone())
            .unwrap()
    };
    // No /info: what only /info tells is not checked; what daemon.json or the command line
    // sets explicitly is judged from there (dockerd runs with what it is configured with).
    for cis in ["2.17", "2.1", "5.1", "6.1", "6.2"] {
        assert!(matches!(status(cis), Status::NotChecked(_)), "{cis}");
    }
    for (cis, configured) in [
        ("2.6", d.storage_driver.is_some()),
        ("2.13", d.logging_driver.is_some()),
        ("2.15", d.live_restore.is_some()),
        ("2.18", d.experimental.is_some()),
    ] {
        assert_eq!(
            matches!(status(cis), Status::NotChecked(_)),
            !configured,
            "{cis}"
        );
    }
    if std::fs::read(daemon_json).is_err() && daemon_json.exists() {
        assert!(d.sources.config_file.not_checked().is_some());
        assert!(matches!(status("2.2"), Status::NotChecked(_)));
    }
    // A section-3 file this process cannot stat is not checked.
    for f in &h.files {
        let readable = std::fs::metadata(&f.path).is_ok();
        match &f.stat {
            Probe::Checked(_) => assert!(readable, "{}", f.path),
            Probe::NotChecked(_) => assert!(!readable, "{}", f.path),
            Probe::Missing => {}
        }
    }
    for (rule, cis, why) in rules::not_checked(&d, &h) {
        eprintln!("not checked: {cis} ({rule}): {why}");
    }
}
