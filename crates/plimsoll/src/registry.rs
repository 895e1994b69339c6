//! The one rule registry of the binary: every domain crate's rules, built once per process.
//!
//! This is the only place that lists the rule sets, so `plimsoll rules`, config validation,
//! pragma resolution, the renderers and `docs/rules.md` all see the same rules.

use plimsoll_core::{Registry, RuleMeta};
use std::sync::OnceLock;

/// Every rule plimsoll knows, in id order. Built on first use and shared (never per file).
pub fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(build)
}

fn build() -> Registry {
    let dockerfile: Vec<&'static RuleMeta> = plimsoll_dockerfile::rules::metas();
    let runspec: Vec<&'static RuleMeta> = plimsoll_runspec::rules::metas();
    let engine: Vec<&'static RuleMeta> = plimsoll_engine::rules::metas();
    Registry::new(&[
        plimsoll_core::suppression::RULES,
        &dockerfile,
        &runspec,
        &engine,
    ])
}

/// Why a rule's metadata is not acceptable (a missing doc section, a malformed id), so a test
/// can list every problem at once.
pub fn lint_rule(rule: &RuleMeta) -> Vec<String> {
    let mut problems = Vec::new();
    if !is_valid_id(rule.id) {
        problems.push(format!(
            "{}: id must be two capital letters and three digits (like DF001)",
            rule.id
        ));
    }
    let docs = [
        ("what", rule.docs.what),
        ("why", rule.docs.why),
        ("fix", rule.docs.fix),
        ("bad", rule.docs.bad),
        ("good", rule.docs.good),
    ];
    for (field, text) in docs {
        if text.trim().is_empty() {
            problems.push(format!("{}: RuleDocs::{field} is empty", rule.id));
        }
    }
    if rule.title.trim().is_empty() {
        problems.push(format!("{}: title is empty", rule.id));
    }
    let name_ok = !rule.name.is_empty()
        && rule
            .name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !name_ok {
        problems.push(format!(
            "{}: name `{}` must be kebab-case",
            rule.id, rule.name
        ));
    }
    problems
}

/// `^[A-Z]{2}\d{3}$`, without compiling a regex for it.
pub fn is_valid_id(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 5
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_shape() {
        assert!(is_valid_id("DF001"));
        assert!(is_valid_id("PL002"));
        assert!(!is_valid_id("df001"));
        assert!(!is_valid_id("DF01"));
        assert!(!is_valid_id("DF0001"));
        assert!(!is_valid_id("D1001"));
    }

    #[test]
    fn every_rule_is_documented_and_well_formed() {
        let problems: Vec<String> = registry().iter().flat_map(lint_rule).collect();
        assert!(
            problems.is_empty(),
            "rule metadata problems:\n  {}",
            problems.join("\n  ")
        );
        assert!(registry().get("PL001").is_some());
    }
}
