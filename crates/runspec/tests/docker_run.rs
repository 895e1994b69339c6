//! `docker run` / `docker create` command lines → RunSpec (the `cli` module), end to end
//! through the public API.

use plimsoll_core::{Pos, Span};
use plimsoll_runspec::cli::{parse_argv, parse_words, CliError, Word, COMMAND_LINE_PATH};
use plimsoll_runspec::model::*;
use proptest::prelude::*;

fn argv(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

fn run(args: &[&str]) -> RunSpec {
    match parse_argv(&argv(args)) {
        Ok((spec, _)) => spec,
        Err(e) => panic!("{args:?}: {e}"),
    }
}

fn run_err(args: &[&str]) -> CliError {
    match parse_argv(&argv(args)) {
        Ok((spec, _)) => panic!("{args:?} should fail, got {spec:?}"),
        Err(e) => e,
    }
}

fn span(l1: u32, c1: u32, l2: u32, c2: u32) -> Span {
    Span::new(Pos::new(l1, c1), Pos::new(l2, c2))
}

fn values<T: Clone>(list: &[Sourced<T>]) -> Vec<T> {
    list.iter().map(|s| s.value.clone()).collect()
}

#[test]
fn maps_every_isolation_flag() {
    let spec = run(&[
        "docker",
        "run",
        "-d",
        "--name",
        "web",
        "--privileged",
        "--cap-add",
        "cap_sys_admin",
        "--cap-add=NET_RAW",
        "--cap-drop=ALL",
        "--security-opt",
        "seccomp=unconfined",
        "--security-opt=apparmor:unconfined",
        "--security-opt",
        "label=disable",
        "--security-opt",
        "no-new-privileges",
        "--security-opt",
        "systempaths=unconfined",
        "-v",
        "/var/run/docker.sock:/var/run/docker.sock:ro",
        "--mount",
        "type=bind,src=/,dst=/host,bind-propagation=rshared",
        "--tmpfs",
        "/run:rw,size=64m",
        "-p",
        "127.0.0.1:8080:80",
        "-p80:80/udp",
        "-P",
        "--net=host",
        "--pid",
        "host",
        "--ipc=host",
        "--uts=host",
        "--userns=host",
        "--cgroupns",
        "host",
        "--cgroup-parent",
        "/custom",
        "-m",
        "512m",
        "--memory-swap=-1",
        "--memory-reservation",
        "256m",
        "--oom-kill-disable",
        "--cpus",
        "1.5",
        "-c",
        "512",
        "--cpu-quota=50000",
        "--cpu-period",
        "100000",
        "--cpuset-cpus",
        "0-1",
        "--pids-limit",
        "100",
        "--ulimit",
        "nofile=1024:2048",
        "--ulimit",
        "nproc=512",
        "--read-only",
        "-u",
        "1000:1000",
        "--group-add",
        "docker",
        "--device",
        "/dev/fuse",
        "--device-cgroup-rule",
        "c 10:229 rwm",
        "--gpus",
        "all",
        "--sysctl",
        "net.ipv4.ip_forward=1",
        "--restart",
        "on-failure:3",
        "-e",
        "DB_PASSWORD=hunter2",
        "--env",
        "HOME",
        "--env-file",
        "prod.env",
        "--log-driver",
        "json-file",
        "--log-opt",
        "max-size=10m",
        "--init",
        "--runtime",
        "runc",
        "--label",
        "plimsoll.test=1",
        "nginx:1.27",
        "nginx",
        "-g",
        "daemon off;",
    ]);
    assert_eq!(spec.name, "web");
    assert_eq!(spec.kind, SpecKind::RunCommand);
    assert_eq!(
        spec.image.as_ref().map(|i| i.value.as_str()),
        Some("nginx:1.27")
    );
    assert_eq!(spec.privileged.as_ref().map(|p| p.value), Some(true));
    assert_eq!(values(&spec.cap_add), ["SYS_ADMIN", "NET_RAW"]);
    assert_eq!(values(&spec.cap_drop), ["ALL"]);
    assert_eq!(
        values(&spec.security_opt),
        [
            SecurityOpt::Seccomp("unconfined".into()),
            SecurityOpt::AppArmor("unconfined".into()),
            SecurityOpt::Label("disable".into()),
            SecurityOpt::NoNewPrivileges(true),
            SecurityOpt::SystemPaths("unconfined".into()),
        ]
    );
    let mounts = values(&spec.mounts);
    assert_eq!(mounts.len(), 3);
    assert_eq!(mounts[0].kind, MountKind::Bind);
    assert_eq!(mounts[0].source.as_deref(), Some("/var/run/docker.sock"));
    assert!(mounts[0].read_only);
    assert_eq!(mounts[1].source.as_deref(), Some("/"));
    assert_eq!(mounts[1].propagation.as_deref(), Some("rshared"));
    assert_eq!(mounts[2].kind, MountKind::Tmpfs);
    assert_eq!(mounts[2].target, "/run");
    let ports = values(&spec.ports);
    assert_eq!(ports.len(), 2);
    assert_eq!(ports[0].host_ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(
        ports[0].host_port,
        Some(PortRange {
            start: 8080,
            end: 8080
        })
    );
    assert_eq!(ports[1].protocol, "udp");
    assert_eq!(ports[1].host_ip, None);
    assert_eq!(spec.publish_all.as_ref().map(|p| p.value), Some(true));
    assert_eq!(
        spec.network_mode.as_ref().map(|n| n.value.clone()),
        Some(NetworkMode::Host)
    );
    for ns in [
        &spec.pid,
        &spec.ipc,
        &spec.uts,
        &spec.userns,
        &spec.cgroupns,
    ] {
        assert_eq!(
            ns.as_ref().map(|n| n.value.clone()),
            Some(NamespaceMode::Host)
        );
    }
    assert_eq!(
        spec.cgroup_parent.as_ref().map(|c| c.value.as_str()),
        Some("/custom")
    );
    assert_eq!(spec.memory.as_ref().map(|m| m.value), Some(512 << 20));
    assert_eq!(spec.memory_swap.as_ref().map(|m| m.value), Some(-1));
    assert_eq!(
        spec.memory_reservation.as_ref().map(|m| m.value),
        Some(256 << 20)
    );
    assert_eq!(spec.oom_kill_disable.as_ref().map(|m| m.value), Some(true));
    assert_eq!(spec.cpus.as_ref().map(|c| c.value), Some(1.5));
    assert_eq!(spec.cpu_shares.as_ref().map(|c| c.value), Some(512));
    assert_eq!(spec.cpu_quota.as_ref().map(|c| c.value), Some(50000));
    assert_eq!(spec.cpu_period.as_ref().map(|c| c.value), Some(100000));
    assert_eq!(
        spec.cpuset_cpus.as_ref().map(|c| c.value.as_str()),
        Some("0-1")
    );
    assert_eq!(spec.pids_limit.as_ref().map(|c| c.value), Some(100));
    assert_eq!(
        values(&spec.ulimits),
        [
            Ulimit {
                name: "nofile".into(),
                soft: 1024,
                hard: 2048
            },
            Ulimit {
                name: "nproc".into(),
                soft: 512,
                hard: 512
            },
        ]
    );
    assert_eq!(spec.read_only.as_ref().map(|r| r.value), Some(true));
    assert_eq!(
        spec.user.as_ref().map(|u| u.value.as_str()),
        Some("1000:1000")
    );
    assert_eq!(values(&spec.group_add), ["docker"]);
    assert_eq!(values(&spec.devices)[0].host_path, "/dev/fuse");
    assert_eq!(values(&spec.device_cgroup_rules), ["c 10:229 rwm"]);
    assert_eq!(spec.gpus.as_ref().map(|g| g.value.as_str()), Some("all"));
    assert_eq!(
        values(&spec.sysctls),
        [("net.ipv4.ip_forward".to_string(), "1".to_string())]
    );
    assert_eq!(
        spec.restart.as_ref().map(|r| r.value.clone()),
        Some(RestartPolicy::OnFailure {
            max_retries: Some(3)
        })
    );
    assert_eq!(
        values(&spec.environment),
        [
            EnvVar {
                name: "DB_PASSWORD".into(),
                value: Some("hunter2".into()),
                from: EnvFrom::Literal
            },
            EnvVar {
                name: "HOME".into(),
                value: None,
                from: EnvFrom::Caller
            },
        ]
    );
    assert_eq!(values(&spec.env_files), ["prod.env"]);
    assert_eq!(
        spec.log_driver.as_ref().map(|l| l.value.as_str()),
        Some("json-file")
    );
    assert_eq!(
        values(&spec.log_opts),
        [("max-size".to_string(), "10m".to_string())]
    );
    assert_eq!(spec.init.as_ref().map(|i| i.value), Some(true));
    assert_eq!(
        spec.runtime.as_ref().map(|r| r.value.as_str()),
        Some("runc")
    );
    // Unset stays unset.
    assert!(spec.healthcheck.is_none());
    assert!(spec.networks.is_empty());
}

#[test]
fn origins_quote_the_flag_and_point_at_its_words() {
    let (spec, text) = parse_argv(&argv(&[
        "docker",
        "run",
        "--cap-add",
        "SYS_ADMIN",
        "--cap-add=NET_ADMIN",
        "-itp8080:80",
        "--net",
        "host",
        "-e",
        "A=b c",
        "alpine",
    ]))
    .unwrap();
    assert_eq!(
        text,
        "docker run --cap-add SYS_ADMIN --cap-add=NET_ADMIN -itp8080:80 --net host -e 'A=b c' alpine"
    );
    let cap = &spec.cap_add[0].origin;
    assert_eq!(cap.written, "--cap-add SYS_ADMIN");
    assert_eq!(cap.via, Via::Flag("--cap-add".into()));
    assert_eq!(cap.location.path, COMMAND_LINE_PATH);
    assert_eq!(cap.location.span, Some(span(1, 12, 1, 31)));
    assert_eq!(spec.cap_add[1].origin.written, "--cap-add=NET_ADMIN");
    assert_eq!(
        spec.cap_add[1].origin.location.span,
        Some(span(1, 32, 1, 51))
    );
    let port = &spec.ports[0].origin;
    assert_eq!(port.written, "-p8080:80");
    assert_eq!(port.via, Via::Flag("--publish".into()));
    assert_eq!(port.location.span, Some(span(1, 52, 1, 63)));
    // `--net` is cited by its main name.
    let net = spec.network_mode.as_ref().unwrap();
    assert_eq!(net.origin.via, Via::Flag("--network".into()));
    assert_eq!(net.origin.written, "--net host");
    // A quoted value: the span covers the quotes.
    assert_eq!(spec.environment[0].origin.written, "-e A=b c");
    assert_eq!(
        spec.environment[0].origin.location.span,
        Some(span(1, 75, 1, 85))
    );
    // The anchor is the whole command; the name defaults to the image.
    assert_eq!(spec.anchor.location.span, Some(span(1, 1, 1, 92)));
    assert_eq!(spec.name, "alpine");
    let image = spec.image.as_ref().unwrap();
    assert_eq!(image.origin.location.span, Some(span(1, 86, 1, 92)));
}

#[test]
fn bools_set_to_false_are_kept_as_set() {
    let spec = run(&[
        "docker",
        "run",
        "--privileged=false",
        "--read-only=0",
        "-P=false",
        "x",
    ]);
    assert_eq!(spec.privileged.as_ref().map(|p| p.value), Some(false));
    assert_eq!(
        spec.privileged.as_ref().unwrap().origin.written,
        "--privileged=false"
    );
    assert_eq!(spec.read_only.as_ref().map(|p| p.value), Some(false));
    assert_eq!(spec.publish_all.as_ref().map(|p| p.value), Some(false));
    let spec = run(&["docker", "run", "x"]);
    assert!(spec.privileged.is_none() && spec.read_only.is_none());
}

#[test]
fn the_command_after_the_image_is_never_parsed() {
    let spec = run(&["docker", "run", "alpine", "--privileged", "-v", "/:/host"]);
    assert!(spec.privileged.is_none());
    assert!(spec.mounts.is_empty());
    // `--` ends the options; the image follows.
    let spec = run(&["docker", "run", "-d", "--", "alpine", "--privileged"]);
    assert_eq!(spec.image.unwrap().value, "alpine");
    assert!(spec.privileged.is_none());
    // A value flag consumes its value even when it looks like a flag.
    let spec = run(&["docker", "run", "--entrypoint", "--privileged", "alpine"]);
    assert!(spec.privileged.is_none());
    assert_eq!(spec.image.unwrap().value, "alpine");
    // Flags plimsoll does not map still take their value.
    let spec = run(&[
        "docker",
        "run",
        "--label",
        "a=b",
        "-l",
        "c",
        "--add-host",
        "h:1.2.3.4",
        "--stop-signal",
        "SIGTERM",
        "-w",
        "/app",
        "--hostname",
        "h",
        "-h",
        "h2",
        "img",
    ]);
    assert_eq!(spec.image.unwrap().value, "img");
}

#[test]
fn global_options_and_command_forms() {
    for args in [
        &[
            "docker",
            "-H",
            "tcp://host:2376",
            "--tlsverify",
            "--tlscacert=ca.pem",
            "run",
            "-d",
            "img",
        ][..],
        &[
            "docker",
            "--context",
            "prod",
            "-l",
            "debug",
            "-D",
            "container",
            "run",
            "img",
        ],
        &["docker", "--config", "/tmp/cfg", "create", "img"],
        &["docker", "container", "create", "img"],
        &["/usr/local/bin/docker", "run", "img"],
        &["sudo", "-E", "docker", "run", "img"],
        &["FOO=1", "docker", "run", "img"],
    ] {
        assert_eq!(run(args).image.unwrap().value, "img", "{args:?}");
    }
    let spec = run(&["docker", "create", "img"]);
    assert_eq!(spec.anchor.via, Via::Flag("docker create".into()));
}

#[test]
fn other_commands_are_not_runs() {
    let w = |args: &[&str]| -> Vec<Word> {
        args.iter()
            .map(|a| Word {
                text: a.to_string(),
                span: span(1, 1, 1, 2),
                splits: a.starts_with('$'),
            })
            .collect()
    };
    let anchor = span(1, 1, 1, 2);
    for args in [
        &["docker", "ps"][..],
        &["docker", "compose", "run", "web"],
        &["docker", "container", "ls"],
        &["docker", "exec", "c", "docker", "run", "x"],
        &["echo", "docker", "run", "x"],
        &["docker", "run", "--help"],
        &["docker", "--version"],
        &["docker"],
        &[],
    ] {
        assert_eq!(parse_words("f.sh", &w(args), anchor), Ok(None), "{args:?}");
    }
    let e = run_err(&["docker", "ps"]);
    assert!(e.message.contains("not a `docker run`"));
    assert!(e.hint.is_some());
}

#[test]
fn unknown_flags_are_errors_with_a_hint() {
    let e = run_err(&["docker", "run", "--bogus", "x", "img"]);
    assert_eq!(e.message, "unknown flag: --bogus");
    assert_eq!(e.path, COMMAND_LINE_PATH);
    assert_eq!(e.span, Some(span(1, 12, 1, 19)));
    assert!(e.hint.as_deref().unwrap_or("").contains("--bogus"));
    let e = run_err(&["docker", "run", "-itz", "img"]);
    assert_eq!(e.message, "unknown shorthand flag: 'z' in -itz");
}

#[test]
fn invalid_values_are_errors() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["docker", "run"],
            "\"docker run\" requires at least 1 argument",
        ),
        (
            &["docker", "run", "--name"],
            "flag needs an argument: --name",
        ),
        (
            &["docker", "run", "-m", "lots", "x"],
            "invalid argument \"lots\" for \"--memory\" flag",
        ),
        (
            &["docker", "run", "--pid", "bogus", "x"],
            "--pid: invalid PID mode",
        ),
        (
            &["docker", "run", "--restart", "sometimes", "x"],
            "unknown policy 'sometimes'",
        ),
        (
            &["docker", "run", "--rm", "--restart=always", "x"],
            "cannot specify both --restart and --rm",
        ),
        (
            &["docker", "run", "-p", "99999:80", "x"],
            "invalid hostPort",
        ),
        (
            &["docker", "run", "--security-opt", "seccomp", "x"],
            "invalid --security-opt",
        ),
        (
            &["docker", "run", "--ulimit", "nofile=10:5", "x"],
            "soft limit",
        ),
        (
            &["docker", "run", "--pids-limit", "many", "x"],
            "invalid argument \"many\"",
        ),
        (&["docker", "run", "--cpus", "x1", "x"], "--cpus"),
        (
            &[
                "docker",
                "run",
                "--no-healthcheck",
                "--health-cmd",
                "true",
                "x",
            ],
            "conflicts",
        ),
        (
            &["docker", "run", "--health-interval", "5", "x"],
            "invalid duration",
        ),
        (
            &["docker", "run", "--device", "/dev/x:rx", "x"],
            "not an absolute path",
        ),
        (
            &["docker", "run", "--sysctl", "kernel.core_pattern=x", "x"],
            "is not allowed",
        ),
        (
            &[
                "docker",
                "run",
                "--log-driver",
                "none",
                "--log-opt",
                "a=b",
                "x",
            ],
            "invalid logging opts",
        ),
        (&["docker", "run", "--privileged=maybe", "x"], "ParseBool"),
        (
            &["docker", "run", "--mount", "type=bind,bogus=1", "x"],
            "unknown option 'bogus'",
        ),
        (
            &["docker", "run", "-e", "=x", "x"],
            "invalid environment variable",
        ),
    ];
    for (args, want) in cases {
        let e = run_err(args);
        assert!(
            e.message.contains(want),
            "{args:?}: {:?} should contain {want:?}",
            e.message
        );
        assert!(e.span.is_some(), "{args:?}");
    }
}

#[test]
fn healthchecks() {
    let spec = run(&["docker", "run", "--no-healthcheck", "x"]);
    assert_eq!(
        spec.healthcheck.as_ref().map(|h| h.value.clone()),
        Some(Healthcheck::Disabled)
    );
    assert_eq!(spec.healthcheck.unwrap().origin.written, "--no-healthcheck");
    let spec = run(&[
        "docker",
        "run",
        "--health-cmd",
        "curl -f localhost",
        "--health-interval=30s",
        "--health-retries",
        "3",
        "x",
    ]);
    let h = spec.healthcheck.unwrap();
    assert_eq!(
        h.value,
        Healthcheck::Check {
            test: Some(vec!["CMD-SHELL".into(), "curl -f localhost".into()]),
            interval: Some("30s".into()),
            timeout: None,
            retries: Some(3),
            start_period: None,
        }
    );
    assert_eq!(
        h.origin.written,
        "--health-cmd curl -f localhost --health-interval=30s --health-retries 3"
    );
    assert_eq!(h.origin.via, Via::Flag("--health-cmd".into()));
    // Zero settings are no settings (the CLI's haveHealthSettings).
    let spec = run(&["docker", "run", "--health-interval=0s", "x"]);
    assert!(spec.healthcheck.is_none());
    let spec = run(&["docker", "run", "--no-healthcheck=false", "x"]);
    assert!(spec.healthcheck.is_none());
}

#[test]
fn networks_and_repeated_flags() {
    let spec = run(&[
        "docker",
        "run",
        "--network",
        "front",
        "--network=name=back,alias=b",
        "x",
    ]);
    assert_eq!(
        spec.network_mode.map(|n| n.value),
        Some(NetworkMode::Named("front".into()))
    );
    assert_eq!(values(&spec.networks), ["back"]);
    // Single-valued flags: the last one wins, with its origin.
    let spec = run(&[
        "docker",
        "run",
        "-u",
        "root",
        "--user=app",
        "-m",
        "1g",
        "--memory=2g",
        "x",
    ]);
    assert_eq!(spec.user.as_ref().unwrap().value, "app");
    assert_eq!(spec.user.unwrap().origin.written, "--user=app");
    assert_eq!(spec.memory.unwrap().value, 2 << 30);
    // One ulimit per name, the last given.
    let spec = run(&[
        "docker", "run", "--ulimit", "nofile=1", "--ulimit", "nofile=2", "x",
    ]);
    assert_eq!(
        values(&spec.ulimits),
        [Ulimit {
            name: "nofile".into(),
            soft: 2,
            hard: 2
        }]
    );
}

#[test]
fn use_api_socket_mounts_the_engine_socket() {
    let spec = run(&["docker", "run", "--use-api-socket", "x"]);
    let m = &spec.mounts[0];
    assert_eq!(m.value.kind, MountKind::Bind);
    assert_eq!(m.value.source.as_deref(), Some("/var/run/docker.sock"));
    assert_eq!(m.origin.written, "--use-api-socket");
}

#[test]
fn opaque_expansions_before_the_image() {
    let w = |args: &[&str]| -> Vec<Word> {
        args.iter()
            .map(|a| Word {
                text: a.to_string(),
                span: span(1, 1, 1, 2),
                splits: a.starts_with('$'),
            })
            .collect()
    };
    let anchor = span(1, 1, 1, 2);
    let spec = parse_words(
        "f.sh",
        &w(&["docker", "run", "$OPTS", "--privileged", "nginx"]),
        anchor,
    )
    .unwrap()
    .unwrap();
    assert_eq!(spec.image.unwrap().value, "nginx");
    assert_eq!(spec.privileged.map(|p| p.value), Some(true));
    let spec = parse_words("f.sh", &w(&["docker", "run", "-d", "$IMAGE", "sh"]), anchor)
        .unwrap()
        .unwrap();
    assert_eq!(spec.image.unwrap().value, "$IMAGE");
    // When the rest does not parse as options, the expansion was the image after all.
    let spec = parse_words(
        "Makefile",
        &w(&[
            "docker",
            "run",
            "--rm",
            "$(IMAGE)",
            "-c",
            "$(WORKDIR)/lint.yaml",
        ]),
        anchor,
    )
    .unwrap()
    .unwrap();
    assert_eq!(spec.image.unwrap().value, "$(IMAGE)");
    assert!(spec.cpu_shares.is_none());
    let spec = parse_words("f.sh", &w(&["docker", "run", "$IMAGE", "--bogus"]), anchor)
        .unwrap()
        .unwrap();
    assert_eq!(spec.image.unwrap().value, "$IMAGE");
    // A real error before the expansion stays an error.
    assert!(parse_words(
        "f.sh",
        &w(&["docker", "run", "-m", "x", "$O", "-d", "i"]),
        anchor
    )
    .is_err());
}

fn arb_word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "docker",
            "run",
            "create",
            "container",
            "-d",
            "-it",
            "-itp",
            "-p",
            "--privileged",
            "--privileged=false",
            "--cap-add",
            "--cap-add=ALL",
            "-v",
            "--mount",
            "--",
            "-e",
            "--env=A=b",
            "--network",
            "--net=host",
            "--pid",
            "host",
            "-m",
            "1g",
            "--memory",
            "--ulimit",
            "nofile=1:2",
            "--restart",
            "always",
            "--rm",
            "--health-cmd",
            "--no-healthcheck",
            "--security-opt",
            "seccomp=unconfined",
            "-H",
            "--tls",
            "sudo",
            "nginx",
            "$OPTS",
            "/:/host",
            "80:80",
            "type=bind,src=/,dst=/h",
            "--device",
            "/dev/x",
            "-P",
            "--tmpfs",
            "--cpus",
            "--sysctl",
            "=",
            "-",
            "",
        ])
        .prop_map(str::to_string),
        ".{0,12}",
        "-[a-zA-Z]{1,4}",
        "--[a-z-]{1,12}(=.{0,8})?",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_argv_never_panics(mut args in prop::collection::vec(arb_word(), 0..24)) {
        if !args.is_empty() && args.len() % 3 != 0 {
            args.insert(0, "run".to_string());
            args.insert(0, "docker".to_string());
        }
        if let Ok((spec, text)) = parse_argv(&args) {
            prop_assert!(spec.image.is_some());
            prop_assert!(!text.is_empty());
        }
    }
}
