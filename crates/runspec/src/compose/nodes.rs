//! Small helpers the loader uses to read and build [`Node`]s: nodes it synthesises (a
//! `build: .` string turned into `{context: .}` for a merge) take the file and span of the
//! node they stand for, so every value in the merged model still points at source text.

use super::Diagnostic;
use crate::yaml::{Node, NodeKind, Scalar, ScalarStyle};
use plimsoll_core::{Pos, Span};
use std::sync::Arc;

/// A plain scalar at the position of `at`.
pub(crate) fn scalar_like(at: &Node, text: impl Into<String>) -> Node {
    Node {
        file: at.file.clone(),
        span: at.span,
        tag: None,
        kind: NodeKind::Scalar(Scalar {
            text: text.into(),
            style: ScalarStyle::Plain,
            original: None,
        }),
    }
}

/// A null scalar at the position of `at`.
pub(crate) fn null_like(at: &Node) -> Node {
    scalar_like(at, "")
}

/// A mapping at the position of `at`.
pub(crate) fn map_like(at: &Node, entries: Vec<(Node, Node)>) -> Node {
    Node {
        file: at.file.clone(),
        span: at.span,
        tag: None,
        kind: NodeKind::Map(entries),
    }
}

/// A sequence at the position of `at`.
pub(crate) fn seq_like(at: &Node, items: Vec<Node>) -> Node {
    Node {
        file: at.file.clone(),
        span: at.span,
        tag: None,
        kind: NodeKind::Seq(items),
    }
}

/// An empty mapping for a file (a project with no document yet).
pub(crate) fn empty_map(file: &Arc<str>) -> Node {
    Node {
        file: file.clone(),
        span: Span::new(Pos::new(1, 1), Pos::new(1, 1)),
        tag: None,
        kind: NodeKind::Map(Vec::new()),
    }
}

/// The text of a scalar, null included (as the empty string for an empty plain scalar).
pub(crate) fn text(node: &Node) -> Option<&str> {
    node.as_scalar().map(|s| s.text.as_str())
}

/// Replaces a scalar's text, keeping what was written in `original` (unless interpolation
/// already kept it there).
pub(crate) fn set_text(node: &mut Node, new: String) {
    if let NodeKind::Scalar(s) = &mut node.kind {
        if s.text != new {
            if s.original.is_none() {
                s.original = Some(std::mem::take(&mut s.text));
            }
            s.text = new;
        }
    }
}

/// The index of `key` in a mapping's entries (the last one, like [`Node::get`]).
pub(crate) fn index_of(entries: &[(Node, Node)], key: &str) -> Option<usize> {
    entries.iter().rposition(|(k, _)| text(k) == Some(key))
}

/// Removes `key` from a mapping node, returning its value.
pub(crate) fn remove_key(node: &mut Node, key: &str) -> Option<Node> {
    match &mut node.kind {
        NodeKind::Map(entries) => {
            let i = index_of(entries, key)?;
            Some(entries.remove(i).1)
        }
        _ => None,
    }
}

/// Whether a node carries the compose merge tag `!reset`.
pub(crate) fn is_reset(node: &Node) -> bool {
    node.tag.as_deref() == Some("!reset")
}

/// Whether a node carries the compose merge tag `!override`.
pub(crate) fn is_override(node: &Node) -> bool {
    node.tag.as_deref() == Some("!override")
}

/// An error at a node.
pub(crate) fn error_at(node: &Node, message: impl Into<String>, hint: Option<&str>) -> Diagnostic {
    Diagnostic {
        path: node.file.to_string(),
        span: Some(node.span),
        message: message.into(),
        hint: hint.map(str::to_string),
    }
}

/// A warning (same shape as an error; the caller decides which it is).
pub(crate) fn warning_at(
    node: &Node,
    message: impl Into<String>,
    hint: Option<&str>,
) -> Diagnostic {
    error_at(node, message, hint)
}
