//! What the experiment rules (PB018–PB023) share: an experiment that was allowed is a finding,
//! worded as the rule says and keyed by the experiment's name. An experiment that was blocked,
//! errored or was not run says nothing.

use crate::evidence::Evidence;
use plimsoll_core::{Finding, RuleMeta};

/// Reports `experiment` when the probe ran it and it was allowed: the message is `what`
/// followed by the verdict's detail.
pub(super) fn report_allowed(
    meta: &'static RuleMeta,
    ev: &Evidence,
    experiment: &str,
    what: &str,
    out: &mut Vec<Finding>,
) {
    let Some(verdict) = ev.experiment(experiment) else {
        return;
    };
    if !verdict.is_allowed() {
        return;
    }
    out.push(
        Finding::new(meta, ev.location(), format!("{what}: {}", verdict.detail()))
            .evidence(format!("experiment {experiment}: {}", verdict.short()))
            .key(experiment)
            .build(),
    );
}
