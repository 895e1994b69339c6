//! `docker inspect` → [`RunSpec`]: the third source of the one model the RS rules judge.
//!
//! Inspect reports every field, set or not, with the engine's own zero values. The model
//! wants "not set" as `None`, so each mapper knows which zero means "unset" (Memory `0`,
//! PidsLimit `0`/`-1`/null, NanoCpus/CpuShares/CpuQuota `0`, an empty string) and which value
//! is a real setting. Every fact keeps its origin: `container:<name>` as the location, the
//! inspect field as [`Via::Inspect`] and `Field=value` as the evidence a finding quotes.
//!
//! What the daemon merged from the image at create time (`Config.User`, `Config.Env`,
//! `Config.Healthcheck`) is told apart from what the container set, using the image's own
//! config when it is known.

mod mounts;
mod ports;
mod resources;
mod security;
mod state;

use bollard::models::{ContainerInspectResponse, ContainerTopResponse, ImageInspect};
use plimsoll_core::Location;
use plimsoll_runspec::fields::Field;
use plimsoll_runspec::{Origin, RunSpec, Sourced, SpecKind, Via};
use std::fmt::Display;

pub use security::parse_inspect_security_opt;
pub use state::image_facts;

/// What the engine as a whole says, needed to judge each container.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EngineFacts {
    /// `GET /info` `SecurityOptions` (`name=seccomp,profile=builtin`, `name=apparmor`, …).
    pub security_options: Vec<String>,
    /// The daemon applies `no-new-privileges` to every container (daemon.json or
    /// `--no-new-privileges`; learned by the host collector, not from the API).
    pub daemon_no_new_privileges: bool,
    /// `GET /info` `CgroupVersion` (`1` or `2`): decides the engine's default cgroup
    /// namespace (host on v1, private on v2).
    pub cgroup_version: Option<String>,
}

/// Builds origins for one container: every fact is located at `container:<name>`.
pub(crate) struct Src {
    path: String,
}

impl Src {
    pub(crate) fn new(name: &str) -> Src {
        Src {
            path: format!("container:{name}"),
        }
    }

    pub(crate) fn origin(&self, field: &str, written: impl Into<String>) -> Origin {
        Origin::new(
            Location::file(self.path.clone()),
            written,
            Via::Inspect(field.to_string()),
        )
    }

    /// `value` of one RunSpec field, read from that field's inspect path (the field table's
    /// inspect column) and quoted as `Path=shown` (`HostConfig.Memory=536870912`).
    pub(crate) fn field<T>(&self, value: T, field: Field, shown: impl Display) -> Sourced<T> {
        let path = field.inspect();
        Sourced::new(value, self.origin(path, format!("{path}={shown}")))
    }

    pub(crate) fn sourced<T>(
        &self,
        value: T,
        field: &str,
        written: impl Into<String>,
    ) -> Sourced<T> {
        Sourced::new(value, self.origin(field, written))
    }
}

/// The container's name without the leading `/` the API puts there.
pub fn container_name(c: &ContainerInspectResponse) -> String {
    let raw = c.name.as_deref().unwrap_or_default();
    let name = raw.strip_prefix('/').unwrap_or(raw);
    if name.is_empty() {
        short_id(c.id.as_deref().unwrap_or_default()).to_string()
    } else {
        name.to_string()
    }
}

/// The first 12 characters of an id, as `docker ps` shows it.
pub fn short_id(id: &str) -> &str {
    let id = id.strip_prefix("sha256:").unwrap_or(id);
    id.get(..12).unwrap_or(id)
}

/// Maps one inspected container (with its image's inspect and its `top` answer when known)
/// into a RunSpec.
pub fn to_runspec(
    c: &ContainerInspectResponse,
    image: Option<&ImageInspect>,
    top: Option<&ContainerTopResponse>,
    facts: &EngineFacts,
) -> RunSpec {
    let name = container_name(c);
    let id = c.id.clone().unwrap_or_default();
    let src = Src::new(&name);
    let hc = c.host_config.clone().unwrap_or_default();
    let config = c.config.clone().unwrap_or_default();

    let image_ref = config
        .image
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| c.image.clone().filter(|s| !s.is_empty()));
    let mut spec = RunSpec {
        name: name.clone(),
        kind: SpecKind::Container { id: id.clone() },
        anchor: src.origin(
            "Name",
            match &image_ref {
                Some(r) => format!("container {name} ({}, image {r})", short_id(&id)),
                None => format!("container {name} ({})", short_id(&id)),
            },
        ),
        image: image_ref
            .as_ref()
            .map(|r| src.field(r.clone(), Field::Image, r)),
        image_facts: image.map(|i| image_facts(i, image_ref.as_deref().unwrap_or_default())),
        ..RunSpec::default()
    };

    security::map(&mut spec, &src, &hc, &config, image, facts);
    resources::map(&mut spec, &src, &hc, &config, image);
    mounts::map(
        &mut spec,
        &src,
        c.mounts.as_deref().unwrap_or_default(),
        &hc,
    );
    ports::map(&mut spec, &src, &hc);
    spec.state = Some(state::runtime_state(c, image, top, facts, &src));
    spec
}
