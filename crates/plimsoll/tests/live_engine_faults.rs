//! The live commands against engines that misbehave, end to end through the binary: a daemon
//! that never answers (`--timeout`), a web server where the engine should be, and an answer
//! that never ends. The "engines" are unix-socket stubs in a thread; no Docker is needed.

mod common;

use plimsoll_testkit::docker::{Reply, Stub};

/// Answers as nginx does for a path it does not have.
const NGINX_404: &str = "HTTP/1.1 404 Not Found\r\nServer: nginx\r\nContent-Type: text/html\r\nContent-Length: 72\r\nConnection: close\r\n\r\n<html><head><title>404 Not Found</title></head><body>nginx</body></html>";

fn run_against(stub: &Stub, args: &[&str]) -> common::Run {
    let dir = common::tempdir();
    common::run(
        common::plimsoll(dir.path())
            .args(args)
            .env("DOCKER_HOST", stub.docker_host()),
    )
}

/// `--timeout` bounds each Engine API call and is the limit the message names.
#[test]
fn engine_timeout_flag_bounds_each_call() {
    let stub = Stub::start(|_| Reply::Hang);
    for cmd in ["containers", "bench"] {
        let run = run_against(&stub, &[cmd, "--no-config", "--timeout", "300ms"]);
        assert_eq!(run.code, 2, "{cmd}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("did not answer GET /version within 300ms"),
            "{cmd}: {}",
            run.stderr
        );
    }
    // `host` audits the files without an engine and reports the engine's silence.
    let root = common::tempdir();
    std::fs::create_dir(root.path().join("etc")).expect("mkdir etc");
    let run = run_against(
        &stub,
        &[
            "host",
            "--no-config",
            "--timeout",
            "1s",
            "--format",
            "json",
            "--host-root",
            &root.path().to_string_lossy(),
        ],
    );
    assert!(
        run.stdout.contains("did not answer GET /version within 1s"),
        "{}",
        run.stdout
    );
    let bad = run_against(&stub, &["containers", "--timeout", "soon"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("invalid duration `soon`"),
        "{}",
        bad.stderr
    );
}

/// DOCKER_HOST at a web server: the message says it is not a Docker Engine, not "no such
/// object" with a hint to run `docker ps -a`.
#[test]
fn docker_host_at_a_web_server_says_it_is_not_a_docker_engine() {
    let stub = Stub::start(|_| Reply::Raw(NGINX_404));
    let run = run_against(&stub, &["containers", "--no-config"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("answered but is not a Docker Engine: GET /version answered HTTP 404"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("hint: point DOCKER_HOST at the Docker daemon"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("docker ps"), "{}", run.stderr);
}

/// An answer that never ends stops at the size cap, named in the message, instead of growing
/// memory until a timeout is blamed.
#[test]
fn an_endless_engine_answer_stops_at_the_size_cap() {
    let stub = Stub::start(|_| Reply::Endless);
    let run = run_against(&stub, &["containers", "--no-config", "--timeout", "10m"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "the Engine API at {} sent more than 32 MiB for GET /version; is DOCKER_HOST a Docker Engine?",
            stub.docker_host()
        )),
        "{}",
        run.stderr
    );
}
