//! `plimsoll probe`: what isolation a container really has, next to what its configuration
//! promises.
//!
//! Three ways in:
//! - `plimsoll probe` inside a container reads this container (the `plimsoll-probe` library in
//!   process; `--experiments safe` and `--stress` as the static probe has them);
//! - `plimsoll probe --launch IMAGE [-- docker run options…]` starts a labelled container with
//!   those options and the static probe bind-mounted read-only, runs the probe as a non-root
//!   user (unless the options name a user), reads its JSON, removes the container (`--rm`, and
//!   `docker rm -f` on every way out), and sets the RS findings for the same options beside the
//!   probe's evidence, flagging each place configuration and kernel disagree;
//! - `plimsoll probe --experiments paper IMAGE` runs the probe under the paper's three
//!   configurations and prints its table with the expected and observed outcomes.
//!
//! Containers are started with the `docker` CLI (the probe needs a bind mount and an
//! entrypoint override, nothing the read-only engine client of `plimsoll containers` does).

use crate::error::Fatal;
use clap::{Args, ValueEnum};
use plimsoll_core::config::ImagePolicy;
use plimsoll_core::{Finding, Severity};
use plimsoll_probe::experiments::{Experiment, Selection};
use plimsoll_probe::paper;
use plimsoll_probe::root::Root;
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExperimentSet {
    /// The harmless experiments: hostname, user namespace, mount, sysrq-trigger open.
    Safe,
    /// The paper's table for IMAGE under three configurations (needs Docker).
    Paper,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Stress {
    Pids,
    Memory,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProbeFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
#[command(after_long_help = PROBE_HELP)]
pub struct ProbeArgs {
    /// Start a container from IMAGE (with the docker run options after `--`) and probe it.
    #[arg(long, value_name = "IMAGE")]
    pub launch: Option<String>,
    /// Run experiments: `safe` (harmless, each in a forked child with a deadline) or `paper`
    /// (the paper's table for IMAGE).
    #[arg(long, value_enum, value_name = "SET")]
    pub experiments: Option<ExperimentSet>,
    /// A bounded stress against a limit (repeatable); never without a limit or past a cap.
    #[arg(long, value_enum, value_name = "LIMIT")]
    pub stress: Vec<Stress>,
    /// The image of `--experiments paper`.
    #[arg(value_name = "IMAGE")]
    pub image: Option<String>,
    /// `docker run` options for `--launch`, after `--`.
    #[arg(last = true, value_name = "DOCKER_RUN_OPTIONS")]
    pub docker_options: Vec<String>,
    /// Read /proc and /sys under DIR instead of / (a recorded tree; no experiments).
    #[arg(long, value_name = "DIR", conflicts_with = "launch")]
    pub root: Option<PathBuf>,
    /// The static plimsoll-probe binary to mount (default: $PLIMSOLL_PROBE, then
    /// plimsoll-probe beside this program).
    #[arg(long, value_name = "PATH")]
    pub probe_binary: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: ProbeFormat,
}

const PROBE_HELP: &str = "\
Examples:
  plimsoll probe --experiments safe                 (inside a container)
  plimsoll probe --launch alpine:3 -- --cap-add SYS_ADMIN --pids-limit 50
  plimsoll probe --experiments paper alpine:3

Exit status: 0 when no finding is high or critical, 1 when one is, 2 on an error.
The static probe: RUSTFLAGS='-C target-feature=+crt-static' cargo build -p plimsoll-probe
--release --target x86_64-unknown-linux-gnu (see docs/probe.md).";

/// Labels on every container `plimsoll probe` starts.
const LABEL: &str = "plimsoll.probe=1";

pub fn probe(args: &ProbeArgs) -> Result<u8, Fatal> {
    let selection = Selection {
        safe: args.experiments == Some(ExperimentSet::Safe),
        stress_pids: args.stress.contains(&Stress::Pids),
        stress_memory: args.stress.contains(&Stress::Memory),
    };
    if args.experiments == Some(ExperimentSet::Paper) {
        let image = args
            .image
            .as_deref()
            .or(args.launch.as_deref())
            .ok_or_else(|| {
                Fatal::new("--experiments paper needs an IMAGE")
                    .hint("plimsoll probe --experiments paper alpine:3")
            })?;
        return paper_table(args, image);
    }
    if let Some(image) = &args.launch {
        return launch_and_compare(args, image, selection);
    }
    if args.image.is_some() || !args.docker_options.is_empty() {
        return Err(Fatal::new("an IMAGE or docker run options need --launch")
            .hint("plimsoll probe --launch IMAGE -- OPTIONS"));
    }
    let root = Root::new(args.root.clone().unwrap_or_else(|| PathBuf::from("/")));
    let report = plimsoll_probe::probe(&root, selection, None);
    let text = match args.format {
        ProbeFormat::Json => serde_json::to_string_pretty(&report)
            .map_err(|e| Fatal::new(format!("cannot write JSON: {e}")))?,
        ProbeFormat::Human => plimsoll_probe::summary::render(&report),
    };
    emit(&text)?;
    Ok(exit_status(report.findings.iter().map(|f| f.severity)))
}

fn emit(text: &str) -> Result<(), Fatal> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| {
            if text.ends_with('\n') {
                Ok(())
            } else {
                out.write_all(b"\n")
            }
        })
        .map_err(|e| Fatal::new(format!("cannot write the report: {e}")))
}

fn exit_status(severities: impl Iterator<Item = Severity>) -> u8 {
    let mut worst = false;
    for s in severities {
        worst |= s >= Severity::High;
    }
    u8::from(worst)
}

/// The static probe to mount: `--probe-binary`, `$PLIMSOLL_PROBE`, or beside this program.
fn probe_binary(explicit: Option<&Path>) -> Result<PathBuf, Fatal> {
    let candidate = match explicit {
        Some(p) => p.to_path_buf(),
        None => match std::env::var_os("PLIMSOLL_PROBE") {
            Some(p) => PathBuf::from(p),
            None => std::env::current_exe()
                .map_err(|e| Fatal::new(format!("cannot find this program: {e}")))?
                .with_file_name("plimsoll-probe"),
        },
    };
    if !candidate.is_file() {
        return Err(
            Fatal::new(format!("no probe binary at {}", candidate.display())).hint(
                "build the static probe (RUSTFLAGS='-C target-feature=+crt-static' cargo build -p \
             plimsoll-probe --release --target x86_64-unknown-linux-gnu) and pass it with \
             --probe-binary",
            ),
        );
    }
    std::fs::canonicalize(&candidate)
        .map_err(|e| Fatal::new(format!("{}: {e}", candidate.display())))
}

fn docker(args: &[String]) -> Result<String, Fatal> {
    let out = Command::new("docker").args(args).output().map_err(|e| {
        Fatal::new(format!("cannot run docker: {e}")).hint("install the docker CLI")
    })?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(Fatal::new(format!(
            "docker {}: {}",
            args.first().map(String::as_str).unwrap_or_default(),
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}

/// A container this command started; removed when dropped (error, panic or success).
struct Launched {
    name: String,
}

impl Drop for Launched {
    fn drop(&mut self) {
        let _ = Command::new("docker")
            .args(["rm", "-f", "-v", &self.name])
            .output();
    }
}

/// Whether the options already name the user to run as.
fn names_user(options: &[String]) -> bool {
    options
        .iter()
        .any(|o| o == "-u" || o == "--user" || o.starts_with("--user=") || o.starts_with("-u="))
}

/// The options the container is really started with: the user's, plus a non-root user when
/// they name none.
fn effective_options(options: &[String]) -> Vec<String> {
    let mut out = options.to_vec();
    if !names_user(options) {
        out.extend(["--user".to_string(), "65534:65534".to_string()]);
    }
    out
}

/// Starts IMAGE with the options and the probe, returns the probe's JSON report.
fn run_probe(
    probe: &Path,
    image: &str,
    options: &[String],
    probe_args: &[String],
) -> Result<Value, Fatal> {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("plimsoll-probe-{}-{n}", std::process::id());
    let mut create: Vec<String> = vec![
        "create".into(),
        "--rm".into(),
        "--name".into(),
        name.clone(),
        "--label".into(),
        LABEL.into(),
        "--volume".into(),
        format!("{}:{}:ro", probe.display(), plimsoll_probe::LAUNCH_MOUNT),
        "--entrypoint".into(),
        plimsoll_probe::LAUNCH_MOUNT.into(),
    ];
    create.extend(options.iter().cloned());
    create.push(image.to_string());
    create.extend(["--format".to_string(), "json".to_string()]);
    create.extend(probe_args.iter().cloned());
    docker(&create)?;
    let launched = Launched { name };
    let out = docker(&["start".to_string(), "-a".to_string(), launched.name.clone()])?;
    drop(launched);
    serde_json::from_str(&out).map_err(|e| {
        Fatal::new(format!("the probe's answer is not JSON ({e})")).hint(
            "is --probe-binary the static build, and does the image run x86-64 Linux binaries?",
        )
    })
}

fn probe_args_of(selection: Selection) -> Vec<String> {
    let mut out = Vec::new();
    if selection.safe {
        out.push("--experiments".to_string());
    }
    for (on, what) in [
        (selection.stress_pids, "pids"),
        (selection.stress_memory, "memory"),
    ] {
        if on {
            out.extend(["--stress".to_string(), what.to_string()]);
        }
    }
    out
}

/// The RS findings for `docker run OPTIONS IMAGE` (default image policy).
fn configuration_findings(options: &[String], image: &str) -> Result<Vec<Finding>, Fatal> {
    let mut argv = vec!["docker".to_string(), "run".to_string()];
    argv.extend(options.iter().cloned());
    argv.push(image.to_string());
    let (spec, _) = plimsoll_runspec::cli::parse_argv(&argv)
        .map_err(|e| Fatal::new(format!("cannot read the docker run options: {}", e.message)))?;
    let policy = ImagePolicy::default();
    let cx = plimsoll_runspec::rules::Context::new(&policy);
    Ok(plimsoll_runspec::rules::audit(&spec, &cx))
}

fn fired(findings: &Value, id: &str) -> bool {
    findings
        .as_array()
        .is_some_and(|list| list.iter().any(|f| f["rule_id"] == id))
}

/// One PB↔RS pair: what each side says and whether they agree.
fn comparison(report: &Value, rs: &[Finding]) -> Vec<Value> {
    let lsm_available = report["facts"]["lsm"]["state"] != "not-available";
    plimsoll_probe::rules::COUNTERPARTS
        .iter()
        .map(|(pb, rs_ids)| {
            let kernel = fired(&report["findings"], pb);
            let config: Vec<&str> = rs_ids
                .iter()
                .copied()
                .filter(|id| rs.iter().any(|f| f.rule_id == *id))
                .collect();
            let verdict = if *pb == "PB004" && !lsm_available {
                "not available here"
            } else if kernel != config.is_empty() {
                "agree"
            } else if kernel {
                "DISAGREE: kernel only"
            } else {
                "DISAGREE: config only"
            };
            json!({
                "probe_rule": pb,
                "configuration_rules": rs_ids,
                "kernel_fires": kernel,
                "configuration_fires": config,
                "verdict": verdict,
            })
        })
        .collect()
}

fn launch_and_compare(args: &ProbeArgs, image: &str, selection: Selection) -> Result<u8, Fatal> {
    let probe = probe_binary(args.probe_binary.as_deref())?;
    let options = effective_options(&args.docker_options);
    let rs = configuration_findings(&options, image)?;
    let report = run_probe(&probe, image, &options, &probe_args_of(selection))?;
    let rows = comparison(&report, &rs);
    let severities: Vec<Severity> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| {
            f["severity"]
                .as_str()
                .and_then(|s| s.parse::<Severity>().ok())
        })
        .collect();
    let text = match args.format {
        ProbeFormat::Json => serde_json::to_string_pretty(&json!({
            "image": image,
            "docker_options": options,
            "probe": report,
            "configuration_findings": rs,
            "comparison": rows,
        }))
        .map_err(|e| Fatal::new(format!("cannot write JSON: {e}")))?,
        ProbeFormat::Human => launch_text(image, &options, &report, &rs, &rows),
    };
    emit(&text)?;
    Ok(exit_status(severities.into_iter()))
}

fn launch_text(
    image: &str,
    options: &[String],
    report: &Value,
    rs: &[Finding],
    rows: &[Value],
) -> String {
    let mut s = format!("plimsoll probe: {image} run with: {}\n", options.join(" "));
    s.push_str("\nWhat the configuration promises (RS) beside what the kernel enforced (PB):\n");
    for row in rows {
        let config = row["configuration_fires"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default();
        let kernel = row["kernel_fires"].as_bool().unwrap_or(false);
        if config.is_empty() && !kernel {
            continue;
        }
        s.push_str(&format!(
            "  {:<22} {} {:<7} {} {:<6} {}\n",
            row["verdict"].as_str().unwrap_or_default(),
            "config:",
            if config.is_empty() { "-" } else { &config },
            "kernel:",
            if kernel {
                row["probe_rule"].as_str().unwrap_or_default()
            } else {
                "-"
            },
            rule_title(row["probe_rule"].as_str().unwrap_or_default())
        ));
    }
    s.push_str("\nProbe findings:\n");
    for f in report["findings"].as_array().into_iter().flatten() {
        s.push_str(&format!(
            "  {} [{}] {}\n",
            f["rule_id"].as_str().unwrap_or_default(),
            f["severity"].as_str().unwrap_or_default(),
            f["message"].as_str().unwrap_or_default()
        ));
    }
    for e in report["experiments"].as_array().into_iter().flatten() {
        if let Ok(e) = serde_json::from_value::<Experiment>(e.clone()) {
            s.push_str(&format!(
                "  experiment {:<14} {} — {}\n",
                e.name,
                e.verdict.short(),
                e.verdict.detail()
            ));
        }
    }
    s.push_str(&format!("\nConfiguration findings: {}\n", rs.len()));
    for f in rs {
        s.push_str(&format!("  {} [{}] {}\n", f.rule_id, f.severity, f.message));
    }
    s
}

fn rule_title(id: &str) -> &'static str {
    plimsoll_probe::rules::metas()
        .into_iter()
        .find(|m| m.id == id)
        .map(|m| m.title)
        .unwrap_or_default()
}

fn paper_table(args: &ProbeArgs, image: &str) -> Result<u8, Fatal> {
    let probe = probe_binary(args.probe_binary.as_deref())?;
    let probe_args: Vec<String> = paper::PROBE_ARGS.iter().map(|s| s.to_string()).collect();
    let mut observed: Vec<(paper::Configuration, Value)> = Vec::new();
    for config in paper::CONFIGURATIONS {
        let mut options: Vec<String> = config.options.iter().map(|s| s.to_string()).collect();
        options.extend(args.docker_options.iter().cloned());
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
                let lsm = if report["facts"]["lsm"]["state"] == "not-available" {
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
    let text = match args.format {
        ProbeFormat::Json => serde_json::to_string_pretty(&json!({
            "image": image,
            "configurations": paper::CONFIGURATIONS,
            "rows": rows,
            "reports": observed.iter().map(|(c, r)| json!({"configuration": c.name, "report": r})).collect::<Vec<_>>(),
        }))
        .map_err(|e| Fatal::new(format!("cannot write JSON: {e}")))?,
        ProbeFormat::Human => {
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
        }
    };
    emit(&text)?;
    let differs = rows.iter().any(|r| r["agreement"] == "differs");
    Ok(u8::from(differs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_non_root_user_is_added_unless_one_is_named() {
        let none = effective_options(&["--read-only".to_string()]);
        assert_eq!(none, ["--read-only", "--user", "65534:65534"]);
        let named = effective_options(&["-u".to_string(), "0".to_string()]);
        assert_eq!(named, ["-u", "0"]);
        assert!(names_user(&["--user=1000".to_string()]));
    }

    #[test]
    fn configuration_and_kernel_disagreements_are_flagged() {
        let rs = configuration_findings(&["--privileged".to_string()], "alpine:3.20")
            .unwrap_or_default();
        assert!(rs.iter().any(|f| f.rule_id == "RS001"));
        let report = json!({"facts": {"lsm": {"state": "not-available"}}, "findings": []});
        let rows = comparison(&report, &rs);
        let pb001 = rows
            .iter()
            .find(|r| r["probe_rule"] == "PB001")
            .cloned()
            .unwrap_or_default();
        assert_eq!(pb001["verdict"], "DISAGREE: config only");
        let pb004 = rows
            .iter()
            .find(|r| r["probe_rule"] == "PB004")
            .cloned()
            .unwrap_or_default();
        assert_eq!(pb004["verdict"], "not available here");
    }
}
