//! Settings that switch off TLS certificate checks (DF040) or package-signature checks (DF041),
//! wherever a Dockerfile can make them: command-line flags, `config set` commands, environment
//! variables (ENV, ARG, `export`, command prefixes) and configuration text written to files.

use crate::analysis::run::commands::{Cmd, Flat};
use crate::analysis::run::file_writes;
use crate::analysis::run::instructions::{Run, Runs};
use crate::analysis::run::options::{self, Spec};
use crate::ast::Command;
use plimsoll_core::Span;
use plimsoll_shell::{argv, Word};
use regex::Regex;
use std::sync::OnceLock;

/// Which verification is switched off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// TLS server certificates (a man-in-the-middle can read and change downloads).
    Tls,
    /// Package or image signatures (a compromised mirror can serve altered packages).
    Signature,
}

/// One place where verification is switched off.
#[derive(Debug, Clone)]
pub struct Hit {
    pub check: Check,
    pub span: Span,
    /// What the setting does, naming it (`` `curl -k` disables certificate checks for … ``).
    pub message: String,
    pub evidence: String,
    pub fix: String,
}

const CA_FIX: &str = "if the server uses a private CA, trust that CA instead \
(`COPY corp-ca.crt /usr/local/share/ca-certificates/` + `RUN update-ca-certificates`)";

fn falsy(v: &str) -> bool {
    matches!(
        v.trim().trim_matches('"').to_ascii_lowercase().as_str(),
        "false" | "0" | "no" | "off"
    )
}

fn truthy(v: &str) -> bool {
    matches!(
        v.trim().trim_matches('"').to_ascii_lowercase().as_str(),
        "true" | "1" | "yes" | "on"
    )
}

/// An environment variable value that switches verification off: (check, what it does, fix).
pub fn env_setting(name: &str, value: &str) -> Option<(Check, String, String)> {
    let upper = name.to_ascii_uppercase();
    let tls = |what: &str, fix: &str| Some((Check::Tls, what.to_string(), fix.to_string()));
    match upper.as_str() {
        "GIT_SSL_NO_VERIFY" => tls(
            "makes git skip TLS certificate checks for every HTTPS remote (any value turns it on, even `false`)",
            &format!("remove it; {CA_FIX}, or point `GIT_SSL_CAINFO` at the CA file"),
        ),
        "PYTHONHTTPSVERIFY" if value.trim() == "0" => tls(
            "makes Python's `urllib`/`http.client` skip TLS certificate checks",
            &format!("remove it; {CA_FIX}"),
        ),
        "NODE_TLS_REJECT_UNAUTHORIZED" if value.trim() == "0" => tls(
            "makes every Node.js TLS connection accept any certificate",
            &format!("remove it; {CA_FIX} and set `NODE_EXTRA_CA_CERTS` to the CA file"),
        ),
        "NPM_CONFIG_STRICT_SSL" | "YARN_STRICT_SSL" | "YARN_ENABLE_STRICT_SSL" if falsy(value) => tls(
            "makes npm/yarn accept any registry certificate",
            &format!("remove it; {CA_FIX}, or set `NPM_CONFIG_CAFILE`"),
        ),
        "PIP_TRUSTED_HOST" if !value.trim().is_empty() => tls(
            "makes pip skip TLS certificate checks for these hosts (and accept plain HTTP from them)",
            &format!("remove it; {CA_FIX}, or set `PIP_CERT`"),
        ),
        "CONDA_SSL_VERIFY" if falsy(value) => tls(
            "makes conda skip TLS certificate checks",
            &format!("remove it; {CA_FIX}"),
        ),
        "BUNDLE_SSL_VERIFY_MODE" if value.trim() == "0" => tls(
            "makes Bundler skip TLS certificate checks",
            &format!("remove it; {CA_FIX}"),
        ),
        "GOINSECURE" if !value.trim().is_empty() => tls(
            "lets the Go toolchain fetch these modules over plain HTTP or with unchecked certificates",
            "remove it; serve the module proxy over HTTPS with a trusted certificate",
        ),
        "GOFLAGS" if value.split_whitespace().any(|f| f == "-insecure" || f == "-insecure=true") => tls(
            "passes `-insecure` to every go command (plain HTTP and unchecked certificates)",
            "remove `-insecure` from GOFLAGS",
        ),
        "DOCKER_CONTENT_TRUST" if falsy(value) => Some((
            Check::Signature,
            "explicitly turns Docker Content Trust off, so the docker CLI pulls unsigned images".to_string(),
            "remove it, or set `DOCKER_CONTENT_TRUST=1` where the CLI pulls images".to_string(),
        )),
        "GOSUMDB" if value.trim() == "off" => Some((
            Check::Signature,
            "turns off Go's checksum database, so downloaded modules are not checked against the public log".to_string(),
            "remove it; use `GONOSUMDB`/`GOPRIVATE` for private modules only".to_string(),
        )),
        "GONOSUMCHECK" if truthy(value) => Some((
            Check::Signature,
            "turns off Go's checksum database checks".to_string(),
            "remove it; use `GONOSUMDB`/`GOPRIVATE` for private modules only".to_string(),
        )),
        _ => None,
    }
}

/// Every hit in the file: ENV/ARG instructions, then each RUN.
pub fn hits(runs: &Runs<'_>) -> Vec<Hit> {
    let mut out = env_instruction_hits(runs);
    for run in &runs.list {
        let flat = &run.flat;
        for c in &flat.cmds {
            command_hits(run, flat, c, &mut out);
        }
        written_hits(run, flat, &mut out);
    }
    out
}

/// `ENV NAME=value` / `ARG NAME=default` in a stage.
fn env_instruction_hits(runs: &Runs<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for stage in &runs.stages.list {
        runs.stages.walk(stage.index, |outer, vars| {
            let instr = match &outer.command {
                Command::Onbuild(inner) => inner.as_ref(),
                _ => outer,
            };
            let pairs: Vec<(
                &crate::ast::Located<String>,
                &crate::ast::Located<String>,
                String,
            )> = match &instr.command {
                Command::Env(kvs) => kvs
                    .iter()
                    .map(|kv| {
                        (
                            &kv.key,
                            &kv.value,
                            vars.expand(&kv.raw_value)
                                .unwrap_or_else(|_| kv.value.value.clone()),
                        )
                    })
                    .collect(),
                Command::Arg(decls) => decls
                    .iter()
                    .filter_map(|d| {
                        let v = d.default.as_ref()?;
                        let raw = d.raw_default.clone().unwrap_or_else(|| v.value.clone());
                        Some((
                            &d.name,
                            v,
                            vars.expand(&raw).unwrap_or_else(|_| v.value.clone()),
                        ))
                    })
                    .collect(),
                _ => return,
            };
            for (key, value, resolved) in pairs {
                let Some((check, what, fix)) = env_setting(&key.value, &resolved) else {
                    continue;
                };
                let span = if value.span.end >= key.span.start {
                    Span::new(key.span.start, value.span.end)
                } else {
                    key.span
                };
                out.push(Hit {
                    check,
                    span,
                    message: format!(
                        "`{} {}={}` {what}",
                        instr.keyword.as_str(),
                        key.value,
                        value.value
                    ),
                    evidence: instr.original.trim().to_string(),
                    fix,
                });
            }
        });
    }
    out
}

fn setopt_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)^(?:[\w*.-]+\.)?(sslverify|gpgcheck|localpkg_gpgcheck)\s*=\s*(\w+)$")
            .expect("constant regex")
    })
}

fn apt_option_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?i)^(Acquire::https::(?:[^=]+::)?Verify-(?:Peer|Host)|APT::Get::AllowUnauthenticated|Acquire::AllowInsecureRepositories|Acquire::AllowDowngradeToInsecureRepositories)\s*=\s*(\w+)$",
        )
        .expect("constant regex")
    })
}

const CURL: Spec = Spec::new(
    "AbcCdDeEFHKmoPQrTtuUwxXyYz",
    &[
        "--output",
        "--header",
        "--user",
        "--data",
        "--url",
        "--cacert",
        "--capath",
        "--cert",
        "--key",
        "--proxy",
        "--request",
        "--user-agent",
        "--referer",
        "--write-out",
        "--max-time",
        "--retry",
        "--connect-timeout",
        "--output-dir",
        "--config",
        "--form",
        "--upload-file",
        "--range",
        "--cookie",
        "--cookie-jar",
        "--resolve",
    ],
);
const WGET: Spec = Spec::new(
    "aAeiIlOoPQRtTUwXB",
    &[
        "--output-document",
        "--output-file",
        "--execute",
        "--directory-prefix",
        "--tries",
        "--timeout",
        "--user-agent",
        "--header",
        "--user",
        "--password",
        "--ca-certificate",
        "--ca-directory",
        "--certificate",
        "--private-key",
    ],
);

/// Flags and `config set` commands.
fn command_hits(run: &Run<'_>, flat: &Flat<'_>, c: &Cmd<'_>, out: &mut Vec<Hit>) {
    let name = c.name().unwrap_or("");
    let args = c.args();
    let mut hit = |check: Check, word: &Word, message: String, fix: String| {
        out.push(Hit {
            check,
            span: run.word_span(c.origin, word),
            message,
            evidence: c.text(),
            fix,
        });
    };
    let url = || {
        crate::analysis::run::downloads::url_of(c)
            .map(|u| format!(" for {u}"))
            .unwrap_or_default()
    };

    // Environment given to this command (`NAME=v cmd`, `env NAME=v cmd`, `export NAME=v`).
    let mut env_words: Vec<&Word> = c.env.clone();
    if matches!(name, "export" | "declare" | "typeset") {
        env_words.extend(args.iter().filter(|w| w.assignment().is_some()));
    }
    for w in env_words {
        let Some((n, v)) = w.assignment() else {
            continue;
        };
        let value = if w.is_literal() {
            v.to_string()
        } else {
            let text = w.resolve(&|x| flat.lookup(run, x)).unwrap_or_default();
            text.split_once('=')
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        };
        if let Some((check, what, fix)) = env_setting(n, &value) {
            hit(check, w, format!("`{}` {what}", w.text), fix);
        }
    }

    match name {
        "curl" => {
            let (o, _) = options::split(options::scan(args, &CURL));
            if let Some(opt) = o.iter().find(|o| {
                matches!(
                    o.name.as_str(),
                    "-k" | "--insecure" | "--proxy-insecure" | "--doh-insecure"
                )
            }) {
                hit(
                    Check::Tls,
                    opt.word,
                    format!("`curl {}` disables certificate checks{}", opt.name, url()),
                    format!(
                        "drop `{}`; {CA_FIX}, or pass the CA with `--cacert`",
                        opt.name
                    ),
                );
            }
        }
        "wget" => {
            let (o, _) = options::split(options::scan(args, &WGET));
            for opt in &o {
                let off = opt.name == "--no-check-certificate"
                    || (matches!(opt.name.as_str(), "-e" | "--execute")
                        && opt.value.as_deref().is_some_and(|v| {
                            let v = v.replace(' ', "").to_ascii_lowercase();
                            v.starts_with("check_certificate=")
                                && falsy(v.trim_start_matches("check_certificate="))
                        }));
                if off {
                    hit(
                        Check::Tls,
                        opt.word,
                        format!(
                            "`wget {}` disables certificate checks{}",
                            opt.word.text,
                            url()
                        ),
                        format!("drop it; {CA_FIX}, or pass the CA with `--ca-certificate`"),
                    );
                    break;
                }
            }
        }
        "fetch" => {
            if let Some(w) = args
                .iter()
                .find(|w| matches!(w.text.as_str(), "--no-verify-peer" | "--no-verify-hostname"))
            {
                hit(
                    Check::Tls,
                    w,
                    format!("`fetch {}` disables certificate checks{}", w.text, url()),
                    format!("drop it; {CA_FIX}"),
                );
            }
        }
        "git" => git_hits(args, &mut hit),
        "apk" => {
            if let Some(w) = args.iter().find(|w| w.text == "--no-check-certificate") {
                hit(
                    Check::Tls,
                    w,
                    "`apk --no-check-certificate` disables certificate checks for the repositories"
                        .into(),
                    format!("drop it; {CA_FIX}"),
                );
            }
            if let Some(w) = args.iter().find(|w| w.text == "--allow-untrusted") {
                if !apk_local_only(args) {
                    hit(
                        Check::Signature,
                        w,
                        "`apk --allow-untrusted` installs packages whose signatures are missing or not from a trusted key".into(),
                        "drop `--allow-untrusted`; add the repository's public key to /etc/apk/keys instead".into(),
                    );
                }
            }
        }
        "apt-get" | "apt" | "aptitude" => {
            for w in args {
                let t = w.text.as_str();
                let (check, what) = match t {
                    "--allow-unauthenticated" | "--allow-untrusted" => (
                        Check::Signature,
                        "installs packages whose signatures cannot be checked",
                    ),
                    "--allow-insecure-repositories" => (
                        Check::Signature,
                        "accepts repositories that are unsigned or signed with an untrusted key",
                    ),
                    "--force-yes" => (
                        Check::Signature,
                        "(deprecated) also answers yes to installing unauthenticated packages",
                    ),
                    _ => continue,
                };
                hit(check, w, format!("`{name} {t}` {what}"), "drop it; install the repository's signing key (`/etc/apt/keyrings/…` + `signed-by=`) instead".into());
            }
            let mut k = 0;
            while k < args.len() {
                let t = args[k].text.as_str();
                let (value, word) = if t == "-o" || t == "--option" {
                    (args.get(k + 1).map(|w| w.text.as_str()), args.get(k + 1))
                } else if let Some(v) = t
                    .strip_prefix("-o")
                    .filter(|v| !v.is_empty())
                    .or_else(|| t.strip_prefix("--option="))
                {
                    (Some(v), Some(&args[k]))
                } else {
                    (None, None)
                };
                if let (Some(v), Some(word)) = (value, word) {
                    if let Some(cap) = apt_option_re().captures(v) {
                        let key = cap.get(1).map_or("", |m| m.as_str()).to_ascii_lowercase();
                        let val = cap.get(2).map_or("", |m| m.as_str());
                        if key.contains("verify-") && falsy(val) {
                            hit(Check::Tls, word, format!("`{name} -o {v}` disables certificate checks for the apt repositories"), format!("drop it; {CA_FIX}"));
                        } else if !key.contains("verify-") && truthy(val) {
                            hit(Check::Signature, word, format!("`{name} -o {v}` lets apt use unsigned or untrusted repositories"), "drop it; install the repository's signing key instead".into());
                        }
                    }
                }
                k += 1;
            }
        }
        "yum" | "dnf" | "dnf5" | "microdnf" | "tdnf" | "zypper" | "yum-config-manager" => {
            for w in args {
                if matches!(
                    w.text.as_str(),
                    "--nogpgcheck" | "--no-gpgchecks" | "--no-gpg-checks"
                ) {
                    hit(Check::Signature, w, format!("`{name} {}` installs packages without checking their GPG signatures", w.text), "drop it; import the repository key (`rpm --import <key>`) and keep `gpgcheck=1`".into());
                }
            }
            if name == "zypper" {
                let repo_cmd = args
                    .iter()
                    .any(|w| matches!(w.text.as_str(), "ar" | "addrepo" | "mr" | "modifyrepo"));
                if repo_cmd {
                    if let Some(w) = args
                        .iter()
                        .find(|w| matches!(w.text.as_str(), "-G" | "--no-gpgcheck"))
                    {
                        hit(Check::Signature, w, format!("`zypper {}` adds a repository whose packages are installed without signature checks", w.text), "drop it; import the repository key with `rpm --import` instead".into());
                    }
                }
            }
        }
        "rpm" => {
            let installing = args.iter().any(|w| {
                let t = w.text.as_str();
                matches!(t, "--install" | "--upgrade" | "--freshen" | "--reinstall")
                    || (t.starts_with('-') && !t.starts_with("--") && t.contains(['i', 'U', 'F']))
            });
            if installing {
                if let Some(w) = args.iter().find(|w| {
                    matches!(
                        w.text.as_str(),
                        "--nosignature" | "--nodigest" | "--nofiledigest"
                    )
                }) {
                    hit(Check::Signature, w, format!("`rpm {}` installs packages without checking their signatures or digests", w.text), "drop it; import the signing key with `rpm --import` first".into());
                }
            }
        }
        "docker" | "podman" => {
            if let Some(w) = args.iter().find(|w| {
                w.text == "--disable-content-trust" || w.text == "--disable-content-trust=true"
            }) {
                hit(
                    Check::Signature,
                    w,
                    format!(
                        "`{name} {}` pulls the image without checking its signature",
                        w.text
                    ),
                    "drop it and keep content trust enabled".into(),
                );
            }
        }
        "snap" => {
            if let Some(w) = args.iter().find(|w| w.text == "--dangerous") {
                hit(
                    Check::Signature,
                    w,
                    "`snap install --dangerous` installs an unsigned snap".into(),
                    "install the snap from the store (signed) instead".into(),
                );
            }
        }
        _ => {}
    }

    // Options any tool may take.
    for w in args {
        let t = w.text.as_str();
        let lower = t.to_ascii_lowercase();
        let setopt_value = lower.strip_prefix("--setopt=");
        if let Some(v) = setopt_value {
            if let Some(cap) = setopt_re().captures(v) {
                let key = cap.get(1).map_or("", |m| m.as_str());
                if falsy(cap.get(2).map_or("", |m| m.as_str())) {
                    if key == "sslverify" {
                        hit(
                            Check::Tls,
                            w,
                            format!(
                                "`{name} {t}` disables certificate checks for the repositories"
                            ),
                            format!("drop it; {CA_FIX}"),
                        );
                    } else {
                        hit(Check::Signature, w, format!("`{name} {t}` installs packages without checking their GPG signatures"), "drop it; import the repository key (`rpm --import <key>`) and keep `gpgcheck=1`".into());
                    }
                }
            }
            continue;
        }
        let generic_tls = lower == "--insecure-skip-tls-verify"
            || lower == "--insecure-skip-tls-verify=true"
            || lower == "--no-verify-ssl"
            || (lower.ends_with("tls-verify=false") && lower.starts_with("--"))
            || lower.starts_with("-dmaven.wagon.http.ssl.insecure=true")
            || lower.starts_with("-dmaven.wagon.http.ssl.allowall=true");
        if generic_tls && !matches!(name, "curl" | "wget") {
            hit(
                Check::Tls,
                w,
                format!("`{name} {t}` disables certificate checks"),
                format!("drop it; {CA_FIX}"),
            );
        }
    }

    // `<tool> config set <key> <value>` and friends.
    if let Some((key, value, word)) = config_set(name, args) {
        let k = key.to_ascii_lowercase();
        let tls_off = match (name, k.as_str()) {
            ("npm" | "pnpm" | "yarn", "strict-ssl") => falsy(&value),
            ("yarn", "enablestrictssl") => falsy(&value),
            ("pip" | "pip3", _) if k.ends_with("trusted-host") => !value.is_empty(),
            ("conda" | "mamba" | "micromamba", "ssl_verify") => falsy(&value),
            ("bundle", "ssl_verify_mode") => value == "0",
            ("composer", "disable-tls") => truthy(&value),
            ("composer", "secure-http") => falsy(&value),
            _ => false,
        };
        if tls_off {
            hit(
                Check::Tls,
                word,
                format!("`{name} config` sets `{key} {value}`, which disables certificate checks"),
                format!("remove it; {CA_FIX}"),
            );
        }
    }
    // `pip install --trusted-host host` (also `python -m pip`, `uv pip`).
    if let Some(pc) = run.pkg(c) {
        if pc.manager == crate::analysis::run::packages::Manager::Pip {
            if let Some(o) = pc.opts_named(&["--trusted-host"]).next() {
                let host = o.value.clone().unwrap_or_default();
                hit(
                    Check::Tls,
                    o.word,
                    format!("`{} --trusted-host {host}` makes pip skip certificate checks for {host} (and accept plain HTTP from it)", pc.tool),
                    format!("drop `--trusted-host`; {CA_FIX}, or pass the CA with `--cert`"),
                );
            }
        }
    }
    // npm flags on any npm command.
    if matches!(name, "npm" | "pnpm" | "yarn") {
        if let Some(w) = args.iter().find(|w| {
            let t = w.text.to_ascii_lowercase();
            t == "--no-strict-ssl" || t == "--strict-ssl=false"
        }) {
            hit(
                Check::Tls,
                w,
                format!("`{name} {}` accepts any registry certificate", w.text),
                format!("drop it; {CA_FIX}, or pass the CA with `--cafile`"),
            );
        }
    }
}

/// `git -c http.sslVerify=false …`, `git config [--global] http.sslVerify false`.
fn git_hits(args: &[Word], hit: &mut dyn FnMut(Check, &Word, String, String)) {
    let key_off = |key: &str, value: &str| {
        let k = key.to_ascii_lowercase();
        k.starts_with("http.") && k.ends_with(".sslverify") && falsy(value)
    };
    let fix = format!("remove it; {CA_FIX}, or set `http.sslCAInfo`");
    let mut k = 0;
    while k < args.len() {
        let t = args[k].text.as_str();
        if t == "-c" || t == "--config" {
            if let Some(w) = args.get(k + 1) {
                if let Some((key, value)) = w.text.split_once('=') {
                    if key_off(key, value) {
                        hit(
                            Check::Tls,
                            w,
                            format!(
                                "`git -c {}` makes git accept any server certificate",
                                w.text
                            ),
                            fix.clone(),
                        );
                    }
                }
            }
            k += 2;
            continue;
        }
        k += 1;
    }
    let operands: Vec<&Word> = args.iter().filter(|w| !w.text.starts_with('-')).collect();
    if operands.first().is_some_and(|w| w.text == "config") {
        let rest: Vec<&Word> = operands[1..]
            .iter()
            .copied()
            .filter(|w| w.text != "set")
            .collect();
        if let (Some(key), Some(value)) = (rest.first(), rest.get(1)) {
            if key_off(&key.text, &value.text) {
                hit(
                    Check::Tls,
                    key,
                    format!(
                        "`git config {} {}` makes git accept any server certificate",
                        key.text, value.text
                    ),
                    fix,
                );
            }
        }
    }
}

/// `npm config set k v`, `npm set k=v`, `yarn config set k v`, `pip config set k v`,
/// `conda config --set k v`, `bundle config [set] k v`, `composer config [-g] k v`.
fn config_set<'w>(name: &str, args: &'w [Word]) -> Option<(String, String, &'w Word)> {
    let tool_ok = matches!(
        name,
        "npm"
            | "pnpm"
            | "yarn"
            | "pip"
            | "pip3"
            | "conda"
            | "mamba"
            | "micromamba"
            | "bundle"
            | "composer"
    );
    if !tool_ok {
        return None;
    }
    let mut words = args.iter().peekable();
    let first = words.next()?;
    let is_set_cmd = match first.text.as_str() {
        "config" | "c" => true,
        "set" => name == "npm" || name == "pnpm",
        _ => false,
    };
    if !is_set_cmd {
        return None;
    }
    let mut rest: Vec<&'w Word> = Vec::new();
    for w in words {
        let t = w.text.as_str();
        if t == "set"
            || t == "--set"
            || t == "--global"
            || t == "-g"
            || t == "--location=global"
            || t == "--user"
            || t == "--site"
        {
            continue;
        }
        if t.starts_with('-') {
            continue;
        }
        rest.push(w);
    }
    let key_word = *rest.first()?;
    if let Some((k, v)) = key_word.text.split_once('=') {
        return Some((k.to_string(), v.to_string(), key_word));
    }
    let value = rest.get(1).map(|w| w.text.clone()).unwrap_or_default();
    Some((key_word.text.clone(), value, key_word))
}

/// `apk add --allow-untrusted /tmp/pkgs/*.apk` with only local package files and no remote
/// repository: installing packages built earlier in the same build.
fn apk_local_only(args: &[Word]) -> bool {
    let ops: Vec<&Word> = args.iter().filter(|w| !w.text.starts_with('-')).collect();
    if ops
        .first()
        .is_some_and(|w| matches!(w.text.as_str(), "index" | "verify"))
    {
        return true;
    }
    let remote = args
        .windows(2)
        .any(|p| matches!(p[0].text.as_str(), "-X" | "--repository") && p[1].text.contains("://"))
        || args
            .iter()
            .any(|w| w.text.starts_with("--repository=") && w.text.contains("://"));
    let pkgs: Vec<&&Word> = ops.iter().skip(1).collect();
    !remote
        && !pkgs.is_empty()
        && pkgs.iter().all(|w| {
            (w.text.starts_with('/') || w.text.starts_with("./")) && w.text.ends_with(".apk")
        })
}

struct ConfigPattern {
    check: Check,
    re: Regex,
    /// Only when written to a path containing one of these (empty: any file).
    targets: &'static [&'static str],
    what: &'static str,
    fix: &'static str,
    /// Not when the source it applies to is a local directory (`deb [trusted=yes] file:/tmp/x ./`:
    /// packages built earlier in the same build).
    local_ok: bool,
}

fn config_patterns() -> &'static [ConfigPattern] {
    static P: OnceLock<Vec<ConfigPattern>> = OnceLock::new();
    P.get_or_init(|| {
        let p = |check, re: &str, targets, what, fix| ConfigPattern {
            check,
            re: Regex::new(re).expect("constant regex"),
            targets,
            what,
            fix,
            local_ok: false,
        };
        vec![
            p(Check::Signature, r"(?im)^\s*(localpkg_)?gpgcheck\s*=\s*(0|false|no|off)\b", &[], "makes yum/dnf/zypper install that repository's packages without checking their GPG signatures", "keep `gpgcheck=1` and add `gpgkey=` with the repository's key"),
            p(Check::Tls, r"(?im)^\s*sslverify\s*=\s*(0|false|no|off)\b", &[], "disables TLS certificate checks", "remove it; add the server's CA to the image's trust store instead"),
            ConfigPattern {
                local_ok: true,
                ..p(Check::Signature, r"(?i)\[[^\]\n]*\b(trusted|allow-insecure|allow-weak)\s*=\s*yes\b[^\]\n]*\]", &[], "makes apt install packages from that source without checking signatures", "remove the option; download the repository key to /etc/apt/keyrings and reference it with `signed-by=`")
            },
            p(Check::Signature, r#"(?i)(APT::Get::AllowUnauthenticated|Acquire::AllowInsecureRepositories|Acquire::AllowDowngradeToInsecureRepositories)\s*"?\s*(true|1|yes)\b"?"#, &[], "lets apt install unsigned or untrusted packages", "remove it; install the repository's signing key instead"),
            p(Check::Tls, r#"(?i)Acquire::https::(\S+::)?Verify-(Peer|Host)\s*"?\s*(false|0|no)\b"?"#, &[], "disables certificate checks for apt's HTTPS repositories", "remove it; add the repository's CA to the image's trust store instead"),
            p(Check::Tls, r"(?im)^\s*check_certificate\s*=\s*(off|0|false|no)\b", &["wgetrc"], "makes wget skip certificate checks", "remove it; add the server's CA to the image's trust store instead"),
            p(Check::Tls, r"(?im)^\s*(insecure|-k|--insecure)\s*$", &["curlrc"], "makes every curl call skip certificate checks", "remove it; add the server's CA to the image's trust store instead"),
            p(Check::Tls, r#"(?im)^\s*strict-ssl\s*[=\s]\s*"?false\b"#, &["npmrc", "yarnrc"], "makes npm/yarn accept any registry certificate", "remove it; set `cafile=` to the registry's CA instead"),
            p(Check::Tls, r"(?im)^\s*trusted-host\s*=", &["pip.conf", "pip.ini"], "makes pip skip certificate checks for those hosts", "remove it; set `cert =` to the index's CA bundle instead"),
            p(Check::Tls, r"(?im)^\s*ssl_verify\s*:\s*(false|no|0)\b", &["condarc"], "makes conda skip certificate checks", "remove it; point `ssl_verify` at the CA bundle instead"),
            p(Check::Tls, r"(?i)[?&]ssl_verify=no\b", &[], "disables certificate checks for that zypper repository", "remove `ssl_verify=no`; add the server's CA to the image's trust store instead"),
            p(Check::Signature, r"(?im)^\s*SigLevel\s*=.*\b(Never|TrustAll)\b", &["pacman"], "makes pacman install packages without trusted signatures", "restore `SigLevel = Required DatabaseOptional`"),
        ]
    })
}

/// Verification switched off by text written to files.
fn written_hits(run: &Run<'_>, flat: &Flat<'_>, out: &mut Vec<Hit>) {
    for w in &run.written {
        for p in config_patterns() {
            if !p.targets.is_empty() && !file_writes::target_matches(w.target.as_deref(), p.targets)
            {
                continue;
            }
            let Some((span, matched)) = w.find(run, &p.re) else {
                continue;
            };
            if p.local_ok {
                let after = w.text.split(matched.as_str()).nth(1).unwrap_or("");
                let uri = after
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .trim_matches(['"', '\'']);
                if uri.starts_with("file:") || uri.starts_with('/') || uri.starts_with("copy:") {
                    continue;
                }
            }
            let into = match &w.target {
                Some(t) => format!(" into {t}"),
                None => String::new(),
            };
            let writer = flat
                .cmds
                .get(w.cmd)
                .and_then(|c| c.name())
                .map(argv::basename)
                .unwrap_or("the RUN");
            out.push(Hit {
                check: p.check,
                span,
                message: format!(
                    "`{writer}` writes `{}`{into}, which {}",
                    matched.trim(),
                    p.what
                ),
                evidence: crate::analysis::run::commands::shorten(w.text.trim(), 160),
                fix: p.fix.to_string(),
            });
        }
    }
}
