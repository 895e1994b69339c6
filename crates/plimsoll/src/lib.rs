//! The `plimsoll` binary's wiring: the command line, finding and reading inputs, running each
//! domain crate's audit, applying configuration and baselines, writing the report and choosing
//! the exit status. Policy and logic live in the library crates (`plimsoll-core` for findings,
//! rules' metadata, configuration, pragmas and the pipeline tail; `plimsoll-dockerfile` and
//! `plimsoll-runspec` for the build and run stages; `plimsoll-engine` and `plimsoll-live` for
//! the live audit; `plimsoll-probe` for the in-container probe; `plimsoll-report` for every
//! output format); this crate only connects them.
//!
//! The flow of an audit command: [`cli`] (with [`common_args`] and [`cli_live`]) parses the
//! command line; [`prepare`] resolves the configuration, `--fail-on` and the baseline;
//! [`sources`] discovers and audits inputs (each source hands its raw findings and pragmas to
//! core's `Tail`, then [`sources::fold`] applies the baseline and bounds memory); [`audit`]
//! runs them in parallel into one report; [`output`] writes it through `plimsoll-report`; the
//! [`commands`] glue it per subcommand. [`registry`] is the one list of every rule.
//!
//! Exit status: 0 nothing at or above `--fail-on`; 1 a finding at or above it; 2 the input could
//! not be audited (usage error, bad configuration, no input found, every input unreadable or
//! malformed). A partial audit (some inputs failed) exits by its findings and lists the failures
//! in the report and on standard error.

pub mod audit;
pub mod cli;
pub mod cli_live;
pub mod command_line_config;
pub mod commands;
pub mod common_args;
pub mod display_filter;
pub mod docs;
pub mod error;
pub mod input;
pub mod output;
pub mod prepare;
pub mod registry;
pub mod sources;
pub mod terminal_markdown;

use clap::Parser;
use std::process::ExitCode;

/// Parses the command line, runs the command, and maps the outcome to an exit status. clap's own
/// usage errors exit 2 (and `--help`/`--version` 0).
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match cli::Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(usage) => {
            // `plimsoll run docker run …` without `--`: say what to type instead of clap's
            // "unexpected argument 'docker'".
            let forgot_separator = usage
                .use_stderr()
                .then(|| commands::run::missing_separator_hint(args.get(1..).unwrap_or_default()))
                .flatten();
            if let Some(hint) = forgot_separator {
                eprintln!("plimsoll: error: {hint}");
                return ExitCode::from(error::EXIT_ERROR);
            }
            usage.exit()
        }
    };
    let result = match &cli.command {
        cli::Command::Scan(args) => commands::scan::scan(args),
        cli::Command::Dockerfile(args) => commands::scan::dockerfile(args),
        cli::Command::Compose(args) => commands::compose::compose(args),
        cli::Command::Run(args) => commands::run::run(args),
        cli::Command::Containers(args) => commands::live::containers(args),
        cli::Command::Host(args) => commands::live::host(args),
        cli::Command::Bench(args) => commands::live::bench(args),
        cli::Command::Probe(args) => commands::probe::probe(args),
        cli::Command::Rules(args) => commands::rules::rules(args),
        cli::Command::Baseline(args) => commands::baseline::baseline(args),
        cli::Command::Completions(args) => commands::completions::completions(args),
        cli::Command::Man(args) => commands::man::man(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(fatal) => {
            eprintln!("plimsoll: error: {fatal}");
            ExitCode::from(error::EXIT_ERROR)
        }
    }
}
