//! RS015: a container-runtime API socket (or the directory holding one) is mounted.

use super::{binds, HostPath};
use crate::dialect::Fix;
use crate::model::MountKind;
use crate::rules::{remove, Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS015",
    name: "runtime-socket",
    title: "Container runtime socket mounted",
    severity: Severity::Critical,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a container gets the API socket of a container runtime: a bind \
mount (compose `volumes`, `docker run -v`/`--mount`, `Mounts` of an existing container) whose \
host path ends in `docker.sock` (also Docker Desktop's `docker.sock.raw`), \
`containerd.sock`, `containerd.sock.ttrpc`, `podman.sock`, `crio.sock`, `cri-dockerd.sock`, \
`dockershim.sock` or `buildkitd.sock`, wherever it lives (`/var/run`, `/run`, \
`/run/user/1000` for rootless engines, `/run/k3s/containerd`); a bind of a directory that \
holds such sockets (`/run`, `/var/run`, `/run/docker`, `/run/containerd`, `/run/podman`, \
`/run/crio`, `/run/buildkit`, `/run/k3s`, `/run/user/<uid>`); and the Windows named pipe \
`\\\\.\\pipe\\docker_engine`. Read-only mounts fire too. The whole host root (`/:/host`) is \
reported by RS016 instead.\n\ndocker-bench 5.32 and KICS look only for `docker.sock`; \
containerd, Podman and CRI-O sockets and `/run` binds slip past them.",
        why: "The runtime's API socket is root on the host: whoever can talk to it can start a \
new container with `privileged: true` and the host's `/` mounted, and edit the host from \
there (`docker -H unix:///var/run/docker.sock run --privileged -v /:/host …`). A compromised \
web UI, CI job or log shipper with the socket is therefore a compromised host. Mounting it \
`:ro` does not help: read-only only protects the socket file itself, not the API requests \
sent through it.",
        fix: "Remove the socket mount. A service that only needs to read container state \
(a reverse proxy discovering backends, a dashboard, a log or metrics agent) should talk to a \
filtering proxy such as `tecnativa/docker-socket-proxy` that allows only the read endpoints it \
uses, over a private network (the proxy itself still holds the socket: one reviewed exception \
instead of one per consumer) — or, better, configure it without the engine (a reverse proxy's \
file provider, labels read at deploy time). Builds in CI should use rootless BuildKit or a \
remote builder instead of the host's engine.",
        bad: "services:\n  app:\n    image: traefik:v3.1\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n",
        good: "services:\n  app:\n    image: traefik:v3.1\n    command: --providers.file.directory=/etc/traefik/dynamic\n    volumes:\n      - ./dynamic:/etc/traefik/dynamic:ro\n",
    },
    references: References {
        cis: &["5.32"],
        kics: &[
            "Docker Socket Mounted In Container",
            "d6355c88-1e8d-49e9-b2f2-f8a1ca12c75b",
        ],
        cwe: &["CWE-250", "CWE-668"],
        links: &[
            "https://docs.docker.com/engine/security/#docker-daemon-attack-surface",
            "https://github.com/Tecnativa/docker-socket-proxy",
        ],
        ..References::NONE
    },
};

pub struct RuntimeSocket;

/// Socket file names and the runtime whose API they serve.
const SOCKETS: &[(&str, &str)] = &[
    ("docker.sock", "Docker Engine"),
    ("docker.sock.raw", "Docker Engine"),
    ("dockershim.sock", "Docker (dockershim)"),
    ("cri-dockerd.sock", "Docker (cri-dockerd)"),
    ("containerd.sock", "containerd"),
    ("containerd.sock.ttrpc", "containerd"),
    ("podman.sock", "Podman"),
    ("crio.sock", "CRI-O"),
    ("buildkitd.sock", "BuildKit"),
];

/// Directories that hold runtime sockets, and which.
const DIRS: &[(&str, &str)] = &[
    ("/run", "Docker, containerd and other runtime"),
    ("/var/run", "Docker, containerd and other runtime"),
    ("/run/docker", "Docker's containerd and plugin"),
    ("/var/run/docker", "Docker's containerd and plugin"),
    ("/run/containerd", "containerd"),
    ("/var/run/containerd", "containerd"),
    ("/run/podman", "Podman"),
    ("/var/run/podman", "Podman"),
    ("/run/crio", "CRI-O"),
    ("/var/run/crio", "CRI-O"),
    ("/run/buildkit", "BuildKit"),
    ("/var/run/buildkit", "BuildKit"),
    ("/run/k3s", "k3s containerd"),
    ("/var/run/k3s", "k3s containerd"),
];

/// What a bind source gives access to, if it is a runtime socket or a directory of them:
/// `(is a directory, runtime)`.
pub fn runtime_socket(path: &HostPath) -> Option<(bool, &'static str)> {
    if let Some(name) = path.file_name() {
        if let Some((_, runtime)) = SOCKETS.iter().find(|(s, _)| *s == name) {
            return Some((false, runtime));
        }
    }
    let HostPath::Absolute(p) = path else {
        return None;
    };
    if let Some((_, runtime)) = DIRS.iter().find(|(d, _)| d == p) {
        return Some((true, runtime));
    }
    // `/run/user/<uid>` (and its `podman`/`docker` subdirectories): rootless engines'
    // sockets live there.
    let parts = path.components();
    let under_run: &[&str] = match parts.as_slice() {
        ["run", rest @ ..] | ["var", "run", rest @ ..] => rest,
        _ => &[],
    };
    let rootless = match under_run {
        ["user", uid] | ["user", uid, "podman" | "docker"] => {
            !uid.is_empty() && uid.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    };
    rootless.then_some((true, "rootless Docker or Podman"))
}

impl Rule<Input<'_>> for RuntimeSocket {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        for (m, path) in binds(spec) {
            let Some((dir, runtime)) = runtime_socket(&path) else {
                continue;
            };
            let shown = path.display();
            let what = if dir {
                format!("host directory `{shown}`, which holds the {runtime} API sockets")
            } else {
                format!("the {runtime} API socket `{shown}`")
            };
            push(input, m, &what, &format!("{}:{shown}", spec.name), out);
        }
        for m in &spec.mounts {
            if m.value.kind != MountKind::Npipe {
                continue;
            }
            let source = m.value.source.as_deref().unwrap_or_default();
            let lower = source.to_ascii_lowercase();
            let runtime = if lower.contains("docker_engine") {
                "Docker Engine"
            } else if lower.contains("containerd") {
                "containerd"
            } else if lower.contains("podman") {
                "Podman"
            } else {
                continue;
            };
            let what = format!("the {runtime} API named pipe `{source}`");
            push(input, m, &what, &format!("{}:{source}", spec.name), out);
        }
    }
}

fn push(
    input: &Input<'_>,
    m: &crate::model::Sourced<crate::model::Mount>,
    what: &str,
    key: &str,
    out: &mut Vec<Finding>,
) {
    let (spec, dialect) = (input.spec, input.dialect);
    let written = m.origin.written.trim();
    let ro = if m.value.read_only {
        "; mounting it read-only does not help, it protects the socket file, not the API"
    } else {
        ""
    };
    let then = dialect.fix(Fix::SocketProxyInstead);
    let fix = remove(
        dialect,
        &m.origin,
        "re-create the container without this mount; give it a filtering socket proxy if it \
         only reads container state",
    ) + &then;
    out.push(
        Finding::new(
            &META,
            m.origin.location.clone(),
            format!(
                "{} mounts {what} (`{written}`): anyone who controls the container can start a \
                 privileged container with the host's `/` mounted — root on the host{ro}",
                dialect.subject(spec)
            ),
        )
        .evidence(written)
        .fix(fix)
        .key(key.to_string())
        .build(),
    );
}

/// Whether `path` is covered by this rule (so RS016 leaves it alone).
pub fn covers(path: &HostPath) -> bool {
    runtime_socket(path).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Mount;
    use crate::rules::testing::{bind, check, compose, container, run};

    #[test]
    fn sockets_fire_wherever_they_live() {
        for src in [
            "/var/run/docker.sock",
            "/run/docker.sock",
            "/run/user/1000/docker.sock",
            "/run/containerd/containerd.sock",
            "/run/k3s/containerd/containerd.sock",
            "/run/podman/podman.sock",
            "/var/run/crio/crio.sock",
            "/var/run/docker.sock.raw",
        ] {
            let spec = compose("web")
                .bind(src, "/var/run/docker.sock", false)
                .build();
            let found = check(&RuntimeSocket, &spec);
            assert_eq!(found.len(), 1, "{src}");
            assert_eq!(found[0].severity, Severity::Critical);
            assert!(found[0].message.contains(src), "{}", found[0].message);
        }
    }

    #[test]
    fn read_only_says_it_does_not_help() {
        let spec = run("web")
            .bind("/var/run/docker.sock", "/var/run/docker.sock", true)
            .build();
        let found = check(&RuntimeSocket, &spec);
        assert!(found[0].message.contains("read-only does not help"));
        assert!(found[0].message.contains("the Docker Engine API socket"));
    }

    #[test]
    fn runtime_directories_fire() {
        for src in [
            "/run",
            "/var/run",
            "/var/run/",
            "/run/containerd",
            "/run/user/1000",
        ] {
            let spec = compose("web").bind(src, "/host/run", true).build();
            let found = check(&RuntimeSocket, &spec);
            assert_eq!(found.len(), 1, "{src}");
            assert!(found[0].message.contains("host directory"));
        }
    }

    #[test]
    fn named_pipe_fires() {
        let pipe = Mount {
            kind: MountKind::Npipe,
            source: Some(r"\\.\pipe\docker_engine".into()),
            target: r"\\.\pipe\docker_engine".into(),
            read_only: false,
            propagation: None,
            selinux: None,
        };
        let spec = container("web")
            .mount(r"\\.\pipe\docker_engine", pipe)
            .build();
        assert_eq!(check(&RuntimeSocket, &spec).len(), 1);
    }

    #[test]
    fn ordinary_mounts_pass() {
        for src in [
            "/run/udev",
            "/srv/data",
            "/run/user/1000/pulse",
            "/",
            "/var/lib/docker",
        ] {
            let spec = compose("web").bind(src, "/x", true).build();
            assert!(check(&RuntimeSocket, &spec).is_empty(), "{src}");
        }
        let spec = compose("web")
            .volume("docker.sock", "/var/run/docker.sock")
            .build();
        assert!(check(&RuntimeSocket, &spec).is_empty(), "a named volume");
        let spec = compose("web")
            .mount("./sock:/s", bind("/proj/sock", "/s", false))
            .build();
        assert!(check(&RuntimeSocket, &spec).is_empty());
    }

    #[test]
    fn a_relative_socket_still_fires() {
        let spec = compose("web")
            .mount(
                "./docker.sock:/var/run/docker.sock",
                bind("/proj/docker.sock", "/var/run/docker.sock", false),
            )
            .build();
        assert_eq!(check(&RuntimeSocket, &spec).len(), 1);
    }
}
