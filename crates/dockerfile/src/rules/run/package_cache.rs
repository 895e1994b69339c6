//! DF037: package-manager caches left in the image layer.

use crate::analysis::run::commands::{Cmd, Flat};
use crate::analysis::run::instructions::Run;
use crate::analysis::run::package_settings::{self, Settings};
use crate::analysis::run::packages::{Manager, PkgCmd};
use crate::rules::{Context, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "DF037",
    name: "package-cache-left",
    title: "Package manager cache left in the image",
    severity: Severity::Low,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires, per RUN and package manager, in stages that end up in the final image, \
when the RUN leaves the manager's downloads or index behind:\n\n\
- `apt-get update` (`apt`, `aptitude`) without `rm -rf /var/lib/apt/lists/*` (or `apt-get \
dist-clean`) later in the same RUN — `apt-get clean` alone does not remove the lists; and \
`apt-get install` without a later `apt-get clean` once the Docker images' `docker-clean` \
hook has been removed (or `Keep-Downloaded-Packages` set), which makes apt keep every \
downloaded `.deb`;\n\
- `apk add`/`update`/`upgrade` without `--no-cache` or `--no-network` (or a later \
`rm -rf /var/cache/apk/*` / `apk cache clean`);\n\
- `yum`/`dnf`/`microdnf` install, upgrade or makecache without a later `… clean all` of the \
same tool (`microdnf clean all` does not empty dnf's cache) or \
`rm -rf /var/cache/yum` (`/var/cache/dnf`, `/var/cache/libdnf5`);\n\
- `zypper` install, update or refresh without a later `zypper clean` or \
`rm -rf /var/cache/zypp`;\n\
- `pip install` without `--no-cache-dir` (or `PIP_NO_CACHE_DIR=1` from ENV, the command \
prefix or `export`, or a later `pip cache purge` / `rm -rf ~/.cache/pip`), `uv pip install` \
without `--no-cache`;\n\
- `npm install`/`npm ci` without a later `npm cache clean --force` (or `rm -rf ~/.npm`), \
`yarn install`/`add` without a later `yarn cache clean`.\n\n\
A `RUN --mount=type=cache` or `type=tmpfs` on the cache directory means nothing is left in \
the image, so it never fires then. Cleaning in a *later* RUN does not count: the files are \
already in the earlier layer. Build stages whose files are only copied from are not checked.",
        why: "Package indexes and downloaded archives are useless at run time but ship in \
every pull of the image — often tens of megabytes, sometimes more than the application. \
Stale package lists also let a later `apt-get install` in a child image install outdated \
versions without refreshing. Smaller images pull faster, scan faster and carry less that an \
attacker or a scanner can find.",
        fix: "Clean up in the same RUN that downloads (`… && rm -rf /var/lib/apt/lists/*`, \
`apk add --no-cache`, `dnf clean all`, `pip install --no-cache-dir`, `npm cache clean \
--force`), or keep the cache out of the image with \
`RUN --mount=type=cache,target=<cache dir>`.",
        bad: "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends libpq5\n\
RUN pip install psycopg==3.2.1\n",
        good: "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends libpq5 \\\n \
&& rm -rf /var/lib/apt/lists/*\nRUN pip install --no-cache-dir psycopg==3.2.1\n",
    },
    references: References {
        cis: &["4.3"],
        hadolint: &["DL3009", "DL3019", "DL3032", "DL3036", "DL3040", "DL3042", "DL3060"],
        trivy: &["AVD-DS-0015", "AVD-DS-0019", "AVD-DS-0020", "AVD-DS-0025", "AVD-DS-0027"],
        dockle: &["DKL-DI-0004", "DKL-DI-0005"],
        ..References::NONE
    },
};

pub struct PackageCache;

/// How one package manager's cache is recognised and removed.
struct Kind {
    label: &'static str,
    /// Cache directories (removing one, or a cache mount on one, clears it).
    dirs: &'static [&'static str],
    /// Path fragments that identify the cache directory anywhere (user caches).
    fragments: &'static [&'static str],
}

const APT: Kind = Kind {
    label: "apt",
    dirs: &["/var/lib/apt/lists", "/var/lib/apt"],
    fragments: &[],
};
const APT_DEBS: Kind = Kind {
    label: "apt-archives",
    dirs: &["/var/cache/apt/archives", "/var/cache/apt"],
    fragments: &[],
};
const APK: Kind = Kind {
    label: "apk",
    dirs: &["/var/cache/apk", "/etc/apk/cache"],
    fragments: &[],
};
const RPM: Kind = Kind {
    label: "rpm",
    dirs: &["/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"],
    fragments: &[],
};
const ZYPP: Kind = Kind {
    label: "zypper",
    dirs: &["/var/cache/zypp"],
    fragments: &[],
};
const PIP: Kind = Kind {
    label: "pip",
    dirs: &["/root/.cache/pip", "/root/.cache"],
    fragments: &["/.cache/pip"],
};
const UV: Kind = Kind {
    label: "uv",
    dirs: &["/root/.cache/uv", "/root/.cache"],
    fragments: &["/.cache/uv"],
};
const NPM: Kind = Kind {
    label: "npm",
    dirs: &["/root/.npm"],
    fragments: &["/.npm"],
};
const YARN: Kind = Kind {
    label: "yarn",
    dirs: &[
        "/usr/local/share/.cache/yarn",
        "/root/.cache/yarn",
        "/root/.yarn",
    ],
    fragments: &["/.cache/yarn", "/.yarn"],
};

impl Kind {
    fn covers(&self, path: &str) -> bool {
        let p = path.trim_end_matches('*').trim_end_matches('/');
        let p = p
            .strip_prefix('~')
            .map_or(p.to_string(), |r| format!("/root{r}"));
        let p = p.replace("$HOME", "/root").replace("${HOME}", "/root");
        self.dirs
            .iter()
            .any(|d| p == *d || p.starts_with(&format!("{d}/")))
            || self.fragments.iter().any(|f| p.contains(f))
    }

    fn mounted(&self, run: &Run<'_>) -> bool {
        self.dirs.iter().any(|d| run.mount_covers(d))
            || run.mounts.iter().any(|m| {
                matches!(m.kind.to_ascii_lowercase().as_str(), "cache" | "tmpfs")
                    && m.target().is_some_and(|t| {
                        self.fragments
                            .iter()
                            .any(|f| t.trim_end_matches('/').ends_with(f))
                    })
            })
    }

    /// `rm -rf <cache dir>` (or `find <dir> -delete`) in `c`.
    fn removed_by(&self, c: &Cmd<'_>) -> bool {
        (c.is(&["rm"]) || c.is(&["find"])) && c.args().iter().any(|w| self.covers(&w.text))
    }
}

fn truthy(v: &str) -> bool {
    matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on")
}

impl Rule<Context<'_>> for PackageCache {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (run, inherited) in cx.runs_with_settings() {
            if !run.in_final_image {
                continue;
            }
            let flat = &run.flat;
            let written = &run.written;
            let parsed = run.pkgs();
            let mut reported: Vec<&'static str> = Vec::new();
            for (i, pc) in parsed.iter().enumerate() {
                let Some(pc) = pc else {
                    continue;
                };
                let Some(c) = flat.cmds.get(i) else {
                    continue;
                };
                let mut now = inherited;
                package_settings::apply(&mut now, flat, written, i);
                let Some(kind) = leaves_cache(run, flat, c, pc, &now) else {
                    continue;
                };
                if reported.contains(&kind.label) || kind.mounted(run) {
                    continue;
                }
                let later = &flat.cmds[i + 1..];
                let later_pkgs = &parsed[i + 1..];
                let cleaned = later.iter().any(|l| kind.removed_by(l))
                    || later_pkgs
                        .iter()
                        .flatten()
                        .any(|l| cleans(kind.label, l) && same_rpm_cache(pc, l));
                if cleaned {
                    continue;
                }
                reported.push(kind.label);
                let (what, fix) = describe(kind, pc);
                let word = pc.action_word.unwrap_or(&c.argv[0]);
                out.push(
                    Finding::new(&META, run.location(run.word_span(c.origin, word)), what)
                        .evidence(pc.text())
                        .key(format!("{} {}", kind.label, pc.text()))
                        .fix(fix)
                        .build(),
                );
            }
        }
    }
}

/// Whether cleaner `clean` empties the cache installer `install` filled, for the RPM tools:
/// `dnf` (and `yum`, its alias on every current distribution) keep /var/cache/dnf,
/// `microdnf` keeps its own, so `dnf install … && microdnf clean all` leaves dnf's cache.
/// Other managers have one cache per family.
fn same_rpm_cache(install: &PkgCmd<'_>, clean: &PkgCmd<'_>) -> bool {
    let micro = |pc: &PkgCmd<'_>| pc.manager == Manager::Microdnf;
    !install.manager.is_yum_like() || micro(install) == micro(clean)
}

/// Whether `pc` is the cleaning command of the manager family `label`.
fn cleans(label: &str, pc: &PkgCmd<'_>) -> bool {
    let a = pc.action.as_str();
    let sub = pc.sub.as_deref().unwrap_or("");
    match label {
        "apt" => pc.manager.is_apt() && matches!(a, "dist-clean" | "distclean"),
        "apt-archives" => pc.manager.is_apt() && matches!(a, "clean" | "dist-clean" | "distclean"),
        "apk" => pc.manager == Manager::Apk && a == "cache" && matches!(sub, "clean" | "purge"),
        "rpm" => {
            pc.manager.is_yum_like() && a == "clean" && pc.operands.iter().any(|w| w.text == "all")
        }
        "zypper" => pc.manager == Manager::Zypper && matches!(a, "clean" | "cc"),
        "pip" => pc.manager == Manager::Pip && a == "cache" && matches!(sub, "purge" | "remove"),
        "npm" => pc.manager == Manager::Npm && a == "cache" && sub == "clean",
        "yarn" => {
            pc.manager == Manager::Yarn
                && a == "cache"
                && pc.operands.first().is_some_and(|w| w.text == "clean")
        }
        _ => false,
    }
}

/// What cache `pc` leaves; `None` when it leaves none. (The message is written by
/// [`describe`] only for the caches actually reported: most are cleaned later in the RUN.)
fn leaves_cache(
    run: &Run<'_>,
    flat: &Flat<'_>,
    c: &Cmd<'_>,
    pc: &PkgCmd<'_>,
    now: &Settings,
) -> Option<&'static Kind> {
    match pc.manager {
        Manager::AptGet | Manager::Apt | Manager::Aptitude
            if now.apt_keeps_debs && pc.installs() =>
        {
            Some(&APT_DEBS)
        }
        Manager::AptGet | Manager::Apt | Manager::Aptitude if pc.updates_index() => Some(&APT),
        Manager::Apk
            if matches!(pc.action.as_str(), "add" | "update" | "upgrade")
                && !pc.has(&["--no-cache", "--no-network"]) =>
        {
            Some(&APK)
        }
        Manager::Yum | Manager::Dnf | Manager::Microdnf
            if pc.installs()
                || pc.upgrades_system()
                || matches!(pc.action.as_str(), "update" | "upgrade" | "makecache") =>
        {
            Some(&RPM)
        }
        Manager::Zypper if pc.installs() || pc.upgrades_system() || pc.updates_index() => {
            Some(&ZYPP)
        }
        Manager::Pip if pc.installs() => {
            let uv = pc.tool.starts_with("uv");
            let (flag, env) = pip_flag(uv);
            let env_off = c
                .env_value(env)
                .map(str::to_string)
                .or_else(|| flat.lookup(run, env))
                .is_some_and(|v| truthy(&v));
            if pc.has(&[flag]) || env_off {
                return None;
            }
            Some(if uv { &UV } else { &PIP })
        }
        Manager::Npm if pc.installs() => {
            if pc.has(&["--cache"]) {
                return None;
            }
            Some(&NPM)
        }
        Manager::Yarn if pc.installs() => Some(&YARN),
        _ => None,
    }
}

/// The option and environment variable that turn pip's (or uv's) cache off.
fn pip_flag(uv: bool) -> (&'static str, &'static str) {
    if uv {
        ("--no-cache", "UV_NO_CACHE")
    } else {
        ("--no-cache-dir", "PIP_NO_CACHE_DIR")
    }
}

/// The message and the fix for the cache `kind` that `pc` leaves.
fn describe(kind: &Kind, pc: &PkgCmd<'_>) -> (String, String) {
    let cmd = format!("{} {}", pc.tool, pc.action).trim().to_string();
    match kind.label {
        "apt-archives" => (
            format!("`{cmd}` keeps the downloaded .deb files in /var/cache/apt/archives (the image's `docker-clean` hook was removed or `Keep-Downloaded-Packages` set) and this RUN never runs `apt-get clean`"),
            "end the same RUN with `&& apt-get clean`, or use `RUN --mount=type=cache,target=/var/cache/apt …`".to_string(),
        ),
        "apt" => (
            format!("`{cmd}` downloads the package lists to /var/lib/apt/lists and this RUN never removes them, so they ship in the layer"),
            "end the same RUN with `&& rm -rf /var/lib/apt/lists/*`, or use `RUN --mount=type=cache,target=/var/lib/apt/lists …`".to_string(),
        ),
        "apk" => (
            format!("`{cmd}` without `--no-cache` leaves the package index in /var/cache/apk"),
            format!("use `apk {} --no-cache …` (no separate `apk update` needed)", pc.action),
        ),
        "rpm" => {
            let dir = if pc.manager == Manager::Dnf { "/var/cache/dnf" } else { "/var/cache/yum" };
            (
                format!("`{cmd}` leaves repository metadata and packages in {dir} and this RUN never runs `{} clean all`", pc.tool),
                format!("end the same RUN with `&& {} clean all` (or `rm -rf {dir}`)", pc.tool),
            )
        }
        "zypper" => (
            format!("`{cmd}` leaves repository metadata and packages in /var/cache/zypp and this RUN never runs `zypper clean`"),
            "end the same RUN with `&& zypper clean --all`".to_string(),
        ),
        "pip" | "uv" => {
            let uv = kind.label == "uv";
            let (flag, env) = pip_flag(uv);
            (
                format!("`{cmd}` without `{flag}` keeps every downloaded wheel in the user's cache directory (~/.cache/{})", if uv { "uv" } else { "pip" }),
                format!("use `{} install {flag} …` (or `ENV {env}=1`), or `RUN --mount=type=cache,target=/root/.cache/{} …`", pc.tool, if uv { "uv" } else { "pip" }),
            )
        }
        "npm" => (
            format!("`{cmd}` keeps every downloaded package in the npm cache (~/.npm) and this RUN never cleans it"),
            "end the same RUN with `&& npm cache clean --force`, or use `RUN --mount=type=cache,target=/root/.npm …`".to_string(),
        ),
        _ => (
            format!("`{cmd}` keeps every downloaded package in the yarn cache and this RUN never runs `yarn cache clean`"),
            "end the same RUN with `&& yarn cache clean`, or use `RUN --mount=type=cache,target=/usr/local/share/.cache/yarn …`".to_string(),
        ),
    }
}
