//! RS016: a sensitive host path is bind-mounted.

use super::{binds, mode, runtime_socket, under, HostPath};
use crate::dialect::{Dialect, Fix};
use crate::model::{Mount, RunSpec};
use crate::rules::privileges::caps;
use crate::rules::{Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS016",
    name: "sensitive-host-path",
    title: "Sensitive host path mounted",
    severity: Severity::High,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a bind mount (compose `volumes`, short or long syntax, and named \
volumes that bind a host directory through `driver_opts`; `docker run -v`/`--mount`; `Mounts` \
of an existing container) gives the container a sensitive part of the host. Severity depends \
on what the path is and whether it is writable:\n\n\
- the root `/`: critical writable, high read-only;\n\
- secrets — `/etc/shadow`, `/etc/gshadow`, `/etc/ssh`, `/etc/kubernetes`, `/etc/rancher`, \
`/etc/docker`, `/etc/ssl/private`, `/etc/pki/tls/private` — and credential stores in a home \
(`.ssh`, `.aws`, `.kube`, `.docker`, `.gnupg`, `.azure`, `.config/gcloud`, `.netrc`, \
`.pgpass`, `.git-credentials`, under `/root`, `/home/<user>` or `~`): high either way;\n\
- a shell start-up file in a home (`.bashrc`, `.profile`, `.zshrc`…): high writable;\n\
- the whole of `/etc`, `/proc`, `/sys`, `/boot`, `/dev`, `/root`, `/home`, a whole user \
home (`/home/<user>`, `~`), `/var`, and the engines' data (`/var/lib/docker`, `/var/lib/containerd`, \
`/var/lib/containers`, `/var/lib/kubelet`, `/var/lib/rancher`; `/var/lib/docker/containers` \
holds every container's environment): high writable, medium read-only;\n\
- parts of `/etc` that run code as root (`cron*`, `sudoers*`, `systemd`, `init.d`, \
`profile*`, `ld.so.*`, `pam.d`, `modprobe.d`, `udev`, package sources…): high writable, low \
read-only; any other part of `/etc` (one program's configuration): medium writable, low \
read-only;\n\
- system programs and libraries (`/usr`, `/bin`, `/sbin`, `/lib*`): high writable, low \
read-only; data under `/usr` (`/usr/share`, `/usr/src`, `/usr/include`): medium writable \
only;\n\
- the host's D-Bus and systemd sockets (`/run/dbus`, `/run/systemd`): high either way;\n\
- `/dev/shm`: medium writable, low read-only; one device node under `/dev`: as severe as \
RS018 rates that device when the container may open it (Docker's default device cgroup \
allows the terminals and `/dev/net/tun`; `privileged`, a matching `devices` entry or any \
`device_cgroup_rules` allow more), low otherwise;\n\
- benign files, fine read-only and judged by what writing them allows: `/etc/localtime`, \
`/etc/timezone`, `/usr/share/zoneinfo`, `/etc/hostname`, `/etc/machine-id`, \
`/etc/os-release` (low); `/etc/hosts`, `/etc/resolv.conf`, `/etc/nsswitch.conf` (medium); \
`/etc/passwd`, `/etc/group` and the CA bundles (`/etc/ssl/certs`, `/etc/pki/ca-trust`…) \
(high).\n\n\
`/dev/null`, `/dev/urandom`, `/dev/log` and the journald socket never fire. Paths are \
compared after lexical normalisation (`/var/../etc/` is `/etc`). Paths written relative to the \
project (`./conf:/etc/nginx`) never fire, wherever the project lives; nor does any other \
subdirectory of a home (`~/data`, `/root/app`, `/home/alice/src`): a directory in a home is \
not the home. `~` is judged as written — the deploying user's home, whoever that is — never \
expanded with the `$HOME` of whoever runs the audit, so the verdict does not depend on it. \
Runtime sockets and `/run` are RS015's.\n\n\
docker-bench 5.6 only matches `/ /boot /dev /etc /lib /proc /sys /usr` exactly and only when \
writable; `/etc/shadow`, `/root`, `/home`, `/var/lib/docker` and read-only mounts of `/` slip \
past it.",
        why: "A bind mount is a hole in the container's filesystem isolation. Writable system \
paths are a direct escape: a line in `/etc/passwd`, `/etc/sudoers.d` or a cron file, a \
replaced binary in `/usr/bin`, an SSH key in `/root/.ssh/authorized_keys`, a \
`kernel.core_pattern` written through `/proc/sys` all run attacker code as root on the host. \
Read-only mounts leak what the host keeps secret — password hashes, SSH host and user keys, \
cloud and cluster credentials, other containers' data under `/var/lib/docker` — which an \
attacker uses to move on to other machines.",
        fix: "Mount only what the service needs: a specific file or directory, ideally from \
the project (`./config/app.conf:/etc/app/app.conf:ro`) or a named volume, never a whole \
system directory. Add `:ro` (`read_only: true` in the long syntax, `readonly` in `--mount`) \
to anything the container does not have to write. An agent that must observe the host \
(node-exporter, cAdvisor) should get read-only mounts of exactly the paths it reads, and be \
reviewed as the privileged component it is.",
        bad: "services:\n  app:\n    image: nginx:1.27\n    volumes:\n      - /etc:/host/etc\n",
        good: "services:\n  app:\n    image: nginx:1.27\n    volumes:\n      - ./nginx.conf:/etc/nginx/nginx.conf:ro\n      - /etc/localtime:/etc/localtime:ro\n",
    },
    references: References {
        cis: &["5.6"],
        kics: &[
            "Volume Has Sensitive Host Directory",
            "1c1325ff-831d-43a1-973e-839ae57dfcc0",
        ],
        cwe: &["CWE-668", "CWE-732"],
        links: &[
            "https://docs.docker.com/engine/storage/bind-mounts/",
            "https://man7.org/linux/man-pages/man5/core.5.html",
        ],
        ..References::NONE
    },
};

pub struct SensitivePath;

/// What kind of host path a bind gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Root,
    Secrets,
    Credentials,
    Etc,
    Proc,
    Sys,
    Boot,
    Dev,
    RootHome,
    Home,
    EngineData,
    SystemFiles,
    Var,
    HostControl,
    TimeZone,
    HostIdentity,
    NameResolution,
    Accounts,
    TrustedCas,
    /// Part of `/etc` holding configuration that runs code (cron, sudoers, systemd units…).
    ExecConfig,
    /// Any other part of `/etc`: one program's configuration.
    EtcPart,
    /// Data under `/usr` that no program executes (`/usr/share`, `/usr/src`).
    SystemData,
    /// `/var/lib/docker/containers`: every container's logs and configuration.
    ContainerState,
    /// `/dev/shm`.
    SharedMemory,
    /// One device node under `/dev` (judged like a device by RS018's table).
    DeviceNode,
    /// A shell start-up file in a home (`.bashrc`, `.profile`…): code that runs as that user
    /// at the next login.
    HomeStartup,
}

impl Class {
    /// The severity of the mount, or `None` when that mode is harmless.
    fn severity(self, read_only: bool) -> Option<Severity> {
        use Severity::*;
        let (rw, ro) = match self {
            Class::Root => (Critical, Some(High)),
            Class::Secrets | Class::Credentials | Class::HostControl => (High, Some(High)),
            Class::SystemFiles => (High, Some(Low)),
            Class::TimeZone | Class::HostIdentity => (Low, None),
            Class::ExecConfig => (High, Some(Low)),
            Class::HomeStartup => (High, None),
            Class::EtcPart | Class::SharedMemory => (Medium, Some(Low)),
            Class::SystemData => (Medium, None),
            Class::NameResolution => (Medium, None),
            Class::Accounts | Class::TrustedCas => (High, None),
            _ => (High, Some(Medium)),
        };
        if read_only {
            ro
        } else {
            Some(rw)
        }
    }

    /// What an attacker in the container can do with it.
    fn effect(self, read_only: bool) -> &'static str {
        match (self, read_only) {
            (Class::Root, false) => {
                "the whole host filesystem is writable: adding a UID 0 account, a cron job or a \
                 systemd unit, or replacing a binary, takes over the host"
            }
            (Class::Root, true) => {
                "every secret on the host is readable: /etc/shadow, SSH keys, cloud and cluster \
                 credentials, other containers' data"
            }
            (Class::Secrets, _) => {
                "host secrets (password hashes, SSH host keys, cluster or TLS private keys) are \
                 exposed, usable to impersonate the host or log in elsewhere"
            }
            (Class::Credentials, false) => {
                "a user's credentials (SSH keys, cloud and cluster tokens) are readable and \
                 replaceable — an added `authorized_keys` entry opens the host"
            }
            (Class::Credentials, true) => {
                "a user's credentials (SSH keys, cloud and cluster tokens) are readable and work \
                 from anywhere"
            }
            (Class::Etc, false) => {
                "host configuration is writable: a UID 0 line in /etc/passwd, a sudoers or cron \
                 entry runs code as root on the host"
            }
            (Class::Etc, true) => {
                "host configuration and the secrets kept in it (service credentials, private \
                 keys) are readable"
            }
            (Class::Proc, false) => {
                "the host's /proc is writable: /proc/sys/kernel/core_pattern makes the host run \
                 a program as root, /proc/sysrq-trigger reboots it"
            }
            (Class::Proc, true) => {
                "every host process with its command line and status, and the kernel's \
                 settings, are visible"
            }
            (Class::Sys, false) => {
                "kernel, device and cgroup settings are writable (uevent_helper and cgroup \
                 release_agent are known host escapes)"
            }
            (Class::Sys, true) => "host hardware, kernel and cgroup details are readable",
            (Class::Boot, false) => {
                "the host's kernel and initramfs can be replaced: attacker code runs as root at \
                 the next boot"
            }
            (Class::Boot, true) => {
                "the host's kernel configuration and initramfs (which may embed disk keys) are \
                 readable"
            }
            (Class::Dev, false) => {
                "host device nodes are exposed: wherever the device cgroup allows them \
                 (privileged, --device, device_cgroup_rules) disks can be read and written raw"
            }
            (Class::Dev, true) => "the host's device nodes and their names are visible",
            (Class::RootHome, false) => {
                "root's home is writable: an SSH key in authorized_keys or a line in .bashrc \
                 gives root on the host"
            }
            (Class::RootHome, true) => {
                "root's SSH keys, shell history and tool credentials (.docker/config.json, \
                 .kube/config) are readable"
            }
            (Class::Home, false) => {
                "users' homes are writable: planted SSH keys or shell start-up code run as those \
                 users"
            }
            (Class::HomeStartup, _) => {
                "a user's shell start-up file is writable: a line added to it runs as that user \
                 (root, for /root) at the next login"
            }
            (Class::Home, true) => {
                "users' SSH keys, shell history and cloud credentials are readable"
            }
            (Class::EngineData, false) => {
                "every container's filesystem, volumes and image layers are writable: other \
                 containers and images can be changed"
            }
            (Class::EngineData, true) => {
                "every other container's files and volumes (databases, secrets) are readable"
            }
            (Class::SystemFiles, false) => {
                "host programs and libraries can be replaced: code runs as root the next time \
                 the host uses them"
            }
            (Class::SystemFiles, true) => {
                "host programs and libraries are readable (which versions to attack), nothing \
                 secret by default"
            }
            (Class::Var, false) => {
                "host state is writable, including /var/lib/docker (every container's files), \
                 spools and logs"
            }
            (Class::Var, true) => {
                "host state is readable, including /var/lib/docker (every container's files) and \
                 logs"
            }
            (Class::HostControl, _) => {
                "the host's D-Bus or systemd control socket lets root in the container ask \
                 systemd to start units, i.e. run commands as root on the host; read-only does \
                 not restrict a socket"
            }
            (Class::TimeZone, _) => {
                "it is writable, so the container can change the host's time zone data"
            }
            (Class::HostIdentity, _) => {
                "it is writable, so the container can change the host's name or identity"
            }
            (Class::ExecConfig, false) => {
                "host configuration that runs code (cron jobs, sudoers, services, login scripts, \
                 package sources) is writable: an added entry runs as root on the host"
            }
            (Class::ExecConfig, true) => {
                "host configuration that runs code is readable (which jobs and services run as \
                 root, and how)"
            }
            (Class::EtcPart, false) => {
                "the host's configuration of that software is writable: the host service that \
                 reads it can be reconfigured or subverted"
            }
            (Class::EtcPart, true) => {
                "the host's configuration of that software is readable, with any credentials \
                 stored in it"
            }
            (Class::SystemData, _) => {
                "host data under /usr is writable: shared files and headers that host programs \
                 and builds trust"
            }
            (Class::ContainerState, false) => {
                "every container's logs and configuration are writable: a changed \
                 config.v2.json applies when that container is next started"
            }
            (Class::ContainerState, true) => {
                "every container's logs and configuration (config.v2.json, with its \
                 environment variables, often secrets) are readable"
            }
            (Class::SharedMemory, false) => {
                "the host's POSIX shared memory is readable and writable: data other processes \
                 exchange through /dev/shm can be read or corrupted"
            }
            (Class::SharedMemory, true) => {
                "the host's POSIX shared memory is readable: data other processes exchange \
                 through /dev/shm"
            }
            (Class::DeviceNode, _) => "a host device node",
            (Class::NameResolution, _) => {
                "it is writable, so the container can redirect the host's name resolution and \
                 intercept its traffic"
            }
            (Class::Accounts, _) => {
                "the host's account database is writable: a second UID 0 account gives root on \
                 the host"
            }
            (Class::TrustedCas, _) => {
                "the host's trusted CA certificates are writable: an added CA lets the container \
                 intercept the host's TLS traffic"
            }
        }
    }
}

/// Files and trees that are fine to share read-only, and what writing them is.
const BENIGN: &[(&str, Class)] = &[
    ("/etc/localtime", Class::TimeZone),
    ("/etc/timezone", Class::TimeZone),
    ("/usr/share/zoneinfo", Class::TimeZone),
    ("/etc/hostname", Class::HostIdentity),
    ("/etc/machine-id", Class::HostIdentity),
    ("/var/lib/dbus/machine-id", Class::HostIdentity),
    ("/etc/os-release", Class::HostIdentity),
    ("/usr/lib/os-release", Class::HostIdentity),
    ("/etc/hosts", Class::NameResolution),
    ("/etc/resolv.conf", Class::NameResolution),
    ("/etc/nsswitch.conf", Class::NameResolution),
    ("/etc/passwd", Class::Accounts),
    ("/etc/group", Class::Accounts),
    ("/etc/ssl/certs", Class::TrustedCas),
    ("/etc/ssl/cert.pem", Class::TrustedCas),
    ("/etc/ca-certificates", Class::TrustedCas),
    ("/etc/ca-certificates.conf", Class::TrustedCas),
    ("/etc/pki/ca-trust", Class::TrustedCas),
    ("/etc/pki/tls/certs", Class::TrustedCas),
    ("/usr/share/ca-certificates", Class::TrustedCas),
    ("/usr/local/share/ca-certificates", Class::TrustedCas),
];

/// Never sensitive, read-only or not.
const HARMLESS: &[&str] = &[
    "/dev/null",
    "/dev/zero",
    "/dev/full",
    "/dev/random",
    "/dev/urandom",
    "/dev/log",
    "/run/systemd/journal",
    "/var/run/systemd/journal",
];

/// Secrets: high even read-only.
const SECRETS: &[&str] = &[
    "/etc/shadow",
    "/etc/shadow-",
    "/etc/gshadow",
    "/etc/gshadow-",
    "/etc/ssh",
    "/etc/kubernetes",
    "/etc/rancher",
    "/etc/docker",
    "/etc/ssl/private",
    "/etc/pki/tls/private",
];

/// Credential files and directories in a home.
const CREDENTIALS: &[&str] = &[
    ".ssh",
    ".aws",
    ".kube",
    ".docker",
    ".gnupg",
    ".azure",
    ".config/gcloud",
    ".netrc",
    ".pgpass",
    ".git-credentials",
];

/// Shell start-up files in a home: run as the home's user at login.
const HOME_STARTUP: &[&str] = &[
    ".bashrc",
    ".bash_profile",
    ".bash_login",
    ".bash_logout",
    ".profile",
    ".zshrc",
    ".zprofile",
    ".zshenv",
    ".zlogin",
    ".config/fish",
];

/// Parts of `/etc` whose contents are executed or decide what runs as root.
const EXEC_CONFIG: &[&str] = &[
    "/etc/cron.d",
    "/etc/cron.daily",
    "/etc/cron.hourly",
    "/etc/cron.weekly",
    "/etc/cron.monthly",
    "/etc/crontab",
    "/etc/anacrontab",
    "/etc/sudoers",
    "/etc/sudoers.d",
    "/etc/systemd",
    "/etc/init.d",
    "/etc/rc.local",
    "/etc/profile",
    "/etc/profile.d",
    "/etc/bash.bashrc",
    "/etc/environment",
    "/etc/ld.so.preload",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/pam.d",
    "/etc/security",
    "/etc/modprobe.d",
    "/etc/modules-load.d",
    "/etc/udev",
    "/etc/apt",
    "/etc/yum.repos.d",
    "/etc/apk",
];

/// Parts of `/usr` that hold data, not programs.
const SYSTEM_DATA: &[&str] = &[
    "/usr/share",
    "/usr/src",
    "/usr/include",
    "/usr/local/share",
    "/usr/local/src",
    "/usr/local/include",
];

/// Prefix classes, most specific first.
const PREFIXES: &[(&str, Class)] = &[
    ("/var/lib/docker/containers", Class::ContainerState),
    ("/var/lib/docker", Class::EngineData),
    ("/var/lib/containerd", Class::EngineData),
    ("/var/lib/containers", Class::EngineData),
    ("/var/lib/kubelet", Class::EngineData),
    ("/var/lib/rancher", Class::EngineData),
    ("/run/dbus", Class::HostControl),
    ("/var/run/dbus", Class::HostControl),
    ("/run/systemd", Class::HostControl),
    ("/var/run/systemd", Class::HostControl),
    ("/etc", Class::Etc),
    ("/proc", Class::Proc),
    ("/sys", Class::Sys),
    ("/boot", Class::Boot),
    ("/dev", Class::Dev),
    ("/usr", Class::SystemFiles),
    ("/bin", Class::SystemFiles),
    ("/sbin", Class::SystemFiles),
    ("/lib", Class::SystemFiles),
    ("/lib32", Class::SystemFiles),
    ("/lib64", Class::SystemFiles),
    ("/libx32", Class::SystemFiles),
];

/// Whether `rest` (a path inside a home, without leading slash) is a credential store.
fn credential(rest: &[&str]) -> bool {
    inside_home(rest, CREDENTIALS)
}

/// Whether `rest` (a path inside a home) is one of `entries` or below one.
fn inside_home(rest: &[&str], entries: &[&str]) -> bool {
    let joined = rest.join("/");
    entries
        .iter()
        .any(|c| under(&format!("/{joined}"), &format!("/{c}")))
}

/// A path inside a home (`rest`, not empty): its credential stores and shell start-up files
/// are sensitive; any other subdirectory is not the home — a project's `~/data` or
/// `/root/app/conf` is that project's files.
fn in_home(rest: &[&str]) -> Option<Class> {
    if credential(rest) {
        Some(Class::Credentials)
    } else if inside_home(rest, HOME_STARTUP) {
        Some(Class::HomeStartup)
    } else {
        None
    }
}

fn classify(path: &HostPath) -> Option<Class> {
    if runtime_socket::covers(path) {
        return None;
    }
    match path {
        HostPath::Relative(_) => None,
        HostPath::Home(_) => {
            let parts = path.components();
            if parts.is_empty() {
                Some(Class::Home)
            } else {
                in_home(&parts)
            }
        }
        HostPath::Absolute(p) => {
            if p == "/" {
                return Some(Class::Root);
            }
            if HARMLESS.iter().any(|h| under(p, h)) {
                return None;
            }
            if let Some((_, class)) = BENIGN.iter().find(|(b, _)| under(p, b)) {
                return Some(*class);
            }
            if SECRETS.iter().any(|s| under(p, s)) {
                return Some(Class::Secrets);
            }
            let parts = path.components();
            match parts.as_slice() {
                ["root"] => return Some(Class::RootHome),
                ["home"] | ["home", _] => return Some(Class::Home),
                ["root", rest @ ..] | ["home", _, rest @ ..] => return in_home(rest),
                ["var"] => return Some(Class::Var),
                _ => {}
            }
            if EXEC_CONFIG.iter().any(|e| under(p, e)) {
                return Some(Class::ExecConfig);
            }
            if p != "/etc" && under(p, "/etc") {
                return Some(Class::EtcPart);
            }
            if SYSTEM_DATA.iter().any(|d| under(p, d)) {
                return Some(Class::SystemData);
            }
            if under(p, "/dev/shm") {
                return Some(Class::SharedMemory);
            }
            if p != "/dev" && under(p, "/dev") {
                return Some(Class::DeviceNode);
            }
            PREFIXES
                .iter()
                .find(|(prefix, _)| under(p, prefix))
                .map(|(_, class)| *class)
        }
    }
}

impl Rule<Input<'_>> for SensitivePath {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        for (m, path) in binds(spec) {
            let Some(class) = classify(&path) else {
                continue;
            };
            let Some(severity) = class.severity(m.value.read_only) else {
                continue;
            };
            let shown = path.display();
            let written = m.origin.written.trim();
            let (severity, effect) = if class == Class::DeviceNode {
                device_node(spec, &shown, m.value.read_only)
            } else {
                (severity, class.effect(m.value.read_only).to_string())
            };
            let message = format!(
                "{} mounts host path `{shown}` {} (`{written}`): {effect}",
                dialect.subject(spec),
                mode(&m.value),
            );
            out.push(
                Finding::new(&META, m.origin.location.clone(), message)
                    .evidence(written)
                    .fix(fix(dialect, &m.value, &shown, class))
                    .key(format!("{}:{shown}:{}", spec.name, mode(&m.value)))
                    .severity(severity)
                    .build(),
            );
        }
    }
}

/// Devices Docker's default device cgroup lets every container open (moby
/// `oci/defaults.go`); `/dev/null` and the like are [`HARMLESS`] already.
const ALLOWED_BY_DEFAULT: &[&str] = &[
    "/dev/tty",
    "/dev/console",
    "/dev/ptmx",
    "/dev/pts",
    "/dev/net/tun",
];

/// A bind-mounted device node: as dangerous as the device when the container may open it
/// (Docker's default allow list, `privileged`, a matching `devices` entry, any
/// `device_cgroup_rules`), low otherwise — the node is there, the cgroup refuses to open it.
fn device_node(spec: &RunSpec, path: &str, read_only: bool) -> (Severity, String) {
    let (severity, what) = super::devices::device(path, !read_only);
    let usable = ALLOWED_BY_DEFAULT.iter().any(|d| under(path, d))
        || caps::is_privileged(spec)
        || !spec.device_cgroup_rules.is_empty()
        || spec
            .devices
            .iter()
            .any(|d| super::normalize(d.value.host_path.trim()) == path);
    if usable {
        (severity, what.to_string())
    } else {
        (
            Severity::Low,
            format!(
                "the device cgroup refuses to open it today (no `privileged`, `devices` or \
                 `device_cgroup_rules` entry allows it), but once one does: {what}"
            ),
        )
    }
}

fn fix(dialect: &dyn Dialect, m: &Mount, shown: &str, class: Class) -> String {
    let target = m.target.as_str();
    let read_only = dialect.fix(Fix::MountReadOnly { shown, target });
    match class {
        Class::TimeZone
        | Class::HostIdentity
        | Class::NameResolution
        | Class::Accounts
        | Class::TrustedCas
        | Class::SystemData => {
            format!("mount it read-only: {read_only}")
        }
        Class::HostControl => format!(
            "remove the `{shown}` mount; manage host services from the host, not from a \
             container"
        ),
        Class::Credentials | Class::Secrets => {
            let secrets = dialect.fix(Fix::SecretChannel);
            format!(
                "remove the `{shown}` mount; give the service a credential of its own, scoped to \
                 what it does, through {secrets} — never the host's"
            )
        }
        _ => {
            let narrow = format!(
                "mount only what the service needs instead of `{shown}`: a specific file from \
                 the project (e.g. `./config/app.conf`), read-only, or a named volume"
            );
            if m.read_only {
                narrow
            } else {
                format!("{narrow}; if it must stay, make it read-only: {read_only}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{bind, check, compose, container, run};

    fn found(src: &str, ro: bool) -> Vec<Finding> {
        check(
            &SensitivePath,
            &compose("web").bind(src, "/host", ro).build(),
        )
    }

    fn severity(src: &str, ro: bool) -> Option<Severity> {
        let f = found(src, ro);
        assert!(f.len() <= 1, "{src}: {f:?}");
        f.first().map(|f| f.severity)
    }

    #[test]
    fn root_is_critical_writable_and_high_read_only() {
        assert_eq!(severity("/", false), Some(Severity::Critical));
        assert_eq!(severity("/", true), Some(Severity::High));
        assert_eq!(severity("//", true), Some(Severity::High));
    }

    #[test]
    fn system_directories_and_sub_paths() {
        for src in ["/etc", "/etc/", "/proc", "/sys/fs/cgroup", "/boot", "/dev"] {
            assert_eq!(severity(src, false), Some(Severity::High), "{src}");
            assert_eq!(severity(src, true), Some(Severity::Medium), "{src}");
        }
        assert_eq!(severity("/usr", true), Some(Severity::Low));
        assert_eq!(severity("/usr/bin", false), Some(Severity::High));
        assert_eq!(severity("/lib/modules", true), Some(Severity::Low));
        assert_eq!(
            severity("/var/lib/docker/volumes", true),
            Some(Severity::Medium)
        );
        assert_eq!(severity("/var/../etc", false), Some(Severity::High));
        assert_eq!(severity("/var", true), Some(Severity::Medium));
    }

    #[test]
    fn parts_of_etc_by_what_they_do() {
        // One program's configuration.
        assert_eq!(severity("/etc/nginx", false), Some(Severity::Medium));
        assert_eq!(severity("/etc/pihole/", true), Some(Severity::Low));
        // Configuration that runs code as root.
        for src in [
            "/etc/cron.d",
            "/etc/sudoers.d",
            "/etc/systemd/system",
            "/etc/apt",
        ] {
            assert_eq!(severity(src, false), Some(Severity::High), "{src}");
            assert_eq!(severity(src, true), Some(Severity::Low), "{src}");
        }
        let f = found("/etc/hostname", false);
        assert!(
            f[0].message.contains("name or identity"),
            "{}",
            f[0].message
        );
        assert_eq!(severity("/etc/hostname", true), None);
    }

    #[test]
    fn data_under_usr_and_docker_state() {
        assert_eq!(severity("/usr/src", false), Some(Severity::Medium));
        assert_eq!(severity("/usr/share/appdata/x", true), None);
        assert_eq!(severity("/usr/lib", true), Some(Severity::Low));
        let f = found("/var/lib/docker/containers", true);
        assert_eq!(f[0].severity, Severity::Medium);
        assert!(f[0].message.contains("config.v2.json"));
    }

    #[test]
    fn device_nodes_depend_on_the_device_cgroup() {
        // Blocked by the default device cgroup: low, saying why.
        let f = found("/dev/sda", false);
        assert_eq!(f[0].severity, Severity::Low);
        assert!(
            f[0].message.contains("refuses to open it today"),
            "{}",
            f[0].message
        );
        // Allowed: as severe as the device.
        let spec = compose("web")
            .privileged(true)
            .bind("/dev/sda", "/dev/sda", false)
            .build();
        assert_eq!(check(&SensitivePath, &spec)[0].severity, Severity::Critical);
        let spec = compose("web")
            .device_cgroup_rule("b 8:* rwm")
            .bind("/dev/sda1", "/dev/sda1", true)
            .build();
        assert_eq!(check(&SensitivePath, &spec)[0].severity, Severity::High);
        // TUN is in Docker's default allow list.
        assert_eq!(severity("/dev/net/tun", false), Some(Severity::Low));
        assert_eq!(severity("/dev/console", false), Some(Severity::High));
        assert_eq!(severity("/dev/shm", false), Some(Severity::Medium));
    }

    #[test]
    fn secrets_and_credentials_are_high_even_read_only() {
        for src in [
            "/etc/shadow",
            "/etc/ssh",
            "/etc/kubernetes/admin.conf",
            "/root/.ssh",
            "/home/alice/.aws",
            "/home/alice/.config/gcloud",
            "/root/.docker/config.json",
        ] {
            assert_eq!(severity(src, true), Some(Severity::High), "{src}");
        }
        let spec = run("web").bind("~/.kube", "/root/.kube", true).build();
        let f = check(&SensitivePath, &spec);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("`~/.kube` read-only"));
    }

    #[test]
    fn homes() {
        assert_eq!(severity("/home", true), Some(Severity::Medium));
        assert_eq!(severity("/home/alice", false), Some(Severity::High));
        assert_eq!(severity("/root", true), Some(Severity::Medium));
        assert_eq!(severity("~", true), Some(Severity::Medium));
        // A project inside a home is not the home.
        assert_eq!(severity("/home/alice/src/app", false), None);
        assert_eq!(severity("~/src/app", false), None);
    }

    /// The same compose file audited by root and by another user: the same findings.
    #[test]
    fn verdict_does_not_depend_on_the_auditors_home() {
        let text = "services:\n  app:\n    image: alpine:3.20\n    volumes:\n      - ~/data:/data\n      - ~/.ssh:/keys:ro\n      - ~:/home-rw\n      - type: bind\n        source: ~/.bashrc\n        target: /x\n";
        let verdicts = |home: &str| {
            let env = std::collections::BTreeMap::from([("HOME".to_string(), home.to_string())]);
            let project = crate::compose::load_str("compose.yaml", text, &env).expect("loads");
            project
                .services
                .iter()
                .flat_map(|s| check(&SensitivePath, s))
                .map(|f| (f.severity, f.message))
                .collect::<Vec<_>>()
        };
        let as_root = verdicts("/root");
        assert_eq!(as_root, verdicts("/home/u"));
        let severities: Vec<_> = as_root.iter().map(|(s, _)| *s).collect();
        assert_eq!(
            severities,
            [Severity::High, Severity::High, Severity::High],
            "{as_root:#?}"
        );
        assert!(
            as_root.iter().all(|(_, m)| !m.contains("`/root")),
            "{as_root:#?}"
        );
    }

    /// `~/data` after compose's `~` expansion used to be `/root/data` for an auditor running as
    /// root and `/home/u/data` for anyone else: a subdirectory of a home is not the home,
    /// whichever home it is; shell start-up files and credentials in it still are sensitive.
    #[test]
    fn a_subdirectory_of_a_home_is_not_the_home() {
        for src in ["/root/data", "/root/app/conf", "/home/u/data", "~/data"] {
            assert_eq!(severity(src, false), None, "{src}");
        }
        for src in ["/root/.bashrc", "/home/u/.profile", "~/.zshrc"] {
            assert_eq!(severity(src, false), Some(Severity::High), "{src}");
            assert_eq!(severity(src, true), None, "{src}");
        }
        assert_eq!(severity("/root", false), Some(Severity::High));
        assert_eq!(
            severity("/root/.ssh/authorized_keys", true),
            Some(Severity::High)
        );
    }

    #[test]
    fn benign_files_only_fire_when_writable() {
        for src in [
            "/etc/localtime",
            "/etc/timezone",
            "/usr/share/zoneinfo",
            "/etc/hosts",
            "/etc/resolv.conf",
            "/etc/passwd",
            "/etc/ssl/certs",
            "/etc/pki/ca-trust/extracted",
        ] {
            assert_eq!(severity(src, true), None, "{src}");
        }
        assert_eq!(severity("/etc/localtime", false), Some(Severity::Low));
        assert_eq!(severity("/etc/resolv.conf", false), Some(Severity::Medium));
        assert_eq!(severity("/etc/passwd", false), Some(Severity::High));
        assert_eq!(severity("/etc/ssl/certs", false), Some(Severity::High));
        let f = found("/etc/localtime", false);
        assert!(
            f[0].fix.contains("`/etc/localtime:/host:ro`"),
            "{}",
            f[0].fix
        );
    }

    #[test]
    fn harmless_and_unrelated_paths_pass() {
        for src in [
            "/dev/null",
            "/dev/urandom",
            "/dev/log",
            "/run/systemd/journal/socket",
            "/srv/data",
            "/opt/app",
            "/mnt/backup",
            "/etcd",
            "/var/log",
            "/tmp",
            "/data/etc",
            "/var/run/docker.sock",
            "/run",
        ] {
            assert_eq!(severity(src, false), None, "{src}");
        }
    }

    #[test]
    fn host_control_sockets_are_high_even_read_only() {
        assert_eq!(
            severity("/run/dbus/system_bus_socket", true),
            Some(Severity::High)
        );
        assert_eq!(severity("/var/run/dbus", true), Some(Severity::High));
        assert_eq!(severity("/run/systemd/private", true), Some(Severity::High));
    }

    #[test]
    fn paths_written_relative_to_the_project_never_fire() {
        // The project lives under /etc/myapp; the loader resolved `./conf`.
        let spec = compose("web")
            .mount(
                "./conf:/etc/nginx:ro",
                bind("/etc/myapp/conf", "/etc/nginx", true),
            )
            .mount("../lib:/lib", bind("/usr/src/lib", "/lib", false))
            .build();
        assert!(check(&SensitivePath, &spec).is_empty());
    }

    #[test]
    fn messages_and_fixes_follow_the_source() {
        let spec = run("web").bind("/etc", "/host/etc", false).build();
        let f = check(&SensitivePath, &spec);
        assert!(f[0]
            .message
            .contains("host path `/etc` read-write (`--volume=/etc:/host/etc`)"));
        assert!(f[0].fix.contains("`-v /etc:/host/etc:ro`"));
        let spec = container("web").bind("/", "/rootfs", true).build();
        let f = check(&SensitivePath, &spec);
        assert!(f[0]
            .message
            .starts_with("container `web` mounts host path `/` read-only"));
    }
}
