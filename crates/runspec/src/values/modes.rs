//! Network modes, namespace modes and restart policies.

use super::csv::first_record;
use crate::model::{NamespaceMode, NetworkMode, RestartPolicy};

/// Reads a network mode as the engine does (`container.NetworkMode`): `bridge` and `default`
/// are the default bridge, `host`, `none`, `container:<id>`, compose's `service:<name>`, and
/// anything else names a user-defined network.
pub fn parse_network_mode(s: &str) -> NetworkMode {
    match s {
        "bridge" | "default" => NetworkMode::Bridge,
        "host" => NetworkMode::Host,
        "none" => NetworkMode::None,
        _ => {
            if let Some(id) = s.strip_prefix("container:") {
                NetworkMode::Container(id.to_string())
            } else if let Some(name) = s.strip_prefix("service:") {
                NetworkMode::Service(name.to_string())
            } else {
                NetworkMode::Named(s.to_string())
            }
        }
    }
}

/// The network a `--network` value attaches to, like docker/cli `opts.NetworkOpt.Set`: the
/// value itself, or in the advanced syntax (`name=my-net,alias=web,ip=…`, recognised as in the
/// CLI by any `word=word` in it) the `name` field. As in the CLI, advanced fields are read
/// lower-cased.
pub fn parse_network_opt(value: &str) -> Result<String, String> {
    if !looks_like_long_syntax(value) {
        return Ok(value.to_string());
    }
    let mut target = String::new();
    for field in first_record(value)? {
        let lower = field.to_lowercase();
        let (key, val) = match lower.split_once('=') {
            Some((k, v)) if !k.is_empty() => (k.trim(), v.trim()),
            _ => return Err(format!("invalid field {field}")),
        };
        match key {
            "name" => target = val.to_string(),
            "alias" | "ip" | "ip6" | "mac-address" | "link-local-ip" | "driver-opt"
            | "gw-priority" => {}
            _ => return Err(format!("invalid field key {key}")),
        }
    }
    if target.is_empty() {
        return Err("network name/id is not specified".to_string());
    }
    Ok(target)
}

/// The CLI's unanchored `\w+=\w+` test.
fn looks_like_long_syntax(value: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let chars: Vec<char> = value.chars().collect();
    chars
        .windows(3)
        .any(|w| matches!(w, [a, '=', b] if word(*a) && word(*b)))
}

/// Reads a namespace setting (`--pid`, `--ipc`, `--uts`, `--userns`, `--cgroupns`, compose
/// `pid:`, `ipc:`, `uts:`, `userns_mode:`, `cgroup:`) without judging whether it is valid for
/// that namespace (see [`validate_namespace_mode`]).
pub fn parse_namespace_mode(s: &str) -> NamespaceMode {
    match s {
        "host" => NamespaceMode::Host,
        "" | "private" => NamespaceMode::Private,
        "shareable" => NamespaceMode::Shareable,
        "none" => NamespaceMode::None,
        _ => {
            if let Some(id) = s.strip_prefix("container:") {
                NamespaceMode::Container(id.to_string())
            } else if let Some(name) = s.strip_prefix("service:") {
                NamespaceMode::Service(name.to_string())
            } else {
                NamespaceMode::Other(s.to_string())
            }
        }
    }
}

/// Which namespace a mode is for (their valid values differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamespaceKind {
    Pid,
    Ipc,
    Uts,
    Userns,
    Cgroupns,
}

/// [`parse_namespace_mode`], refusing what the engine's `Valid()` refuses (the CLI's
/// `--pid: invalid PID mode` …): pid `""|host|container:<id>`; ipc
/// `""|none|private|shareable|host|container:<id>`; uts `""|host`; userns `""|host`;
/// cgroupns `""|host|private`.
pub fn validate_namespace_mode(kind: NamespaceKind, s: &str) -> Result<NamespaceMode, String> {
    let container = |s: &str| {
        s.strip_prefix("container:")
            .is_some_and(|id| !id.is_empty())
    };
    let valid = match kind {
        NamespaceKind::Pid => s.is_empty() || s == "host" || container(s),
        NamespaceKind::Ipc => {
            matches!(s, "" | "none" | "private" | "shareable" | "host") || container(s)
        }
        NamespaceKind::Uts => matches!(s, "" | "host"),
        NamespaceKind::Userns => matches!(s.split(':').next(), Some("" | "host")),
        NamespaceKind::Cgroupns => matches!(s, "" | "host" | "private"),
    };
    if valid {
        Ok(parse_namespace_mode(s))
    } else {
        let what = match kind {
            NamespaceKind::Pid => "--pid: invalid PID mode",
            NamespaceKind::Ipc => "--ipc: invalid IPC mode",
            NamespaceKind::Uts => "--uts: invalid UTS mode",
            NamespaceKind::Userns => "--userns: invalid USER mode",
            NamespaceKind::Cgroupns => "--cgroupns: invalid CGROUP mode",
        };
        Err(format!("{what} {s:?}"))
    }
}

/// Parses a restart policy like docker/cli `opts.ParseRestartPolicy` followed by the engine's
/// `ValidateRestartPolicy`: `no`, `always`, `unless-stopped`, `on-failure[:N]`. A retry count
/// is allowed only with `on-failure` and must not be negative. An empty value is the engine
/// default, `no`.
pub fn parse_restart(s: &str) -> Result<RestartPolicy, String> {
    if s.is_empty() {
        return Ok(RestartPolicy::No);
    }
    let (name, count) = s.split_once(':').map_or((s, None), |(n, c)| (n, Some(c)));
    if count.is_some() && name.is_empty() {
        return Err("invalid restart policy format: no policy provided before colon".to_string());
    }
    let count = match count {
        None | Some("") => None,
        Some(c) => Some(c.parse::<i64>().map_err(|_| {
            "invalid restart policy format: maximum retry count must be an integer".to_string()
        })?),
    };
    let retries_only_on_failure = || {
        let mut msg =
            "invalid restart policy: maximum retry count can only be used with 'on-failure'"
                .to_string();
        if count.is_some_and(|c| c < 0) {
            msg.push_str(" and cannot be negative");
        }
        msg
    };
    let simple = |policy: RestartPolicy| match count {
        None | Some(0) => Ok(policy),
        Some(_) => Err(retries_only_on_failure()),
    };
    match name {
        "no" => simple(RestartPolicy::No),
        "always" => simple(RestartPolicy::Always),
        "unless-stopped" => simple(RestartPolicy::UnlessStopped),
        "on-failure" => match count {
            None => Ok(RestartPolicy::OnFailure { max_retries: None }),
            Some(c) if c < 0 => Err(
                "invalid restart policy: maximum retry count cannot be negative".to_string(),
            ),
            Some(c) => Ok(RestartPolicy::OnFailure {
                max_retries: Some(u32::try_from(c).map_err(|_| {
                    "invalid restart policy format: maximum retry count is too large".to_string()
                })?),
            }),
        },
        _ => Err(format!(
            "invalid restart policy: unknown policy '{name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_modes() {
        assert_eq!(parse_network_mode("bridge"), NetworkMode::Bridge);
        assert_eq!(parse_network_mode("default"), NetworkMode::Bridge);
        assert_eq!(parse_network_mode("host"), NetworkMode::Host);
        assert_eq!(parse_network_mode("none"), NetworkMode::None);
        assert_eq!(
            parse_network_mode("container:db"),
            NetworkMode::Container("db".into())
        );
        assert_eq!(
            parse_network_mode("service:db"),
            NetworkMode::Service("db".into())
        );
        assert_eq!(
            parse_network_mode("backend"),
            NetworkMode::Named("backend".into())
        );
    }

    /// docker/cli opts/network_test.go `TestNetworkOptLegacySyntax`/`AdvancedSyntax`.
    #[test]
    fn network_opts() {
        assert_eq!(parse_network_opt("docknet1").unwrap(), "docknet1");
        assert_eq!(parse_network_opt("host").unwrap(), "host");
        assert_eq!(parse_network_opt("container:abc").unwrap(), "container:abc");
        assert_eq!(
            parse_network_opt("name=docknet1,alias=web,driver-opt=field1=value1").unwrap(),
            "docknet1"
        );
        assert_eq!(
            parse_network_opt("name=docknet1,ip=172.20.88.22,ip6=2001:db8::8822").unwrap(),
            "docknet1"
        );
        assert_eq!(
            parse_network_opt("alias=web1,alias=web2").unwrap_err(),
            "network name/id is not specified"
        );
        assert!(parse_network_opt("name=docknet1,invalidField=foo").is_err());
        assert!(parse_network_opt("name=docknet1,bogus").is_err());
    }

    #[test]
    fn namespace_modes() {
        assert_eq!(parse_namespace_mode("host"), NamespaceMode::Host);
        assert_eq!(parse_namespace_mode(""), NamespaceMode::Private);
        assert_eq!(parse_namespace_mode("private"), NamespaceMode::Private);
        assert_eq!(parse_namespace_mode("shareable"), NamespaceMode::Shareable);
        assert_eq!(parse_namespace_mode("none"), NamespaceMode::None);
        assert_eq!(
            parse_namespace_mode("container:x"),
            NamespaceMode::Container("x".into())
        );
        assert_eq!(
            parse_namespace_mode("service:x"),
            NamespaceMode::Service("x".into())
        );
        assert_eq!(
            parse_namespace_mode("weird"),
            NamespaceMode::Other("weird".into())
        );
    }

    /// docker/cli opts_test.go `TestParseModes` and the engine's `Valid()` methods.
    #[test]
    fn namespace_validation() {
        use NamespaceKind::*;
        assert!(validate_namespace_mode(Pid, "container:").is_err());
        assert!(validate_namespace_mode(Pid, "private").is_err());
        assert_eq!(
            validate_namespace_mode(Pid, "container:1234"),
            Ok(NamespaceMode::Container("1234".into()))
        );
        assert_eq!(
            validate_namespace_mode(Pid, "host"),
            Ok(NamespaceMode::Host)
        );
        assert!(validate_namespace_mode(Uts, "container:").is_err());
        assert!(validate_namespace_mode(Uts, "private").is_err());
        assert_eq!(
            validate_namespace_mode(Uts, "host"),
            Ok(NamespaceMode::Host)
        );
        assert_eq!(
            validate_namespace_mode(Ipc, "shareable"),
            Ok(NamespaceMode::Shareable)
        );
        assert!(validate_namespace_mode(Ipc, "bogus").is_err());
        assert_eq!(
            validate_namespace_mode(Userns, "host"),
            Ok(NamespaceMode::Host)
        );
        assert!(validate_namespace_mode(Userns, "private").is_err());
        assert_eq!(
            validate_namespace_mode(Cgroupns, "private"),
            Ok(NamespaceMode::Private)
        );
        assert!(validate_namespace_mode(Cgroupns, "container:x").is_err());
    }

    /// docker/cli opts_test.go `TestParseRestartPolicy`, plus the daemon's validation of what
    /// the CLI lets through.
    #[test]
    fn restart_policies() {
        assert_eq!(parse_restart(""), Ok(RestartPolicy::No));
        assert_eq!(parse_restart("no"), Ok(RestartPolicy::No));
        assert_eq!(parse_restart("always"), Ok(RestartPolicy::Always));
        assert_eq!(
            parse_restart("unless-stopped"),
            Ok(RestartPolicy::UnlessStopped)
        );
        assert_eq!(
            parse_restart("on-failure"),
            Ok(RestartPolicy::OnFailure { max_retries: None })
        );
        assert_eq!(
            parse_restart("on-failure:1"),
            Ok(RestartPolicy::OnFailure {
                max_retries: Some(1)
            })
        );
        assert_eq!(
            parse_restart(":1").unwrap_err(),
            "invalid restart policy format: no policy provided before colon"
        );
        for bad in ["always:2:3", "on-failure:invalid", "unless-stopped:invalid"] {
            assert_eq!(
                parse_restart(bad).unwrap_err(),
                "invalid restart policy format: maximum retry count must be an integer",
                "{bad}"
            );
        }
        assert!(parse_restart("anything:123").is_err());
        assert!(parse_restart("always:3").is_err());
        assert!(parse_restart("on-failure:-1").is_err());
        assert!(parse_restart("on-failure:99999999999").is_err());
        assert_eq!(parse_restart("always:0"), Ok(RestartPolicy::Always));
    }
}
