//! HS rules: the host (CIS sections 1 and 3). HS006/HS007 (section 6) are judged from the
//! engine's counts and live with the daemon rules.

use plimsoll_core::RuleMeta;

use super::CheckResult;
use crate::facts::HostFacts;

mod audit;
mod data_root;
mod docker_group;
mod file_mode;
mod file_owner;

type Check = fn(&HostFacts) -> Vec<CheckResult>;

/// Every HS rule on host facts with its check, in id order.
pub(super) static RULES: &[(&RuleMeta, Check)] = &[
    (&data_root::META, data_root::check),
    (&docker_group::META, docker_group::check),
    (&audit::META, audit::check),
    (&file_owner::META, file_owner::check),
    (&file_mode::META, file_mode::check),
];
