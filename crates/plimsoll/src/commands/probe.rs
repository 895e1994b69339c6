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
//! The probe's findings (and, with `--launch`, the RS findings beside them) go through the
//! pipeline tail every audit shares (`settle`): configuration, `--ignore`, baseline,
//! `--fail-on`, `--severity`.
//!
//! This module holds the arguments and the in-process mode; `launch` and `paper` the other two.

mod interrupt;
mod launch;
mod paper;
mod settle;

use crate::common_args::CommonArgs;
use crate::error::Fatal;
use crate::prepare::prepare;
use crate::registry::registry;
use clap::{Args, ValueEnum};
use plimsoll_core::Tail;
use plimsoll_probe::experiments::Selection;
use plimsoll_probe::root::Root;
use std::path::PathBuf;

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

/// The arguments of `plimsoll probe`.
///
/// It takes the shared options of every audit command ([`CommonArgs`]: configuration,
/// baseline, `--fail-on`, `--ignore`, `--severity`, `--output`…), but its `--format` is the
/// probe's own (its summary or its JSON report): the shared `--format` is renamed out of the
/// way and hidden, as `bench` does.
#[derive(Debug, Args)]
#[command(after_long_help = PROBE_HELP)]
#[command(mut_arg("format", |a| a.long("report-format").hide(true)))]
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
    /// Output format: the probe's summary (`human`) or its JSON report.
    #[arg(
        long = "format",
        id = "probe_format",
        value_enum,
        value_name = "FORMAT",
        default_value = "human"
    )]
    pub format: ProbeFormat,
    #[command(flatten)]
    pub common: CommonArgs,
}

const PROBE_HELP: &str = "\
Examples:
  plimsoll probe --experiments safe                 (inside a container)
  plimsoll probe --launch alpine:3 -- --cap-add SYS_ADMIN --pids-limit 50
  plimsoll probe --experiments paper alpine:3

Exit status: 0 when no probe finding reaches --fail-on (default: the configuration's, else
high), 1 when one does, 2 on an error; the configuration, --ignore and the baseline apply.
With --experiments paper: 1 when an observed outcome differs from the paper's.
The static probe: RUSTFLAGS='-C target-feature=+crt-static' cargo build -p plimsoll-probe
--release --target x86_64-unknown-linux-gnu (see docs/probe.md).";

pub fn probe(args: &ProbeArgs) -> Result<u8, Fatal> {
    let registry = registry();
    let prepared = prepare(&args.common, &[PathBuf::from(".")], registry)?;
    let selection = Selection {
        safe: args.experiments == Some(ExperimentSet::Safe),
        stress_pids: args.stress.contains(&Stress::Pids),
        stress_memory: args.stress.contains(&Stress::Memory),
    };
    let json = args.format == ProbeFormat::Json;
    if args.experiments == Some(ExperimentSet::Paper) {
        let image = args
            .image
            .as_deref()
            .or(args.launch.as_deref())
            .ok_or_else(|| {
                Fatal::new("--experiments paper needs an IMAGE")
                    .hint("plimsoll probe --experiments paper alpine:3")
            })?;
        let (text, differs) = paper::paper_table(
            args.probe_binary.as_deref(),
            image,
            &args.docker_options,
            json,
        )?;
        emit(&args.common, &text)?;
        return Ok(u8::from(differs));
    }
    if let Some(image) = &args.launch {
        let launched = launch::launch(
            args.probe_binary.as_deref(),
            image,
            &args.docker_options,
            selection,
            &prepared.loaded.config.images,
        )?;
        let target = launched.report["target"]
            .as_str()
            .unwrap_or("container")
            .to_string();
        let settled = settle::settle(
            &prepared,
            registry,
            &args.common,
            &target,
            settle::findings_of(&launched.report),
        );
        let mut configuration =
            Tail::new(registry, &prepared.loaded.config).settle_all(launched.configuration.clone());
        if let Some(level) = args.common.severity {
            configuration.retain(|f| f.severity >= level);
        }
        let text = launched.render(image, &settled.findings, &configuration, json)?;
        emit(&args.common, &text)?;
        return Ok(settled.status);
    }
    if args.image.is_some() || !args.docker_options.is_empty() {
        return Err(Fatal::new("an IMAGE or docker run options need --launch")
            .hint("plimsoll probe --launch IMAGE -- OPTIONS"));
    }
    let root = Root::new(args.root.clone().unwrap_or_else(|| PathBuf::from("/")));
    let mut report = plimsoll_probe::probe(&root, selection, None);
    let raw = std::mem::take(&mut report.findings);
    let settled = settle::settle(
        &prepared,
        registry,
        &args.common,
        &report.evidence.target,
        raw,
    );
    report.findings = settled.findings;
    let text = if json {
        serde_json::to_string_pretty(&report)
            .map_err(|e| Fatal::new(format!("cannot write JSON: {e}")))?
    } else {
        plimsoll_probe::summary::render(&report)
    };
    emit(&args.common, &text)?;
    Ok(settled.status)
}

/// Writes the text to `--output` or standard output (nothing with `--quiet`, unless to a file).
fn emit(common: &CommonArgs, text: &str) -> Result<(), Fatal> {
    let to_file = crate::output::output_file(common.output.as_deref());
    if common.quiet && to_file.is_none() {
        return Ok(());
    }
    let mut text = text.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    crate::output::write_report(common.output.as_deref(), &text)?;
    if let Some(path) = to_file {
        eprintln!("plimsoll: report written to {}", path.display());
    }
    Ok(())
}
