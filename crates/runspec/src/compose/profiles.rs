//! Service profiles (Compose Specification 15-profiles.md, compose-go
//! `ServiceConfig.HasProfile`): a service without `profiles` is always active; one with
//! profiles is active when one of them is enabled, or when `*` is. Enabled profiles are the
//! `--profile` flags, or else `COMPOSE_PROFILES` (comma-separated) from the environment —
//! including the project's `.env`, as `docker compose` reads it after loading `.env`.
//!
//! Inactive services are removed from the model (compose does not run them) and each one is
//! reported as a warning, so an audit never silently skips a service.

use super::nodes::{text, warning_at};
use super::Diagnostic;
use crate::yaml::{Node, NodeKind};
use std::collections::BTreeMap;

/// The profiles enabled for a load.
pub(crate) fn enabled_profiles(flags: &[String], vars: &BTreeMap<String, String>) -> Vec<String> {
    if !flags.is_empty() {
        return flags.to_vec();
    }
    vars.get("COMPOSE_PROFILES")
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The profiles a service lists (a single string is read as one profile).
fn service_profiles(service: &Node) -> Vec<String> {
    match service.get("profiles") {
        Some(Node {
            kind: NodeKind::Seq(items),
            ..
        }) => items.iter().filter_map(text).map(str::to_string).collect(),
        Some(n) if !n.is_null() => text(n).map(|t| vec![t.to_string()]).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Whether a service is active with `enabled` profiles.
pub(crate) fn is_active(service: &Node, enabled: &[String]) -> bool {
    let own = service_profiles(service);
    own.is_empty() || enabled.iter().any(|p| p == "*" || own.contains(p))
}

/// Removes the inactive services from `model`, with one warning naming them all (at the
/// first one's `profiles`), so skipping is never silent.
pub(crate) fn drop_inactive(model: &mut Node, enabled: &[String]) -> Vec<Diagnostic> {
    let Some(NodeKind::Map(services)) = model.get_mut("services").map(|s| &mut s.kind) else {
        return Vec::new();
    };
    let mut skipped: Vec<(String, Node)> = Vec::new();
    services.retain(|(key, service)| {
        if is_active(service, enabled) {
            return true;
        }
        let name = text(key).unwrap_or_default();
        let at = service.get("profiles").unwrap_or(key).clone();
        let profiles = service_profiles(service).join(", ");
        skipped.push((format!("`{name}` ({profiles})"), at));
        false
    });
    let Some((_, at)) = skipped.first() else {
        return Vec::new();
    };
    let list: Vec<&str> = skipped.iter().map(|(s, _)| s.as_str()).collect();
    let message = match list.as_slice() {
        [one] => format!("service {one} is not audited: its profiles are not enabled"),
        many => format!(
            "{} services are not audited: their profiles are not enabled: {}",
            many.len(),
            many.join(", ")
        ),
    };
    vec![warning_at(
        at,
        message,
        Some("enable them with --profile NAME (or --profile '*' for all), or COMPOSE_PROFILES"),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse, Limits};

    const YAML: &str = "services:\n  app: {image: a}\n  debug:\n    image: b\n    profiles: [debug]\n  test:\n    image: c\n    profiles: [test, ci]\n";

    fn names(enabled: &[&str]) -> (Vec<String>, usize) {
        let mut doc = parse("c.yaml", YAML, &Limits::default())
            .ok()
            .and_then(|d| d.into_iter().next())
            .expect("parses");
        let enabled: Vec<String> = enabled.iter().map(|s| s.to_string()).collect();
        let warnings = drop_inactive(&mut doc, &enabled);
        let names = doc
            .get("services")
            .and_then(Node::as_map)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, _)| text(k).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        (names, warnings.len())
    }

    #[test]
    fn services_without_profiles_are_always_active() {
        assert_eq!(names(&[]), (vec!["app".to_string()], 1));
        assert_eq!(names(&["ci"]).0, ["app", "test"]);
        assert_eq!(names(&["*"]).0, ["app", "debug", "test"]);
    }

    #[test]
    fn compose_profiles_env_is_used_without_flags() {
        let mut vars = BTreeMap::new();
        vars.insert("COMPOSE_PROFILES".to_string(), "debug, test,".to_string());
        assert_eq!(enabled_profiles(&[], &vars), ["debug", "test"]);
        assert_eq!(enabled_profiles(&["x".to_string()], &vars), ["x"]);
    }

    #[test]
    fn the_warning_points_at_the_profiles_key() {
        let mut doc = parse("c.yaml", YAML, &Limits::default())
            .ok()
            .and_then(|d| d.into_iter().next())
            .expect("parses");
        let w = drop_inactive(&mut doc, &[]);
        assert_eq!(
            w.first().and_then(|d| d.span).map(|s| s.start.line),
            Some(5)
        );
        let message = w.first().map(|d| d.message.as_str()).unwrap_or_default();
        assert_eq!(
            message,
            "2 services are not audited: their profiles are not enabled: `debug` (debug), `test` (test, ci)"
        );
    }
}
