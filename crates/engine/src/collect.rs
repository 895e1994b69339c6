//! The read-only collectors: one `GET` per fact, concurrent with a bound, each inside the
//! operation's [`Budget`]. Nothing here creates, changes or execs anything.
//!
//! A container scan is: `GET /info` (the engine's security options) → `GET /containers/json`
//! (or the names asked for) → `GET /containers/{id}/json` for each, `concurrency` at a time →
//! `GET /images/{id}/json` once per distinct image and `GET /containers/{id}/top` per running
//! container, also concurrent → the mapping into RunSpecs. A container that disappears
//! between the list and its inspect (HTTP 404) is reported as gone, not as a failure of the
//! scan; any other per-container failure marks the result partial.

use std::collections::{BTreeMap, BTreeSet};

use bollard::models::{
    ContainerInspectResponse, ContainerStateStatusEnum, ContainerTopResponse, ImageInspect,
    ImageSummary, Network, SystemInfo, SystemVersion,
};
use bollard::query_parameters::{
    InspectContainerOptions, ListContainersOptions, ListImagesOptions, ListNetworksOptions,
    TopOptions,
};
use futures_util::stream::{self, StreamExt};
use plimsoll_runspec::RunSpec;

use crate::client::{Budget, Engine};
use crate::error::EngineError;
use crate::map::{self, EngineFacts};

/// Which containers to collect.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerQuery {
    /// Names or ids (full or a unique prefix) to inspect; empty = every container listed.
    pub names: Vec<String>,
    /// With no names: stopped containers too (`docker ps -a`), not only running ones.
    pub all: bool,
    /// Do not read running containers' processes (`GET /containers/{id}/top`).
    pub skip_top: bool,
    /// Whether the daemon applies `no-new-privileges` by default (from daemon.json or the
    /// dockerd command line, which the host collector reads); passed into every RunSpec.
    pub daemon_no_new_privileges: bool,
}

/// One collected container.
#[derive(Debug, Clone)]
pub struct ContainerRecord {
    /// The mapped RunSpec (with [`plimsoll_runspec::RuntimeState`]).
    pub spec: RunSpec,
    /// The raw inspect answer.
    pub inspect: ContainerInspectResponse,
    /// Its image's inspect, when the image still exists.
    pub image: Option<ImageInspect>,
    /// Its processes, for a running container when `top` answered.
    pub top: Option<ContainerTopResponse>,
}

/// The answer to a per-container request: its value, or `None` with the error kept as a
/// [`Problem`] of `target` unless `expected` says the error only means there is nothing to read.
fn answered<T: Clone>(
    answer: Option<&Result<T, EngineError>>,
    target: &str,
    expected: impl Fn(&EngineError) -> bool,
    incomplete: &mut Vec<Problem>,
) -> Option<T> {
    match answer? {
        Ok(v) => Some(v.clone()),
        Err(e) if expected(e) => None,
        Err(e) => {
            incomplete.push(Problem {
                target: target.to_string(),
                error: e.clone(),
            });
            None
        }
    }
}

/// Something the scan could not read.
#[derive(Debug)]
pub struct Problem {
    /// The container (name or id) or object concerned.
    pub target: String,
    pub error: EngineError,
}

impl Problem {
    /// The container went away between the list and its inspect (or was never there).
    pub fn is_gone(&self) -> bool {
        self.error.is_not_found()
    }
}

/// The result of a container scan.
#[derive(Debug, Default)]
pub struct Collected {
    pub containers: Vec<ContainerRecord>,
    /// Containers listed but removed before they could be inspected, and names asked for
    /// that match nothing.
    pub gone: Vec<Problem>,
    /// Containers that could not be inspected (time-outs, daemon errors): the scan is partial.
    pub failed: Vec<Problem>,
    /// Details that could not be read for a container that was inspected (its image, its
    /// processes): the RunSpec lacks those facts.
    pub incomplete: Vec<Problem>,
    /// The daemon's `info`, when it answered.
    pub info: Option<SystemInfo>,
}

impl Collected {
    /// Some container could not be audited, or some detail is missing.
    pub fn is_partial(&self) -> bool {
        !self.failed.is_empty() || !self.incomplete.is_empty() || self.info.is_none()
    }
}

/// One image: its list entry and its inspect.
#[derive(Debug, Clone)]
pub struct ImageRecord {
    pub summary: ImageSummary,
    pub inspect: ImageInspect,
}

/// The result of an image scan.
#[derive(Debug, Default)]
pub struct CollectedImages {
    pub images: Vec<ImageRecord>,
    /// Images removed between the list and their inspect.
    pub gone: Vec<Problem>,
    pub failed: Vec<Problem>,
}

impl Engine {
    /// `GET /_ping`: the daemon answers.
    pub fn ping(&self) -> Result<(), EngineError> {
        let budget = Budget::new(&self.cfg);
        self.rt
            .block_on(budget.call(&self.endpoint_text, "GET /_ping", self.docker.ping()))
            .map(|_| ())
    }

    /// `GET /info`.
    pub fn info(&self) -> Result<SystemInfo, EngineError> {
        let budget = Budget::new(&self.cfg);
        self.rt
            .block_on(budget.call(&self.endpoint_text, "GET /info", self.docker.info()))
    }

    /// `GET /version` (a fresh answer; [`Engine::server_version`] has the one from connect).
    pub fn version(&self) -> Result<SystemVersion, EngineError> {
        let budget = Budget::new(&self.cfg);
        self.rt
            .block_on(budget.call(&self.endpoint_text, "GET /version", self.docker.version()))
    }

    /// `GET /networks`.
    pub fn networks(&self) -> Result<Vec<Network>, EngineError> {
        let budget = Budget::new(&self.cfg);
        self.rt.block_on(budget.call(
            &self.endpoint_text,
            "GET /networks",
            self.docker.list_networks(None::<ListNetworksOptions>),
        ))
    }

    /// Inspects one container (name or id); `NotFound` when there is none.
    pub fn inspect_container(&self, name: &str) -> Result<ContainerInspectResponse, EngineError> {
        let budget = Budget::new(&self.cfg);
        self.rt.block_on(
            budget.call(
                &self.endpoint_text,
                &format!("GET /containers/{name}/json"),
                self.docker
                    .inspect_container(name, None::<InspectContainerOptions>),
            ),
        )
    }

    /// Inspects one image (reference or id); `NotFound` when there is none.
    pub fn inspect_image(&self, name: &str) -> Result<ImageInspect, EngineError> {
        let budget = Budget::new(&self.cfg);
        self.rt.block_on(budget.call(
            &self.endpoint_text,
            &format!("GET /images/{name}/json"),
            self.docker.inspect_image(name),
        ))
    }

    /// Lists the local images (`docker images`, without intermediate layers) and inspects
    /// each, concurrently.
    pub fn images(&self) -> Result<CollectedImages, EngineError> {
        let budget = Budget::new(&self.cfg);
        self.rt.block_on(async {
            let list = budget
                .call(
                    &self.endpoint_text,
                    "GET /images/json",
                    self.docker.list_images(Some(ListImagesOptions {
                        digests: true,
                        ..Default::default()
                    })),
                )
                .await?;
            let inspected: Vec<(ImageSummary, Result<ImageInspect, EngineError>)> =
                stream::iter(list)
                    .map(|s| {
                        let budget = &budget;
                        async move {
                            let r = budget
                                .call(
                                    &self.endpoint_text,
                                    &format!("GET /images/{}/json", s.id),
                                    self.docker.inspect_image(&s.id),
                                )
                                .await;
                            (s, r)
                        }
                    })
                    .buffered(self.cfg.concurrency.max(1))
                    .collect()
                    .await;
            let mut out = CollectedImages::default();
            for (summary, r) in inspected {
                match r {
                    Ok(inspect) => out.images.push(ImageRecord { summary, inspect }),
                    Err(error) => {
                        let p = Problem {
                            target: summary.id.clone(),
                            error,
                        };
                        if p.is_gone() {
                            out.gone.push(p)
                        } else {
                            out.failed.push(p)
                        }
                    }
                }
            }
            Ok(out)
        })
    }

    /// Collects containers and maps each into a RunSpec. Fails as a whole only when the list
    /// itself cannot be read; per-container problems are in the result.
    pub fn containers(&self, query: &ContainerQuery) -> Result<Collected, EngineError> {
        let budget = Budget::new(&self.cfg);
        self.rt.block_on(self.collect_containers(&budget, query))
    }

    async fn collect_containers(
        &self,
        budget: &Budget,
        query: &ContainerQuery,
    ) -> Result<Collected, EngineError> {
        let ep = self.endpoint_text.as_str();
        let mut out = Collected::default();
        // `info` first: a daemon that does not answer it will not answer the rest either, and
        // its security options are needed to judge every container.
        out.info = match budget.call(ep, "GET /info", self.docker.info()).await {
            Ok(i) => Some(i),
            Err(e) if e.is_unreachable() => return Err(e),
            Err(error) => {
                out.incomplete.push(Problem {
                    target: "engine".to_string(),
                    error,
                });
                None
            }
        };
        let facts = EngineFacts {
            security_options: out
                .info
                .as_ref()
                .and_then(|i| i.security_options.clone())
                .unwrap_or_default(),
            daemon_no_new_privileges: query.daemon_no_new_privileges,
            cgroup_version: out
                .info
                .as_ref()
                .and_then(|i| i.cgroup_version.as_ref())
                .map(|v| v.to_string()),
        };

        let targets: Vec<String> = if query.names.is_empty() {
            let list = budget
                .call(
                    ep,
                    "GET /containers/json",
                    self.docker.list_containers(Some(ListContainersOptions {
                        all: query.all,
                        ..Default::default()
                    })),
                )
                .await?;
            list.into_iter().filter_map(|c| c.id).collect()
        } else {
            let mut seen = BTreeSet::new();
            query
                .names
                .iter()
                .filter(|n| seen.insert(n.as_str()))
                .cloned()
                .collect()
        };

        let n = self.cfg.concurrency.max(1);
        let inspected: Vec<(String, Result<ContainerInspectResponse, EngineError>)> =
            stream::iter(targets)
                .map(|t| async move {
                    let r = budget
                        .call(
                            ep,
                            &format!("GET /containers/{t}/json"),
                            self.docker
                                .inspect_container(&t, None::<InspectContainerOptions>),
                        )
                        .await;
                    (t, r)
                })
                .buffered(n)
                .collect()
                .await;
        let mut found = Vec::new();
        for (target, r) in inspected {
            match r {
                Ok(c) => found.push(c),
                Err(error) => {
                    let p = Problem { target, error };
                    if p.is_gone() {
                        out.gone.push(p)
                    } else {
                        out.failed.push(p)
                    }
                }
            }
        }
        // The same container named twice (by name and by id) is audited once.
        let mut ids = BTreeSet::new();
        found.retain(|c| ids.insert(c.id.clone().unwrap_or_default()));

        // Distinct images, once each.
        let image_ids: BTreeSet<String> = found
            .iter()
            .filter_map(|c| c.image.clone().filter(|i| !i.is_empty()))
            .collect();
        let images: BTreeMap<String, Result<ImageInspect, EngineError>> = stream::iter(image_ids)
            .map(|id| async move {
                let r = budget
                    .call(
                        ep,
                        &format!("GET /images/{id}/json"),
                        self.docker.inspect_image(&id),
                    )
                    .await;
                (id, r)
            })
            .buffer_unordered(n)
            .collect()
            .await;

        // Processes of running containers.
        let running: Vec<String> = if query.skip_top {
            Vec::new()
        } else {
            found
                .iter()
                .filter(|c| {
                    c.state.as_ref().and_then(|s| s.status)
                        == Some(ContainerStateStatusEnum::RUNNING)
                })
                .filter_map(|c| c.id.clone())
                .collect()
        };
        let tops: BTreeMap<String, Result<ContainerTopResponse, EngineError>> =
            stream::iter(running)
                .map(|id| async move {
                    let r = budget
                        .call(
                            ep,
                            &format!("GET /containers/{}/top", map::short_id(&id)),
                            self.docker.top_processes(&id, Some(TopOptions::default())),
                        )
                        .await;
                    (id, r)
                })
                .buffer_unordered(n)
                .collect()
                .await;

        for c in found {
            let name = map::container_name(&c);
            let image = answered(
                c.image.as_ref().and_then(|i| images.get(i)),
                &name,
                |_| false,
                &mut out.incomplete,
            );
            // Stopped between inspect and top: its processes are gone with it.
            let top = answered(
                c.id.as_ref().and_then(|id| tops.get(id)),
                &name,
                EngineError::is_not_found,
                &mut out.incomplete,
            );
            let spec = map::to_runspec(&c, image.as_ref(), top.as_ref(), &facts);
            out.containers.push(ContainerRecord {
                spec,
                inspect: c,
                image,
                top,
            });
        }
        Ok(out)
    }
}
