//! `plimsoll probe --experiments paper IMAGE`: the paper's table on this host — the probe run
//! under each of the paper's configurations, each experiment's expected outcome beside the
//! observed one (`plimsoll_probe::paper` holds the table as data).

use super::launch::{lsm_available, probe_binary, run_probe};
use crate::error::Fatal;
use plimsoll_probe::experiments::Experiment;
use plimsoll_probe::paper;
use serde_json::{json, Value};
use std::path::Path;

/// Runs the probe under the paper's configurations: the text to print (JSON or human) and
/// whether an observed outcome differs from the paper's.
pub fn paper_table(
    probe_binary_path: Option<&Path>,
    image: &str,
    extra_options: &[String],
    as_json: bool,
) -> Result<(String, bool), Fatal> {
    let probe = probe_binary(probe_binary_path)?;
    let probe_args: Vec<String> = paper::PROBE_ARGS.iter().map(|s| s.to_string()).collect();
    let mut observed: Vec<(paper::Configuration, Value)> = Vec::new();
    for config in paper::CONFIGURATIONS {
        let mut options: Vec<String> = config.options.iter().map(|s| s.to_string()).collect();
        options.extend(extra_options.iter().cloned());
        let report = run_probe(&probe, image, &options, &probe_args)?;
        observed.push((config, report));
    }
    let mut rows = Vec::new();
    for row in paper::ROWS {
        for (i, (config, report)) in observed.iter().enumerate() {
            let verdict = report["experiments"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|e| e["name"] == row.experiment)
                .and_then(|e| serde_json::from_value::<Experiment>(e.clone()).ok())
                .map(|e| e.verdict);
            let Some(verdict) = verdict else { continue };
            let expected = row.expected[i];
            let agreement = paper::compare(expected, &verdict);
            let note = (agreement == paper::Agreement::SameOutcome).then(|| {
                let lsm = if !lsm_available(report) {
                    " (this kernel has no AppArmor or SELinux)"
                } else {
                    ""
                };
                format!(
                    "the paper expects {}; here it was {}{lsm}",
                    expected.describe(),
                    verdict.short()
                )
            });
            rows.push(json!({
                "scenario": row.scenario,
                "experiment": row.experiment,
                "what": row.what,
                "configuration": config.name,
                "expected": expected.describe(),
                "observed": verdict.short(),
                "detail": verdict.detail(),
                "agreement": agreement,
                "note": note,
            }));
        }
    }
    let text = if as_json {
        serde_json::to_string_pretty(&json!({
            "image": image,
            "configurations": paper::CONFIGURATIONS,
            "rows": rows,
            "reports": observed.iter().map(|(c, r)| json!({"configuration": c.name, "report": r})).collect::<Vec<_>>(),
        }))
        .map_err(|e| Fatal::new(format!("cannot write JSON: {e}")))?
    } else {
        let mut s = format!(
                "The paper's four scenarios on this host ({image}):\n\n{:<3} {:<15} {:<9} {:<22} {:<34} {}\n",
                "#", "experiment", "config", "paper expects", "observed", "agreement"
            );
        for r in &rows {
            s.push_str(&format!(
                "{:<3} {:<15} {:<9} {:<22} {:<34} {}\n",
                r["scenario"].as_u64().unwrap_or_default(),
                r["experiment"].as_str().unwrap_or_default(),
                r["configuration"].as_str().unwrap_or_default(),
                r["expected"].as_str().unwrap_or_default(),
                r["observed"].as_str().unwrap_or_default(),
                r["agreement"].as_str().unwrap_or_default()
            ));
        }
        for r in &rows {
            if let Some(note) = r["note"].as_str() {
                s.push_str(&format!(
                    "\nnote: {} under {}: {note}",
                    r["experiment"].as_str().unwrap_or_default(),
                    r["configuration"].as_str().unwrap_or_default()
                ));
            }
        }
        s.push('\n');
        for (config, _) in &observed {
            s.push_str(&format!("\n{}: {}", config.name, config.options.join(" ")));
        }
        s.push('\n');
        s
    };
    let differs = rows.iter().any(|r| r["agreement"] == "differs");
    Ok((text, differs))
}
