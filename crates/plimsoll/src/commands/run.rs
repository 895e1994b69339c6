//! `plimsoll run -- docker run …`: one command line, judged by the RS rules.

use crate::cli::RunArgs;
use crate::commands::check::exit_status;
use crate::error::Fatal;
use crate::registry::registry;
use crate::settings::{discovery_start, fail_on, load_config};
use plimsoll_core::suppression::Baseline;
use plimsoll_core::{Report, Target};
use std::path::PathBuf;
use std::sync::Arc;

/// How the command line is named in reports.
pub const COMMAND_LINE: &str = "<command-line>";

pub fn run(args: &RunArgs) -> Result<u8, Fatal> {
    let registry = registry();
    let loaded = load_config(
        &args.common.config,
        &discovery_start(&[PathBuf::from(".")]),
        registry,
    )?;
    let mut warnings = Vec::new();
    let baseline: Option<Baseline> = crate::settings::load_baseline(
        args.common.baseline.as_deref(),
        args.common.no_baseline,
        &loaded.config,
        &mut warnings,
    )?;
    let threshold = fail_on(args.common.fail_on, &loaded.config);
    let (spec, text) = plimsoll_runspec::cli::parse_argv(&args.command).map_err(|e| {
        let mut fatal = Fatal::new(format!("cannot read the command: {}", e.message));
        if let Some(hint) = e.hint {
            fatal = fatal.hint(hint);
        }
        fatal
    })?;
    let rule_cx = plimsoll_runspec::rules::Context {
        policy: &loaded.config.images,
    };
    let mut findings = plimsoll_runspec::rules::audit(&spec, &rule_cx);
    loaded.config.apply(registry, &mut findings);
    let mut report = Report {
        targets: vec![Target {
            path: COMMAND_LINE.to_string(),
            kind: "command",
            source: Some(Arc::from(text.as_str())),
        }],
        findings,
        ..Report::default()
    };
    if let Some(baseline) = &baseline {
        baseline.apply(&mut report.findings);
    }
    report.sort();
    crate::output::emit(&report, registry, &args.common, &warnings)?;
    Ok(exit_status(&report, threshold))
}
