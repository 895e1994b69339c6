//! RS027: a privileged host port (below 1024) is published.

use crate::dialect::Fix;
use crate::model::{PortBinding, PortRange};
use crate::rules::resources::phrasing::spec_key;
use crate::rules::{Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS027",
    name: "privileged-host-port",
    title: "Privileged host port published",
    severity: Severity::Low,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires for every published port whose **host** side is, or whose host range \
reaches, a privileged port (1–1023): `22:22`, `-p 53:53/udp`, `1000-1030:1000-1030`, \
`published: 25` (CIS 5.8; KICS \"Privileged Ports Mapped In Container\"). The container \
side does not matter (`8080:80` is fine) and neither does an ephemeral host port. The \
standard web ports 80 and 443 are reported at **info** severity: publishing them is usually \
the point of a front-end service, but CIS still asks that it be deliberate. docker-bench \
compares with `< 1025` and so also flags 1024, which is not privileged.",
        why: "Ports below 1024 can only be bound by root on the host, which is why clients \
and neighbouring hosts treat them as belonging to the system's own services — sshd on 22, DNS \
on 53, SMTP on 25, LDAP on 389. The Docker daemon binds them as root whatever user the \
container runs as, so a container can claim a port a host service should have, or take it \
over while that service restarts: a compromised container answering on 22 collects the \
passwords and keys of administrators who think they are logging in to the host, one on 53 \
answers the network's DNS queries. Keeping containers on unprivileged host ports keeps that \
trust boundary where the kernel drew it.",
        fix: "Publish on a host port of 1024 or above and let a reverse proxy or load \
balancer own the well-known port: `8080:80` in compose, `-p 8080:80` on `docker run` (the \
container side can stay 80). When a container really must own a low port (a DNS or mail \
server), bind it to the one address that needs it (`192.0.2.53:53:53/udp`) and record the \
exception.",
        bad: concat!(
            "services:\n",
            "  git:\n",
            "    image: gitea/gitea:1.22\n",
            "    ports:\n",
            "      - \"22:22\"\n",
        ),
        good: concat!(
            "services:\n",
            "  git:\n",
            "    image: gitea/gitea:1.22\n",
            "    ports:\n",
            "      - \"2222:22\"\n",
        ),
    },
    references: References {
        cis: &["5.8"],
        kics: &[
            "Privileged Ports Mapped In Container",
            "bc2908f3-f73c-40a9-8793-c1b7d5544f79",
        ],
        cwe: &["CWE-250"],
        links: &[
            "https://docs.docker.com/reference/compose-file/services/#ports",
            "https://man7.org/linux/man-pages/man7/ip.7.html",
        ],
        ..References::NONE
    },
};

pub struct PrivilegedPort;

/// The first unprivileged port.
const UNPRIVILEGED: u16 = 1024;

impl Rule<Input<'_>> for PrivilegedPort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        for port in &spec.ports {
            let Some(host) = port.value.host_port else {
                continue;
            };
            let Some(low) = privileged_part(host) else {
                continue;
            };
            let proto = &port.value.protocol;
            let web = low.start == low.end && matches!(low.start, 80 | 443);
            let shown = if host.start == host.end {
                format!(
                    "host port {}/{proto}, a privileged port (below 1024)",
                    low.start
                )
            } else if low == host {
                format!(
                    "host ports {}-{}/{proto}, all privileged (below 1024)",
                    low.start, low.end
                )
            } else {
                format!(
                    "host ports {}-{}/{proto}, of which {}-{} are privileged (below 1024)",
                    host.start, host.end, low.start, low.end
                )
            };
            let (severity, why) = if web {
                (
                    Severity::Info,
                    "the standard web port — fine for a deliberate front end, but a port the \
                     host's own web server or proxy would otherwise own",
                )
            } else {
                (
                    Severity::Low,
                    "clients trust such ports to belong to the host's own services, and the \
                     container can now claim or impersonate them",
                )
            };
            let target = unprivileged_form(&port.value);
            let fix = dialect
                .fix(Fix::PublishAboveWellKnown)
                .replace("{t}", &target);
            out.push(
                Finding::new(
                    &META,
                    port.origin.location.clone(),
                    format!("{} publishes {shown}: {why}", dialect.subject(spec)),
                )
                .evidence(port.origin.written.clone())
                .fix(fix)
                .key(spec_key(
                    spec,
                    format!("host-port:{}-{}/{proto}", host.start, host.end),
                ))
                .severity(severity)
                .build(),
            );
        }
    }
}

/// The binding moved 8000 ports up (`22` → `8022`, `443` → `8443`), keeping its address,
/// container side and protocol: `127.0.0.1:8053:53/udp`.
fn unprivileged_form(b: &PortBinding) -> String {
    let shift = |p: u16| p.saturating_add(8000);
    let host = match b.host_port {
        Some(h) if h.start != h.end => format!("{}-{}", shift(h.start), shift(h.end)),
        Some(h) => shift(h.start).to_string(),
        None => String::new(),
    };
    let ctr = if b.container_port.start == b.container_port.end {
        b.container_port.start.to_string()
    } else {
        format!("{}-{}", b.container_port.start, b.container_port.end)
    };
    let ip = match b.host_ip.as_deref() {
        Some(ip) if ip.contains(':') => format!("[{}]:", ip.trim_matches(['[', ']'])),
        Some(ip) if !ip.is_empty() => format!("{ip}:"),
        _ => String::new(),
    };
    let proto = if b.protocol == "tcp" {
        String::new()
    } else {
        format!("/{}", b.protocol)
    };
    format!("{ip}{host}:{ctr}{proto}")
}

/// The privileged part (1–1023) of a host port range, if any. Port 0 asks the engine for
/// an ephemeral port and is not privileged.
fn privileged_part(r: PortRange) -> Option<PortRange> {
    let start = r.start.max(1);
    let end = r.end.min(UNPRIVILEGED - 1);
    (start <= end && r.end >= 1).then_some(PortRange { start, end })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, container, run};

    fn ranged(host: (u16, u16), ctr: (u16, u16)) -> PortBinding {
        PortBinding {
            host_ip: None,
            host_port: Some(PortRange {
                start: host.0,
                end: host.1,
            }),
            container_port: PortRange {
                start: ctr.0,
                end: ctr.1,
            },
            protocol: "tcp".into(),
        }
    }

    #[test]
    fn ssh_port_is_low() {
        let spec = compose("git").publish(None, 22, 22).build();
        let found = check(&PrivilegedPort, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Low);
        assert!(found[0]
            .message
            .starts_with("service `git` publishes host port 22/tcp, a privileged port (below 1024): clients trust"));
        assert!(found[0].fix.contains("`\"8022:22\"`"));
        let f = &check(
            &PrivilegedPort,
            &run("dns")
                .port("127.0.0.1:53:53/udp", {
                    let mut b = ranged((53, 53), (53, 53));
                    b.host_ip = Some("127.0.0.1".into());
                    b.protocol = "udp".into();
                    b
                })
                .build(),
        )[0];
        assert!(f.fix.contains("`-p 127.0.0.1:8053:53/udp`"), "{}", f.fix);
    }

    #[test]
    fn web_ports_are_info() {
        for p in [80, 443] {
            let found = check(&PrivilegedPort, &run("w").publish(None, p, p).build());
            assert_eq!(found[0].severity, Severity::Info);
            assert!(found[0].message.contains("standard web port"));
        }
    }

    #[test]
    fn only_the_host_side_counts() {
        assert!(check(&PrivilegedPort, &run("w").publish(None, 8080, 80).build()).is_empty());
        assert!(check(&PrivilegedPort, &run("w").publish(None, 1024, 1024).build()).is_empty());
        let f = &check(
            &PrivilegedPort,
            &container("w").publish(None, 1023, 8080).build(),
        )[0];
        assert!(f.fix.starts_with("re-create the container"));
    }

    #[test]
    fn ranges_name_their_privileged_part() {
        let spec = run("w")
            .port("1000-1030:1000-1030", ranged((1000, 1030), (1000, 1030)))
            .build();
        let f = &check(&PrivilegedPort, &spec)[0];
        assert!(f
            .message
            .contains("host ports 1000-1030/tcp, of which 1000-1023 are privileged"));
        assert!(f.fix.contains("`-p 9000-9030:1000-1030`"), "{}", f.fix);
        let spec = run("w").port("0:80", ranged((0, 0), (80, 80))).build();
        assert!(check(&PrivilegedPort, &spec).is_empty());
    }

    #[test]
    fn ephemeral_host_port_passes() {
        let b = PortBinding {
            host_ip: None,
            host_port: None,
            container_port: PortRange { start: 22, end: 22 },
            protocol: "tcp".into(),
        };
        assert!(check(&PrivilegedPort, &compose("w").port("22", b).build()).is_empty());
    }
}
