//! The command line, as clap derive types. Only the shape of the CLI lives here: what each flag
//! means is resolved in `prepare` (config files, defaults) and acted on in `commands`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

pub use crate::common_args::{ColorArg, CommonArgs, ConfigArgs, FormatArg};

/// Audit Docker container security: Dockerfiles, compose files and `docker run` lines, running
/// containers, the daemon and the host (the CIS Docker Benchmark).
///
/// Each finding says what is wrong on which line, why it matters (the attack it enables) and
/// how to fix it; `plimsoll rules explain ID` tells the whole story of a rule.
///
/// Exit status: 0 when nothing reaches `--fail-on`, 1 when a finding does, 2 when an input
/// could not be audited (usage error, missing, unreadable or malformed input, bad
/// configuration; `--allow-partial` lets the findings decide when some inputs were audited).
#[derive(Debug, Parser)]
#[command(
    name = "plimsoll",
    version,
    propagate_version = true,
    max_term_width = 100,
    after_long_help = EXAMPLES_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find every Dockerfile, compose project and script with `docker run` lines under each
    /// PATH (default `.`; honouring .gitignore) and audit them together.
    #[command(after_long_help = SCAN_HELP)]
    Scan(ScanArgs),
    /// Audit the given Dockerfiles; `-` reads one from standard input.
    #[command(after_long_help = FILES_HELP)]
    Dockerfile(FilesArgs),
    /// Audit a compose project (its services and the Dockerfiles they build), loaded as
    /// `docker compose` loads it.
    #[command(after_long_help = COMPOSE_HELP)]
    Compose(ComposeArgs),
    /// Audit one `docker run`/`docker create` command line: `plimsoll run -- docker run …`.
    #[command(after_long_help = RUN_HELP)]
    Run(RunArgs),
    /// Audit the containers of a Docker Engine (read-only, through its API).
    Containers(crate::cli_live::ContainersArgs),
    /// Audit the Docker daemon's configuration and the host it runs on.
    Host(crate::cli_live::HostArgs),
    /// Run the CIS Docker Benchmark (sections 1–6) with a docker-bench-security-like report.
    Bench(crate::cli_live::BenchArgs),
    /// What isolation a container really has: probe this one, or launch IMAGE with the
    /// static probe and set what the kernel enforced beside what the configuration promises.
    Probe(crate::commands::probe::ProbeArgs),
    /// List the rules, or explain one (`plimsoll rules explain DF001`).
    Rules(RulesArgs),
    /// Record the current findings in a baseline file, so later runs report only new ones.
    #[command(after_long_help = BASELINE_HELP)]
    Baseline(BaselineArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_long_help = COMPLETIONS_HELP)]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), or write one page per command with --dir.
    #[command(after_long_help = MAN_HELP)]
    Man(ManArgs),
}

const COMPLETIONS_HELP: &str = "\
Install, for example:
  bash:        plimsoll completions bash > ~/.local/share/bash-completion/completions/plimsoll
  zsh:         plimsoll completions zsh > ~/.zfunc/_plimsoll   (with fpath+=~/.zfunc)
  fish:        plimsoll completions fish > ~/.config/fish/completions/plimsoll.fish
  elvish:      plimsoll completions elvish >> ~/.config/elvish/rc.elv
  powershell:  plimsoll completions powershell >> $PROFILE";

const MAN_HELP: &str = "\
Read it with `plimsoll man | man -l -`. With --dir DIR, writes plimsoll.1 and one page per
command (plimsoll-scan.1, …) into DIR, for example to install them:
  plimsoll man --dir /usr/local/share/man/man1";

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, ignore_case = true)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write plimsoll.1 and one page per command into this directory instead of printing
    /// plimsoll.1 to standard output.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

const EXAMPLES_HELP: &str = "\
Examples:
  plimsoll scan                          everything under the current directory
  plimsoll scan --format sarif -o plimsoll.sarif --fail-on never
  plimsoll compose -f compose.yaml -f compose.prod.yaml
  plimsoll run -- docker run --privileged -v /:/host alpine
  plimsoll containers                    the running containers of the local engine
  plimsoll bench                         the CIS Docker Benchmark, docker-bench-security style
  plimsoll rules explain DF001           what a rule checks, why, and how to fix it

`plimsoll COMMAND --help` describes each command in full.";

const SCAN_HELP: &str = "\
Discovery:
  Dockerfiles: files whose names start with Dockerfile or Containerfile (Dockerfile.prod,
  Dockerfile-dev, Dockerfile_prod, Dockerfile2, Containerfile-arm64; lower-case dockerfile and
  containerfile when alone or followed by `.`, `-`, `_` or a digit), and *.Dockerfile,
  *.dockerfile, *.Containerfile; except *.dockerignore, documentation (*.md, *.txt, …), editor
  leftovers (*.orig, *.bak, *~), templates (*.template, *.tmpl, *.j2, *.in) and code or data
  named after them (dockerfile_test.go, *.sh, *.json, *.yaml).
  Compose projects: compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml (with
  their .override file merged, as `docker compose` does) and variants such as
  docker-compose.prod.yml (audited alone, or merged onto the base file beside them when they do
  not stand alone). Services are shown with the findings of the Dockerfiles they build.
  `docker run`/`docker create` lines in shell scripts (*.sh, *.bash), Makefiles (Makefile,
  *.mk) and CI workflows (.github/workflows/*.yml, .gitlab-ci.yml), best effort.
  .gitignore, .ignore and
  git's excludes are honoured (inside a git repository or not) for files git does not track:
  in a git work tree, a committed file is audited even when it matches .gitignore (git ignores
  only untracked files). Hidden directories are searched (.devcontainer/), .git, .hg and .svn
  are not; symbolic links are not followed. The configuration's [paths] ignore globs skip
  discovered files. Several PATHs may be given: directories are searched, files audited as
  given (as the first kind whose names they match, else as a Dockerfile), `-` read from
  standard input as a Dockerfile.

Configuration:
  .plimsoll.toml is looked for in DIR and its parents (see --config, --no-config).

Exit status:
  0 no finding at or above --fail-on; 1 some finding at or above it; 2 an input could not be
  audited: a usage or configuration error, a PATH that does not exist, a discovered file that is
  unreadable or malformed (BuildKit or compose would refuse it too), a directory that could not
  be searched, or nothing found (asking to audit a directory that has none is treated as a
  mistake). The report of everything else is written first. With --allow-partial, a run that
  audited something exits by its findings; the failures are still listed in the report and on
  standard error.

Limits:
  Inputs larger than 4 MiB, and Dockerfiles of more than 100,000 instructions, are refused
  with a message; anything smaller is audited. Only the first 100 findings of each rule in one
  file are listed in full; the others are folded into one finding per rule and severity that
  says how many it stands for, which keeps memory bounded whatever the number of findings.
  The exit status, baselines and the summary count every folded finding.";

const FILES_HELP: &str = "\
Each FILE is audited as a Dockerfile whatever its name ([paths] ignore does not apply to files
named explicitly). `-` reads standard input (shown as `-` in reports), once.

Configuration:
  .plimsoll.toml is looked for from the deepest directory containing every FILE (the working
  directory for `-`) upward (see --config, --no-config).

Exit status:
  0 no finding at or above --fail-on; 1 some finding at or above it; 2 a FILE could not be
  audited (missing, not a file, unreadable, not text, malformed), or a usage or configuration
  error. The report of the other files is written first. With --allow-partial, a run that
  audited some FILE exits by its findings; the failures are still listed in the report and on
  standard error.

Limits:
  Inputs larger than 4 MiB, and Dockerfiles of more than 100,000 instructions, are refused
  with a message; anything smaller is audited. Only the first 100 findings of each rule in one
  file are listed in full; the others are folded into one finding per rule and severity (the
  exit status, baselines and the summary count every one).";

const BASELINE_HELP: &str = "\
The baseline lists the fingerprint of every finding that is active now (inline pragmas and the
configuration's [rules] already applied; an existing baseline is not) and how many times it
occurs. Later runs given it with --baseline FILE, or `baseline = \"FILE\"` in .plimsoll.toml,
mark that many copies of each as suppressed and fail only on new findings, including new copies
of an accepted one (a second identical `curl … | sh` line). The file is written as version 2;
version-1 baselines (no counts) are still read, accepting any number of copies, with a warning.
A fingerprint is the rule, the file path as reported and a line-independent key, so moving
lines keeps it; run the baseline and later audits from the same directory with the same path
arguments (e.g. both `plimsoll scan` at the repository root).

Exit status: 0 written; 2 nothing to baseline, or some inputs could not be audited (the baseline
is still written for the others). `-o -` prints the baseline on standard output.";

const COMPOSE_HELP: &str = "\
Loading:
  As `docker compose` does (the Compose Specification): without -f, the first of compose.yaml,
  compose.yml, docker-compose.yaml, docker-compose.yml in the project directory (or the working
  directory) plus its .override file; several -f files are merged in order; `${VAR}` is
  interpolated from the environment and the project's .env (or --env-file); `extends`, `include`
  and YAML anchors/merge keys are resolved; services with `profiles:` are audited only when a
  profile is enabled (--profile, or COMPOSE_PROFILES; `*` enables all).

  Differences from docker compose, on purpose: an `env_file` that does not exist is a warning,
  not an error (repositories rarely ship their .env); unknown keys are warnings.

  A service that builds its image (`build:`) is judged with what its Dockerfile says: the final
  USER decides whether it runs as root, its HEALTHCHECK whether it has one. That Dockerfile is
  audited too and reported with the project.

Exit status:
  0 no finding at or above --fail-on; 1 some finding at or above it; 2 the project could not be
  loaded (a missing file, invalid YAML, a wrong type, a required variable `${X:?}` unset), or
  (without --allow-partial) part of it could not be audited.";

const RUN_HELP: &str = "\
Give the command after `--`, as you would run it:

  plimsoll run -- docker run --privileged -v /var/run/docker.sock:/var/run/docker.sock nginx

Every flag is read with the Docker CLI's own rules (`--flag=value`, `--flag value`, short
clusters such as `-it`); what follows the image is the container's command and is not read as
flags. `docker create`, `docker container run|create` and global options before the subcommand
(`docker -H … run`) are accepted. Nothing is run.

Exit status:
  0 no finding at or above --fail-on; 1 some finding at or above it; 2 the command could not be
  read (not a docker run/create command, an unknown flag, a malformed value).";

#[derive(Debug, Args)]
pub struct ComposeArgs {
    /// Compose files, merged in order [default: compose.yaml (or compose.yml,
    /// docker-compose.yaml, docker-compose.yml) and its .override file]; `-` reads standard input.
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Enable services of this profile (repeatable; adds to COMPOSE_PROFILES).
    #[arg(long = "profile", value_name = "PROFILE")]
    pub profiles: Vec<String>,
    /// The project directory (relative paths and .env are resolved from it) [default: the
    /// directory of the first file].
    #[arg(long, value_name = "DIR")]
    pub project_directory: Option<PathBuf>,
    /// The project name [default: the `name:` key, COMPOSE_PROJECT_NAME, or the directory name].
    #[arg(short = 'p', long, value_name = "NAME")]
    pub project_name: Option<String>,
    /// Interpolate from these files instead of the project's .env (repeatable).
    #[arg(long = "env-file", value_name = "FILE")]
    pub env_files: Vec<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// The command: `docker run …` or `docker create …` (after `--`).
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Directories to search and files to audit as given (`-`: a Dockerfile on standard
    /// input).
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct FilesArgs {
    /// Dockerfiles to audit; `-` is standard input.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub action: Option<RulesAction>,
    /// Only rules of this stage (build, run, image, packages, daemon, host, inside, meta).
    #[arg(long, value_name = "STAGE", value_parser = parse_stage)]
    pub stage: Option<plimsoll_core::Stage>,
    /// Listing format.
    #[arg(long, value_enum, ignore_case = true, default_value_t = RulesFormat::Human)]
    pub format: RulesFormat,
}

#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// Print a rule's documentation: what it checks, why, how to fix, examples, references.
    Explain {
        /// Rule id (`DF001`), name (`root-user`) or another tool's id (`DL3002`).
        rule: String,
        /// `human`: text for a terminal (wrapped, code indented); `markdown`: the Markdown
        /// source, as in docs/rules.md; `json`: as in `plimsoll rules --format json`.
        #[arg(long, value_enum, ignore_case = true, default_value_t = RulesFormat::Human)]
        format: RulesFormat,
        /// When to colour the human text (`auto`: on a terminal, unless NO_COLOR is set).
        #[arg(long, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
        color: ColorArg,
    },
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Directories to scan and files to audit [default: .].
    #[arg(value_name = "DIR|FILE")]
    pub targets: Vec<PathBuf>,
    /// Where to write the baseline [default: the config's `baseline`, else
    /// .plimsoll-baseline.json].
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Print nothing on success.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Human,
    Json,
    Markdown,
}

fn parse_stage(s: &str) -> Result<plimsoll_core::Stage, String> {
    plimsoll_core::Stage::parse(s).ok_or_else(|| {
        let all: Vec<&str> = plimsoll_core::Stage::ALL
            .iter()
            .map(|s| s.as_str())
            .collect();
        format!("expected one of: {}", all.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn help_states_the_real_input_limit() {
        let limit = format!("{} MiB", crate::input::MAX_INPUT_BYTES / (1024 * 1024));
        assert!(SCAN_HELP.contains(&limit) && FILES_HELP.contains(&limit));
        let instructions = plimsoll_dockerfile::parser::scan::MAX_INSTRUCTIONS;
        let instructions = format!(
            "{},{:03} instructions",
            instructions / 1000,
            instructions % 1000
        );
        assert!(SCAN_HELP.contains(&instructions) && FILES_HELP.contains(&instructions));
    }
}
