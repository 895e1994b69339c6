//! Command-line shapes of the live audit (`containers`, `host`, `bench`).

use crate::cli::CommonArgs;
use clap::Args;

/// `plimsoll containers [NAME|ID…] [--all]`.
#[derive(Debug, Args)]
pub struct ContainersArgs {
    /// Containers to audit, by name or id [default: every running container].
    #[arg(value_name = "NAME|ID")]
    pub containers: Vec<String>,
    /// Also audit stopped containers.
    #[arg(long, short = 'a')]
    pub all: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `plimsoll host`.
#[derive(Debug, Args)]
pub struct HostArgs {
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `plimsoll bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    #[command(flatten)]
    pub common: CommonArgs,
}
