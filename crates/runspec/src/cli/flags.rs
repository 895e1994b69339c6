//! The flag tables of `docker` (global options) and `docker run` / `docker create`, from
//! docker/cli: `cli/flags/options.go` and `cmd/docker/docker.go` for the global options,
//! `cli/command/container/opts.go` (`addFlags`), `run.go` and `create.go` for the command.
//!
//! The whole table matters, not only the flags plimsoll maps: whether a flag takes a value
//! decides which word is the image, so a flag we do not care about (`--label x`) must still
//! consume its value. Hidden and deprecated flags (`--net`, `--dns-opt`, `--kernel-memory`,
//! `--disable-content-trust`) are included because the CLI still accepts them.

/// Whether a flag takes a value (pflag: a flag without `NoOptDefVal`) or is a boolean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arity {
    /// `--flag`, `--flag=true|false`; never consumes the next word.
    Bool,
    /// `--flag value`, `--flag=value`, `-fvalue`, `-f=value`.
    Value,
}

/// One flag.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Flag {
    /// The long name as accepted on the command line (`net`).
    pub name: &'static str,
    pub short: Option<char>,
    pub arity: Arity,
    /// The long name findings cite (`network` for `--net`): aliases map to their main flag.
    pub canonical: &'static str,
}

const fn v(name: &'static str) -> Flag {
    Flag {
        name,
        short: None,
        arity: Arity::Value,
        canonical: name,
    }
}

const fn vs(name: &'static str, short: char) -> Flag {
    Flag {
        name,
        short: Some(short),
        arity: Arity::Value,
        canonical: name,
    }
}

const fn b(name: &'static str) -> Flag {
    Flag {
        name,
        short: None,
        arity: Arity::Bool,
        canonical: name,
    }
}

const fn bs(name: &'static str, short: char) -> Flag {
    Flag {
        name,
        short: Some(short),
        arity: Arity::Bool,
        canonical: name,
    }
}

const fn alias(name: &'static str, canonical: &'static str) -> Flag {
    Flag {
        name,
        short: None,
        arity: Arity::Value,
        canonical,
    }
}

/// Options of the `docker` command itself, accepted before the subcommand.
pub(crate) static GLOBAL_FLAGS: &[Flag] = &[
    v("config"),
    vs("context", 'c'),
    bs("debug", 'D'),
    vs("host", 'H'),
    vs("log-level", 'l'),
    b("tls"),
    v("tlscacert"),
    v("tlscert"),
    v("tlskey"),
    b("tlsverify"),
    bs("version", 'v'),
    bs("help", 'h'),
];

/// Every flag of `docker run` and `docker create` (the union: `--detach`, `--sig-proxy` and
/// `--detach-keys` exist only for `run`, which is harmless for an auditor).
pub(crate) static RUN_FLAGS: &[Flag] = &[
    // run.go / create.go
    bs("detach", 'd'),
    b("sig-proxy"),
    v("name"),
    v("detach-keys"),
    v("pull"),
    bs("quiet", 'q'),
    b("use-api-socket"),
    b("help"),
    v("platform"),
    b("disable-content-trust"),
    // opts.go: general purpose
    vs("attach", 'a'),
    v("device-cgroup-rule"),
    v("device"),
    v("gpus"),
    vs("env", 'e'),
    v("env-file"),
    v("entrypoint"),
    v("group-add"),
    vs("hostname", 'h'),
    v("domainname"),
    bs("interactive", 'i'),
    vs("label", 'l'),
    v("label-file"),
    b("read-only"),
    v("restart"),
    v("stop-signal"),
    v("stop-timeout"),
    v("sysctl"),
    bs("tty", 't'),
    v("ulimit"),
    vs("user", 'u'),
    vs("workdir", 'w'),
    b("rm"),
    // security
    v("cap-add"),
    v("cap-drop"),
    b("privileged"),
    v("security-opt"),
    v("userns"),
    v("cgroupns"),
    // network and ports
    v("add-host"),
    v("dns"),
    alias("dns-opt", "dns-option"),
    v("dns-option"),
    v("dns-search"),
    v("expose"),
    v("ip"),
    v("ip6"),
    v("link"),
    v("link-local-ip"),
    v("mac-address"),
    vs("publish", 'p'),
    bs("publish-all", 'P'),
    alias("net", "network"),
    v("network"),
    alias("net-alias", "network-alias"),
    v("network-alias"),
    // logging and storage
    v("log-driver"),
    v("volume-driver"),
    v("log-opt"),
    v("storage-opt"),
    v("tmpfs"),
    v("volumes-from"),
    vs("volume", 'v'),
    v("mount"),
    // health
    v("health-cmd"),
    v("health-interval"),
    v("health-retries"),
    v("health-timeout"),
    v("health-start-period"),
    v("health-start-interval"),
    b("no-healthcheck"),
    // resources
    v("blkio-weight"),
    v("blkio-weight-device"),
    v("cidfile"),
    v("cpuset-cpus"),
    v("cpuset-mems"),
    v("cpu-count"),
    v("cpu-percent"),
    v("cpu-period"),
    v("cpu-quota"),
    v("cpu-rt-period"),
    v("cpu-rt-runtime"),
    vs("cpu-shares", 'c'),
    v("cpus"),
    v("device-read-bps"),
    v("device-read-iops"),
    v("device-write-bps"),
    v("device-write-iops"),
    v("io-maxbandwidth"),
    v("io-maxiops"),
    vs("memory", 'm'),
    v("memory-reservation"),
    v("memory-swap"),
    v("memory-swappiness"),
    b("oom-kill-disable"),
    v("oom-score-adj"),
    v("pids-limit"),
    // low-level execution
    v("cgroup-parent"),
    v("ipc"),
    v("isolation"),
    v("pid"),
    v("shm-size"),
    v("uts"),
    v("runtime"),
    b("init"),
    v("annotation"),
    v("kernel-memory"),
];

/// The flag of `table` with long name `name`.
pub(crate) fn by_name<'t>(table: &'t [Flag], name: &str) -> Option<&'t Flag> {
    table.iter().find(|f| f.name == name)
}

/// The flag of `table` with shorthand `c`.
pub(crate) fn by_short(table: &[Flag], c: char) -> Option<&Flag> {
    table.iter().find(|f| f.short == Some(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn names_and_shorthands_are_unique() {
        for table in [GLOBAL_FLAGS, RUN_FLAGS] {
            let mut names = BTreeSet::new();
            let mut shorts = BTreeSet::new();
            for f in table {
                assert!(names.insert(f.name), "duplicate --{}", f.name);
                if let Some(c) = f.short {
                    assert!(shorts.insert(c), "duplicate -{c}");
                }
                assert!(by_name(table, f.canonical).is_some(), "{}", f.canonical);
            }
        }
    }

    #[test]
    fn table_size_matches_upstream() {
        // opts.go addFlags: 97 flags (incl. the hidden aliases and the deprecated
        // --kernel-memory); run.go/create.go: 10 more.
        assert_eq!(RUN_FLAGS.len(), 107);
        let bools: Vec<&str> = RUN_FLAGS
            .iter()
            .filter(|f| f.arity == Arity::Bool)
            .map(|f| f.name)
            .collect();
        assert_eq!(
            bools,
            [
                "detach",
                "sig-proxy",
                "quiet",
                "use-api-socket",
                "help",
                "disable-content-trust",
                "interactive",
                "read-only",
                "tty",
                "rm",
                "privileged",
                "publish-all",
                "no-healthcheck",
                "oom-kill-disable",
                "init"
            ]
        );
    }
}
