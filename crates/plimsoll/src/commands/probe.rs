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
//! This module holds the arguments and the in-process mode; `launch` and `paper` the other two.

mod launch;
mod paper;

use crate::error::Fatal;
use clap::{Args, ValueEnum};
use plimsoll_core::Severity;
use plimsoll_probe::experiments::Selection;
use plimsoll_probe::root::Root;
use std::io::Write;
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
        let json = args.format == ProbeFormat::Json;
        let (text, differs) = paper::paper_table(
            args.probe_binary.as_deref(),
            image,
            &args.docker_options,
            json,
        )?;
        emit(&text)?;
        return Ok(u8::from(differs));
    }
    if let Some(image) = &args.launch {
        let json = args.format == ProbeFormat::Json;
        let (text, severities) = launch::launch_and_compare(
            args.probe_binary.as_deref(),
            image,
            &args.docker_options,
            selection,
            json,
        )?;
        emit(&text)?;
        return Ok(exit_status(severities.into_iter()));
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
