//! Exposure (RS024–RS028): what an intruder in the container can change and who can reach
//! it — a writable root filesystem, root as the user, ports published on every interface or
//! on privileged host ports, and the shared default bridge network.

// The rules of this group, in id order: each entry declares the rule's module and lists the
// rule in `RULES`, so a rule module cannot exist unregistered.
plimsoll_core::rule_group!(dyn super::RunSpecRule;
    writable_root_fs => WritableRootFs,
    runs_as_root => RunsAsRoot,
    all_interfaces => AllInterfaces,
    privileged_port => PrivilegedPort,
    default_bridge => DefaultBridge,
);
