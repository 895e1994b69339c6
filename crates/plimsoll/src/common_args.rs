//! The flags every auditing command shares (report format, output, `--fail-on`, configuration,
//! baseline, colour…), as clap derive types: apart from [`crate::cli`], which assembles the
//! subcommands, and [`crate::cli_live`], whose live commands take them too, so neither of those
//! two needs the other.

use clap::{Args, ValueEnum};
use plimsoll_core::FailOn;
use std::path::PathBuf;

/// Flags shared by every auditing command. `Clone` so `bench` can hand a copy with the
/// report format it chose to the shared report writer.
#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// Output format.
    #[arg(long, value_enum, ignore_case = true, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// Write the report to FILE instead of standard output (`-`: standard output). The file is
    /// replaced only once the report is complete.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a finding reaches this severity [default: the config's `fail-on`, else high].
    #[arg(long, value_name = "SEVERITY", value_parser = parse_fail_on)]
    pub fail_on: Option<FailOn>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Do not report findings recorded in this baseline file (overrides the config's `baseline`;
    /// `-` reads it from standard input).
    #[arg(long, value_name = "FILE", conflicts_with = "no_baseline")]
    pub baseline: Option<PathBuf>,
    /// Ignore any baseline named in the configuration.
    #[arg(long)]
    pub no_baseline: bool,
    /// Also list findings that inline pragmas or the baseline suppressed.
    #[arg(long)]
    pub show_suppressed: bool,
    /// When to colour the human report (`auto`: when standard output is a terminal, unless
    /// NO_COLOR is set or CLICOLOR=0; CLICOLOR_FORCE=1 forces it).
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,
    /// Print no report and no summary: only errors, and the exit status.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Accept a partial audit: when some inputs cannot be audited (missing, unreadable or
    /// malformed), report the others and exit by their findings instead of with status 2.
    #[arg(long)]
    pub allow_partial: bool,
    /// Show only findings at or above this severity (critical, high, medium, low, info), in
    /// every format. A display filter: the exit status still follows --fail-on, counting the
    /// hidden findings too (a note on standard error says how many were hidden).
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub severity: Option<plimsoll_core::Severity>,
    /// Do not report this rule (repeatable): a plimsoll id (`DF012`), name, or another tool's
    /// id (`DL3008`: every plimsoll rule that covers it). Adds to the config's [rules] disable.
    #[arg(long = "ignore", value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Trust base images from this registry (repeatable; `ghcr.io/my-org`, `*.example.com`).
    /// Adds to the config's [images] trusted-registries.
    #[arg(long = "trusted-registry", value_name = "HOST")]
    pub trusted_registries: Vec<String>,
}

/// Where the configuration comes from.
#[derive(Debug, Args, Default, Clone)]
pub struct ConfigArgs {
    /// Use this configuration file instead of discovering `.plimsoll.toml` (`-` reads it from
    /// standard input).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Use no configuration file at all (built-in defaults).
    #[arg(long)]
    pub no_config: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Human,
    Json,
    Sarif,
    /// JUnit XML (CI test-report views).
    Junit,
    /// GitLab Code Quality JSON.
    Gitlab,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

fn parse_severity(s: &str) -> Result<plimsoll_core::Severity, String> {
    s.parse::<plimsoll_core::Severity>()
        .map_err(|_| "expected critical, high, medium, low or info".to_string())
}

fn parse_fail_on(s: &str) -> Result<FailOn, String> {
    s.parse::<FailOn>()
        .map_err(|_| "expected critical, high, medium, low, info or never".to_string())
}
