//! Builds [`DaemonFacts`] from `GET /info` + `/version`, daemon.json and dockerd's command
//! line. Pure: the I/O happened before (see [`crate::host::collect_daemon`]).
//!
//! Precedence follows dockerd: a key may be in daemon.json or on the command line, not both
//! (dockerd refuses to start otherwise), so at most one of them names it. When `/info`
//! reports the effective value (logging driver, storage driver, live restore, experimental,
//! security options, insecure registries), that value wins and the configured key, if any,
//! is kept as the origin — the place to change it.

use bollard::models::{SystemInfo, SystemVersion};
use serde_json::Value;

use crate::host::daemon_json::{self, DaemonJson};
use crate::host::flags::{self, go_bool, Flag};
use plimsoll_live::facts::{DaemonFacts, Origin, Probe, SeccompProfile, Setting, Sprawl};

/// What the collector read, for [`daemon_facts`].
#[derive(Debug, Clone)]
pub struct DaemonInputs<'a> {
    /// `GET /info`, or why it failed.
    pub info: Result<&'a SystemInfo, String>,
    pub version: Option<&'a SystemVersion>,
    /// daemon.json: `(host path, text)`.
    pub config: Probe<(String, String)>,
    /// dockerd: `(pid, argv[0], arguments)`.
    pub cmdline: Probe<(u32, String, Vec<String>)>,
    pub sprawl: Probe<Sprawl>,
}

/// The registries Docker always treats as insecure (loopback), never a finding.
const BUILTIN_INSECURE: &[&str] = &["127.0.0.0/8", "::1/128"];

struct Sources {
    json: Option<DaemonJson>,
    flags: Vec<Flag>,
}

impl Sources {
    fn cfg(&self, key: &str) -> Option<(&Value, Origin)> {
        let j = self.json.as_ref()?;
        let v = j.keys.get(key)?;
        let mut text = v.to_string();
        if text.chars().count() > 200 {
            text = text.chars().take(200).collect::<String>() + "…";
        }
        Some((
            v,
            Origin::Config {
                path: j.path.clone(),
                pos: j.positions.get(key).copied(),
                key: key.to_string(),
                written: format!("\"{key}\": {text}"),
            },
        ))
    }

    fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().rev().find(|f| f.name == name)
    }

    fn flags_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Flag> + 's {
        self.flags.iter().filter(move |f| f.name == name)
    }

    /// Every `--flag` occurrence that carries a value, in command-line order.
    fn flag_values(&self, flag: &str) -> Vec<Setting<String>> {
        self.flags_named(flag)
            .filter_map(|f| Some(Setting::new(f.value.clone()?, flag_origin(f))))
            .collect()
    }

    fn bool(&self, key: &str) -> Option<Setting<bool>> {
        if let Some(f) = self.flag(key) {
            let v = match &f.value {
                None => true,
                Some(v) => go_bool(v)?,
            };
            return Some(Setting::new(v, flag_origin(f)));
        }
        let (v, o) = self.cfg(key)?;
        Some(Setting::new(v.as_bool()?, o))
    }

    fn string(&self, key: &str) -> Option<Setting<String>> {
        if let Some(f) = self.flag(key) {
            return Some(Setting::new(
                f.value.clone().unwrap_or_default(),
                flag_origin(f),
            ));
        }
        let (v, o) = self.cfg(key)?;
        Some(Setting::new(v.as_str()?.to_string(), o))
    }

    /// A list: every `--flag` occurrence plus the daemon.json array under `key`.
    fn list(&self, key: &str, flag: &str) -> Vec<Setting<String>> {
        let mut out = self.flag_values(flag);
        if let Some((Value::Array(items), o)) = self.cfg(key) {
            for it in items {
                out.push(Setting::new(json_text(it), o.clone()));
            }
        }
        out
    }

    /// An object as `k=v` entries (log-opts), or the flag's `k=v` values.
    fn pairs(&self, key: &str, flag: &str) -> Vec<Setting<String>> {
        let mut out = self.flag_values(flag);
        if let Some((Value::Object(m), o)) = self.cfg(key) {
            for (k, v) in m {
                out.push(Setting::new(format!("{k}={}", json_text(v)), o.clone()));
            }
        }
        out
    }

    /// The configured origin of a key also reported by `/info`.
    fn configured(&self, key: &str, flag: &str) -> Option<Origin> {
        if let Some(f) = self.flag(flag) {
            return Some(flag_origin(f));
        }
        self.cfg(key).map(|(_, o)| o)
    }
}

/// A daemon.json value as text: a string without its quotes, anything else as JSON.
fn json_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Where a setting given on dockerd's command line came from: the flag as written.
fn flag_origin(f: &Flag) -> Origin {
    Origin::Flag {
        written: f.written.clone(),
    }
}

fn info_origin(field: &'static str, value: impl std::fmt::Display) -> Origin {
    Origin::Info {
        field,
        written: format!("{field}: {value}"),
    }
}

/// Builds the facts. A daemon.json that does not parse is reported as not read (dockerd
/// would not start with it either, so the running daemon used another configuration).
pub fn daemon_facts(inp: &DaemonInputs<'_>) -> DaemonFacts {
    let mut d = DaemonFacts::default();
    d.sources.info = match &inp.info {
        Ok(_) => Probe::Checked(()),
        Err(e) => Probe::NotChecked(e.clone()),
    };
    let json = match &inp.config {
        Probe::Checked((path, text)) => match daemon_json::parse(path, text) {
            Ok(j) => {
                d.sources.config_file = Probe::Checked(path.clone());
                Some(j)
            }
            Err(e) => {
                d.sources.config_file = Probe::NotChecked(format!("{path}: {e}"));
                None
            }
        },
        Probe::Missing => {
            d.sources.config_file = Probe::Missing;
            None
        }
        Probe::NotChecked(r) => {
            d.sources.config_file = Probe::NotChecked(r.clone());
            None
        }
    };
    let flags = match &inp.cmdline {
        Probe::Checked((pid, exe, args)) => {
            d.sources.pid = Some(*pid);
            d.sources.exe = Some(exe.clone());
            d.sources.cmdline = Probe::Checked(args.clone());
            flags::parse(args)
        }
        Probe::Missing => {
            d.sources.cmdline = Probe::NotChecked("no dockerd process found".to_string());
            Vec::new()
        }
        Probe::NotChecked(r) => {
            d.sources.cmdline = Probe::NotChecked(r.clone());
            Vec::new()
        }
    };
    let s = Sources { json, flags };
    let info = inp.info.as_ref().ok().copied();

    d.server_version = inp
        .version
        .and_then(|v| v.version.clone())
        .or_else(|| info.and_then(|i| i.server_version.clone()));
    d.api_version = inp.version.and_then(|v| v.api_version.clone());
    d.docker_root_dir = info
        .and_then(|i| i.docker_root_dir.clone())
        .or_else(|| s.string("data-root").map(|x| x.value));
    d.cgroup_driver = info
        .and_then(|i| i.cgroup_driver.as_ref())
        .map(|c| c.to_string());
    d.cgroup_version = info
        .and_then(|i| i.cgroup_version.as_ref())
        .map(|c| c.to_string());

    d.icc = s.bool("icc");
    d.log_level = s.string("log-level");
    d.debug = s.bool("debug");
    d.iptables = s.bool("iptables");
    d.storage_opts = s.list("storage-opts", "storage-opt");
    d.hosts = s.list("hosts", "host");
    d.tls = s.bool("tls");
    d.tls_verify = s.bool("tlsverify");
    d.tls_ca_cert = s.string("tlscacert");
    d.tls_cert = s.string("tlscert");
    d.tls_key = s.string("tlskey");
    d.default_ulimits = ulimits(&s);
    d.userns_remap = s.string("userns-remap").filter(|x| !x.value.is_empty());
    d.cgroup_parent = s.string("cgroup-parent").filter(|x| !x.value.is_empty());
    d.authorization_plugins = s.list("authorization-plugins", "authorization-plugin");
    for p in info
        .and_then(|i| i.plugins.as_ref())
        .and_then(|p| p.authorization.clone())
        .unwrap_or_default()
    {
        if !d.authorization_plugins.iter().any(|x| x.value == p) {
            let o = info_origin("Plugins.Authorization", &p);
            d.authorization_plugins.push(Setting::new(p, o));
        }
    }
    d.log_opts = s.pairs("log-opts", "log-opt");
    d.userland_proxy = s.bool("userland-proxy");
    d.seccomp_profile = s.string("seccomp-profile");

    // Effective values from /info, with the configured key as origin when there is one.
    let effective_str = |key: &str, flag: &str, field: &'static str, v: Option<&String>| match (
        v,
        s.configured(key, flag),
    ) {
        (Some(v), Some(o)) => Some(Setting::new(v.clone(), o)),
        (Some(v), None) => Some(Setting::new(v.clone(), info_origin(field, v))),
        (None, _) => s.string(flag).or_else(|| s.string(key)),
    };
    d.storage_driver = effective_str(
        "storage-driver",
        "storage-driver",
        "Driver",
        info.and_then(|i| i.driver.as_ref()),
    );
    d.logging_driver = effective_str(
        "log-driver",
        "log-driver",
        "LoggingDriver",
        info.and_then(|i| i.logging_driver.as_ref()),
    );
    let effective_bool =
        |key: &str, field: &'static str, v: Option<bool>| match (v, s.configured(key, key)) {
            (Some(v), Some(o)) => Some(Setting::new(v, o)),
            (Some(v), None) => Some(Setting::new(v, info_origin(field, v))),
            (None, _) => s.bool(key),
        };
    d.live_restore = effective_bool(
        "live-restore",
        "LiveRestoreEnabled",
        info.and_then(|i| i.live_restore_enabled),
    );
    let experimental = inp
        .version
        .and_then(|v| v.experimental)
        .or_else(|| info.and_then(|i| i.experimental_build));
    d.experimental = effective_bool("experimental", "Experimental", experimental);

    if let Some(i) = info {
        let opts = i.security_options.clone().unwrap_or_default();
        d.seccomp = Some(seccomp_of(&opts));
        let has = |name: &str| {
            opts.iter()
                .any(|o| o.split(',').any(|kv| kv == format!("name={name}")))
        };
        d.rootless = Some(Setting::new(
            has("rootless"),
            info_origin("SecurityOptions", opts.join(" ")),
        ));
        d.userns_active = Some(Setting::new(
            has("userns"),
            info_origin("SecurityOptions", opts.join(" ")),
        ));
        d.no_new_privileges = s.bool("no-new-privileges").or_else(|| {
            has("no-new-privileges").then(|| {
                Setting::new(
                    true,
                    info_origin("SecurityOptions", "name=no-new-privileges"),
                )
            })
        });
        d.security_options = opts;
        d.swarm = i
            .swarm
            .as_ref()
            .and_then(|sw| sw.local_node_state.as_ref())
            .map(|st| Setting::new(st.to_string(), info_origin("Swarm.LocalNodeState", st)));
    } else {
        d.no_new_privileges = s.bool("no-new-privileges");
    }
    d.insecure_registries = insecure(&s, info);
    d.sprawl = inp.sprawl.clone();
    d
}

/// `name=seccomp,profile=…` → the profile.
fn seccomp_of(opts: &[String]) -> Setting<SeccompProfile> {
    for o in opts {
        let kv: Vec<(&str, &str)> = o.split(',').filter_map(|p| p.split_once('=')).collect();
        if !kv.contains(&("name", "seccomp")) {
            continue;
        }
        let profile = kv
            .iter()
            .find(|(k, _)| *k == "profile")
            .map(|(_, v)| *v)
            .unwrap_or("default");
        let value = match profile {
            "builtin" | "default" => SeccompProfile::Builtin,
            "unconfined" => SeccompProfile::Unconfined,
            other => SeccompProfile::Custom(other.to_string()),
        };
        return Setting::new(value, info_origin("SecurityOptions", o));
    }
    Setting::new(
        SeccompProfile::Disabled,
        info_origin("SecurityOptions", opts.join(" ")),
    )
}

/// `default-ulimits: {"nofile": {"Name": "nofile", "Soft": 1024, "Hard": 2048}}` and
/// `--default-ulimit nofile=1024:2048` as `name=soft:hard`.
fn ulimits(s: &Sources) -> Vec<Setting<String>> {
    let mut out = s.flag_values("default-ulimit");
    if let Some((Value::Object(m), o)) = s.cfg("default-ulimits") {
        for (name, v) in m {
            let soft = v.get("Soft").map(|x| x.to_string()).unwrap_or_default();
            let hard = v.get("Hard").map(|x| x.to_string()).unwrap_or_default();
            out.push(Setting::new(format!("{name}={soft}:{hard}"), o.clone()));
        }
    }
    out
}

/// Configured insecure registries, plus those `/info` reports that no source names (set by
/// a source that could not be read), without the loopback ones Docker always allows.
fn insecure(s: &Sources, info: Option<&SystemInfo>) -> Vec<Setting<String>> {
    let mut out: Vec<Setting<String>> = s
        .list("insecure-registries", "insecure-registry")
        .into_iter()
        .filter(|x| !BUILTIN_INSECURE.contains(&x.value.as_str()))
        .collect();
    let Some(reg) = info.and_then(|i| i.registry_config.as_ref()) else {
        return out;
    };
    let mut reported: Vec<String> = reg.insecure_registry_cidrs.clone().unwrap_or_default();
    let mut names: Vec<String> = reg
        .index_configs
        .as_ref()
        .map(|m| {
            m.iter()
                .filter(|(_, c)| c.secure == Some(false))
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    reported.extend(names);
    for r in reported {
        if BUILTIN_INSECURE.contains(&r.as_str()) || out.iter().any(|x| x.value == r) {
            continue;
        }
        out.push(Setting::new(
            r.clone(),
            info_origin("RegistryConfig.InsecureRegistryCIDRs", &r),
        ));
    }
    out
}
