//! plimsoll's read-only collector over the Docker Engine API (bollard), and the mapping of
//! `docker inspect` into the [`plimsoll_runspec::RunSpec`] the RS rules judge.
//!
//! This crate does the I/O of the live stage and fills models it does not own: the daemon and
//! host facts, the DM/HS rules and the CIS benchmark's decisions are pure and live in
//! `plimsoll-live` (a collector depends on the model it fills, never the other way), so their
//! tests build without bollard, tokio or rustls.
//!
//! # API
//!
//! ```no_run
//! use plimsoll_engine::{ContainerQuery, Engine, EngineConfig};
//!
//! // The binary passes its environment in; this crate never reads env vars itself.
//! let cfg = EngineConfig::from_env(|k| std::env::var(k).ok());
//! let engine = match Engine::connect(&cfg) {
//!     Ok(e) => e,
//!     Err(e) => {
//!         eprintln!("error: {e}");
//!         if let Some(hint) = e.hint() {
//!             eprintln!("hint: {hint}");
//!         }
//!         std::process::exit(2);
//!     }
//! };
//! let scan = engine.containers(&ContainerQuery { all: true, ..Default::default() })?;
//! for c in &scan.containers {
//!     println!("{} {:?}", c.spec.name, c.spec.privileged);
//! }
//! for p in scan.gone.iter().chain(&scan.failed).chain(&scan.incomplete) {
//!     eprintln!("{}: {}", p.target, p.error);
//! }
//! if scan.is_partial() {
//!     eprintln!("partial results");
//! }
//! # Ok::<(), plimsoll_engine::EngineError>(())
//! ```
//!
//! - [`EngineConfig`]: where the engine is (`DOCKER_HOST` with `unix://`, `tcp://` — TLS when
//!   `DOCKER_TLS_VERIFY`/`DOCKER_TLS` say so, files from `DOCKER_CERT_PATH` —, `http://`,
//!   `https://`; the default socket `/var/run/docker.sock` otherwise), the per-call timeout
//!   (10 s), the overall deadline of one operation (60 s), the concurrency bound (16) and the
//!   size cap of one answer (32 MiB: an endless answer stops there with
//!   [`EngineError::ResponseTooLarge`] instead of exhausting memory).
//! - [`Engine::connect`] negotiates the API version (unversioned `GET /version`, then
//!   `min(daemon, bollard)`), and fails with a typed [`EngineError`] that has a
//!   [`hint`](EngineError::hint): daemon down, permission denied, bad `DOCKER_HOST`, TLS
//!   files missing, API too old, no answer within the timeout, something that answers but
//!   is not a Docker Engine.
//! - Collectors, all `GET`: [`Engine::ping`], [`Engine::info`], [`Engine::version`],
//!   [`Engine::networks`], [`Engine::images`] (list + inspect), [`Engine::inspect_container`],
//!   [`Engine::inspect_image`], and [`Engine::containers`]: list (running, or all), inspect
//!   each concurrently, inspect each distinct image, `top` each running container, map each
//!   into a RunSpec. Containers removed mid-scan are reported in [`Collected::gone`], other
//!   per-container failures in [`Collected::failed`] ([`Collected::is_partial`]).
//! - [`map::to_runspec`]: the pure inspect → RunSpec mapping, for tests and for callers that
//!   already hold inspect JSON.
//! - [`host`]: the daemon and host collector (`info`, daemon.json, dockerd's command line, the
//!   host's files) filling `plimsoll_live::facts`.
//! - [`bench_input`]: what the CIS benchmark reads of the engine (the container list, `info`,
//!   networks, image healthchecks), in `plimsoll_live::bench`'s plain types.
//!
//! The facade is synchronous: it runs a private current-thread tokio runtime, so it must not
//! be called from inside another async runtime (it returns [`EngineError::Runtime`] then).
//! Nothing here writes to the engine.

pub mod bench_input;
mod client;
mod collect;
mod config;
mod error;
pub mod host;
pub mod map;
mod transport;

pub use bollard::models;
pub use client::{Engine, MIN_API_VERSION};
pub use collect::{
    Collected, CollectedImages, ContainerQuery, ContainerRecord, ImageRecord, Problem,
};
pub use config::{Endpoint, EngineConfig, TlsFiles, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_SOCKET};
pub use error::EngineError;
pub use map::EngineFacts;
