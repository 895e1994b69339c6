//! Privilege rules (RS001–RS008): what the container may do as root — privileged mode,
//! capabilities added and kept, and the security options that confine it (no-new-privileges,
//! seccomp, AppArmor, SELinux, masked kernel paths).

use super::Rule;

pub mod caps;

pub mod apparmor;
pub mod cap_add;
pub mod cap_drop;
pub mod no_new_privileges;
pub mod privileged;
pub mod seccomp;
pub mod selinux;
pub mod system_paths;

/// The rules of this group, in id order.
pub static RULES: &[&dyn Rule] = &[
    &privileged::Privileged,
    &cap_add::CapAdd,
    &cap_drop::CapDrop,
    &no_new_privileges::NoNewPrivileges,
    &seccomp::Seccomp,
    &apparmor::AppArmor,
    &selinux::SeLinux,
    &system_paths::SystemPaths,
];
