//! Capabilities and `--security-opt` / `security_opt:` entries.

use crate::model::SecurityOpt;

/// Normalises a capability the way rules compare them: trimmed, upper case, without the
/// `CAP_` prefix (`cap_sys_admin` → `SYS_ADMIN`); `ALL` and `RESET` stay as they are.
/// (docker/cli `opts.NormalizeCapability` adds the prefix instead; the engine accepts both.)
pub fn normalize_capability(cap: &str) -> String {
    let upper = cap.trim().to_ascii_uppercase();
    match upper.strip_prefix("CAP_") {
        Some(rest) => rest.to_string(),
        None => upper,
    }
}

/// Parses one security option like the Docker CLI (`parseSecurityOpts`) and the daemon
/// (`parseSecurityOpt`) together: `key=value`, or the deprecated `key:value` when there is no
/// `=`; `no-new-privileges` alone means `true`; `disable` alone is `label=disable`.
///
/// Boolean values follow Go's `strconv.ParseBool` (`1`, `t`, `T`, `TRUE`, `true`, `True`, and
/// the same for false). Unknown keys are kept as [`SecurityOpt::Other`] (the daemon refuses
/// them, but an auditor should report, not reject); a missing value is an error, as in the
/// CLI.
pub fn parse_security_opt(opt: &str) -> Result<SecurityOpt, String> {
    if opt == "no-new-privileges" {
        return Ok(SecurityOpt::NoNewPrivileges(true));
    }
    if opt == "disable" {
        return Ok(SecurityOpt::Label("disable".to_string()));
    }
    let (key, value) = opt
        .split_once('=')
        .or_else(|| opt.split_once(':'))
        .ok_or_else(|| format!("invalid --security-opt: {opt:?}"))?;
    if value.is_empty() {
        return Err(format!("invalid --security-opt: {opt:?}"));
    }
    let parse_bool = |v: &str| {
        go_parse_bool(v)
            .ok_or_else(|| format!("invalid --security-opt: {opt:?}: {v:?} is not a boolean"))
    };
    Ok(match key {
        "seccomp" => SecurityOpt::Seccomp(value.to_string()),
        "apparmor" => SecurityOpt::AppArmor(value.to_string()),
        "label" => SecurityOpt::Label(value.to_string()),
        "no-new-privileges" => SecurityOpt::NoNewPrivileges(parse_bool(value)?),
        "systempaths" => SecurityOpt::SystemPaths(value.to_string()),
        "writable-cgroups" => SecurityOpt::WritableCgroups(parse_bool(value)?),
        _ => SecurityOpt::Other(opt.to_string()),
    })
}

/// Go's `strconv.ParseBool`.
pub(crate) fn go_parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities() {
        assert_eq!(normalize_capability("SYS_ADMIN"), "SYS_ADMIN");
        assert_eq!(normalize_capability("cap_sys_admin"), "SYS_ADMIN");
        assert_eq!(normalize_capability(" CAP_NET_RAW "), "NET_RAW");
        assert_eq!(normalize_capability("all"), "ALL");
        assert_eq!(normalize_capability("reset"), "RESET");
    }

    #[test]
    fn security_opts() {
        use SecurityOpt::*;
        let cases: &[(&str, SecurityOpt)] = &[
            ("seccomp=unconfined", Seccomp("unconfined".into())),
            ("seccomp:unconfined", Seccomp("unconfined".into())),
            (
                "seccomp=/etc/profile.json",
                Seccomp("/etc/profile.json".into()),
            ),
            ("apparmor=unconfined", AppArmor("unconfined".into())),
            ("apparmor:docker-default", AppArmor("docker-default".into())),
            ("label=disable", Label("disable".into())),
            ("label:disable", Label("disable".into())),
            (
                "label=type:svirt_apache_t",
                Label("type:svirt_apache_t".into()),
            ),
            (
                "label:type:svirt_apache_t",
                Label("type:svirt_apache_t".into()),
            ),
            ("disable", Label("disable".into())),
            ("no-new-privileges", NoNewPrivileges(true)),
            ("no-new-privileges=true", NoNewPrivileges(true)),
            ("no-new-privileges:true", NoNewPrivileges(true)),
            ("no-new-privileges=false", NoNewPrivileges(false)),
            ("no-new-privileges=1", NoNewPrivileges(true)),
            ("systempaths=unconfined", SystemPaths("unconfined".into())),
            ("writable-cgroups=true", WritableCgroups(true)),
            ("mask=/proc/kcore", Other("mask=/proc/kcore".into())),
        ];
        for (input, want) in cases {
            assert_eq!(parse_security_opt(input).as_ref(), Ok(want), "{input}");
        }
        for bad in [
            "",
            "seccomp",
            "seccomp=",
            "label:",
            "no-new-privileges=yes",
            "apparmor",
        ] {
            assert!(parse_security_opt(bad).is_err(), "{bad:?} should fail");
        }
    }
}
