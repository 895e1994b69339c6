//! The Linux security module label of the probe's process: AppArmor (`docker-default
//! (enforce)`) or SELinux (`system_u:system_r:container_t:s0:c1,c2`), from
//! `/proc/self/attr/current` (and the AppArmor-only file of stacking kernels).
//!
//! A kernel without such a module answers "Invalid argument": that is *not available*, which
//! is different from an available module that left the process unconfined.

use crate::root::{ReadError, Root};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Lsm {
    /// No label interface: the kernel runs no AppArmor or SELinux (nothing to judge).
    NotAvailable {
        reason: String,
    },
    /// The module is there but the process is not confined (`unconfined`).
    Unconfined {
        label: String,
    },
    AppArmor {
        profile: String,
        mode: String,
    },
    SeLinux {
        label: String,
    },
}

impl Lsm {
    pub fn parse(label: &str) -> Lsm {
        let label = label.trim_end_matches('\0').trim();
        if label.is_empty() || label == "unconfined" || label.contains(":unconfined_t:") {
            return Lsm::Unconfined {
                label: label.to_string(),
            };
        }
        if let Some((profile, mode)) = label.rsplit_once(" (") {
            let mode = mode.trim_end_matches(')').to_string();
            if mode == "unconfined" {
                return Lsm::Unconfined {
                    label: label.to_string(),
                };
            }
            return Lsm::AppArmor {
                profile: profile.to_string(),
                mode,
            };
        }
        if label.matches(':').count() >= 2 {
            return Lsm::SeLinux {
                label: label.to_string(),
            };
        }
        Lsm::AppArmor {
            profile: label.to_string(),
            mode: "enforce".to_string(),
        }
    }

    pub fn read(root: &Root) -> Lsm {
        let text = match root.read("/proc/self/attr/apparmor/current") {
            Ok(t) => Ok(t),
            Err(_) => root.read("/proc/self/attr/current"),
        };
        match text {
            Ok(t) => Lsm::parse(&t),
            Err(ReadError::NotFound) => Lsm::NotAvailable {
                reason: "no /proc/self/attr/current".to_string(),
            },
            Err(e) => Lsm::NotAvailable {
                reason: format!("/proc/self/attr/current: {e} (no AppArmor or SELinux)"),
            },
        }
    }

    pub fn is_confined(&self) -> Option<bool> {
        match self {
            Lsm::NotAvailable { .. } => None,
            Lsm::Unconfined { .. } => Some(false),
            Lsm::AppArmor { mode, .. } => Some(mode != "complain"),
            Lsm::SeLinux { label } => Some(!label.contains("spc_t")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(
            Lsm::parse("docker-default (enforce)\n"),
            Lsm::AppArmor {
                profile: "docker-default".into(),
                mode: "enforce".into()
            }
        );
        assert_eq!(Lsm::parse("unconfined").is_confined(), Some(false));
        assert_eq!(
            Lsm::parse("system_u:system_r:container_t:s0:c1,c2").is_confined(),
            Some(true)
        );
        assert_eq!(
            Lsm::parse("system_u:system_r:spc_t:s0").is_confined(),
            Some(false)
        );
    }
}
