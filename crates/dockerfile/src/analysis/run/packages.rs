//! Package-manager commands: which manager, which action (install, index update, system
//! upgrade, cache clean), its options and its package operands — for apt-get/apt/aptitude,
//! apk, yum/dnf/microdnf, zypper, pip (also `python -m pip`, `uv pip`), pipx, npm, yarn, pnpm,
//! gem, `go install|get|run` and `cargo install`.

use crate::analysis::run::commands::Cmd;
use crate::analysis::run::options::{self, Opt, Spec};
use plimsoll_shell::Word;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manager {
    AptGet,
    Apt,
    Aptitude,
    Apk,
    Yum,
    Dnf,
    Microdnf,
    Zypper,
    Pip,
    Pipx,
    Npm,
    Yarn,
    Pnpm,
    Gem,
    Go,
    Cargo,
}

impl Manager {
    /// The Debian family (`apt-get`, `apt`, `aptitude`).
    pub fn is_apt(self) -> bool {
        matches!(self, Manager::AptGet | Manager::Apt | Manager::Aptitude)
    }

    /// The RPM family that shares yum's command line (`yum`, `dnf`, `microdnf`).
    pub fn is_yum_like(self) -> bool {
        matches!(self, Manager::Yum | Manager::Dnf | Manager::Microdnf)
    }

    fn spec(self) -> Spec {
        match self {
            Manager::AptGet | Manager::Apt | Manager::Aptitude => Spec::new(
                "otca",
                &[
                    "--target-release",
                    "--default-release",
                    "--option",
                    "--config-file",
                    "--host-architecture",
                    "--solver",
                    "--planner",
                ],
            ),
            Manager::Apk => Spec::new(
                "XptQ",
                &[
                    "--repository",
                    "--root",
                    "--virtual",
                    "--arch",
                    "--cache-dir",
                    "--keys-dir",
                    "--repositories-file",
                    "--cache-max-age",
                    "--wait",
                    "--timeout",
                ],
            ),
            Manager::Yum | Manager::Dnf | Manager::Microdnf => Spec::new(
                "cdexR",
                &[
                    "--setopt",
                    "--enablerepo",
                    "--disablerepo",
                    "--repo",
                    "--repoid",
                    "--installroot",
                    "--releasever",
                    "--config",
                    "--exclude",
                    "--downloaddir",
                    "--destdir",
                    "--forcearch",
                    "--enableplugin",
                    "--disableplugin",
                    "--color",
                    "--comment",
                    "--repofrompath",
                    "--rpmverbosity",
                    "--advisory",
                    "--bz",
                    "--cve",
                    "--sec-severity",
                    "--debuglevel",
                    "--errorlevel",
                ],
            ),
            Manager::Zypper => Spec::new(
                "RcrtDC",
                &[
                    "--root",
                    "--config",
                    "--repo",
                    "--from",
                    "--type",
                    "--reposd-dir",
                    "--cache-dir",
                    "--raw-cache-dir",
                    "--solv-cache-dir",
                    "--pkg-cache-dir",
                    "--userdata",
                ],
            ),
            Manager::Pip => Spec::new(
                "rcietfCb",
                &[
                    "--requirement",
                    "--constraint",
                    "--editable",
                    "--index-url",
                    "--extra-index-url",
                    "--target",
                    "--find-links",
                    "--trusted-host",
                    "--prefix",
                    "--root",
                    "--build",
                    "--src",
                    "--upgrade-strategy",
                    "--install-option",
                    "--global-option",
                    "--config-settings",
                    "--platform",
                    "--python-version",
                    "--implementation",
                    "--abi",
                    "--progress-bar",
                    "--root-user-action",
                    "--log",
                    "--proxy",
                    "--retries",
                    "--timeout",
                    "--exists-action",
                    "--cert",
                    "--client-cert",
                    "--cache-dir",
                    "--no-binary",
                    "--only-binary",
                    "--report",
                    "--python",
                    "--keyring-provider",
                    "--use-feature",
                    "--use-deprecated",
                    "--group",
                ],
            ),
            Manager::Pipx => Spec::new(
                "",
                &[
                    "--python",
                    "--index-url",
                    "--pip-args",
                    "--suffix",
                    "--spec",
                    "--preinstall",
                ],
            ),
            Manager::Npm => Spec::new(
                "wC",
                &[
                    "--registry",
                    "--loglevel",
                    "--prefix",
                    "--cache",
                    "--userconfig",
                    "--globalconfig",
                    "--workspace",
                    "--tag",
                    "--omit",
                    "--include",
                    "--install-strategy",
                    "--location",
                    "--before",
                    "--node-options",
                    "--script-shell",
                    "--otp",
                    "--scope",
                    "--fetch-retries",
                    "--ca",
                    "--cafile",
                ],
            ),
            Manager::Yarn => Spec::new(
                "",
                &[
                    "--cache-folder",
                    "--modules-folder",
                    "--registry",
                    "--network-timeout",
                    "--mutex",
                    "--cwd",
                    "--global-folder",
                    "--link-folder",
                    "--prefix",
                    "--network-concurrency",
                ],
            ),
            Manager::Pnpm => Spec::new(
                "FC",
                &[
                    "--filter",
                    "--dir",
                    "--store-dir",
                    "--registry",
                    "--reporter",
                ],
            ),
            Manager::Gem => Spec::new(
                "vinsPgp",
                &[
                    "--version",
                    "--install-dir",
                    "--bindir",
                    "--source",
                    "--trust-policy",
                    "--file",
                    "--http-proxy",
                    "--platform",
                    "--build-root",
                    "--without",
                    "--config-file",
                ],
            ),
            Manager::Go => Spec {
                short_with_arg: "",
                long_with_arg: &[
                    "-o",
                    "-ldflags",
                    "-gcflags",
                    "-asmflags",
                    "-tags",
                    "-mod",
                    "-modfile",
                    "-p",
                    "-pkgdir",
                    "-toolexec",
                    "-exec",
                    "-overlay",
                    "-pgo",
                    "-buildmode",
                    "-compiler",
                    "-gccgoflags",
                    "-installsuffix",
                    "-C",
                    "-covermode",
                    "-coverpkg",
                ],
                single_dash_long: true,
            },
            Manager::Cargo => Spec::new(
                "FjZ",
                &[
                    "--version",
                    "--vers",
                    "--git",
                    "--branch",
                    "--tag",
                    "--rev",
                    "--path",
                    "--root",
                    "--index",
                    "--registry",
                    "--target",
                    "--features",
                    "--profile",
                    "--jobs",
                    "--bin",
                    "--example",
                    "--target-dir",
                    "--config",
                ],
            ),
        }
    }
}

/// A package-manager command.
#[derive(Debug, Clone)]
pub struct PkgCmd<'s> {
    pub manager: Manager,
    /// The tool as the user wrote it, for messages (`apt-get`, `pip3`, `python3 -m pip`).
    pub tool: String,
    /// The action, lower-cased (`install`, `add`, `update`, `group` → see `sub`). Empty for a
    /// bare `yarn`.
    pub action: String,
    pub action_word: Option<&'s Word>,
    /// dnf/yum `group|module <sub>`, yarn `global <sub>`, npm `cache <sub>`: the second word.
    pub sub: Option<String>,
    /// Options anywhere on the line.
    pub opts: Vec<Opt<'s>>,
    /// Operands after the action (and `sub`): packages, files, groups.
    pub operands: Vec<&'s Word>,
    /// The arguments after the tool name (for span and evidence).
    pub args: &'s [Word],
}

impl<'s> PkgCmd<'s> {
    /// Whether any of the options `names` is given (`-y`, `--yes`, …).
    pub fn has(&self, names: &[&str]) -> bool {
        self.opts.iter().any(|o| names.contains(&o.name.as_str()))
    }

    /// The options named `names`.
    pub fn opts_named<'a>(
        &'a self,
        names: &'a [&'a str],
    ) -> impl Iterator<Item = &'a Opt<'s>> + 'a {
        self.opts
            .iter()
            .filter(move |o| names.contains(&o.name.as_str()))
    }

    /// Only pretends (`apt-get install -s`, `pip install --dry-run`, `dnf --assumeno`).
    pub fn simulates(&self) -> bool {
        match self.manager {
            Manager::AptGet | Manager::Apt | Manager::Aptitude => self.has(&[
                "-s",
                "--simulate",
                "--just-print",
                "--dry-run",
                "--recon",
                "--no-act",
            ]),
            Manager::Yum | Manager::Dnf | Manager::Microdnf => self.has(&["--assumeno"]),
            Manager::Pip | Manager::Npm | Manager::Pnpm | Manager::Zypper => {
                self.has(&["--dry-run"])
            }
            _ => false,
        }
    }

    /// It installs packages (or, for npm/yarn/pnpm/pip, dependencies).
    pub fn installs(&self) -> bool {
        if self.simulates() {
            return false;
        }
        let a = self.action.as_str();
        match self.manager {
            Manager::AptGet | Manager::Apt | Manager::Aptitude => {
                matches!(a, "install" | "reinstall")
            }
            Manager::Apk => a == "add",
            Manager::Yum | Manager::Dnf | Manager::Microdnf => {
                matches!(
                    a,
                    "install" | "in" | "reinstall" | "rei" | "localinstall" | "groupinstall"
                ) || (matches!(a, "group" | "groups" | "module")
                    && matches!(self.sub.as_deref(), Some("install" | "in")))
            }
            Manager::Zypper => matches!(a, "install" | "in"),
            Manager::Pip | Manager::Pipx => a == "install",
            Manager::Npm => matches!(
                a,
                "install"
                    | "i"
                    | "in"
                    | "ins"
                    | "inst"
                    | "insta"
                    | "instal"
                    | "isnt"
                    | "isnta"
                    | "isntal"
                    | "isntall"
                    | "add"
                    | "ci"
                    | "clean-install"
            ),
            Manager::Yarn => {
                (a.is_empty() && !self.has(&["--version", "-v", "--help", "-h"]))
                    || matches!(a, "add" | "install")
                    || (a == "global" && self.sub.as_deref() == Some("add"))
            }
            Manager::Pnpm => matches!(a, "add" | "install" | "i"),
            Manager::Gem => matches!(a, "install" | "i"),
            Manager::Go => matches!(a, "install" | "get" | "run"),
            Manager::Cargo => a == "install",
        }
    }

    /// It refreshes the package index (`apt-get update`, `apk update`, `dnf makecache`,
    /// `zypper refresh`), or `apk add --update`.
    pub fn updates_index(&self) -> bool {
        let a = self.action.as_str();
        match self.manager {
            Manager::AptGet | Manager::Apt | Manager::Aptitude => a == "update",
            Manager::Apk => {
                a == "update" || (a == "add" && self.has(&["-U", "--update", "--update-cache"]))
            }
            Manager::Yum | Manager::Dnf | Manager::Microdnf => a == "makecache",
            Manager::Zypper => matches!(a, "refresh" | "ref"),
            _ => false,
        }
    }

    /// It upgrades every installed package (`apt-get dist-upgrade`, `yum update` without
    /// package names, `apk upgrade`, `zypper dup`).
    pub fn upgrades_system(&self) -> bool {
        let a = self.action.as_str();
        let none = self.operands.is_empty();
        match self.manager {
            Manager::AptGet | Manager::Apt => {
                matches!(a, "upgrade" | "dist-upgrade" | "full-upgrade")
            }
            Manager::Aptitude => matches!(
                a,
                "upgrade" | "safe-upgrade" | "full-upgrade" | "dist-upgrade"
            ),
            Manager::Apk => a == "upgrade" && none,
            Manager::Yum | Manager::Dnf | Manager::Microdnf => {
                matches!(
                    a,
                    "update"
                        | "upgrade"
                        | "up"
                        | "distro-sync"
                        | "dsync"
                        | "distrosync"
                        | "upgrade-minimal"
                        | "up-min"
                        | "update-minimal"
                ) && none
            }
            Manager::Zypper => {
                matches!(a, "dist-upgrade" | "dup" | "patch")
                    || (matches!(a, "update" | "up") && none)
            }
            _ => false,
        }
    }

    /// The words of the command, tool included (`apt-get install -y curl`), for evidence.
    pub fn text(&self) -> String {
        let mut s = self.tool.clone();
        for w in self.args {
            s.push(' ');
            s.push_str(&w.text);
        }
        crate::analysis::run::commands::shorten(&s, 120)
    }
}

/// Reads a command as a package-manager command.
pub fn parse<'s>(cmd: &Cmd<'s>) -> Option<PkgCmd<'s>> {
    let name = cmd.name()?;
    let argv = cmd.argv;
    let (manager, tool, args): (Manager, String, &'s [Word]) = match name {
        "apt-get" => (Manager::AptGet, name.into(), &argv[1..]),
        "apt" => (Manager::Apt, name.into(), &argv[1..]),
        "aptitude" => (Manager::Aptitude, name.into(), &argv[1..]),
        "apk" => (Manager::Apk, name.into(), &argv[1..]),
        "yum" => (Manager::Yum, name.into(), &argv[1..]),
        "dnf" | "dnf5" | "dnf-3" | "tdnf" => (Manager::Dnf, name.into(), &argv[1..]),
        "microdnf" => (Manager::Microdnf, name.into(), &argv[1..]),
        "zypper" => (Manager::Zypper, name.into(), &argv[1..]),
        "pipx" => (Manager::Pipx, name.into(), &argv[1..]),
        "npm" => (Manager::Npm, name.into(), &argv[1..]),
        "yarn" | "yarnpkg" => (Manager::Yarn, name.into(), &argv[1..]),
        "pnpm" => (Manager::Pnpm, name.into(), &argv[1..]),
        "gem" => (Manager::Gem, name.into(), &argv[1..]),
        "go" => (Manager::Go, name.into(), &argv[1..]),
        "cargo" => (Manager::Cargo, name.into(), &argv[1..]),
        "uv" if argv.get(1).is_some_and(|w| w.text == "pip") => {
            (Manager::Pip, "uv pip".into(), &argv[2..])
        }
        n if is_pip(n) => (Manager::Pip, n.into(), &argv[1..]),
        n if n.starts_with("python") || n == "py" => {
            let m = argv.iter().position(|w| w.text == "-m")?;
            let module = argv.get(m + 1)?;
            if !is_pip(&module.text) {
                return None;
            }
            (
                Manager::Pip,
                format!("{n} -m {}", module.text),
                &argv[m + 2..],
            )
        }
        _ => return None,
    };
    // gem: what follows `--` is passed to the extension build, not gem names.
    let scanned = match manager {
        Manager::Gem => args
            .iter()
            .position(|w| w.text == "--")
            .map_or(args, |k| &args[..k]),
        _ => args,
    };
    let (opts, mut operands) = options::split(options::scan(scanned, &manager.spec()));
    if manager == Manager::Gem {
        // `--use-system-libraries true`: the value of an option gem does not list.
        operands.retain(|w| !matches!(w.text.as_str(), "true" | "false"));
    }
    let mut rest = operands.into_iter();
    let action_word = rest.next();
    let action = action_word
        .map(|w| w.text.to_ascii_lowercase())
        .unwrap_or_default();
    let mut operands: Vec<&'s Word> = rest.collect();
    let mut sub = None;
    let two_level = match manager {
        Manager::Yum | Manager::Dnf | Manager::Microdnf => {
            matches!(action.as_str(), "group" | "groups" | "module")
        }
        Manager::Yarn => action == "global",
        Manager::Npm => matches!(action.as_str(), "cache" | "config" | "set"),
        Manager::Pip => matches!(action.as_str(), "cache" | "config"),
        Manager::Apk => action == "cache",
        _ => false,
    };
    if two_level && !operands.is_empty() {
        sub = Some(operands.remove(0).text.to_ascii_lowercase());
    }
    Some(PkgCmd {
        manager,
        tool,
        action,
        action_word,
        sub,
        opts,
        operands,
        args,
    })
}

/// `pip`, `pip3`, `pip3.12`.
fn is_pip(name: &str) -> bool {
    name.strip_prefix("pip")
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Names of packages an install puts on the system, with their words (`curl=7.8` → `curl`),
/// for rules that look for particular packages. Variables are substituted when known.
pub fn installed_names<'s>(
    pc: &PkgCmd<'s>,
    values: &dyn Fn(&Word) -> Option<Vec<String>>,
) -> Vec<(String, &'s Word)> {
    let mut out = Vec::new();
    if !pc.installs() {
        return out;
    }
    let system = pc.manager.is_apt()
        || pc.manager.is_yum_like()
        || matches!(pc.manager, Manager::Apk | Manager::Zypper);
    if !system {
        return out;
    }
    for w in &pc.operands {
        let texts = values(w).unwrap_or_else(|| vec![w.text.clone()]);
        for t in texts {
            let name = package_name(pc.manager, &t);
            if !name.is_empty() {
                out.push((name, *w));
            }
        }
    }
    out
}

/// The package name of an operand: without version (`=1.2`, `-1.2`), release (`/bookworm`),
/// architecture (`:amd64`) or constraint (`>=1`).
pub fn package_name(manager: Manager, operand: &str) -> String {
    let cut = operand
        .find(['=', '<', '>', '~', '/'])
        .unwrap_or(operand.len());
    let mut name = &operand[..cut];
    if manager.is_apt() {
        name = name.split(':').next().unwrap_or(name);
    }
    if manager.is_yum_like() || manager == Manager::Zypper {
        // `openssh-server-8.0p1` → `openssh-server`: drop a trailing `-<digit>…` part.
        let mut end = name.len();
        for (i, _) in name.match_indices('-') {
            if name[i + 1..].starts_with(|c: char| c.is_ascii_digit()) {
                end = i;
                break;
            }
        }
        name = &name[..end];
    }
    name.to_ascii_lowercase()
}
