//! Faults, each with a clear typed error and a hint, and never a hang: daemon down, socket
//! permission denied, wrong DOCKER_HOST, TLS files missing, API too old, a daemon that accepts
//! and never replies, a container removed mid-scan, a daemon that stops answering mid-scan, a
//! web server where the engine should be, and an answer that never ends (the size cap).
//!
//! The daemons here are stubs: a unix socket server in a thread that answers canned HTTP
//! (or nothing at all). No real engine is needed.

use std::os::unix::net::UnixListener;
use std::path::Path;
use std::time::Duration;

use plimsoll_engine::{ContainerQuery, Engine, EngineConfig, EngineError};
use plimsoll_testkit::docker::{Reply, Stub};

/// The unix-socket stub engine, with the test's time limits.
trait StubConfig {
    fn config(&self) -> EngineConfig;
}

impl StubConfig for Stub {
    fn config(&self) -> EngineConfig {
        EngineConfig {
            deadline: Duration::from_secs(5),
            ..cfg(&self.docker_host())
        }
    }
}

const VERSION_1_41: &str = r#"{"Version":"20.10.24","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64"}"#;

fn cfg(host: &str) -> EngineConfig {
    EngineConfig {
        host: Some(host.to_string()),
        call_timeout: Duration::from_millis(400),
        ..EngineConfig::default()
    }
}

fn connect_err(cfg: &EngineConfig) -> EngineError {
    match Engine::connect(cfg) {
        Ok(e) => panic!("connected to {e:?}"),
        Err(e) => {
            // Every fault a user can hit must say what to do.
            assert!(e.hint().is_some_and(|h| !h.is_empty()), "no hint for {e}");
            e
        }
    }
}

#[test]
fn daemon_down_socket_missing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sock = dir.path().join("docker.sock");
    let e = connect_err(&cfg(&format!("unix://{}", sock.display())));
    assert!(matches!(e, EngineError::DaemonDown { .. }), "{e:?}");
    assert!(e.to_string().contains("does not exist"), "{e}");
    assert!(e
        .hint()
        .unwrap_or_default()
        .contains("systemctl start docker"));
}

#[test]
fn daemon_down_socket_left_behind() {
    // A socket file nobody listens on any more (the daemon died): connection refused.
    let dir = tempfile::tempdir().expect("tempdir");
    let sock = dir.path().join("docker.sock");
    drop(UnixListener::bind(&sock).expect("bind"));
    let e = connect_err(&cfg(&format!("unix://{}", sock.display())));
    assert!(matches!(e, EngineError::DaemonDown { .. }), "{e:?}");
}

#[test]
fn daemon_down_tcp_refused() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let e = connect_err(&cfg(&format!("tcp://127.0.0.1:{port}")));
    assert!(matches!(e, EngineError::DaemonDown { .. }), "{e:?}");
}

#[test]
fn wrong_docker_host() {
    for (host, want) in [
        ("gopher://box", "unknown scheme"),
        ("/var/run/docker.sock", "unix://"),
        ("tcp://box:notaport", "invalid port"),
        ("tcp://", "no host"),
        ("unix:///etc/hostname", "not a socket"),
    ] {
        let e = connect_err(&cfg(host));
        assert!(matches!(e, EngineError::BadHost { .. }), "{host}: {e:?}");
        assert!(e.to_string().contains(want), "{host}: {e}");
    }
    let e = connect_err(&cfg("ssh://me@box"));
    assert!(matches!(e, EngineError::UnsupportedScheme { .. }), "{e:?}");
    assert!(e.hint().unwrap_or_default().contains("ssh -nNT -L"));
}

#[test]
fn tls_files_missing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut c = cfg("tcp://127.0.0.1:2376");
    c.tls_verify = true;
    c.cert_path = Some(dir.path().to_path_buf());
    let e = connect_err(&c);
    match &e {
        EngineError::TlsFilesMissing { missing, dir: d } => {
            assert_eq!(missing, &["ca.pem", "cert.pem", "key.pem"]);
            assert_eq!(d, dir.path());
        }
        other => panic!("{other:?}"),
    }
    assert!(e.hint().unwrap_or_default().contains("DOCKER_CERT_PATH"));
}

#[test]
fn tls_files_unusable() {
    // The three files exist but are not PEM: a TLS error, not a crash or a plain-HTTP try.
    let dir = tempfile::tempdir().expect("tempdir");
    for f in ["ca.pem", "cert.pem", "key.pem"] {
        std::fs::write(dir.path().join(f), "not a certificate").expect("write");
    }
    let mut c = cfg("tcp://127.0.0.1:2376");
    c.tls_verify = true;
    c.cert_path = Some(dir.path().to_path_buf());
    let e = connect_err(&c);
    assert!(
        matches!(e, EngineError::Tls { .. } | EngineError::DaemonDown { .. }),
        "{e:?}"
    );
}

#[test]
fn api_too_old() {
    let stub = Stub::start(|path| match path {
        "/version" => Reply::Json(
            200,
            r#"{"Version":"1.11.2","ApiVersion":"1.23","MinAPIVersion":"1.12"}"#.into(),
        ),
        _ => Reply::Json(404, r#"{"message":"page not found"}"#.into()),
    });
    let e = connect_err(&stub.config());
    match &e {
        EngineError::ApiTooOld {
            server, minimum, ..
        } => {
            assert_eq!(server, "1.23");
            assert_eq!(minimum, "1.24");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn not_a_docker_daemon() {
    let stub = Stub::start(|_| Reply::Garbage);
    let e = connect_err(&stub.config());
    assert!(matches!(e, EngineError::NotDocker { .. }), "{e:?}");
}

/// A web server's answers where a Docker Engine was expected: the message says the server is
/// not a Docker Engine — not "no such object" with a hint to run `docker ps -a`.
#[test]
fn an_http_server_that_is_not_docker_is_named_as_such() {
    const NOT_FOUND: &str = "HTTP/1.1 404 Not Found\r\nServer: nginx/1.25.3\r\nContent-Type: text/html\r\nContent-Length: 153\r\nConnection: close\r\n\r\n<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n";
    const HTML_PAGE: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 27\r\nConnection: close\r\n\r\n<html><body>hi</body></html";
    const OTHER_JSON: &str = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\nConnection: close\r\n\r\n{\"status\":\"up\"}";
    const FORBIDDEN: &str = "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nConnection: close\r\n\r\nForbidden";
    for (answer, says) in [
        (
            NOT_FOUND,
            "GET /version answered HTTP 404 (an HTML page: 404 Not Found)",
        ),
        (HTML_PAGE, "GET /version: invalid JSON"),
        (OTHER_JSON, "has no usable ApiVersion"),
        (FORBIDDEN, "GET /version answered HTTP 403 (Forbidden)"),
    ] {
        let stub = Stub::start(move |_| Reply::Raw(answer));
        let e = connect_err(&stub.config());
        assert!(matches!(e, EngineError::NotDocker { .. }), "{e:?}");
        let text = e.to_string();
        assert!(
            text.contains("answered but is not a Docker Engine"),
            "{text}"
        );
        assert!(text.contains(says), "{text}");
        assert!(!text.contains("no such object"), "{text}");
        let hint = e.hint().unwrap_or_default();
        assert!(
            hint.contains("DOCKER_HOST") && !hint.contains("docker ps"),
            "{hint}"
        );
    }
}

/// An answer that never ends (here at connect, on `GET /version`) stops at the size cap with
/// a message that says so, instead of growing memory until the timeout fires and is blamed.
/// The call timeout is long, so only the cap can end the call.
#[test]
fn an_endless_answer_stops_at_the_size_cap() {
    let stub = Stub::start(|_| Reply::Endless);
    let mut c = stub.config();
    c.call_timeout = Duration::from_secs(120);
    c.deadline = Duration::from_secs(120);
    assert_eq!(
        c.max_response_bytes,
        plimsoll_engine::DEFAULT_MAX_RESPONSE_BYTES
    );
    let e = connect_err(&c);
    match &e {
        EngineError::ResponseTooLarge { what, limit, .. } => {
            assert_eq!(what, "GET /version");
            assert_eq!(*limit, 32 * 1024 * 1024);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        e.to_string()
            .ends_with("sent more than 32 MiB for GET /version; is DOCKER_HOST a Docker Engine?"),
        "{e}"
    );
    assert!(e
        .to_string()
        .starts_with(&format!("the Engine API at unix://{}", stub.path.display())));
}

/// The cap applies to every call, not only the first: an endless inspect makes that one
/// container fail (the others are audited), with the cap named.
#[test]
fn an_endless_inspect_fails_that_container_at_the_size_cap() {
    let stub = Stub::start(|path| match path {
        "/version" => Reply::Json(200, VERSION_1_41.into()),
        "/info" => Reply::Json(200, "{}".into()),
        "/containers/ok/json" => Reply::Json(
            200,
            r#"{"Id":"ok","Name":"/ok","State":{"Status":"exited"},"Config":{"Image":""}}"#.into(),
        ),
        "/containers/endless/json" => Reply::Endless,
        _ => Reply::Json(404, r#"{"message":"nope"}"#.into()),
    });
    let mut c = stub.config();
    c.call_timeout = Duration::from_secs(120);
    c.deadline = Duration::from_secs(120);
    c.max_response_bytes = 1024 * 1024;
    let engine = Engine::connect(&c).expect("connect");
    let scan = engine
        .containers(&ContainerQuery {
            names: vec!["endless".into(), "ok".into()],
            ..Default::default()
        })
        .expect("scan");
    assert_eq!(scan.containers.len(), 1);
    assert_eq!(scan.failed.len(), 1);
    assert_eq!(scan.failed[0].target, "endless");
    let e = &scan.failed[0].error;
    assert!(
        matches!(
            e,
            EngineError::ResponseTooLarge {
                limit: 1_048_576,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        e.to_string()
            .contains("sent more than 1 MiB for GET /containers/endless/json"),
        "{e}"
    );
}

#[test]
fn daemon_accepts_and_never_replies() {
    let stub = Stub::start(|_| Reply::Hang);
    let e = connect_err(&stub.config());
    match &e {
        EngineError::Timeout { what, after, .. } => {
            assert_eq!(what, "GET /version");
            assert_eq!(*after, Duration::from_millis(400));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        e.to_string()
            .contains("did not answer GET /version within 400ms"),
        "{e}"
    );
}

#[test]
fn negotiates_down_to_the_daemon_api() {
    let stub = Stub::start(|path| match path {
        "/version" => Reply::Json(200, VERSION_1_41.into()),
        "/_ping" => Reply::Json(200, "\"OK\"".into()),
        _ => Reply::Json(404, r#"{"message":"nope"}"#.into()),
    });
    let engine = Engine::connect(&stub.config()).expect("connect");
    assert_eq!(engine.api_version(), "1.41");
    assert_eq!(engine.server_version().version.as_deref(), Some("20.10.24"));
}

/// A daemon that lists three containers: `gone` was removed after the list (404), `hung`
/// makes its inspect hang, `ok` answers.
fn scan_stub() -> Stub {
    Stub::start(|path| {
        match path {
        "/version" => Reply::Json(200, VERSION_1_41.into()),
        "/info" => Reply::Json(
            200,
            r#"{"SecurityOptions":["name=seccomp,profile=builtin"],"CgroupVersion":"2"}"#.into(),
        ),
        "/containers/json" => Reply::Json(
            200,
            r#"[{"Id":"gone"},{"Id":"ok"},{"Id":"hung"}]"#.into(),
        ),
        "/containers/gone/json" => Reply::Json(
            404,
            r#"{"message":"No such container: gone"}"#.into(),
        ),
        "/containers/ok/json" => Reply::Json(
            200,
            r#"{"Id":"ok","Name":"/ok","State":{"Status":"exited"},"Config":{"Image":"busybox"},"HostConfig":{"Privileged":true,"NetworkMode":"host"}}"#.into(),
        ),
        "/images/busybox/json" => Reply::Json(404, r#"{"message":"No such image"}"#.into()),
        _ => Reply::Hang,
    }
    })
}

#[test]
fn removed_mid_scan_and_hung_inspect_give_partial_results() {
    let stub = scan_stub();
    let engine = Engine::connect(&stub.config()).expect("connect");
    let scan = engine
        .containers(&ContainerQuery {
            all: true,
            ..Default::default()
        })
        .expect("the list itself answered");

    assert_eq!(scan.containers.len(), 1);
    let ok = &scan.containers[0].spec;
    assert_eq!(ok.name, "ok");
    assert_eq!(ok.privileged.as_ref().map(|p| p.value), Some(true));
    assert_eq!(
        ok.state.as_ref().map(|s| s.engine_security_options.clone()),
        Some(vec!["name=seccomp,profile=builtin".to_string()])
    );

    assert_eq!(scan.gone.len(), 1);
    assert_eq!(scan.gone[0].target, "gone");
    assert!(scan.gone[0].is_gone());

    assert_eq!(scan.failed.len(), 1);
    assert_eq!(scan.failed[0].target, "hung");
    assert!(
        matches!(scan.failed[0].error, EngineError::Timeout { .. }),
        "{:?}",
        scan.failed[0].error
    );
    assert!(scan.is_partial());
}

#[test]
fn a_hung_daemon_costs_one_timeout_not_one_per_container() {
    // 40 containers whose inspects all hang, 4 in flight: the first timeouts mark the daemon
    // unresponsive and the rest are not attempted.
    let stub = Stub::start(|path| match path {
        "/version" => Reply::Json(200, VERSION_1_41.into()),
        "/info" => Reply::Json(200, "{}".into()),
        "/containers/json" => {
            let list: Vec<String> = (0..40).map(|i| format!(r#"{{"Id":"c{i}"}}"#)).collect();
            Reply::Json(200, format!("[{}]", list.join(",")))
        }
        _ => Reply::Hang,
    });
    let mut cfg = stub.config();
    cfg.concurrency = 4;
    let engine = Engine::connect(&cfg).expect("connect");
    let scan = engine
        .containers(&ContainerQuery::default())
        .expect("the list answered");
    assert!(scan.containers.is_empty());
    assert_eq!(scan.failed.len(), 40);
    let timeouts = scan
        .failed
        .iter()
        .filter(|p| matches!(p.error, EngineError::Timeout { .. }))
        .count();
    let skipped = scan
        .failed
        .iter()
        .filter(|p| matches!(p.error, EngineError::NotAttempted { .. }))
        .count();
    assert!((1..=4).contains(&timeouts), "{timeouts} timeouts");
    assert_eq!(timeouts + skipped, 40);
}

#[test]
fn a_daemon_that_stops_answering_after_connect() {
    let stub = Stub::start(|path| match path {
        "/version" => Reply::Json(200, VERSION_1_41.into()),
        _ => Reply::Hang,
    });
    let engine = Engine::connect(&stub.config()).expect("connect");
    let e = engine
        .containers(&ContainerQuery::default())
        .expect_err("info hangs");
    assert!(matches!(e, EngineError::Timeout { .. }), "{e:?}");
    assert!(matches!(engine.info(), Err(EngineError::Timeout { .. })));
    assert!(matches!(engine.ping(), Err(EngineError::Timeout { .. })));
}

#[test]
fn a_name_that_matches_nothing_is_gone_not_fatal() {
    let stub = scan_stub();
    let engine = Engine::connect(&stub.config()).expect("connect");
    let scan = engine
        .containers(&ContainerQuery {
            names: vec!["gone".into(), "ok".into(), "ok".into()],
            ..Default::default()
        })
        .expect("scan");
    assert_eq!(scan.containers.len(), 1, "ok named twice is audited once");
    assert_eq!(scan.gone.len(), 1);
    assert!(scan.failed.is_empty());
}

#[test]
fn connect_inside_an_async_runtime_is_an_error_not_a_panic() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let r = rt.block_on(async { Engine::connect(&EngineConfig::default()) });
    assert!(matches!(r, Err(EngineError::Runtime(_))), "{r:?}");
}

/// Runs as an unprivileged user against a root-only socket: permission denied. As root (CI,
/// this machine) the test re-runs itself under `setpriv` as nobody; elsewhere it runs directly.
#[test]
fn socket_permission_denied() {
    const INNER: &str = "PLIMSOLL_ENGINE_DENIED_SOCKET";
    if let Ok(sock) = std::env::var(INNER) {
        let e = connect_err(&cfg(&format!("unix://{sock}")));
        assert!(matches!(e, EngineError::PermissionDenied { .. }), "{e:?}");
        assert!(e.hint().unwrap_or_default().contains("docker` group"));
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    set_mode(dir.path(), 0o755);
    let sock = dir.path().join("docker.sock");
    let _listener = UnixListener::bind(&sock).expect("bind");
    set_mode(&sock, 0o600);
    let is_root = std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false);
    if !is_root {
        let e = connect_err(&cfg(&format!("unix://{}", sock.display())));
        assert!(matches!(e, EngineError::PermissionDenied { .. }), "{e:?}");
        return;
    }
    let exe = std::env::current_exe().expect("current exe");
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(&exe)
        .args(["--exact", "socket_permission_denied", "--test-threads=1"])
        .env(INNER, &sock)
        .output();
    match out {
        Ok(out) => {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(out.status.success(), "as nobody:\n{text}");
            assert!(text.contains("1 passed"), "as nobody:\n{text}");
        }
        Err(e) => eprintln!("SKIPPED socket_permission_denied as nobody: setpriv: {e}"),
    }
}

fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).expect("chmod");
}
