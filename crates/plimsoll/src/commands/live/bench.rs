//! `plimsoll bench`: the CIS Docker Benchmark over one engine, reported like
//! docker-bench-security. The facts are gathered in a handful of API calls — the container
//! list, one inspect and one `top` per selected running container (concurrent), the image
//! list with one inspect per image, `info`, the networks — then every check is decided by
//! `plimsoll_live::bench` from the RS findings and those facts.

use super::engine::{connect, container_target, fatal, host_options, partly_audited, problem};
use super::host::{collect_all, daemon_no_new_privileges, evaluate};
use super::select::Patterns;
use crate::cli::CommonArgs;
use crate::cli_live::{BenchArgs, BenchFormat};
use crate::error::{Fatal, EXIT_ERROR};
use crate::output::{output_file, use_color, write_report};
use crate::prepare::prepare;
use crate::registry::registry;
use plimsoll_core::{AuditError, Finding, Report, Tail, Target};
use plimsoll_engine::bench_input::{self, IGNORE_LABEL};
use plimsoll_engine::ContainerQuery;
use plimsoll_live::bench::{self, BenchImage, BenchInput};
use plimsoll_report::docker_bench::{self, TextOptions};
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn ignored(labels: Option<&HashMap<String, String>>) -> bool {
    labels.is_some_and(|l| l.contains_key(IGNORE_LABEL))
}

pub fn bench(args: &BenchArgs) -> Result<u8, Fatal> {
    if args.common.severity.is_some()
        && matches!(
            args.format,
            BenchFormat::Human | BenchFormat::DockerBenchJson
        )
    {
        // The docker-bench layouts list checks, not findings: a severity filter would be
        // silently ignored there, so it is refused rather than accepted and dropped.
        return Err(Fatal::new(
            "--severity filters findings, and this bench format lists checks (PASS/WARN/INFO)",
        )
        .hint("use it with a findings report: `plimsoll bench --format json|sarif|junit|gitlab --severity high`, or choose checks with -c/-e"));
    }
    let start = now();
    let registry = registry();
    let prepared = prepare(&args.common, &[PathBuf::from(".")], registry)?;
    let loaded = &prepared.loaded;
    let options = host_options(&args.read)?;
    let patterns =
        Patterns::new(&args.include_containers, &args.exclude_containers).map_err(Fatal::new)?;
    for id in args.check.iter().chain(&args.exclude) {
        if !bench::CHECKS
            .iter()
            .any(|c| bench::selected(c.id, std::slice::from_ref(id), &[]))
        {
            return Err(Fatal::new(format!("no CIS check `{id}`"))
                .hint("give ids such as 5.4, sections such as 2 or 1.1, comma-separated"));
        }
    }

    let engine = connect(&args.engine)?;
    let listed = engine.list_containers(true).map_err(|e| fatal(&e))?;
    let used_images: BTreeSet<String> = listed.iter().filter_map(|c| c.image_id.clone()).collect();
    let selected: Vec<String> = listed
        .iter()
        .filter(|c| c.state.map(|s| s.to_string()).as_deref() == Some("running"))
        .filter(|c| !ignored(c.labels.as_ref()))
        .filter(|c| {
            let names: Vec<&str> = c
                .names
                .iter()
                .flatten()
                .map(|n| n.trim_start_matches('/'))
                .collect();
            patterns.keeps(&names)
        })
        .filter_map(|c| c.id.clone())
        .collect();

    let mut report = Report::default();
    // Engine-wide problems (info, images): warnings of the report, as `engine`.
    let mut problems: Vec<String> = Vec::new();
    // The daemon and the host first: the daemon's no-new-privileges default decides 5.26.
    let (daemon, host_facts) = collect_all(&engine, &options);
    let (host_results, host_findings) = evaluate(&daemon, &host_facts);
    let (records, info, unaudited) = if selected.is_empty() {
        match engine.info() {
            Ok(i) => (Vec::new(), Some(i), Vec::new()),
            Err(e) => {
                problems.push(format!("engine info: {e}"));
                (Vec::new(), None, Vec::new())
            }
        }
    } else {
        let scan = engine
            .containers(&ContainerQuery {
                names: selected,
                daemon_no_new_privileges: daemon_no_new_privileges(&daemon),
                ..Default::default()
            })
            .map_err(|e| fatal(&e))?;
        report.errors.extend(scan.failed.iter().map(problem));
        report
            .warnings
            .extend(scan.incomplete.iter().map(partly_audited));
        let unaudited: Vec<String> = scan.failed.iter().map(|p| p.target.clone()).collect();
        (scan.containers, scan.info, unaudited)
    };
    let info_error = info
        .is_none()
        .then(|| "the engine's info could not be read".to_string());

    let (images, image_count, images_error) = match engine.images() {
        Ok(found) => {
            let count = found.images.len() + found.gone.len() + found.failed.len();
            for p in &found.failed {
                problems.push(format!("image {}: {}", p.target, p.error));
            }
            let images: Vec<BenchImage> = found
                .images
                .iter()
                .filter(|i| !ignored(i.inspect.config.as_ref().and_then(|c| c.labels.as_ref())))
                .filter(|i| {
                    let tags: Vec<&str> = i.summary.repo_tags.iter().map(String::as_str).collect();
                    patterns.keeps(&tags)
                })
                .map(|i| bench_input::bench_image(&i.inspect))
                .collect();
            (Some(images), Some(count), None)
        }
        Err(e) => (None, None, Some(e.to_string())),
    };
    let (networks, networks_error) = match engine.networks() {
        Ok(n) => (Some(n), None),
        Err(e) => (None, Some(e.to_string())),
    };

    let rule_cx = plimsoll_runspec::rules::Context {
        policy: &loaded.config.images,
    };
    let findings: Vec<Vec<Finding>> = records
        .iter()
        .map(|r| plimsoll_runspec::rules::audit(&r.spec, &rule_cx))
        .collect();
    let input = BenchInput {
        containers: records
            .iter()
            .zip(&findings)
            .map(|(r, f)| bench_input::audited_container(&r.spec, f))
            .collect(),
        unaudited,
        processes_read: true,
        images,
        images_error,
        used_images: Some(used_images),
        image_count,
        info: info.as_ref().map(bench_input::engine_info),
        info_error,
        networks: networks.as_deref().map(bench_input::bench_networks),
        networks_error,
        host: host_results,
        host_missing: "the daemon and host collector gave no result for it".to_string(),
        only: args.check.clone(),
        exclude: args.exclude.clone(),
    };
    let result = bench::decide(&input);

    // The report every audit command writes: the findings the checks were decided from, on
    // the containers, the daemon and the host.
    for r in &records {
        report.targets.push(container_target(&r.spec.name));
    }
    for kind in ["daemon", "host"] {
        report.targets.push(Target {
            path: kind.to_string(),
            kind,
            source: None,
        });
    }
    let raw: Vec<Finding> = findings
        .into_iter()
        .flatten()
        .chain(host_findings)
        .collect();
    report.findings = Tail::new(registry, &loaded.config).settle_all(raw);
    report
        .warnings
        .extend(problems.into_iter().map(|message| AuditError {
            path: "engine".to_string(),
            span: None,
            message,
            hint: None,
        }));
    let engine_unread = result.results.is_empty() && info.is_none();

    let status = match args.format {
        BenchFormat::Report(format) => {
            let common = CommonArgs {
                format,
                ..args.common.clone()
            };
            prepared.finish(&mut report, registry, &common)?
        }
        BenchFormat::Human | BenchFormat::DockerBenchJson => {
            let status = prepared.judge(&mut report);
            let to_file = output_file(args.common.output.as_deref());
            if !args.common.quiet || to_file.is_some() {
                let text = if args.format == BenchFormat::Human {
                    docker_bench::text(
                        &sheet(&result),
                        TextOptions {
                            color: use_color(args.common.color, to_file.is_some()),
                            remediation: args.remediation,
                        },
                    )
                } else {
                    let v = docker_bench::json(
                        &sheet(&result),
                        args.remediation,
                        start,
                        now(),
                        env!("CARGO_PKG_VERSION"),
                    );
                    let mut s = serde_json::to_string_pretty(&v)
                        .map_err(|e| Fatal::new(format!("cannot write the JSON report: {e}")))?;
                    s.push('\n');
                    s
                };
                write_report(args.common.output.as_deref(), &text)?;
            }
            for w in &prepared.warnings {
                eprintln!("plimsoll: warning: {w}");
            }
            for w in &report.warnings {
                eprintln!("plimsoll: warning: {w}");
            }
            for e in &report.errors {
                eprintln!("plimsoll: error: {e}");
            }
            if let Some(path) = to_file {
                eprintln!("plimsoll: report written to {}", path.display());
            }
            status
        }
    };
    if engine_unread {
        return Ok(EXIT_ERROR);
    }
    Ok(status)
}

/// The decided benchmark as the docker-bench report prints it.
fn sheet(result: &bench::Bench) -> docker_bench::Sheet<'_> {
    docker_bench::Sheet {
        headings: bench::HEADINGS,
        rows: result
            .results
            .iter()
            .map(|r| docker_bench::Row {
                id: r.check.id,
                section: r.check.section(),
                desc: r.check.desc(),
                suffix: &r.suffix,
                outcome: r.outcome,
                scored: r.check.scored,
                remediation: r.check.remediation,
                details: r.details.as_deref(),
                items: &r.items,
                lines: &r.lines,
                not_checked: r.not_checked.as_deref(),
            })
            .collect(),
        section_notes: &result.section_notes,
        checks: result.checks(),
        score: result.score(),
    }
}
