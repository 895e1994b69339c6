//! Published ports, read like go-connections `nat.ParsePortSpec` (what both the Docker CLI's
//! `-p` and compose-go's short `ports:` syntax use).

use crate::model::{PortBinding, PortRange};
use std::net::IpAddr;

/// Parses one `-p` / compose short-syntax port: `[ip:][hostPort:]containerPort[/proto]`,
/// where either port may be a range (`8000-8010`), the IP may be IPv6 in brackets
/// (`[::1]:80:80`) or bare (`::1:80:80`, the last two `:`-fields being the ports), an empty
/// host port means an ephemeral one (`127.0.0.1::80`), and `proto` is `tcp` (default), `udp`
/// or `sctp`. The Docker CLI's CSV form (`published=8080,target=80,protocol=udp`) is accepted
/// too.
///
/// nat expands a range into one mapping per port; here one [`PortBinding`] keeps the ranges
/// (a container range maps port-for-port onto an equally long host range; a single container
/// port with a host range means "any free port of that range"), so a `1-65535` range costs
/// one entry, not 65,535.
pub fn parse_port_spec(spec: &str) -> Result<Vec<PortBinding>, String> {
    if spec.contains('=') {
        let standard = convert_to_standard_notation(spec)?;
        return parse_port_spec(&standard);
    }
    let (ip, host_port, container) = split_parts(spec);
    let (container, proto) = container.split_once('/').unwrap_or((container, ""));
    if container.is_empty() {
        return Err(format!("no port specified: {spec}<empty>"));
    }
    let proto = if proto.is_empty() {
        "tcp".to_string()
    } else {
        proto.to_ascii_lowercase()
    };
    if !matches!(proto.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!("invalid proto: {proto}"));
    }

    let mut ip = ip;
    if let Some(rest) = ip.strip_prefix('[') {
        ip = rest
            .strip_suffix(']')
            .ok_or_else(|| format!("invalid IP address {ip}: missing ']' in address"))?;
    }
    if !ip.is_empty() && ip.parse::<IpAddr>().is_err() {
        return Err(format!("invalid IP address: {ip}"));
    }

    let container_port =
        parse_port_range(container).map_err(|_| format!("invalid containerPort: {container}"))?;
    let host = if host_port.is_empty() {
        None
    } else {
        let range =
            parse_port_range(host_port).map_err(|_| format!("invalid hostPort: {host_port}"))?;
        let ctr_len = container_port.end - container_port.start;
        if range.end - range.start != ctr_len && ctr_len != 0 {
            return Err(format!(
                "invalid ranges specified for container and host Ports: {container} and {host_port}"
            ));
        }
        Some(range)
    };
    Ok(vec![PortBinding {
        host_ip: (!ip.is_empty()).then(|| ip.to_string()),
        host_port: host,
        container_port,
        protocol: proto,
    }])
}

/// nat `splitParts`: the last field is the container port, the one before it the host port,
/// everything before those the IP (which may itself contain `:`).
fn split_parts(raw: &str) -> (&str, &str, &str) {
    let Some((rest, container)) = raw.rsplit_once(':') else {
        return ("", "", raw);
    };
    match rest.rsplit_once(':') {
        None => ("", rest, container),
        Some((ip, host)) => (ip, host, container),
    }
}

/// docker/cli `convertToStandardNotation`: `published=8080,target=80[,protocol=udp]` →
/// `8080:80/udp` (other keys, such as `mode`, are accepted and ignored).
fn convert_to_standard_notation(spec: &str) -> Result<String, String> {
    let (mut published, mut target, mut protocol) = ("", "", "tcp");
    for param in spec.split(',') {
        match param.split_once('=') {
            Some((k, v)) if !k.is_empty() => match k {
                "published" => published = v,
                "target" => target = v,
                "protocol" => protocol = v,
                _ => {}
            },
            _ => {
                return Err(format!(
                    "invalid publish opts format (should be name=value but got '{param}')"
                ))
            }
        }
    }
    Ok(format!("{published}:{target}/{protocol}"))
}

/// nat `parsePortRange`: `80` or `8000-8010` (`80-80` is one port), each 0–65535.
pub fn parse_port_range(ports: &str) -> Result<PortRange, String> {
    if ports.is_empty() {
        return Err("empty string specified for ports".to_string());
    }
    let (start, end) = ports
        .split_once('-')
        .map_or((ports, None), |(s, e)| (s, Some(e)));
    let start_port =
        parse_port_number(start).map_err(|e| format!("invalid start port '{start}': {e}"))?;
    let end = match end {
        Some(end) if end != start => end,
        _ => {
            return Ok(PortRange {
                start: start_port,
                end: start_port,
            })
        }
    };
    let end_port = parse_port_number(end).map_err(|e| format!("invalid end port '{end}': {e}"))?;
    if end_port < start_port {
        return Err(format!("invalid port range: {ports}"));
    }
    Ok(PortRange {
        start: start_port,
        end: end_port,
    })
}

fn parse_port_number(raw: &str) -> Result<u16, String> {
    if raw.is_empty() {
        return Err("value is empty".to_string());
    }
    let digits = raw.strip_prefix(['+', '-']).unwrap_or(raw);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("invalid syntax".to_string());
    }
    match raw.parse::<i64>() {
        Ok(p) => u16::try_from(p).map_err(|_| "value out of range (0–65535)".to_string()),
        Err(_) => Err("value out of range (0–65535)".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(spec: &str) -> PortBinding {
        let mut v = parse_port_spec(spec).unwrap_or_else(|e| panic!("{spec}: {e}"));
        assert_eq!(v.len(), 1);
        v.remove(0)
    }

    fn range(start: u16, end: u16) -> PortRange {
        PortRange { start, end }
    }

    fn binding(
        ip: Option<&str>,
        host: Option<PortRange>,
        ctr: PortRange,
        proto: &str,
    ) -> PortBinding {
        PortBinding {
            host_ip: ip.map(str::to_string),
            host_port: host,
            container_port: ctr,
            protocol: proto.to_string(),
        }
    }

    #[test]
    fn simple_forms() {
        assert_eq!(one("80"), binding(None, None, range(80, 80), "tcp"));
        assert_eq!(
            one("8080:80"),
            binding(None, Some(range(8080, 8080)), range(80, 80), "tcp")
        );
        assert_eq!(
            one("127.0.0.1:8080:80/udp"),
            binding(
                Some("127.0.0.1"),
                Some(range(8080, 8080)),
                range(80, 80),
                "udp"
            )
        );
        // ip::ctr: ephemeral host port on that address.
        assert_eq!(
            one("127.0.0.1::80"),
            binding(Some("127.0.0.1"), None, range(80, 80), "tcp")
        );
        assert_eq!(one("53/UDP").protocol, "udp");
        assert_eq!(one("3456/sctp").protocol, "sctp");
    }

    /// go-connections nat_test.go `TestParsePortSpecFull`.
    #[test]
    fn full_spec_with_ranges() {
        assert_eq!(
            one("0.0.0.0:1234-1235:3333-3334/tcp"),
            binding(
                Some("0.0.0.0"),
                Some(range(1234, 1235)),
                range(3333, 3334),
                "tcp"
            )
        );
        // A host range with one container port: a dynamic host port from that range.
        assert_eq!(
            one("8000-8010:80"),
            binding(None, Some(range(8000, 8010)), range(80, 80), "tcp")
        );
        assert_eq!(one("1234-1236/tcp").container_port, range(1234, 1236));
        assert_eq!(one("80-80").container_port, range(80, 80));
    }

    /// go-connections nat_test.go `TestPartPortSpecIPV6`.
    #[test]
    fn ipv6_upstream_table() {
        assert_eq!(
            one("[2001:4860:0:2001::68]::333"),
            binding(Some("2001:4860:0:2001::68"), None, range(333, 333), "tcp")
        );
        assert_eq!(
            one("[::1]:80:80"),
            binding(Some("::1"), Some(range(80, 80)), range(80, 80), "tcp")
        );
        assert_eq!(
            one("2001:4860:0:2001::68::333"),
            binding(Some("2001:4860:0:2001::68"), None, range(333, 333), "tcp")
        );
        assert_eq!(
            one("::1:80:80"),
            binding(Some("::1"), Some(range(80, 80)), range(80, 80), "tcp")
        );
        assert_eq!(
            one("::::80"),
            binding(Some("::"), None, range(80, 80), "tcp")
        );
    }

    #[test]
    fn csv_notation() {
        assert_eq!(
            one("published=8080,target=80,protocol=udp"),
            binding(None, Some(range(8080, 8080)), range(80, 80), "udp")
        );
        assert_eq!(one("target=80"), binding(None, None, range(80, 80), "tcp"));
        assert!(parse_port_spec("published=8080,bogus").is_err());
    }

    /// go-connections nat_test.go error cases (`TestParsePortSpecs…`, `TestParsePortRange…`).
    #[test]
    fn errors() {
        for bad in [
            "",
            "localhost:1234:1234/tcp",
            "1234/tcpx",
            "8000-7000",
            "65536",
            "-1",
            "1-2:3-5",
            "abc",
            "[::1:80:80",
            "0.0.0.0:80-:80",
            "80:",
            "/tcp",
            "999.1.1.1:80:80",
        ] {
            assert!(parse_port_spec(bad).is_err(), "{bad:?} should fail");
        }
    }

    #[test]
    fn port_ranges() {
        assert_eq!(parse_port_range("8000-8080"), Ok(range(8000, 8080)));
        assert_eq!(parse_port_range("0"), Ok(range(0, 0)));
        assert_eq!(parse_port_range("65535"), Ok(range(65535, 65535)));
        assert!(parse_port_range("8080-8000").is_err());
        assert!(parse_port_range("1-a").is_err());
        assert!(parse_port_range("99999999999999999999999").is_err());
    }
}
