//! The rule registry: every rule of every stage, looked up by id, name or another tool's id.

use crate::RuleMeta;
use std::collections::BTreeMap;

/// All known rules. Built once by the binary from each domain crate's `RULES` slice.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    rules: BTreeMap<&'static str, &'static RuleMeta>,
}

impl Registry {
    /// Builds a registry; panics on a duplicate id or name, which is a programming error caught
    /// by every test run (ids are static, never input-derived).
    pub fn new(sets: &[&[&'static RuleMeta]]) -> Self {
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
        Registry { rules }
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

    /// Looks a rule up by id (`DF001`, case-insensitive) or name (`root-user`).
    pub fn get(&self, key: &str) -> Option<&'static RuleMeta> {
        let upper = key.to_ascii_uppercase();
        self.rules
            .get(upper.as_str())
            .copied()
            .or_else(|| self.iter().find(|r| r.name.eq_ignore_ascii_case(key)))
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
