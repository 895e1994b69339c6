//! A fourth source needs no rule change: this test declares a dialect that exists only here —
//! a Kubernetes-pod-like wording — runs every RS rule on specs that make it fire, worded in
//! that dialect, and checks that every fix is in the new dialect's words and none is in
//! compose's or `docker run`'s (no compose key, no `docker run` flag from the field table).

use plimsoll_runspec::dialect::{Dialect, Fix};
use plimsoll_runspec::fields::Field;
use plimsoll_runspec::model::{
    EnvFrom, Healthcheck, Mount, MountKind, NamespaceMode, NetworkMode, Origin, RestartPolicy,
    RunSpec, SecurityOpt,
};
use plimsoll_runspec::rules::testing::{bind, policy, run};
use plimsoll_runspec::rules::{self, Input};
use std::collections::BTreeSet;

/// How a pod spec would word fixes: every text names the pod spec, none a compose key or a
/// `docker run` flag.
struct PodSpec;

const POD_WORDS: &str = "in the pod spec";

impl Dialect for PodSpec {
    fn subject(&self, spec: &RunSpec) -> String {
        format!("pod `{}`", spec.name)
    }

    fn remove(&self, _origin: &Origin) -> Option<String> {
        Some(format!("delete the setting {POD_WORDS}"))
    }

    fn fix(&self, fix: Fix<'_>) -> String {
        format!("set `{}` {POD_WORDS} ({fix:?})", pod_path(fix.field()))
    }
}

/// Where a pod spec holds a field (a few for the example; the rest under the container).
fn pod_path(field: Field) -> String {
    match field {
        Field::CapAdd | Field::CapDrop => "securityContext.capabilities".to_string(),
        Field::Privileged => "securityContext.privileged".to_string(),
        Field::User => "securityContext.runAsUser".to_string(),
        Field::ReadOnly => "securityContext.readOnlyRootFilesystem".to_string(),
        Field::Memory | Field::Cpus => "resources.limits".to_string(),
        other => format!("containers[0].{other:?}"),
    }
}

/// Specs that between them make every rule that reads a spec's settings fire (the runtime-only
/// rules need a live container's state, which no description has).
fn specs() -> Vec<RunSpec> {
    let base = || run("web");
    vec![
        base().build(),
        base().privileged(true).build(),
        base()
            .cap_add("SYS_ADMIN")
            .cap_add("SYS_PTRACE")
            .security_opt(
                "seccomp=unconfined",
                SecurityOpt::Seccomp("unconfined".into()),
            )
            .security_opt(
                "apparmor=unconfined",
                SecurityOpt::AppArmor("unconfined".into()),
            )
            .security_opt("label=disable", SecurityOpt::Label("disable".into()))
            .security_opt(
                "systempaths=unconfined",
                SecurityOpt::SystemPaths("unconfined".into()),
            )
            .security_opt("writable-cgroups=true", SecurityOpt::WritableCgroups(true))
            .no_new_privileges(false)
            .build(),
        base()
            .network_mode("host", NetworkMode::Host)
            .pid("host", NamespaceMode::Host)
            .ipc("host", NamespaceMode::Host)
            .uts("host", NamespaceMode::Host)
            .userns("host", NamespaceMode::Host)
            .cgroupns("host", NamespaceMode::Host)
            .cgroup_parent("/")
            .build(),
        base()
            .bind("/var/run/docker.sock", "/var/run/docker.sock", false)
            .bind("/etc", "/host/etc", false)
            .bind("/etc/ssh", "/host/ssh", false)
            .bind("/etc/localtime", "/etc/localtime", false)
            .mount(
                "/mnt:/mnt:rshared",
                Mount {
                    propagation: Some("rshared".into()),
                    ..bind("/mnt", "/mnt", false)
                },
            )
            .mount(
                "data:/data",
                Mount {
                    kind: MountKind::Volume,
                    ..bind("data", "/data", false)
                },
            )
            .device("/dev/sda")
            .device_cgroup_rule("a *:* rwm")
            .gpus("all")
            .build(),
        base()
            .memory("0", 0)
            .memory_swap("-1", -1)
            .pids_limit(-1)
            .ulimit("rtprio", 99, 99)
            .ulimit("memlock", -1, -1)
            .build(),
        base()
            .memory("512m", 512 << 20)
            .memory_swap("-1", -1)
            .build(),
        base()
            .read_only(false)
            .user("root")
            .publish(None, 80, 80)
            .publish_all(true)
            .network_mode("bridge", NetworkMode::Bridge)
            .restart("always", RestartPolicy::Always)
            .healthcheck("--no-healthcheck", Healthcheck::Disabled)
            .log_driver("none")
            .image("nginx:latest")
            .env("DB_PASSWORD", Some("hunter2-very-secret"), EnvFrom::Literal)
            .env(
                "GITHUB_TOKEN",
                Some("ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"),
                EnvFrom::Literal,
            )
            .build(),
    ]
}

#[test]
fn every_rule_words_its_fix_in_a_dialect_declared_outside_the_crate() {
    let policy = policy();
    let forbidden: Vec<String> = FIELDS_TO_CHECK
        .iter()
        .flat_map(|f| [format!("`{}", f.flag()), format!("`{}:", f.compose())])
        .chain(["compose".to_string(), "docker run".to_string()])
        .collect();
    let mut fired = BTreeSet::new();
    for spec in specs() {
        let input = Input {
            spec: &spec,
            policy: &policy,
            dialect: &PodSpec,
        };
        for finding in rules::audit_in(&input) {
            fired.insert(finding.rule_id);
            assert!(
                finding.message.starts_with("pod `web`"),
                "{}: the message does not name the pod: {}",
                finding.rule_id,
                finding.message
            );
            let fix = finding.fix.as_str();
            assert!(
                fix.contains(POD_WORDS),
                "{}: the fix is not in the pod spec's words: {fix}",
                finding.rule_id
            );
            for word in &forbidden {
                assert!(
                    !fix.contains(word.as_str()),
                    "{}: the fix uses `{word}` from another source's words: {fix}",
                    finding.rule_id
                );
            }
        }
    }
    let missed: Vec<&str> = rules::metas()
        .iter()
        .map(|m| m.id)
        .filter(|id| !rules::runtime::is_runtime_only(id) && !fired.contains(id))
        .collect();
    assert!(missed.is_empty(), "no spec here fires {missed:?}");
}

/// The fields whose compose keys and flags must not appear in a pod spec's fixes.
const FIELDS_TO_CHECK: &[Field] = &[
    Field::User,
    Field::Privileged,
    Field::CapAdd,
    Field::CapDrop,
    Field::SecurityOpt,
    Field::NetworkMode,
    Field::Pid,
    Field::Ipc,
    Field::Uts,
    Field::Userns,
    Field::Cgroupns,
    Field::CgroupParent,
    Field::Volumes,
    Field::Tmpfs,
    Field::Devices,
    Field::DeviceCgroupRules,
    Field::Gpus,
    Field::Sysctls,
    Field::Memory,
    Field::MemorySwap,
    Field::Cpus,
    Field::PidsLimit,
    Field::Ulimits,
    Field::ReadOnly,
    Field::Ports,
    Field::PublishAll,
    Field::Restart,
    Field::Healthcheck,
    Field::Environment,
    Field::EnvFile,
    Field::LogDriver,
    Field::Init,
    Field::Runtime,
];
