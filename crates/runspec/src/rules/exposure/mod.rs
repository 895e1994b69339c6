//! Exposure (RS024–RS028): what an intruder in the container can change and who can reach
//! it — a writable root filesystem, root as the user, ports published on every interface or
//! on privileged host ports, and the shared default bridge network.

use super::Rule;

pub mod all_interfaces;
pub mod default_bridge;
pub mod privileged_port;
pub mod runs_as_root;
pub mod writable_root_fs;

/// The rules of this group, in id order.
pub static RULES: &[&dyn Rule] = &[
    &writable_root_fs::WritableRootFs,
    &runs_as_root::RunsAsRoot,
    &all_interfaces::AllInterfaces,
    &privileged_port::PrivilegedPort,
    &default_bridge::DefaultBridge,
];
