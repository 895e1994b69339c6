//! The daemon and host collectors on a fixture host tree in a tempdir (the way plimsoll reads
//! a host mounted at /host inside a container): daemon.json from `--config-file` on the
//! dockerd command line found in `proc/`, /etc/group and /etc/passwd, audit rules from
//! rules.d, unit files with chosen modes, a real unix socket behind the `/var/run → /run`
//! link, registry certificates and a TLS key; `/info` from a captured answer. Then every DM/HS
//! result that these facts decide is asserted.

use std::fs;
use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};
use std::path::Path;

use plimsoll_engine::host::{self, AuditCtl, HostOptions};
use plimsoll_engine::models::SystemInfo;
use plimsoll_live::facts::{FileKind, FileRole, Origin, Probe, SeccompProfile, Sprawl};
use plimsoll_live::rules::{self, CheckResult, Status};

const FIX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/host");

fn write(root: &Path, path: &str, text: &str, mode: u32) {
    let p = root.join(path.trim_start_matches('/'));
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, text).unwrap();
    fs::set_permissions(&p, fs::Permissions::from_mode(mode)).unwrap();
}

fn fixture(name: &str) -> String {
    fs::read_to_string(Path::new(FIX).join(name)).unwrap()
}

/// Builds the host tree; returns the listener keeping the socket alive.
fn build(root: &Path) -> std::os::unix::net::UnixListener {
    write(root, "/etc/group", &fixture("group"), 0o644);
    write(root, "/etc/passwd", &fixture("passwd"), 0o644);
    // daemon.json at a non-default path, named by --config-file.
    write(
        root,
        "/srv/docker/daemon.json",
        &fixture("daemon.json"),
        0o664,
    );
    fs::create_dir_all(root.join("etc/docker")).unwrap();
    fs::set_permissions(root.join("etc/docker"), fs::Permissions::from_mode(0o755)).unwrap();
    write(root, "/etc/docker/key.pem", "KEY", 0o644);
    write(
        root,
        "/etc/docker/certs.d/reg.internal:5000/ca.crt",
        "CA",
        0o644,
    );
    write(root, "/etc/docker/certs.d/other/client.cert", "C", 0o644);
    write(
        root,
        "/etc/audit/rules.d/docker.rules",
        &fixture("docker.rules"),
        0o640,
    );
    write(
        root,
        "/etc/audit/rules.d/ignored.conf",
        "-w /usr/sbin/dockerd",
        0o640,
    );
    // 0602: ≤ 644 as a decimal (docker-bench passes it), world-writable as bits.
    write(
        root,
        "/lib/systemd/system/docker.service",
        "[Service]\n",
        0o602,
    );
    // 0600: > 444 as a decimal, fine as bits.
    write(
        root,
        "/lib/systemd/system/docker.socket",
        "[Socket]\nListenStream=/run/docker.sock\n  ListenStream=127.0.0.1:2376\nSocketGroup=docker\n",
        0o600,
    );
    write(root, "/usr/sbin/dockerd", "", 0o755);
    write(root, "/usr/bin/runc", "", 0o755);
    write(root, "/usr/bin/containerd", "", 0o755);
    write(root, "/proc/4242/comm", "dockerd\n", 0o444);
    write(
        root,
        "/proc/4242/cmdline",
        "/usr/sbin/dockerd\0-H\0fd://\0--config-file=/srv/docker/daemon.json\0--userland-proxy=false\0--containerd=/run/containerd/containerd.sock\0",
        0o444,
    );
    write(
        root,
        "/proc/4242/stat",
        "4242 (dockerd) S 1 4242 4242 0 -1 0 0 0 0 0 0 0 0 0 20 0 30 0 500 0 0",
        0o444,
    );
    write(root, "/proc/77/comm", "containerd\n", 0o444);
    write(root, "/proc/1/mountinfo", &fixture("mountinfo"), 0o444);
    fs::create_dir_all(root.join("run/containerd")).unwrap();
    fs::create_dir_all(root.join("var")).unwrap();
    symlink("/run", root.join("var/run")).unwrap();
    let l = std::os::unix::net::UnixListener::bind(root.join("run/docker.sock")).unwrap();
    fs::set_permissions(
        root.join("run/docker.sock"),
        fs::Permissions::from_mode(0o666),
    )
    .unwrap();
    l
}

fn result<'a>(all: &'a [CheckResult], cis: &str) -> &'a CheckResult {
    all.iter()
        .find(|c| c.cis == cis)
        .unwrap_or_else(|| panic!("no {cis}"))
}

fn fails(all: &[CheckResult], cis: &str) -> bool {
    let r = result(all, cis);
    r.status == Status::Fail && !r.findings.is_empty()
}

#[test]
fn fixture_host_tree() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let _sock = build(root);
    let info: SystemInfo = serde_json::from_str(&fixture("info-28.json")).unwrap();
    let opts = HostOptions {
        root: root.to_path_buf(),
        trusted_users: Some(vec!["alice".to_string()]),
        auditctl: AuditCtl::Skip,
    };
    let sprawl = Probe::Checked(Sprawl {
        images_total: 12,
        images_used: 2,
        containers_total: 31,
        containers_running: 2,
    });
    let d = host::collect_daemon_from(Ok(&info), None, sprawl, &opts);
    let h = host::collect_host(&d, &opts);

    // --- daemon facts and where each came from
    assert_eq!(d.sources.pid, Some(4242));
    assert_eq!(d.sources.exe.as_deref(), Some("/usr/sbin/dockerd"));
    assert_eq!(
        d.sources.config_file,
        Probe::Checked("/srv/docker/daemon.json".to_string())
    );
    let icc = d.icc.as_ref().unwrap();
    assert!(icc.value);
    assert_eq!(icc.origin.location().path, "/srv/docker/daemon.json");
    assert_eq!(icc.origin.location().span.map(|s| s.start.line), Some(2));
    let up = d.userland_proxy.as_ref().unwrap();
    assert!(!up.value);
    assert_eq!(
        up.origin,
        Origin::Flag {
            written: "--userland-proxy=false".into()
        }
    );
    assert_eq!(d.storage_driver.as_ref().unwrap().value, "overlay2");
    assert!(!d.storage_driver.as_ref().unwrap().origin.is_configured());
    assert_eq!(d.seccomp.as_ref().unwrap().value, SeccompProfile::Builtin);
    let insecure: Vec<&str> = d
        .insecure_registries
        .iter()
        .map(|s| s.value.as_str())
        .collect();
    assert_eq!(
        insecure,
        ["reg.internal:5000", "10.1.0.0/16"],
        "127.0.0.0/8 is built in"
    );
    let hosts: Vec<&str> = d.hosts.iter().map(|h| h.value.as_str()).collect();
    assert_eq!(
        hosts,
        [
            "fd://",
            "unix:///var/run/docker.sock",
            "tcp://0.0.0.0:2375",
            "unix:///run/docker.sock",
            "tcp://127.0.0.1:2376",
        ],
        "-H fd://, the two in daemon.json, and docker.socket's listeners"
    );
    assert_eq!(d.tls_key.as_ref().unwrap().value, "/etc/docker/key.pem");

    let dr = rules::evaluate_daemon(&d);
    assert!(fails(&dr, "2.2"), "icc true");
    assert!(fails(&dr, "2.3"), "log-level debug");
    assert!(!fails(&dr, "2.4"));
    assert_eq!(result(&dr, "2.5").findings.len(), 2);
    assert!(!fails(&dr, "2.6"));
    let tcp = &result(&dr, "2.7").findings;
    assert_eq!(tcp.len(), 2);
    assert_eq!(tcp[0].location.path, "/srv/docker/daemon.json");
    assert_eq!(tcp[0].location.span.map(|s| s.start.line), Some(3));
    // docker-bench never looks at docker.socket: a TCP ListenStream is missed there.
    assert_eq!(tcp[1].location.path, "/lib/systemd/system/docker.socket");
    assert_eq!(
        tcp[1].location.span.map(|s| (s.start.line, s.start.column)),
        Some((3, 3))
    );
    assert_eq!(
        tcp[1].evidence.as_deref(),
        Some("ListenStream=127.0.0.1:2376")
    );
    assert!(fails(&dr, "2.9"));
    assert!(fails(&dr, "2.11"), "dm.basesize");
    assert!(fails(&dr, "2.12"));
    assert!(fails(&dr, "2.13"), "json-file");
    assert!(fails(&dr, "2.14"));
    assert!(fails(&dr, "2.15"));
    assert_eq!(
        result(&dr, "2.16").status,
        Status::Pass,
        "--userland-proxy=false"
    );
    assert_eq!(
        result(&dr, "2.17").status,
        Status::Pass,
        "profile=builtin passes"
    );
    assert!(fails(&dr, "6.1") && fails(&dr, "6.2"));

    // --- host facts
    let data = h.data_root.checked().expect("data root");
    assert_eq!(data.mount_point, "/");
    let g = h.docker_group.checked().expect("docker group");
    let members: Vec<(&str, bool)> = g
        .members
        .iter()
        .map(|m| (m.user.as_str(), m.listed))
        .collect();
    assert_eq!(members, [("alice", true), ("bob", true), ("svc", false)]);
    let audit = h.audit_rules.checked().expect("audit rules");
    assert_eq!(
        audit.rules.len(),
        2,
        "comments and non-.rules files ignored"
    );
    let target = |cis: &str| h.audit_targets.iter().find(|t| t.cis == cis).unwrap();
    assert_eq!(
        target("1.1.3").path,
        "/usr/sbin/dockerd",
        "the running dockerd's path"
    );
    assert_eq!(target("1.1.11").path, "/srv/docker/daemon.json");
    assert_eq!(target("1.1.7").path, "/lib/systemd/system/docker.service");
    let service = h.files_of(FileRole::DockerService).next().unwrap();
    assert_eq!(service.stat.checked().unwrap().mode, 0o602);
    let sock = h.files_of(FileRole::DockerSock).collect::<Vec<_>>();
    assert_eq!(
        sock.len(),
        1,
        "unix:///var/run/docker.sock and the default are one file"
    );
    assert_eq!(sock[0].stat.checked().unwrap().kind, FileKind::Socket);
    assert_eq!(h.files_of(FileRole::RegistryCert).count(), 1, "only *.crt");

    let hr = rules::evaluate_host(&h);
    assert!(fails(&hr, "1.1.1"));
    let grp = &result(&hr, "1.1.2").findings;
    assert_eq!(grp.len(), 2, "bob and svc are not trusted: {grp:?}");
    assert!(
        fails(&hr, "1.1.3"),
        "only a commented rule for /usr/sbin/dockerd"
    );
    assert_eq!(result(&hr, "1.1.6").status, Status::Pass);
    assert_eq!(
        result(&hr, "1.1.11").status,
        Status::Fail,
        "/srv/docker is not watched"
    );
    assert_eq!(result(&hr, "1.1.18").status, Status::Pass);
    // HS003 reports one finding for every unwatched path (on the first failing item); each
    // item still fails on its own for `bench`.
    assert_eq!(result(&hr, "1.1.14").status, Status::Fail);
    let audit_findings: Vec<_> = hr
        .iter()
        .flat_map(|c| &c.findings)
        .filter(|f| f.rule_id == "HS003")
        .collect();
    assert_eq!(audit_findings.len(), 1, "{audit_findings:?}");
    assert!(matches!(
        result(&hr, "1.1.13").status,
        Status::NotApplicable(_)
    ));
    assert!(fails(&hr, "3.2"), "0602 is world-writable");
    assert_eq!(
        result(&hr, "3.4").status,
        Status::Pass,
        "0600 is stricter than 0644"
    );
    assert!(fails(&hr, "3.8"), "registry cert 0644 > 0444");
    assert!(fails(&hr, "3.14"), "key 0644");
    assert!(fails(&hr, "3.16"), "socket 0666");
    assert!(fails(&hr, "3.18"), "daemon.json 0664 is group-writable");
    assert!(
        matches!(result(&hr, "3.10").status, Status::NotApplicable(_)),
        "no tlscacert"
    );
    assert!(matches!(
        result(&hr, "3.24").status,
        Status::NotApplicable(_)
    ));

    // Owners: the test tree belongs to whoever runs the test.
    let me = fs::metadata(root).unwrap().uid();
    if me == 0 {
        assert_eq!(result(&hr, "3.1").status, Status::Pass);
        assert_eq!(result(&hr, "3.17").status, Status::Pass);
    } else {
        assert!(fails(&hr, "3.1"));
        assert!(fails(&hr, "3.17"));
    }
    assert!(
        rules::not_checked(&d, &h).is_empty(),
        "{:?}",
        rules::not_checked(&d, &h)
    );
}

#[test]
fn unreadable_is_not_checked_never_a_pass() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let _sock = build(root);
    // No dockerd visible (another PID namespace) and no engine.
    fs::remove_dir_all(root.join("proc/4242")).unwrap();
    let opts = HostOptions {
        root: root.to_path_buf(),
        trusted_users: None,
        auditctl: AuditCtl::Given(Err("You must be root to run this program.".into())),
    };
    let (d, h) = host::collect(None, &opts);
    assert!(d
        .sources
        .cmdline
        .not_checked()
        .unwrap()
        .contains("no dockerd"));
    let nc = rules::not_checked(&d, &h);
    let ids: Vec<&str> = nc.iter().map(|(_, cis, _)| *cis).collect();
    for cis in ["2.2", "2.6", "2.13", "2.14", "2.15", "2.17", "1.1.1", "6.1"] {
        assert!(ids.contains(&cis), "{cis} should be not checked: {ids:?}");
    }
    let dr = rules::evaluate_daemon(&d);
    assert!(rules::audit_daemon(&d).iter().all(|f| f.rule_id != "DM001"));
    assert!(matches!(result(&dr, "2.2").status, Status::NotChecked(_)));

    // Files that cannot be read are not checked (only observable when not root: root reads
    // everything).
    if fs::metadata(root).unwrap().uid() != 0 {
        fs::set_permissions(
            root.join("etc/audit/rules.d"),
            fs::Permissions::from_mode(0o000),
        )
        .unwrap();
        let h = host::collect_host(&d, &opts);
        assert!(h.audit_rules.not_checked().is_some());
        fs::set_permissions(
            root.join("etc/audit/rules.d"),
            fs::Permissions::from_mode(0o755),
        )
        .unwrap();
    }
}
