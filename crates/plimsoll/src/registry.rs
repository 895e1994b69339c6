//! The one rule registry of the binary: every domain crate's rules, built once per process.
//!
//! This is the only place that lists the rule sets, so `plimsoll rules`, config validation,
//! pragma resolution, the renderers and `docs/rules.md` all see the same rules.

use plimsoll_core::registry::Retired;
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
    let engine: Vec<&'static RuleMeta> = plimsoll_live::rules::metas();
    let probe: Vec<&'static RuleMeta> = plimsoll_probe::rules::metas();
    Registry::new(&[
        plimsoll_core::suppression::RULES,
        &dockerfile,
        &runspec,
        &engine,
        &probe,
    ])
}

/// The tools whose rule ids plimsoll rules list as equivalents (see
/// [`plimsoll_core::References`]), in the order a lookup tries them.
const FOREIGN_TOOLS: [&str; 7] = [
    "hadolint", "trivy", "checkov", "dockle", "buildkit", "kics", "cis",
];

/// What a rule key given on the command line (`rules explain KEY`, `--ignore KEY`) names.
#[derive(Debug)]
pub enum Lookup {
    /// A plimsoll id (`DF001`, any case) or name (`root-user`).
    Rule(&'static RuleMeta),
    /// A retired plimsoll id, and the rule that replaced it if any.
    Retired {
        retired: &'static Retired,
        now: Option<&'static RuleMeta>,
    },
    /// Another tool's id (`DL3002`): the plimsoll rules that cover it, in id order.
    Foreign(Vec<&'static RuleMeta>),
    /// Nothing: the closest ids or names, for a "did you mean".
    Unknown { suggestions: Vec<&'static str> },
}

/// Resolves a rule key the way every command does: plimsoll id or name first, then another
/// tool's id. One function, so `rules explain` and `--ignore` accept the same keys.
pub fn lookup(registry: &Registry, key: &str) -> Lookup {
    if let Some(retired) = registry.retired(key) {
        return Lookup::Retired {
            retired,
            now: registry.get(key),
        };
    }
    if let Some(rule) = registry.get(key) {
        return Lookup::Rule(rule);
    }
    let mut matches: Vec<&'static RuleMeta> = FOREIGN_TOOLS
        .iter()
        .flat_map(|tool| registry.by_foreign_id(tool, key))
        .collect();
    matches.sort_by_key(|r| r.id);
    matches.dedup_by_key(|r| r.id);
    if matches.is_empty() {
        Lookup::Unknown {
            suggestions: suggestions(registry, key),
        }
    } else {
        Lookup::Foreign(matches)
    }
}

/// How similar a key must be to be suggested: high enough that `DF0O1` or `root-usr` finds its
/// rule, low enough that an unrelated word suggests nothing.
const SUGGESTION_THRESHOLD: f64 = 0.85;

/// Ids and names close to a mistyped key (Jaro-Winkler similarity, as clap suggests
/// subcommands), best first, at most three.
fn suggestions(registry: &Registry, key: &str) -> Vec<&'static str> {
    let lower = key.to_ascii_lowercase();
    let mut scored: Vec<(f64, &'static str)> = registry
        .iter()
        .map(|r| {
            let by_id = strsim::jaro_winkler(&lower, &r.id.to_ascii_lowercase());
            let by_name = strsim::jaro_winkler(&lower, r.name);
            if by_id >= by_name {
                (by_id, r.id)
            } else {
                (by_name, r.name)
            }
        })
        .filter(|(score, _)| *score >= SUGGESTION_THRESHOLD)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by_key(|(_, key)| *key);
    scored.into_iter().take(3).map(|(_, key)| key).collect()
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
fn is_valid_id(id: &str) -> bool {
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
