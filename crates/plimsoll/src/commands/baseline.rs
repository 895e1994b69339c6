//! `plimsoll baseline`: audit like `scan`/`dockerfile`, then record every finding that is still
//! active (inline pragmas and config already applied, no existing baseline) so that later runs
//! with that baseline report only new findings.

use crate::audit::audit_recording;
use crate::cli::BaselineArgs;
use crate::error::Fatal;
use crate::output::{output_file, write_report};
use crate::prepare::{config_baseline_path, discovery_start, load_config};
use crate::registry::registry;
use crate::sources::{discover, plural_names, AuditContext};
use std::path::PathBuf;

/// The file written when neither `--output` nor the config names one.
pub const DEFAULT_BASELINE: &str = ".plimsoll-baseline.json";

pub fn baseline(args: &BaselineArgs) -> Result<u8, Fatal> {
    let targets = if args.targets.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.targets.clone()
    };
    crate::prepare::check_stdin_once(&targets, &args.config, None)?;
    let registry = registry();
    let loaded = load_config(&args.config, &discovery_start(&targets), registry)?;
    let found = discover::collect(&targets, &loaded.config, &loaded.ignore);
    for error in &found.errors {
        eprintln!("plimsoll: error: {error}");
    }
    if found.inputs.is_empty() {
        return Err(Fatal::new(format!("no {} to baseline", plural_names())));
    }
    let settings = crate::sources::RunSettings::from_env();
    let dockerfiles = AuditContext::dockerfile_inputs(&found.inputs);
    let cx = AuditContext {
        registry,
        config: &loaded.config,
        run: &settings,
        dockerfiles: &dockerfiles,
        // Deliberately no existing baseline: the new one records everything active now.
        baseline: None,
        record_baseline: true,
    };
    let (report, recorded) = audit_recording(&found.inputs, &cx);
    for error in &report.errors {
        eprintln!("plimsoll: error: {error}");
    }
    if report.targets.is_empty() {
        return Err(Fatal::new("nothing could be audited; no baseline written"));
    }
    // Recorded from every finding as it was produced, folded ones included, with counts.
    let baseline = recorded.into_baseline();
    let path = args
        .output
        .clone()
        .or_else(|| config_baseline_path(&loaded.config))
        .unwrap_or_else(|| PathBuf::from(DEFAULT_BASELINE));
    let mut text = serde_json::to_string_pretty(&baseline)
        .map_err(|e| Fatal::new(format!("cannot serialise the baseline: {e}")))?;
    text.push('\n');
    // Through a temporary file and a rename, as reports are: an interrupted run never leaves
    // a truncated baseline. `-o -` prints it.
    write_report(Some(&path), &text)?;
    if !args.quiet {
        let copies: u64 = baseline
            .findings
            .iter()
            .map(|e| u64::from(e.count.unwrap_or(1)))
            .sum();
        eprintln!(
            "plimsoll: baseline of {copies} findings ({} distinct) in {} files written to {}",
            baseline.findings.len(),
            report.targets.len(),
            if output_file(Some(&path)).is_some() {
                path.display().to_string()
            } else {
                "standard output".to_string()
            }
        );
        if loaded.config.baseline.is_none() && args.output.is_none() {
            eprintln!(
                "plimsoll: apply it with `--baseline {}` or `baseline = \"{}\"` in .plimsoll.toml",
                path.display(),
                path.display()
            );
        }
    }
    // A baseline with some inputs unreadable is still written, but the run says so.
    Ok(if report.errors.is_empty() { 0 } else { 2 })
}
