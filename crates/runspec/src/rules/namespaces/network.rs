//! RS009: the container shares the host's network namespace.

use crate::dialect::Fix;
use crate::model::NetworkMode;
use crate::rules::privileges::caps;
use crate::rules::{remove, Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS009",
    name: "host-network",
    title: "Host network namespace shared",
    severity: Severity::High,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a container uses the host's network stack: compose \
`network_mode: host`, `docker run --network host` (or `--net=host`), \
`HostConfig.NetworkMode: host`. It is critical when the container also holds `NET_ADMIN`. \
Other modes (`bridge`, `none`, a user-defined network, `container:<name>`, `service:<name>`) \
do not fire.",
        why: "A container on the host network has no network isolation at all. It reaches \
every service bound to the host's `127.0.0.1` — a Docker API on `tcp://127.0.0.1:2375`, \
databases, admin consoles, cloud metadata proxies — and the host's abstract Unix sockets, \
which is how CVE-2020-15257 let host-network containers take over containerd-shim and get \
root on the host. It can bind any port on every host interface without a `ports:` entry, \
and with `NET_RAW` (a default capability) it can capture the host's traffic. With \
`NET_ADMIN` it can also rewrite the host's firewall rules and routes.",
        fix: "Remove `network_mode: host` (`--network host`). Publish only the ports the \
service serves with `ports:` (`-p`), bound to `127.0.0.1` when only local clients need them, \
and let services talk over a user-defined network. If the host network is unavoidable \
(a network monitor, a DHCP or VRRP daemon), run that container with `cap_drop: [ALL]`, \
a non-root user, and only the capabilities it needs.",
        bad: "services:\n  app:\n    image: nginx:1.27\n    network_mode: host\n",
        good: "services:\n  app:\n    image: nginx:1.27\n    networks: [front]\n    ports:\n      - \"127.0.0.1:8080:80\"\nnetworks:\n  front: {}\n",
    },
    references: References {
        cis: &["5.10"],
        kics: &[
            "Shared Host Network Namespace",
            "071a71ff-f868-47a4-ac0b-3c59e4ab5443",
        ],
        cwe: &["CWE-668"],
        links: &[
            "https://docs.docker.com/engine/network/drivers/host/",
            "https://nvd.nist.gov/vuln/detail/CVE-2020-15257",
        ],
        ..References::NONE
    },
};

pub struct HostNetwork;

impl Rule<Input<'_>> for HostNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let Some(mode) = &spec.network_mode else {
            return;
        };
        if mode.value != NetworkMode::Host {
            return;
        }
        let written = mode.origin.written.trim();
        let net_admin = caps::holds(spec, "NET_ADMIN") && !caps::is_privileged(spec);
        let sniff = if caps::holds(spec, "NET_RAW") {
            "; with NET_RAW (a default capability) it can capture the host's traffic"
        } else {
            ""
        };
        let (severity, tail) = if net_admin {
            (
                Severity::Critical,
                "; holding NET_ADMIN, it can also rewrite the host's firewall rules and routes",
            )
        } else {
            (Severity::High, "")
        };
        let then = dialect.fix(Fix::PublishPortsInstead);
        let fix = remove(
            dialect,
            &mode.origin,
            "re-create the container on a user-defined network instead of the host's, \
             publishing only the needed ports",
        ) + &then;
        out.push(
            Finding::new(
                &META,
                mode.origin.location.clone(),
                format!(
                    "{} shares the host's network namespace (`{written}`): it reaches every \
                     service listening on the host's localhost and its abstract Unix sockets \
                     (CVE-2020-15257) and binds host ports directly{sniff}{tail}",
                    dialect.subject(spec)
                ),
            )
            .evidence(written)
            .fix(fix)
            .key(format!("{}:network:host", spec.name))
            .severity(severity)
            .build(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, container, run};

    #[test]
    fn host_network_fires() {
        for spec in [
            compose("web")
                .network_mode("host", NetworkMode::Host)
                .build(),
            run("web").network_mode("host", NetworkMode::Host).build(),
            container("web")
                .network_mode("host", NetworkMode::Host)
                .build(),
        ] {
            let found = check(&HostNetwork, &spec);
            assert_eq!(found.len(), 1, "{:?}", spec.anchor.location);
            assert_eq!(found[0].severity, Severity::High);
        }
        let found = check(
            &HostNetwork,
            &run("web").network_mode("host", NetworkMode::Host).build(),
        );
        assert!(found[0].message.contains("(`--network=host`)"));
        assert!(found[0].fix.starts_with("remove `--network=host`; publish"));
        assert!(found[0].fix.contains("docker network create"));
        assert!(found[0].message.contains("NET_RAW"));
        let spec = compose("web")
            .network_mode("host", NetworkMode::Host)
            .cap_drop("ALL")
            .build();
        let found = check(&HostNetwork, &spec);
        assert!(
            !found[0].message.contains("NET_RAW"),
            "{}",
            found[0].message
        );
        assert!(found[0]
            .fix
            .starts_with("remove `network_mode: host`; publish"));
    }

    #[test]
    fn net_admin_makes_it_critical() {
        let spec = compose("web")
            .network_mode("host", NetworkMode::Host)
            .cap_add("NET_ADMIN")
            .build();
        assert_eq!(check(&HostNetwork, &spec)[0].severity, Severity::Critical);
    }

    #[test]
    fn other_modes_pass() {
        for (w, m) in [
            ("bridge", NetworkMode::Bridge),
            ("none", NetworkMode::None),
            ("container:db", NetworkMode::Container("db".into())),
            ("service:db", NetworkMode::Service("db".into())),
            ("front", NetworkMode::Named("front".into())),
        ] {
            let spec = compose("web").network_mode(w, m).build();
            assert!(check(&HostNetwork, &spec).is_empty(), "{w}");
        }
    }
}
