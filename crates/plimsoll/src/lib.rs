//! The `plimsoll` binary's wiring: the command line, finding and reading inputs, running each
//! domain crate's audit, applying configuration and baselines, writing the report and choosing
//! the exit status. Policy and logic live in the library crates (`plimsoll-core`,
//! `plimsoll-dockerfile`, `plimsoll-report`); this crate only connects them.
//!
//! Exit status: 0 nothing at or above `--fail-on`; 1 a finding at or above it; 2 the input could
//! not be audited (usage error, bad configuration, no input found, every input unreadable or
//! malformed). A partial audit (some inputs failed) exits by its findings and lists the failures
//! in the report and on standard error.

pub mod audit;
pub mod cli;
pub mod cli_live;
pub mod commands;
pub mod docs;
pub mod error;
pub mod input;
pub mod output;
pub mod registry;
pub mod settings;
pub mod sources;

use clap::Parser;
use std::process::ExitCode;

/// Parses the command line, runs the command, and maps the outcome to an exit status. clap's own
/// usage errors exit 2 (and `--help`/`--version` 0).
pub fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match &cli.command {
        cli::Command::Scan(args) => commands::check::scan(args),
        cli::Command::Dockerfile(args) => commands::check::dockerfile(args),
        cli::Command::Compose(args) => commands::compose::compose(args),
        cli::Command::Run(args) => commands::run::run(args),
        cli::Command::Containers(args) => commands::live::containers(args),
        cli::Command::Host(args) => commands::live::host(args),
        cli::Command::Bench(args) => commands::live::bench(args),
        cli::Command::Rules(args) => commands::rules::rules(args),
        cli::Command::Baseline(args) => commands::baseline::baseline(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(fatal) => {
            eprintln!("plimsoll: error: {fatal}");
            ExitCode::from(error::EXIT_ERROR)
        }
    }
}
