//! The TLS transport (`DOCKER_TLS_VERIFY` / `DOCKER_CERT_PATH`) against a real TLS server:
//! `openssl s_server` with certificates made by `openssl` for this test, requiring a client
//! certificate, as a daemon run with `--tlsverify` does. The server answers with a web page,
//! so a connection that got through the handshake ends with "not a Docker Engine"; one that
//! did not, with a TLS error. Skipped loudly without the openssl command (required under
//! PLIMSOLL_REQUIRE_DOCKER=1, as the engine tests are).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use plimsoll_engine::{Engine, EngineConfig, EngineError};
use plimsoll_testkit::docker::skip_or_fail;

fn openssl(dir: &Path, args: &[&str]) -> Result<(), String> {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("openssl: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "openssl {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// A CA, a server certificate for 127.0.0.1 and a client pair (cert.pem, key.pem) it signed.
fn make_certs(dir: &Path, ca_name: &str) -> Result<(), String> {
    let new_key = |key: &str, csr: &str, cn: &str| {
        openssl(
            dir,
            &[
                "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", cn,
            ],
        )
    };
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca-key.pem",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            ca_name,
        ],
    )?;
    std::fs::write(dir.join("server.ext"), "subjectAltName=IP:127.0.0.1\n")
        .map_err(|e| e.to_string())?;
    std::fs::write(dir.join("client.ext"), "extendedKeyUsage=clientAuth\n")
        .map_err(|e| e.to_string())?;
    new_key("server-key.pem", "server.csr", "/CN=127.0.0.1")?;
    new_key("key.pem", "client.csr", "/CN=plimsoll-test-client")?;
    for (csr, out, ext) in [
        ("server.csr", "server-cert.pem", "server.ext"),
        ("client.csr", "cert.pem", "client.ext"),
    ] {
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                csr,
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca-key.pem",
                "-CAcreateserial",
                "-out",
                out,
                "-days",
                "2",
                "-extfile",
                ext,
            ],
        )?;
    }
    Ok(())
}

/// `openssl s_server` on a free port, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server(dir: &Path) -> Result<(Server, u16), String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| e.to_string())?;
    let child = Command::new("openssl")
        .args(["s_server", "-accept"])
        .arg(format!("127.0.0.1:{port}"))
        .args([
            "-cert",
            "server-cert.pem",
            "-key",
            "server-key.pem",
            "-CAfile",
            "ca.pem",
            "-Verify",
            "1",
            "-www",
        ])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("openssl s_server: {e}"))?;
    let server = Server(child);
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok((server, port));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err("openssl s_server did not start listening".to_string())
}

fn connect(port: u16, cert_dir: &Path) -> EngineError {
    let cfg = EngineConfig {
        host: Some(format!("tcp://127.0.0.1:{port}")),
        tls_verify: true,
        cert_path: Some(cert_dir.to_path_buf()),
        call_timeout: Duration::from_secs(20),
        ..EngineConfig::default()
    };
    match Engine::connect(&cfg) {
        Ok(e) => panic!("connected to {e:?}"),
        Err(e) => e,
    }
}

#[test]
fn tls_verifies_the_daemon_against_ca_pem_and_presents_the_client_certificate() {
    if Command::new("openssl").arg("version").output().is_err() {
        return skip_or_fail("engine TLS test", "the openssl command is not installed");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let other = tempfile::tempdir().expect("tempdir");
    if let Err(e) = make_certs(dir.path(), "/CN=plimsoll-test-ca")
        .and_then(|()| make_certs(other.path(), "/CN=another-ca"))
    {
        return skip_or_fail("engine TLS test", &format!("cannot make certificates: {e}"));
    }
    let (_server, port) = match start_server(dir.path()) {
        Ok(s) => s,
        Err(e) => return skip_or_fail("engine TLS test", &e),
    };

    // The right CA and a client pair it signed: the handshake succeeds and the answer (a web
    // page) is judged — not a Docker Engine.
    let e = connect(port, dir.path());
    assert!(matches!(e, EngineError::NotDocker { .. }), "{e:?}");
    assert!(
        e.to_string()
            .contains("(TLS) answered but is not a Docker Engine"),
        "{e}"
    );

    // Another CA: the server's certificate is not trusted, a TLS error.
    let e = connect(port, other.path());
    assert!(matches!(e, EngineError::Tls { .. }), "{e:?}");
}
