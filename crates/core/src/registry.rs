//! The rule registry: every rule of every stage, looked up by id, name or another tool's id,
//! and the table of retired ids, so that an id once shipped keeps meaning something.
//!
//! Rule ids are never reused. When a rule is renamed, merged into another or dropped, its id
//! goes into [`RETIRED`]: `plimsoll rules explain OLD`, pragmas (`# plimsoll ignore=OLD`), the
//! configuration (`disable = ["OLD"]`) and `--ignore OLD` then resolve it to the rule that
//! replaced it (or say why it is gone), and a replacing rule's findings keep the fingerprints
//! they had under the old id ([`fingerprint_id`]), so baselines keep accepting them.

use crate::RuleMeta;
use std::collections::BTreeMap;

/// An id that no longer names a rule of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retired {
    /// The id as it shipped (`DF099`).
    pub id: &'static str,
    /// The id of the rule that took over its job, if any.
    pub replaced_by: Option<&'static str>,
    /// Why it was retired, in one sentence (shown by `rules explain` and in PL001 messages).
    pub reason: &'static str,
    /// The plimsoll version it was retired in.
    pub since: &'static str,
}

/// Every retired rule id. None yet: every rule that ever shipped is still a rule.
pub static RETIRED: &[Retired] = &[];

/// The id a rule's fingerprints are computed with: the first id of the chain of retired ids
/// it replaced (a rule `DF060` that replaced `DF012` fingerprints as `DF012`), else its own.
/// A rule that replaced several ids keeps the fingerprints of the first listed.
pub fn fingerprint_id<'a>(rule_id: &'a str, retired: &'a [Retired]) -> &'a str {
    let mut id = rule_id;
    // Bounded by the table's length, so a mistaken cycle cannot loop.
    for _ in 0..retired.len() {
        match retired.iter().find(|r| r.replaced_by == Some(id)) {
            Some(older) => id = older.id,
            None => break,
        }
    }
    id
}

/// All known rules. Built once by the binary from each domain crate's `RULES` slice.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    rules: BTreeMap<&'static str, &'static RuleMeta>,
    retired: &'static [Retired],
}

impl Registry {
    /// Builds a registry with the [`RETIRED`] table; panics on a duplicate id or name, which
    /// is a programming error caught by every test run (ids are static, never input-derived).
    pub fn new(sets: &[&[&'static RuleMeta]]) -> Self {
        Registry::with_retired(sets, RETIRED)
    }

    /// [`Registry::new`] with another table of retired ids (tests). Panics on a retired id
    /// that is also a live rule's, or that names a replacement no rule or retired id has.
    pub fn with_retired(sets: &[&[&'static RuleMeta]], retired: &'static [Retired]) -> Self {
        let mut rules = BTreeMap::new();
        let mut names = BTreeMap::new();
        for set in sets {
            for rule in set.iter() {
                assert!(
                    rules.insert(rule.id, *rule).is_none(),
                    "duplicate rule id {}",
                    rule.id
                );
                assert!(
                    names.insert(rule.name, rule.id).is_none(),
                    "duplicate rule name {}",
                    rule.name
                );
            }
        }
        for old in retired {
            assert!(
                !rules.contains_key(old.id),
                "retired id {} is a live rule's",
                old.id
            );
            if let Some(new) = old.replaced_by {
                assert!(
                    rules.contains_key(new) || retired.iter().any(|r| r.id == new),
                    "retired id {} is replaced by {new}, which is no rule",
                    old.id
                );
            }
        }
        Registry { rules, retired }
    }

    /// Rules in id order.
    pub fn iter(&self) -> impl Iterator<Item = &'static RuleMeta> + '_ {
        self.rules.values().copied()
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Looks a rule up by id (`DF001`, case-insensitive) or name (`root-user`); a retired id
    /// resolves to the rule that replaced it, through any chain of renames.
    pub fn get(&self, key: &str) -> Option<&'static RuleMeta> {
        let upper = key.to_ascii_uppercase();
        self.rules
            .get(upper.as_str())
            .copied()
            .or_else(|| self.iter().find(|r| r.name.eq_ignore_ascii_case(key)))
            .or_else(|| {
                let mut id = self.retired(key)?.replaced_by?;
                for _ in 0..self.retired.len() {
                    if let Some(rule) = self.rules.get(id) {
                        return Some(*rule);
                    }
                    id = self.retired(id)?.replaced_by?;
                }
                None
            })
    }

    /// The retired id `key` (any case), if it is one.
    pub fn retired(&self, key: &str) -> Option<&'static Retired> {
        self.retired.iter().find(|r| r.id.eq_ignore_ascii_case(key))
    }

    /// The plimsoll rules that are equivalent to another tool's id, e.g. `("hadolint",
    /// "DL3002")`. Used to honour `# hadolint ignore=` pragmas and to build parity tables.
    pub fn by_foreign_id(&self, tool: &str, id: &str) -> Vec<&'static RuleMeta> {
        self.iter()
            .filter(|r| {
                r.references
                    .by_tool()
                    .iter()
                    .any(|(t, ids)| *t == tool && ids.iter().any(|i| i.eq_ignore_ascii_case(id)))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suppression::{UNKNOWN_SUPPRESSION, UNUSED_SUPPRESSION};

    /// A rename (PL900 → PL901 → PL001), and a rule dropped without replacement.
    static TEST_RETIRED: &[Retired] = &[
        Retired {
            id: "PL900",
            replaced_by: Some("PL901"),
            reason: "renamed",
            since: "0.2.0",
        },
        Retired {
            id: "PL901",
            replaced_by: Some("PL001"),
            reason: "merged into unused-suppression",
            since: "0.3.0",
        },
        Retired {
            id: "PL902",
            replaced_by: None,
            reason: "no longer useful",
            since: "0.2.0",
        },
    ];

    fn registry() -> Registry {
        Registry::with_retired(
            &[&[&UNUSED_SUPPRESSION, &UNKNOWN_SUPPRESSION]],
            TEST_RETIRED,
        )
    }

    #[test]
    fn retired_ids_resolve_to_their_replacement_or_say_why_they_are_gone() {
        let registry = registry();
        assert_eq!(registry.get("pl900").map(|r| r.id), Some("PL001"));
        assert_eq!(registry.get("PL901").map(|r| r.id), Some("PL001"));
        assert_eq!(registry.get("PL902"), None);
        assert_eq!(
            registry.retired("PL902").map(|r| r.reason),
            Some("no longer useful")
        );
        assert_eq!(registry.retired("PL001"), None);
        assert_eq!(registry.len(), 2, "retired ids are not rules");
    }

    #[test]
    fn a_replacing_rule_keeps_the_oldest_fingerprint_id() {
        assert_eq!(fingerprint_id("PL001", TEST_RETIRED), "PL900");
        assert_eq!(fingerprint_id("PL002", TEST_RETIRED), "PL002");
        assert_eq!(fingerprint_id("PL001", RETIRED), "PL001");
    }

    #[test]
    #[should_panic(expected = "is a live rule's")]
    fn a_retired_id_cannot_be_a_live_one() {
        static CLASH: &[Retired] = &[Retired {
            id: "PL001",
            replaced_by: None,
            reason: "clash",
            since: "0.2.0",
        }];
        let _ = Registry::with_retired(&[&[&UNUSED_SUPPRESSION]], CLASH);
    }
}
