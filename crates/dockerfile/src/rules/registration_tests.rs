//! A rule cannot be forgotten: every file in a rule group's folder must be declared in that
//! group's `rule_group!` list (which also registers its rule). A file that is not declared is
//! not even compiled, so without this test it would silently never run.

use std::fs;
use std::path::Path;

/// The module names a group's `mod.rs` declares in its `rule_group!` list.
fn declared(group_mod: &str) -> Vec<String> {
    let Some(start) = group_mod.find("rule_group!(") else {
        return Vec::new();
    };
    let body = &group_mod[start..];
    let end = body.find(");").unwrap_or(body.len());
    body[..end]
        .lines()
        .filter_map(|l| l.trim().split_once("=>"))
        .map(|(module, _)| module.trim().to_string())
        .collect()
}

#[test]
fn every_rule_file_is_declared_in_its_group() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let groups = fs::read_dir(&rules).expect("src/rules is readable");
    let mut checked = 0;
    for group in groups.flatten().filter(|g| g.path().is_dir()) {
        let dir = group.path();
        let text = fs::read_to_string(dir.join("mod.rs")).expect("a group has a mod.rs");
        let modules = declared(&text);
        assert!(
            !modules.is_empty(),
            "{}: no rule_group! list",
            dir.display()
        );
        for file in fs::read_dir(&dir).expect("group folder").flatten() {
            let path = file.path();
            let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            // A folder holds the private parts of the rule file of the same name.
            if path.is_dir() || matches!(stem, "mod" | "tests") {
                continue;
            }
            assert!(
                modules.iter().any(|m| m == stem),
                "{} is not declared in the rule_group! list of {}: add `{stem} => TheRule,`",
                path.display(),
                dir.join("mod.rs").display()
            );
            checked += 1;
        }
    }
    assert_eq!(checked, super::metas().len(), "one rule per rule file");
}
