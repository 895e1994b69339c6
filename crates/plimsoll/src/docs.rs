//! `docs/rules.md`, generated from the registry: the same text `plimsoll rules --format
//! markdown` prints, and a test (`tests/docs.rs`) fails when the checked-in file drifts.

use plimsoll_core::Registry;
use std::fmt::Write as _;

/// The command that regenerates `docs/rules.md`.
pub const UPDATE_COMMAND: &str = "UPDATE_DOCS=1 cargo test -p plimsoll --test docs";

/// The whole rules reference: a header, a table of every rule, then each rule's documentation
/// ([`plimsoll_core::RuleMeta::markdown`]) under an anchor matching its `help_uri`.
pub fn rules_markdown(registry: &Registry) -> String {
    let mut out = String::new();
    out.push_str("# plimsoll rules\n\n");
    let _ = writeln!(
        out,
        "<!-- Generated from the rule registry by `{UPDATE_COMMAND}`; do not edit by hand. -->\n"
    );
    let _ = writeln!(
        out,
        "{} rules. Each has a stable id that is never reused, a default severity (change it with \
`[rules] severity` in `.plimsoll.toml`), and the equivalent checks of other tools. \
`plimsoll rules explain ID` prints the same text in a terminal.\n",
        registry.len()
    );
    out.push_str("| id | name | severity | stage | title |\n");
    out.push_str("|---|---|---|---|---|\n");
    for rule in registry.iter() {
        let _ = writeln!(
            out,
            "| [{id}](#{anchor}) | `{name}` | {sev} | {stage} | {title} |",
            id = rule.id,
            anchor = rule.id.to_ascii_lowercase(),
            name = rule.name,
            sev = rule.severity,
            stage = rule.stage,
            title = rule.title.replace('|', "\\|"),
        );
    }
    for rule in registry.iter() {
        let _ = write!(
            out,
            "\n<a id=\"{}\"></a>\n\n{}",
            rule.id.to_ascii_lowercase(),
            rule.markdown()
        );
    }
    out
}
