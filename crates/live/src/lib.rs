//! The live stage's domain: what plimsoll knows about a Docker daemon and its host, the rules
//! that judge it, and the CIS Docker Benchmark decided from those rules' results.
//!
//! Everything here is pure — no I/O, no clock, no environment, no engine client — so the DM/HS
//! rules and the benchmark are tested with in-memory facts and build without the engine
//! client's dependencies (bollard, tokio, rustls). The collector (`plimsoll-engine`) fills
//! these models from the Engine API and the host's files; the binary wires the two together.
//!
//! - [`facts`]: [`DaemonFacts`](facts::DaemonFacts) and [`HostFacts`](facts::HostFacts), each
//!   setting with where it came from, each unreadable thing kept apart from a missing one.
//! - [`rules`]: the DM (daemon) and HS (host) rules, one CIS item result per item they cover.
//! - [`bench`]: the CIS Docker Benchmark's catalogue and its per-check decisions.

pub mod bench;
pub mod facts;
pub mod rules;
