//! `plimsoll scan` and `plimsoll dockerfile`: collect inputs, audit them, write the report and
//! turn it into an exit status.

use crate::audit::audit_all;
use crate::cli::{CommonArgs, FilesArgs, ScanArgs};
use crate::error::Fatal;
use crate::input::Input;
use crate::prepare::prepare;
use crate::registry::registry;
use crate::sources::{
    discover, dockerfile::DockerfileSource, plural_names, AuditContext, RunSettings,
};
use plimsoll_core::Report;
use std::path::PathBuf;

/// `plimsoll scan [PATH…]`: directories are walked, files audited as given, `-` read from
/// standard input.
pub fn scan(args: &ScanArgs) -> Result<u8, Fatal> {
    let settings = RunSettings::from_env();
    run(&args.common, &args.paths, &settings, |loaded| {
        let found = discover::collect(&args.paths, &loaded.config, &loaded.ignore);
        if found.inputs.is_empty() && found.errors.is_empty() {
            let shown: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
            let mut fatal = Fatal::new(format!(
                "no {} found under {}",
                plural_names(),
                shown.join(", ")
            ));
            fatal = if found.ignored_by_config > 0 {
                fatal.hint(format!(
                    "{} matching files were skipped by `[paths] ignore` in the configuration",
                    found.ignored_by_config
                ))
            } else {
                fatal.hint(
                    "plimsoll looks for Dockerfiles (Dockerfile, Dockerfile*, *.Dockerfile, \
Containerfile*), compose files (compose.yaml, docker-compose.yml and variants) and \
scripts that may run containers (*.sh, Makefile, CI workflows), skipping what .gitignore excludes \
(unless committed); name other files with `plimsoll dockerfile FILE` or `plimsoll compose -f FILE`",
                )
            };
            return Err(fatal);
        }
        Ok((found.inputs, found.errors))
    })
}

/// `plimsoll dockerfile FILE…` (and `-`).
pub fn dockerfile(args: &FilesArgs) -> Result<u8, Fatal> {
    let settings = RunSettings::from_env();
    run(&args.common, &args.files, &settings, |_| {
        let inputs: Vec<Input> = args
            .files
            .iter()
            .map(|f| discover::named_file(f, &DockerfileSource))
            .collect();
        Ok((inputs, Vec::new()))
    })
}

pub type Collected = (Vec<Input>, Vec<plimsoll_core::AuditError>);

/// The shared flow: config → inputs → audit → output → exit status.
pub fn run(
    common: &CommonArgs,
    paths: &[PathBuf],
    settings: &RunSettings,
    collect: impl FnOnce(&crate::prepare::Loaded) -> Result<Collected, Fatal>,
) -> Result<u8, Fatal> {
    let registry = registry();
    let prepared = prepare(common, paths, registry)?;
    let (inputs, discovery_errors) = collect(&prepared.loaded)?;
    let dockerfiles = AuditContext::dockerfile_inputs(&inputs);
    let cx = AuditContext {
        registry,
        config: &prepared.loaded.config,
        run: settings,
        dockerfiles: &dockerfiles,
        baseline: prepared.baseline.as_ref(),
        record_baseline: false,
    };
    let mut report: Report = audit_all(&inputs, &cx);
    report.errors.extend(discovery_errors);
    let status = prepared.finish(&mut report, registry, common)?;
    if report.targets.is_empty() {
        // Every input failed (or discovery found only unreadable paths): nothing was audited.
        if !common.quiet {
            eprintln!("plimsoll: nothing could be audited");
        }
        return Ok(crate::error::EXIT_ERROR);
    }
    Ok(partial_status(&report, status, common.allow_partial))
}

/// The exit status of a run that audited something: a run where some input could not be
/// audited (a file named on the command line that is missing or unreadable, a discovered file
/// that BuildKit or compose would refuse too, a directory that could not be searched) fails
/// with status 2 — a typo in a CI command line must not pass — unless `--allow-partial` asks
/// for the findings of what could be audited to decide. The report is written either way.
fn partial_status(report: &Report, status: u8, allow_partial: bool) -> u8 {
    if report.errors.is_empty() || allow_partial {
        return status;
    }
    eprintln!(
        "plimsoll: error: {} could not be audited, so the audit is incomplete (exit status 2); \
pass --allow-partial to accept a partial audit and exit by the findings",
        match crate::output::count_failed_inputs(report).max(1) {
            1 => "1 input".to_string(),
            n => format!("{n} inputs"),
        }
    );
    crate::error::EXIT_ERROR
}
