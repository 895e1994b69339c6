//! `docs/rules.md` is generated from the rule registry and must not drift from it; every rule
//! must be documented and well-formed. `UPDATE_DOCS=1 cargo test -p plimsoll --test docs`
//! rewrites the file.

use plimsoll::docs::{rules_markdown, UPDATE_COMMAND};
use plimsoll::registry::{lint_rule, registry};
use std::path::PathBuf;

fn rules_md() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md")
}

#[test]
fn docs_rules_md_matches_the_registry() {
    let expected = rules_markdown(registry());
    let path = rules_md();
    if std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &expected).expect("write docs/rules.md");
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    let missing: Vec<&str> = registry()
        .iter()
        .filter(|r| !actual.contains(&format!("## {} — ", r.id)))
        .map(|r| r.id)
        .collect();
    assert!(
        missing.is_empty(),
        "docs/rules.md lacks {}; regenerate it with `{UPDATE_COMMAND}`",
        missing.join(", ")
    );
    if actual != expected {
        let first_diff = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()))
            + 1;
        panic!(
            "docs/rules.md is out of date with the rule registry (first difference at line \
{first_diff}); regenerate it with `{UPDATE_COMMAND}`"
        );
    }
}

#[test]
fn every_rule_has_docs_and_a_valid_id() {
    let problems: Vec<String> = registry().iter().flat_map(lint_rule).collect();
    assert!(
        problems.is_empty(),
        "rule metadata problems:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_registry_holds_core_and_dockerfile_rules() {
    let ids: Vec<&str> = registry().iter().map(|r| r.id).collect();
    assert!(ids.contains(&"PL001") && ids.contains(&"PL002"), "{ids:?}");
    for meta in plimsoll_dockerfile::rules::metas() {
        assert!(
            registry().get(meta.id).is_some(),
            "{} is not in the registry",
            meta.id
        );
    }
}

/// `docs/parity.md` (which rule covers each hadolint, Trivy, Checkov, Dockle, BuildKit, KICS
/// and CIS section-5 check) must agree with the rules' own cross-references, checked by
/// `scripts/check-parity-doc.py` against this build's `plimsoll rules --format json`.
#[test]
fn parity_page_agrees_with_the_rules_references() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let script = root.join("scripts/check-parity-doc.py");
    let out = match std::process::Command::new("python3")
        .arg(&script)
        .arg("--plimsoll")
        .arg(env!("CARGO_BIN_EXE_plimsoll"))
        .output()
    {
        Ok(out) => out,
        Err(err) => {
            eprintln!("SKIPPED parity page check: python3 not runnable ({err})");
            return;
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "docs/parity.md disagrees with the rules' references:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
