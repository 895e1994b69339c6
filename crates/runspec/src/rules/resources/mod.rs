//! Resource limits (RS019–RS023): whether one container can starve the host and its
//! neighbours of memory, process ids or CPU, raises its kernel resource limits, or is placed
//! in a cgroup of its choosing.

use super::Rule;

pub(crate) mod phrasing;

pub mod cgroup_parent;
pub mod no_cpu_limit;
pub mod no_memory_limit;
pub mod no_pids_limit;
pub mod raised_ulimit;

/// The rules of this group, in id order.
pub static RULES: &[&dyn Rule] = &[
    &no_memory_limit::NoMemoryLimit,
    &no_pids_limit::NoPidsLimit,
    &no_cpu_limit::NoCpuLimit,
    &raised_ulimit::RaisedUlimit,
    &cgroup_parent::CgroupParent,
];
