//! HS006 / HS007: image and container sprawl (CIS 6.1, 6.2). Judged from the engine's lists,
//! so they run with the daemon facts.

use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::info_location;
use crate::facts::{DaemonFacts, Probe};
use crate::rules::CheckResult;

pub static IMAGES: RuleMeta = RuleMeta {
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

pub static CONTAINERS: RuleMeta = RuleMeta {
    id: "HS007",
    name: "container-sprawl",
    title: "Many stopped containers",
    severity: Severity::Info,
    stage: Stage::Host,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Reports when more than 25 containers exist that are not running (CIS 6.2, a \
manual check; same threshold as docker-bench).",
        why: "Stopped containers keep their writable layers (logs, credentials, data written \
at run time) and their configuration, and can be restarted by mistake with settings nobody \
reviews any more.",
        fix: "Remove containers that are not needed (`docker container prune` after \
checking) and run one-off containers with `--rm`.",
        bad: "120 containers, 4 running\n",
        good: "6 containers, 6 running\n",
    },
    references: References {
        cis: &["6.2"],
        links: &["https://docs.docker.com/reference/cli/docker/container/prune/"],
        ..References::NONE
    },
};

pub fn check_images(d: &DaemonFacts) -> Vec<CheckResult> {
    let s = match &d.sprawl {
        Probe::Checked(s) => s,
        Probe::Missing => return vec![CheckResult::not_checked("6.1", &IMAGES, "no counts")],
        Probe::NotChecked(r) => return vec![CheckResult::not_checked("6.1", &IMAGES, r.clone())],
    };
    let detail = format!("{} images, {} in use", s.images_total, s.images_used);
    if s.images_used < s.images_total / 2 {
        let f = Finding::new(
            &IMAGES,
            info_location(),
            format!(
                "only {} of {} local images are used by a container",
                s.images_used, s.images_total
            ),
        )
        .evidence(detail.clone())
        .key("image-sprawl")
        .build();
        return vec![CheckResult::fail("6.1", &IMAGES, f).detail(detail)];
    }
    vec![CheckResult::pass("6.1", &IMAGES).detail(detail)]
}

pub fn check_containers(d: &DaemonFacts) -> Vec<CheckResult> {
    let s = match &d.sprawl {
        Probe::Checked(s) => s,
        Probe::Missing => return vec![CheckResult::not_checked("6.2", &CONTAINERS, "no counts")],
        Probe::NotChecked(r) => {
            return vec![CheckResult::not_checked("6.2", &CONTAINERS, r.clone())]
        }
    };
    let detail = format!(
        "{} containers, {} running",
        s.containers_total, s.containers_running
    );
    let stopped = s.containers_total.saturating_sub(s.containers_running);
    if stopped > 25 {
        let f = Finding::new(
            &CONTAINERS,
            info_location(),
            format!(
                "{stopped} containers are not running (of {})",
                s.containers_total
            ),
        )
        .evidence(detail.clone())
        .key("container-sprawl")
        .build();
        return vec![CheckResult::fail("6.2", &CONTAINERS, f).detail(detail)];
    }
    vec![CheckResult::pass("6.2", &CONTAINERS).detail(detail)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Sprawl;
    use crate::rules::testing::*;

    #[test]
    fn thresholds() {
        let mut d = daemon();
        assert!(!is_fail(&check_images(&d)[0]));
        assert!(!is_fail(&check_containers(&d)[0]));
        d.sprawl = Probe::Checked(Sprawl {
            images_total: 10,
            images_used: 4,
            containers_total: 30,
            containers_running: 4,
        });
        assert!(is_fail(&check_images(&d)[0]));
        assert!(is_fail(&check_containers(&d)[0]));
        d.sprawl = Probe::NotChecked("down".into());
        assert!(is_not_checked(&check_images(&d)[0]));
    }
}
