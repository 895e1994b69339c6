//! The probe's findings through the pipeline tail every other audit uses: `core::Tail`
//! (the configuration's disabled rules and severity overrides, `--ignore`; a probe has no
//! files, so no pragmas), then the baseline and the exit status by `--fail-on`
//! ([`Prepared::judge`]), then the `--severity` display filter. What is left is what the
//! probe's own layouts (its summary, its JSON) show.

use crate::common_args::CommonArgs;
use crate::prepare::Prepared;
use plimsoll_core::{Finding, Location, Registry, Report, Tail, Target};
use serde_json::Value;

/// The findings to show and the exit status they call for.
pub struct Settled {
    pub findings: Vec<Finding>,
    pub status: u8,
}

/// Settles the raw PB findings about `target` as every audit command settles its own.
pub fn settle(
    prepared: &Prepared,
    registry: &Registry,
    common: &CommonArgs,
    target: &str,
    raw: Vec<Finding>,
) -> Settled {
    let mut report = Report {
        targets: vec![Target {
            path: target.to_string(),
            kind: "container",
            source: None,
        }],
        findings: Tail::new(registry, &prepared.loaded.config).settle_all(raw),
        ..Report::default()
    };
    let status = prepared.judge(&mut report);
    let hidden = crate::display_filter::apply(&mut report, common, prepared.threshold);
    if let Some(note) = crate::display_filter::note(hidden, common, prepared.threshold) {
        eprintln!("plimsoll: note: {note}");
    }
    for w in &prepared.warnings {
        eprintln!("plimsoll: warning: {w}");
    }
    if !common.show_suppressed {
        report.findings.retain(|f| f.suppressed.is_none());
    }
    Settled {
        findings: report.findings,
        status,
    }
}

/// The findings of a probe's JSON report (a launched container's), as findings again: each
/// names a PB rule of this build; one that names none (a probe of another version) is left
/// out, as are entries that are not findings.
pub fn findings_of(report: &Value) -> Vec<Finding> {
    let metas = plimsoll_probe::rules::metas();
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| {
            let meta = metas.iter().find(|m| f["rule_id"] == m.id)?;
            let location: Location = serde_json::from_value(f["location"].clone()).ok()?;
            let text = |key: &str| f[key].as_str().map(str::to_string);
            Some(Finding {
                rule_id: meta.id,
                severity: text("severity")?.parse().ok()?,
                title: meta.title,
                message: text("message")?,
                location,
                evidence: text("evidence"),
                fix: text("fix").unwrap_or_default(),
                fingerprint: text("fingerprint")?,
                suppressed: None,
                folded: 0,
                span_is_secret: false,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_reads_back_from_the_probe_json_unchanged() {
        let tree = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../probe/tests/fixtures/trees/host-mounts");
        let report = plimsoll_probe::probe(
            &plimsoll_probe::root::Root::new(tree),
            plimsoll_probe::experiments::Selection::default(),
            None,
        );
        assert!(!report.findings.is_empty());
        let json = serde_json::to_value(&report).unwrap_or_default();
        assert_eq!(findings_of(&json), report.findings);
    }
}
