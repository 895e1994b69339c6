//! Published ports from `HostConfig.PortBindings`: what the container asks the engine to
//! publish, present whether or not it runs. (`NetworkSettings.Ports` is what a *running*
//! container got, including `-P` ephemeral ports and one entry per address family; it is
//! empty once the container stops, so it cannot be the spec.) An empty `HostIp` means every
//! interface, IPv4 and IPv6; an empty `HostPort` an ephemeral port.

use bollard::models::HostConfig;
use plimsoll_runspec::values::parse_port_range;
use plimsoll_runspec::{PortBinding, PortRange, RunSpec};

use super::Src;
use plimsoll_runspec::fields::Field;

pub(super) fn map(spec: &mut RunSpec, src: &Src, hc: &HostConfig) {
    let mut keys: Vec<&String> = hc.port_bindings.iter().flatten().map(|(k, _)| k).collect();
    keys.sort_by_key(|k| (port_key(k).map(|(r, _)| r.start), (*k).clone()));
    for key in keys {
        let Some((container_port, protocol)) = port_key(key) else {
            continue;
        };
        let bindings = hc
            .port_bindings
            .as_ref()
            .and_then(|m| m.get(key))
            .and_then(|b| b.as_ref());
        for b in bindings.into_iter().flatten() {
            let host_ip = b.host_ip.clone().filter(|ip| !ip.is_empty());
            let host_port_text = b.host_port.as_deref().unwrap_or("");
            let host_port = parse_range(host_port_text);
            let written = format!(
                "HostConfig.PortBindings[{key}]={}:{}",
                host_ip.as_deref().unwrap_or(""),
                host_port_text
            );
            spec.ports.push(src.sourced(
                PortBinding {
                    host_ip,
                    host_port,
                    container_port,
                    protocol: protocol.clone(),
                },
                "HostConfig.PortBindings",
                written,
            ));
        }
    }
    if hc.publish_all_ports == Some(true) {
        spec.publish_all = Some(src.field(true, Field::PublishAll, "true"));
    }
}

/// `80/tcp` → (80, "tcp"); a key without protocol is tcp.
fn port_key(key: &str) -> Option<(PortRange, String)> {
    let (port, proto) = match key.split_once('/') {
        Some((p, proto)) => (p, proto.to_ascii_lowercase()),
        None => (key, "tcp".to_string()),
    };
    Some((parse_range(port)?, proto))
}

/// `8080` or `8000-8010` (nat `parsePortRange`); `None` for empty or invalid text (an
/// ephemeral host port is stored as `""`).
fn parse_range(s: &str) -> Option<PortRange> {
    parse_port_range(s.trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_ranges() {
        assert_eq!(
            port_key("80/tcp"),
            Some((PortRange { start: 80, end: 80 }, "tcp".into()))
        );
        assert_eq!(
            port_key("53/udp"),
            Some((PortRange { start: 53, end: 53 }, "udp".into()))
        );
        assert_eq!(
            parse_range("8000-8010"),
            Some(PortRange {
                start: 8000,
                end: 8010
            })
        );
        assert_eq!(parse_range(""), None);
        assert_eq!(parse_range("9-1"), None);
        assert_eq!(parse_range("70000"), None);
    }
}
