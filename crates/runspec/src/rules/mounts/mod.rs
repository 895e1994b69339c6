//! Mount and device rules (RS015–RS018): host paths, runtime sockets and devices given to a
//! container, and mounts whose propagation reaches back to the host.
//!
//! Host paths are judged lexically (no I/O): `/var/../etc/` is `/etc`. Paths that were
//! written relative to the project (`./data`, `../conf`) are the project's own files, even
//! though the compose loader resolves them to absolute paths — a project that happens to
//! live under `/usr/src` or `/etc/myapp` must not look like a mount of `/usr` or `/etc`.

use crate::model::{Mount, MountKind, RunSpec, Sourced};
use crate::values::clean_path;

// The rules of this group, in id order: each entry declares the rule's module and lists the
// rule in `RULES`, so a rule module cannot exist unregistered.
plimsoll_core::rule_group!(dyn super::RunSpecRule;
    runtime_socket => RuntimeSocket,
    sensitive_path => SensitivePath,
    propagation => Propagation,
    devices => Devices,
);

/// Where a bind mount's source is on the host, as far as the text tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPath {
    /// An absolute path, normalised (`/etc/ssh`; `/` for the root).
    Absolute(String),
    /// Under the invoking user's home (`~`, `~/.ssh`): the part after `~`, normalised
    /// without a leading slash (`""`, `.ssh`).
    Home(String),
    /// Relative to the project or working directory, as written (`./data`).
    Relative(String),
}

impl HostPath {
    /// The path as shown in messages.
    pub fn display(&self) -> String {
        match self {
            HostPath::Absolute(p) => p.clone(),
            HostPath::Home(rest) if rest.is_empty() => "~".to_string(),
            HostPath::Home(rest) => format!("~/{rest}"),
            HostPath::Relative(p) => p.clone(),
        }
    }

    /// The path's components (none for `/` and `~`).
    pub fn components(&self) -> Vec<&str> {
        let text = match self {
            HostPath::Absolute(p) | HostPath::Home(p) | HostPath::Relative(p) => p.as_str(),
        };
        text.split('/')
            .filter(|c| !c.is_empty() && *c != ".")
            .collect()
    }

    /// The last component (`docker.sock`).
    pub fn file_name(&self) -> Option<&str> {
        self.components().last().copied()
    }
}

/// Every bind mount of the spec with its host path. Named volumes, tmpfs and anonymous
/// volumes are skipped; named pipes are left to the rules that know about them.
pub fn binds(spec: &RunSpec) -> impl Iterator<Item = (&Sourced<Mount>, HostPath)> {
    spec.mounts.iter().filter_map(|m| {
        if m.value.kind != MountKind::Bind {
            return None;
        }
        let source = m.value.source.as_deref()?.trim();
        if source.is_empty() {
            return None;
        }
        Some((m, host_path(source, &m.origin.written)))
    })
}

/// Classifies a bind source. `written` is the mount as written in its source; a source the
/// loader resolved from a relative path is recognised there by its `./` or `../` start.
pub fn host_path(source: &str, written: &str) -> HostPath {
    if let Some(rest) = source.strip_prefix('~') {
        if rest.is_empty() || rest.starts_with('/') {
            return HostPath::Home(normalize(rest).trim_start_matches('/').to_string());
        }
    }
    if !source.starts_with('/') || written_relative(written) {
        return HostPath::Relative(source.to_string());
    }
    HostPath::Absolute(normalize(source))
}

/// `a//b/./c/../d/` → `/a/b/d`, lexically, never above `/`: Go's `path.Clean` of the path
/// taken from `/`.
pub fn normalize(path: &str) -> String {
    if path.starts_with('/') {
        clean_path(path)
    } else {
        clean_path(&format!("/{path}"))
    }
}

/// Whether the text of a mount has a word starting with `.` (`./data`, `../conf`, `.`,
/// `.env`): a source relative to the project directory (compose treats every source starting
/// with `.` as a path) or to the working directory (`docker run -v ./x:/y`). Container paths
/// are absolute, so such a word can only be the source.
fn written_relative(written: &str) -> bool {
    let bytes = written.as_bytes();
    written.match_indices('.').any(|(i, _)| {
        match i.checked_sub(1).and_then(|j| bytes.get(j)).copied() {
            None => true,
            Some(b) => b.is_ascii_whitespace() || matches!(b, b'=' | b',' | b'"' | b'\''),
        }
    })
}

/// Whether `path` is `prefix` or below it (`/etc` covers `/etc/ssh`, not `/etcd`).
pub fn under(path: &str, prefix: &str) -> bool {
    if prefix == "/" {
        return path.starts_with('/');
    }
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// `:ro` or `:rw` as the message says it.
pub fn mode(m: &Mount) -> &'static str {
    if m.read_only {
        "read-only"
    } else {
        "read-write"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_lexically() {
        assert_eq!(normalize("/"), "/");
        assert_eq!(normalize("//etc//ssh/"), "/etc/ssh");
        assert_eq!(normalize("/var/run/../../etc/./shadow"), "/etc/shadow");
        assert_eq!(normalize("/../../.."), "/");
    }

    #[test]
    fn classifies_sources() {
        assert_eq!(
            host_path("/etc/", "/etc/:/host/etc"),
            HostPath::Absolute("/etc".into())
        );
        assert_eq!(host_path("~", "~:/home"), HostPath::Home(String::new()));
        assert_eq!(
            host_path("~/.ssh/", "~/.ssh:/root/.ssh:ro"),
            HostPath::Home(".ssh".into())
        );
        // `~user` is not expanded by compose or the CLI: a relative name.
        assert!(matches!(
            host_path("~bob/x", "~bob/x:/x"),
            HostPath::Relative(_)
        ));
        // Resolved by the loader, but written relative.
        for written in [
            "./data:/data",
            "- ../conf:/etc/app:ro",
            ".:/app",
            "source: ./data",
            "--volume=./data:/data",
            "type=bind,src=./data,dst=/data",
            "\"./data:/data\"",
            ".env:/app/.env:ro",
        ] {
            assert!(
                matches!(
                    host_path("/usr/src/app/data", written),
                    HostPath::Relative(_)
                ),
                "{written}"
            );
        }
        for written in [
            "/etc:/etc",
            "/srv/app.d:/x",
            "/opt/v1.2/data:/data",
            "source: /etc",
        ] {
            assert!(
                matches!(host_path("/etc", written), HostPath::Absolute(_)),
                "{written}"
            );
        }
    }

    #[test]
    fn under_respects_component_boundaries() {
        assert!(under("/etc", "/etc"));
        assert!(under("/etc/ssh", "/etc"));
        assert!(!under("/etcd", "/etc"));
        assert!(under("/anything", "/"));
    }
}
