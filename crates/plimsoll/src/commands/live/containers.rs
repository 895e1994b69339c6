//! `plimsoll containers`: every running container (or those named, or all with `--all`),
//! inspected through the Engine API, judged by the RS rules, reported like any other audit.

use super::engine::{connect, container_target, fatal, partly_audited, problem};
use super::host::{daemon_facts, daemon_no_new_privileges};
use crate::cli_live::ContainersArgs;
use crate::error::{Fatal, EXIT_ERROR};
use crate::prepare::prepare;
use crate::registry::registry;
use plimsoll_core::{AuditError, Report, Tail};
use plimsoll_engine::ContainerQuery;
use std::path::PathBuf;

pub fn containers(args: &ContainersArgs) -> Result<u8, Fatal> {
    let registry = registry();
    let prepared = prepare(&args.common, &[PathBuf::from(".")], registry)?;

    let engine = connect(&args.engine)?;
    let scan = engine
        .containers(&ContainerQuery {
            names: args.containers.clone(),
            all: args.all,
            skip_top: args.no_processes,
            daemon_no_new_privileges: daemon_no_new_privileges(&daemon_facts(&engine)),
        })
        .map_err(|e| fatal(&e))?;

    let rule_cx = plimsoll_runspec::rules::Context {
        policy: &prepared.loaded.config.images,
    };
    let mut report = Report::default();
    let mut findings = Vec::new();
    for rec in &scan.containers {
        report.targets.push(container_target(&rec.spec.name));
        findings.extend(plimsoll_runspec::rules::audit(&rec.spec, &rule_cx));
    }
    report.findings = Tail::new(registry, &prepared.loaded.config).settle_all(findings);
    for p in &scan.gone {
        // A name asked for that matches nothing is an error; a listed container that went
        // away before its inspect only a warning.
        if args.containers.contains(&p.target) {
            report.errors.push(AuditError {
                hint: Some("`docker ps -a` lists the containers there are".to_string()),
                ..problem(p)
            });
        } else {
            report.warnings.push(AuditError {
                message: format!("removed during the scan: {}", p.error),
                ..problem(p)
            });
        }
    }
    report.errors.extend(scan.failed.iter().map(problem));
    report
        .warnings
        .extend(scan.incomplete.iter().map(partly_audited));
    let status = prepared.finish(&mut report, registry, &args.common)?;
    if report.targets.is_empty() {
        if report.errors.is_empty() {
            if !args.common.quiet {
                eprintln!(
                    "plimsoll: no {}containers on {}",
                    if args.all { "" } else { "running " },
                    engine.endpoint_text()
                );
            }
            return Ok(0);
        }
        if !args.common.quiet {
            eprintln!("plimsoll: nothing could be audited");
        }
        return Ok(EXIT_ERROR);
    }
    // A container named on the command line that could not be audited (a typo, a removed
    // container, a failed inspect) fails the run, after the others' report: in CI a typo
    // must not pass silently.
    let named_unaudited = scan
        .gone
        .iter()
        .chain(&scan.failed)
        .filter(|p| args.containers.contains(&p.target))
        .count();
    if named_unaudited > 0 && !args.common.allow_partial {
        return Ok(EXIT_ERROR);
    }
    Ok(status)
}
