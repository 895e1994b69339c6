//! Capability sets: decoding the hex masks of `/proc/self/status` into names, and telling a
//! full set from a partial one by the kernel's own `cap_last_cap`.
//!
//! Tools that look for `3fffffffff` (38 capabilities, kernels before 5.8) miss a privileged
//! container on every newer kernel, where a full set is `ffffffffff` (5.8, 40) or
//! `1ffffffffff` (5.9+, 41). Comparing against `/proc/sys/kernel/cap_last_cap` is right on
//! every kernel.

use serde::Serialize;

pub use plimsoll_core::capabilities::{DOCKER_DEFAULT, NAMES};

/// Capabilities that open a known way out of the container or into the host's kernel, its
/// other processes or its files (the ones amicontained, deepce and CDK single out, and more).
pub const DANGEROUS: [&str; 14] = [
    "SYS_ADMIN",
    "SYS_MODULE",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "DAC_READ_SEARCH",
    "NET_ADMIN",
    "SYS_BOOT",
    "SYS_TIME",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
    "BPF",
    "PERFMON",
    "SYSLOG",
    "AUDIT_CONTROL",
];

/// The capability number of a name (`SYS_ADMIN` → 21).
pub fn number(name: &str) -> Option<u32> {
    NAMES
        .iter()
        .position(|n| *n == name)
        .and_then(|i| u32::try_from(i).ok())
}

/// One capability set as read and decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapSet {
    /// The mask as the kernel printed it.
    pub hex: String,
    #[serde(skip)]
    pub mask: u64,
    /// Names of the set bits; an unnamed bit is `CAP_<n>`.
    pub names: Vec<String>,
}

impl CapSet {
    /// Decodes a `/proc/self/status` mask (`000001ffffffffff`); `None` if it is not hex.
    pub fn parse(hex: &str) -> Option<CapSet> {
        let hex = hex.trim();
        let mask = u64::from_str_radix(hex, 16).ok()?;
        let names = (0..64u32)
            .filter(|bit| mask & (1u64 << bit) != 0)
            .map(|bit| {
                usize::try_from(bit)
                    .ok()
                    .and_then(|i| NAMES.get(i))
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| format!("CAP_{bit}"))
            })
            .collect();
        Some(CapSet {
            hex: hex.to_string(),
            mask,
            names,
        })
    }

    pub fn has(&self, name: &str) -> bool {
        number(name).is_some_and(|n| self.mask & (1u64 << n) != 0)
    }

    pub fn is_empty(&self) -> bool {
        self.mask == 0
    }

    /// Every capability the kernel knows (`0..=last_cap`) is in the set.
    pub fn is_full(&self, last_cap: u32) -> bool {
        let all = if last_cap >= 63 {
            u64::MAX
        } else {
            (1u64 << (last_cap + 1)) - 1
        };
        self.mask & all == all
    }

    /// The dangerous capabilities in the set, in [`DANGEROUS`] order.
    pub fn dangerous(&self) -> Vec<&'static str> {
        DANGEROUS.into_iter().filter(|c| self.has(c)).collect()
    }

    /// Capabilities beyond Docker's default set.
    pub fn beyond_docker_default(&self) -> Vec<String> {
        self.names
            .iter()
            .filter(|n| !DOCKER_DEFAULT.contains(&n.as_str()))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_docker_default_and_full_sets() {
        let default = CapSet::parse("00000000a80425fb").unwrap();
        assert_eq!(default.names.len(), 14);
        assert!(DOCKER_DEFAULT.iter().all(|c| default.has(c)));
        assert!(default.dangerous().is_empty());
        assert!(!default.is_full(40));
        let full = CapSet::parse("000001ffffffffff").unwrap();
        assert!(full.is_full(40));
        assert!(!full.is_full(41));
        // The `3fffffffff` heuristic: a 5.9+ full set does not contain that string.
        assert!(!full.hex.contains("3fffffffff"));
        let old = CapSet::parse("0000003fffffffff").unwrap();
        assert!(old.is_full(37) && !old.is_full(40));
        assert_eq!(CapSet::parse("zz"), None);
        assert!(CapSet::parse("8000000000000000").unwrap().names == ["CAP_63"]);
    }
}
