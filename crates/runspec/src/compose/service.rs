//! One compose service → one [`RunSpec`].
//!
//! The input is a service of the merged, interpolated model (the loader has applied
//! `extends`, `include`, overrides, profiles, `${VAR}` interpolation and path resolution). The
//! mapping reads every key that decides how isolated the container is, typed the way
//! compose-go types it (see `service/read.rs`), with what `docker compose` then hands the engine (which
//! of `mem_limit` and `deploy.resources.limits.memory` wins, how `restart` and
//! `deploy.restart_policy` combine, what a healthcheck `test` string means). Every fact keeps
//! the file, line and text it came from. Keys the Compose Specification does not define are
//! warnings ([`crate::compose::schema`]); values of the wrong type are errors.

mod devices;
mod environment;
mod image;
mod namespaces;
mod operations;
mod ports;
mod privileges;
pub(crate) mod read;
pub(crate) mod render;
mod resources;
mod volumes;

#[cfg(test)]
pub(crate) mod testing;

use crate::compose::{schema, Diagnostic};
use crate::model::{Origin, RunSpec, SpecKind, Via};
use crate::yaml::Node;
use read::Mapper;
use std::collections::HashMap;
use std::path::Path;

/// What mapping a service needs from the project around it. Build it with
/// [`MapContext::new`], once per project: it indexes the model so that looking up another
/// service (`volumes_from`) or a top-level volume costs the same however large the project.
pub struct MapContext<'a> {
    /// The project name.
    pub project: &'a str,
    /// The project directory the loader resolved relative paths against; `build.base_dir` is
    /// set to it (the binary opens a built service's Dockerfile from there).
    pub project_dir: &'a Path,
    /// The whole merged model: top-level `volumes` (a named volume that is really a bind of a
    /// host directory), other services (`volumes_from`).
    pub model: &'a Node,
    /// Reads one `env_file:` entry, by its path as it stands in the model (already resolved
    /// by the loader): the `NAME=value` pairs, interpolated, or why the file could not be read.
    pub env_file: &'a ReadEnvFile<'a>,
    /// The project's variables (see [`MapContext::with_vars`]); `None`: none known.
    vars: Option<&'a Vars<'a>>,
    /// Which of them the project's `.env` (or `--env-file`) set, and where.
    project_env: Option<&'a ProjectEnv>,
    index: Index<'a>,
}

/// How the mapping reads an env file: see [`MapContext::env_file`].
pub type ReadEnvFile<'a> = dyn Fn(&str) -> Result<Vec<(String, String)>, Diagnostic> + 'a;

/// A variable lookup: the value of a name, `None` when it is not set.
pub type Vars<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// The project variables whose value comes from the project's `.env` (or `--env-file`): by
/// name, the file's display path and where the value is written in it.
pub type ProjectEnv = std::collections::BTreeMap<String, (String, super::dotenv::Located)>;

/// Lookups into the model, built once.
struct Index<'a> {
    /// Services by name (the last one wins, as [`Node::get`] does).
    services: HashMap<&'a str, &'a Node>,
    /// Top-level volumes of the local driver that bind a host path: name → host path.
    bound_volumes: HashMap<&'a str, String>,
}

impl<'a> MapContext<'a> {
    pub fn new(
        project: &'a str,
        project_dir: &'a Path,
        model: &'a Node,
        env_file: &'a ReadEnvFile<'a>,
    ) -> Self {
        let entries = |key: &str| {
            model
                .get(key)
                .and_then(Node::as_map)
                .unwrap_or_default()
                .iter()
                .filter_map(|(k, v)| Some((k.as_str()?, v)))
        };
        let services = entries("services").collect();
        let bound_volumes = entries("volumes")
            .filter_map(|(name, volume)| Some((name, volumes::bound_device(volume)?)))
            .collect();
        MapContext {
            project,
            project_dir,
            model,
            env_file,
            vars: None,
            project_env: None,
            index: Index {
                services,
                bound_volumes,
            },
        }
    }

    /// Gives the project's variables — the caller's environment, then `.env`/`--env-file`,
    /// and `COMPOSE_PROJECT_NAME`: what interpolation used. compose-go gives an `environment`
    /// entry written without a value (`- NAME`, `NAME:`) the value `NAME` has there
    /// (`WithServicesEnvironmentResolved`).
    pub fn with_vars(mut self, vars: &'a Vars<'a>) -> Self {
        self.vars = Some(vars);
        self
    }

    /// Says which project variables the project's `.env` set (see [`ProjectEnv`]), so that a
    /// secret written there and interpolated into a service's environment is reported where
    /// it is written.
    pub fn with_project_env(mut self, project_env: &'a ProjectEnv) -> Self {
        self.project_env = Some(project_env);
        self
    }

    /// Where the project's `.env` writes the value of `name`, when it set it.
    pub(crate) fn project_env(&self, name: &str) -> Option<&'a (String, super::dotenv::Located)> {
        self.project_env.and_then(|e| e.get(name))
    }

    /// The value of the project variable `name`, if it is set.
    pub(crate) fn var(&self, name: &str) -> Option<String> {
        self.vars.and_then(|lookup| lookup(name))
    }

    /// The service `name` of the project.
    pub(crate) fn service(&self, name: &str) -> Option<&'a Node> {
        self.index.services.get(name).copied()
    }

    /// The host path the top-level volume `name` binds, if it is such a volume.
    pub(crate) fn bound_volume(&self, name: &str) -> Option<&str> {
        self.index.bound_volumes.get(name).map(String::as_str)
    }
}

/// Maps the service `key: service` of `project` into a [`RunSpec`], with the warnings found
/// on the way (unknown keys, YAML 1.1 booleans, settings docker compose would refuse, env
/// files that could not be read). A value of the wrong type, or one that cannot be read (an
/// unparsable port or size), is an error naming the file, line and key path.
pub fn to_runspec(
    project: &str,
    key: &Node,
    service: &Node,
    cx: &MapContext,
) -> Result<(RunSpec, Vec<Diagnostic>), Diagnostic> {
    let Some(name) = key.as_str() else {
        return Err(Diagnostic {
            path: key.file.to_string(),
            span: Some(key.span),
            message: format!(
                "a service name must be a string, but it is {}",
                key.type_name()
            ),
            hint: Some("name services with plain words: `services: {web: …}`".to_string()),
        });
    };
    // `name:` alone (null) is a service with no settings; compose-go's `extends` code accepts
    // it, and whether it has an image is the loader's concern.
    if service.as_map().is_none() && !service.is_null() {
        return Err(Diagnostic {
            path: service.file.to_string(),
            span: Some(service.span),
            message: format!(
                "services.{name} must be a mapping, but it is {}",
                render::found(service)
            ),
            hint: Some(
                "a service is a mapping of settings, e.g. `web: {image: nginx}`".to_string(),
            ),
        });
    }
    let mut m = Mapper::new(name, cx);
    let mut spec = RunSpec {
        name: name.to_string(),
        kind: SpecKind::ComposeService {
            project: project.to_string(),
        },
        anchor: Origin::at(
            &key.file,
            key.span,
            format!("services.{name}"),
            Via::Compose(String::new()),
        ),
        ..RunSpec::default()
    };
    schema::check_keys(
        service,
        schema::SERVICE,
        &format!("services.{name}"),
        &mut m.warnings,
    );
    image::map(&mut m, service, &mut spec)?;
    privileges::map(&mut m, service, &mut spec)?;
    namespaces::map(&mut m, service, &mut spec)?;
    volumes::map(&mut m, service, &mut spec)?;
    devices::map(&mut m, service, &mut spec)?;
    resources::map(&mut m, service, &mut spec)?;
    ports::map(&mut m, service, &mut spec)?;
    operations::map(&mut m, service, &mut spec)?;
    environment::map(&mut m, service, &mut spec)?;
    Ok((spec, m.finish(key)))
}
