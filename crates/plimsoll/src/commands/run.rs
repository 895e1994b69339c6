//! `plimsoll run -- docker run …`: one command line, judged by the RS rules.

use crate::cli::RunArgs;
use crate::error::Fatal;
use crate::registry::registry;
use crate::settings::prepare;
use plimsoll_core::{Report, Target};
use std::path::PathBuf;
use std::sync::Arc;

/// How the command line is named in reports.
pub const COMMAND_LINE: &str = "<command-line>";

pub fn run(args: &RunArgs) -> Result<u8, Fatal> {
    let registry = registry();
    let prepared = prepare(&args.common, &[PathBuf::from(".")], registry)?;
    let (spec, text) = plimsoll_runspec::cli::parse_argv(&args.command).map_err(|e| {
        let mut fatal = Fatal::new(format!("cannot read the command: {}", e.message));
        if let Some(hint) = e.hint {
            fatal = fatal.hint(hint);
        }
        fatal
    })?;
    let rule_cx = plimsoll_runspec::rules::Context {
        policy: &prepared.loaded.config.images,
    };
    let mut findings = plimsoll_runspec::rules::audit(&spec, &rule_cx);
    prepared.loaded.config.apply(registry, &mut findings);
    let mut report = Report {
        targets: vec![Target {
            path: COMMAND_LINE.to_string(),
            kind: "command",
            source: Some(Arc::from(text.as_str())),
        }],
        findings,
        ..Report::default()
    };
    prepared.finish(&mut report, registry, &args.common)
}
