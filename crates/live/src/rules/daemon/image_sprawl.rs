//! HS006: image sprawl (CIS 6.1). Judged from the engine's image list, so it runs with the
//! daemon facts.

use plimsoll_core::{References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::judge_sprawl;
use crate::facts::DaemonFacts;
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
    judge_sprawl("6.1", &META, d, "image-sprawl", |s| {
        let detail = format!("{} images, {} in use", s.images_total, s.images_used);
        let sprawl = (s.images_used < s.images_total / 2).then(|| {
            format!(
                "only {} of {} local images are used by a container",
                s.images_used, s.images_total
            )
        });
        (detail, sprawl)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Probe, Sprawl};
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
