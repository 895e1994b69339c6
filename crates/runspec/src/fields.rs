//! The RunSpec's fields and how each source names them: one row per field with its compose
//! key, its `docker run` flag and its `docker inspect` path. The compose mapper, the
//! `docker run` mapper, the engine's inspect mapper and the test builder read names from
//! here, so "which key/flag/field is this setting" is written once; a new source adds a
//! column (and a [`crate::dialect::Dialect`]), not a copy of the list.

/// One setting of a [`crate::RunSpec`], by what it means rather than by how a source spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Image,
    User,
    GroupAdd,
    Privileged,
    CapAdd,
    CapDrop,
    SecurityOpt,
    NetworkMode,
    Networks,
    Pid,
    Ipc,
    Uts,
    Userns,
    Cgroupns,
    CgroupParent,
    Volumes,
    Tmpfs,
    Devices,
    DeviceCgroupRules,
    Gpus,
    Sysctls,
    Memory,
    MemorySwap,
    MemoryReservation,
    OomKillDisable,
    Cpus,
    CpuShares,
    CpuQuota,
    CpuPeriod,
    CpusetCpus,
    PidsLimit,
    Ulimits,
    ReadOnly,
    Ports,
    PublishAll,
    Restart,
    Healthcheck,
    Environment,
    EnvFile,
    LogDriver,
    LogOpts,
    Init,
    Runtime,
}

/// How each source names one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldNames {
    /// The compose key, as a path from the service (`cap_add`, `logging.driver`).
    pub compose: &'static str,
    /// The `docker run` flag by its long name (`--cap-add`); `IMAGE` for the image word.
    pub flag: &'static str,
    /// The `docker inspect` field (`HostConfig.CapAdd`).
    pub inspect: &'static str,
}

impl Field {
    /// This field's row of the table: its compose key, `docker run` flag and inspect field.
    pub const fn names(self) -> FieldNames {
        let (compose, flag, inspect) = match self {
            Field::Image => ("image", "IMAGE", "Config.Image"),
            Field::User => ("user", "--user", "Config.User"),
            Field::GroupAdd => ("group_add", "--group-add", "HostConfig.GroupAdd"),
            Field::Privileged => ("privileged", "--privileged", "HostConfig.Privileged"),
            Field::CapAdd => ("cap_add", "--cap-add", "HostConfig.CapAdd"),
            Field::CapDrop => ("cap_drop", "--cap-drop", "HostConfig.CapDrop"),
            Field::SecurityOpt => ("security_opt", "--security-opt", "HostConfig.SecurityOpt"),
            Field::NetworkMode => ("network_mode", "--network", "HostConfig.NetworkMode"),
            Field::Networks => ("networks", "--network", "NetworkSettings.Networks"),
            Field::Pid => ("pid", "--pid", "HostConfig.PidMode"),
            Field::Ipc => ("ipc", "--ipc", "HostConfig.IpcMode"),
            Field::Uts => ("uts", "--uts", "HostConfig.UTSMode"),
            Field::Userns => ("userns_mode", "--userns", "HostConfig.UsernsMode"),
            Field::Cgroupns => ("cgroup", "--cgroupns", "HostConfig.CgroupnsMode"),
            Field::CgroupParent => (
                "cgroup_parent",
                "--cgroup-parent",
                "HostConfig.CgroupParent",
            ),
            Field::Volumes => ("volumes", "--volume", "HostConfig.Binds"),
            Field::Tmpfs => ("tmpfs", "--tmpfs", "HostConfig.Tmpfs"),
            Field::Devices => ("devices", "--device", "HostConfig.Devices"),
            Field::DeviceCgroupRules => (
                "device_cgroup_rules",
                "--device-cgroup-rule",
                "HostConfig.DeviceCgroupRules",
            ),
            Field::Gpus => ("gpus", "--gpus", "HostConfig.DeviceRequests"),
            Field::Sysctls => ("sysctls", "--sysctl", "HostConfig.Sysctls"),
            Field::Memory => ("mem_limit", "--memory", "HostConfig.Memory"),
            Field::MemorySwap => ("memswap_limit", "--memory-swap", "HostConfig.MemorySwap"),
            Field::MemoryReservation => (
                "mem_reservation",
                "--memory-reservation",
                "HostConfig.MemoryReservation",
            ),
            Field::OomKillDisable => (
                "oom_kill_disable",
                "--oom-kill-disable",
                "HostConfig.OomKillDisable",
            ),
            Field::Cpus => ("cpus", "--cpus", "HostConfig.NanoCpus"),
            Field::CpuShares => ("cpu_shares", "--cpu-shares", "HostConfig.CpuShares"),
            Field::CpuQuota => ("cpu_quota", "--cpu-quota", "HostConfig.CpuQuota"),
            Field::CpuPeriod => ("cpu_period", "--cpu-period", "HostConfig.CpuPeriod"),
            Field::CpusetCpus => ("cpuset", "--cpuset-cpus", "HostConfig.CpusetCpus"),
            Field::PidsLimit => ("pids_limit", "--pids-limit", "HostConfig.PidsLimit"),
            Field::Ulimits => ("ulimits", "--ulimit", "HostConfig.Ulimits"),
            Field::ReadOnly => ("read_only", "--read-only", "HostConfig.ReadonlyRootfs"),
            Field::Ports => ("ports", "--publish", "HostConfig.PortBindings"),
            Field::PublishAll => ("publish_all", "--publish-all", "HostConfig.PublishAllPorts"),
            Field::Restart => ("restart", "--restart", "HostConfig.RestartPolicy"),
            Field::Healthcheck => ("healthcheck", "--health-cmd", "Config.Healthcheck"),
            Field::Environment => ("environment", "--env", "Config.Env"),
            Field::EnvFile => ("env_file", "--env-file", "Config.Env"),
            Field::LogDriver => (
                "logging.driver",
                "--log-driver",
                "HostConfig.LogConfig.Type",
            ),
            Field::LogOpts => (
                "logging.options",
                "--log-opt",
                "HostConfig.LogConfig.Config",
            ),
            Field::Init => ("init", "--init", "HostConfig.Init"),
            Field::Runtime => ("runtime", "--runtime", "HostConfig.Runtime"),
        };
        FieldNames {
            compose,
            flag,
            inspect,
        }
    }

    /// The compose key (`cap_add`).
    pub const fn compose(self) -> &'static str {
        self.names().compose
    }

    /// The `docker run` flag (`--cap-add`).
    pub const fn flag(self) -> &'static str {
        self.names().flag
    }

    /// The `docker inspect` field (`HostConfig.CapAdd`).
    pub const fn inspect(self) -> &'static str {
        self.names().inspect
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_by_source() {
        assert_eq!(Field::CapDrop.compose(), "cap_drop");
        assert_eq!(Field::CapDrop.flag(), "--cap-drop");
        assert_eq!(Field::CapDrop.inspect(), "HostConfig.CapDrop");
        assert_eq!(Field::Memory.compose(), "mem_limit");
    }
}
