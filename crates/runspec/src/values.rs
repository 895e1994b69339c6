//! Value parsers shared by the compose mapping and the `docker run` parser.
//!
//! Each parser follows the code that really reads the value, so a spec is read the same way
//! whether it comes from a compose file or a command line, and the same way the engine reads
//! it:
//! - sizes: go-units `RAMInBytes` ([`parse_ram_bytes`]);
//! - CPUs: docker/cli `opts.ParseCPUs` ([`parse_cpus`]);
//! - ports: go-connections `nat.ParsePortSpec` ([`parse_port_spec`]);
//! - volumes: docker/cli `internal/volumespec.Parse` (the same algorithm as compose-go's
//!   `format.ParseVolume`) ([`parse_volume_spec`]); `--mount`: docker/cli `opts.MountOpt`
//!   ([`parse_mount_spec`]); `--tmpfs` ([`parse_tmpfs_spec`]);
//! - devices: docker/cli `validateLinuxPath` + `parseLinuxDevice` ([`parse_device_spec`]);
//! - ulimits: go-units `ParseUlimit` ([`parse_ulimit`]);
//! - restart policies: docker/cli `opts.ParseRestartPolicy` + the daemon's validation
//!   ([`parse_restart`]);
//! - security options: docker/cli `parseSecurityOpts` + the daemon's `parseSecurityOpt`
//!   ([`parse_security_opt`]); capabilities: `opts.NormalizeCapability`
//!   ([`normalize_capability`]);
//! - network and namespace modes: the engine's `container.NetworkMode`/`PidMode`/… and
//!   docker/cli `opts.NetworkOpt` ([`parse_network_mode`], [`parse_network_opt`],
//!   [`parse_namespace_mode`]);
//! - `KEY=VALUE` entries: docker/cli `opts.ValidateEnv` ([`parse_env_assignment`],
//!   [`parse_key_value`]).
//!
//! Errors are plain messages (worded like the Docker CLI's where it has one); callers attach
//! the file and span. Nothing here reads files or the environment: a relative bind source is
//! kept as written (the CLI would make it absolute against its working directory), a
//! seccomp profile path is kept as a path.

mod csv;
mod devices;
mod env;
mod modes;
mod mounts;
mod ports;
mod security;
mod sizes;
mod ulimits;

pub use devices::{is_cdi_device_name, parse_device_spec};
pub use env::{parse_env_assignment, parse_key_value};
pub use modes::{
    parse_namespace_mode, parse_network_mode, parse_network_opt, parse_restart,
    validate_namespace_mode, NamespaceKind,
};
pub use mounts::{clean_path, parse_mount_spec, parse_tmpfs_spec, parse_volume_spec};
pub use ports::{parse_port_range, parse_port_spec};
pub(crate) use security::go_parse_bool;
pub use security::{normalize_capability, parse_security_opt};
pub use sizes::{parse_cpus, parse_ram_bytes, parse_swap_bytes};
pub use ulimits::parse_ulimit;
