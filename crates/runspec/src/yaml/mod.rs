//! YAML with positions, for compose files.

pub mod node;
pub mod parse;

pub use node::{Node, NodeKind, Scalar, ScalarStyle};
pub use parse::{parse, Limits, YamlError};
