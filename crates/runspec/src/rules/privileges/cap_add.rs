//! RS002: capabilities added beyond the engine's default set.

use super::caps;
use crate::dialect::Dialect;
use crate::model::{NamespaceMode, NetworkMode, RunSpec, Sourced};
use crate::rules::{remove, Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS002",
    name: "capabilities-added",
    title: "Capabilities added beyond the default set",
    severity: Severity::High,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires once per capability a container adds (compose `cap_add`, \
`docker run --cap-add`, `HostConfig.CapAdd`) that is not among the 14 Docker grants by \
default, and on `ALL`. Names are compared as the engine does: case-insensitive, with or \
without the `CAP_` prefix (`cap_sys_admin`, `CAP_SYS_ADMIN` and `SYS_ADMIN` are one \
capability). A capability that is both added and dropped is still granted (the CLI lets the \
addition win), so it still fires.\n\nThe severity depends on the capability: `ALL`, \
`SYS_ADMIN` and `SYS_MODULE` are critical (each is a known container escape on its own); \
capabilities that act outside the container's namespaces or defeat another isolation layer \
(`SYS_PTRACE`, `DAC_READ_SEARCH`, `NET_ADMIN`, `SYS_RAWIO`, `BPF`, `PERFMON`, `SYS_BOOT`, \
`MAC_ADMIN`, `MAC_OVERRIDE`, `SYSLOG`, `SYS_TIME`, `AUDIT_CONTROL`) are high, and are raised \
to critical when combined with the host namespace they reach into (`SYS_PTRACE` with \
`pid: host`, `NET_ADMIN` with `network_mode: host`); the others are medium or low.\n\nIt \
does not fire on default capabilities added back after `cap_drop: [ALL]` (that is the \
recommended pattern), on privileged containers (RS001 covers them), or on names the kernel \
does not define (the engine refuses to start such a container).",
        why: "Capabilities are slices of root's power. Docker keeps the dangerous ones \
away from containers; adding one back re-opens the door it closes. `SYS_ADMIN` alone lets root \
in the container mount a cgroup hierarchy and set a `release_agent` that the host kernel runs \
as root, and makes Docker's seccomp profile allow `mount`, `unshare` and `setns` (the paper's \
experiment: with `CAP_SYS_ADMIN` the container can change the hostname, which is denied by \
default). `SYS_MODULE` loads code into the host kernel; `DAC_READ_SEARCH` reads host files \
through `open_by_handle_at` (the \"shocker\" exploit); `SYS_PTRACE` injects code into other \
processes; `NET_ADMIN` rewrites firewall rules and sniffs traffic.",
        fix: "Remove the capability from `cap_add` (`--cap-add`). If the process needs one \
privileged operation, do that operation on the host or in a short-lived helper, or grant the \
narrowest capability that covers it, after `cap_drop: [ALL]`.",
        bad: "services:\n  app:\n    image: nginx:1.27\n    cap_add:\n      - SYS_ADMIN\n",
        good: "services:\n  app:\n    image: nginx:1.27\n    cap_drop: [ALL]\n    cap_add: [NET_BIND_SERVICE]\n",
    },
    references: References {
        cis: &["5.4"],
        kics: &[
            "Container Capabilities Unrestricted",
            "ce76b7d0-9e77-464d-b86f-c5c48e03e22d",
        ],
        cwe: &["CWE-250", "CWE-269"],
        links: &[
            "https://man7.org/linux/man-pages/man7/capabilities.7.html",
            "https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities",
            "https://github.com/moby/moby/blob/master/oci/caps/defaults.go",
        ],
        ..References::NONE
    },
};

pub struct CapAdd;

impl Rule<Input<'_>> for CapAdd {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        if caps::is_privileged(spec) {
            return;
        }
        let mut seen: Vec<String> = Vec::new();
        for added in &spec.cap_add {
            let name = caps::normalize(&added.value);
            if seen.contains(&name) {
                continue;
            }
            seen.push(name.clone());
            let written = added.origin.written.trim();
            let (message, severity) = if name == "ALL" {
                (all_message(input, written), Severity::Critical)
            } else {
                let Some(cap) = caps::info(&name) else {
                    continue;
                };
                if caps::is_default(cap.name) {
                    continue;
                }
                let (severity, combined) = combination(spec, cap);
                let mut message = format!(
                    "{} adds capability {} (`{written}`), which lets it {}",
                    dialect.subject(spec),
                    cap.name,
                    cap.gives
                );
                if let Some(note) = combined {
                    message.push_str("; ");
                    message.push_str(note);
                }
                (message, severity)
            };
            out.push(
                Finding::new(&META, added.origin.location.clone(), message)
                    .evidence(written)
                    .fix(fix(dialect, added, &name))
                    .key(format!("{}:{name}", spec.name))
                    .severity(severity)
                    .build(),
            );
        }
    }
}

fn all_message(input: &Input<'_>, written: &str) -> String {
    let (spec, dialect) = (input.spec, input.dialect);
    let dropped: Vec<String> = spec
        .cap_drop
        .iter()
        .map(|c| caps::normalize(&c.value))
        .filter(|c| c != "ALL")
        .collect();
    let except = if dropped.is_empty() {
        String::new()
    } else {
        format!(" except {}", dropped.join(", "))
    };
    let notable: Vec<&str> = ["SYS_ADMIN", "SYS_MODULE", "SYS_PTRACE", "DAC_READ_SEARCH"]
        .into_iter()
        .filter(|c| !dropped.iter().any(|d| d == c))
        .collect();
    let including = match notable.as_slice() {
        [] => String::new(),
        [one] => format!(", including {one}"),
        [init @ .., last] => format!(", including {} and {last}", init.join(", ")),
    };
    format!(
        "{} adds ALL capabilities (`{written}`): it holds every capability{except}{including}, \
         which is nearly as open as a privileged container",
        dialect.subject(spec)
    )
}

/// The severity of adding `cap` to this spec, raised when the spec also shares the host
/// namespace the capability acts on, with a note saying so.
fn combination(spec: &RunSpec, cap: &caps::Cap) -> (Severity, Option<&'static str>) {
    let host_pid = matches!(
        spec.pid.as_ref().map(|p| &p.value),
        Some(NamespaceMode::Host)
    );
    let host_net = matches!(
        spec.network_mode.as_ref().map(|n| &n.value),
        Some(NetworkMode::Host)
    );
    match cap.name {
        "SYS_PTRACE" if host_pid => (
            Severity::Critical,
            Some("with `pid: host` that means attaching to host processes and running code as host root"),
        ),
        "NET_ADMIN" if host_net => (
            Severity::Critical,
            Some("with the host's network namespace that means the host's own firewall, routes and traffic"),
        ),
        _ => (cap.severity, None),
    }
}

fn fix(dialect: &dyn Dialect, added: &Sourced<String>, name: &str) -> String {
    let hint = match name {
        "ALL" => "list only the capabilities the process needs, after dropping ALL",
        "SYS_ADMIN" => {
            "mount filesystems on the host and bind the directory in instead; for FUSE, pass \
             only `/dev/fuse` and use a FUSE-specific setup"
        }
        "NET_ADMIN" => {
            "configure interfaces, routes and firewall rules on the host (or in a dedicated, \
             isolated network helper)"
        }
        "SYS_PTRACE" => "give it only to a temporary debugging container, never to the service",
        "SYS_TIME" => "keep the clock in sync on the host (chrony, systemd-timesyncd)",
        _ => "do the privileged operation on the host or in a short-lived helper container",
    };
    let how = remove(
        dialect,
        &added.origin,
        "re-create the container without it (`--cap-add` / `cap_add`)",
    );
    format!("{how}; {hint}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, container, run};

    #[test]
    fn severity_follows_the_capability() {
        let spec = compose("web")
            .cap_add("cap_sys_admin")
            .cap_add("NET_ADMIN")
            .cap_add("IPC_LOCK")
            .build();
        let found = check(&CapAdd, &spec);
        let sev: Vec<_> = found.iter().map(|f| f.severity).collect();
        assert_eq!(sev, [Severity::Critical, Severity::High, Severity::Medium]);
        assert!(found[0]
            .message
            .contains("adds capability SYS_ADMIN (`cap_add: cap_sys_admin`)"));
        assert!(found[0].message.contains("release_agent"));
        assert!(
            found[0]
                .fix
                .starts_with("remove `cap_sys_admin` from `cap_add`; mount"),
            "{}",
            found[0].fix
        );
    }

    #[test]
    fn all_is_critical_and_names_the_exceptions() {
        let spec = run("web").cap_add("ALL").cap_drop("SYS_MODULE").build();
        let found = check(&CapAdd, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Critical);
        assert!(
            found[0].message.contains("except SYS_MODULE"),
            "{}",
            found[0].message
        );
        assert!(
            found[0]
                .message
                .contains("including SYS_ADMIN, SYS_PTRACE and DAC_READ_SEARCH,"),
            "{}",
            found[0].message
        );
        assert!(found[0].message.contains("`--cap-add=ALL`"));
    }

    #[test]
    fn defaults_added_back_and_unknown_names_pass() {
        let spec = compose("web")
            .cap_drop("ALL")
            .cap_add("NET_BIND_SERVICE")
            .cap_add("CAP_CHOWN")
            .cap_add("NOT_A_CAP")
            .build();
        assert!(check(&CapAdd, &spec).is_empty());
    }

    #[test]
    fn duplicates_fire_once_and_privileged_is_left_to_rs001() {
        let spec = compose("web")
            .cap_add("SYS_ADMIN")
            .cap_add("CAP_SYS_ADMIN")
            .build();
        assert_eq!(check(&CapAdd, &spec).len(), 1);
        let spec = compose("web").privileged(true).cap_add("SYS_ADMIN").build();
        assert!(check(&CapAdd, &spec).is_empty());
    }

    #[test]
    fn host_namespaces_raise_the_severity() {
        let spec = container("web")
            .cap_add("SYS_PTRACE")
            .pid("host", NamespaceMode::Host)
            .build();
        let found = check(&CapAdd, &spec);
        assert_eq!(found[0].severity, Severity::Critical);
        assert!(found[0].message.contains("pid: host"));
        let spec = run("web")
            .cap_add("NET_ADMIN")
            .network_mode("host", NetworkMode::Host)
            .build();
        assert_eq!(check(&CapAdd, &spec)[0].severity, Severity::Critical);
    }

    #[test]
    fn added_and_dropped_still_fires() {
        let spec = run("web")
            .cap_add("SYS_MODULE")
            .cap_drop("SYS_MODULE")
            .build();
        assert_eq!(check(&CapAdd, &spec).len(), 1);
    }
}
