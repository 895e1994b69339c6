//! Resource limits (RS019–RS023): whether one container can starve the host and its
//! neighbours of memory, process ids or CPU, raises its kernel resource limits, or is placed
//! in a cgroup of its choosing.

pub(crate) mod phrasing;

// The rules of this group, in id order: each entry declares the rule's module and lists the
// rule in `RULES`, so a rule module cannot exist unregistered.
plimsoll_core::rule_group!(dyn super::RunSpecRule;
    no_memory_limit => NoMemoryLimit,
    no_pids_limit => NoPidsLimit,
    no_cpu_limit => NoCpuLimit,
    raised_ulimit => RaisedUlimit,
    cgroup_parent => CgroupParent,
);
