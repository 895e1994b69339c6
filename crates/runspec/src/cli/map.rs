//! From the options of one `docker run`/`docker create` to a [`RunSpec`]: each isolation
//! setting with the flag as its origin. Values are read by [`crate::values`] and checked as the
//! Docker CLI checks them; an invalid one makes the whole command an error (the CLI would not
//! run it).

use super::flags::{self, Arity};
use super::gotypes::{parse_duration, parse_int};
use super::pflag::{self, Occurrence};
use super::{CliError, Word};
use crate::fields::Field;
use crate::model::*;
use crate::values::{self, NamespaceKind};
use plimsoll_core::Span;

/// Longest command text kept as the anchor's evidence.
const ANCHOR_TEXT_MAX: usize = 200;

/// The command being parsed.
struct Cmd<'a> {
    path: &'a str,
    words: &'a [Word],
    /// Index of the `docker` word.
    program: usize,
    anchor: Span,
    /// `docker run` or `docker create`.
    command: String,
}

/// Parses the options and image of the command whose `run`/`create` word is `words[cmd]`.
///
/// A bare expansion where the image belongs, followed by an option (`docker run $OPTS -d
/// nginx`), is first read as hidden options; if the rest then does not parse, it is read as
/// the image after all (`docker run $(IMAGE) -c config.yaml`, with `-c config.yaml` the
/// container's arguments).
pub(super) fn run_command(
    path: &str,
    words: &[Word],
    program: usize,
    cmd: usize,
    anchor: Span,
) -> Result<Option<RunSpec>, CliError> {
    let subcommand = words.get(cmd).map_or("run", |w| w.text.as_str());
    let c = Cmd {
        path,
        words,
        program,
        anchor,
        command: format!("docker {subcommand}"),
    };
    let mut occurrences = Vec::new();
    let mut start = cmd + 1;
    // The last expansion read as options: (options before it, its index).
    let mut fallback: Option<(usize, usize)> = None;
    let greedy = loop {
        let (mut found, image) = match pflag::parse(flags::RUN_FLAGS, words, start, &c.command) {
            Ok(parsed) => parsed,
            Err(e) => break Err(error(path, words, e.first, e.last, e.message, e.hint)),
        };
        occurrences.append(&mut found);
        match image {
            Some(i) if words.get(i).is_some_and(|w| w.splits) && next_is_option(words, i) => {
                fallback = Some((occurrences.len(), i));
                start = i + 1;
            }
            other => break c.build(&occurrences, other),
        }
    };
    match (greedy, fallback) {
        (Ok(found), _) => Ok(found),
        (Err(e), None) => Err(e),
        (Err(_), Some((n, image))) => c.build(occurrences.get(..n).unwrap_or(&[]), Some(image)),
    }
}

impl Cmd<'_> {
    /// The RunSpec of these options and this image word.
    fn build(
        &self,
        occurrences: &[Occurrence],
        image: Option<usize>,
    ) -> Result<Option<RunSpec>, CliError> {
        let (path, words, command) = (self.path, self.words, &self.command);
        if occurrences
            .iter()
            .any(|o| o.flag.name == "help" && o.value == "true")
        {
            return Ok(None);
        }
        let Some(image_word) = image.and_then(|i| words.get(i)) else {
            return Err(CliError {
                path: path.to_string(),
                span: Some(self.anchor),
                message: format!("\"{command}\" requires at least 1 argument"),
                hint: Some(format!(
                    "Usage: {command} [OPTIONS] IMAGE [COMMAND] [ARG...]"
                )),
            });
        };
        let mut spec = RunSpec {
            kind: SpecKind::RunCommand,
            anchor: Origin::at(
                path,
                self.anchor,
                anchor_text(words.get(self.program..).unwrap_or(&[])),
                Via::Flag(command.clone()),
            ),
            ..RunSpec::default()
        };
        spec.image = Some(Sourced::new(
            image_word.text.clone(),
            Origin::at(
                path,
                image_word.span,
                image_word.text.clone(),
                Via::Flag(Field::Image.flag().to_string()),
            ),
        ));
        spec.name = image_word.text.clone();
        Mapper {
            path,
            words,
            spec: &mut spec,
            health: Health::default(),
            rm: false,
        }
        .map_all(occurrences)?;
        Ok(Some(spec))
    }
}

/// A `CliError` spanning words `first..=last`.
pub(super) fn error(
    path: &str,
    words: &[Word],
    first: usize,
    last: usize,
    message: String,
    hint: Option<String>,
) -> CliError {
    CliError {
        path: path.to_string(),
        span: span_of(words, first, last),
        message,
        hint,
    }
}

fn span_of(words: &[Word], first: usize, last: usize) -> Option<Span> {
    let a = words.get(first)?;
    let b = words.get(last).unwrap_or(a);
    Some(Span::new(a.span.start, b.span.end))
}

fn anchor_text(words: &[Word]) -> String {
    let mut text = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(&w.text);
        if text.chars().count() > ANCHOR_TEXT_MAX {
            let cut: String = text.chars().take(ANCHOR_TEXT_MAX).collect();
            return format!("{cut}…");
        }
    }
    text
}

/// `$NAME`, `${…}`, `$@`, `$*` or `$(…)` alone: a word whose value (possibly several words)
/// the scanner cannot know.
pub(crate) fn is_bare_expansion(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('$') else {
        return false;
    };
    if matches!(rest, "@" | "*") {
        return true;
    }
    if let Some(inner) = rest.strip_prefix('{') {
        return inner
            .strip_suffix('}')
            .is_some_and(|body| !body.contains('}'));
    }
    if rest.starts_with('(') {
        return rest.ends_with(')');
    }
    super::is_name(rest)
}

fn next_is_option(words: &[Word], i: usize) -> bool {
    words
        .get(i + 1)
        .is_some_and(|w| w.text.len() > 1 && w.text.starts_with('-'))
}

/// The `--health-*` / `--no-healthcheck` flags seen so far.
#[derive(Default)]
struct Health {
    /// Origins of all health flags, in order.
    origins: Vec<Origin>,
    disabled: bool,
    cmd: Option<String>,
    interval: Option<String>,
    timeout: Option<String>,
    start_period: Option<String>,
    start_interval_set: bool,
    retries: Option<i64>,
}

struct Mapper<'a> {
    path: &'a str,
    words: &'a [Word],
    spec: &'a mut RunSpec,
    health: Health,
    rm: bool,
}

impl Mapper<'_> {
    fn map_all(&mut self, occurrences: &[Occurrence]) -> Result<(), CliError> {
        for o in occurrences {
            self.map_one(o)?;
        }
        self.finish_health()?;
        if self.rm {
            if let Some(restart) = &self.spec.restart {
                if restart.value != RestartPolicy::No {
                    return Err(CliError {
                        path: self.path.to_string(),
                        span: restart.origin.location.span,
                        message: "conflicting options: cannot specify both --restart and --rm"
                            .to_string(),
                        hint: None,
                    });
                }
            }
        }
        if let Some(driver) = &self.spec.log_driver {
            if driver.value == "none" && !self.spec.log_opts.is_empty() {
                return Err(CliError {
                    path: self.path.to_string(),
                    span: driver.origin.location.span,
                    message: "invalid logging opts for driver none".to_string(),
                    hint: None,
                });
            }
        }
        Ok(())
    }

    fn origin(&self, o: &Occurrence) -> Origin {
        Origin::at(
            self.path,
            span_of(self.words, o.first, o.last).unwrap_or_default_span(),
            o.written.clone(),
            Via::Flag(format!("--{}", o.flag.canonical)),
        )
    }

    fn sourced<T>(&self, value: T, o: &Occurrence) -> Sourced<T> {
        Sourced::new(value, self.origin(o))
    }

    fn err(&self, o: &Occurrence, message: String) -> CliError {
        error(self.path, self.words, o.first, o.last, message, None)
    }

    /// A value error worded like pflag's.
    fn invalid(&self, o: &Occurrence, detail: &str) -> CliError {
        self.err(
            o,
            format!(
                "invalid argument {:?} for \"--{}\" flag: {detail}",
                o.value, o.flag.name
            ),
        )
    }

    fn int(&self, o: &Occurrence) -> Result<i64, CliError> {
        parse_int(&o.value).ok_or_else(|| {
            self.invalid(
                o,
                &format!("strconv.ParseInt: parsing {:?}: invalid syntax", o.value),
            )
        })
    }

    fn duration(&self, o: &Occurrence) -> Result<String, CliError> {
        match parse_duration(&o.value) {
            Some(ns) if ns < 0 => Err(self.err(o, format!("--{} cannot be negative", o.flag.name))),
            Some(_) => Ok(o.value.clone()),
            None => Err(self.invalid(o, &format!("time: invalid duration {:?}", o.value))),
        }
    }

    fn bytes(&self, o: &Occurrence) -> Result<i64, CliError> {
        values::parse_ram_bytes(&o.value).map_err(|e| self.invalid(o, &e))
    }

    fn map_one(&mut self, o: &Occurrence) -> Result<(), CliError> {
        let is_true = o.flag.arity == Arity::Bool && o.value == "true";
        let value = o.value.as_str();
        match o.flag.canonical {
            "name" => self.spec.name = value.to_string(),
            "privileged" => self.spec.privileged = Some(self.sourced(is_true, o)),
            "read-only" => self.spec.read_only = Some(self.sourced(is_true, o)),
            "publish-all" => self.spec.publish_all = Some(self.sourced(is_true, o)),
            "oom-kill-disable" => self.spec.oom_kill_disable = Some(self.sourced(is_true, o)),
            "init" => self.spec.init = Some(self.sourced(is_true, o)),
            "rm" => self.rm = is_true,
            "use-api-socket" if is_true => {
                // create.go: bind-mounts the engine's socket into the container.
                let mount = Mount::engine_socket();
                let s = self.sourced(mount, o);
                self.spec.mounts.push(s);
            }
            "cap-add" | "cap-drop" => {
                let cap = values::normalize_capability(value);
                if cap.is_empty() {
                    return Err(self.err(o, "invalid empty capability".to_string()));
                }
                let s = self.sourced(cap, o);
                if o.flag.canonical == "cap-add" {
                    self.spec.cap_add.push(s);
                } else {
                    self.spec.cap_drop.push(s);
                }
            }
            "security-opt" => {
                let opt = values::parse_security_opt(value).map_err(|e| self.err(o, e))?;
                let s = self.sourced(opt, o);
                self.spec.security_opt.push(s);
            }
            "user" => self.spec.user = Some(self.sourced(value.to_string(), o)),
            "group-add" => {
                let s = self.sourced(value.to_string(), o);
                self.spec.group_add.push(s);
            }
            "network" => {
                let name = values::parse_network_opt(value).map_err(|e| self.err(o, e))?;
                if self.spec.network_mode.is_none() {
                    let mode = values::parse_network_mode(&name);
                    self.spec.network_mode = Some(self.sourced(mode, o));
                } else {
                    let s = self.sourced(name, o);
                    self.spec.networks.push(s);
                }
            }
            "pid" => self.spec.pid = Some(self.namespace(o, NamespaceKind::Pid)?),
            "ipc" => self.spec.ipc = Some(self.namespace(o, NamespaceKind::Ipc)?),
            "uts" => self.spec.uts = Some(self.namespace(o, NamespaceKind::Uts)?),
            "userns" => self.spec.userns = Some(self.namespace(o, NamespaceKind::Userns)?),
            "cgroupns" => self.spec.cgroupns = Some(self.namespace(o, NamespaceKind::Cgroupns)?),
            "cgroup-parent" => self.spec.cgroup_parent = Some(self.sourced(value.to_string(), o)),
            "volume" => {
                let m = values::parse_volume_spec(value).map_err(|e| self.err(o, e))?;
                let s = self.sourced(m, o);
                self.spec.mounts.push(s);
            }
            "mount" => {
                let m = values::parse_mount_spec(value).map_err(|e| self.invalid(o, &e))?;
                let s = self.sourced(m, o);
                self.spec.mounts.push(s);
            }
            "tmpfs" => {
                let m = values::parse_tmpfs_spec(value).map_err(|e| self.err(o, e))?;
                let s = self.sourced(m, o);
                self.spec.mounts.push(s);
            }
            "device" => {
                let d = values::parse_device_spec(value).map_err(|e| self.err(o, e))?;
                let s = self.sourced(d, o);
                self.spec.devices.push(s);
            }
            "device-cgroup-rule" => {
                if !valid_device_cgroup_rule(value) {
                    return Err(self.invalid(o, &format!("invalid device cgroup format '{value}'")));
                }
                let s = self.sourced(value.to_string(), o);
                self.spec.device_cgroup_rules.push(s);
            }
            "gpus" => self.spec.gpus = Some(self.sourced(value.to_string(), o)),
            "sysctl" => {
                let kv = validate_sysctl(value)
                    .ok_or_else(|| self.invalid(o, &format!("sysctl '{value}' is not allowed")))?;
                let s = self.sourced(kv, o);
                self.spec.sysctls.push(s);
            }
            "memory" => self.spec.memory = Some(self.sourced(self.bytes(o)?, o)),
            "memory-reservation" => {
                self.spec.memory_reservation = Some(self.sourced(self.bytes(o)?, o))
            }
            "memory-swap" => {
                let v = values::parse_swap_bytes(value).map_err(|e| self.invalid(o, &e))?;
                self.spec.memory_swap = Some(self.sourced(v, o));
            }
            "cpus" => {
                let v = values::parse_cpus(value).map_err(|e| self.invalid(o, &e))?;
                self.spec.cpus = Some(self.sourced(v, o));
            }
            "cpu-shares" => self.spec.cpu_shares = Some(self.sourced(self.int(o)?, o)),
            "cpu-quota" => self.spec.cpu_quota = Some(self.sourced(self.int(o)?, o)),
            "cpu-period" => self.spec.cpu_period = Some(self.sourced(self.int(o)?, o)),
            "cpuset-cpus" => self.spec.cpuset_cpus = Some(self.sourced(value.to_string(), o)),
            "pids-limit" => self.spec.pids_limit = Some(self.sourced(self.int(o)?, o)),
            "ulimit" => {
                let u = values::parse_ulimit(value).map_err(|e| self.invalid(o, &e))?;
                // The CLI keeps one ulimit per name, the last given.
                self.spec.ulimits.retain(|x| x.value.name != u.name);
                let s = self.sourced(u, o);
                self.spec.ulimits.push(s);
            }
            "publish" => {
                let ports = values::parse_port_spec(value).map_err(|e| self.err(o, e))?;
                for p in ports {
                    let s = self.sourced(p, o);
                    self.spec.ports.push(s);
                }
            }
            "restart" => {
                let r = values::parse_restart(value).map_err(|e| self.err(o, e))?;
                self.spec.restart = Some(self.sourced(r, o));
            }
            "env" => {
                let (name, val) =
                    values::parse_env_assignment(value).map_err(|e| self.invalid(o, &e))?;
                let from = if val.is_some() {
                    EnvFrom::Literal
                } else {
                    EnvFrom::Caller
                };
                let s = self.sourced(
                    EnvVar {
                        name,
                        value: val,
                        from,
                    },
                    o,
                );
                self.spec.environment.push(s);
            }
            "env-file" => {
                let s = self.sourced(value.to_string(), o);
                self.spec.env_files.push(s);
            }
            "log-driver" => self.spec.log_driver = Some(self.sourced(value.to_string(), o)),
            "log-opt" => {
                // ConvertKVStringsToMap: a missing `=` is an empty value.
                let (k, v) = value.split_once('=').unwrap_or((value, ""));
                let s = self.sourced((k.to_string(), v.to_string()), o);
                self.spec.log_opts.push(s);
            }
            "runtime" => self.spec.runtime = Some(self.sourced(value.to_string(), o)),
            "no-healthcheck" => {
                self.health.disabled = is_true;
                self.health.origins.push(self.origin(o));
            }
            "health-cmd" => {
                self.health.cmd = (!value.is_empty()).then(|| value.to_string());
                self.health.origins.push(self.origin(o));
            }
            "health-interval" => {
                self.health.interval = non_zero(self.duration(o)?);
                self.health.origins.push(self.origin(o));
            }
            "health-timeout" => {
                self.health.timeout = non_zero(self.duration(o)?);
                self.health.origins.push(self.origin(o));
            }
            "health-start-period" => {
                self.health.start_period = non_zero(self.duration(o)?);
                self.health.origins.push(self.origin(o));
            }
            "health-start-interval" => {
                self.health.start_interval_set = non_zero(self.duration(o)?).is_some();
                self.health.origins.push(self.origin(o));
            }
            "health-retries" => {
                let n = self.int(o)?;
                if n < 0 {
                    return Err(self.err(o, "--health-retries cannot be negative".to_string()));
                }
                self.health.retries = (n != 0).then_some(n);
                self.health.origins.push(self.origin(o));
            }
            _ => {}
        }
        Ok(())
    }

    fn namespace(
        &self,
        o: &Occurrence,
        kind: NamespaceKind,
    ) -> Result<Sourced<NamespaceMode>, CliError> {
        let mode = values::validate_namespace_mode(kind, &o.value).map_err(|e| self.err(o, e))?;
        Ok(self.sourced(mode, o))
    }

    /// Builds the healthcheck as `parse` in opts.go does: `--no-healthcheck` conflicts with
    /// any non-zero `--health-*`; otherwise non-zero settings make a check, whose test is
    /// `CMD-SHELL <cmd>` or the image's when no command is given.
    fn finish_health(&mut self) -> Result<(), CliError> {
        let h = std::mem::take(&mut self.health);
        let Some(first) = h.origins.first() else {
            return Ok(());
        };
        let have_settings = h.cmd.is_some()
            || h.interval.is_some()
            || h.timeout.is_some()
            || h.start_period.is_some()
            || h.start_interval_set
            || h.retries.is_some();
        let written = h
            .origins
            .iter()
            .map(|o| o.written.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let origin = Origin::new(first.location.clone(), written, first.via.clone());
        if h.disabled {
            if have_settings {
                return Err(CliError {
                    path: self.path.to_string(),
                    span: first.location.span,
                    message: "--no-healthcheck conflicts with --health-* options".to_string(),
                    hint: None,
                });
            }
            self.spec.healthcheck = Some(Sourced::new(Healthcheck::Disabled, origin));
        } else if have_settings {
            let check = Healthcheck::Check {
                test: h.cmd.map(|c| vec!["CMD-SHELL".to_string(), c]),
                interval: h.interval,
                timeout: h.timeout,
                retries: h.retries.and_then(|r| u32::try_from(r).ok()),
                start_period: h.start_period,
            };
            self.spec.healthcheck = Some(Sourced::new(check, origin));
        }
        Ok(())
    }
}

/// A duration that is not zero (the CLI treats a zero duration as unset).
fn non_zero(d: String) -> Option<String> {
    (parse_duration(&d) != Some(0)).then_some(d)
}

trait OrDefaultSpan {
    fn unwrap_or_default_span(self) -> Span;
}

impl OrDefaultSpan for Option<Span> {
    fn unwrap_or_default_span(self) -> Span {
        self.unwrap_or(Span::new(
            plimsoll_core::Pos::new(1, 1),
            plimsoll_core::Pos::new(1, 1),
        ))
    }
}

/// opts.go `validateDeviceCgroupRule`: `^[acb] ([0-9]+|\*):([0-9]+|\*) [rwm]{1,3}$`.
fn valid_device_cgroup_rule(rule: &str) -> bool {
    let parts: Vec<&str> = rule.split(' ').collect();
    let [kind, numbers, access] = parts.as_slice() else {
        return false;
    };
    let number = |s: &str| s == "*" || (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
    matches!(*kind, "a" | "b" | "c")
        && numbers
            .split_once(':')
            .is_some_and(|(major, minor)| number(major) && number(minor))
        && (1..=3).contains(&access.len())
        && access.chars().all(|c| matches!(c, 'r' | 'w' | 'm'))
}

/// opts.go `ValidateSysctl`: only namespaced sysctls (`net.*`, `fs.mqueue.*` and some
/// `kernel.*` IPC settings) are accepted.
fn validate_sysctl(value: &str) -> Option<(String, String)> {
    const KERNEL: &[&str] = &[
        "kernel.msgmax",
        "kernel.msgmnb",
        "kernel.msgmni",
        "kernel.sem",
        "kernel.shmall",
        "kernel.shmmax",
        "kernel.shmmni",
        "kernel.shm_rmid_forced",
    ];
    let (k, v) = value.split_once('=')?;
    let allowed = !k.is_empty()
        && (KERNEL.contains(&k) || k.starts_with("net.") || k.starts_with("fs.mqueue."));
    allowed.then(|| (k.to_string(), v.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expansions() {
        for yes in ["$OPTS", "${OPTS}", "$@", "$*", "$(opts)", "${A:-x}"] {
            assert!(is_bare_expansion(yes), "{yes}");
        }
        for no in ["$", "nginx", "$1x-", "${A}b", "${A}}", "x$A"] {
            assert!(!is_bare_expansion(no), "{no}");
        }
    }

    #[test]
    fn cgroup_rules() {
        assert!(valid_device_cgroup_rule("c 1:3 mr"));
        assert!(valid_device_cgroup_rule("a *:* rwm"));
        assert!(valid_device_cgroup_rule("b 7:* rw"));
        assert!(!valid_device_cgroup_rule("c 1:3 rwmm"));
        assert!(!valid_device_cgroup_rule("x 1:3 r"));
        assert!(!valid_device_cgroup_rule("c 1 r"));
        assert!(!valid_device_cgroup_rule("c  1:3 r"));
    }

    #[test]
    fn sysctls() {
        assert!(validate_sysctl("net.ipv4.ip_forward=1").is_some());
        assert!(validate_sysctl("kernel.shmmax=1").is_some());
        assert!(validate_sysctl("fs.mqueue.msg_max=10").is_some());
        assert!(validate_sysctl("kernel.core_pattern=x").is_none());
        assert!(validate_sysctl("net.ipv4.ip_forward").is_none());
    }
}
