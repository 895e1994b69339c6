//! A rule cannot be forgotten: every rule id declared in a crate's `src/rules/` (a `RuleMeta`
//! literal's `id: "XX000"`) and every fixture folder named after a rule id must belong to a
//! rule the binary registers, and the sorted list of registered ids is a snapshot, so adding,
//! renaming or dropping a rule shows in review.
//!
//! The declarations are found by reading the source text, not through any crate's API, so the
//! test holds whatever shape a rule family declares its rules in.

use plimsoll::registry::registry;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every path under `dir` (files and directories), recursively, in a stable order.
fn paths_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path.clone());
            }
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The workspace's crate directories.
fn crate_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(crates_dir())
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    dirs.retain(|d| d.join("Cargo.toml").is_file());
    dirs.sort();
    dirs
}

/// `^[A-Z]{2}[0-9]{3}$`.
fn is_rule_id(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 5
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..].iter().all(u8::is_ascii_digit)
}

/// The ids of `id: "XX000"` fields in `source`, outside its `#[cfg(test)]` part (where tests
/// may declare rules of their own).
fn declared_ids(source: &str) -> Vec<String> {
    let code = source
        .find("#[cfg(test)]")
        .map_or(source, |at| &source[..at]);
    let mut ids = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("id:") {
        rest = &rest[at + 3..];
        let value = rest.trim_start();
        if let Some(quoted) = value.strip_prefix('"') {
            if let Some(id) = quoted.get(..5).filter(|id| is_rule_id(id)) {
                if quoted[5..].starts_with('"') {
                    ids.push(id.to_string());
                }
            }
        }
    }
    ids
}

#[test]
fn the_declarations_are_found() {
    let source =
        "pub static META: RuleMeta = RuleMeta {\n    id: \"DF001\",\n    name: \"x\",\n};\n\
                  #[cfg(test)]\nmod tests { const M: RuleMeta = RuleMeta { id: \"XX999\" }; }\n";
    assert_eq!(declared_ids(source), vec!["DF001"]);
    assert!(declared_ids("let id: \"DF0012\" = 1; id: \"df001\"").is_empty());
}

#[test]
fn every_rule_declared_in_a_rules_module_is_registered() {
    let registry = registry();
    let mut declared = 0;
    let mut problems = Vec::new();
    for krate in crate_dirs() {
        for file in paths_under(&krate.join("src/rules")) {
            if file.is_dir() || file.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let Ok(source) = fs::read_to_string(&file) else {
                problems.push(format!("{}: unreadable", file.display()));
                continue;
            };
            for id in declared_ids(&source) {
                declared += 1;
                if registry.get(&id).is_none_or(|rule| rule.id != id) {
                    problems.push(format!(
                        "{id} (declared in {}) is not registered: add its module to its group's \
                         rule list",
                        file.display()
                    ));
                }
            }
        }
    }
    assert!(
        declared > 0,
        "no rule declarations found under crates/*/src/rules"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_fixture_folder_named_after_a_rule_has_that_rule() {
    let registry = registry();
    let mut problems = Vec::new();
    for krate in crate_dirs() {
        for dir in paths_under(&krate.join("tests/fixtures")) {
            if !dir.is_dir() {
                continue;
            }
            let Some(name) = dir.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if is_rule_id(name) && registry.get(name).is_none_or(|rule| rule.id != name) {
                problems.push(format!(
                    "{}: fixtures for {name}, which is not a registered rule",
                    dir.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_rule_ids_are_a_snapshot() {
    let ids: BTreeSet<&str> = registry().iter().map(|r| r.id).collect();
    let listed: Vec<&str> = ids.into_iter().collect();
    insta::assert_snapshot!("rule_ids", listed.join("\n"));
}
