//! The connection: one bollard client on a private tokio runtime, behind a synchronous API.
//!
//! Every call goes through [`Budget::call`], which bounds it twice: by the per-call timeout
//! (request sent → last byte of the answer read, which bollard's own timeout does not cover)
//! and by the overall deadline of the operation. A call that times out marks the daemon as
//! unresponsive for the rest of that operation, so a hung daemon costs one timeout, not one
//! per container.
//!
//! API versions: bollard prefixes every path with its own version (`/v1.53/…`), and a daemon
//! older than that rejects the request outright ("client version 1.53 is too new"). So the
//! first call is an *unversioned* `GET /version` (the daemon answers it at its own version),
//! and the real client is built for `min(daemon, bollard)`: the same negotiation the docker CLI
//! does with `/_ping`.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bollard::models::SystemVersion;
use bollard::{ClientVersion, Docker, API_DEFAULT_VERSION};
use tokio::time::Instant;

use crate::config::{Endpoint, EngineConfig};
use crate::error::{classify, fmt_duration, EngineError};
use crate::transport;

/// The oldest Engine API plimsoll talks to: Docker 1.12, the minimum moby itself still
/// accepts from clients. Every field the collector reads (`Mounts`, `PidsLimit`, `top`)
/// exists there.
pub const MIN_API_VERSION: (usize, usize) = (1, 24);

/// A connected, version-negotiated engine.
pub struct Engine {
    pub(crate) rt: tokio::runtime::Runtime,
    pub(crate) docker: Docker,
    pub(crate) endpoint: Endpoint,
    pub(crate) endpoint_text: String,
    pub(crate) cfg: EngineConfig,
    server: SystemVersion,
    api_version: (usize, usize),
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("endpoint", &self.endpoint_text)
            .field("api_version", &self.api_version)
            .finish()
    }
}

impl Engine {
    /// Connects to the engine `cfg` names, negotiates the API version and checks that the
    /// daemon answers. Fails with a typed error (daemon down, permission denied, bad
    /// `DOCKER_HOST`, TLS files missing, API too old, no answer within the timeout).
    ///
    /// Must not be called from inside an async runtime (the facade runs its own).
    pub fn connect(cfg: &EngineConfig) -> Result<Engine, EngineError> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(EngineError::Runtime(
                "Engine::connect was called from inside an async runtime; call it from a plain thread".to_string(),
            ));
        }
        let endpoint = cfg.endpoint()?;
        let endpoint_text = match &endpoint {
            Endpoint::Unix(p) => format!("unix://{}", p.display()),
            Endpoint::Tcp { addr, tls: None } => format!("tcp://{addr}"),
            Endpoint::Tcp { addr, tls: Some(_) } => format!("tcp://{addr} (TLS)"),
        };
        if let Endpoint::Unix(path) = &endpoint {
            check_socket(path, &endpoint_text)?;
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| EngineError::Runtime(e.to_string()))?;
        let _guard = rt.enter();

        // bollard's own timeout is whole seconds and only covers the response head; ours
        // (Budget::call) is the one that counts, so bollard's is set just above it.
        let bollard_secs = cfg.call_timeout.as_secs().saturating_add(2);
        let limit = cfg.max_response_bytes;
        let probe = transport::client(
            &endpoint,
            &endpoint_text,
            limit,
            bollard_secs,
            API_DEFAULT_VERSION,
        )?
        .with_request_modifier(unversioned);
        let budget = Budget::new(cfg);
        let server = rt
            .block_on(budget.call(&endpoint_text, "GET /version", probe.version()))
            .map_err(|e| not_a_docker_engine(e, &endpoint_text))?;

        let api_text = server.api_version.clone().unwrap_or_default();
        let api = parse_api_version(&api_text).ok_or_else(|| EngineError::NotDocker {
            endpoint: endpoint_text.clone(),
            detail: format!(
                "its answer to GET /version has no usable ApiVersion ({:?})",
                excerpt(&api_text)
            ),
        })?;
        if api < MIN_API_VERSION {
            return Err(EngineError::ApiTooOld {
                endpoint: endpoint_text,
                server: api_text,
                minimum: format!("{}.{}", MIN_API_VERSION.0, MIN_API_VERSION.1),
            });
        }
        let ours = (
            API_DEFAULT_VERSION.major_version,
            API_DEFAULT_VERSION.minor_version,
        );
        let api_version = api.min(ours);
        let docker = transport::client(
            &endpoint,
            &endpoint_text,
            limit,
            bollard_secs,
            &ClientVersion {
                major_version: api_version.0,
                minor_version: api_version.1,
            },
        )?
        .with_request_modifier(user_agent);
        drop(_guard);
        Ok(Engine {
            rt,
            docker,
            endpoint,
            endpoint_text,
            cfg: cfg.clone(),
            server,
            api_version,
        })
    }

    /// Where the engine is (`unix:///var/run/docker.sock`, `tcp://host:2376 (TLS)`).
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The endpoint as text, for messages.
    pub fn endpoint_text(&self) -> &str {
        &self.endpoint_text
    }

    /// The API version in use (`1.41`): the daemon's, or bollard's if the daemon is newer.
    pub fn api_version(&self) -> String {
        format!("{}.{}", self.api_version.0, self.api_version.1)
    }

    /// The daemon's `GET /version` answer from connect time (engine version, API range, OS,
    /// kernel, components).
    pub fn server_version(&self) -> &SystemVersion {
        &self.server
    }

    /// The settings this engine was connected with.
    pub fn config(&self) -> &EngineConfig {
        &self.cfg
    }
}

/// Time limits for one operation.
pub(crate) struct Budget {
    deadline: Instant,
    call_timeout: Duration,
    overall: Duration,
    unresponsive: AtomicBool,
}

impl Budget {
    pub(crate) fn new(cfg: &EngineConfig) -> Budget {
        Budget {
            deadline: Instant::now() + cfg.deadline,
            call_timeout: cfg.call_timeout,
            overall: cfg.deadline,
            unresponsive: AtomicBool::new(false),
        }
    }

    /// Runs one API call within the limits, classifying its failure.
    pub(crate) async fn call<T>(
        &self,
        endpoint: &str,
        what: &str,
        fut: impl std::future::Future<Output = Result<T, bollard::errors::Error>>,
    ) -> Result<T, EngineError> {
        if self.unresponsive.load(Ordering::Relaxed) {
            return Err(EngineError::NotAttempted {
                what: what.to_string(),
                reason: "the daemon stopped answering earlier in this scan".to_string(),
            });
        }
        let now = Instant::now();
        if now >= self.deadline {
            return Err(EngineError::NotAttempted {
                what: what.to_string(),
                reason: format!(
                    "the overall deadline of {} had passed",
                    fmt_duration(self.overall)
                ),
            });
        }
        let limit = self.call_timeout.min(self.deadline - now);
        match tokio::time::timeout(limit, fut).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => match classify(e, endpoint, what) {
                EngineError::Timeout { endpoint, what, .. } => {
                    self.unresponsive.store(true, Ordering::Relaxed);
                    Err(EngineError::Timeout {
                        endpoint,
                        what,
                        after: limit,
                    })
                }
                other => Err(other),
            },
            Err(_) => {
                self.unresponsive.store(true, Ordering::Relaxed);
                Err(EngineError::Timeout {
                    endpoint: endpoint.to_string(),
                    what: what.to_string(),
                    after: limit,
                })
            }
        }
    }
}

/// The first call decides whether a Docker Engine answers at all. Every Engine since 1.12
/// answers an unversioned `GET /version` with its JSON, so an answer that is not HTTP, an
/// HTTP client error (a web server's 404, a proxy's 403) or not that JSON means `DOCKER_HOST`
/// points at something else — not "no such object" about a container.
fn not_a_docker_engine(e: EngineError, endpoint: &str) -> EngineError {
    let detail = match e {
        EngineError::NotFound { what, message } => {
            format!("{what} answered HTTP 404 ({})", describe_body(&message))
        }
        EngineError::Api {
            what,
            status,
            message,
        } if status < 500 => format!(
            "{what} answered HTTP {status} ({})",
            describe_body(&message)
        ),
        EngineError::Protocol { what, detail, .. } => format!("{what}: {}", excerpt(&detail)),
        other => return other,
    };
    EngineError::NotDocker {
        endpoint: endpoint.to_string(),
        detail,
    }
}

/// An error body as a message can show it: a web page by its title, anything else as an
/// [`excerpt`].
fn describe_body(body: &str) -> String {
    let trimmed = body.trim_start();
    if !trimmed.starts_with('<') {
        return excerpt(body);
    }
    let lower = trimmed.to_ascii_lowercase();
    let title = lower
        .find("<title>")
        .map(|i| i + "<title>".len())
        .and_then(|start| Some((start, start + lower.get(start..)?.find("</title>")?)))
        .and_then(|(start, end)| trimmed.get(start..end))
        .map(excerpt)
        .filter(|t| !t.is_empty());
    match title {
        Some(t) => format!("an HTML page: {t}"),
        None => "an HTML page".to_string(),
    }
}

/// At most 100 characters of what a server sent, on one line, for a message.
fn excerpt(text: &str) -> String {
    let one_line: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let mut out: String = one_line.chars().take(100).collect();
    if one_line.chars().count() > 100 {
        out.push('…');
    }
    out
}

/// Before any I/O: a missing socket is a stopped daemon, a socket in a directory we cannot
/// enter is a permission problem, and a regular file is a wrong `DOCKER_HOST`.
fn check_socket(path: &Path, endpoint: &str) -> Result<(), EngineError> {
    use std::os::unix::fs::FileTypeExt;
    match std::fs::metadata(path) {
        Ok(m) if m.file_type().is_socket() => Ok(()),
        Ok(_) => Err(EngineError::BadHost {
            host: endpoint.to_string(),
            reason: format!("{} exists but is not a socket", path.display()),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(EngineError::DaemonDown {
            endpoint: endpoint.to_string(),
            detail: format!("{} does not exist (is the daemon running?)", path.display()),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            Err(EngineError::PermissionDenied {
                endpoint: endpoint.to_string(),
            })
        }
        Err(e) => Err(EngineError::DaemonDown {
            endpoint: endpoint.to_string(),
            detail: e.to_string(),
        }),
    }
}

/// Strips bollard's `/vX.Y` prefix so the daemon answers at its own version.
fn unversioned(mut req: bollard::BollardRequest) -> bollard::BollardRequest {
    if let Some(new) = strip_version(&req.uri().to_string()) {
        if let Ok(u) = new.parse() {
            *req.uri_mut() = u;
        }
    }
    user_agent(req)
}

/// `scheme://authority/v1.53/version?x` → `scheme://authority/version?x`.
fn strip_version(uri: &str) -> Option<String> {
    let auth_start = uri.find("://")? + 3;
    let path_start = auth_start + uri.get(auth_start..)?.find('/')?;
    let path = uri.get(path_start..)?;
    let rest = path.strip_prefix("/v")?;
    let slash = rest.find('/')?;
    let ver = rest.get(..slash)?;
    if ver.is_empty() || !ver.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    Some(format!("{}{}", uri.get(..path_start)?, rest.get(slash..)?))
}

fn user_agent(mut req: bollard::BollardRequest) -> bollard::BollardRequest {
    if let Ok(v) = concat!("plimsoll/", env!("CARGO_PKG_VERSION")).parse() {
        req.headers_mut().insert("user-agent", v);
    }
    req
}

/// `1.41` → (1, 41).
pub(crate) fn parse_api_version(s: &str) -> Option<(usize, usize)> {
    let (a, b) = s.trim().split_once('.')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_versions_compare_numerically() {
        assert_eq!(parse_api_version("1.41"), Some((1, 41)));
        assert!(parse_api_version("1.9").unwrap_or((0, 0)) < MIN_API_VERSION);
        assert!(parse_api_version("1.100").unwrap_or((0, 0)) > (1, 53));
        assert_eq!(parse_api_version("latest"), None);
    }

    #[test]
    fn version_prefix_is_stripped_after_the_authority() {
        assert_eq!(
            strip_version("http://vhost:2375/v1.53/version").as_deref(),
            Some("http://vhost:2375/version")
        );
        assert_eq!(
            strip_version("unix://2f7661722f/v1.53/containers/json?all=true").as_deref(),
            Some("unix://2f7661722f/containers/json?all=true")
        );
        assert_eq!(strip_version("http://h/version"), None);
    }
}
