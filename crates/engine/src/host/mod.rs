//! The daemon and host collectors (all the I/O of `plimsoll host` / `plimsoll bench`
//! sections 1, 2, 3 and 6): `GET /info`, `/version`, the image and container lists (counts
//! only), daemon.json, the running dockerd's `/proc/<pid>/cmdline`, `/proc/*/mountinfo`,
//! /etc/group, /etc/passwd, the audit rules and the section-3 files.
//!
//! Everything is read under [`HostOptions::root`]: `/` on the host, `/host` inside a container
//! started with the host's filesystem mounted there (`-v /:/host:ro --pid host`), or a
//! fixture tree in tests. Nothing is executed, except `auditctl -l` (read-only) when it is
//! installed and [`AuditCtl::Auto`] asks for it on the host itself.
//!
//! ```no_run
//! use plimsoll_engine::{host, Engine, EngineConfig};
//! use plimsoll_live::rules;
//! let engine = Engine::connect(&EngineConfig::from_env(|k| std::env::var(k).ok())).ok();
//! let (daemon, hostf) = host::collect(engine.as_ref(), &host::HostOptions::default());
//! for f in rules::audit_daemon(&daemon).iter().chain(&rules::audit_host(&hostf)) {
//!     println!("{} {}", f.rule_id, f.message);
//! }
//! for (rule, cis, why) in rules::not_checked(&daemon, &hostf) {
//!     println!("{cis} ({rule}) not checked: {why}");
//! }
//! ```

use std::collections::BTreeSet;
use std::path::PathBuf;

use bollard::models::{SystemInfo, SystemVersion};
use bollard::query_parameters::{ListContainersOptions, ListImagesOptions};

use crate::client::{Budget, Engine};
use crate::error::EngineError;
use plimsoll_live::facts::{DaemonFacts, HostFacts, Probe, Sprawl};

mod audit;
mod daemon;
mod daemon_json;
mod files;
mod flags;
mod proc;
mod root;

pub use audit::AuditCtl;
pub use daemon::{daemon_facts, DaemonInputs};
pub use files::collect_host;

/// Where and how to read the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostOptions {
    /// The host's root directory as seen from here.
    pub root: PathBuf,
    /// Users allowed in the docker group (docker-bench `-u`); others are findings.
    pub trusted_users: Option<Vec<String>>,
    /// How to read the loaded audit rules.
    pub auditctl: AuditCtl,
}

impl Default for HostOptions {
    fn default() -> Self {
        HostOptions {
            root: PathBuf::from("/"),
            trusted_users: None,
            auditctl: AuditCtl::Auto,
        }
    }
}

/// Checks that `root` can be a host's root directory before anything is read under it: it
/// exists, is a directory, and has `etc/`. Every host fact is read under the root, and a
/// missing file is "not there", so a mistyped `--host-root` would otherwise audit nothing and
/// pass. The error says which of the three is wrong.
pub fn check_root(root: &std::path::Path) -> Result<(), String> {
    let shown = root.display();
    match std::fs::metadata(root) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!("the host root {shown} does not exist"))
        }
        Err(e) => return Err(format!("the host root {shown} cannot be read: {e}")),
        Ok(m) if !m.is_dir() => return Err(format!("the host root {shown} is not a directory")),
        Ok(_) => {}
    }
    match std::fs::metadata(root.join("etc")) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(format!(
            "{shown} is not a host's root directory: its etc is not a directory"
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(format!(
            "{shown} is not a host's root directory: it has no etc/"
        )),
        Err(e) => Err(format!("{shown}/etc cannot be read: {e}")),
    }
}

/// Collects both: the daemon facts (from the engine when there is one, and the host's
/// daemon.json and dockerd command line), then the host facts.
pub fn collect(engine: Option<&Engine>, opts: &HostOptions) -> (DaemonFacts, HostFacts) {
    let d = collect_daemon(engine, opts);
    let h = collect_host(&d, opts);
    (d, h)
}

/// The daemon facts. Without an engine (or when it fails) the `/info` values are "not
/// checked" and only the files and command line are used.
pub fn collect_daemon(engine: Option<&Engine>, opts: &HostOptions) -> DaemonFacts {
    let (info, version, sprawl) = match engine {
        Some(e) => {
            let info = e.info().map_err(|e| e.to_string());
            let version = e.version().ok();
            let sprawl = match e.sprawl() {
                Ok(s) => Probe::Checked(s),
                Err(err) => Probe::NotChecked(err.to_string()),
            };
            (info, version, sprawl)
        }
        None => (
            Err("no engine connection".to_string()),
            None,
            Probe::NotChecked("no engine connection".to_string()),
        ),
    };
    collect_daemon_from(info.as_ref(), version.as_ref(), sprawl, opts)
}

/// The daemon facts from engine answers the caller already has (or fixtures): reads
/// daemon.json and dockerd's command line under [`HostOptions::root`].
pub fn collect_daemon_from(
    info: Result<&SystemInfo, &String>,
    version: Option<&SystemVersion>,
    sprawl: Probe<Sprawl>,
    opts: &HostOptions,
) -> DaemonFacts {
    let host = root::HostRoot::new(&opts.root);
    let cmdline = match proc::find_dockerd(&host) {
        Probe::Checked(p) => Probe::Checked((p.pid, p.exe, p.args)),
        Probe::Missing => Probe::Missing,
        Probe::NotChecked(r) => Probe::NotChecked(r),
    };
    let args = cmdline.checked().map(|(_, _, a)| a.as_slice());
    let path = files::config_path(args);
    let config = match host.read_text(&path) {
        Probe::Checked(t) => Probe::Checked((path, t)),
        Probe::Missing => Probe::Missing,
        Probe::NotChecked(r) => Probe::NotChecked(format!("{path}: {r}")),
    };
    let mut d = daemon_facts(&DaemonInputs {
        info: info.map_err(|e| e.clone()),
        version,
        config,
        cmdline,
        sprawl,
    });
    // `-H fd://`: systemd hands dockerd the sockets of docker.socket.
    if d.hosts.iter().any(|h| h.value.starts_with("fd://")) {
        for l in files::socket_unit_listeners(&host) {
            if !d.hosts.iter().any(|h| h.value == l.value) {
                d.hosts.push(l);
            }
        }
    }
    d
}

impl Engine {
    /// CIS 6.1/6.2 counts: `GET /images/json` and `GET /containers/json?all=1`, no inspects.
    pub fn sprawl(&self) -> Result<Sprawl, EngineError> {
        let budget = Budget::new(&self.cfg);
        self.rt.block_on(async {
            let images = budget
                .call(
                    &self.endpoint_text,
                    "GET /images/json",
                    self.docker.list_images(Some(ListImagesOptions::default())),
                )
                .await?;
            let containers = budget
                .call(
                    &self.endpoint_text,
                    "GET /containers/json",
                    self.docker.list_containers(Some(ListContainersOptions {
                        all: true,
                        ..Default::default()
                    })),
                )
                .await?;
            let ids: BTreeSet<&str> = images.iter().map(|i| i.id.as_str()).collect();
            let used: BTreeSet<&str> = containers
                .iter()
                .filter_map(|c| c.image_id.as_deref())
                .filter(|id| ids.contains(id))
                .collect();
            let running = containers
                .iter()
                .filter(|c| c.state.as_ref().is_some_and(|s| s.to_string() == "running"))
                .count();
            Ok(Sprawl {
                images_total: ids.len() as u64,
                images_used: used.len() as u64,
                containers_total: containers.len() as u64,
                containers_running: running as u64,
            })
        })
    }
}
