//! `.plimsoll.toml`: found from the audited target upward, strict (unknown keys are errors that
//! name the file and line), and applied after the rules ran (rules stay pure; they only read the
//! [`ImagePolicy`] part, passed in as data).

use crate::{FailOn, Finding, Pos, Registry, Severity};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The config file name searched for.
pub const CONFIG_FILE: &str = ".plimsoll.toml";

/// The largest configuration read: a thousand times a long real one.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// The whole configuration file.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Default `--fail-on` threshold.
    pub fail_on: Option<FailOn>,
    #[serde(default)]
    pub rules: RulesConfig,
    #[serde(default)]
    pub paths: PathsConfig,
    #[serde(default)]
    pub images: ImagePolicy,
    /// Baseline file (relative to the config file): findings recorded there are not reported.
    pub baseline: Option<PathBuf>,
    /// Where the config was loaded from (not a key in the file).
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

/// `[rules]`: which rules run and at what severity.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RulesConfig {
    /// Rule ids or names never reported.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Severity overrides: `DF003 = "low"`.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
}

/// `[paths]`: files never audited.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PathsConfig {
    /// Glob patterns relative to the config file's directory (`vendor/**`, `**/testdata/**`).
    #[serde(default)]
    pub ignore: Vec<String>,
}

/// `[images]`: the base-image policy the Dockerfile and RunSpec rules read.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ImagePolicy {
    /// Registries images may come from (`docker.io`, `ghcr.io/my-org`). Empty: no check.
    #[serde(default)]
    pub trusted_registries: Vec<String>,
    /// Base images that are trusted regardless of registry, as repository globs
    /// (`debian`, `gcr.io/distroless/*`). Empty: no check.
    #[serde(default)]
    pub trusted_bases: Vec<String>,
    /// Whether base images must be pinned by digest (`@sha256:…`). On by default.
    #[serde(default = "default_true")]
    pub require_digest: bool,
}

fn default_true() -> bool {
    true
}

impl Default for ImagePolicy {
    fn default() -> Self {
        ImagePolicy {
            trusted_registries: Vec::new(),
            trusted_bases: Vec::new(),
            require_digest: true,
        }
    }
}

/// A configuration problem: the file, the line and column when known, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}{}: {message}", line.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default())]
pub struct ConfigError {
    pub path: String,
    pub line: Option<(u32, u32)>,
    pub message: String,
}

impl Config {
    /// Parses a config file's text. `path` is used for error messages and relative paths.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|span| {
                let at = Pos::at_byte(text, span.start);
                (at.line, at.column)
            });
            ConfigError {
                path: path.display().to_string(),
                line,
                message: e.message().trim().to_string(),
            }
        })?;
        config.source = Some(path.to_path_buf());
        Ok(config)
    }

    /// Finds `.plimsoll.toml` in `start` (a file's directory or a directory) or any ancestor,
    /// and loads it. `Ok(None)` when there is none.
    pub fn discover(start: &Path) -> Result<Option<Config>, ConfigError> {
        let start = if start.is_file() {
            start.parent().unwrap_or(Path::new("."))
        } else {
            start
        };
        let absolute = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
        for dir in absolute.ancestors() {
            let candidate = dir.join(CONFIG_FILE);
            if candidate.is_file() {
                return Self::load(&candidate).map(Some);
            }
        }
        Ok(None)
    }

    /// Loads one config file, refusing anything that is not a regular file or is larger than
    /// [`MAX_CONFIG_BYTES`] (`--config /dev/zero` must not read forever).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let error = |message: String| ConfigError {
            path: path.display().to_string(),
            line: None,
            message,
        };
        let meta =
            std::fs::metadata(path).map_err(|e| error(format!("cannot read config: {e}")))?;
        if !meta.is_file() {
            return Err(error("cannot read config: not a regular file".to_string()));
        }
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut std::io::Read::take(
                std::fs::File::open(path).map_err(|e| error(format!("cannot read config: {e}")))?,
                MAX_CONFIG_BYTES + 1,
            ),
            &mut text,
        )
        .map_err(|e| error(format!("cannot read config: {e}")))?;
        if text.len() as u64 > MAX_CONFIG_BYTES {
            return Err(error(format!(
                "cannot read config: larger than {} KiB",
                MAX_CONFIG_BYTES / 1024
            )));
        }
        Self::parse(&text, path)
    }

    /// The directory paths in the config are relative to.
    pub fn base_dir(&self) -> PathBuf {
        self.source
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    }

    /// Checks that every rule id or name the config mentions exists (or did: a retired id is
    /// accepted, and means its replacement if it has one).
    pub fn validate(&self, registry: &Registry) -> Result<(), ConfigError> {
        let path = self
            .source
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| CONFIG_FILE.to_string());
        for key in self.rules.disable.iter().chain(self.rules.severity.keys()) {
            if registry.get(key).is_none() && registry.retired(key).is_none() {
                return Err(ConfigError {
                    path,
                    line: None,
                    message: format!(
                        "unknown rule `{key}` in [rules] (see `plimsoll rules` for the list)"
                    ),
                });
            }
        }
        Ok(())
    }

    /// A matcher for `[paths] ignore`, relative to the config's directory.
    pub fn ignore_matcher(&self) -> Result<globset::GlobSet, ConfigError> {
        let mut builder = globset::GlobSetBuilder::new();
        for pattern in &self.paths.ignore {
            let glob = globset::Glob::new(pattern).map_err(|e| ConfigError {
                path: self
                    .source
                    .as_deref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                line: None,
                message: format!("invalid ignore pattern `{pattern}`: {e}"),
            })?;
            builder.add(glob);
        }
        builder.build().map_err(|e| ConfigError {
            path: CONFIG_FILE.to_string(),
            line: None,
            message: e.to_string(),
        })
    }

    /// Whether `path` (as discovered) is ignored by `[paths] ignore`.
    pub fn is_path_ignored(&self, matcher: &globset::GlobSet, path: &Path) -> bool {
        if matcher.is_empty() {
            return false;
        }
        let base = self.base_dir();
        let abs_base = std::fs::canonicalize(&base).unwrap_or(base);
        let abs_path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let relative = abs_path.strip_prefix(&abs_base).unwrap_or(path);
        matcher.is_match(relative) || matcher.is_match(path)
    }

    /// Applies rule disabling and severity overrides to findings (after the rules ran).
    pub fn apply(&self, registry: &Registry, findings: &mut Vec<Finding>) {
        let disabled: Vec<&str> = self
            .rules
            .disable
            .iter()
            .filter_map(|key| registry.get(key).map(|r| r.id))
            .collect();
        findings.retain(|f| !disabled.contains(&f.rule_id));
        for (key, severity) in &self.rules.severity {
            if let Some(rule) = registry.get(key) {
                for f in findings.iter_mut().filter(|f| f.rule_id == rule.id) {
                    f.severity = *severity;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_file_and_line() {
        let err = Config::parse(
            "[rules]\ndisable = []\nbogus = 1\n",
            Path::new("x/.plimsoll.toml"),
        )
        .unwrap_err();
        assert_eq!(err.line.map(|l| l.0), Some(3));
        assert!(err.to_string().starts_with("x/.plimsoll.toml:3:"), "{err}");
        assert!(err.message.contains("bogus"), "{}", err.message);
    }

    #[test]
    fn parses_full_config() {
        let text = r#"
fail-on = "medium"
baseline = "baseline.json"
[rules]
disable = ["DF010"]
severity = { DF003 = "low" }
[paths]
ignore = ["vendor/**"]
[images]
trusted-registries = ["docker.io"]
trusted-bases = ["gcr.io/distroless/*"]
require-digest = false
"#;
        let config = Config::parse(text, Path::new(".plimsoll.toml")).unwrap();
        assert_eq!(config.fail_on, Some(FailOn::Severity(Severity::Medium)));
        assert_eq!(config.rules.severity.get("DF003"), Some(&Severity::Low));
        assert!(!config.images.require_digest);
        assert_eq!(config.paths.ignore, vec!["vendor/**"]);
        assert!(ImagePolicy::default().require_digest);
    }
}
