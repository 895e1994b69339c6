//! A fake Docker Engine for fault tests: a unix socket served by threads, answering each
//! request by its path with a [`Reply`] — canned JSON, silence, bytes that are not HTTP, an
//! answer that never ends, or a web server's page. No real engine is needed.

use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// What the stub does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// An HTTP response with this status and JSON body.
    Json(u16, String),
    /// Read the request, then never write (until the client hangs up).
    Hang,
    /// Bytes that are not HTTP.
    Garbage,
    /// A 200 answer whose chunked body never ends (until the client hangs up).
    Endless,
    /// This exact HTTP answer (status line, headers, body), as a web server would send it.
    Raw(&'static str),
}

/// A running stub; its socket and directory are removed when it is dropped.
pub struct Stub {
    dir: PathBuf,
    /// The socket.
    pub path: PathBuf,
}

impl Stub {
    /// Starts a stub answering each request path (the `/vX.Y` prefix and the query removed)
    /// with `route(path)`.
    pub fn start(route: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Stub {
        static SEQ: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "plimsoll-stub-engine-{}-{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
        let path = dir.join("docker.sock");
        let listener =
            UnixListener::bind(&path).unwrap_or_else(|e| panic!("bind {}: {e}", path.display()));
        let route = Arc::new(route);
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { break };
                let route = Arc::clone(&route);
                std::thread::spawn(move || serve(conn, &*route));
            }
        });
        Stub { dir, path }
    }

    /// `unix://…`, for `DOCKER_HOST`.
    pub fn docker_host(&self) -> String {
        format!("unix://{}", self.path.display())
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn serve(mut conn: UnixStream, route: &(dyn Fn(&str) -> Reply + Send + Sync)) {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
        if head.len() > 64 * 1024 {
            return;
        }
    }
    let text = String::from_utf8_lossy(&head);
    let target = text.split_whitespace().nth(1).unwrap_or("/").to_string();
    let path = strip_version(target.split('?').next().unwrap_or("/"));
    match route(&path) {
        Reply::Json(status, body) => {
            let reason = if status == 200 { "OK" } else { "Error" };
            let _ = write!(
                conn,
                "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nApi-Version: 1.41\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
        Reply::Hang => {
            // Hold the connection open, silent, until the client gives up.
            while let Ok(n) = conn.read(&mut buf) {
                if n == 0 {
                    break;
                }
            }
        }
        Reply::Garbage => {
            let _ = conn.write_all(b"SSH-2.0-OpenSSH_9.2\r\nnot http at all\r\n");
        }
        Reply::Endless => {
            let _ = conn.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nApi-Version: 1.41\r\nTransfer-Encoding: chunked\r\n\r\n",
            );
            let chunk = [b' '; 64 * 1024];
            while write!(conn, "{:x}\r\n", chunk.len())
                .and_then(|()| conn.write_all(&chunk))
                .and_then(|()| conn.write_all(b"\r\n"))
                .is_ok()
            {}
        }
        Reply::Raw(answer) => {
            let _ = conn.write_all(answer.as_bytes());
        }
    }
}

/// `/v1.41/containers/json` → `/containers/json`.
fn strip_version(path: &str) -> String {
    if let Some(rest) = path.strip_prefix("/v") {
        if let Some(slash) = rest.find('/') {
            if rest[..slash]
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.')
            {
                return rest[slash..].to_string();
            }
        }
    }
    path.to_string()
}
