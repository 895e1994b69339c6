//! DM rules: the daemon's configuration (CIS section 2, and 5.1); and HS006/HS007, which
//! judge the engine's image and container counts (CIS 6.1, 6.2) held in the daemon facts.
//! The rules run in the order declared here, which is the order `bench` and `host` report.

use plimsoll_core::{Finding, Location, Rule, RuleMeta};

use super::CheckResult;
use crate::facts::{DaemonFacts, Probe, Setting, Sprawl};

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

/// Not checked because the engine's `info` does not hold the fact: why `info` was not read, or
/// else `unknown` (what is unknown).
pub(super) fn info_not_read(
    cis: &'static str,
    meta: &'static RuleMeta,
    d: &DaemonFacts,
    unknown: &str,
) -> CheckResult {
    let why = d.info_unknown().unwrap_or_else(|| unknown.to_string());
    CheckResult::not_checked(cis, meta, why)
}

/// A setting that is not written: a failure pointing at the daemon.json — or not checked when
/// it may be written where nothing was read (`could_be_unseen`) and a source was not read.
pub(super) fn not_set(
    cis: &'static str,
    meta: &'static RuleMeta,
    d: &DaemonFacts,
    could_be_unseen: bool,
    message: &str,
    fix: String,
    key: &str,
) -> Vec<CheckResult> {
    if could_be_unseen {
        if let Some(why) = d.unknown() {
            return vec![CheckResult::not_checked(cis, meta, why)];
        }
    }
    let finding = unset(meta, d, message.to_string(), fix, key);
    vec![CheckResult::fail(cis, meta, finding)]
}

/// The result of a rule with one finding per offending setting. Finding none proves nothing
/// when `could_be_unseen` (the setting may sit in a source that was not read): then the rule is
/// not checked, if a source was not read.
pub(super) fn findings_or_unknown(
    cis: &'static str,
    meta: &'static RuleMeta,
    d: &DaemonFacts,
    findings: Vec<Finding>,
    could_be_unseen: bool,
) -> Vec<CheckResult> {
    if findings.is_empty() && could_be_unseen {
        if let Some(why) = d.unknown() {
            return vec![CheckResult::not_checked(cis, meta, why)];
        }
    }
    vec![CheckResult::of(cis, meta, findings)]
}

/// A boolean daemon setting that is safe only at `safe`, while its default is the unsafe value
/// (`icc`, `no-new-privileges`, `userland-proxy`).
pub(super) struct UnsafeDefault {
    pub cis: &'static str,
    pub meta: &'static RuleMeta,
    /// The daemon.json key; also the findings' key.
    pub key: &'static str,
    pub safe: bool,
    /// The dockerd flag that sets the safe value.
    pub flag: &'static str,
}

impl UnsafeDefault {
    /// Passes at the safe value; fails where the setting is written otherwise (`when_set` words
    /// it from how it is written) or is not written at all (`when_unset`); is not checked when
    /// it is not written in what was read and a source was not read.
    pub(super) fn judge(
        &self,
        d: &DaemonFacts,
        setting: Option<&Setting<bool>>,
        when_set: impl FnOnce(&str) -> String,
        when_unset: &str,
    ) -> Vec<CheckResult> {
        let (cis, meta, key) = (self.cis, self.meta, self.key);
        let json = format!("\"{key}\": {}", self.safe);
        let r = match setting {
            Some(s) if s.value == self.safe => CheckResult::pass(cis, meta),
            Some(s) => CheckResult::fail(
                cis,
                meta,
                at(
                    meta,
                    s,
                    when_set(s.origin.written()),
                    change_setting(d, &s.origin, &json, self.flag),
                    key,
                ),
            ),
            None => match d.unknown() {
                Some(why) => CheckResult::not_checked(cis, meta, why),
                None => CheckResult::fail(
                    cis,
                    meta,
                    unset(
                        meta,
                        d,
                        when_unset.to_string(),
                        format!("add `{json}` {} and restart dockerd", where_set(d)),
                        key,
                    ),
                ),
            },
        };
        vec![r]
    }
}

/// The sprawl rules (HS006 images, HS007 containers): not checked without the engine's counts;
/// otherwise `judge` gives the counts' detail and, when they sprawl, the finding's message.
pub(super) fn judge_sprawl(
    cis: &'static str,
    meta: &'static RuleMeta,
    d: &DaemonFacts,
    key: &str,
    judge: impl FnOnce(&Sprawl) -> (String, Option<String>),
) -> Vec<CheckResult> {
    let s = match &d.sprawl {
        Probe::Checked(s) => s,
        Probe::Missing => return vec![CheckResult::not_checked(cis, meta, "no counts")],
        Probe::NotChecked(r) => return vec![CheckResult::not_checked(cis, meta, r.clone())],
    };
    let (detail, sprawl) = judge(s);
    match sprawl {
        Some(message) => {
            let f = Finding::new(meta, info_location(), message)
                .evidence(detail.clone())
                .key(key)
                .build();
            vec![CheckResult::fail(cis, meta, f).detail(detail)]
        }
        None => vec![CheckResult::pass(cis, meta).detail(detail)],
    }
}
