//! `plimsoll rules` (list) and `plimsoll rules explain ID` (one rule's documentation).

use crate::cli::{RulesAction, RulesArgs, RulesFormat};
use crate::error::Fatal;
use crate::output::write_report;
use crate::registry::registry;
use plimsoll_core::{Registry, RuleMeta};
use serde_json::{json, Map, Value};
use std::fmt::Write as _;

pub fn rules(args: &RulesArgs) -> Result<u8, Fatal> {
    let registry = registry();
    let text = match &args.action {
        Some(RulesAction::Explain { rule }) => explain(registry, rule)?,
        None => {
            let selected: Vec<&'static RuleMeta> = registry
                .iter()
                .filter(|r| args.stage.is_none_or(|s| r.stage == s))
                .collect();
            match args.format {
                RulesFormat::Human => table(&selected),
                RulesFormat::Json => json_list(&selected),
                RulesFormat::Markdown if args.stage.is_none() => {
                    crate::docs::rules_markdown(registry)
                }
                RulesFormat::Markdown => {
                    let sub = Registry::new(&[&selected]);
                    crate::docs::rules_markdown(&sub)
                }
            }
        }
    };
    write_report(None, &text)?;
    Ok(0)
}

/// One rule's Markdown, found by id, name, or another tool's id (`DL3002` → the plimsoll rules
/// that cover it).
fn explain(registry: &Registry, key: &str) -> Result<String, Fatal> {
    if let Some(rule) = registry.get(key) {
        return Ok(rule.markdown());
    }
    let tools = [
        "hadolint", "trivy", "checkov", "dockle", "buildkit", "kics", "cis",
    ];
    let mut matches: Vec<&'static RuleMeta> = tools
        .iter()
        .flat_map(|tool| registry.by_foreign_id(tool, key))
        .collect();
    matches.sort_by_key(|r| r.id);
    matches.dedup_by_key(|r| r.id);
    if matches.is_empty() {
        return Err(Fatal::new(format!("unknown rule `{key}`"))
            .hint("`plimsoll rules` lists every rule id and name"));
    }
    let mut out = String::new();
    let ids: Vec<&str> = matches.iter().map(|r| r.id).collect();
    let _ = writeln!(
        out,
        "`{key}` is not a plimsoll id; plimsoll's equivalent: {}\n",
        ids.join(", ")
    );
    for rule in matches {
        out.push_str(&rule.markdown());
        out.push('\n');
    }
    Ok(out)
}

/// An aligned table: id, severity, stage, name, title.
fn table(rules: &[&'static RuleMeta]) -> String {
    let name_width = rules.iter().map(|r| r.name.len()).max().unwrap_or(4).max(4);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<5}  {:<8}  {:<8}  {:<name_width$}  TITLE",
        "ID", "SEVERITY", "STAGE", "NAME"
    );
    for r in rules {
        let _ = writeln!(
            out,
            "{:<5}  {:<8}  {:<8}  {:<name_width$}  {}",
            r.id,
            r.severity.as_str(),
            r.stage.as_str(),
            r.name,
            r.title
        );
    }
    let _ = writeln!(
        out,
        "\n{} rules; `plimsoll rules explain ID` shows one in full",
        rules.len()
    );
    out
}

/// `[{id, name, title, severity, stage, help_uri, references{tool: [ids]}, docs{…}}]`.
fn json_list(rules: &[&'static RuleMeta]) -> String {
    let list: Vec<Value> = rules
        .iter()
        .map(|r| {
            let mut refs = Map::new();
            for (tool, ids) in r.references.by_tool() {
                refs.insert(tool.to_string(), json!(ids));
            }
            if !r.references.links.is_empty() {
                refs.insert("links".to_string(), json!(r.references.links));
            }
            json!({
                "id": r.id,
                "name": r.name,
                "title": r.title,
                "severity": r.severity.as_str(),
                "stage": r.stage.as_str(),
                "help_uri": r.help_uri(),
                "references": refs,
                "docs": {
                    "what": r.docs.what,
                    "why": r.docs.why,
                    "fix": r.docs.fix,
                    "bad": r.docs.bad,
                    "good": r.docs.good,
                },
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".to_string());
    text.push('\n');
    text
}
