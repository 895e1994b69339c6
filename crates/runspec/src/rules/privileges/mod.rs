//! Privilege rules (RS001–RS008): what the container may do as root — privileged mode,
//! capabilities added and kept, and the security options that confine it (no-new-privileges,
//! seccomp, AppArmor, SELinux, masked kernel paths).

pub mod caps;

// The rules of this group, in id order: each entry declares the rule's module and lists the
// rule in `RULES`, so a rule module cannot exist unregistered.
plimsoll_core::rule_group!(dyn super::RunSpecRule;
    privileged => Privileged,
    cap_add => CapAdd,
    cap_drop => CapDrop,
    no_new_privileges => NoNewPrivileges,
    seccomp => Seccomp,
    apparmor => AppArmor,
    selinux => SeLinux,
    system_paths => SystemPaths,
);
