//! YAML with positions, for compose files.

pub mod node;

pub use node::{Node, NodeKind, Scalar, ScalarStyle};
