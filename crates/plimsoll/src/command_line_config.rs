//! The configuration flags every audit command takes (`--ignore RULE`, `--trusted-registry
//! HOST`): they add to what `.plimsoll.toml` says, so a one-off run can silence a rule or trust a
//! registry without editing the file, and a CI job can pass them without one.
//!
//! Applied where the configuration is resolved (`prepare::prepare`), after the file was read
//! and validated, so every command treats them alike and the rules see one configuration.

use crate::cli::CommonArgs;
use crate::error::Fatal;
use crate::registry::{lookup, Lookup};
use plimsoll_core::config::Config;
use plimsoll_core::Registry;

/// Adds `--ignore` (resolved to plimsoll ids) to `[rules] disable` and `--trusted-registry` to
/// `[images] trusted-registries`. An unknown rule is a usage error with the closest ids.
pub fn apply(common: &CommonArgs, config: &mut Config, registry: &Registry) -> Result<(), Fatal> {
    for key in &common.ignore {
        let rules = match lookup(registry, key) {
            Lookup::Rule(rule) => vec![rule],
            Lookup::Foreign(rules) => rules,
            // A retired id means its replacement; one without a replacement has nothing left
            // to silence.
            Lookup::Retired { now, .. } => now.into_iter().collect(),
            Lookup::Unknown { suggestions } => {
                let mut fatal = crate::commands::rules::unknown_rule(key, &suggestions);
                fatal.message = format!("--ignore: {}", fatal.message);
                return Err(fatal);
            }
        };
        for rule in rules {
            if !config.rules.disable.iter().any(|d| d == rule.id) {
                config.rules.disable.push(rule.id.to_string());
            }
        }
    }
    for host in &common.trusted_registries {
        let host = host.trim();
        if host.is_empty() {
            return Err(Fatal::new("--trusted-registry needs a registry host")
                .hint("e.g. --trusted-registry ghcr.io/my-org"));
        }
        if !config.images.trusted_registries.iter().any(|r| r == host) {
            config.images.trusted_registries.push(host.to_string());
        }
    }
    Ok(())
}
