//! Integration tests on the real engine (issue 4 "The bar"): one tiny image built locally
//! (`FROM scratch` + Debian's static busybox), one container per insecure setting the engine
//! allows plus one fully hardened container, all started concurrently; each mapped RunSpec
//! field is asserted, each expected RS finding, and the absence of every RS finding on the
//! hardened container.
//!
//! Everything created is labelled `plimsoll.test=1` (+ `plimsoll.test.suite=engine-live`) and
//! named after this process id; a guard removes it when the test ends, pass or fail, and
//! leftovers of dead runs are removed at start.
//!
//! Without a reachable engine (or the docker CLI, or /bin/busybox) the test is skipped with a
//! loud message; with `PLIMSOLL_REQUIRE_DOCKER=1` it fails instead.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::Instant;

use plimsoll_core::config::ImagePolicy;
use plimsoll_engine::{Collected, ContainerQuery, Engine, EngineConfig};
use plimsoll_runspec::rules::{audit, metas, Context};
use plimsoll_runspec::{
    Healthcheck, MountKind, NamespaceMode, NetworkMode, PortRange, RestartPolicy, RunSpec,
    SecurityOpt,
};
use plimsoll_testkit::docker::{self as testkit, docker, skip_or_fail, Guard, BUSYBOX};

const SUITE: &str = "engine-live";

fn skip(why: &str) {
    skip_or_fail("engine_live", why);
}

fn image_tag(pid: u32) -> String {
    format!("plimsoll-engine-test:live-{pid}")
}

fn remove_run(pid: u32) {
    testkit::remove_run(pid, &[image_tag(pid)]);
}

/// Leftovers of earlier runs whose process is gone (a killed test cannot clean up).
fn remove_leftovers() {
    let suite = format!("label=plimsoll.test.suite={SUITE}");
    let mut pids: Vec<u32> = Vec::new();
    for args in [
        vec!["ps", "-a", "--filter", &suite, "--format", "{{.Names}}"],
        vec!["network", "ls", "--filter", &suite, "--format", "{{.Name}}"],
    ] {
        for name in docker(&args).unwrap_or_default().lines() {
            if let Some(pid) = name
                .strip_prefix("plimsoll-live-")
                .and_then(|r| r.split('-').next())
                .and_then(|p| p.parse().ok())
            {
                pids.push(pid);
            }
        }
    }
    for tag in docker(&["images", "--filter", &suite, "--format", "{{.Tag}}"])
        .unwrap_or_default()
        .lines()
    {
        if let Some(pid) = tag.strip_prefix("live-").and_then(|p| p.parse().ok()) {
            pids.push(pid);
        }
    }
    pids.sort();
    pids.dedup();
    for pid in pids {
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            eprintln!("engine_live: removing leftovers of run {pid}");
            remove_run(pid);
        }
    }
}

/// One container to start: its case name, its `docker run` flags.
struct Case {
    key: &'static str,
    flags: Vec<String>,
    /// The engine may refuse to *start* it here (privileged in a sandbox without every
    /// capability): it is still created, and audited as a created container.
    may_not_start: bool,
}

struct Live {
    engine: Engine,
    image_id: String,
    network: String,
    port: u16,
    apparmor: bool,
    specs: BTreeMap<&'static str, RunSpec>,
    scan: Collected,
}

impl Live {
    fn spec(&self, key: &str) -> &RunSpec {
        self.specs
            .get(key)
            .unwrap_or_else(|| panic!("no container for case {key}"))
    }
}

fn free_port() -> u16 {
    // A port the kernel says is free now, never a fixed one: another job's engine tests on the
    // same daemon may hold a fixed port ("port is already allocated").
    std::net::TcpListener::bind("0.0.0.0:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(18080)
}

fn build_image(pid: u32) -> Result<String, String> {
    let ctx = tempfile::tempdir().map_err(|e| e.to_string())?;
    std::fs::copy(BUSYBOX, ctx.path().join("busybox")).map_err(|e| e.to_string())?;
    std::fs::write(
        ctx.path().join("Dockerfile"),
        // /bin/sh too: `--health-cmd` runs through `/bin/sh -c`.
        "FROM scratch\nCOPY busybox /bin/busybox\nCOPY busybox /bin/sh\nCMD [\"/bin/busybox\", \"sleep\", \"3600\"]\n",
    )
    .map_err(|e| e.to_string())?;
    let tag = image_tag(pid);
    let dir = ctx.path().to_string_lossy().to_string();
    docker(&[
        "build",
        "-q",
        "--label",
        "plimsoll.test=1",
        "--label",
        &format!("plimsoll.test.suite={SUITE}"),
        "--label",
        &format!("plimsoll.test.pid={pid}"),
        "-t",
        &tag,
        &dir,
    ])?;
    docker(&["image", "inspect", "--format", "{{.Id}}", &tag])
}

fn setup() -> Option<(Live, Guard)> {
    let cfg = EngineConfig::from_env(|k| std::env::var(k).ok());
    let engine = match Engine::connect(&cfg) {
        Ok(e) => e,
        Err(e) => {
            skip(&format!(
                "no Docker engine reachable: {e} (hint: {})",
                e.hint().unwrap_or_default()
            ));
            return None;
        }
    };
    if let Err(e) = docker(&["version", "--format", "{{.Server.Version}}"]) {
        skip(&format!("the docker CLI does not work: {e}"));
        return None;
    }
    if !Path::new(BUSYBOX).is_file() {
        skip("/bin/busybox is missing (apt-get install busybox-static)");
        return None;
    }
    let started = Instant::now();
    remove_leftovers();
    let pid = std::process::id();
    let guard = Guard {
        pid,
        images: vec![image_tag(pid)],
    };
    let info = engine.info().expect("info");
    let apparmor = info
        .security_options
        .iter()
        .flatten()
        .any(|o| o == "name=apparmor");
    let image_id = build_image(pid).expect("build the test image");
    let tag = image_tag(pid);
    let network = format!("plimsoll-live-{pid}-net");
    docker(&[
        "network",
        "create",
        "--label",
        "plimsoll.test=1",
        "--label",
        &format!("plimsoll.test.suite={SUITE}"),
        "--label",
        &format!("plimsoll.test.pid={pid}"),
        &network,
    ])
    .expect("create the test network");
    let port = free_port();

    let f = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let mut cases = vec![
        Case {
            key: "privileged",
            flags: f(&["--privileged"]),
            may_not_start: true,
        },
        Case {
            key: "cap-sys-admin",
            flags: f(&["--cap-add", "SYS_ADMIN"]),
            may_not_start: false,
        },
        Case {
            key: "cap-net-admin",
            flags: f(&["--cap-add", "NET_ADMIN"]),
            may_not_start: false,
        },
        Case {
            key: "seccomp",
            flags: f(&["--security-opt", "seccomp=unconfined"]),
            may_not_start: false,
        },
        Case {
            key: "etc-rw",
            flags: f(&["-v", "/etc:/host-etc"]),
            may_not_start: false,
        },
        Case {
            key: "pid-host",
            flags: f(&["--pid=host"]),
            may_not_start: false,
        },
        Case {
            key: "net-host",
            flags: f(&["--network=host"]),
            may_not_start: false,
        },
        Case {
            key: "ipc-host",
            flags: f(&["--ipc=host"]),
            may_not_start: false,
        },
        Case {
            key: "port-all",
            flags: vec!["-p".into(), format!("0.0.0.0:{port}:80")],
            may_not_start: false,
        },
        Case {
            key: "restart-always",
            flags: f(&["--restart=always"]),
            may_not_start: false,
        },
        // No limits, writable root fs, root, no no-new-privileges, default bridge.
        Case {
            key: "defaults",
            flags: vec![],
            may_not_start: false,
        },
        Case {
            key: "hardened",
            flags: vec![
                "--cap-drop".into(),
                "ALL".into(),
                "--security-opt".into(),
                "no-new-privileges".into(),
                "--read-only".into(),
                "--user".into(),
                "65534".into(),
                "--memory".into(),
                "64m".into(),
                "--pids-limit".into(),
                "64".into(),
                "--cpus".into(),
                "0.5".into(),
                "--network".into(),
                network.clone(),
                "-p".into(),
                "127.0.0.1::80".into(),
                "--health-cmd".into(),
                "/bin/busybox true".into(),
                "--health-interval".into(),
                "30s".into(),
            ],
            may_not_start: false,
        },
    ];
    // The socket is bind-mounted only where it is a socket (else docker would create a
    // directory in its place).
    let sock = Path::new("/var/run/docker.sock");
    if std::os::unix::fs::FileTypeExt::is_socket(
        &std::fs::metadata(sock)
            .map(|m| m.file_type())
            .expect("stat /var/run/docker.sock"),
    ) {
        cases.push(Case {
            key: "docker-sock",
            flags: f(&["-v", "/var/run/docker.sock:/var/run/docker.sock"]),
            may_not_start: false,
        });
    }
    if apparmor {
        cases.push(Case {
            key: "apparmor",
            flags: f(&["--security-opt", "apparmor=unconfined"]),
            may_not_start: false,
        });
    } else {
        eprintln!("engine_live: no AppArmor on this engine: apparmor=unconfined not tested");
    }

    // Start them all at once.
    let handles: Vec<_> = cases
        .into_iter()
        .map(|case| {
            let name = format!("plimsoll-live-{pid}-{}", case.key);
            // The hardened container runs its image by content id: pinned.
            let image = if case.key == "hardened" {
                image_id.clone()
            } else {
                tag.clone()
            };
            std::thread::spawn(move || {
                let mut args: Vec<String> = vec![
                    "create".into(),
                    "--name".into(),
                    name.clone(),
                    "--label".into(),
                    "plimsoll.test=1".into(),
                    "--label".into(),
                    format!("plimsoll.test.suite={SUITE}"),
                    "--label".into(),
                    format!("plimsoll.test.pid={pid}"),
                ];
                args.extend(case.flags);
                args.push(image);
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                docker(&args)?;
                match docker(&["start", &name]) {
                    Ok(_) => {}
                    Err(e) if case.may_not_start => {
                        eprintln!(
                            "engine_live: {} was created but not started here: {e}",
                            case.key
                        )
                    }
                    Err(e) => return Err(e),
                }
                Ok::<&'static str, String>(case.key)
            })
        })
        .collect();
    let mut keys = Vec::new();
    for h in handles {
        keys.push(
            h.join()
                .expect("starter thread")
                .expect("start a test container"),
        );
    }
    let names: Vec<String> = keys
        .iter()
        .map(|k| format!("plimsoll-live-{pid}-{k}"))
        .collect();
    let setup_time = started.elapsed();

    let t = Instant::now();
    let scan = engine
        .containers(&ContainerQuery {
            names: names.clone(),
            ..Default::default()
        })
        .expect("scan the test containers");
    eprintln!(
        "engine_live: setup (image build, network, {} containers) {:?}; scan {:?}",
        names.len(),
        setup_time,
        t.elapsed()
    );
    let mut specs = BTreeMap::new();
    for rec in &scan.containers {
        let key = keys
            .iter()
            .find(|k| rec.spec.name == format!("plimsoll-live-{pid}-{k}"))
            .copied()
            .expect("a scanned container is one of ours");
        specs.insert(key, rec.spec.clone());
    }
    let live = Live {
        engine,
        image_id,
        network,
        port,
        apparmor,
        specs,
        scan,
    };
    Some((live, guard))
}

// ---------------------------------------------------------------------------------------
// Findings

fn registered(id: &str) -> bool {
    metas().iter().any(|m| m.id == id)
}

fn finding_ids(spec: &RunSpec) -> Vec<&'static str> {
    let policy = ImagePolicy::default();
    let mut ids: Vec<&'static str> = audit(spec, &Context::new(&policy))
        .iter()
        .map(|f| f.rule_id)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// `key` must raise each of `expected` (the rules registered so far).
fn assert_findings(live: &Live, key: &str, expected: &[&str]) {
    let spec = live.spec(key);
    let got = finding_ids(spec);
    for id in expected {
        if !registered(id) {
            eprintln!("engine_live: rule {id} is not registered yet: not checked on {key}");
            continue;
        }
        assert!(got.contains(id), "{key}: expected {id}, got {got:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Checks, one per case

fn check_scan(live: &Live) {
    assert!(live.scan.failed.is_empty(), "{:?}", live.scan.failed);
    assert!(live.scan.gone.is_empty(), "{:?}", live.scan.gone);
    assert!(live.scan.info.is_some());
    assert_eq!(live.scan.containers.len(), live.specs.len());
    for rec in &live.scan.containers {
        assert_eq!(
            rec.spec.anchor.location.path,
            format!("container:{}", rec.spec.name)
        );
        assert!(rec.image.is_some(), "{}: image inspected", rec.spec.name);
    }
    live.engine.ping().expect("ping");
    let v = live.engine.version().expect("version");
    assert!(v.api_version.is_some());
}

fn check_listing(live: &Live) {
    // The default listing (running only) finds every running test container.
    let scan = live
        .engine
        .containers(&ContainerQuery::default())
        .expect("list running containers");
    for (key, spec) in &live.specs {
        let running = spec.state.as_ref().map(|s| s.status.as_str()) == Some("running");
        let listed = scan.containers.iter().any(|c| c.spec.name == spec.name);
        assert_eq!(listed, running, "{key}: listed {listed}, running {running}");
    }
    // `all` lists the created-only ones too.
    let all = live
        .engine
        .containers(&ContainerQuery {
            all: true,
            skip_top: true,
            ..Default::default()
        })
        .expect("list all containers");
    for spec in live.specs.values() {
        assert!(all.containers.iter().any(|c| c.spec.name == spec.name));
    }
}

fn check_images_and_networks(live: &Live) {
    let images = live.engine.images().expect("images");
    let ours = images
        .images
        .iter()
        .find(|i| i.summary.id == live.image_id)
        .expect("the test image is listed");
    let labels = ours
        .inspect
        .config
        .as_ref()
        .and_then(|c| c.labels.clone())
        .unwrap_or_default();
    assert_eq!(labels.get("plimsoll.test").map(String::as_str), Some("1"));
    let nets = live.engine.networks().expect("networks");
    assert!(nets
        .iter()
        .any(|n| n.name.as_deref() == Some(live.network.as_str())));
    assert!(nets.iter().any(|n| n.name.as_deref() == Some("bridge")));
}

fn check_privileged(live: &Live) {
    let s = live.spec("privileged");
    assert_eq!(
        s.privileged
            .as_ref()
            .map(|p| (p.value, p.origin.written.as_str())),
        Some((true, "HostConfig.Privileged=true"))
    );
    assert!(
        !s.security_opt
            .iter()
            .any(|o| matches!(o.value, SecurityOpt::Label(_))),
        "the engine's implied label=disable is not a setting"
    );
    assert_findings(live, "privileged", &["RS001"]);
}

fn check_caps(live: &Live) {
    for (key, cap) in [
        ("cap-sys-admin", "SYS_ADMIN"),
        ("cap-net-admin", "NET_ADMIN"),
    ] {
        let s = live.spec(key);
        let added: Vec<&str> = s.cap_add.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(added, vec![cap], "{key}");
        assert!(s.cap_add[0]
            .origin
            .written
            .starts_with("HostConfig.CapAdd=["));
        assert_findings(live, key, &["RS002"]);
    }
}

fn check_seccomp(live: &Live) {
    let s = live.spec("seccomp");
    let opts: Vec<&SecurityOpt> = s.security_opt.iter().map(|o| &o.value).collect();
    assert_eq!(opts, vec![&SecurityOpt::Seccomp("unconfined".into())]);
    assert_eq!(
        s.security_opt[0].origin.written,
        "HostConfig.SecurityOpt=[seccomp=unconfined]"
    );
    assert_findings(live, "seccomp", &["RS005"]);
}

fn check_apparmor(live: &Live) {
    if !live.apparmor {
        return;
    }
    let s = live.spec("apparmor");
    assert!(s
        .security_opt
        .iter()
        .any(|o| o.value == SecurityOpt::AppArmor("unconfined".into())));
    let st = s.state.as_ref().expect("state");
    assert_eq!(
        st.apparmor_profile.as_ref().map(|p| p.value.as_str()),
        Some("unconfined")
    );
    assert_findings(live, "apparmor", &["RS006"]);
    // The others run under the engine's default profile.
    let d = live.spec("defaults").state.as_ref().expect("state");
    assert_eq!(
        d.apparmor_profile.as_ref().map(|p| p.value.as_str()),
        Some("docker-default")
    );
}

fn bind<'a>(s: &'a RunSpec, source: &str) -> &'a plimsoll_runspec::Mount {
    &s.mounts
        .iter()
        .find(|m| m.value.kind == MountKind::Bind && m.value.source.as_deref() == Some(source))
        .unwrap_or_else(|| panic!("{}: no bind of {source}: {:?}", s.name, s.mounts))
        .value
}

fn check_mounts(live: &Live) {
    if live.specs.contains_key("docker-sock") {
        let m = bind(live.spec("docker-sock"), "/var/run/docker.sock");
        assert_eq!(m.target, "/var/run/docker.sock");
        assert!(!m.read_only);
        assert_findings(live, "docker-sock", &["RS015"]);
    }
    let m = bind(live.spec("etc-rw"), "/etc");
    assert_eq!(m.target, "/host-etc");
    assert!(!m.read_only);
    assert_eq!(m.propagation.as_deref(), Some("rprivate"));
    assert_findings(live, "etc-rw", &["RS016"]);
}

fn check_namespaces(live: &Live) {
    let pid = live.spec("pid-host");
    assert_eq!(
        pid.pid.as_ref().map(|p| &p.value),
        Some(&NamespaceMode::Host)
    );
    assert!(pid.security_opt.is_empty(), "{:?}", pid.security_opt);
    assert_findings(live, "pid-host", &["RS010"]);

    let ipc = live.spec("ipc-host");
    assert_eq!(
        ipc.ipc.as_ref().map(|p| &p.value),
        Some(&NamespaceMode::Host)
    );
    assert_findings(live, "ipc-host", &["RS011"]);

    let net = live.spec("net-host");
    assert_eq!(
        net.network_mode
            .as_ref()
            .map(|n| (&n.value, n.origin.written.as_str())),
        Some((&NetworkMode::Host, "HostConfig.NetworkMode=host"))
    );
    let nets: Vec<&str> = net
        .state
        .as_ref()
        .map(|s| s.networks.iter().map(|n| n.value.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(nets, vec!["host"]);
    assert_findings(live, "net-host", &["RS009"]);
}

fn check_ports(live: &Live) {
    let s = live.spec("port-all");
    assert_eq!(s.ports.len(), 1, "{:?}", s.ports);
    let p = &s.ports[0].value;
    assert_eq!(p.host_ip.as_deref(), Some("0.0.0.0"));
    assert_eq!(
        p.host_port,
        Some(PortRange {
            start: live.port,
            end: live.port
        })
    );
    assert_eq!(p.container_port, PortRange { start: 80, end: 80 });
    assert_eq!(p.protocol, "tcp");
    assert_findings(live, "port-all", &["RS026"]);
}

fn check_restart(live: &Live) {
    let s = live.spec("restart-always");
    assert_eq!(
        s.restart.as_ref().map(|r| &r.value),
        Some(&RestartPolicy::Always)
    );
    assert_findings(live, "restart-always", &["RS029"]);
}

fn check_defaults(live: &Live) {
    let s = live.spec("defaults");
    assert_eq!(s.memory, None);
    assert_eq!(s.pids_limit, None);
    assert_eq!(s.cpus, None);
    assert_eq!(s.cpu_shares, None);
    assert_eq!(s.cpu_quota, None);
    assert_eq!(s.read_only, None);
    assert_eq!(s.user, None);
    assert_eq!(s.privileged, None);
    assert!(s.cap_add.is_empty() && s.cap_drop.is_empty() && s.security_opt.is_empty());
    assert_eq!(
        s.network_mode.as_ref().map(|n| &n.value),
        Some(&NetworkMode::Bridge)
    );
    assert_eq!(s.healthcheck, None);
    assert_eq!(
        s.restart.as_ref().map(|r| &r.value),
        Some(&RestartPolicy::No)
    );
    let facts = s.image_facts.as_ref().expect("image facts");
    assert_eq!(facts.user.as_ref().map(|u| u.value.as_str()), Some(""));
    assert_eq!(facts.healthcheck.as_ref().map(|h| h.value), Some(false));
    let st = s.state.as_ref().expect("state");
    assert_eq!(st.status, "running");
    assert_eq!(st.oom_killed.as_ref().map(|o| o.value), Some(false));
    assert_eq!(st.restart_count.as_ref().map(|o| o.value), Some(0));
    let nets: Vec<&str> = st.networks.iter().map(|n| n.value.as_str()).collect();
    assert_eq!(nets, vec!["bridge"]);
    assert!(
        st.processes
            .iter()
            .any(|p| p.value == "/bin/busybox sleep 3600"),
        "{:?}",
        st.processes
    );
    assert!(st.repo_digests.is_empty());
    assert_findings(
        live,
        "defaults",
        &[
            "RS003", "RS004", "RS019", "RS020", "RS021", "RS024", "RS025", "RS028", "RS030",
            "RS033",
        ],
    );
}

fn check_hardened(live: &Live) {
    let s = live.spec("hardened");
    let drops: Vec<&str> = s.cap_drop.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(drops, vec!["ALL"]);
    assert!(s.cap_add.is_empty());
    let opts: Vec<&SecurityOpt> = s.security_opt.iter().map(|o| &o.value).collect();
    assert_eq!(opts, vec![&SecurityOpt::NoNewPrivileges(true)]);
    assert_eq!(s.read_only.as_ref().map(|r| r.value), Some(true));
    assert_eq!(s.user.as_ref().map(|u| u.value.as_str()), Some("65534"));
    assert_eq!(s.memory.as_ref().map(|m| m.value), Some(64 * 1024 * 1024));
    assert_eq!(s.pids_limit.as_ref().map(|p| p.value), Some(64));
    assert_eq!(s.cpus.as_ref().map(|c| c.value), Some(0.5));
    assert_eq!(
        s.network_mode.as_ref().map(|n| &n.value),
        Some(&NetworkMode::Named(live.network.clone()))
    );
    assert_eq!(s.ports.len(), 1);
    assert_eq!(s.ports[0].value.host_ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(s.ports[0].value.host_port, None, "ephemeral host port");
    assert!(matches!(
        s.healthcheck.as_ref().map(|h| &h.value),
        Some(Healthcheck::Check { test: Some(t), .. }) if t.first().map(String::as_str) == Some("CMD-SHELL")
    ));
    assert_eq!(
        s.image.as_ref().map(|i| i.value.as_str()),
        Some(live.image_id.as_str())
    );
    let st = s.state.as_ref().expect("state");
    let nets: Vec<&str> = st.networks.iter().map(|n| n.value.as_str()).collect();
    assert_eq!(nets, vec![live.network.as_str()]);
    assert!(s.mounts.is_empty() && s.environment.is_empty());

    let policy = ImagePolicy::default();
    let findings = audit(s, &Context::new(&policy));
    assert!(
        findings.is_empty(),
        "the hardened container raised: {:#?}",
        findings
            .iter()
            .map(|f| format!("{} {}", f.rule_id, f.message))
            .collect::<Vec<_>>()
    );
}

fn check_insecure_ones_raise_only_their_own_extra_rule(live: &Live) {
    // Each insecure container differs from `defaults` by one setting: the RS rules it raises
    // beyond the defaults' must include the one for that setting (and nothing unrelated).
    let base = finding_ids(live.spec("defaults"));
    for (key, own) in [
        ("cap-sys-admin", "RS002"),
        ("cap-net-admin", "RS002"),
        ("seccomp", "RS005"),
        ("etc-rw", "RS016"),
        ("pid-host", "RS010"),
        ("ipc-host", "RS011"),
        ("port-all", "RS026"),
        ("restart-always", "RS029"),
    ] {
        if !registered(own) {
            continue;
        }
        let extra: Vec<&str> = finding_ids(live.spec(key))
            .into_iter()
            .filter(|id| !base.contains(id))
            .collect();
        assert_eq!(extra, vec![own], "{key}");
    }
}

/// A named check of the live fixture.
type Check = (&'static str, fn(&Live));

#[test]
fn live_engine() {
    let Some((live, _guard)) = setup() else {
        return;
    };
    let checks: &[Check] = &[
        ("scan", check_scan),
        ("listing", check_listing),
        ("images and networks", check_images_and_networks),
        ("--privileged", check_privileged),
        ("--cap-add", check_caps),
        ("seccomp=unconfined", check_seccomp),
        ("apparmor=unconfined", check_apparmor),
        ("bind mounts", check_mounts),
        ("host namespaces", check_namespaces),
        ("-p 0.0.0.0", check_ports),
        ("--restart=always", check_restart),
        ("defaults", check_defaults),
        ("hardened", check_hardened),
        (
            "one setting, one rule",
            check_insecure_ones_raise_only_their_own_extra_rule,
        ),
    ];
    let verbose = std::env::var("PLIMSOLL_LIVE_VERBOSE").as_deref() == Ok("1");
    for (key, spec) in &live.specs {
        eprintln!("engine_live: {key}: {:?}", finding_ids(spec));
        if verbose {
            let policy = ImagePolicy::default();
            for f in audit(spec, &Context::new(&policy)) {
                eprintln!(
                    "    {} {:?} at {}: {}\n      evidence: {:?}\n      fix: {:?}",
                    f.rule_id, f.severity, f.location.path, f.message, f.evidence, f.fix
                );
            }
        }
    }
    let mut failed = Vec::new();
    for (name, check) in checks {
        match catch_unwind(AssertUnwindSafe(|| check(&live))) {
            Ok(()) => eprintln!("engine_live: check {name} ... ok"),
            Err(_) => {
                eprintln!("engine_live: check {name} ... FAILED");
                failed.push(*name);
            }
        }
    }
    let unregistered: Vec<&str> = [
        "RS001", "RS002", "RS003", "RS004", "RS005", "RS006", "RS009", "RS010", "RS011", "RS015",
        "RS016", "RS019", "RS020", "RS021", "RS024", "RS025", "RS026", "RS028", "RS029", "RS030",
        "RS033",
    ]
    .into_iter()
    .filter(|id| !registered(id))
    .collect();
    if !unregistered.is_empty() {
        eprintln!("engine_live: findings NOT checked for unregistered rules {unregistered:?}");
    }
    assert!(failed.is_empty(), "failed checks: {failed:?}");
}
