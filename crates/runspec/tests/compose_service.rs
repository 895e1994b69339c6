//! Compose service → RunSpec, from real YAML: a realistic project, a hardened service, bad
//! input (wrong types, unknown keys, hostile sizes), and every service of the shared compose
//! corpus.

use plimsoll_core::{Pos, Span};
use plimsoll_runspec::compose::service::{to_runspec, MapContext};
use plimsoll_runspec::compose::Diagnostic;
use plimsoll_runspec::yaml::{parse, Limits, Node};
use plimsoll_runspec::{
    EnvFrom, Healthcheck, MountKind, NamespaceMode, NetworkMode, RestartPolicy, RunSpec,
    SecurityOpt, SpecKind, Via,
};
use std::path::Path;

const FILE: &str = "stack/compose.yaml";

/// Maps every service of `yaml`, in order.
fn map_all(yaml: &str) -> Vec<Result<(RunSpec, Vec<Diagnostic>), Diagnostic>> {
    let docs = parse(FILE, yaml, &Limits::default()).expect("YAML parses");
    let model = docs.into_iter().next().expect("a document");
    map_model(&model)
}

fn map_model(model: &Node) -> Vec<Result<(RunSpec, Vec<Diagnostic>), Diagnostic>> {
    let read = |path: &str| -> Result<Vec<(String, String)>, Diagnostic> {
        match path {
            "/srv/stack/db.env" => Ok(vec![
                ("POSTGRES_USER".to_string(), "app".to_string()),
                ("POSTGRES_PASSWORD".to_string(), "from-file".to_string()),
            ]),
            _ => Err(Diagnostic {
                path: path.to_string(),
                span: None,
                message: "no such file".to_string(),
                hint: None,
            }),
        }
    };
    let cx = MapContext::new("stack", Path::new("/srv/stack"), model, &read);
    let services = model
        .get("services")
        .and_then(Node::as_map)
        .unwrap_or_default();
    services
        .iter()
        .map(|(key, service)| to_runspec("stack", key, service, &cx))
        .collect()
}

fn map_one(yaml: &str) -> (RunSpec, Vec<Diagnostic>) {
    map_all(yaml).remove(0).expect("the service maps")
}

fn map_one_err(yaml: &str) -> Diagnostic {
    match map_all(yaml).remove(0) {
        Ok((spec, _)) => panic!("expected an error, got {spec:?}"),
        Err(e) => e,
    }
}

const STACK: &str = r#"name: stack
services:
  proxy:
    image: traefik:v3.1
    restart: always
    ports:
      - "80:80"
      - "443:443"
      - target: 8080
        published: 8080
        host_ip: 127.0.0.1
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
    security_opt:
      - no-new-privileges:true
    networks: [front]

  app:
    build:
      context: /srv/stack/app
      target: runtime
    user: root
    privileged: true
    cap_add: [SYS_ADMIN, CAP_NET_RAW]
    pid: host
    environment:
      DB_HOST: db
      SECRET_KEY: not-so-secret
      CALLER_TOKEN:
    deploy:
      resources:
        limits: {memory: 256M, cpus: "0.5", pids: 200}
      restart_policy: {condition: on-failure, max_attempts: 3}
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8000/health"]
      interval: 30s
      retries: 3
    networks:
      front:
      back:
        aliases: [api]

  db:
    image: postgres:16@sha256:0123456789abcdef
    env_file: /srv/stack/db.env
    mem_limit: 1g
    pids_limit: 100
    read_only: true
    tmpfs: [/tmp, /run/postgresql]
    volumes:
      - type: volume
        source: pgdata
        target: /var/lib/postgresql/data
    logging:
      driver: json-file
      options: {max-size: 10m}
    healthcheck:
      disable: true
    x-notes: extension keys are fine
    networks: [back]

volumes:
  pgdata: {}
networks:
  front: {}
  back: {}
"#;

#[test]
fn maps_a_realistic_stack() {
    let results = map_all(STACK);
    assert_eq!(results.len(), 3);
    let specs: Vec<(RunSpec, Vec<Diagnostic>)> = results.into_iter().map(|r| r.unwrap()).collect();
    for (spec, warnings) in &specs {
        assert!(warnings.is_empty(), "{}: {warnings:?}", spec.name);
        assert_eq!(
            spec.kind,
            SpecKind::ComposeService {
                project: "stack".into()
            }
        );
    }

    let proxy = &specs[0].0;
    assert_eq!(proxy.name, "proxy");
    assert_eq!(proxy.anchor.written, "services.proxy");
    assert_eq!(proxy.anchor.location.path, FILE);
    assert_eq!(
        proxy.anchor.location.span,
        Some(Span::new(Pos::new(3, 3), Pos::new(3, 8)))
    );
    assert_eq!(proxy.image.as_ref().unwrap().value, "traefik:v3.1");
    assert_eq!(proxy.restart.as_ref().unwrap().value, RestartPolicy::Always);
    assert_eq!(proxy.ports.len(), 3);
    assert_eq!(proxy.ports[0].value.host_ip, None);
    assert_eq!(proxy.ports[0].origin.written, "ports: 80:80");
    assert_eq!(
        proxy.ports[0].origin.location.span,
        Some(Span::new(Pos::new(7, 9), Pos::new(7, 16)))
    );
    assert_eq!(proxy.ports[2].value.host_ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(proxy.ports[2].origin.via, Via::Compose("ports[2]".into()));
    let sock = &proxy.mounts[0];
    assert_eq!(sock.value.kind, MountKind::Bind);
    assert_eq!(sock.value.source.as_deref(), Some("/var/run/docker.sock"));
    assert!(sock.value.read_only);
    assert_eq!(sock.origin.location.span.unwrap().start.line, 13);
    assert_eq!(
        proxy.security_opt[0].value,
        SecurityOpt::NoNewPrivileges(true)
    );
    assert_eq!(proxy.networks[0].value, "front");
    assert!(proxy.network_mode.is_none());
    assert!(proxy.memory.is_none() && proxy.pids_limit.is_none() && proxy.cpus.is_none());

    let app = &specs[1].0;
    let build = &app.build.as_ref().unwrap().value;
    assert_eq!(build.context, "/srv/stack/app");
    assert_eq!(build.target.as_deref(), Some("runtime"));
    assert_eq!(app.user.as_ref().unwrap().value, "root");
    assert!(app.privileged.as_ref().unwrap().value);
    let caps: Vec<_> = app.cap_add.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(caps, ["SYS_ADMIN", "NET_RAW"]);
    assert_eq!(app.cap_add[1].origin.written, "cap_add: CAP_NET_RAW");
    assert_eq!(app.pid.as_ref().unwrap().value, NamespaceMode::Host);
    let env: Vec<_> = app
        .environment
        .iter()
        .map(|e| {
            (
                e.value.name.as_str(),
                e.value.value.as_deref(),
                e.value.from.clone(),
            )
        })
        .collect();
    assert_eq!(
        env,
        [
            ("DB_HOST", Some("db"), EnvFrom::Literal),
            ("SECRET_KEY", Some("not-so-secret"), EnvFrom::Literal),
            ("CALLER_TOKEN", None, EnvFrom::Caller),
        ]
    );
    assert_eq!(
        app.environment[1].origin.location.span.unwrap().start.line,
        28
    );
    assert_eq!(app.memory.as_ref().unwrap().value, 256 << 20);
    assert_eq!(app.cpus.as_ref().unwrap().value, 0.5);
    assert_eq!(app.pids_limit.as_ref().unwrap().value, 200);
    assert_eq!(
        app.pids_limit.as_ref().unwrap().origin.via,
        Via::Compose("deploy.resources.limits.pids".into())
    );
    assert_eq!(
        app.restart.as_ref().unwrap().value,
        RestartPolicy::OnFailure {
            max_retries: Some(3)
        }
    );
    match &app.healthcheck.as_ref().unwrap().value {
        Healthcheck::Check {
            test,
            interval,
            retries,
            ..
        } => {
            assert_eq!(test.as_deref().unwrap()[0], "CMD");
            assert_eq!(interval.as_deref(), Some("30s"));
            assert_eq!(*retries, Some(3));
        }
        other => panic!("{other:?}"),
    }
    let networks: Vec<_> = app.networks.iter().map(|n| n.value.as_str()).collect();
    assert_eq!(networks, ["front", "back"]);

    let db = &specs[2].0;
    assert!(db.image.as_ref().unwrap().value.contains("@sha256:"));
    assert_eq!(db.env_files[0].value, "/srv/stack/db.env");
    let from_file: Vec<_> = db
        .environment
        .iter()
        .map(|e| e.value.from.clone())
        .collect();
    assert_eq!(
        from_file,
        vec![EnvFrom::EnvFile("/srv/stack/db.env".into()); 2]
    );
    assert_eq!(db.memory.as_ref().unwrap().value, 1 << 30);
    assert_eq!(db.pids_limit.as_ref().unwrap().value, 100);
    assert!(db.read_only.as_ref().unwrap().value);
    let kinds: Vec<_> = db.mounts.iter().map(|m| m.value.kind.clone()).collect();
    assert_eq!(
        kinds,
        [MountKind::Volume, MountKind::Tmpfs, MountKind::Tmpfs]
    );
    assert_eq!(db.log_driver.as_ref().unwrap().value, "json-file");
    assert_eq!(
        db.log_opts[0].value,
        ("max-size".to_string(), "10m".to_string())
    );
    assert_eq!(
        db.healthcheck.as_ref().unwrap().value,
        Healthcheck::Disabled
    );
}

#[test]
fn maps_a_hardened_service() {
    let (spec, warnings) = map_one(
        r#"services:
  api:
    image: registry.example/api@sha256:feed
    user: "10001:10001"
    read_only: true
    cap_drop: [ALL]
    security_opt: ["no-new-privileges=true", "seccomp=builtin"]
    network_mode: none
    ports: ["127.0.0.1:8443:8443"]
    mem_limit: 128m
    memswap_limit: 128m
    cpus: 0.25
    pids_limit: 64
    ulimits: {nofile: {soft: 1024, hard: 1024}}
    restart: on-failure:5
    healthcheck: {test: [CMD, /healthcheck], interval: 10s}
"#,
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(spec.cap_drop[0].value, "ALL");
    assert_eq!(spec.network_mode.unwrap().value, NetworkMode::None);
    assert_eq!(spec.memory_swap.unwrap().value, 128 << 20);
    assert_eq!(spec.ulimits[0].value.hard, 1024);
    assert_eq!(
        spec.restart.unwrap().value,
        RestartPolicy::OnFailure {
            max_retries: Some(5)
        }
    );
    assert_eq!(spec.ports[0].value.host_ip.as_deref(), Some("127.0.0.1"));
}

#[test]
fn wrong_types_are_errors_naming_file_line_and_key() {
    let err = map_one_err("services:\n  web:\n    image: nginx\n    ports:\n      http: 80\n");
    assert_eq!(err.path, FILE);
    assert_eq!(err.span.unwrap().start.line, 5);
    assert_eq!(
        err.message,
        "services.web.ports must be a list, but it is a mapping"
    );
    assert!(err.hint.unwrap().contains("127.0.0.1:8080:80"));

    let err = map_one_err("services:\n  web:\n    cap_add: 7\n");
    assert_eq!(
        err.message,
        "services.web.cap_add must be a list, but it is a number (`7`)"
    );
    assert_eq!(err.span.unwrap().start.line, 3);

    let err = map_one_err("services:\n  web:\n    ports: [\"99999:80\"]\n");
    assert!(
        err.message
            .starts_with("services.web.ports[0]: a string (`99999:80`) is not a port"),
        "{err:?}"
    );

    let err = map_one_err("services:\n  web:\n    mem_limit: 12 parsecs\n");
    assert!(
        err.message
            .starts_with("services.web.mem_limit: a string (`12 parsecs`) is not a size"),
        "{err:?}"
    );

    let err = map_one_err("services:\n  web: [image, nginx]\n");
    assert_eq!(
        err.message,
        "services.web must be a mapping, but it is a list"
    );
}

#[test]
fn unknown_keys_are_warnings_with_a_suggestion() {
    let (spec, warnings) = map_one(
        r#"services:
  web:
    image: nginx
    privilegd: true
    x-custom: {anything: [goes]}
    deploy:
      resources:
        limits: {memory: 64m, swap: 1g}
    volumes:
      - type: bind
        source: /data
        target: /data
        bind: {propagation: rshared, create_host_path: true, recursve: enabled}
    labels: {any.key: is-fine}
"#,
    );
    assert!(spec.privileged.is_none());
    assert_eq!(spec.memory.unwrap().value, 64 << 20);
    let messages: Vec<_> = warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages[0].starts_with("unknown key `services.web.privilegd`"));
    assert!(warnings[0]
        .hint
        .as_deref()
        .unwrap()
        .contains("did you mean `privileged`?"));
    assert_eq!(warnings[0].span.unwrap().start.line, 4);
    assert!(messages[1].starts_with("unknown key `services.web.deploy.resources.limits.swap`"));
    assert!(messages[2].starts_with("unknown key `services.web.volumes[0].bind.recursve`"));
    assert!(warnings[2].hint.as_deref().unwrap().contains("`recursive`"));
}

#[test]
fn hostile_sizes_stay_bounded() {
    // More entries than any real service has: a clear error, not a huge RunSpec.
    let mut yaml = String::from("services:\n  web:\n    ports:\n");
    for i in 0..50_000u32 {
        yaml.push_str(&format!("      - {}\n", 1024 + i % 60_000));
    }
    let err = map_one_err(&yaml);
    assert_eq!(
        err.message,
        "services.web.ports has 50000 entries; plimsoll audits at most 10000"
    );
    assert_eq!(err.span.unwrap().start.line, 4);

    // A very long value: the quote is cut.
    let yaml = format!(
        "services:\n  web:\n    image: \"{}\"\n",
        "a".repeat(200_000)
    );
    let (spec, _) = map_one(&yaml);
    assert_eq!(spec.image.as_ref().unwrap().value.len(), 200_000);
    assert!(spec.image.unwrap().origin.written.chars().count() <= 120);

    // Thousands of made-up keys: a bounded number of warnings.
    let mut yaml = String::from("services:\n  web:\n    image: nginx\n");
    for i in 0..20_000 {
        yaml.push_str(&format!("    made_up_{i}: 1\n"));
    }
    let (_, warnings) = map_one(&yaml);
    assert_eq!(warnings.len(), 51, "{:?}", warnings.last());
    assert_eq!(
        warnings.last().unwrap().message,
        "19950 more unknown keys under services.web not shown"
    );

    // `volumes_from` many services with many volumes: bounded work, and said so.
    let mut yaml = String::from("services:\n  web:\n    volumes_from:\n");
    for s in 0..20 {
        yaml.push_str(&format!("      - s{s}\n"));
    }
    for s in 0..20 {
        yaml.push_str(&format!("  s{s}:\n    volumes:\n"));
        for v in 0..1_000 {
            yaml.push_str(&format!("      - /data/{s}/{v}:/d/{v}\n"));
        }
    }
    let (spec, warnings) = map_one(&yaml);
    assert_eq!(spec.mounts.len(), 10_000);
    assert!(
        warnings[0]
            .message
            .contains("more than 10000 inherited volumes"),
        "{warnings:?}"
    );
}

/// Every service of every corpus file maps without panicking. Without the loader (no
/// interpolation here), a value that still holds `${…}` may fail to type; nothing else may.
#[test]
fn corpus_services_map() {
    let Some(dir) = plimsoll_testkit::corpora::locate("compose") else {
        return;
    };
    let mut services = 0;
    let mut entries: Vec<_> = std::fs::read_dir(dir.join("files"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let Ok(docs) = parse(&name, &text, &Limits::default()) else {
            continue;
        };
        for model in &docs {
            for result in map_model(model) {
                services += 1;
                if let Err(e) = result {
                    let line = e.span.map_or(0, |s| s.start.line) as usize;
                    let source = text.lines().nth(line.saturating_sub(1)).unwrap_or_default();
                    assert!(
                        source.contains("${") || e.message.contains("${"),
                        "{name}:{line}: {} (line: {source:?})",
                        e.message
                    );
                }
            }
        }
    }
    assert!(services > 500, "only {services} services mapped");
}

/// Through the loader: interpolation, path resolution and env files reach the RunSpec as
/// compose-go would type them.
#[test]
fn through_the_loader() {
    use plimsoll_runspec::compose::{load, LoadOptions, MemoryFiles};
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    let compose = r#"services:
  app:
    image: ${IMAGE:-app:latest}
    privileged: ${PRIVILEGED}
    cpus: ${CPUS}
    pids_limit: ${PIDS:-100}
    ports:
      - "${PORT}:80"
    volumes:
      - ./data:/data:ro
    env_file: ./app.env
    environment:
      DB_PASSWORD: ${DB_PASSWORD}
      API_KEY: ${API_KEY:-changeme}
      PLAIN: literal
"#;
    let fs = MemoryFiles::new()
        .with("/srv/proj/compose.yaml", compose)
        .with(
            "/srv/proj/app.env",
            "FROM_FILE=1\nPLAIN=overridden-by-environment\n",
        );
    let env: BTreeMap<String, String> = [
        ("PRIVILEGED", "true"),
        ("CPUS", "0.5"),
        ("PORT", "8080"),
        ("DB_PASSWORD", "s3cret"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let opts = LoadOptions {
        files: vec![PathBuf::from("compose.yaml")],
        working_dir: PathBuf::from("/srv/proj"),
        env,
        ..LoadOptions::default()
    };
    let project = load(&opts, &fs).expect("the project loads");
    let app = &project.services[0];
    assert_eq!(app.image.as_ref().unwrap().value, "app:latest");
    assert_eq!(
        app.image.as_ref().unwrap().origin.written,
        "image: app:latest (from ${IMAGE:-app:latest})"
    );
    assert!(app.privileged.as_ref().unwrap().value);
    assert_eq!(app.cpus.as_ref().unwrap().value, 0.5);
    assert_eq!(app.pids_limit.as_ref().unwrap().value, 100);
    let port = &app.ports[0].value;
    assert_eq!(port.host_port.unwrap().start, 8080);
    let data = &app.mounts[0];
    assert_eq!(data.value.kind, MountKind::Bind);
    assert_eq!(data.value.source.as_deref(), Some("/srv/proj/data"));
    assert!(
        data.origin.written.contains("(from ./data:/data:ro)"),
        "{}",
        data.origin.written
    );

    let env: Vec<_> = app
        .environment
        .iter()
        .map(|e| {
            (
                e.value.name.as_str(),
                e.value.value.as_deref(),
                e.value.from.clone(),
            )
        })
        .collect();
    let app_env = app.env_files[0].value.clone();
    assert_eq!(
        env,
        [
            ("DB_PASSWORD", Some("s3cret"), EnvFrom::Interpolated),
            ("API_KEY", Some("changeme"), EnvFrom::Literal),
            ("PLAIN", Some("literal"), EnvFrom::Literal),
            ("FROM_FILE", Some("1"), EnvFrom::EnvFile(app_env)),
        ]
    );
    // The secret from the environment is not quoted as evidence.
    assert_eq!(
        app.environment[0].origin.written,
        "environment: DB_PASSWORD=${DB_PASSWORD}"
    );
}

/// A value that an unset variable emptied names what was written, the usual cause.
#[test]
fn errors_quote_the_text_before_interpolation() {
    let env = std::collections::BTreeMap::new();
    let err = plimsoll_runspec::compose::load_str(
        "compose.yaml",
        "services:\n  web:\n    image: nginx\n    volumes:\n      - \"${DATA}:/data\"\n",
        &env,
    )
    .unwrap_err();
    assert_eq!(err.path, "compose.yaml");
    assert_eq!(err.span.unwrap().start.line, 5);
    assert!(
        err.message.starts_with(
            "services.web.volumes[0]: a string (`:/data`, from `${DATA}:/data`) is not a volume"
        ),
        "{err:?}"
    );
}
