//! What can go wrong talking to a Docker Engine, as typed errors that each carry a fix.
//!
//! The raw client errors (hyper, io, rustls, HTTP status) are classified once, here, into the
//! handful of situations a user can act on: the daemon is not running, the socket is not
//! readable by this user, `DOCKER_HOST` is wrong, TLS files are missing, the daemon is too
//! old, or it stopped answering. Every variant has a [`EngineError::hint`] that says what to
//! do about it.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

/// An error from the engine collector.
#[derive(Debug, Clone, thiserror::Error)]
pub enum EngineError {
    /// `DOCKER_HOST` cannot be parsed (empty host, bad port, a path without `unix://`…).
    #[error("DOCKER_HOST={host:?} is not a valid engine address: {reason}")]
    BadHost { host: String, reason: String },

    /// `DOCKER_HOST` uses a transport this build does not speak (`ssh://`, `npipe://`, `fd://`).
    #[error("DOCKER_HOST={host:?}: the {scheme}:// transport is not supported")]
    UnsupportedScheme { host: String, scheme: String },

    /// TLS is asked for (`DOCKER_TLS_VERIFY`, `DOCKER_TLS`, `https://`) but the certificate
    /// directory lacks some of `ca.pem`, `cert.pem`, `key.pem`.
    #[error("TLS is enabled but {} missing in {}", missing_list(.missing), .dir.display())]
    TlsFilesMissing { dir: PathBuf, missing: Vec<String> },

    /// TLS is asked for but no certificate directory is known (no `DOCKER_CERT_PATH`, no home).
    #[error("TLS is enabled but no certificate directory is known (DOCKER_CERT_PATH is not set and there is no home directory)")]
    TlsNoCertDir,

    /// The TLS files exist but cannot be used, or the TLS handshake failed.
    #[error("TLS with {endpoint} failed: {detail}")]
    Tls { endpoint: String, detail: String },

    /// Nothing listens at the address: the socket file is missing, or the connection is
    /// refused.
    #[error("cannot connect to the Docker daemon at {endpoint}: {detail}")]
    DaemonDown { endpoint: String, detail: String },

    /// The socket exists but this user may not open it.
    #[error("permission denied opening the Docker socket {endpoint}")]
    PermissionDenied { endpoint: String },

    /// The engine speaks an API older than the oldest this collector understands.
    #[error("the Docker Engine at {endpoint} speaks API {server}, older than the minimum {minimum} plimsoll supports")]
    ApiTooOld {
        endpoint: String,
        server: String,
        minimum: String,
    },

    /// A call got no complete answer within its time limit.
    #[error("the Docker daemon at {endpoint} did not answer {what} within {}", fmt_duration(*.after))]
    Timeout {
        endpoint: String,
        what: String,
        after: Duration,
    },

    /// The call was not made: the overall deadline had passed, or an earlier call in the same
    /// scan timed out and the daemon is taken as unresponsive.
    #[error("{what} was not attempted: {reason}")]
    NotAttempted { what: String, reason: String },

    /// The daemon says the object does not exist (HTTP 404): a container removed mid-scan, a
    /// name that matches nothing.
    #[error("{what}: no such object ({message})")]
    NotFound { what: String, message: String },

    /// The daemon answered with an error status.
    #[error("{what}: the daemon answered {status}: {message}")]
    Api {
        what: String,
        status: u16,
        message: String,
    },

    /// The answer is not what a Docker Engine sends (not HTTP, not the expected JSON).
    #[error("{what}: unexpected answer from {endpoint}: {detail}")]
    Protocol {
        endpoint: String,
        what: String,
        detail: String,
    },

    /// The answer grew past [`crate::EngineConfig::max_response_bytes`]: reading stopped
    /// there, so an endless or enormous answer cannot exhaust memory.
    #[error("the Engine API at {endpoint} sent more than {} for {what}; is DOCKER_HOST a Docker Engine?", fmt_bytes(*.limit))]
    ResponseTooLarge {
        endpoint: String,
        what: String,
        limit: u64,
    },

    /// Something answered at the address, but not as a Docker Engine does: its first answer
    /// (`GET /version`) is not HTTP, an HTTP error, or not the Engine's JSON.
    #[error("the server at {endpoint} answered but is not a Docker Engine: {detail}")]
    NotDocker { endpoint: String, detail: String },

    /// The collector could not start its I/O runtime, or was called from inside another async
    /// runtime.
    #[error("cannot run the engine client: {0}")]
    Runtime(String),
}

fn missing_list(missing: &[String]) -> String {
    match missing {
        [one] => format!("{one} is"),
        many => format!("{} are", many.join(", ")),
    }
}

/// `10s`, `1.5s`, `250ms`: durations as a person reads them.
pub(crate) fn fmt_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms}ms")
    } else if ms % 1000 == 0 {
        format!("{}s", ms / 1000)
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// `32 MiB`, `512 KiB`, `100 bytes`: a size limit as a person reads it.
pub(crate) fn fmt_bytes(n: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n % MIB == 0 {
        format!("{} MiB", n / MIB)
    } else if n >= KIB && n % KIB == 0 {
        format!("{} KiB", n / KIB)
    } else {
        format!("{n} bytes")
    }
}

impl EngineError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        let h = match self {
            EngineError::BadHost { .. } => "set DOCKER_HOST to unix:///var/run/docker.sock, tcp://HOST:2376 (with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH) or tcp://HOST:2375, or unset it to use the default socket".to_string(),
            EngineError::UnsupportedScheme { scheme, .. } if scheme == "ssh" => "forward the remote socket and point DOCKER_HOST at it: `ssh -nNT -L /tmp/docker.sock:/var/run/docker.sock USER@HOST` then `DOCKER_HOST=unix:///tmp/docker.sock`".to_string(),
            EngineError::UnsupportedScheme { .. } => "use a unix:// socket or a tcp:// address".to_string(),
            EngineError::TlsFilesMissing { dir, .. } => format!(
                "put ca.pem, cert.pem and key.pem in {} or point DOCKER_CERT_PATH at the directory that has them (the files `docker --tlsverify` uses)",
                dir.display()
            ),
            EngineError::TlsNoCertDir => "set DOCKER_CERT_PATH to the directory with ca.pem, cert.pem and key.pem".to_string(),
            EngineError::Tls { .. } => "check that ca.pem signed the daemon's certificate and that cert.pem/key.pem are a client pair the daemon trusts (`docker --tlsverify version` uses the same files)".to_string(),
            EngineError::DaemonDown { endpoint, .. } if endpoint.starts_with("unix://") => "start the daemon (`sudo systemctl start docker`), or set DOCKER_HOST to where it listens (rootless Docker: unix://$XDG_RUNTIME_DIR/docker.sock)".to_string(),
            EngineError::DaemonDown { .. } => "check that the daemon listens on that address and port, or set DOCKER_HOST to where it listens".to_string(),
            EngineError::PermissionDenied { .. } => "run as a member of the `docker` group (`sudo usermod -aG docker $USER`, then log in again) or with sudo; membership of that group is root-equivalent".to_string(),
            EngineError::ApiTooOld { .. } => "upgrade the Docker Engine (plimsoll needs Docker 1.12 or later)".to_string(),
            EngineError::Timeout { .. } => "the daemon is hung or overloaded: check `docker info`, restart it (`sudo systemctl restart docker`), or raise the timeout".to_string(),
            EngineError::NotAttempted { .. } => return None,
            EngineError::NotFound { .. } => "list containers with `docker ps -a`".to_string(),
            EngineError::Api { status, .. } if *status >= 500 => "the daemon failed internally: see its log (`journalctl -u docker`)".to_string(),
            EngineError::Api { .. } => return None,
            EngineError::Protocol { .. } => "DOCKER_HOST may point at something that is not a Docker Engine API".to_string(),
            EngineError::ResponseTooLarge { .. } => "a Docker Engine's answers are far smaller: check what listens there (`curl -s --unix-socket PATH http://localhost/_ping`, or `curl -s http://HOST:PORT/_ping` answers `OK` with an `Api-Version` header from a daemon) and point DOCKER_HOST at the daemon".to_string(),
            EngineError::NotDocker { .. } => "point DOCKER_HOST at the Docker daemon (unix:///var/run/docker.sock, or the address `docker context inspect` shows), or unset it to use the default socket; behind a filtering proxy (docker-socket-proxy), allow GET /version and /_ping".to_string(),
            EngineError::Runtime(_) => return None,
        };
        Some(h)
    }

    /// The object is gone (HTTP 404).
    pub fn is_not_found(&self) -> bool {
        matches!(self, EngineError::NotFound { .. })
    }

    /// The daemon is not reachable at all (nothing to audit): down, denied, misaddressed,
    /// unanswering, or too old.
    pub fn is_unreachable(&self) -> bool {
        !matches!(
            self,
            EngineError::NotFound { .. }
                | EngineError::Api { .. }
                | EngineError::NotAttempted { .. }
        )
    }
}

/// Classifies a client error for `what` (a call like `GET /containers/json`) at `endpoint`.
pub(crate) fn classify(err: bollard::errors::Error, endpoint: &str, what: &str) -> EngineError {
    use bollard::errors::Error as B;
    match err {
        B::DockerResponseServerError {
            status_code,
            message,
        } => {
            if status_code == 404 {
                EngineError::NotFound {
                    what: what.to_string(),
                    message,
                }
            } else {
                EngineError::Api {
                    what: what.to_string(),
                    status: status_code,
                    message,
                }
            }
        }
        B::RequestTimeoutError => EngineError::Timeout {
            endpoint: endpoint.to_string(),
            what: what.to_string(),
            after: Duration::ZERO,
        },
        B::SocketNotFoundError(path) => EngineError::DaemonDown {
            endpoint: endpoint.to_string(),
            detail: format!("{path}: no such socket"),
        },
        B::JsonDataError { message, .. } => EngineError::Protocol {
            endpoint: endpoint.to_string(),
            what: what.to_string(),
            detail: format!("invalid JSON: {message}"),
        },
        B::JsonSerdeError { err } => EngineError::Protocol {
            endpoint: endpoint.to_string(),
            what: what.to_string(),
            detail: format!("invalid JSON: {err}"),
        },
        B::UnsupportedURISchemeError { uri } => EngineError::BadHost {
            host: uri,
            reason: "unsupported scheme".to_string(),
        },
        other => classify_transport(&other, endpoint, what),
    }
}

/// A transport failure: look through the error's sources for the operating-system error
/// (connection refused, permission denied, no such file) or a TLS failure.
fn classify_transport(
    err: &(dyn std::error::Error + 'static),
    endpoint: &str,
    what: &str,
) -> EngineError {
    if let Some(t) = too_large(err) {
        return EngineError::ResponseTooLarge {
            endpoint: endpoint.to_string(),
            what: what.to_string(),
            limit: t.limit,
        };
    }
    let text = chain_text(err);
    if let Some(io) = find_io(err) {
        match io.kind() {
            io::ErrorKind::PermissionDenied => {
                return EngineError::PermissionDenied {
                    endpoint: endpoint.to_string(),
                }
            }
            io::ErrorKind::NotFound
            | io::ErrorKind::ConnectionRefused
            | io::ErrorKind::AddrNotAvailable
            | io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkUnreachable => {
                return EngineError::DaemonDown {
                    endpoint: endpoint.to_string(),
                    detail: io.to_string(),
                }
            }
            _ => {}
        }
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("certificate")
        || lower.contains("tls")
        || lower.contains("handshake")
        || lower.contains("peer sent")
        || lower.contains("corrupt message")
        || lower.contains("invalidcontenttype")
    {
        return EngineError::Tls {
            endpoint: endpoint.to_string(),
            detail: text,
        };
    }
    if lower.contains("dns error") || lower.contains("failed to lookup address") {
        return EngineError::DaemonDown {
            endpoint: endpoint.to_string(),
            detail: text,
        };
    }
    EngineError::Protocol {
        endpoint: endpoint.to_string(),
        what: what.to_string(),
        detail: text,
    }
}

/// The first `std::io::Error` in the source chain (hyper wraps the connector's error).
fn find_io<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a io::Error> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    let mut depth = 0;
    while let Some(e) = cur {
        if let Some(io) = e.downcast_ref::<io::Error>() {
            // An io::Error may itself wrap the real cause (hyper-util boxes connector errors).
            if io.kind() != io::ErrorKind::Other {
                return Some(io);
            }
            if let Some(inner) = io.get_ref() {
                if let Some(found) = find_io(inner) {
                    return Some(found);
                }
            }
            return Some(io);
        }
        depth += 1;
        if depth > 16 {
            break;
        }
        cur = e.source();
    }
    None
}

/// The error and its causes as one line, deduplicated (`a: b: c`).
fn chain_text(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cur {
        let s = e.to_string();
        if !s.is_empty() && !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
        if parts.len() > 8 {
            break;
        }
        cur = e.source();
    }
    parts.join(": ")
}

/// A connection delivered more bytes than the cap allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ResponseTooLarge {
    pub(crate) limit: u64,
}

impl std::fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the answer exceeded {} bytes", self.limit)
    }
}

impl std::error::Error for ResponseTooLarge {}

/// Whether `err`'s chain holds a [`ResponseTooLarge`] (hyper and hyper-util wrap the
/// connection's io::Error, which wraps it).
fn too_large(err: &(dyn std::error::Error + 'static)) -> Option<ResponseTooLarge> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    let mut depth = 0;
    while let Some(e) = cur {
        if let Some(t) = e.downcast_ref::<ResponseTooLarge>() {
            return Some(*t);
        }
        // io::Error::source() skips the error it wraps: look inside it explicitly.
        if let Some(io) = e.downcast_ref::<io::Error>() {
            if let Some(t) = io
                .get_ref()
                .and_then(|i| i.downcast_ref::<ResponseTooLarge>())
            {
                return Some(*t);
            }
        }
        depth += 1;
        if depth > 16 {
            break;
        }
        cur = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_deep_in_the_chain_are_found() {
        #[derive(Debug)]
        struct Wrap(io::Error);
        impl std::fmt::Display for Wrap {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("client error (Connect)")
            }
        }
        impl std::error::Error for Wrap {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let denied = Wrap(io::Error::from(io::ErrorKind::PermissionDenied));
        assert!(matches!(
            classify_transport(&denied, "unix:///s", "GET /version"),
            EngineError::PermissionDenied { .. }
        ));
        let refused = Wrap(io::Error::from(io::ErrorKind::ConnectionRefused));
        assert!(matches!(
            classify_transport(&refused, "tcp://h:1", "GET /version"),
            EngineError::DaemonDown { .. }
        ));
        // hyper-util boxes the connector's error inside an io::Error of kind Other.
        let boxed = Wrap(io::Error::other(io::Error::from(
            io::ErrorKind::PermissionDenied,
        )));
        assert!(matches!(
            classify_transport(&boxed, "unix:///s", "GET /version"),
            EngineError::PermissionDenied { .. }
        ));
    }

    #[test]
    fn status_codes_are_typed() {
        let e = classify(
            bollard::errors::Error::DockerResponseServerError {
                status_code: 404,
                message: "No such container: x".into(),
            },
            "unix:///s",
            "GET /containers/x/json",
        );
        assert!(e.is_not_found());
        assert!(!e.is_unreachable());
        let e = classify(
            bollard::errors::Error::DockerResponseServerError {
                status_code: 500,
                message: "boom".into(),
            },
            "unix:///s",
            "GET /info",
        );
        assert!(matches!(e, EngineError::Api { status: 500, .. }));
        assert!(e.hint().is_some_and(|h| h.contains("journalctl")));
    }

    #[test]
    fn every_reachability_error_has_a_hint() {
        let errs = [
            EngineError::BadHost {
                host: "x".into(),
                reason: "r".into(),
            },
            EngineError::DaemonDown {
                endpoint: "unix:///var/run/docker.sock".into(),
                detail: "d".into(),
            },
            EngineError::PermissionDenied {
                endpoint: "unix:///var/run/docker.sock".into(),
            },
            EngineError::TlsFilesMissing {
                dir: "/c".into(),
                missing: vec!["ca.pem".into(), "key.pem".into()],
            },
            EngineError::Timeout {
                endpoint: "e".into(),
                what: "GET /version".into(),
                after: Duration::from_millis(1500),
            },
        ];
        for e in &errs {
            assert!(e.hint().is_some(), "{e}");
            assert!(e.is_unreachable());
        }
        assert_eq!(
            errs[3].to_string(),
            "TLS is enabled but ca.pem, key.pem are missing in /c"
        );
        assert!(errs[4].to_string().ends_with("within 1.5s"));
    }
}
