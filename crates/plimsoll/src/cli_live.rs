//! Command-line shapes of the live audit (`containers`, `host`, `bench`).

use crate::common_args::{CommonArgs, FormatArg};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

/// How long to wait for the engine: shared by `containers`, `host` and `bench`.
#[derive(Debug, Clone, Args)]
pub struct EngineArgs {
    /// The longest one Engine API call may take before the daemon is reported as not
    /// answering (`10s`, `1500ms`, `2m`, `1m30s`; a bare number is seconds). One whole
    /// collection (all the inspects of a scan) may take six times as long.
    #[arg(long, value_name = "DURATION", value_parser = parse_timeout, default_value = "10s")]
    pub timeout: Duration,
}

/// `10s`, `1500ms`, `2m`, `1m30s`, `0.5s`, `1h`, or a bare number of seconds: a Go duration
/// (`trivy --timeout 5m0s`), read by the parser docker's own duration flags go through; at
/// most one day.
fn parse_timeout(text: &str) -> Result<Duration, String> {
    let s = text.trim();
    if let Ok(secs) = s.parse::<f64>() {
        return checked_timeout(secs, text);
    }
    match plimsoll_runspec::cli::parse_go_duration(s) {
        Some(nanos) => checked_timeout(nanos as f64 / 1e9, text),
        None => Err(format!(
            "invalid duration `{text}`: expected a number with a unit, such as 10s, 1500ms, 2m or 1m30s"
        )),
    }
}

fn checked_timeout(secs: f64, text: &str) -> Result<Duration, String> {
    if !secs.is_finite() || secs <= 0.0 {
        return Err(format!(
            "invalid duration `{text}`: a timeout must be more than 0"
        ));
    }
    if secs > 86_400.0 {
        return Err(format!("invalid duration `{text}`: at most 24h"));
    }
    Ok(Duration::from_secs_f64(secs))
}

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
    pub engine: EngineArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

const CONTAINERS_HELP: &str = "\
The engine is found as the docker CLI finds it: DOCKER_HOST (unix://, tcp:// with TLS from
DOCKER_TLS_VERIFY and DOCKER_CERT_PATH), else /var/run/docker.sock. Everything is read through
the Engine API (list, inspect, image inspect, top); nothing is executed in the containers and
nothing is changed. Findings point at `container:<name>`.

Exit status:
  0 no finding at or above --fail-on; 1 some finding at or above it; 2 the engine is unreachable
  (or not a Docker Engine), or a container named on the command line does not exist or could
  not be inspected (a typo in CI fails the run): the report of the others is written first.
  With --allow-partial, a run that audited some container exits by its findings. Containers
  that are removed during a scan of all of them are listed as warnings; those that could not be
  inspected as errors, and the findings decide.";

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
#[command(after_long_help = HOST_HELP)]
pub struct HostArgs {
    #[command(flatten)]
    pub read: HostReadArgs,
    #[command(flatten)]
    pub engine: EngineArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

const HOST_HELP: &str = "\
Exit status:
  0 no finding at or above --fail-on; 1 some finding at or above it; 2 --host-root is not a
  host's root directory (it does not exist, or has no etc/), or a usage or configuration error.
  An engine that cannot be reached is reported as an error and the host's files are still
  audited.";

/// Report formats of `plimsoll bench`: plimsoll's report formats, where `human` is the
/// docker-bench-security-like text, plus docker-bench-security's own JSON log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BenchFormat {
    /// The docker-bench-security-like text report (`PASS`/`WARN` per check, `Score:`).
    Human,
    /// docker-bench-security's JSON log layout.
    DockerBenchJson,
    /// plimsoll's report of the findings behind the checks, as every audit command writes it.
    Report(FormatArg),
}

impl BenchFormat {
    /// The values `--format` accepts: every report format, `docker-bench-json`, and `text`
    /// (hidden), the old name of `human`, so scripts written for it keep working.
    fn parser() -> impl TypedValueParser<Value = BenchFormat> {
        let mut values: Vec<PossibleValue> = FormatArg::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .collect();
        values.push(
            PossibleValue::new("docker-bench-json").help("docker-bench-security's JSON log layout"),
        );
        values.push(PossibleValue::new("text").hide(true));
        PossibleValuesParser::new(values).map(|name: String| BenchFormat::named(&name))
    }

    /// The format of a value the parser accepted.
    fn named(name: &str) -> BenchFormat {
        match name.to_ascii_lowercase().as_str() {
            "text" | "human" => BenchFormat::Human,
            "docker-bench-json" => BenchFormat::DockerBenchJson,
            other => match FormatArg::from_str(other, true) {
                Ok(FormatArg::Human) | Err(_) => BenchFormat::Human,
                Ok(f) => BenchFormat::Report(f),
            },
        }
    }
}

/// `plimsoll bench`.
///
/// It takes the shared options of every audit command ([`CommonArgs`]), but its `--format`
/// knows one more value (docker-bench's JSON): the shared `--format` is renamed out of the way
/// and hidden (`mut_arg`), and bench's own `--format` below stands in for it.
#[derive(Debug, Args)]
#[command(after_long_help = BENCH_HELP)]
#[command(mut_arg("format", |a| a.long("report-format").hide(true)))]
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
    #[command(flatten)]
    pub engine: EngineArgs,
    /// Report format: `human`, the docker-bench-security-like text report; `json`, `sarif`
    /// (and plimsoll's other report formats): the findings behind the checks, as every audit
    /// command reports them; `docker-bench-json`: docker-bench-security's JSON log.
    #[arg(
        long = "format",
        id = "bench_format",
        value_name = "FORMAT",
        ignore_case = true,
        value_parser = BenchFormat::parser(),
        default_value = "human"
    )]
    pub format: BenchFormat,
    #[command(flatten)]
    pub common: CommonArgs,
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

Exit status (as every audit command):
  0 no finding at or above --fail-on; 1 some finding at or above it (the RS findings of the
  containers and the DM/HS findings of the daemon and host behind the WARNs; the configuration's
  rules and the baseline apply); 2 the engine could not be reached, --host-root is not a host's
  root, or a usage or configuration error.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_timeouts_read_like_go_durations() {
        let ok = |s: &str| parse_timeout(s).ok();
        assert_eq!(ok("10s"), Some(Duration::from_secs(10)));
        assert_eq!(ok("10"), Some(Duration::from_secs(10)));
        assert_eq!(ok("1500ms"), Some(Duration::from_millis(1500)));
        assert_eq!(ok("2m"), Some(Duration::from_secs(120)));
        assert_eq!(ok("1m30s"), Some(Duration::from_secs(90)));
        assert_eq!(ok("0.5s"), Some(Duration::from_millis(500)));
        assert_eq!(ok("1h"), Some(Duration::from_secs(3600)));
        for bad in [
            "", "0", "0s", "-1s", "10x", "s", "1.2.3s", "2d", "25h", "nan", "inf",
        ] {
            assert!(parse_timeout(bad).is_err(), "{bad:?}");
        }
        assert!(parse_timeout("10x").is_err_and(|e| e.contains("such as 10s")));
    }

    #[test]
    fn bench_formats_are_the_report_formats_plus_docker_bench_json() {
        assert_eq!(BenchFormat::named("human"), BenchFormat::Human);
        assert_eq!(BenchFormat::named("TEXT"), BenchFormat::Human);
        assert_eq!(
            BenchFormat::named("docker-bench-json"),
            BenchFormat::DockerBenchJson
        );
        assert_eq!(
            BenchFormat::named("json"),
            BenchFormat::Report(FormatArg::Json)
        );
        assert_eq!(
            BenchFormat::named("Sarif"),
            BenchFormat::Report(FormatArg::Sarif)
        );
    }
}
