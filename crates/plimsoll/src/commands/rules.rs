//! `plimsoll rules` (list) and `plimsoll rules explain ID` (one rule's documentation).

use crate::cli::{ColorArg, RulesAction, RulesArgs, RulesFormat};
use crate::error::Fatal;
use crate::output::{use_color, write_report};
use crate::registry::{lookup, registry, Lookup};
use crate::terminal_markdown;
use plimsoll_core::registry::Retired;
use plimsoll_core::{Registry, RuleMeta};
use serde_json::{json, Map, Value};
use std::fmt::Write as _;

pub fn rules(args: &RulesArgs) -> Result<u8, Fatal> {
    let registry = registry();
    let text = match &args.action {
        Some(RulesAction::Explain {
            rule,
            format,
            color,
        }) => explain(registry, rule, *format, *color)?,
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

/// One rule's documentation, found by id, name, or another tool's id (`DL3002` → the plimsoll
/// rules that cover it): for a terminal by default, or as its Markdown source or JSON.
fn explain(
    registry: &Registry,
    key: &str,
    format: RulesFormat,
    color: ColorArg,
) -> Result<String, Fatal> {
    let (note, rules) = match lookup(registry, key) {
        Lookup::Rule(rule) => (None, vec![rule]),
        Lookup::Foreign(rules) => {
            let ids: Vec<&str> = rules.iter().map(|r| r.id).collect();
            let note = format!(
                "`{key}` is not a plimsoll id; plimsoll's equivalent: {}",
                ids.join(", ")
            );
            (Some(note), rules)
        }
        Lookup::Retired { retired, now } => {
            let gone = format!(
                "`{}` was retired in plimsoll {}: {}",
                retired.id, retired.since, retired.reason
            );
            match now {
                Some(rule) => (Some(format!("{gone}; it is now {}", rule.id)), vec![rule]),
                None if format == RulesFormat::Json => {
                    return Ok(retired_json(retired));
                }
                None => (Some(gone), Vec::new()),
            }
        }
        Lookup::Unknown { suggestions } => return Err(unknown_rule(key, &suggestions)),
    };
    if format == RulesFormat::Json {
        return Ok(json_list(&rules));
    }
    let mut markdown = String::new();
    if let Some(note) = note {
        let _ = writeln!(markdown, "{note}\n");
    }
    for (i, rule) in rules.iter().enumerate() {
        if i > 0 {
            markdown.push('\n');
        }
        markdown.push_str(&rule.markdown());
    }
    if format != RulesFormat::Markdown {
        // The lifecycle, for people; the Markdown source stays the rule's own documentation.
        for rule in &rules {
            let _ = writeln!(
                markdown,
                "\n*{}:* {}, since plimsoll {}",
                rule.id,
                rule.status.as_str(),
                rule.since
            );
        }
    }
    Ok(match format {
        RulesFormat::Markdown => markdown,
        _ => terminal_markdown::render(
            &markdown,
            terminal_markdown::Options {
                width: terminal_width(),
                color: use_color(color, false),
            },
        ),
    })
}

/// "unknown rule" with the closest ids or names, for `rules explain` and `--ignore` alike.
pub fn unknown_rule(key: &str, suggestions: &[&str]) -> Fatal {
    let fatal = Fatal::new(format!("unknown rule `{key}`"));
    if suggestions.is_empty() {
        fatal.hint("`plimsoll rules` lists every rule id and name")
    } else {
        let quoted: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
        fatal.hint(format!(
            "did you mean {}? (`plimsoll rules` lists every rule id and name)",
            quoted.join(" or ")
        ))
    }
}

/// The text width for `rules explain`: the terminal's, at most 100 columns (longer lines are
/// hard to read), 80 when standard output is not a terminal.
fn terminal_width() -> usize {
    const MAX: usize = 100;
    const NOT_A_TERMINAL: usize = 80;
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return NOT_A_TERMINAL;
    }
    terminal_size::terminal_size()
        .map(|(terminal_size::Width(w), _)| usize::from(w).min(MAX))
        .unwrap_or(NOT_A_TERMINAL)
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

/// `[{id, retired, replaced_by: null, reason, since}]` for a retired id with no replacement.
fn retired_json(retired: &Retired) -> String {
    let value = json!([{
        "id": retired.id,
        "retired": true,
        "replaced_by": retired.replaced_by,
        "reason": retired.reason,
        "since": retired.since,
    }]);
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| "[]".to_string());
    text.push('\n');
    text
}

/// `[{id, name, title, severity, stage, status, since, help_uri, references{tool: [ids]},
/// docs{…}}]`.
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
                "status": r.status.as_str(),
                "since": r.since,
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
