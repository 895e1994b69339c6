//! The verdict of a rule fixture, shared by every domain crate's fixture tests (Dockerfile,
//! RunSpec, …) so they judge and word their failures alike: a `fires*` fixture must yield at
//! least one finding of its rule, a `passes*` fixture none.

use plimsoll_core::Finding;

/// What is wrong with a fixture's outcome, if anything: `shown` names the fixture, `id` the
/// rule, `must_fire` which kind it is, `audited` the findings of auditing it (or why it could
/// not be audited).
pub fn judge_fixture(
    shown: &str,
    id: &str,
    must_fire: bool,
    audited: Result<Vec<Finding>, String>,
) -> Option<String> {
    let findings = match audited {
        Ok(findings) => findings,
        Err(e) => return Some(format!("{shown}: {e}")),
    };
    let mine: Vec<&Finding> = findings.iter().filter(|f| f.rule_id == id).collect();
    if must_fire && mine.is_empty() {
        return Some(format!("{shown}: expected {id} to fire, it did not"));
    }
    if !must_fire && !mine.is_empty() {
        let listed: Vec<String> = mine
            .iter()
            .map(|f| format!("    {} line {:?}: {}", f.rule_id, f.line(), f.message))
            .collect();
        return Some(format!(
            "{shown}: expected no {id}, got {}:\n{}",
            mine.len(),
            listed.join("\n")
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_core::{suppression, Location};

    fn finding() -> Finding {
        Finding::new(suppression::RULES[0], Location::file("f"), "m").build()
    }

    #[test]
    fn judges_both_kinds_and_errors() {
        let id = suppression::RULES[0].id;
        assert_eq!(judge_fixture("f", id, true, Ok(vec![finding()])), None);
        assert_eq!(judge_fixture("f", id, false, Ok(vec![])), None);
        let missing = judge_fixture("f", id, true, Ok(vec![])).unwrap_or_default();
        assert!(missing.contains("expected PL001 to fire"), "{missing}");
        let extra = judge_fixture("f", id, false, Ok(vec![finding()])).unwrap_or_default();
        assert!(extra.contains("expected no PL001, got 1"), "{extra}");
        assert_eq!(
            judge_fixture("f", id, true, Err("bad".into())),
            Some("f: bad".into())
        );
    }
}
