//! Command-line shapes of the live audit (`containers`, `host`, `bench`).

use crate::cli::{ColorArg, CommonArgs};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// `plimsoll containers [NAME|ID…] [--all] [--no-processes]`.
#[derive(Debug, Args)]
#[command(after_long_help = CONTAINERS_HELP)]
pub struct ContainersArgs {
    /// Containers to audit, by name or id [default: every running container].
    #[arg(value_name = "NAME|ID")]
    pub containers: Vec<String>,
    /// Also audit stopped containers.
    #[arg(long, short = 'a')]
    pub all: bool,
    /// Do not read the containers' processes (the engine's `top`; needed for RS034, sshd).
    #[arg(long)]
    pub no_processes: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

const CONTAINERS_HELP: &str = "\
The engine is found as the docker CLI finds it: DOCKER_HOST (unix://, tcp:// with TLS from
DOCKER_TLS_VERIFY and DOCKER_CERT_PATH), else /var/run/docker.sock. Everything is read through
the Engine API (list, inspect, image inspect, top); nothing is executed in the containers and
nothing is changed. Findings point at `container:<name>`.

Exit status:
  0 no finding at or above --fail-on; 1 some finding at or above it; 2 nothing could be audited
  (the engine is unreachable, or every container named could not be inspected). Containers that
  disappear during the scan or cannot be inspected are listed as errors and the others are
  audited.";

/// Where the host is read from and who may use the engine: shared by `host` and `bench`.
#[derive(Debug, Clone, Args)]
pub struct HostReadArgs {
    /// Read the host's files under DIR instead of `/`: `/host` when plimsoll runs in a
    /// container with the host's `/` mounted there read-only (`-v /:/host:ro`; the host's
    /// processes also need `--pid host`).
    #[arg(long, value_name = "DIR")]
    pub host_root: Option<PathBuf>,
    /// The users allowed in the `docker` group, comma-separated: any other member is a
    /// finding of CIS 1.1.2 (without this, 1.1.2 only lists the members) [docker-bench -u].
    #[arg(long, short = 'u', value_name = "USERS", value_delimiter = ',')]
    pub trusted_users: Vec<String>,
}

impl HostReadArgs {
    /// The collector's options these flags describe.
    pub fn options(&self) -> plimsoll_engine::host::HostOptions {
        let mut o = plimsoll_engine::host::HostOptions::default();
        if let Some(root) = &self.host_root {
            o.root = root.clone();
        }
        if !self.trusted_users.is_empty() {
            o.trusted_users = Some(
                self.trusted_users
                    .iter()
                    .map(|u| u.trim().to_string())
                    .filter(|u| !u.is_empty())
                    .collect(),
            );
        }
        o
    }
}

/// `plimsoll host`.
#[derive(Debug, Args)]
pub struct HostArgs {
    #[command(flatten)]
    pub read: HostReadArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Report formats of `plimsoll bench`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BenchFormat {
    /// docker-bench-security's text report.
    Text,
    /// docker-bench-security's JSON log shape.
    Json,
    /// SARIF 2.1.0 of the underlying findings.
    Sarif,
}

/// `plimsoll bench`.
#[derive(Debug, Args)]
#[command(after_long_help = BENCH_HELP)]
pub struct BenchArgs {
    /// Only these checks: CIS ids or sections, comma-separated (`5.4,5.10`, `2`, `1.1`;
    /// docker-bench's `check_5_4` is accepted) [docker-bench -c].
    #[arg(long = "check", short = 'c', value_name = "IDS", value_delimiter = ',')]
    pub check: Vec<String>,
    /// Skip these checks or sections, comma-separated [docker-bench -e].
    #[arg(long, short = 'e', value_name = "IDS", value_delimiter = ',')]
    pub exclude: Vec<String>,
    /// Only containers (and images) whose name matches one of these comma-separated patterns:
    /// a substring, or a glob with `*`/`?` matched against the whole name [docker-bench -i].
    #[arg(long, short = 'i', value_name = "PATTERNS", value_delimiter = ',')]
    pub include_containers: Vec<String>,
    /// Leave out containers (and images) whose name matches one of these patterns
    /// [docker-bench -x].
    #[arg(long, short = 'x', value_name = "PATTERNS", value_delimiter = ',')]
    pub exclude_containers: Vec<String>,
    /// Print the remediation of every check that did not pass [docker-bench -p].
    #[arg(long, short = 'p')]
    pub remediation: bool,
    #[command(flatten)]
    pub read: HostReadArgs,
    /// Report format.
    #[arg(long, value_enum, default_value_t = BenchFormat::Text)]
    pub format: BenchFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// When to colour the text report.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,
}

const BENCH_HELP: &str = "\
Runs every check of the CIS Docker Benchmark v1.6.0 as docker-bench-security 1.6.0 numbers
them (sections 1-7) and prints PASS/WARN/INFO/NOTE per check, the offending containers, images
or files below each, then `Checks: N` and `Score: S` (+1 per scored PASS, -1 per scored WARN).
Section 4 is judged from the image configs, section 5 by plimsoll's RS rules on every running
container, 5.1 and section 7 from the engine's info, sections 1-3 from the daemon and host.
A fact that cannot be read is reported as INFO \"not checked: <reason>\", never as PASS.

Self-exclusion: containers and images labelled `plimsoll.bench.ignore` (any value) are not
audited; label plimsoll's own container with it when running it in one:

  docker run --rm --pid host --net host -v /var/run/docker.sock:/var/run/docker.sock:ro \\
    -v /:/host:ro --label plimsoll.bench.ignore=1 plimsoll bench --host-root /host

Run as a non-root member of the `docker` group, the host files it cannot read (daemon.json,
audit rules, TLS keys...) are reported INFO \"not checked: permission denied\", never PASS.

Exit status:
  0 no check WARNs; 1 some check WARNs; 2 the engine could not be reached.";
