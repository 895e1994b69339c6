//! User-namespace maps (`/proc/self/uid_map`, `gid_map`): `0 0 4294967295` is the host's own
//! namespace (no remapping); anything else says which host ids the container's ids are.

use crate::root::Root;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IdRange {
    pub inside: u32,
    pub outside: u32,
    pub count: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IdMap {
    pub ranges: Vec<IdRange>,
}

impl IdMap {
    pub fn parse(text: &str) -> IdMap {
        let ranges = text
            .lines()
            .filter_map(|l| {
                let mut n = l.split_whitespace().map(|w| w.parse::<u32>().ok());
                Some(IdRange {
                    inside: n.next()??,
                    outside: n.next()??,
                    count: n.next()??,
                })
            })
            .collect();
        IdMap { ranges }
    }

    pub fn read(root: &Root, file: &str) -> Option<IdMap> {
        root.read(&format!("/proc/self/{file}"))
            .ok()
            .map(|t| IdMap::parse(&t))
    }

    /// The identity map of the initial namespace: no user namespace.
    pub fn is_host(&self) -> bool {
        self.ranges.len() == 1
            && self.ranges[0].inside == 0
            && self.ranges[0].outside == 0
            && self.ranges[0].count == u32::MAX
    }

    /// The host id of an id inside.
    pub fn outside(&self, inside: u32) -> Option<u32> {
        self.ranges.iter().find_map(|r| {
            let offset = inside.checked_sub(r.inside)?;
            (offset < r.count).then(|| r.outside.saturating_add(offset))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps() {
        let host = IdMap::parse("         0          0 4294967295\n");
        assert!(host.is_host());
        let remapped = IdMap::parse("0 100000 65536\n");
        assert!(!remapped.is_host());
        assert_eq!(remapped.outside(0), Some(100000));
        assert_eq!(remapped.outside(70000), None);
        assert_eq!(IdMap::parse("x y z\n1 2\n").ranges, vec![]);
    }
}
