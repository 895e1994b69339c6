//! inspect → RunSpec on answers captured from a real engine (tests/fixtures/inspect, see its
//! README): runs without a daemon.

use plimsoll_engine::map::{to_runspec, EngineFacts};
use plimsoll_engine::models::{ContainerInspectResponse, ContainerTopResponse, ImageInspect};
use plimsoll_runspec::{
    EnvFrom, MountKind, NamespaceMode, NetworkMode, PortRange, RestartPolicy, RunSpec, SecurityOpt,
    SpecKind, Via,
};

fn load<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = format!(
        "{}/tests/fixtures/inspect/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn facts() -> EngineFacts {
    EngineFacts {
        security_options: vec!["name=seccomp,profile=default".into()],
        daemon_no_new_privileges: false,
        cgroup_version: Some("1".into()),
    }
}

fn spec(container: &str, with_top: bool) -> RunSpec {
    let c: ContainerInspectResponse = load(container);
    let image: ImageInspect = load("image-busybox.json");
    let top: Option<ContainerTopResponse> = with_top.then(|| load("top-bad.json"));
    to_runspec(&c, Some(&image), top.as_ref(), &facts())
}

#[test]
fn insecure_container_maps_every_setting() {
    let s = spec("container-bad.json", true);
    assert_eq!(s.name, "pe-probe-bad");
    assert!(matches!(&s.kind, SpecKind::Container { id } if id.starts_with("7c907596de2e")));
    assert_eq!(s.anchor.location.path, "container:pe-probe-bad");
    assert_eq!(
        s.image.as_ref().map(|i| i.value.as_str()),
        Some("plimsoll-engine-test:probe")
    );

    // Capabilities: stored as CAP_SYS_ADMIN, normalised, evidence as stored.
    assert_eq!(s.cap_add.len(), 1);
    assert_eq!(s.cap_add[0].value, "SYS_ADMIN");
    assert_eq!(
        s.cap_add[0].origin.written,
        "HostConfig.CapAdd=[CAP_SYS_ADMIN]"
    );
    assert_eq!(
        s.cap_add[0].origin.via,
        Via::Inspect("HostConfig.CapAdd".into())
    );
    assert_eq!(s.cap_add[0].origin.location.path, "container:pe-probe-bad");
    assert!(s.cap_drop.is_empty());

    // seccomp=unconfined kept; the engine's own label=disable (from --pid=host) dropped.
    let opts: Vec<&SecurityOpt> = s.security_opt.iter().map(|o| &o.value).collect();
    assert_eq!(opts, vec![&SecurityOpt::Seccomp("unconfined".into())]);

    assert_eq!(s.pid.as_ref().map(|p| &p.value), Some(&NamespaceMode::Host));
    assert_eq!(s.ipc.as_ref().map(|p| &p.value), Some(&NamespaceMode::Host));
    assert_eq!(s.uts, None);
    assert_eq!(s.userns, None);
    assert_eq!(s.cgroupns, None, "host cgroupns is the cgroup v1 default");
    assert_eq!(
        s.network_mode
            .as_ref()
            .map(|n| (&n.value, n.origin.written.as_str())),
        Some((&NetworkMode::Bridge, "HostConfig.NetworkMode=default"))
    );

    // Mounts: the socket and /etc, both read-write binds.
    let binds: Vec<(&str, &str, bool)> = s
        .mounts
        .iter()
        .filter(|m| m.value.kind == MountKind::Bind)
        .map(|m| {
            (
                m.value.source.as_deref().unwrap_or(""),
                m.value.target.as_str(),
                m.value.read_only,
            )
        })
        .collect();
    assert_eq!(
        binds,
        vec![
            ("/etc", "/host-etc", false),
            ("/var/run/docker.sock", "/var/run/docker.sock", false)
        ]
    );
    assert!(s
        .mounts
        .iter()
        .all(|m| m.value.propagation.as_deref() != Some("rshared")));
    let tmpfs = s.mounts.iter().find(|m| m.value.kind == MountKind::Tmpfs);
    assert_eq!(tmpfs.map(|m| m.value.target.as_str()), Some("/run"));
    assert_eq!(
        tmpfs.map(|m| m.origin.written.as_str()),
        Some("HostConfig.Tmpfs=/run:rw,size=1m")
    );

    // No limits at all.
    assert_eq!(s.memory, None);
    assert_eq!(s.memory_swap, None);
    assert_eq!(s.pids_limit, None);
    assert_eq!(s.cpus, None);
    assert_eq!(s.cpu_shares, None);
    assert_eq!(s.read_only, None);
    assert_eq!(s.user, None, "no --user and the image has no USER");
    assert_eq!(s.privileged, None);

    // -p 0.0.0.0:18080:80
    assert_eq!(s.ports.len(), 1);
    let p = &s.ports[0];
    assert_eq!(p.value.host_ip.as_deref(), Some("0.0.0.0"));
    assert_eq!(
        p.value.host_port,
        Some(PortRange {
            start: 18080,
            end: 18080
        })
    );
    assert_eq!(p.value.container_port, PortRange { start: 80, end: 80 });
    assert_eq!(p.value.protocol, "tcp");
    assert_eq!(
        p.origin.written,
        "HostConfig.PortBindings[80/tcp]=0.0.0.0:18080"
    );

    assert_eq!(
        s.restart.as_ref().map(|r| &r.value),
        Some(&RestartPolicy::Always)
    );
    assert_eq!(
        s.log_driver.as_ref().map(|l| l.value.as_str()),
        Some("json-file")
    );

    // The container's own env, not the image's PATH.
    let env: Vec<(&str, Option<&str>, &EnvFrom)> = s
        .environment
        .iter()
        .map(|e| {
            (
                e.value.name.as_str(),
                e.value.value.as_deref(),
                &e.value.from,
            )
        })
        .collect();
    assert_eq!(
        env,
        vec![("DB_PASSWORD", Some("hunter2"), &EnvFrom::Engine)]
    );
    assert!(!s.environment[0].origin.written.contains("hunter2"));

    // Image facts and runtime state.
    let facts = s.image_facts.as_ref().expect("image facts");
    assert_eq!(facts.user.as_ref().map(|u| u.value.as_str()), Some(""));
    assert_eq!(facts.healthcheck.as_ref().map(|h| h.value), Some(false));
    assert_eq!(s.healthcheck, None);
    let st = s.state.as_ref().expect("state");
    assert_eq!(st.status, "running");
    assert_eq!(
        st.apparmor_profile.as_ref().map(|a| a.value.as_str()),
        Some("")
    );
    assert_eq!(
        st.engine_security_options,
        vec!["name=seccomp,profile=default"]
    );
    assert_eq!(st.oom_killed.as_ref().map(|o| o.value), Some(false));
    assert_eq!(st.restart_count.as_ref().map(|o| o.value), Some(0));
    assert_eq!(st.health, None);
    let nets: Vec<&str> = st.networks.iter().map(|n| n.value.as_str()).collect();
    assert_eq!(nets, vec!["bridge"]);
    assert_eq!(st.processes.len(), 1);
    assert_eq!(st.processes[0].value, "/bin/busybox sleep 3600");
    assert!(st.processes[0].origin.written.starts_with("top: PID "));
    assert!(
        st.repo_digests.is_empty(),
        "a locally built image has no registry digest"
    );
}

#[test]
fn hardened_container_maps_every_limit() {
    let s = spec("container-good.json", false);
    assert_eq!(s.cap_add, vec![]);
    let drops: Vec<&str> = s.cap_drop.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(drops, vec!["ALL"]);
    let opts: Vec<&SecurityOpt> = s.security_opt.iter().map(|o| &o.value).collect();
    assert_eq!(opts, vec![&SecurityOpt::NoNewPrivileges(true)]);
    assert_eq!(s.read_only.as_ref().map(|r| r.value), Some(true));
    assert_eq!(s.user.as_ref().map(|u| u.value.as_str()), Some("65534"));
    assert_eq!(
        s.memory
            .as_ref()
            .map(|m| (m.value, m.origin.written.as_str())),
        Some((67_108_864, "HostConfig.Memory=67108864"))
    );
    assert_eq!(
        s.memory_swap, None,
        "twice the memory is the engine's derived default"
    );
    assert_eq!(s.pids_limit.as_ref().map(|p| p.value), Some(64));
    assert_eq!(s.cpus.as_ref().map(|c| c.value), Some(0.5));
    assert_eq!(
        s.cpus.as_ref().map(|c| c.origin.via.clone()),
        Some(Via::Inspect("HostConfig.NanoCpus".into()))
    );
    assert_eq!(
        s.ipc.as_ref().map(|i| &i.value),
        Some(&NamespaceMode::Private)
    );
    assert_eq!(s.pid, None);
    assert_eq!(s.ports.len(), 1);
    assert_eq!(s.ports[0].value.host_ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(
        s.restart.as_ref().map(|r| &r.value),
        Some(&RestartPolicy::No)
    );
    assert!(s.mounts.is_empty());
    assert!(s.environment.is_empty());
    assert_eq!(s.state.as_ref().map(|s| s.processes.len()), Some(0));
}

#[test]
fn privileged_container_that_never_started() {
    let s = spec("container-priv.json", false);
    assert_eq!(
        s.privileged
            .as_ref()
            .map(|p| (p.value, p.origin.written.as_str())),
        Some((true, "HostConfig.Privileged=true"))
    );
    assert!(
        s.security_opt.is_empty(),
        "label=disable is the engine's, not the user's"
    );
    assert_eq!(s.state.as_ref().map(|s| s.status.as_str()), Some("created"));
}

#[test]
fn cgroupns_host_is_a_setting_on_cgroup_v2() {
    let c: ContainerInspectResponse = load("container-good.json");
    let v2 = EngineFacts {
        cgroup_version: Some("2".into()),
        ..facts()
    };
    let s = to_runspec(&c, None, None, &v2);
    assert_eq!(
        s.cgroupns.as_ref().map(|c| &c.value),
        Some(&NamespaceMode::Host)
    );
    assert_eq!(s.image_facts, None, "no image inspect, no image facts");
}

fn rule_ids(s: &RunSpec) -> Vec<&'static str> {
    let policy = plimsoll_core::config::ImagePolicy::default();
    let mut ids: Vec<&'static str> =
        plimsoll_runspec::rules::audit(s, &plimsoll_runspec::rules::Context::new(&policy))
            .iter()
            .map(|f| f.rule_id)
            .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn the_rs_rules_judge_the_mapped_containers() {
    let bad = rule_ids(&spec("container-bad.json", true));
    for id in [
        "RS002", "RS005", "RS010", "RS011", "RS015", "RS016", "RS026", "RS029", "RS031",
    ] {
        assert!(bad.contains(&id), "bad: expected {id} in {bad:?}");
    }
    // Not raised: the engine's implied label=disable (RS007), the v1 cgroupns default (RS014).
    for id in ["RS007", "RS014"] {
        assert!(!bad.contains(&id), "bad: unexpected {id} in {bad:?}");
    }
    let good = rule_ids(&spec("container-good.json", false));
    for id in [
        "RS002", "RS003", "RS004", "RS005", "RS015", "RS016", "RS019", "RS020", "RS021", "RS024",
        "RS025", "RS026", "RS029", "RS031",
    ] {
        assert!(!good.contains(&id), "good: unexpected {id} in {good:?}");
    }
    let privileged = rule_ids(&spec("container-priv.json", false));
    assert!(privileged.contains(&"RS001"), "{privileged:?}");
    assert!(!privileged.contains(&"RS007"), "{privileged:?}");
}
