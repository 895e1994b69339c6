//! YAML with positions, for compose files.
//!
//! Why a tree of our own on `saphyr-parser`'s events rather than `serde-saphyr` (the crate
//! research/crates.md suggests first): compose interpolates `${VAR}` in the *text* of scalars
//! before they are typed, merges files with the `!reset`/`!override` tags, and needs a position
//! on every value after merging — serde keeps neither raw scalar text nor tags, and loses spans
//! inside untagged enums. The event parser is the maintained saphyr one (YAML 1.2); what we add
//! is the tree, yaml.v3's merge-key semantics and an alias budget of our own (nodes, depth,
//! materialised text), which is what stops alias bombs.

pub mod node;
pub mod parse;

pub use node::{Node, NodeKind, Scalar, ScalarStyle};
pub use parse::{parse, Limits, YamlError};
