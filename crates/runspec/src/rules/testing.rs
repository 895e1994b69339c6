//! Builders for RunSpecs in memory, for the rules' unit tests (before and besides the compose
//! and `docker run` parsers). Each setter records a plausible [`Origin`] for the kind of source
//! the spec imitates:
//!
//! - [`compose`]: a service `web` in `compose.yaml`; each field set gets the next line and is
//!   quoted as `key: value`, via [`Via::Compose`];
//! - [`run`]: one `docker run` line in `run.sh`; each flag set gets the next column range on
//!   line 1 and is quoted as `--flag=value`, via [`Via::Flag`];
//! - [`container`]: a `docker inspect` result, quoted as `HostConfig.Field=value`, via
//!   [`Via::Inspect`].
//!
//! Use [`SpecBuilder::hardened`] for a spec on which no RS rule should fire, then undo one
//! setting to test a rule in isolation.
//!
//! ```ignore
//! let spec = compose("web").cap_add("SYS_ADMIN").build();
//! let found = check(&privileges::cap_add::CapAdd, &spec);
//! ```

use super::{Context, Input, RunSpecRule};
use crate::fields::{Field, FieldNames};
use crate::model::*;
use plimsoll_core::config::ImagePolicy;
use plimsoll_core::{Finding, Location, Pos, Span};

/// The file a compose-built spec claims to come from.
pub const COMPOSE_PATH: &str = "compose.yaml";
/// The file a run-built spec claims to come from.
pub const RUN_PATH: &str = "run.sh";

/// The pseudo-flag of the image word of a `docker run` command.
const IMAGE_WORD: &str = Field::Image.flag();

/// The names of a setting the field table has no row for (a compose-only key), as the builder
/// spells it in each kind of source.
const fn names(compose: &'static str, flag: &'static str, inspect: &'static str) -> FieldNames {
    FieldNames {
        compose,
        flag,
        inspect,
    }
}

/// Builds a [`RunSpec`] field by field, with origins.
#[derive(Debug, Clone)]
pub struct SpecBuilder {
    spec: RunSpec,
    /// Next compose line / next `docker run` column.
    next: u32,
    /// Items so far of each compose list key.
    items: std::collections::BTreeMap<&'static str, usize>,
}

/// Compose keys whose values are lists.
const LIST_KEYS: &[&str] = &[
    Field::CapAdd.compose(),
    Field::CapDrop.compose(),
    Field::SecurityOpt.compose(),
    Field::GroupAdd.compose(),
    Field::Networks.compose(),
    Field::Volumes.compose(),
    Field::Tmpfs.compose(),
    Field::Devices.compose(),
    Field::DeviceCgroupRules.compose(),
    Field::Ulimits.compose(),
    Field::Ports.compose(),
    Field::Environment.compose(),
    Field::EnvFile.compose(),
    "secrets",
];

/// A compose service `name` of project `proj` in `compose.yaml` (`services:` on line 1, the
/// service key on line 2), with `image: nginx:1.27` on line 3.
pub fn compose(name: &str) -> SpecBuilder {
    let anchor = Origin::at(
        COMPOSE_PATH,
        Span::new(Pos::new(2, 3), Pos::new(2, 3 + len(name))),
        format!("{name}:"),
        Via::Compose(String::new()),
    );
    let b = SpecBuilder {
        spec: RunSpec {
            name: name.to_string(),
            kind: SpecKind::ComposeService {
                project: "proj".to_string(),
            },
            anchor,
            ..RunSpec::default()
        },
        next: 3,
        items: Default::default(),
    };
    b.image("nginx:1.27")
}

/// A `docker run … nginx:1.27` command on line 1 of `run.sh`, named `name`.
pub fn run(name: &str) -> SpecBuilder {
    let text = format!("docker run --name {name} nginx:1.27");
    let anchor = Origin::at(
        RUN_PATH,
        Span::new(Pos::new(1, 1), Pos::new(1, 1 + len(&text))),
        text,
        Via::Flag(String::new()),
    );
    let b = SpecBuilder {
        spec: RunSpec {
            name: name.to_string(),
            kind: SpecKind::RunCommand,
            anchor,
            ..RunSpec::default()
        },
        next: 12,
        items: Default::default(),
    };
    b.image("nginx:1.27")
}

/// A container `name` as `docker inspect` reports it, running `nginx:1.27`.
pub fn container(name: &str) -> SpecBuilder {
    let anchor = Origin::new(
        Location::file(format!("container:{name}")),
        name.to_string(),
        Via::Inspect(String::new()),
    );
    let b = SpecBuilder {
        spec: RunSpec {
            name: name.to_string(),
            kind: SpecKind::Container {
                id: format!("{name}-0123456789ab"),
            },
            anchor,
            ..RunSpec::default()
        },
        next: 1,
        items: Default::default(),
    };
    b.image("nginx:1.27")
}

fn len(s: &str) -> u32 {
    u32::try_from(s.chars().count()).unwrap_or(u32::MAX)
}

impl SpecBuilder {
    /// The spec.
    pub fn build(self) -> RunSpec {
        self.spec
    }

    /// Changes the spec directly (for what no setter covers).
    pub fn with(mut self, f: impl FnOnce(&mut RunSpec)) -> Self {
        f(&mut self.spec);
        self
    }

    /// An origin for a setting named `n` whose value is written `value` (`None`: a bare flag
    /// such as `--privileged`), at the next free place of the source.
    pub fn origin(&mut self, n: FieldNames, value: Option<&str>) -> Origin {
        match &self.spec.kind {
            SpecKind::ComposeService { .. } => {
                let line = self.next;
                self.next += 1;
                let written = format!("{}: {}", n.compose, value.unwrap_or("true"));
                // List items are addressed by index, as the mapper does (`cap_add[0]`).
                let via = if LIST_KEYS.contains(&n.compose) {
                    let index = self.items.entry(n.compose).or_insert(0);
                    *index += 1;
                    format!("{}[{}]", n.compose, *index - 1)
                } else {
                    n.compose.to_string()
                };
                let col = 5;
                Origin::at(
                    COMPOSE_PATH,
                    Span::new(Pos::new(line, col), Pos::new(line, col + len(&written))),
                    written,
                    Via::Compose(via),
                )
            }
            SpecKind::RunCommand => {
                let written = match value {
                    // The image is a bare word of the command line.
                    Some(v) if n.flag == IMAGE_WORD => v.to_string(),
                    Some(v) => format!("{}={v}", n.flag),
                    None => n.flag.to_string(),
                };
                let col = self.next;
                self.next += len(&written) + 1;
                Origin::at(
                    RUN_PATH,
                    Span::new(Pos::new(1, col), Pos::new(1, col + len(&written))),
                    written,
                    Via::Flag(n.flag.to_string()),
                )
            }
            SpecKind::Container { .. } => Origin::new(
                Location::file(format!("container:{}", self.spec.name)),
                format!("{}={}", n.inspect, value.unwrap_or("true")),
                Via::Inspect(n.inspect.to_string()),
            ),
        }
    }

    fn sourced<T>(&mut self, n: FieldNames, written: Option<&str>, value: T) -> Sourced<T> {
        let origin = self.origin(n, written);
        Sourced::new(value, origin)
    }

    pub fn image(mut self, image: &str) -> Self {
        let s = self.sourced(Field::Image.names(), Some(image), image.into());
        self.spec.image = Some(s);
        self
    }

    pub fn no_image(mut self) -> Self {
        self.spec.image = None;
        self
    }

    /// `build: <context>` with the default Dockerfile.
    pub fn build_context(mut self, context: &str) -> Self {
        let value = Build {
            context: context.to_string(),
            dockerfile: "Dockerfile".to_string(),
            inline: None,
            target: None,
            base_dir: ".".to_string(),
        };
        let s = self.sourced(
            names("build", "--build", "Config.Image"),
            Some(context),
            value,
        );
        self.spec.build = Some(s);
        self
    }

    /// What another stage knows of the image: its user (`Some("")` = no USER, root) and
    /// whether it has a HEALTHCHECK.
    pub fn image_facts(mut self, user: Option<&str>, healthcheck: Option<bool>) -> Self {
        let at = |written: String| {
            Origin::at(
                "Dockerfile",
                Span::new(Pos::new(5, 1), Pos::new(5, 1 + len(&written))),
                written,
                Via::Derived("final stage of Dockerfile".to_string()),
            )
        };
        self.spec.image_facts = Some(ImageFacts {
            user: user.map(|u| Sourced::new(u.to_string(), at(format!("USER {u}")))),
            healthcheck: healthcheck.map(|h| {
                let written = if h {
                    "HEALTHCHECK CMD true"
                } else {
                    "FROM nginx:1.27"
                };
                Sourced::new(h, at(written.to_string()))
            }),
        });
        self
    }

    pub fn user(mut self, user: &str) -> Self {
        let s = self.sourced(Field::User.names(), Some(user), user.into());
        self.spec.user = Some(s);
        self
    }

    pub fn group_add(mut self, group: &str) -> Self {
        let n = Field::GroupAdd.names();
        let s = self.sourced(n, Some(group), group.into());
        self.spec.group_add.push(s);
        self
    }

    /// `privileged: <on>` / `--privileged[=false]`.
    pub fn privileged(mut self, on: bool) -> Self {
        let n = Field::Privileged.names();
        // `docker run` writes the true case as a bare flag.
        let written = match (on, self.is_run()) {
            (true, true) => None,
            (true, false) => Some("true"),
            (false, _) => Some("false"),
        };
        let s = self.sourced(n, written, on);
        self.spec.privileged = Some(s);
        self
    }

    fn is_run(&self) -> bool {
        self.spec.kind == SpecKind::RunCommand
    }

    /// One capability added, as written (normalised into the model the way the parsers do:
    /// upper case, `CAP_` stripped).
    pub fn cap_add(mut self, cap: &str) -> Self {
        let n = Field::CapAdd.names();
        let s = self.sourced(n, Some(cap), crate::values::normalize_capability(cap));
        self.spec.cap_add.push(s);
        self
    }

    /// One capability dropped, as written (normalised like [`SpecBuilder::cap_add`]).
    pub fn cap_drop(mut self, cap: &str) -> Self {
        let n = Field::CapDrop.names();
        let s = self.sourced(n, Some(cap), crate::values::normalize_capability(cap));
        self.spec.cap_drop.push(s);
        self
    }

    /// One security option, `written` as in the source (`seccomp=unconfined`,
    /// `no-new-privileges:true`), with its parsed `value`.
    pub fn security_opt(mut self, written: &str, value: SecurityOpt) -> Self {
        let n = Field::SecurityOpt.names();
        let s = self.sourced(n, Some(written), value);
        self.spec.security_opt.push(s);
        self
    }

    pub fn no_new_privileges(self, on: bool) -> Self {
        let w = if on {
            "no-new-privileges:true"
        } else {
            "no-new-privileges:false"
        };
        self.security_opt(w, SecurityOpt::NoNewPrivileges(on))
    }

    /// `network_mode:` / `--network`, `written` as in the source (`host`, `bridge`, `mynet`).
    pub fn network_mode(mut self, written: &str, mode: NetworkMode) -> Self {
        let n = Field::NetworkMode.names();
        let s = self.sourced(n, Some(written), mode);
        self.spec.network_mode = Some(s);
        self
    }

    /// A network joined (`networks:` of a compose service, or a further `--network`).
    pub fn network(mut self, name: &str) -> Self {
        let n = Field::Networks.names();
        let s = self.sourced(n, Some(name), name.into());
        self.spec.networks.push(s);
        self
    }

    pub fn pid(mut self, written: &str, mode: NamespaceMode) -> Self {
        let s = self.sourced(Field::Pid.names(), Some(written), mode);
        self.spec.pid = Some(s);
        self
    }

    pub fn ipc(mut self, written: &str, mode: NamespaceMode) -> Self {
        let s = self.sourced(Field::Ipc.names(), Some(written), mode);
        self.spec.ipc = Some(s);
        self
    }

    pub fn uts(mut self, written: &str, mode: NamespaceMode) -> Self {
        let s = self.sourced(Field::Uts.names(), Some(written), mode);
        self.spec.uts = Some(s);
        self
    }

    pub fn userns(mut self, written: &str, mode: NamespaceMode) -> Self {
        let n = Field::Userns.names();
        let s = self.sourced(n, Some(written), mode);
        self.spec.userns = Some(s);
        self
    }

    pub fn cgroupns(mut self, written: &str, mode: NamespaceMode) -> Self {
        let n = Field::Cgroupns.names();
        let s = self.sourced(n, Some(written), mode);
        self.spec.cgroupns = Some(s);
        self
    }

    pub fn cgroup_parent(mut self, parent: &str) -> Self {
        let n = Field::CgroupParent.names();
        let s = self.sourced(n, Some(parent), parent.into());
        self.spec.cgroup_parent = Some(s);
        self
    }

    /// A mount, `written` as in the source (`/var/run/docker.sock:/var/run/docker.sock:ro`).
    pub fn mount(mut self, written: &str, mount: Mount) -> Self {
        let n = Field::Volumes.names();
        let s = self.sourced(n, Some(written), mount);
        self.spec.mounts.push(s);
        self
    }

    /// A bind mount `src:dst[:ro]`.
    pub fn bind(self, src: &str, dst: &str, read_only: bool) -> Self {
        let written = if read_only {
            format!("{src}:{dst}:ro")
        } else {
            format!("{src}:{dst}")
        };
        self.mount(&written, bind(src, dst, read_only))
    }

    /// A named volume `name:dst`.
    pub fn volume(self, name: &str, dst: &str) -> Self {
        let m = Mount {
            kind: MountKind::Volume,
            source: Some(name.to_string()),
            target: dst.to_string(),
            read_only: false,
            propagation: None,
            selinux: None,
        };
        self.mount(&format!("{name}:{dst}"), m)
    }

    /// A tmpfs at `dst`.
    pub fn tmpfs(mut self, dst: &str) -> Self {
        let m = Mount {
            kind: MountKind::Tmpfs,
            source: None,
            target: dst.to_string(),
            read_only: false,
            propagation: None,
            selinux: None,
        };
        let s = self.sourced(Field::Tmpfs.names(), Some(dst), m);
        self.spec.mounts.push(s);
        self
    }

    /// A device `host[:container[:perms]]`.
    pub fn device(mut self, written: &str) -> Self {
        let mut parts = written.splitn(3, ':');
        let host_path = parts.next().unwrap_or_default().to_string();
        let device = Device {
            host_path,
            container_path: parts.next().map(str::to_string),
            permissions: parts.next().map(str::to_string),
        };
        let s = self.sourced(Field::Devices.names(), Some(written), device);
        self.spec.devices.push(s);
        self
    }

    pub fn device_cgroup_rule(mut self, rule: &str) -> Self {
        let n = Field::DeviceCgroupRules.names();
        let s = self.sourced(n, Some(rule), rule.into());
        self.spec.device_cgroup_rules.push(s);
        self
    }

    pub fn gpus(mut self, gpus: &str) -> Self {
        let s = self.sourced(Field::Gpus.names(), Some(gpus), gpus.into());
        self.spec.gpus = Some(s);
        self
    }

    pub fn sysctl(mut self, name: &str, value: &str) -> Self {
        let written = format!("{name}={value}");
        let n = Field::Sysctls.names();
        let s = self.sourced(n, Some(&written), (name.to_string(), value.to_string()));
        self.spec.sysctls.push(s);
        self
    }

    /// Memory limit, `written` as in the source (`512m`), `bytes` as parsed.
    pub fn memory(mut self, written: &str, bytes: i64) -> Self {
        let n = Field::Memory.names();
        let s = self.sourced(n, Some(written), bytes);
        self.spec.memory = Some(s);
        self
    }

    pub fn memory_swap(mut self, written: &str, bytes: i64) -> Self {
        let n = Field::MemorySwap.names();
        let s = self.sourced(n, Some(written), bytes);
        self.spec.memory_swap = Some(s);
        self
    }

    pub fn memory_reservation(mut self, written: &str, bytes: i64) -> Self {
        let n = Field::MemoryReservation.names();
        let s = self.sourced(n, Some(written), bytes);
        self.spec.memory_reservation = Some(s);
        self
    }

    pub fn oom_kill_disable(mut self, on: bool) -> Self {
        let n = Field::OomKillDisable.names();
        let w = on.to_string();
        let s = self.sourced(n, Some(&w), on);
        self.spec.oom_kill_disable = Some(s);
        self
    }

    pub fn cpus(mut self, cpus: f64) -> Self {
        let w = cpus.to_string();
        let s = self.sourced(Field::Cpus.names(), Some(&w), cpus);
        self.spec.cpus = Some(s);
        self
    }

    pub fn cpu_shares(mut self, shares: i64) -> Self {
        let w = shares.to_string();
        let n = Field::CpuShares.names();
        let s = self.sourced(n, Some(&w), shares);
        self.spec.cpu_shares = Some(s);
        self
    }

    pub fn cpu_quota(mut self, quota: i64) -> Self {
        let w = quota.to_string();
        let n = Field::CpuQuota.names();
        let s = self.sourced(n, Some(&w), quota);
        self.spec.cpu_quota = Some(s);
        self
    }

    pub fn cpu_period(mut self, period: i64) -> Self {
        let w = period.to_string();
        let n = Field::CpuPeriod.names();
        let s = self.sourced(n, Some(&w), period);
        self.spec.cpu_period = Some(s);
        self
    }

    pub fn cpuset_cpus(mut self, set: &str) -> Self {
        let n = Field::CpusetCpus.names();
        let s = self.sourced(n, Some(set), set.into());
        self.spec.cpuset_cpus = Some(s);
        self
    }

    pub fn pids_limit(mut self, limit: i64) -> Self {
        let w = limit.to_string();
        let n = Field::PidsLimit.names();
        let s = self.sourced(n, Some(&w), limit);
        self.spec.pids_limit = Some(s);
        self
    }

    pub fn ulimit(mut self, name: &str, soft: i64, hard: i64) -> Self {
        let w = format!("{name}={soft}:{hard}");
        let u = Ulimit {
            name: name.to_string(),
            soft,
            hard,
        };
        let s = self.sourced(Field::Ulimits.names(), Some(&w), u);
        self.spec.ulimits.push(s);
        self
    }

    pub fn read_only(mut self, on: bool) -> Self {
        let w = on.to_string();
        let n = Field::ReadOnly.names();
        let s = self.sourced(n, Some(&w), on);
        self.spec.read_only = Some(s);
        self
    }

    /// A published port, `written` as in the source (`127.0.0.1:8080:80`).
    pub fn port(mut self, written: &str, binding: PortBinding) -> Self {
        let s = self.sourced(Field::Ports.names(), Some(written), binding);
        self.spec.ports.push(s);
        self
    }

    /// A TCP port `[ip:]host:ctr` (single ports only).
    pub fn publish(self, host_ip: Option<&str>, host: u16, ctr: u16) -> Self {
        let written = match host_ip {
            Some(ip) if ip.contains(':') => format!("[{ip}]:{host}:{ctr}"),
            Some(ip) => format!("{ip}:{host}:{ctr}"),
            None => format!("{host}:{ctr}"),
        };
        let binding = PortBinding {
            host_ip: host_ip.map(str::to_string),
            host_port: Some(PortRange {
                start: host,
                end: host,
            }),
            container_port: PortRange {
                start: ctr,
                end: ctr,
            },
            protocol: "tcp".to_string(),
        };
        self.port(&written, binding)
    }

    pub fn publish_all(mut self, on: bool) -> Self {
        let w = on.to_string();
        let n = Field::PublishAll.names();
        let s = self.sourced(n, Some(&w), on);
        self.spec.publish_all = Some(s);
        self
    }

    /// A restart policy, `written` as in the source (`on-failure:5`).
    pub fn restart(mut self, written: &str, policy: RestartPolicy) -> Self {
        let n = Field::Restart.names();
        let s = self.sourced(n, Some(written), policy);
        self.spec.restart = Some(s);
        self
    }

    pub fn healthcheck(mut self, written: &str, check: Healthcheck) -> Self {
        let n = Field::Healthcheck.names();
        let s = self.sourced(n, Some(written), check);
        self.spec.healthcheck = Some(s);
        self
    }

    /// A healthcheck running `cmd` in a shell every 30s.
    pub fn health_cmd(self, cmd: &str) -> Self {
        let check = Healthcheck::Check {
            test: Some(vec!["CMD-SHELL".to_string(), cmd.to_string()]),
            interval: Some("30s".to_string()),
            timeout: None,
            retries: None,
            start_period: None,
        };
        self.healthcheck(cmd, check)
    }

    pub fn env(mut self, name: &str, value: Option<&str>, from: EnvFrom) -> Self {
        let w = match value {
            Some(v) => format!("{name}={v}"),
            None => name.to_string(),
        };
        let var = EnvVar {
            name: name.to_string(),
            value: value.map(str::to_string),
            from,
        };
        let s = self.sourced(Field::Environment.names(), Some(&w), var);
        self.spec.environment.push(s);
        self
    }

    pub fn env_file(mut self, path: &str) -> Self {
        let s = self.sourced(Field::EnvFile.names(), Some(path), path.into());
        self.spec.env_files.push(s);
        self
    }

    pub fn secret(mut self, name: &str) -> Self {
        let s = self.sourced(
            names("secrets", "--secret", "Config.Secrets"),
            Some(name),
            name.into(),
        );
        self.spec.secrets.push(s);
        self
    }

    pub fn log_driver(mut self, driver: &str) -> Self {
        let n = Field::LogDriver.names();
        let s = self.sourced(n, Some(driver), driver.into());
        self.spec.log_driver = Some(s);
        self
    }

    pub fn log_opt(mut self, name: &str, value: &str) -> Self {
        let w = format!("{name}={value}");
        let n = Field::LogOpts.names();
        let s = self.sourced(n, Some(&w), (name.to_string(), value.to_string()));
        self.spec.log_opts.push(s);
        self
    }

    pub fn init(mut self, on: bool) -> Self {
        let w = on.to_string();
        let s = self.sourced(Field::Init.names(), Some(&w), on);
        self.spec.init = Some(s);
        self
    }

    pub fn runtime(mut self, runtime: &str) -> Self {
        let s = self.sourced(Field::Runtime.names(), Some(runtime), runtime.into());
        self.spec.runtime = Some(s);
        self
    }

    /// Every hardening setting the RS rules look for: all capabilities dropped,
    /// no-new-privileges, a read-only root filesystem with a tmpfs for `/tmp`, user 65534,
    /// memory/pids/CPU limits, a user-defined network, a port published on 127.0.0.1 only, a
    /// healthcheck, `restart: on-failure:5`, an image pinned by digest. No RS rule fires on it.
    pub fn hardened(self) -> Self {
        let b = self
            .image("nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
            .user("65534:65534")
            .cap_drop("ALL")
            .no_new_privileges(true)
            .read_only(true)
            .tmpfs("/tmp")
            .memory("512m", 512 * 1024 * 1024)
            .pids_limit(200)
            .cpus(1.0)
            .publish(Some("127.0.0.1"), 8080, 8080)
            .health_cmd("wget -q --spider http://127.0.0.1:8080/ || exit 1")
            .restart(
                "on-failure:5",
                RestartPolicy::OnFailure {
                    max_retries: Some(5),
                },
            );
        if b.is_run() {
            b.network_mode("appnet", NetworkMode::Named("appnet".to_string()))
        } else {
            b.network("appnet")
        }
    }
}

/// A bind mount.
pub fn bind(src: &str, dst: &str, read_only: bool) -> Mount {
    Mount {
        kind: MountKind::Bind,
        source: Some(src.to_string()),
        target: dst.to_string(),
        read_only,
        propagation: None,
        selinux: None,
    }
}

/// The default image policy.
pub fn policy() -> ImagePolicy {
    ImagePolicy {
        trusted_registries: Vec::new(),
        trusted_bases: Vec::new(),
        require_digest: true,
    }
}

/// Runs one rule on a spec with the default policy.
pub fn check(rule: &dyn RunSpecRule, spec: &RunSpec) -> Vec<Finding> {
    check_with(rule, spec, &policy())
}

/// Runs one rule on a spec with `policy`, in the dialect of the spec's source.
pub fn check_with(rule: &dyn RunSpecRule, spec: &RunSpec, policy: &ImagePolicy) -> Vec<Finding> {
    let mut out = Vec::new();
    rule.check(&Input::new(spec, &Context::new(policy)), &mut out);
    out
}

/// Runs every rule on a spec with the default policy.
pub fn audit(spec: &RunSpec) -> Vec<Finding> {
    let policy = policy();
    super::audit(spec, &Context::new(&policy))
}

/// The rule ids of some findings, in order.
pub fn ids(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.rule_id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_origins_are_consecutive_lines() {
        let spec = compose("web").cap_add("cap_sys_admin").build();
        assert_eq!(spec.anchor.location.path, COMPOSE_PATH);
        let img = spec.image.as_ref().map(|s| s.origin.location.span);
        assert_eq!(img.flatten().map(|s| s.start.line), Some(3));
        let cap = &spec.cap_add[0];
        assert_eq!(cap.value, "SYS_ADMIN");
        assert_eq!(cap.origin.written, "cap_add: cap_sys_admin");
        assert_eq!(cap.origin.location.span.map(|s| s.start.line), Some(4));
        assert_eq!(cap.origin.via, Via::Compose("cap_add[0]".into()));
    }

    #[test]
    fn run_origins_are_flags() {
        let spec = run("web").privileged(true).cap_add("NET_ADMIN").build();
        assert_eq!(spec.kind, SpecKind::RunCommand);
        let p = spec.privileged.as_ref().map(|p| p.origin.written.as_str());
        assert_eq!(p, Some("--privileged"));
        assert_eq!(spec.cap_add[0].origin.written, "--cap-add=NET_ADMIN");
    }

    #[test]
    fn container_origins_are_inspect_fields() {
        let spec = container("web").privileged(true).build();
        let p = spec.privileged.as_ref().map(|p| p.origin.written.as_str());
        assert_eq!(p, Some("HostConfig.Privileged=true"));
    }

    #[test]
    fn hardened_specs_pass_every_rule() {
        for spec in [
            compose("web").hardened().build(),
            run("web").hardened().build(),
            container("web").hardened().build(),
        ] {
            let found = audit(&spec);
            assert!(found.is_empty(), "{:?}: {:#?}", spec.kind, found);
        }
    }
}
