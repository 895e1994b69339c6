//! RS026: a port published on every host interface (and `-P`).

use crate::dialect::Fix;
use crate::model::{PortBinding, PortRange};
use crate::rules::resources::phrasing::spec_key;
use crate::rules::{Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};
use std::net::IpAddr;

pub static META: RuleMeta = RuleMeta {
    id: "RS026",
    name: "port-on-all-interfaces",
    title: "Port published on all host interfaces",
    severity: Severity::Medium,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires for every published port that listens on all of the host's addresses:\n\n\
- no host address given (`8080:80`, `80`, long syntax without `host_ip`, `-p 8080:80`), \
which the engine binds on every IPv4 and IPv6 address;\n\
- an explicit wildcard: `0.0.0.0`, `::` or `[::]` (`host_ip: 0.0.0.0`, \
`-p 0.0.0.0:8080:80`, `-p [::]:8080:80`);\n\
- `-P`/`--publish-all` (`HostConfig.PublishAllPorts`), which publishes every port the image \
`EXPOSE`s, on every interface, at random host ports.\n\n\
Ports bound to a specific address (`127.0.0.1:8080:80`, `[::1]:8080:80`, \
`192.0.2.10:443:443`) do not fire. Container ports that are only `expose:`d are not \
published and do not fire. docker-bench's check 5.14 only matches `0.0.0.0` and misses the \
IPv6 wildcard; KICS (\"Container Traffic Not Bound To Host Interface\") looks for a `.` in the \
entry and so misses `[::]`. A daemon-wide default address (`\"ip\": \"127.0.0.1\"` in \
`daemon.json`) would change what an address-less entry means; it cannot be seen here.",
        why: "A published port is reachable from every network the host is on — the office \
LAN, the cloud VPC, the internet — and Docker's port forwarding bypasses the host firewall: \
it installs DNAT rules in the `nat` table that send traffic to the container before the \
`INPUT` chain where UFW and firewalld filter, so `ufw deny 5432` does not protect \
`-p 5432:5432`. That is how development databases, Redis and Elasticsearch instances, admin \
consoles and debug endpoints meant for `localhost` end up indexed by internet scanners and \
ransomed within hours. `-P` is worse: it publishes whatever the image happens to `EXPOSE`, \
ports the operator may not even know about.",
        fix: "Bind each port to the address that should reach it: `127.0.0.1` for anything \
only the host (or a reverse proxy on it) uses, the specific LAN or public address otherwise. \
In compose: `\"127.0.0.1:8080:80\"`, or in long syntax `host_ip: 127.0.0.1`; on `docker run`: \
`-p 127.0.0.1:8080:80`. Replace `-P` with explicit `-p` flags. Services that only talk to \
each other need no published port at all: put them on a shared network.",
        bad: concat!(
            "services:\n",
            "  db:\n",
            "    image: postgres:16\n",
            "    ports:\n",
            "      - \"5432:5432\"\n",
        ),
        good: concat!(
            "services:\n",
            "  db:\n",
            "    image: postgres:16\n",
            "    ports:\n",
            "      - \"127.0.0.1:5432:5432\"\n",
        ),
    },
    references: References {
        cis: &["5.14", "5.9"],
        kics: &[
            "Container Traffic Not Bound To Host Interface",
            "451d79dc-0588-476a-ad03-3c7f0320abb3",
        ],
        cwe: &["CWE-668", "CWE-1327"],
        links: &[
            "https://docs.docker.com/engine/network/packet-filtering-firewalls/",
            "https://docs.docker.com/reference/compose-file/services/#ports",
        ],
        ..References::NONE
    },
};

pub struct AllInterfaces;

impl Rule<Input<'_>> for AllInterfaces {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let who = dialect.subject(spec);
        if let Some(all) = spec.publish_all.as_ref().filter(|p| p.value) {
            out.push(
                Finding::new(
                    &META,
                    all.origin.location.clone(),
                    format!(
                        "{who} publishes every port its image EXPOSEs (`{}`), on every host \
                         interface at random host ports — including ports nobody chose to \
                         publish",
                        all.origin.written
                    ),
                )
                .evidence(all.origin.written.clone())
                .fix(dialect.fix(Fix::PublishListedPortsOnly))
                .key(spec_key(spec, "publish-all"))
                .build(),
            );
        }
        for port in &spec.ports {
            let Some(wildcard) = wildcard(port.value.host_ip.as_deref()) else {
                continue;
            };
            let binding = &port.value;
            let local = local_form(binding, wildcard.ipv6);
            let fix = dialect.fix(Fix::BindToAddress {
                local: &local,
                ipv6: wildcard.ipv6,
            });
            out.push(
                Finding::new(
                    &META,
                    port.origin.location.clone(),
                    format!(
                        "{who} publishes {} on {}: it is reachable from every network the host \
                         is on, and Docker's forwarding bypasses host firewalls such as UFW",
                        describe(binding),
                        wildcard.text
                    ),
                )
                .evidence(port.origin.written.clone())
                .fix(fix)
                .key(spec_key(
                    spec,
                    format!(
                        "port:{}:{}:{}",
                        binding.host_ip.as_deref().unwrap_or(""),
                        binding.host_port.map(range).unwrap_or_default(),
                        container(binding)
                    ),
                ))
                .build(),
            );
        }
    }
}

/// Which wildcard a host address is.
struct Wildcard {
    text: &'static str,
    ipv6: bool,
}

/// `None` when the binding is on a specific address.
fn wildcard(host_ip: Option<&str>) -> Option<Wildcard> {
    let Some(ip) = host_ip.map(str::trim).filter(|ip| !ip.is_empty()) else {
        return Some(Wildcard {
            text: "every host interface (no address given: all IPv4 and IPv6 addresses)",
            ipv6: false,
        });
    };
    let bare = ip
        .strip_prefix('[')
        .and_then(|i| i.strip_suffix(']'))
        .unwrap_or(ip);
    match bare.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) if v4.is_unspecified() => Some(Wildcard {
            text: "every IPv4 interface of the host (`0.0.0.0`)",
            ipv6: false,
        }),
        Ok(IpAddr::V6(v6)) if v6.is_unspecified() => Some(Wildcard {
            text: "every IPv6 interface of the host (`::`)",
            ipv6: true,
        }),
        _ => None,
    }
}

fn range(r: PortRange) -> String {
    if r.start == r.end {
        r.start.to_string()
    } else {
        format!("{}-{}", r.start, r.end)
    }
}

/// `80/tcp`, `8000-8010/udp`.
fn container(b: &PortBinding) -> String {
    format!("{}/{}", range(b.container_port), b.protocol)
}

/// "host port 8080 → container port 80/tcp".
fn describe(b: &PortBinding) -> String {
    let ctr = container(b);
    match b.host_port {
        Some(h) if h.start == h.end => format!("host port {} (→ container {ctr})", h.start),
        Some(h) => format!("host ports {} (→ container {ctr})", range(h)),
        None => format!("container port {ctr} on a random host port"),
    }
}

/// The binding restricted to the loopback address, in `-p`/short-syntax form.
fn local_form(b: &PortBinding, ipv6: bool) -> String {
    let ip = if ipv6 { "[::1]" } else { "127.0.0.1" };
    let host = b.host_port.map(range).unwrap_or_default();
    let proto = if b.protocol == "tcp" {
        String::new()
    } else {
        format!("/{}", b.protocol)
    };
    format!("{ip}:{host}:{}{proto}", range(b.container_port))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, container, run};

    #[test]
    fn no_address_fires() {
        let spec = compose("db").publish(None, 5432, 5432).build();
        let found = check(&AllInterfaces, &spec);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert!(f.message.contains("host port 5432 (→ container 5432/tcp)"));
        assert!(f.message.contains("no address given"));
        assert_eq!(f.evidence.as_deref(), Some("ports: 5432:5432"));
        assert!(f.fix.contains("`\"127.0.0.1:5432:5432\"`"));
    }

    #[test]
    fn wildcards_fire_specific_addresses_pass() {
        for (ip, fires) in [
            ("0.0.0.0", true),
            ("::", true),
            ("[::]", true),
            ("0:0:0:0:0:0:0:0", true),
            ("127.0.0.1", false),
            ("::1", false),
            ("192.0.2.10", false),
        ] {
            let spec = run("w").publish(Some(ip), 8080, 80).build();
            assert_eq!(!check(&AllInterfaces, &spec).is_empty(), fires, "{ip}");
        }
        let f = &check(
            &AllInterfaces,
            &run("w").publish(Some("::"), 80, 80).build(),
        )[0];
        assert!(f.message.contains("every IPv6 interface"));
        assert!(f.fix.contains("`-p [::1]:80:80`"));
    }

    #[test]
    fn ranges_ephemeral_and_udp() {
        let b = PortBinding {
            host_ip: None,
            host_port: None,
            container_port: PortRange { start: 53, end: 53 },
            protocol: "udp".into(),
        };
        let spec = run("dns").port("53/udp", b).build();
        let f = &check(&AllInterfaces, &spec)[0];
        assert!(f
            .message
            .contains("container port 53/udp on a random host port"));
        assert!(f.fix.contains("`-p 127.0.0.1::53/udp`"));
        let b = PortBinding {
            host_ip: Some("0.0.0.0".into()),
            host_port: Some(PortRange {
                start: 8000,
                end: 8010,
            }),
            container_port: PortRange {
                start: 8000,
                end: 8010,
            },
            protocol: "tcp".into(),
        };
        let spec = compose("w").port("0.0.0.0:8000-8010:8000-8010", b).build();
        let f = &check(&AllInterfaces, &spec)[0];
        assert!(f.message.contains("host ports 8000-8010"));
    }

    #[test]
    fn publish_all_fires() {
        let spec = run("w").publish_all(true).build();
        let found = check(&AllInterfaces, &spec);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("every port its image EXPOSEs"));
        assert!(found[0].fix.starts_with("replace `-P`"));
        assert!(check(&AllInterfaces, &run("w").publish_all(false).build()).is_empty());
    }

    #[test]
    fn one_finding_per_port() {
        let spec = container("w")
            .publish(None, 80, 80)
            .publish(Some("127.0.0.1"), 8080, 8080)
            .publish(Some("0.0.0.0"), 443, 443)
            .build();
        let found = check(&AllInterfaces, &spec);
        assert_eq!(found.len(), 2);
        assert_ne!(found[0].fingerprint, found[1].fingerprint);
        assert!(found[0].fix.starts_with("re-create the container"));
    }
}
