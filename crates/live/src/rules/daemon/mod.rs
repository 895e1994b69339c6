//! DM rules: the daemon's configuration (CIS section 2, and 5.1).

use plimsoll_core::{Finding, Location, RuleMeta};

use super::CheckResult;
use crate::facts::{DaemonFacts, Setting};

mod authz;
mod cgroup_parent;
mod experimental;
mod icc;
mod insecure_registries;
mod iptables;
mod live_restore;
mod log_level;
mod no_new_privileges;
mod remote_logging;
mod rootful;
mod seccomp;
mod sprawl;
mod storage_basesize;
mod storage_driver;
mod swarm;
mod tcp_tls;
mod ulimits;
mod userland_proxy;
mod userns;

type Check = fn(&DaemonFacts) -> Vec<CheckResult>;

/// Every DM rule with its check, in id order.
pub(super) static RULES: &[(&RuleMeta, Check)] = &[
    (&icc::META, icc::check),
    (&log_level::META, log_level::check),
    (&iptables::META, iptables::check),
    (&insecure_registries::META, insecure_registries::check),
    (&storage_driver::META, storage_driver::check),
    (&tcp_tls::META, tcp_tls::check),
    (&ulimits::META, ulimits::check),
    (&userns::META, userns::check),
    (&cgroup_parent::META, cgroup_parent::check),
    (&storage_basesize::META, storage_basesize::check),
    (&authz::META, authz::check),
    (&remote_logging::META, remote_logging::check),
    (&no_new_privileges::META, no_new_privileges::check),
    (&live_restore::META, live_restore::check),
    (&userland_proxy::META, userland_proxy::check),
    (&seccomp::META, seccomp::check),
    (&experimental::META, experimental::check),
    (&rootful::META, rootful::check),
    (&swarm::META, swarm::check),
    (&sprawl::IMAGES, sprawl::check_images),
    (&sprawl::CONTAINERS, sprawl::check_containers),
];

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
