//! The compose loader on in-memory projects: file discovery, merging, `.env` and environment
//! precedence, `extends`, `include`, profiles, `!reset`/`!override`, anchors, and that merged
//! and interpolated values still point at the file and line they were written on.

use plimsoll_runspec::compose::{load, load_str, FileKind, LoadOptions, MemoryFiles, Project};
use plimsoll_runspec::yaml::Node;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn opts(files: &[&str]) -> LoadOptions {
    LoadOptions {
        files: files.iter().map(PathBuf::from).collect(),
        working_dir: PathBuf::from("/p"),
        ..LoadOptions::default()
    }
}

fn ok(o: &LoadOptions, fs: &MemoryFiles) -> Project {
    match load(o, fs) {
        Ok(p) => p,
        Err(e) => panic!("load failed: {e:?}"),
    }
}

/// The node at a dotted path (`services.web.ports.0`).
fn at<'n>(node: &'n Node, path: &str) -> &'n Node {
    path.split('.').fold(node, |n, seg| {
        let next = match seg.parse::<usize>() {
            Ok(i) if n.as_seq().is_some() => n.as_seq().and_then(|s| s.get(i)),
            _ => n.get(seg),
        };
        next.unwrap_or_else(|| panic!("no `{seg}` in `{path}`"))
    })
}

fn has(node: &Node, path: &str) -> bool {
    let mut cur = node;
    for seg in path.split('.') {
        match cur.get(seg) {
            Some(n) => cur = n,
            None => return false,
        }
    }
    true
}

fn str_at<'n>(node: &'n Node, path: &str) -> &'n str {
    at(node, path)
        .as_str()
        .unwrap_or_else(|| panic!("`{path}` is not a string"))
}

fn texts(node: &Node) -> Vec<String> {
    node.as_seq()
        .unwrap_or_else(|| panic!("not a list: {node:?}"))
        .iter()
        .map(|n| n.as_scalar().map(|s| s.text.clone()).unwrap_or_default())
        .collect()
}

fn line(node: &Node) -> u32 {
    node.span.start.line
}

fn names(p: &Project) -> Vec<String> {
    p.services.iter().map(|s| s.name.clone()).collect()
}

fn warned(p: &Project, needle: &str) -> bool {
    p.diagnostics.iter().any(|d| d.message.contains(needle))
}

#[test]
fn two_files_merge_and_override_values_point_at_the_override() {
    let fs = MemoryFiles::new()
        .with(
            "/p/compose.yaml",
            "services:\n  web:\n    image: nginx:1.25\n    ports: ['8080:80']\n    environment:\n      A: base\n      B: base\n",
        )
        .with(
            "/p/prod.yaml",
            "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n    ports: ['127.0.0.1:9090:90']\n    environment:\n      B: prod\n",
        );
    let p = ok(&opts(&["compose.yaml", "prod.yaml"]), &fs);
    let web = at(&p.model, "services.web");
    assert_eq!(str_at(web, "image"), "nginx:1.27");
    assert_eq!(&*at(web, "image").file, "prod.yaml");
    assert_eq!(line(at(web, "image")), 3);
    assert_eq!(&*at(web, "privileged").file, "prod.yaml");
    assert_eq!(line(at(web, "privileged")), 4);
    assert_eq!(texts(at(web, "ports")), ["8080:80", "127.0.0.1:9090:90"]);
    assert_eq!(&*at(web, "ports.0").file, "compose.yaml");
    assert_eq!(&*at(web, "ports.1").file, "prod.yaml");
    assert_eq!(str_at(web, "environment.A"), "base");
    assert_eq!(str_at(web, "environment.B"), "prod");
    assert_eq!(&*at(web, "environment.B").file, "prod.yaml");
    assert_eq!(names(&p), ["web"]);
    assert_eq!(p.name, "p");
    let kinds: Vec<_> = p.files.iter().map(|f| (f.path.as_str(), f.kind)).collect();
    assert_eq!(
        kinds,
        [
            ("compose.yaml", FileKind::Compose),
            ("prod.yaml", FileKind::Compose)
        ]
    );
}

#[test]
fn default_files_and_the_override_file_are_discovered() {
    let fs = MemoryFiles::new()
        .with("/p/compose.yaml", "services:\n  web:\n    image: a\n")
        .with(
            "/p/compose.override.yaml",
            "services:\n  web:\n    user: root\n",
        );
    let p = ok(&opts(&[]), &fs);
    assert_eq!(str_at(&p.model, "services.web.user"), "root");
    assert_eq!(
        &*at(&p.model, "services.web.user").file,
        "compose.override.yaml"
    );
    let paths: Vec<_> = p.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["compose.yaml", "compose.override.yaml"]);
}

#[test]
fn several_default_files_warn_and_the_first_in_compose_order_wins() {
    let fs = MemoryFiles::new()
        .with("/p/docker-compose.yaml", "services:\n  a:\n    image: a\n")
        .with("/p/docker-compose.yml", "services:\n  b:\n    image: b\n");
    let p = ok(&opts(&[]), &fs);
    // compose-go prefers docker-compose.yml over docker-compose.yaml.
    assert_eq!(names(&p), ["b"]);
    assert!(
        warned(&p, "found multiple config files"),
        "{:?}",
        p.diagnostics
    );
}

#[test]
fn discovery_walks_up_to_the_parent_directories() {
    let fs = MemoryFiles::new()
        .with(
            "/p/compose.yml",
            "services:\n  web:\n    image: a\n    volumes: ['./data:/data']\n",
        )
        .with("/p/.env", "X=1\n");
    let o = LoadOptions {
        working_dir: PathBuf::from("/p/sub/dir"),
        ..LoadOptions::default()
    };
    let p = ok(&o, &fs);
    let compose: Vec<_> = p
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Compose)
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(compose, ["../../compose.yml"]);
    assert!(
        p.files.iter().any(|f| f.path == "../../.env"),
        "the project directory's .env"
    );
    assert_eq!(p.project_dir, PathBuf::from("/p"));
    assert_eq!(str_at(&p.model, "services.web.volumes.0"), "/p/data:/data");
    assert_eq!(p.name, "p");
}

#[test]
fn no_compose_file_is_an_error_with_a_hint() {
    let e = load(&opts(&[]), &MemoryFiles::new()).expect_err("an error");
    assert!(
        e.message.contains("no configuration file provided"),
        "{e:?}"
    );
    assert!(e.hint.is_some());
    let e = load(&opts(&["missing.yaml"]), &MemoryFiles::new()).expect_err("an error");
    assert_eq!(e.path, "missing.yaml");
    assert!(e.message.contains("cannot find the compose file"), "{e:?}");
}

#[test]
fn environment_wins_over_dotenv_and_env_file_replaces_dotenv() {
    let fs = MemoryFiles::new()
        .with(
            "/p/compose.yaml",
            "services:\n  web:\n    image: app:${TAG}\n    user: ${USER_ID:-1000}\n    hostname: ${HOST}\n",
        )
        .with("/p/.env", "TAG=dotenv\nUSER_ID=0\nHOST=from-dotenv\n")
        .with("/p/prod.env", "TAG=prodenv\n");
    let mut o = opts(&["compose.yaml"]);
    o.env = env(&[("TAG", "shell")]);
    let p = ok(&o, &fs);
    assert_eq!(str_at(&p.model, "services.web.image"), "app:shell");
    assert_eq!(str_at(&p.model, "services.web.user"), "0");
    assert_eq!(str_at(&p.model, "services.web.hostname"), "from-dotenv");
    assert!(p
        .files
        .iter()
        .any(|f| f.path == ".env" && f.kind == FileKind::DotEnv));

    o.env = BTreeMap::new();
    o.env_files = vec![PathBuf::from("prod.env")];
    let p = ok(&o, &fs);
    assert_eq!(str_at(&p.model, "services.web.image"), "app:prodenv");
    assert_eq!(str_at(&p.model, "services.web.user"), "1000");
    assert!(!p.files.iter().any(|f| f.path == ".env"));

    o.env_files = vec![PathBuf::from("nope.env")];
    let e = load(&o, &fs).expect_err("a missing --env-file is an error");
    assert!(e.message.contains("nope.env"), "{e:?}");
}

#[test]
fn interpolated_values_keep_their_position_and_written_text() {
    let fs = MemoryFiles::new().with(
        "/p/compose.yaml",
        "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASS}\n",
    );
    let mut o = opts(&["compose.yaml"]);
    o.env = env(&[("DB_PASS", "s3cret")]);
    let p = ok(&o, &fs);
    let pass = at(&p.model, "services.db.environment.POSTGRES_PASSWORD");
    assert_eq!(pass.as_str(), Some("s3cret"));
    assert_eq!(line(pass), 5);
    assert_eq!(
        pass.as_scalar().and_then(|s| s.original.as_deref()),
        Some("${DB_PASS}")
    );
}

#[test]
fn project_name_precedence() {
    let fs = MemoryFiles::new()
        .with(
            "/p/My App/compose.yaml",
            "services:\n  web:\n    image: a\n",
        )
        .with(
            "/p/named.yaml",
            "name: ${PREFIX}-Named\nservices:\n  web:\n    image: a\n",
        );
    let mut o = opts(&["My App/compose.yaml"]);
    assert_eq!(ok(&o, &fs).name, "myapp");
    o.env = env(&[("COMPOSE_PROJECT_NAME", "fromenv")]);
    assert_eq!(ok(&o, &fs).name, "fromenv");
    o.project_name = Some("flag".into());
    assert_eq!(ok(&o, &fs).name, "flag");
    o.project_name = Some("Bad Name".into());
    let e = load(&o, &fs).expect_err("invalid name");
    assert!(e.message.contains("invalid project name"), "{e:?}");

    let mut o = opts(&["named.yaml"]);
    o.env = env(&[("PREFIX", "Acme")]);
    assert_eq!(ok(&o, &fs).name, "acme-named");
}

#[test]
fn compose_project_name_is_available_to_interpolation() {
    let p = load_str(
        "demo/compose.yaml",
        "services:\n  web:\n    image: a\n    container_name: ${COMPOSE_PROJECT_NAME}-web\n",
        &BTreeMap::new(),
    )
    .expect("loads");
    assert_eq!(p.name, "demo");
    assert_eq!(str_at(&p.model, "services.web.container_name"), "demo-web");
}

#[test]
fn extends_in_the_same_file() {
    let p = load_str(
        "compose.yaml",
        "services:\n  base:\n    image: app\n    cap_add: [NET_ADMIN]\n    environment: {A: '1'}\n  web:\n    extends: base\n    cap_add: [SYS_ADMIN]\n    environment: {B: '2'}\n  worker:\n    extends:\n      service: web\n    command: work\n",
        &BTreeMap::new(),
    )
    .expect("loads");
    let web = at(&p.model, "services.web");
    assert!(!has(web, "extends"));
    assert_eq!(str_at(web, "image"), "app");
    assert_eq!(
        line(at(web, "image")),
        3,
        "the inherited value points at the base"
    );
    assert_eq!(texts(at(web, "cap_add")), ["NET_ADMIN", "SYS_ADMIN"]);
    assert_eq!(str_at(web, "environment.A"), "1");
    assert_eq!(str_at(web, "environment.B"), "2");
    let worker = at(&p.model, "services.worker");
    assert_eq!(texts(at(worker, "cap_add")), ["NET_ADMIN", "SYS_ADMIN"]);
    assert_eq!(str_at(worker, "command"), "work");
    assert_eq!(names(&p), ["base", "web", "worker"]);
}

#[test]
fn extends_from_another_file_rebases_its_paths() {
    let fs = MemoryFiles::new()
        .with(
            "/p/compose.yaml",
            "services:\n  web:\n    extends:\n      file: common/base.yaml\n      service: app\n    volumes: ['./local:/local']\n",
        )
        .with(
            "/p/common/base.yaml",
            "services:\n  app:\n    build: .\n    image: app:${TAG:-dev}\n    env_file: app.env\n    volumes: ['./data:/data', '/var/run/docker.sock:/var/run/docker.sock']\n",
        )
        .with("/p/common/app.env", "X=1\n");
    let p = ok(&opts(&["compose.yaml"]), &fs);
    let web = at(&p.model, "services.web");
    assert_eq!(str_at(web, "build"), "/p/common");
    assert_eq!(str_at(web, "image"), "app:dev");
    assert_eq!(str_at(web, "env_file"), "/p/common/app.env");
    assert_eq!(
        texts(at(web, "volumes")),
        [
            "/p/common/data:/data",
            "/var/run/docker.sock:/var/run/docker.sock",
            "/p/local:/local"
        ]
    );
    assert_eq!(&*at(web, "volumes.1").file, "common/base.yaml");
    assert_eq!(line(at(web, "volumes.1")), 6);
    assert!(p
        .files
        .iter()
        .any(|f| f.path == "common/base.yaml" && f.kind == FileKind::Extends));
}

#[test]
fn extends_cycles_are_errors_naming_the_chain() {
    let e = load_str(
        "compose.yaml",
        "services:\n  a:\n    image: x\n    extends: b\n  b:\n    extends: c\n  c:\n    extends: a\n",
        &BTreeMap::new(),
    )
    .expect_err("a cycle");
    assert!(e.message.contains("circular `extends`"), "{e:?}");
    assert!(e.message.contains("a (compose.yaml) extends b (compose.yaml) extends c (compose.yaml) extends a (compose.yaml)"), "{e:?}");
    assert_eq!(e.path, "compose.yaml");
    assert!(e.span.is_some());

    let fs = MemoryFiles::new()
        .with(
            "/p/compose.yaml",
            "services:\n  a:\n    extends: {file: other.yaml, service: b}\n",
        )
        .with(
            "/p/other.yaml",
            "services:\n  b:\n    extends: {file: compose.yaml, service: a}\n",
        );
    let e = load(&opts(&["compose.yaml"]), &fs).expect_err("a cycle across files");
    assert!(e.message.contains("circular `extends`"), "{e:?}");

    let e = load_str(
        "compose.yaml",
        "services:\n  a:\n    extends: nope\n",
        &BTreeMap::new(),
    )
    .expect_err("missing base");
    assert!(e.message.contains("service `nope` not found"), "{e:?}");
    assert_eq!(e.span.map(|s| s.start.line), Some(3));
}

#[test]
fn reset_and_override_tags_between_files() {
    let fs = MemoryFiles::new()
        .with(
            "/p/compose.yaml",
            "services:\n  app:\n    image: myapp\n    ports: ['8080:80']\n    environment:\n      FOO: BAR\n      KEEP: 'yes'\n    cap_add: [NET_ADMIN]\n",
        )
        .with(
            "/p/compose.override.yaml",
            "services:\n  app:\n    ports: !reset []\n    environment:\n      FOO: !reset null\n    cap_add: !override [CHOWN]\n",
        );
    let p = ok(&opts(&[]), &fs);
    let app = at(&p.model, "services.app");
    assert!(!has(app, "ports"));
    assert!(!has(app, "environment.FOO"));
    assert_eq!(str_at(app, "environment.KEEP"), "yes");
    assert_eq!(texts(at(app, "cap_add")), ["CHOWN"]);
    assert_eq!(&*at(app, "cap_add").file, "compose.override.yaml");
    assert_eq!(at(app, "cap_add").tag, None);
}

#[test]
fn reset_in_an_extending_service() {
    let p = load_str(
        "compose.yaml",
        "services:\n  init:\n    image: alpine:latest\n    command: \"sleep infinity\"\n  base:\n    extends: { service: init }\n    command: !reset\n",
        &BTreeMap::new(),
    )
    .expect("loads");
    assert!(!has(at(&p.model, "services.base"), "command"));
    assert_eq!(str_at(&p.model, "services.base.image"), "alpine:latest");
}

#[test]
fn anchors_and_merge_keys() {
    let p = load_str(
        "compose.yaml",
        "x-common: &common\n  restart: always\n  environment:\n    LOG: debug\nservices:\n  a:\n    <<: *common\n    image: a\n  b:\n    <<: *common\n    image: b\n    restart: 'no'\n",
        &BTreeMap::new(),
    )
    .expect("loads");
    assert_eq!(str_at(&p.model, "services.a.restart"), "always");
    assert_eq!(
        line(at(&p.model, "services.a.restart")),
        7,
        "a merged key points at the service's `<<: *common`, not at the anchor"
    );
    assert_eq!(
        line(at(&p.model, "services.a.environment.LOG")),
        4,
        "inside a merged collection, values keep the anchor's lines"
    );
    assert_eq!(str_at(&p.model, "services.b.restart"), "no");
    assert_eq!(str_at(&p.model, "services.b.environment.LOG"), "debug");
}

#[test]
fn profiles_from_flags_and_compose_profiles() {
    let fs = MemoryFiles::new()
        .with(
            "/p/compose.yaml",
            "services:\n  app: {image: a}\n  debug:\n    image: b\n    profiles: [debug]\n  test:\n    image: c\n    profiles: [test]\n",
        );
    let mut o = opts(&["compose.yaml"]);
    let p = ok(&o, &fs);
    assert_eq!(names(&p), ["app"]);
    assert!(!has(&p.model, "services.debug"));
    assert!(warned(&p, "services are not audited: their profiles are not enabled: `debug` (debug), `test` (test)"), "{:?}", p.diagnostics);
    o.profiles = vec!["debug".into()];
    assert_eq!(names(&ok(&o, &fs)), ["app", "debug"]);
    o.profiles = vec!["*".into()];
    assert_eq!(names(&ok(&o, &fs)), ["app", "debug", "test"]);
    o.profiles = vec![];
    o.env = env(&[("COMPOSE_PROFILES", "test")]);
    assert_eq!(names(&ok(&o, &fs)), ["app", "test"]);
    // COMPOSE_PROFILES may come from .env.
    let fs = fs.with("/p/.env", "COMPOSE_PROFILES=debug,test\n");
    o.env = BTreeMap::new();
    let p = ok(&o, &fs);
    assert_eq!(names(&p), ["app", "debug", "test"]);
    assert_eq!(p.profiles, ["debug", "test"]);
}

#[test]
fn include_loads_a_project_with_its_own_directory_and_env() {
    let fs = MemoryFiles::new()
        .with(
            "/p/compose.yaml",
            "include:\n  - sub/compose.yaml\nservices:\n  web:\n    image: web\n    depends_on: [db]\n",
        )
        .with(
            "/p/sub/compose.yaml",
            "services:\n  db:\n    image: postgres:${PG}\n    volumes: ['./pgdata:/var/lib/postgresql/data']\nvolumes:\n  cache: {}\n",
        )
        .with("/p/sub/.env", "PG=16\n");
    let p = ok(&opts(&["compose.yaml"]), &fs);
    assert_eq!(names(&p), ["web", "db"]);
    let db = at(&p.model, "services.db");
    assert_eq!(str_at(db, "image"), "postgres:16");
    assert_eq!(&*at(db, "image").file, "sub/compose.yaml");
    assert_eq!(
        texts(at(db, "volumes")),
        ["/p/sub/pgdata:/var/lib/postgresql/data"]
    );
    assert!(has(&p.model, "volumes.cache"));
    assert!(!has(&p.model, "include"));
    assert!(p
        .files
        .iter()
        .any(|f| f.path == "sub/compose.yaml" && f.kind == FileKind::Include));
    assert!(p
        .files
        .iter()
        .any(|f| f.path == "sub/.env" && f.kind == FileKind::DotEnv));
}

#[test]
fn the_including_environment_wins_over_the_included_env_file() {
    let fs = MemoryFiles::new()
        .with(
            "/p/compose.yaml",
            "include:\n  - path: sub/compose.yaml\n    env_file: conf/inc.env\n",
        )
        .with(
            "/p/sub/compose.yaml",
            "services:\n  db:\n    image: postgres:${PG}\n    user: ${DBUSER}\n",
        )
        .with("/p/conf/inc.env", "PG=15\nDBUSER=postgres\n")
        .with("/p/.env", "PG=17\n");
    let p = ok(&opts(&["compose.yaml"]), &fs);
    assert_eq!(str_at(&p.model, "services.db.image"), "postgres:17");
    assert_eq!(str_at(&p.model, "services.db.user"), "postgres");
}

#[test]
fn include_project_directory_changes_the_base_of_relative_paths() {
    let fs = MemoryFiles::new()
        .with(
            "/p/compose.yaml",
            "include:\n  - path: ../commons/compose.yaml\n    project_directory: ..\n",
        )
        .with(
            "/commons/compose.yaml",
            "services:\n  svc:\n    build: ./commons/app\n    env_file: [./commons/extra.env]\n",
        );
    let p = ok(&opts(&["compose.yaml"]), &fs);
    let svc = at(&p.model, "services.svc");
    assert_eq!(str_at(svc, "build"), "/commons/app");
    assert_eq!(texts(at(svc, "env_file")), ["/commons/extra.env"]);
}

#[test]
fn an_included_resource_redefined_locally_is_merged_with_a_warning() {
    let fs = MemoryFiles::new()
        .with(
            "/p/compose.yaml",
            "include: [inc.yaml]\nservices:\n  db:\n    environment: !override [ZOT=QIX]\n    read_only: true\n",
        )
        .with(
            "/p/inc.yaml",
            "services:\n  db:\n    image: postgres\n    environment: [FOO=BAR]\n",
        );
    let p = ok(&opts(&["compose.yaml"]), &fs);
    let db = at(&p.model, "services.db");
    assert_eq!(str_at(db, "image"), "postgres");
    assert_eq!(texts(at(db, "environment")), ["ZOT=QIX"]);
    assert!(at(db, "read_only").as_bool() == Some(true));
    let w = p
        .diagnostics
        .iter()
        .find(|d| d.message.contains("also defined by the included"))
        .expect("a warning");
    assert_eq!(w.path, "compose.yaml");
    assert_eq!(w.span.map(|s| s.start.line), Some(3));
}

#[test]
fn include_cycles_and_missing_includes_are_errors() {
    let fs = MemoryFiles::new()
        .with(
            "/p/compose.yaml",
            "include: [a.yaml]\nservices:\n  web: {image: w}\n",
        )
        .with(
            "/p/a.yaml",
            "include: [compose.yaml]\nservices:\n  a: {image: a}\n",
        );
    let e = load(&opts(&["compose.yaml"]), &fs).expect_err("a cycle");
    assert!(
        e.message
            .contains("include cycle detected: compose.yaml includes a.yaml includes compose.yaml"),
        "{e:?}"
    );
    assert_eq!(e.path, "a.yaml");

    let e = load_str(
        "compose.yaml",
        "include:\n  - nope.yaml\n",
        &BTreeMap::new(),
    )
    .expect_err("missing include");
    assert_eq!(e.path, "compose.yaml");
    assert_eq!(e.span.map(|s| s.start.line), Some(2));
    assert!(e.message.contains("nope.yaml"), "{e:?}");
}

#[test]
fn relative_project_directories_keep_relative_paths() {
    let fs = MemoryFiles::new().with(
        "app/compose.yaml",
        "services:\n  web:\n    build: .\n    volumes: ['./data:/data', '../../etc:/host']\n",
    );
    let o = LoadOptions {
        files: vec![PathBuf::from("app/compose.yaml")],
        ..LoadOptions::default()
    };
    let p = ok(&o, &fs);
    assert_eq!(str_at(&p.model, "services.web.build"), "app");
    assert_eq!(
        texts(at(&p.model, "services.web.volumes")),
        ["./app/data:/data", "../etc:/host"]
    );
    assert_eq!(p.name, "app");
}

#[test]
fn a_partial_file_is_audited_with_a_warning() {
    let p = load_str(
        "override.yaml",
        "services:\n  web:\n    privileged: true\n",
        &BTreeMap::new(),
    )
    .expect("loads");
    assert_eq!(names(&p), ["web"]);
    assert!(
        warned(&p, "neither `image` nor `build`"),
        "{:?}",
        p.diagnostics
    );
}

#[test]
fn version_is_obsolete_and_empty_services_are_skipped() {
    let p = load_str(
        "compose.yaml",
        "version: '3.8'\nservices:\n  web:\n    image: a\n  nil:\n",
        &BTreeMap::new(),
    )
    .expect("loads");
    assert!(!has(&p.model, "version"));
    assert!(warned(&p, "`version` is obsolete"));
    assert!(warned(&p, "service `nil` is empty"));
    assert_eq!(names(&p), ["web"]);
}

#[test]
fn structural_errors_point_at_the_cause() {
    let e = load_str("c.yaml", "- a\n- b\n", &BTreeMap::new()).expect_err("error");
    assert!(e.message.contains("must be a mapping"), "{e:?}");
    assert_eq!(e.span.map(|s| s.start.line), Some(1));

    let e = load_str("c.yaml", "services:\n  - web\n", &BTreeMap::new()).expect_err("error");
    assert!(e.message.contains("`services` must be a mapping"), "{e:?}");

    let e = load_str(
        "c.yaml",
        "services:\n  web:\n    image: [\n",
        &BTreeMap::new(),
    )
    .expect_err("invalid YAML");
    assert_eq!(e.path, "c.yaml");
    assert!(e.span.is_some());

    let e = load_str("c.yaml", "# nothing\n", &BTreeMap::new()).expect_err("error");
    assert!(e.message.contains("empty compose file"), "{e:?}");

    let e = load_str(
        "c.yaml",
        "services:\n  web:\n    image: ${IMAGE:?set IMAGE}\n",
        &BTreeMap::new(),
    )
    .expect_err("a required variable");
    assert_eq!(e.path, "c.yaml");
    assert_eq!(e.span.map(|s| s.start.line), Some(3));
}

#[test]
fn a_type_conflict_between_files_names_both() {
    let fs = MemoryFiles::new()
        .with(
            "/p/a.yaml",
            "services:\n  web:\n    image: a\n    ports: ['80:80']\n",
        )
        .with("/p/b.yaml", "services:\n  web:\n    ports: '81:81'\n");
    let e = load(&opts(&["a.yaml", "b.yaml"]), &fs).expect_err("error");
    assert_eq!(e.path, "b.yaml");
    assert!(e.message.contains("services.web.ports"), "{e:?}");
    assert!(e.message.contains("a.yaml"), "{e:?}");
}

#[test]
fn several_documents_in_one_file_merge_in_order() {
    let p = load_str(
        "c.yaml",
        "services:\n  web:\n    image: a\n---\nservices:\n  web:\n    image: b\n",
        &BTreeMap::new(),
    )
    .expect("loads");
    assert_eq!(str_at(&p.model, "services.web.image"), "b");
    assert_eq!(line(at(&p.model, "services.web.image")), 7);
}

#[test]
fn env_files_of_services_are_read_through_the_file_source() {
    let fs = MemoryFiles::new()
        .with(
            "/p/compose.yaml",
            "services:\n  web:\n    image: a\n    env_file: [web.env, {path: missing.env, required: false}]\n",
        )
        .with("/p/web.env", "TOKEN=abc\n");
    let p = ok(&opts(&["compose.yaml"]), &fs);
    assert!(p
        .files
        .iter()
        .any(|f| f.path == "web.env" && f.kind == FileKind::EnvFile));
    assert_eq!(str_at(&p.model, "services.web.env_file.0"), "/p/web.env");
    assert_eq!(
        str_at(&p.model, "services.web.env_file.1.path"),
        "/p/missing.env"
    );
}

#[test]
fn nested_extends_across_directories_rebase_each_level() {
    let fs = MemoryFiles::new()
        .with(
            "/p/compose.yaml",
            "services:\n  web:\n    extends: {file: common/base.yaml, service: app}\n",
        )
        .with(
            "/p/common/base.yaml",
            "services:\n  app:\n    extends: {file: ../shared/root.yaml, service: root}\n    env_file: app.env\n",
        )
        .with(
            "/p/shared/root.yaml",
            "services:\n  root:\n    build: ./ctx\n    image: root\n",
        );
    let p = ok(&opts(&["compose.yaml"]), &fs);
    let web = at(&p.model, "services.web");
    assert_eq!(str_at(web, "build"), "/p/shared/ctx");
    assert_eq!(str_at(web, "env_file"), "/p/common/app.env");
    assert_eq!(&*at(web, "image").file, "shared/root.yaml");
}

#[test]
fn later_files_resolve_paths_against_the_project_directory() {
    let fs = MemoryFiles::new()
        .with("/p/app/compose.yaml", "services:\n  web:\n    image: a\n")
        .with(
            "/p/other/override.yaml",
            "services:\n  web:\n    volumes: ['./x:/x']\n    extends: {file: base.yaml, service: b}\n",
        )
        .with("/p/app/base.yaml", "services:\n  b:\n    user: root\n");
    let p = ok(&opts(&["app/compose.yaml", "other/override.yaml"]), &fs);
    assert_eq!(p.project_dir, PathBuf::from("/p/app"));
    assert_eq!(str_at(&p.model, "services.web.volumes.0"), "/p/app/x:/x");
    assert_eq!(str_at(&p.model, "services.web.user"), "root");

    let mut o = opts(&["app/compose.yaml", "other/override.yaml"]);
    o.project_directory = Some(PathBuf::from("other"));
    let fs = fs.with("/p/other/base.yaml", "services:\n  b:\n    user: nobody\n");
    let p = ok(&o, &fs);
    assert_eq!(str_at(&p.model, "services.web.volumes.0"), "/p/other/x:/x");
    assert_eq!(str_at(&p.model, "services.web.user"), "nobody");
    assert_eq!(p.name, "other");
}

#[test]
fn compose_file_variable_and_env_file_order() {
    let fs = MemoryFiles::new()
        .with(
            "/p/a.yaml",
            "services:\n  web:\n    image: ${IMG}\n    user: ${U}\n",
        )
        .with("/p/b.yaml", "services:\n  web:\n    read_only: true\n")
        .with(
            "/p/.env",
            "COMPOSE_FILE=a.yaml:b.yaml\nIMG=from-dotenv\nU=dotenv\n",
        )
        .with("/p/one.env", "IMG=one\nU=one\n")
        .with("/p/two.env", "IMG=two\n");
    let p = ok(&opts(&[]), &fs);
    assert_eq!(str_at(&p.model, "services.web.image"), "from-dotenv");
    assert_eq!(at(&p.model, "services.web.read_only").as_bool(), Some(true));

    // --env-file replaces .env; a later one wins over an earlier one.
    let mut o = opts(&["a.yaml"]);
    o.env_files = vec![PathBuf::from("one.env"), PathBuf::from("two.env")];
    let p = ok(&o, &fs);
    assert_eq!(str_at(&p.model, "services.web.image"), "two");
    assert_eq!(str_at(&p.model, "services.web.user"), "one");

    // COMPOSE_DISABLE_ENV_FILE turns the default .env off.
    let mut o = opts(&["a.yaml"]);
    o.env = env(&[("COMPOSE_DISABLE_ENV_FILE", "true"), ("IMG", "shell")]);
    let p = ok(&o, &fs);
    assert_eq!(str_at(&p.model, "services.web.image"), "shell");
    assert!(
        warned(&p, "\"U\" variable is not set"),
        "{:?}",
        p.diagnostics
    );
}

#[test]
fn include_env_file_dev_null_and_nested_includes() {
    let fs = MemoryFiles::new()
        .with(
            "/p/compose.yaml",
            "include:\n  - path: [a/compose.yaml, a/extra.yaml]\n    env_file: /dev/null\n",
        )
        .with(
            "/p/a/compose.yaml",
            "include: [b/compose.yaml]\nservices:\n  a:\n    image: a:${TAG:-none}\n",
        )
        .with(
            "/p/a/extra.yaml",
            "services:\n  a:\n    cap_add: [NET_RAW]\n",
        )
        .with("/p/a/.env", "TAG=should-not-be-read\n")
        .with(
            "/p/a/b/compose.yaml",
            "services:\n  b:\n    image: b\n    volumes: ['./data:/data']\n",
        );
    let p = ok(&opts(&["compose.yaml"]), &fs);
    assert_eq!(str_at(&p.model, "services.a.image"), "a:none");
    assert_eq!(texts(at(&p.model, "services.a.cap_add")), ["NET_RAW"]);
    assert_eq!(
        str_at(&p.model, "services.b.volumes.0"),
        "/p/a/b/data:/data"
    );
    assert_eq!(names(&p), ["a", "b"]);
}

#[test]
fn hostile_projects_are_bounded() {
    // An extends chain written backwards recurses: it is cut at a fixed depth.
    let mut c = String::from("services:\n");
    for i in 0..200 {
        c.push_str(&format!("  s{i}:\n    extends: s{}\n", i + 1));
    }
    c.push_str("  s200:\n    image: x\n");
    let e = load_str("c.yaml", &c, &BTreeMap::new()).expect_err("too deep");
    assert!(e.message.contains("`extends` chain deeper than"), "{e:?}");

    // One unset variable used everywhere: warnings are capped and summarised.
    let mut u = String::from("services:\n  s:\n    image: x\n    environment:\n");
    for i in 0..3000 {
        u.push_str(&format!("      K{i}: ${{NOPE}}\n"));
    }
    let p = load_str("c.yaml", &u, &BTreeMap::new()).expect("loads");
    assert!(p.diagnostics.len() <= 1001, "{}", p.diagnostics.len());
    assert!(warned(&p, "more warnings not shown"));

    // A file included over and over.
    let mut inc = String::from("include:\n");
    for _ in 0..5000 {
        inc.push_str("  - b.yaml\n");
    }
    let fs = MemoryFiles::new()
        .with("/p/compose.yaml", inc)
        .with("/p/b.yaml", "services:\n  b: {image: b}\n");
    let e = load(&opts(&["compose.yaml"]), &fs).expect_err("fan-out");
    assert!(e.message.contains("compose files"), "{e:?}");
}

#[test]
fn tags_in_an_extending_service_also_apply_to_earlier_files() {
    let fs = MemoryFiles::new()
        .with(
            "/p/compose.yaml",
            "services:\n  web:\n    image: a\n    ports: ['1:1']\n    environment: {A: '1', B: '2'}\n",
        )
        .with(
            "/p/override.yaml",
            "services:\n  tpl:\n    cap_add: [NET_ADMIN]\n  web:\n    extends: tpl\n    ports: !override ['9:9']\n    environment:\n      A: !reset\n",
        );
    let p = ok(&opts(&["compose.yaml", "override.yaml"]), &fs);
    let web = at(&p.model, "services.web");
    assert_eq!(texts(at(web, "ports")), ["9:9"]);
    assert!(!has(web, "environment.A"));
    assert_eq!(str_at(web, "environment.B"), "2");
    assert_eq!(texts(at(web, "cap_add")), ["NET_ADMIN"]);
    assert_eq!(at(web, "ports").tag, None);
}

#[test]
fn environment_entries_without_value_come_from_the_project_variables() {
    use plimsoll_runspec::model::EnvFrom;
    let fs = MemoryFiles::new()
        .with(
            "/p/compose.yaml",
            "services:\n  web:\n    image: a\n    environment:\n      - APP_ENV\n      - SHELL_ONLY\n      - NOWHERE\n",
        )
        .with("/p/.env", "APP_ENV=development\n");
    let mut o = opts(&["compose.yaml"]);
    o.env = env(&[("SHELL_ONLY", "yes")]);
    let p = ok(&o, &fs);
    let web = p.services.first().expect("web");
    let got: Vec<_> = web
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
        got,
        [
            // Written in the project's `.env`: where it comes from is known.
            (
                "APP_ENV",
                Some("development"),
                EnvFrom::ProjectEnv {
                    variable: "APP_ENV".into(),
                    at: plimsoll_core::Location::with_span(
                        ".env",
                        plimsoll_core::Span::new(
                            plimsoll_core::Pos::new(1, 9),
                            plimsoll_core::Pos::new(1, 20)
                        )
                    ),
                }
            ),
            ("SHELL_ONLY", Some("yes"), EnvFrom::Caller),
            ("NOWHERE", None, EnvFrom::Caller),
        ]
    );
}

/// A secret typed into the project's `.env` and interpolated into a service's environment
/// (`${DB_PASSWORD}`, or `- API_TOKEN` taking the project variable) is reported by RS031 at
/// its `.env` line and column, redacted; one set by the caller's environment, one that the
/// `.env` itself interpolates, and a setting are not.
#[test]
fn secret_in_project_dotenv_is_reported_at_its_line() {
    let fs = MemoryFiles::new()
        .with(
            "/p/compose.yaml",
            "services:\n  db:\n    image: postgres:16\n    environment:\n      - POSTGRES_PASSWORD=${DB_PASSWORD}\n      - API_TOKEN\n      - SCHEME=${PASS_SCHEME}\n      - CALLER_PASSWORD=${FROM_CALLER}\n",
        )
        .with(
            "/p/.env",
            "# local settings\nDB_PASSWORD=s3cr3t-Passw0rd\nAPI_TOKEN='tok-9f8e7d6c5b4a'\nPASS_SCHEME=BLF-CRYPT\nFROM_CALLER=${OUTER}\n",
        );
    let findings = |env_vars: &[(&str, &str)]| {
        let o = LoadOptions {
            env: env(env_vars),
            ..opts(&["compose.yaml"])
        };
        let p = ok(&o, &fs);
        let policy = plimsoll_core::config::ImagePolicy::default();
        let cx = plimsoll_runspec::rules::Context::new(&policy);
        p.services
            .iter()
            .flat_map(|s| plimsoll_runspec::rules::audit(s, &cx))
            .filter(|f| f.rule_id == "RS031")
            .collect::<Vec<_>>()
    };
    let found = findings(&[("OUTER", "hunter2hunter2")]);
    assert_eq!(found.len(), 2, "{found:#?}");
    let password = &found[0];
    assert_eq!(password.location.path, ".env");
    let span = password.location.span.expect("span");
    assert_eq!((span.start.line, span.start.column), (2, 13));
    assert_eq!((span.end.line, span.end.column), (2, 28));
    assert!(password.message.contains("`POSTGRES_PASSWORD`"));
    assert!(password.message.contains("`DB_PASSWORD` written in `.env`"));
    assert!(!password.message.contains("s3cr3t-Passw0rd"));
    assert!(!password
        .evidence
        .as_deref()
        .unwrap_or_default()
        .contains("s3cr3t-Passw0rd"));
    let token = &found[1];
    assert_eq!(token.location.path, ".env");
    assert_eq!(token.location.span.map(|s| s.start.line), Some(3));
    // The caller's environment wins over `.env`: then the secret is not in the file.
    let found = findings(&[("DB_PASSWORD", "from-the-shell"), ("API_TOKEN", "x")]);
    assert!(found.is_empty(), "{found:#?}");
}
