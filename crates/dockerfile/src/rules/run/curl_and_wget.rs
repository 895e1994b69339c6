//! DF048: both curl and wget used in one stage.

use crate::analysis::run::downloads::is_downloader;
use crate::rules::{Context, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Span, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "DF048",
    name: "both-curl-and-wget",
    title: "Both wget and curl used",
    severity: Severity::Info,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires once per stage whose RUNs invoke both `curl` and `wget` (also through \
`sudo`, `sh -c` and heredoc scripts), at the first use of the second tool. Different stages \
may use different tools without firing — each stage is its own image (Trivy's DS-0014 \
counts the whole file, trivy#10333). Installing a package is not a use.",
        why: "Two HTTP clients do one job: the image carries both, with two sets of CVEs to \
patch, two ways to configure proxies and CA certificates, and two sets of flags whose \
security defaults differ (redirect handling, certificate options). Standardising on one \
makes the download steps easier to review and to secure consistently.",
        fix: "Pick one client for the stage (usually the one already in the base image) and \
rewrite the other calls: `wget -qO- URL` ≈ `curl -fsSL URL`, `wget -O file URL` ≈ \
`curl -fsSLo file URL`.",
        bad: "FROM debian:12-slim\nRUN curl -fsSLo /tmp/a.tar.gz https://example.com/a.tar.gz\n\
RUN wget -q -O /tmp/b.tar.gz https://example.com/b.tar.gz\n",
        good:
            "FROM debian:12-slim\nRUN curl -fsSLo /tmp/a.tar.gz https://example.com/a.tar.gz \\\n \
&& curl -fsSLo /tmp/b.tar.gz https://example.com/b.tar.gz\n",
    },
    references: References {
        hadolint: &["DL4001"],
        trivy: &["AVD-DS-0014"],
        ..References::NONE
    },
};

pub struct CurlAndWget;

impl Rule<Context<'_>> for CurlAndWget {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let runs = cx.runs();
        for stage in &runs.stages.list {
            // First use of each tool in the stage: (line, span, run index).
            let mut first: [Option<(u32, Span, usize)>; 2] = [None, None];
            for (r, run) in runs
                .list
                .iter()
                .enumerate()
                .filter(|(_, run)| run.stage == stage.index)
            {
                let flat = &run.flat;
                for c in &flat.cmds {
                    let slot = match c.name() {
                        Some("curl") => 0,
                        Some("wget") => 1,
                        _ => continue,
                    };
                    if first[slot].is_none() && c.name().is_some_and(is_downloader) {
                        let span = run.word_span(c.origin, &c.argv[0]);
                        first[slot] = Some((span.start.line, span, r));
                    }
                }
            }
            let (Some(curl), Some(wget)) = (first[0], first[1]) else {
                continue;
            };
            let (later, earlier, later_name, earlier_name) =
                if (wget.1.start, wget.2) >= (curl.1.start, curl.2) {
                    (wget, curl, "wget", "curl")
                } else {
                    (curl, wget, "curl", "wget")
                };
            let Some(run) = runs.list.get(later.2) else {
                continue;
            };
            let message = format!(
                "{} uses both `{earlier_name}` (line {}) and `{later_name}` (line {}): two HTTP \
                 clients where one does",
                stage.label(),
                earlier.0,
                later.0
            );
            out.push(
                Finding::new(&META, run.location(later.1), message)
                    .key(format!("{} curl+wget", stage.key()))
                    .fix(format!(
                        "use `{earlier_name}` for every download in this stage"
                    ))
                    .build(),
            );
        }
    }
}
