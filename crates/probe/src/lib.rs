//! plimsoll's in-container probe: what isolation a container really has, as the kernel
//! enforces it — configuration says what a container should get, the probe reads what it got.
//!
//! The probe reads facts without changing anything ([`facts`]: capabilities, seccomp,
//! AppArmor/SELinux, user namespace maps, cgroup version and limits, mounts, devices, runtime
//! sockets, host namespaces, secret names in the environment), optionally runs harmless
//! experiments in forked children ([`experiments`]: the paper's four scenarios, automated),
//! and judges both with the PB rules ([`rules`]).
//!
//! Everything is read through a [`root::Root`] directory, so tests feed recorded `/proc` and
//! `/sys` trees; experiments run only on the live system. The crate depends on `core` alone
//! (plus `libc` for the experiments' system calls) and builds into a static binary that runs
//! in `scratch` images.

pub mod capabilities;
pub mod cgroups;
pub mod devices;
pub mod environment;
pub mod evidence;
pub mod experiments;
pub mod facts;
pub mod idmap;
pub mod lsm;
pub mod mounts;
pub mod namespaces;
pub mod paper;
pub mod report;
pub mod root;
pub mod rules;
pub mod runtime;
pub mod sockets;
pub mod status;
pub mod summary;

pub use mounts::LAUNCH_MOUNT;
pub use report::{default_target, probe, ProbeReport, Timing};
