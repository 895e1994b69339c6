//! Container-runtime sockets inside the container: a reachable Docker or podman socket is
//! root on the host. The probe looks at the well-known paths and at any `*.sock` mount, and on
//! the live system asks an HTTP API socket `GET /_ping` — read-only, with a timeout, and
//! nothing else ever. containerd and CRI-O speak gRPC: for them a successful `connect` is the
//! evidence, and nothing is sent.

use crate::mounts::Mounts;
use crate::root::{EntryKind, Root};
use serde::Serialize;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

/// Well-known socket paths: `(path, runtime, speaks HTTP)`.
const KNOWN: [(&str, &str, bool); 9] = [
    ("/var/run/docker.sock", "docker", true),
    ("/run/docker.sock", "docker", true),
    ("/run/containerd/containerd.sock", "containerd", false),
    ("/var/run/containerd/containerd.sock", "containerd", false),
    ("/run/podman/podman.sock", "podman", true),
    ("/var/run/podman/podman.sock", "podman", true),
    ("/run/crio/crio.sock", "cri-o", false),
    ("/var/run/crio/crio.sock", "cri-o", false),
    ("/run/k3s/containerd/containerd.sock", "containerd", false),
];

/// How long a ping may take, connect to answer.
const PING_TIMEOUT: Duration = Duration::from_millis(500);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuntimeSocket {
    pub path: String,
    pub runtime: String,
    /// Whether the path is a socket (`false` in a recorded tree, where it is a plain file).
    pub is_socket: bool,
    /// `Some(true)`: connected (and, for an HTTP API, answered the ping); `None`: not tried.
    pub reachable: Option<bool>,
    /// The status line of the ping's answer, or why it failed.
    pub answer: Option<String>,
}

fn runtime_of(path: &str) -> (&'static str, bool) {
    KNOWN
        .iter()
        .find(|(p, _, _)| *p == path)
        .map(|(_, r, http)| (*r, *http))
        .unwrap_or_else(|| {
            if path.contains("docker") {
                ("docker", true)
            } else if path.contains("podman") {
                ("podman", true)
            } else if path.contains("containerd") {
                ("containerd", false)
            } else if path.contains("crio") {
                ("cri-o", false)
            } else {
                ("unknown", false)
            }
        })
}

/// `GET /_ping` over the socket; the answer's status line.
fn ping(path: &std::path::Path, http: bool) -> (bool, String) {
    let mut stream = match UnixStream::connect(path) {
        Ok(s) => s,
        Err(e) => return (false, format!("connect: {e}")),
    };
    if !http {
        return (true, "connected (gRPC socket: nothing sent)".to_string());
    }
    let _ = stream.set_read_timeout(Some(PING_TIMEOUT));
    let _ = stream.set_write_timeout(Some(PING_TIMEOUT));
    if let Err(e) = stream.write_all(b"GET /_ping HTTP/1.0\r\nHost: localhost\r\n\r\n") {
        return (false, format!("write: {e}"));
    }
    let mut buf = [0u8; 512];
    match stream.read(&mut buf) {
        Ok(n) => {
            let text = String::from_utf8_lossy(&buf[..n]);
            let status = text.lines().next().unwrap_or_default().to_string();
            (status.contains(" 200"), status)
        }
        Err(e) => (false, format!("read: {e}")),
    }
}

pub fn find(root: &Root, mounts: &Mounts) -> Vec<RuntimeSocket> {
    let mut paths: Vec<String> = KNOWN.iter().map(|(p, _, _)| p.to_string()).collect();
    for m in &mounts.mounts {
        if m.mount_point.ends_with(".sock") && !paths.contains(&m.mount_point) {
            paths.push(m.mount_point.clone());
        }
    }
    let mut out = Vec::new();
    for path in paths {
        let Some(kind) = root.kind(&path) else {
            continue;
        };
        let (runtime, http) = runtime_of(&path);
        let is_socket = kind == EntryKind::Socket;
        let (reachable, answer) = if root.is_live() && is_socket {
            let (ok, answer) = ping(&root.path(&path), http);
            (Some(ok), Some(answer))
        } else {
            (None, None)
        };
        out.push(RuntimeSocket {
            path,
            runtime: runtime.to_string(),
            is_socket,
            reachable,
            answer,
        });
    }
    out
}
