//! What the kernel interface rules (PB012, PB013) share: each of a few fixed paths whose fact
//! reads as the dangerous value is a finding of its own, keyed by the path.

use crate::evidence::Evidence;
use plimsoll_core::{Finding, RuleMeta};

/// Reports each path whose fact is `Some(dangerous)`, with the message `"{path} {what}"`
/// and the evidence `"{path} {evidence}"`. A fact that could not be read says nothing.
pub(super) fn report_each(
    meta: &'static RuleMeta,
    ev: &Evidence,
    paths: [(&str, Option<bool>); 2],
    dangerous: bool,
    what: &str,
    evidence: &str,
    out: &mut Vec<Finding>,
) {
    for (path, fact) in paths {
        if fact == Some(dangerous) {
            out.push(
                Finding::new(meta, ev.location(), format!("{path} {what}"))
                    .evidence(format!("{path} {evidence}"))
                    .key(path)
                    .build(),
            );
        }
    }
}
