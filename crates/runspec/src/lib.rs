//! How containers are run, whatever describes it: the [`model::RunSpec`], the parsers that
//! fill it from compose projects ([`compose`]) and `docker run` command lines ([`cli`],
//! [`scripts`]), and the RS rules that judge it ([`rules`]). `docker inspect` results are
//! mapped into the same model by the `engine` crate.
//!
//! Two tables keep the sources apart from the rules: [`fields`] says how each source names
//! each RunSpec field (compose key, `docker run` flag, inspect path), read by every mapper and
//! the test builder; [`dialect`] says how each source words a fix and where the engine's
//! defaults differ by source. Rules name fields and fixes and never ask which source a spec
//! came from, so a new source is a mapper and a dialect.
//!
//! The compose loader reads files through a [`compose::FileSource`] the caller provides, so
//! this crate does no I/O of its own and every parser is tested in memory.

pub mod cli;
pub mod compose;
pub mod dialect;
pub mod fields;
pub mod model;
pub mod rules;
pub mod scripts;
pub mod values;
pub mod yaml;

pub use model::*;
