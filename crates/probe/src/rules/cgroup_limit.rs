//! What the cgroup limit rules (PB007–PB009) share: a limit the container's cgroup reads as
//! unlimited is a finding; one that is set, or could not be read, says nothing.

use crate::cgroups::Limit;
use crate::evidence::Evidence;
use plimsoll_core::{Finding, RuleMeta};

/// Reports `limit` when it reads as unlimited: `resource` names it in the message ("memory",
/// "CPU", …) and `files` the cgroup files it was read from.
pub(super) fn report_unlimited(
    meta: &'static RuleMeta,
    ev: &Evidence,
    limit: Option<Limit>,
    resource: &str,
    files: &str,
    out: &mut Vec<Finding>,
) {
    if limit != Some(Limit::Unlimited) {
        return;
    }
    out.push(
        Finding::new(
            meta,
            ev.location(),
            format!("the container's cgroup sets no {resource} limit (unlimited)"),
        )
        .evidence(format!("{files}: unlimited"))
        .build(),
    );
}
