//! Privileges and namespaces: user, privileged, capabilities, security options, network and
//! namespace modes.
//!
//! Security options arrive as the daemon stored them: the user's own spelling (`=` or the
//! deprecated `:`), except that the docker CLI replaces `seccomp=<file>` by the file's JSON
//! content before sending it. An inline profile is summarised, never quoted whole, and a
//! profile that allows every syscall is reported as what it is: unconfined.

use bollard::models::{ContainerConfig, HostConfig, HostConfigCgroupnsModeEnum, ImageInspect};
use plimsoll_runspec::values::{
    normalize_capability, parse_namespace_mode, parse_network_mode, parse_security_opt,
};
use plimsoll_runspec::{NamespaceMode, NetworkMode, RunSpec, SecurityOpt};

use super::{EngineFacts, Src};
use plimsoll_runspec::fields::Field;

pub(super) fn map(
    spec: &mut RunSpec,
    src: &Src,
    hc: &HostConfig,
    config: &ContainerConfig,
    image: Option<&ImageInspect>,
    facts: &EngineFacts,
) {
    if let Some(user) = config.user.as_deref().filter(|u| !u.is_empty()) {
        let image_user = image
            .and_then(|i| i.config.as_ref())
            .and_then(|c| c.user.as_deref());
        // The daemon copies the image's USER into Config.User when `--user` is not given.
        let written = if image_user == Some(user) {
            format!("Config.User={user} (the image's USER)")
        } else {
            format!("Config.User={user}")
        };
        spec.user = Some(src.sourced(user.to_string(), "Config.User", written));
    }
    for g in hc.group_add.iter().flatten() {
        spec.group_add
            .push(src.field(g.clone(), Field::GroupAdd, format!("[{g}]")));
    }
    if hc.privileged == Some(true) {
        spec.privileged = Some(src.field(true, Field::Privileged, "true"));
    }
    for (list, field, out) in [
        (&hc.cap_add, Field::CapAdd, &mut spec.cap_add),
        (&hc.cap_drop, Field::CapDrop, &mut spec.cap_drop),
    ] {
        for cap in list.iter().flatten() {
            out.push(src.field(normalize_capability(cap), field, format!("[{cap}]")));
        }
    }
    let implied_label = engine_added_label(hc);
    for raw in hc.security_opt.iter().flatten() {
        if implied_label && raw == "label=disable" {
            continue;
        }
        let (opt, shown) = parse_inspect_security_opt(raw);
        spec.security_opt
            .push(src.field(opt, Field::SecurityOpt, format!("[{shown}]")));
    }

    if let Some(mode) = hc.network_mode.as_deref() {
        let shown = if mode.is_empty() { "default" } else { mode };
        spec.network_mode = Some(src.field(network_mode(mode), Field::NetworkMode, shown));
    }
    for (field, value, out) in [
        (Field::Pid, &hc.pid_mode, &mut spec.pid),
        (Field::Ipc, &hc.ipc_mode, &mut spec.ipc),
        (Field::Uts, &hc.uts_mode, &mut spec.uts),
        (Field::Userns, &hc.userns_mode, &mut spec.userns),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            *out = Some(src.field(parse_namespace_mode(v), field, v));
        }
    }
    // The engine's default cgroup namespace is `host` on cgroup v1 and `private` on v2;
    // inspect reports the effective mode either way, and only a departure from the default
    // is a setting (compose and `docker run` leave it unset too).
    let default_cgroupns = match facts.cgroup_version.as_deref() {
        Some("1") => Some(HostConfigCgroupnsModeEnum::HOST),
        Some("2") => Some(HostConfigCgroupnsModeEnum::PRIVATE),
        _ => None,
    };
    let cgroupns = match hc.cgroupns_mode {
        Some(HostConfigCgroupnsModeEnum::HOST) => Some((NamespaceMode::Host, "host")),
        Some(HostConfigCgroupnsModeEnum::PRIVATE) => Some((NamespaceMode::Private, "private")),
        _ => None,
    };
    if let Some((mode, shown)) = cgroupns {
        if hc.cgroupns_mode != default_cgroupns {
            spec.cgroupns = Some(src.field(mode, Field::Cgroupns, shown));
        }
    }
    if let Some(p) = hc.cgroup_parent.as_deref().filter(|p| !p.is_empty()) {
        spec.cgroup_parent = Some(src.field(p.to_string(), Field::CgroupParent, p));
    }
}

/// The daemon appends `label=disable` itself to a container that is privileged or shares the
/// host's PID or IPC namespace, unless the user gave a `label` option (moby
/// `generateSecurityOpt`). That entry is a consequence of the other setting, not a setting: it
/// is dropped so the container reads like the compose file or command line that made it.
fn engine_added_label(hc: &HostConfig) -> bool {
    let opts = hc.security_opt.as_deref().unwrap_or_default();
    let labels: Vec<&String> = opts
        .iter()
        .filter(|o| o.starts_with("label=") || o.starts_with("label:"))
        .collect();
    let implied = hc.privileged == Some(true)
        || hc.pid_mode.as_deref() == Some("host")
        || hc.ipc_mode.as_deref() == Some("host");
    implied && labels.len() == 1 && opts.last().map(String::as_str) == Some("label=disable")
}

/// The daemon's reading of `HostConfig.NetworkMode`: an empty mode is `default`, the default
/// bridge on Linux.
fn network_mode(mode: &str) -> NetworkMode {
    if mode.is_empty() {
        NetworkMode::Bridge
    } else {
        parse_network_mode(mode)
    }
}

/// One stored `SecurityOpt` string, parsed the way the daemon parses it (`key=value`, or
/// `key:value` when there is no `=`), and the text to quote as evidence (an inline seccomp
/// profile is summarised).
pub fn parse_inspect_security_opt(raw: &str) -> (SecurityOpt, String) {
    if let Some(json) = raw
        .strip_prefix("seccomp=")
        .filter(|v| v.trim_start().starts_with('{'))
    {
        let (value, summary) = summarise_seccomp_profile(json);
        return (SecurityOpt::Seccomp(value), format!("seccomp={summary}"));
    }
    // What the daemon stored, it accepted; anything we cannot read is kept as written.
    let opt = parse_security_opt(raw).unwrap_or_else(|_| SecurityOpt::Other(raw.to_string()));
    (opt, raw.to_string())
}

/// Actions that let the syscall run (`SCMP_ACT_LOG` only logs it).
fn allows(action: &str) -> bool {
    matches!(action, "SCMP_ACT_ALLOW" | "SCMP_ACT_LOG")
}

/// An inline seccomp profile (the CLI sends the file's content): `unconfined` when it allows
/// every syscall (default action `SCMP_ACT_ALLOW` and no rule with another action), otherwise
/// a short description. Returns (model value, evidence text).
fn summarise_seccomp_profile(json: &str) -> (String, String) {
    let size = json.len();
    let parsed: Result<serde_json::Value, _> = serde_json::from_str(json);
    let Ok(profile) = parsed else {
        return (
            "<inline profile>".to_string(),
            format!("<inline profile, {size} bytes, not valid JSON>"),
        );
    };
    let default_action = profile
        .get("defaultAction")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string();
    let rules = profile
        .get("syscalls")
        .and_then(|v| v.as_array())
        .map(|a| a.as_slice())
        .unwrap_or_default();
    let restricting = rules
        .iter()
        .filter(|r| !allows(r.get("action").and_then(|a| a.as_str()).unwrap_or("")))
        .count();
    if allows(&default_action) && restricting == 0 {
        (
            "unconfined".to_string(),
            format!("<inline profile, {size} bytes, allows every syscall>"),
        )
    } else {
        (
            format!("<inline profile, defaultAction {default_action}>"),
            format!(
                "<inline profile, {size} bytes, defaultAction {default_action}, {} rules>",
                rules.len()
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_opts_follow_the_daemon() {
        let p = |s: &str| parse_inspect_security_opt(s).0;
        assert_eq!(
            p("seccomp=unconfined"),
            SecurityOpt::Seccomp("unconfined".into())
        );
        assert_eq!(
            p("seccomp:unconfined"),
            SecurityOpt::Seccomp("unconfined".into())
        );
        assert_eq!(
            p("apparmor=unconfined"),
            SecurityOpt::AppArmor("unconfined".into())
        );
        assert_eq!(
            p("apparmor:docker-default"),
            SecurityOpt::AppArmor("docker-default".into())
        );
        assert_eq!(p("label=disable"), SecurityOpt::Label("disable".into()));
        assert_eq!(
            p("label:type:svirt_t"),
            SecurityOpt::Label("type:svirt_t".into())
        );
        assert_eq!(
            p("label=type:svirt_t"),
            SecurityOpt::Label("type:svirt_t".into())
        );
        assert_eq!(p("no-new-privileges"), SecurityOpt::NoNewPrivileges(true));
        assert_eq!(
            p("no-new-privileges:true"),
            SecurityOpt::NoNewPrivileges(true)
        );
        assert_eq!(
            p("no-new-privileges=false"),
            SecurityOpt::NoNewPrivileges(false)
        );
        assert_eq!(
            p("no-new-privileges=maybe"),
            SecurityOpt::Other("no-new-privileges=maybe".into())
        );
        assert_eq!(
            p("systempaths=unconfined"),
            SecurityOpt::SystemPaths("unconfined".into())
        );
        assert_eq!(
            p("writable-cgroups=true"),
            SecurityOpt::WritableCgroups(true)
        );
        assert_eq!(p("mystery"), SecurityOpt::Other("mystery".into()));
    }

    #[test]
    fn inline_seccomp_profiles_are_summarised() {
        let allow_all = r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[]}"#;
        let (opt, shown) = parse_inspect_security_opt(&format!("seccomp={allow_all}"));
        assert_eq!(opt, SecurityOpt::Seccomp("unconfined".into()));
        assert!(shown.contains("allows every syscall"), "{shown}");
        assert!(
            !shown.contains("SCMP"),
            "the profile is not quoted: {shown}"
        );

        let strict = r#"{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}"#;
        let (opt, shown) = parse_inspect_security_opt(&format!("seccomp={strict}"));
        assert_eq!(
            opt,
            SecurityOpt::Seccomp("<inline profile, defaultAction SCMP_ACT_ERRNO>".into())
        );
        assert!(shown.contains("1 rules"), "{shown}");

        let deny_list = r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO"}]}"#;
        let (opt, _) = parse_inspect_security_opt(&format!("seccomp={deny_list}"));
        assert_ne!(opt, SecurityOpt::Seccomp("unconfined".into()));

        let (opt, shown) = parse_inspect_security_opt("seccomp={not json");
        assert_eq!(opt, SecurityOpt::Seccomp("<inline profile>".into()));
        assert!(shown.contains("not valid JSON"));
    }

    #[test]
    fn modes() {
        assert_eq!(network_mode("default"), NetworkMode::Bridge);
        assert_eq!(network_mode(""), NetworkMode::Bridge);
        assert_eq!(network_mode("host"), NetworkMode::Host);
        assert_eq!(
            network_mode("container:abc"),
            NetworkMode::Container("abc".into())
        );
        assert_eq!(
            network_mode("proj_default"),
            NetworkMode::Named("proj_default".into())
        );
        assert_eq!(parse_namespace_mode("host"), NamespaceMode::Host);
        assert_eq!(parse_namespace_mode("shareable"), NamespaceMode::Shareable);
        assert_eq!(
            parse_namespace_mode("container:x"),
            NamespaceMode::Container("x".into())
        );
        assert_eq!(normalize_capability("cap_sys_admin"), "SYS_ADMIN");
        assert_eq!(normalize_capability("ALL"), "ALL");
    }
}
