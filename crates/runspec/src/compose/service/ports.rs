//! Published ports: `ports` as a number (`80`), a short string (`127.0.0.1:8080:80/udp`, read
//! by go-connections `nat.ParsePortSpec` as compose-go does) or the long syntax
//! (`{target, published, host_ip, protocol, mode}`).

use super::read::Mapper;
use crate::compose::Diagnostic;
use crate::fields::Field;
use crate::model::{PortBinding, PortRange, RunSpec};
use crate::values::{parse_port_range, parse_port_spec};
use crate::yaml::{Node, NodeKind};

const SHORT_HINT: &str =
    "write `[host_ip:][host_port:]container_port[/protocol]`, e.g. `127.0.0.1:8080:80`";

pub(super) fn map(m: &mut Mapper, svc: &Node, spec: &mut RunSpec) -> Result<(), Diagnostic> {
    let Some(node) = svc.get(Field::Ports.compose()) else {
        return Ok(());
    };
    let items = m
        .seq(
            node,
            Field::Ports.compose(),
            "`ports: [\"127.0.0.1:8080:80\"]`",
        )?
        .unwrap_or_default();
    for (i, item) in items.iter().enumerate() {
        let via = format!("ports[{i}]");
        let bindings = match &item.kind {
            NodeKind::Scalar(s) if !item.is_null() => short(m, item, &via, &s.text)?,
            NodeKind::Map(_) => vec![long(m, item, &via)?],
            _ => {
                return Err(m.wrong_type(
                    item,
                    &via,
                    "a number, a string or a mapping",
                    "write `- \"127.0.0.1:8080:80\"` or `- {target: 80, published: 8080, host_ip: 127.0.0.1}`",
                ))
            }
        };
        for binding in bindings {
            spec.ports.push(m.sourced(binding, item, &via));
        }
    }
    Ok(())
}

/// A number or a short string. compose-go hands both to `nat.ParsePortSpecs`, which knows
/// nothing of the Docker CLI's `published=…,target=…` CSV form.
fn short(m: &Mapper, item: &Node, via: &str, text: &str) -> Result<Vec<PortBinding>, Diagnostic> {
    let parsed = if text.contains('=') {
        Err("the `key=value` form belongs to `docker run -p`, not to compose".to_string())
    } else {
        parse_port_spec(text)
    };
    parsed.map_err(|e| m.bad_value(item, via, &format!("is not a port ({e})"), SHORT_HINT))
}

/// The long syntax. `target` is required (a number, or a string compose-go casts with
/// `strconv.Atoi`); `published` is a port, a range (`8000-8010`) or absent (ephemeral);
/// `host_ip` absent or empty means every interface; `protocol` defaults to `tcp`.
fn long(m: &mut Mapper, item: &Node, via: &str) -> Result<PortBinding, Diagnostic> {
    let example = "`{target: 80, published: 8080, host_ip: 127.0.0.1}`";
    let target_via = format!("{via}.target");
    let Some(target_node) = item.get("target") else {
        return Err(m.bad_value(
            item,
            via,
            "has no `target`",
            &format!("add the container port: {example}"),
        ));
    };
    let target = m
        .int(target_node, &target_via)?
        .ok_or_else(|| m.empty_value(target_node, &target_via, example))?;
    let target = u16::try_from(target).map_err(|_| {
        m.bad_value(
            target_node,
            &target_via,
            "is not a port number (0-65535)",
            example,
        )
    })?;
    let published_via = format!("{via}.published");
    let host_port = match item.get("published") {
        None => None,
        Some(node) if node.is_null() => None,
        Some(node) => {
            let text = m.scalar_text(node, &published_via, "a port or a range")?;
            if text.is_empty() {
                None
            } else {
                Some(parse_port_range(text).map_err(|e| {
                    m.bad_value(
                        node,
                        &published_via,
                        &format!("is not a port or a port range ({e})"),
                        "write a port (`8080`) or a range (`8000-8010`)",
                    )
                })?)
            }
        }
    };
    let host_ip = match item.get("host_ip") {
        Some(node) => m
            .string(node, &format!("{via}.host_ip"))?
            .filter(|s| !s.is_empty()),
        None => None,
    };
    let protocol = match item.get("protocol") {
        Some(node) => m
            .string(node, &format!("{via}.protocol"))?
            .filter(|s| !s.is_empty())
            .map(|s| s.to_ascii_lowercase()),
        None => None,
    };
    Ok(PortBinding {
        host_ip,
        host_port,
        container_port: PortRange {
            start: target,
            end: target,
        },
        protocol: protocol.unwrap_or_else(|| "tcp".to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{map, map_err};
    use crate::model::{PortBinding, PortRange};

    fn range(start: u16, end: u16) -> PortRange {
        PortRange { start, end }
    }

    fn binding(
        ip: Option<&str>,
        host: Option<PortRange>,
        container: PortRange,
        proto: &str,
    ) -> PortBinding {
        PortBinding {
            host_ip: ip.map(str::to_string),
            host_port: host,
            container_port: container,
            protocol: proto.to_string(),
        }
    }

    #[test]
    fn number_short_and_long() {
        let (spec, warnings) = map(r#"
            services:
              web:
                ports:
                  - 3000
                  - "80:80"
                  - 127.0.0.1:8443:443/udp
                  - "8000-8001:9000-9001"
                  - target: 5432
                    published: "15432"
                    host_ip: 0.0.0.0
                  - {target: "53", published: 1053-1060, protocol: UDP}
                  - {target: 9090}
            "#);
        assert!(warnings.is_empty(), "{warnings:?}");
        let ports: Vec<_> = spec.ports.iter().map(|p| p.value.clone()).collect();
        assert_eq!(
            ports,
            [
                binding(None, None, range(3000, 3000), "tcp"),
                binding(None, Some(range(80, 80)), range(80, 80), "tcp"),
                binding(
                    Some("127.0.0.1"),
                    Some(range(8443, 8443)),
                    range(443, 443),
                    "udp"
                ),
                binding(None, Some(range(8000, 8001)), range(9000, 9001), "tcp"),
                binding(
                    Some("0.0.0.0"),
                    Some(range(15432, 15432)),
                    range(5432, 5432),
                    "tcp"
                ),
                binding(None, Some(range(1053, 1060)), range(53, 53), "udp"),
                binding(None, None, range(9090, 9090), "tcp"),
            ]
        );
        assert_eq!(spec.ports[1].origin.written, "ports: 80:80");
        assert_eq!(
            spec.ports[4].origin.written,
            "ports: {target: 5432, published: 15432, host_ip: 0.0.0.0}"
        );
        assert_eq!(spec.ports[4].origin.location.span.unwrap().start.line, 8);
    }

    #[test]
    fn wrong_ports() {
        let err = map_err("services:\n  web:\n    ports:\n      web: 80\n");
        assert!(
            err.message
                .contains("services.web.ports must be a list, but it is a mapping"),
            "{err:?}"
        );
        assert_eq!(err.span.unwrap().start.line, 4);
        assert!(err.hint.as_deref().unwrap().contains("ports:"), "{err:?}");
        let err = map_err("services:\n  web:\n    ports: 80\n");
        assert!(
            err.message.contains("must be a list, but it is a number"),
            "{err:?}"
        );
        let err = map_err("services:\n  web:\n    ports: [\"80:80:80:80\"]\n");
        assert!(
            err.message.contains("services.web.ports[0]") && err.message.contains("is not a port"),
            "{err:?}"
        );
        let err = map_err("services:\n  web:\n    ports: [\"published=80,target=80\"]\n");
        assert!(err.message.contains("docker run"), "{err:?}");
        let err = map_err("services:\n  web:\n    ports: [{published: 80}]\n");
        assert!(err.message.contains("no `target`"), "{err:?}");
        let err = map_err("services:\n  web:\n    ports: [{target: 70000}]\n");
        assert!(err.message.contains("not a port number"), "{err:?}");
        let err = map_err("services:\n  web:\n    ports: [[80]]\n");
        assert!(
            err.message
                .contains("must be a number, a string or a mapping"),
            "{err:?}"
        );
    }
}
