//! HS006: image sprawl (CIS 6.1). Judged from the engine's image list, so it runs with the
//! daemon facts.

use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::info_location;
use crate::facts::{DaemonFacts, Probe};
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "HS006",
    name: "image-sprawl",
    title: "Most local images are unused",
    severity: Severity::Info,
    stage: Stage::Host,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Reports when fewer than half of the local images (`docker images`) are used by \
a container, running or stopped (CIS 6.1, a manual check; same threshold as docker-bench).",
        why: "Unused images are old software nobody patches: they still get run by mistake \
(`docker run old-tag`), hide vulnerable versions from inventories that only look at running \
containers, and fill the disk the daemon needs.",
        fix: "Remove what is not needed (`docker image prune -a` after checking), and tag \
and clean images as part of the deployment process.",
        bad: "47 images, 3 in use\n",
        good: "5 images, 4 in use\n",
    },
    references: References {
        cis: &["6.1"],
        links: &["https://docs.docker.com/reference/cli/docker/image/prune/"],
        ..References::NONE
    },
};

/// HS006 (`image-sprawl`), judged on the daemon's facts (the engine's counts).
pub struct ImageSprawl;

impl Rule<DaemonFacts, CheckResult> for ImageSprawl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    let s = match &d.sprawl {
        Probe::Checked(s) => s,
        Probe::Missing => return vec![CheckResult::not_checked("6.1", &META, "no counts")],
        Probe::NotChecked(r) => return vec![CheckResult::not_checked("6.1", &META, r.clone())],
    };
    let detail = format!("{} images, {} in use", s.images_total, s.images_used);
    if s.images_used < s.images_total / 2 {
        let f = Finding::new(
            &META,
            info_location(),
            format!(
                "only {} of {} local images are used by a container",
                s.images_used, s.images_total
            ),
        )
        .evidence(detail.clone())
        .key("image-sprawl")
        .build();
        return vec![CheckResult::fail("6.1", &META, f).detail(detail)];
    }
    vec![CheckResult::pass("6.1", &META).detail(detail)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Sprawl;
    use crate::rules::testing::*;

    #[test]
    fn threshold() {
        let mut d = daemon();
        assert!(!is_fail(&results(&d)[0]));
        d.sprawl = Probe::Checked(Sprawl {
            images_total: 10,
            images_used: 4,
            containers_total: 30,
            containers_running: 4,
        });
        assert!(is_fail(&results(&d)[0]));
        d.sprawl = Probe::NotChecked("down".into());
        assert!(is_not_checked(&results(&d)[0]));
    }
}
