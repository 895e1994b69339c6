//! Where the engine is and how long to wait for it.
//!
//! The caller fills an [`EngineConfig`] from its environment (the binary passes the process
//! environment to [`EngineConfig::from_env`]); this crate never reads environment variables
//! itself, so tests and embedders decide exactly what it sees. [`EngineConfig::endpoint`]
//! turns the settings into an [`Endpoint`] the way the docker CLI reads `DOCKER_HOST`
//! (docker/cli `opts.ParseHost`): `unix://PATH` (empty path = the default socket),
//! `tcp://HOST[:PORT]` and a bare `HOST:PORT` (port 2375, or 2376 with TLS), plus the
//! `http://` and `https://` forms the Go client and bollard accept.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::EngineError;

/// The socket the docker CLI uses when `DOCKER_HOST` is not set.
pub const DEFAULT_SOCKET: &str = "/var/run/docker.sock";

/// How to reach the engine, and the time limits of every call.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineConfig {
    /// `DOCKER_HOST`; `None` (or empty) means the default socket.
    pub host: Option<String>,
    /// `DOCKER_TLS_VERIFY` is set to a non-empty value (the docker CLI treats any non-empty
    /// value, even `0`, as "on").
    pub tls_verify: bool,
    /// `DOCKER_TLS` is set to a non-empty value (TLS without `--tlsverify`; plimsoll still
    /// verifies the daemon against `ca.pem`, see [`Endpoint`]).
    pub tls: bool,
    /// `DOCKER_CERT_PATH`: the directory with `ca.pem`, `cert.pem`, `key.pem`.
    pub cert_path: Option<PathBuf>,
    /// `DOCKER_CONFIG`, or `$HOME/.docker`: where the CLI looks for certificates when
    /// `DOCKER_CERT_PATH` is not set.
    pub config_dir: Option<PathBuf>,
    /// The longest any single call may take, from sending the request to the last byte of the
    /// answer.
    pub call_timeout: Duration,
    /// The longest one whole operation (connecting, or one collection such as
    /// [`crate::Engine::containers`]) may take; calls still pending then are reported as not
    /// attempted and the results are marked partial.
    pub deadline: Duration,
    /// How many inspect/top calls may be in flight at once.
    pub concurrency: usize,
    /// The most bytes one answer may have (head and body): an answer that grows past it
    /// fails with [`EngineError::ResponseTooLarge`] instead of growing plimsoll's memory.
    /// The largest real answers are lists (`GET /containers/json` of thousands of
    /// containers, `GET /images/json`): a few MiB. One container's inspect is ~10 KiB.
    pub max_response_bytes: u64,
}

/// [`EngineConfig::max_response_bytes`] by default: 32 MiB, ten times the container list of a
/// host running 5,000 containers, and a bound on memory (bollard holds the answer whole and
/// a copy of it while parsing).
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            host: None,
            tls_verify: false,
            tls: false,
            cert_path: None,
            config_dir: None,
            call_timeout: Duration::from_secs(10),
            deadline: Duration::from_secs(60),
            concurrency: 16,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

impl EngineConfig {
    /// Reads `DOCKER_HOST`, `DOCKER_TLS_VERIFY`, `DOCKER_TLS`, `DOCKER_CERT_PATH`,
    /// `DOCKER_CONFIG` and `HOME` through `get` (the binary passes `std::env::var`); the time
    /// limits keep their defaults.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> EngineConfig {
        let non_empty = |name: &str| get(name).filter(|v| !v.is_empty());
        let config_dir = non_empty("DOCKER_CONFIG")
            .map(PathBuf::from)
            .or_else(|| non_empty("HOME").map(|h| Path::new(&h).join(".docker")));
        EngineConfig {
            host: non_empty("DOCKER_HOST"),
            tls_verify: non_empty("DOCKER_TLS_VERIFY").is_some(),
            tls: non_empty("DOCKER_TLS").is_some(),
            cert_path: non_empty("DOCKER_CERT_PATH").map(PathBuf::from),
            config_dir,
            ..EngineConfig::default()
        }
    }

    /// The endpoint these settings name, with TLS files resolved and checked.
    pub fn endpoint(&self) -> Result<Endpoint, EngineError> {
        let raw = match self.host.as_deref() {
            None | Some("") => return Ok(Endpoint::Unix(PathBuf::from(DEFAULT_SOCKET))),
            Some(h) => h.trim(),
        };
        let bad = |reason: &str| EngineError::BadHost {
            host: raw.to_string(),
            reason: reason.to_string(),
        };
        let (scheme, rest) = match raw.split_once("://") {
            Some((s, r)) => (s.to_ascii_lowercase(), r),
            None if raw.starts_with('/') || raw.starts_with('.') => {
                return Err(bad(&format!(
                    "a socket path needs the unix:// scheme (unix://{raw})"
                )))
            }
            // docker/cli: an address without a scheme is a TCP address.
            None => ("tcp".to_string(), raw),
        };
        match scheme.as_str() {
            "unix" => {
                if rest.contains("://") {
                    return Err(bad("more than one scheme"));
                }
                let path = if rest.is_empty() {
                    DEFAULT_SOCKET
                } else {
                    rest
                };
                if !path.starts_with('/') {
                    return Err(bad("the socket path must be absolute (unix:///path)"));
                }
                Ok(Endpoint::Unix(PathBuf::from(path)))
            }
            "tcp" | "http" | "https" => {
                let tls = match scheme.as_str() {
                    "https" => true,
                    "http" => false,
                    _ => self.tls_verify || self.tls,
                };
                let default_port = if tls { 2376 } else { 2375 };
                let addr = parse_tcp_addr(rest, default_port).map_err(|r| bad(&r))?;
                let tls = if tls { Some(self.tls_files()?) } else { None };
                Ok(Endpoint::Tcp { addr, tls })
            }
            "ssh" | "npipe" | "fd" => Err(EngineError::UnsupportedScheme {
                host: raw.to_string(),
                scheme,
            }),
            "" => Err(bad("empty scheme")),
            _ => Err(bad(&format!(
                "unknown scheme {scheme}:// (expected unix://, tcp://, http:// or https://)"
            ))),
        }
    }

    /// The TLS files, all three required: the CA verifies the daemon, the pair identifies us
    /// to a daemon run with `--tlsverify`.
    fn tls_files(&self) -> Result<TlsFiles, EngineError> {
        let dir = self
            .cert_path
            .clone()
            .or_else(|| self.config_dir.clone())
            .ok_or(EngineError::TlsNoCertDir)?;
        let files = TlsFiles {
            ca: dir.join("ca.pem"),
            cert: dir.join("cert.pem"),
            key: dir.join("key.pem"),
        };
        let missing: Vec<String> = [
            ("ca.pem", &files.ca),
            ("cert.pem", &files.cert),
            ("key.pem", &files.key),
        ]
        .iter()
        .filter(|(_, p)| !p.is_file())
        .map(|(n, _)| n.to_string())
        .collect();
        if missing.is_empty() {
            Ok(files)
        } else {
            Err(EngineError::TlsFilesMissing { dir, missing })
        }
    }
}

/// `HOST[:PORT]` (IPv6 as `[::1]:2376`), no path: the host and port, defaulting the port.
fn parse_tcp_addr(rest: &str, default_port: u16) -> Result<String, String> {
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty() {
        return Err("no host after the scheme".to_string());
    }
    if rest.contains("://") {
        return Err("more than one scheme".to_string());
    }
    if rest.contains('/') {
        return Err("a path after the address is not supported".to_string());
    }
    if rest.contains('@') || rest.contains('?') || rest.contains('#') {
        return Err("user info, query or fragment are not allowed".to_string());
    }
    let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
        let (h, after) = v6
            .split_once(']')
            .ok_or_else(|| "unclosed [ in an IPv6 address".to_string())?;
        let port = match after {
            "" => None,
            p => Some(
                p.strip_prefix(':')
                    .ok_or_else(|| format!("unexpected {p:?} after the IPv6 address"))?,
            ),
        };
        (format!("[{h}]"), port)
    } else {
        match rest.rsplit_once(':') {
            Some((h, _)) if h.contains(':') => {
                return Err("an IPv6 address must be written in brackets: [::1]:2376".to_string())
            }
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (rest.to_string(), None),
        }
    };
    let host = if host.is_empty() || host == "[]" {
        "localhost".to_string()
    } else {
        host
    };
    let port = match port {
        None | Some("") => default_port,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 => n,
            _ => return Err(format!("invalid port {p:?}")),
        },
    };
    Ok(format!("{host}:{port}"))
}

/// A parsed engine address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// A unix socket path.
    Unix(PathBuf),
    /// `host:port` over TCP, with TLS when `tls` is set (the daemon is always verified
    /// against `ca.pem`: plimsoll does not offer an unverified TLS mode).
    Tcp { addr: String, tls: Option<TlsFiles> },
}

/// The three files of a docker TLS setup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Endpoint::Unix(p) => write!(f, "unix://{}", p.display()),
            Endpoint::Tcp { addr, tls: None } => write!(f, "tcp://{addr}"),
            Endpoint::Tcp { addr, tls: Some(_) } => write!(f, "tcp://{addr} (TLS)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn cfg(host: &str) -> EngineConfig {
        EngineConfig {
            host: Some(host.to_string()),
            ..EngineConfig::default()
        }
    }

    #[test]
    fn default_is_the_docker_socket() {
        assert_eq!(
            EngineConfig::default().endpoint().ok(),
            Some(Endpoint::Unix(PathBuf::from("/var/run/docker.sock")))
        );
        assert_eq!(
            cfg("unix://").endpoint().ok(),
            Some(Endpoint::Unix(PathBuf::from("/var/run/docker.sock")))
        );
        assert_eq!(
            cfg("unix:///run/user/1000/docker.sock").endpoint().ok(),
            Some(Endpoint::Unix(PathBuf::from("/run/user/1000/docker.sock")))
        );
    }

    #[test]
    fn tcp_forms() {
        let addr = |h: &str| match cfg(h).endpoint() {
            Ok(Endpoint::Tcp { addr, tls: None }) => addr,
            other => panic!("{h}: {other:?}"),
        };
        assert_eq!(addr("tcp://10.0.0.1:2375"), "10.0.0.1:2375");
        assert_eq!(addr("tcp://example.org"), "example.org:2375");
        assert_eq!(addr("tcp://:4243"), "localhost:4243");
        assert_eq!(addr("example.org:2375"), "example.org:2375");
        assert_eq!(addr("http://127.0.0.1:2375/"), "127.0.0.1:2375");
        assert_eq!(addr("tcp://[::1]:2375"), "[::1]:2375");
        assert_eq!(addr("tcp://[::1]"), "[::1]:2375");
    }

    #[test]
    fn bad_hosts_are_typed() {
        for h in [
            "tcp://",
            "tcp://host:notaport",
            "tcp://host:0",
            "tcp://host:70000",
            "tcp://::1:2375",
            "tcp://host:2375/prefix",
            "/var/run/docker.sock",
            "unix://relative.sock",
            "gopher://x",
            "tcp://tcp://x",
        ] {
            assert!(
                matches!(cfg(h).endpoint(), Err(EngineError::BadHost { .. })),
                "{h}"
            );
        }
        for (h, s) in [
            ("ssh://me@box", "ssh"),
            ("npipe:////./pipe/docker_engine", "npipe"),
        ] {
            match cfg(h).endpoint() {
                Err(EngineError::UnsupportedScheme { scheme, .. }) => assert_eq!(scheme, s),
                other => panic!("{h}: {other:?}"),
            }
        }
    }

    #[test]
    fn tls_needs_all_three_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ca.pem"), "x").unwrap();
        let mut c = cfg("tcp://h");
        c.tls_verify = true;
        c.cert_path = Some(dir.path().to_path_buf());
        match c.endpoint() {
            Err(EngineError::TlsFilesMissing { missing, .. }) => {
                assert_eq!(missing, vec!["cert.pem", "key.pem"])
            }
            other => panic!("{other:?}"),
        }
        std::fs::write(dir.path().join("cert.pem"), "x").unwrap();
        std::fs::write(dir.path().join("key.pem"), "x").unwrap();
        match c.endpoint() {
            Ok(Endpoint::Tcp {
                addr,
                tls: Some(files),
            }) => {
                assert_eq!(addr, "h:2376");
                assert_eq!(files.ca, dir.path().join("ca.pem"));
            }
            other => panic!("{other:?}"),
        }
        // https:// means TLS whatever DOCKER_TLS_VERIFY says.
        let mut c = cfg("https://h:2376");
        c.cert_path = Some(dir.path().join("nowhere"));
        assert!(matches!(
            c.endpoint(),
            Err(EngineError::TlsFilesMissing { .. })
        ));
        let mut c = cfg("tcp://h");
        c.tls = true;
        assert!(matches!(c.endpoint(), Err(EngineError::TlsNoCertDir)));
    }

    #[test]
    fn from_env_follows_the_cli() {
        let env: BTreeMap<&str, &str> = [
            ("DOCKER_HOST", "tcp://h:1"),
            ("DOCKER_TLS_VERIFY", "0"),
            ("HOME", "/home/me"),
            ("DOCKER_CERT_PATH", ""),
        ]
        .into_iter()
        .collect();
        let c = EngineConfig::from_env(|k| env.get(k).map(|v| v.to_string()));
        assert_eq!(c.host.as_deref(), Some("tcp://h:1"));
        assert!(c.tls_verify, "any non-empty DOCKER_TLS_VERIFY turns TLS on");
        assert_eq!(c.cert_path, None);
        assert_eq!(c.config_dir, Some(PathBuf::from("/home/me/.docker")));
        let c = EngineConfig::from_env(|_| None);
        assert_eq!(c, EngineConfig::default());
    }
}
