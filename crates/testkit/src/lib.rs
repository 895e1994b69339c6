//! Test support shared by every plimsoll crate's tests: the verdict of a rule fixture
//! ([`fixtures`]) and the walk over a rule family's fixture folders ([`rule_fixtures`]), where
//! the shared conformance corpora are ([`corpora`]), and the helpers of
//! tests that need a Docker Engine, real or stubbed ([`docker`]).
//!
//! This crate is a dev-dependency only. It reads the environment and panics (a missing corpus
//! under `PLIMSOLL_REQUIRE_CORPORA=1` is a test failure), which the shipped libraries must not
//! do; `cargo tree -e normal -p plimsoll` does not list it.

pub mod corpora;
pub mod docker;
pub mod fixtures;
pub mod rule_fixtures;
