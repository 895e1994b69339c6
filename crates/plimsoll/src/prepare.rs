//! Resolving what a run uses: the configuration (given, discovered or none), the `--fail-on`
//! threshold and the baseline. Command-line flags override the configuration.
//!
//! One configuration applies to a whole run. It is discovered from the directory the run is
//! about: `scan DIR` looks in DIR and its ancestors; `dockerfile FILE…` starts at the deepest
//! directory containing every named file (a single file's own directory); standard input
//! starts at the working directory.

use crate::cli::ConfigArgs;
use crate::error::Fatal;
use crate::input::{MAX_INPUT_BYTES, STDIN_NAME};
use plimsoll_core::config::{Config, ConfigError};
use plimsoll_core::suppression::{Baseline, BASELINE_VERSION};
use plimsoll_core::{FailOn, Registry};
use std::path::{Component, Path, PathBuf};

/// The configuration of a run and where it came from.
pub struct Loaded {
    pub config: Config,
    /// `[paths] ignore` compiled once.
    pub ignore: globset::GlobSet,
}

/// Loads the configuration: `--config FILE`, none with `--no-config`, else `.plimsoll.toml`
/// found from `start` upward. Unknown keys and unknown rule ids are errors (exit 2).
pub fn load_config(args: &ConfigArgs, start: &Path, registry: &Registry) -> Result<Loaded, Fatal> {
    let config = if args.no_config {
        Config::default()
    } else if let Some(path) = &args.config {
        if is_stdin(path) {
            Config::parse(&read_stdin("configuration")?, path).map_err(config_error)?
        } else {
            Config::load(path).map_err(config_error)?
        }
    } else {
        Config::discover(start)
            .map_err(config_error)?
            .unwrap_or_default()
    };
    config.validate(registry).map_err(config_error)?;
    let ignore = config.ignore_matcher().map_err(config_error)?;
    Ok(Loaded { config, ignore })
}

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN_NAME
}

/// Reads a configuration or baseline given as `-` from standard input, within the input limit.
fn read_stdin(what: &str) -> Result<String, Fatal> {
    let bytes =
        crate::input::read_up_to(std::io::stdin().lock(), None, MAX_INPUT_BYTES).map_err(|e| {
            match e.kind() {
                std::io::ErrorKind::FileTooLarge => Fatal::new(format!(
                    "the {what} on standard input is larger than plimsoll's input limit"
                )),
                _ => Fatal::new(format!("cannot read the {what} from standard input: {e}")),
            }
        })?;
    String::from_utf8(bytes).map_err(|_| {
        Fatal::new(format!(
            "cannot read the {what} from standard input: stream did not contain valid UTF-8"
        ))
    })
}

/// Standard input can be read once: as one input, the configuration or the baseline. Naming it
/// twice is a usage error.
pub fn check_stdin_once(
    paths: &[PathBuf],
    config: &ConfigArgs,
    baseline: Option<&Path>,
) -> Result<(), Fatal> {
    let as_input = paths.iter().filter(|p| is_stdin(p)).count();
    if as_input > 1 {
        return Err(Fatal::new("`-` (standard input) can be given only once"));
    }
    let uses = as_input
        + usize::from(config.config.as_deref().is_some_and(is_stdin))
        + usize::from(baseline.is_some_and(is_stdin));
    if uses > 1 {
        return Err(Fatal::new(
            "`-` (standard input) can be given only once: as one input, --config or --baseline",
        ));
    }
    Ok(())
}

fn config_error(err: ConfigError) -> Fatal {
    Fatal::new(format!("invalid configuration: {err}"))
        .hint("see the configuration section of the README for the accepted keys")
}

/// Where configuration discovery starts for a set of command-line paths: the deepest directory
/// that contains all of them (directories count as themselves, files as their parent, `-` as the
/// working directory).
pub fn discovery_start(paths: &[PathBuf]) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut common: Option<PathBuf> = None;
    for path in paths {
        let dir = if path.as_os_str() == STDIN_NAME {
            cwd.clone()
        } else {
            let absolute = normalise(&cwd.join(path));
            if absolute.is_dir() {
                absolute
            } else {
                absolute
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| cwd.clone())
            }
        };
        common = Some(match common {
            None => dir,
            Some(prev) => common_ancestor(&prev, &dir),
        });
    }
    common.unwrap_or(cwd)
}

/// Removes `.` and folds `..` lexically (the paths may not exist, so no canonicalize).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn common_ancestor(a: &Path, b: &Path) -> PathBuf {
    a.components()
        .zip(b.components())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect()
}

/// What every auditing command settles before auditing: the configuration, the baseline, the
/// `--fail-on` threshold, and warnings about them to print with the report.
pub struct Prepared {
    pub loaded: Loaded,
    pub baseline: Option<Baseline>,
    pub threshold: FailOn,
    pub warnings: Vec<String>,
}

/// Resolves configuration (discovered from `paths`), baseline and threshold from the common
/// flags — one place, so every command treats them alike.
pub fn prepare(
    common: &crate::cli::CommonArgs,
    paths: &[PathBuf],
    registry: &Registry,
) -> Result<Prepared, Fatal> {
    check_stdin_once(paths, &common.config, common.baseline.as_deref())?;
    let mut loaded = load_config(&common.config, &discovery_start(paths), registry)?;
    crate::command_line_config::apply(common, &mut loaded.config, registry)?;
    let mut warnings = Vec::new();
    let baseline = load_baseline(
        common.baseline.as_deref(),
        common.no_baseline,
        &loaded.config,
        &mut warnings,
    )?;
    let threshold = fail_on(common.fail_on, &loaded.config);
    Ok(Prepared {
        loaded,
        baseline,
        threshold,
        warnings,
    })
}

impl Prepared {
    /// Applies the baseline, sorts, and returns the exit status the findings call for: the
    /// part of [`Prepared::finish`] that a command writing its own report layout (`bench`'s
    /// docker-bench formats) shares with every other.
    pub fn judge(&self, report: &mut plimsoll_core::Report) -> u8 {
        if let Some(baseline) = &self.baseline {
            baseline.apply(&mut report.findings);
        }
        report.sort();
        u8::try_from(report.exit_code(self.threshold)).unwrap_or(crate::error::EXIT_ERROR)
    }

    /// Applies the baseline, sorts and writes the report, and returns the exit status its
    /// findings call for (callers decide the "nothing audited" cases before or after).
    pub fn finish(
        &self,
        report: &mut plimsoll_core::Report,
        registry: &Registry,
        common: &crate::cli::CommonArgs,
    ) -> Result<u8, Fatal> {
        // The exit status counts every finding; `--severity` only narrows what is shown.
        let status = self.judge(report);
        let hidden = crate::display_filter::apply(report, common, self.threshold);
        crate::output::emit(report, registry, common, &self.warnings)?;
        if let Some(note) = crate::display_filter::note(hidden, common, self.threshold) {
            eprintln!("plimsoll: note: {note}");
        }
        Ok(status)
    }
}

/// `--fail-on`, else the config's `fail-on`, else `high`.
pub fn fail_on(flag: Option<FailOn>, config: &Config) -> FailOn {
    flag.or(config.fail_on).unwrap_or_default()
}

/// The baseline to apply: `--baseline FILE` (must exist), none with `--no-baseline`, else the
/// config's `baseline` (relative to the config file; when it does not exist yet, a warning, so
/// that naming it in the config before running `plimsoll baseline` is not an error).
fn load_baseline(
    flag: Option<&Path>,
    no_baseline: bool,
    config: &Config,
    warnings: &mut Vec<String>,
) -> Result<Option<Baseline>, Fatal> {
    if no_baseline {
        return Ok(None);
    }
    if let Some(path) = flag {
        return read_baseline(path, warnings).map(Some);
    }
    let Some(path) = config_baseline_path(config) else {
        return Ok(None);
    };
    if !path.exists() {
        warnings.push(format!(
            "baseline {} (named in {}) does not exist yet; every finding is reported (create it with `plimsoll baseline`)",
            path.display(),
            config
                .source
                .as_deref()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        ));
        return Ok(None);
    }
    read_baseline(&path, warnings).map(Some)
}

/// The config's `baseline`, resolved against the config file's directory.
pub fn config_baseline_path(config: &Config) -> Option<PathBuf> {
    config.baseline.as_ref().map(|p| config.base_dir().join(p))
}

/// The largest baseline read: 64 MiB, about 250,000 accepted findings.
pub const MAX_BASELINE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a baseline of version 1 or 2. A version-1 baseline (no occurrence counts) accepts any
/// number of copies of each recorded finding, as it did; a warning suggests regenerating it.
fn read_baseline(path: &Path, warnings: &mut Vec<String>) -> Result<Baseline, Fatal> {
    let text = if is_stdin(path) {
        read_stdin("baseline")?
    } else {
        crate::input::read_bounded(path, MAX_BASELINE_BYTES)
            .and_then(|bytes| {
                String::from_utf8(bytes)
                    .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
            })
            .map_err(|e| {
                Fatal::new(format!("cannot read baseline {}: {e}", path.display()))
                    .hint("create one with `plimsoll baseline`, or pass --no-baseline")
            })?
    };
    let baseline: Baseline = serde_json::from_str(&text).map_err(|e| {
        Fatal::new(format!(
            "invalid baseline {}:{}:{}: {e}",
            path.display(),
            e.line(),
            e.column()
        ))
        .hint("regenerate it with `plimsoll baseline`")
    })?;
    if !(1..=BASELINE_VERSION).contains(&baseline.version) {
        return Err(Fatal::new(format!(
            "baseline {} has version {}, this plimsoll reads versions 1 to {BASELINE_VERSION}",
            path.display(),
            baseline.version
        ))
        .hint("regenerate it with this plimsoll's `plimsoll baseline`"));
    }
    if baseline.version == 1 {
        warnings.push(format!(
            "baseline {} is version 1, which records no occurrence counts: any number of copies \
of a recorded finding is accepted; regenerate it with `plimsoll baseline` so that new copies fail",
            path.display()
        ));
    }
    Ok(baseline)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_starts_at_the_common_directory() {
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(discovery_start(&[PathBuf::from("-")]), cwd);
        assert_eq!(
            discovery_start(&[
                PathBuf::from("a/b/Dockerfile"),
                PathBuf::from("a/c/Dockerfile")
            ]),
            cwd.join("a")
        );
        assert_eq!(
            discovery_start(&[PathBuf::from("./x/../a/Dockerfile")]),
            cwd.join("a")
        );
    }
}
