//! DM rules: the daemon's configuration (CIS section 2, and 5.1); and HS006/HS007, which
//! judge the engine's image and container counts (CIS 6.1, 6.2) held in the daemon facts.
//! The rules run in the order declared here, which is the order `bench` and `host` report.

use plimsoll_core::{Finding, Location, Rule, RuleMeta};

use super::CheckResult;
use crate::facts::{DaemonFacts, Setting};

plimsoll_core::rule_group!(dyn Rule<DaemonFacts, CheckResult>;
    icc => IccEnabled,
    log_level => LogLevel,
    iptables => IptablesDisabled,
    insecure_registries => InsecureRegistry,
    storage_driver => AufsStorageDriver,
    tcp_tls => TcpWithoutTls,
    ulimits => NoDefaultUlimits,
    userns => NoUsernsRemap,
    cgroup_parent => CgroupParent,
    storage_basesize => StorageBasesize,
    authz => NoAuthorizationPlugin,
    remote_logging => NoRemoteLogging,
    no_new_privileges => NoNewPrivilegesDefault,
    live_restore => LiveRestoreDisabled,
    userland_proxy => UserlandProxy,
    seccomp => SeccompDefault,
    experimental => Experimental,
    rootful => RootfulDaemon,
    swarm => SwarmEnabled,
    image_sprawl => ImageSprawl,
    container_sprawl => ContainerSprawl,
);

/// A finding about a setting that is set: at its origin, quoting it.
pub(super) fn at<T>(
    meta: &'static RuleMeta,
    s: &Setting<T>,
    message: String,
    fix: String,
    key: &str,
) -> Finding {
    Finding::new(meta, s.origin.location(), message)
        .evidence(s.origin.written())
        .fix(fix)
        .key(key.to_string())
        .build()
}

/// A finding about a setting that is not set (the engine default applies): at the daemon.json
/// where it belongs.
pub(super) fn unset(
    meta: &'static RuleMeta,
    d: &DaemonFacts,
    message: String,
    fix: String,
    key: &str,
) -> Finding {
    Finding::new(meta, d.config_location(), message)
        .fix(fix)
        .key(key.to_string())
        .build()
}

/// `daemon:info`, for facts only `/info` gives.
pub(super) fn info_location() -> Location {
    Location::file(crate::facts::INFO_LOCATION)
}

/// "in /etc/docker/daemon.json" — where a missing setting belongs, for fixes.
pub(super) fn where_set(d: &DaemonFacts) -> String {
    format!("in {}", d.config_location().path)
}

/// The fix for a setting with the wrong value, changed where it is set: a dockerd flag is
/// changed on the command line (dockerd refuses to start when a setting is both a flag and a
/// daemon.json key), anything else in daemon.json.
pub(super) fn change_setting(
    d: &DaemonFacts,
    origin: &crate::facts::Origin,
    json: &str,
    flag: &str,
) -> String {
    match origin {
        crate::facts::Origin::Flag { .. } => format!(
            "replace `{}` with `{flag}` on the dockerd command line (its systemd unit or \
             /etc/default/docker) and restart dockerd",
            origin.written()
        ),
        _ => format!("set `{json}` {} and restart dockerd", where_set(d)),
    }
}
