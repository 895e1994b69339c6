//! Merge keys (`<<: *defaults`), applied the way Go's yaml.v3 decodes them (compose-go reads
//! compose files with it): the value is a mapping or a list of mappings; keys written in the
//! mapping itself win over merged ones, and among several merged mappings the earlier one wins.

use super::super::node::{Node, NodeKind, ScalarStyle};
use plimsoll_core::Span;
use std::collections::HashSet;

/// yaml.v3's `failWantMap` text, so users searching the message find the same answers.
pub(super) const WANT_MAP: &str = "map merge requires map or sequence of maps as the value";

/// Whether a key is the merge key: a plain `<<` (resolved to `!!merge` by the core schema,
/// also with the non-specific `!` tag) or any `<<` explicitly tagged `!!merge`.
pub(super) fn is_merge_key(key: &Node) -> bool {
    let Some(s) = key.as_scalar() else {
        return false;
    };
    if s.text != "<<" {
        return false;
    }
    match key.tag.as_deref() {
        None | Some("!") => s.style == ScalarStyle::Plain,
        Some(tag) => tag == "!!merge",
    }
}

/// Splices the entries of `value` (the node written after `<<`) into `entries` at `at`,
/// skipping keys already present. On a value that is not a mapping or a list of mappings,
/// returns the offending node for the error.
///
/// Each merged key and value is placed at `used`, where the `<<` entry is written in this
/// mapping: a merged key belongs to the mapping that merges it, so a finding about one
/// service's merged `restart:` points at that service, not at the anchor every service shares.
/// (What is inside a merged collection keeps the spans of the anchored original.)
pub(super) fn apply(
    entries: &mut Vec<(Node, Node)>,
    at: usize,
    value: Node,
    used: Span,
) -> Result<(), Node> {
    let sources = match value.kind {
        NodeKind::Map(_) => vec![value],
        NodeKind::Seq(items) => {
            if let Some(bad) = items.iter().find(|i| !matches!(i.kind, NodeKind::Map(_))) {
                return Err(bad.clone());
            }
            items
        }
        NodeKind::Scalar(_) => return Err(value),
    };
    let mut taken: HashSet<String> = entries
        .iter()
        .filter_map(|(k, _)| k.as_scalar().map(|s| s.text.clone()))
        .collect();
    let mut merged = Vec::new();
    for source in sources {
        let NodeKind::Map(pairs) = source.kind else {
            continue;
        };
        for (k, v) in pairs {
            if let Some(s) = k.as_scalar() {
                if !taken.insert(s.text.clone()) {
                    continue;
                }
            }
            let (mut k, mut v) = (k, v);
            k.span = used;
            v.span = used;
            merged.push((k, v));
        }
    }
    let at = at.min(entries.len());
    entries.splice(at..at, merged);
    Ok(())
}
