//! DF008: a credential file copied into the image.

use super::patterns::SECRET_FILE_ENVS;
use crate::analysis::paths;
use crate::analysis::paths::normalize_path;
use crate::analysis::stages::Stages;
use crate::analysis::variables;
use crate::ast::{Command, CopySpec, Instruction, Keyword};
use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF008",
    name: "credential-file-copied",
    title: "Credential file copied into the image",
    severity: Severity::High,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when `COPY` or `ADD` (also `COPY --from` and inside `ONBUILD`) copies a \
file or directory that holds credentials, judged by its name after resolving variables:\n\n\
- dotenv files `.env`, `.env.<name>` (not `.env.example`, `.sample`, `.template`, `.dist`);\n\
- SSH keys `id_rsa`, `id_dsa`, `id_ecdsa`, `id_ed25519` (not `.pub`) and `.ssh/`;\n- tool \
credentials `.npmrc`, `.pypirc`, `.netrc`, `.git-credentials`, `.pgpass`, `.vault-token`, \
`.boto`, `.s3cfg`, `.docker/config.json`, `.dockercfg`, `kubeconfig`, `.kube/`, `.aws/`, \
`.azure/`, `.gnupg/`, `gcloud/`;\n- `credentials.json`, `client_secret*.json`, \
`*service-account*.json` / `*service_account*.json`;\n- key material `*.key`, `*.pem`, \
`*.p12`, `*.pfx`, `*.jks`, `*.keystore`, `*.ppk`, `*.kdbx` — except files that are plainly \
public certificates or package-signing keys (names with `cert`, `crt`, `ca`, `chain`, \
`bundle`, `public`, `pub`, `gpg`, `pgp`, `asc`, `signing`, `archive`, `keyring`, or copied \
into the system CA or APT/RPM key directories).\n\nIt also fires when \
`GOOGLE_APPLICATION_CREDENTIALS`, `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`, \
`HF_TOKEN_PATH`, `KUBECONFIG` or `DOCKER_CONFIG` is set by `ENV` to a path that a `COPY` in \
the same stage put into the image, or when such a variable is the `COPY` source.\n\nCopies in \
stages that do not end up in the final image are reported at medium severity (the file still \
lands in the build cache and any exported cache). `RUN --mount=type=secret` and \
`--mount=type=ssh` are the fix and never fire. plimsoll cannot see the build context: \
`COPY . .` is not judged — keep credentials out of it with `.dockerignore`.",
        why: "Every file copied into a layer stays in the image forever — deleting it in a \
later `RUN` only hides it, and `docker save` or any registry pull recovers it. Private SSH \
keys, `.npmrc` auth tokens and cloud credential files in published images are harvested \
automatically by attackers scanning public registries; one leaked deploy key or service \
account is enough to reach source code or the cloud account behind it.",
        fix: "Do not copy credentials into the image. For build-time use, mount them for one \
`RUN` only: `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci` with \
`docker build --secret id=npmrc,src=$HOME/.npmrc .`, or `RUN --mount=type=ssh git clone …` \
with `docker build --ssh default .`. For run-time use, mount the file when the container \
starts (orchestrator secret or volume). List the files in `.dockerignore` so `COPY . .` cannot \
pick them up, and rotate anything already pushed.",
        bad: "FROM node:20-slim\nWORKDIR /app\nCOPY .npmrc package.json package-lock.json ./\n\
RUN npm ci\n",
        good: "# syntax=docker/dockerfile:1\nFROM node:20-slim\nWORKDIR /app\n\
COPY package.json package-lock.json ./\n\
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n",
    },
    references: References {
        cis: &["4.10"],
        trivy: &["AVD-DS-0031"],
        dockle: &["CIS-DI-0010"],
        cwe: &["CWE-538", "CWE-312"],
        ..References::NONE
    },
};

pub struct CredentialFile;

impl Rule<Context<'_>> for CredentialFile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        for stage in &stages.list {
            let shipped = stages.in_final_image(stage.index);
            // Where the copy lands: "into the image", "into the image (stage `x`, line 3)",
            // or a build stage that is not shipped.
            let where_ = if stages.list.len() <= 1 {
                "into the image".to_string()
            } else if shipped {
                format!("into the image ({})", stage.label())
            } else {
                format!(
                    "into build {}, which is not shipped but stays in the build cache and any \
                     exported cache",
                    stage.label()
                )
            };
            let mut workdir = inherited_workdir(stages, stage.index);
            let mut dests: Vec<String> = Vec::new();
            let mut env_files: Vec<(&Instruction, String, String, plimsoll_core::Span)> =
                Vec::new();
            stages.walk(stage.index, |instr, vars| {
                let (inner, onbuild) = match &instr.command {
                    Command::Onbuild(inner) => (inner.as_ref(), true),
                    _ => (instr, false),
                };
                match &inner.command {
                    Command::Workdir(w) if !onbuild => {
                        if let Ok(v) = vars.expand(&w.value) {
                            workdir = join(&workdir, &v);
                        }
                    }
                    Command::Env(pairs) if !onbuild => {
                        for kv in pairs {
                            let name = kv.key.value.to_ascii_uppercase();
                            if SECRET_FILE_ENVS.contains(&name.as_str()) {
                                if let Ok(v) = vars.expand(&kv.raw_value) {
                                    if !v.trim().is_empty() {
                                        env_files.push((
                                            instr,
                                            kv.key.value.clone(),
                                            join(&workdir, v.trim()),
                                            kv.value.span,
                                        ));
                                    }
                                }
                            }
                        }
                    }
                    Command::Copy(spec) | Command::Add(spec) => {
                        let from = inner.flag("from").and_then(|f| f.value.clone());
                        if !onbuild {
                            if let Ok(d) = vars.expand(&spec.dest.value) {
                                dests.push(dest_path(&workdir, &d, spec.sources.len()));
                            }
                        }
                        for src in &spec.sources {
                            let written = src.value.as_str();
                            if written.starts_with("<<") || written.contains("://") {
                                continue;
                            }
                            if let Some(var) = SECRET_FILE_ENVS.iter().find(|v| {
                                variables::is_only_var_refs(written) && written.contains(*v)
                            }) {
                                out.push(finding(
                                    cx,
                                    inner,
                                    src.span,
                                    format!(
                                        "{} at line {} copies the file named by `{var}` (a \
                                         credentials file) {where_}",
                                        keyword(inner, onbuild),
                                        instr.line()
                                    ),
                                    format!(
                                        "do not ship the file behind {var}: mount it at run time \
                                         (orchestrator secret or volume) and point {var} at the \
                                         mount, or use workload identity instead of a key file"
                                    ),
                                    shipped,
                                    format!("{}:{written}", stage.key()),
                                ));
                                continue;
                            }
                            let Ok(path) = vars.expand(written) else {
                                continue;
                            };
                            let Some(kind) = classify(&path, spec) else {
                                continue;
                            };
                            let origin = match &from {
                                Some(f) => format!(" from `{f}`"),
                                None => String::new(),
                            };
                            let shown = if path == written {
                                format!("`{written}`")
                            } else {
                                format!("`{written}` (= `{path}`)")
                            };
                            out.push(finding(
                                cx,
                                inner,
                                src.span,
                                format!(
                                    "{} at line {} copies {shown}{origin}, {}, {where_}",
                                    keyword(inner, onbuild),
                                    instr.line(),
                                    kind.describe()
                                ),
                                match &from {
                                    Some(f) => format!(
                                        "remove this COPY --from={f}: the image does not need \
                                         `{path}`; in stage `{f}`, use a secret mount \
                                         (`RUN --mount=type=secret,…`) instead of writing the \
                                         credential to disk"
                                    ),
                                    None => fix_for(kind, &path, &keyword(inner, onbuild)),
                                },
                                shipped,
                                format!("{}:{path}", stage.key()),
                            ));
                        }
                    }
                    _ => {}
                }
            });
            for (instr, name, path, span) in env_files {
                let covered = dests.iter().any(|d| {
                    let d = d.trim_end_matches('/');
                    path == d || path.starts_with(&format!("{d}/")) || d.is_empty()
                });
                if !covered {
                    continue;
                }
                out.push(finding(
                    cx,
                    instr,
                    span,
                    format!(
                        "ENV `{name}` (line {}) points at `{path}`, a credentials file that a COPY \
                         in this stage copies {where_}",
                        instr.line()
                    ),
                    format!(
                        "do not ship the file behind {name}: mount it at run time (orchestrator \
                         secret or volume) and set {name} to the mount path, or use workload \
                         identity instead of a key file"
                    ),
                    shipped,
                    format!("{}:env:{name}", stage.key()),
                ));
            }
        }
    }
}

fn keyword(instr: &Instruction, onbuild: bool) -> String {
    let kw = if instr.keyword == Keyword::Add {
        "ADD"
    } else {
        "COPY"
    };
    if onbuild {
        format!("ONBUILD {kw}")
    } else {
        kw.to_string()
    }
}

fn finding(
    cx: &Context<'_>,
    instr: &Instruction,
    span: plimsoll_core::Span,
    message: String,
    fix: String,
    shipped: bool,
    key: String,
) -> Finding {
    let mut f = Finding::new(&META, Location::with_span(&cx.file.path, span), message)
        .evidence(instr.original.trim())
        .fix(fix)
        .key(key)
        .build();
    if !shipped {
        f.severity = Severity::Medium;
    }
    f
}

/// The WORKDIR a stage starts with (its parent's last WORKDIR; `/` for an external base,
/// whose WORKDIR plimsoll cannot know — relative paths there are approximate).
fn inherited_workdir(stages: &Stages<'_>, index: usize) -> String {
    let mut chain = stages.lineage(index);
    chain.reverse();
    let mut wd = "/".to_string();
    for idx in chain.iter().take(chain.len().saturating_sub(1)) {
        stages.walk(*idx, |instr, vars| {
            if let Command::Workdir(w) = &instr.command {
                if let Ok(v) = vars.expand(&w.value) {
                    wd = join(&wd, &v);
                }
            }
        });
    }
    wd
}

fn join(base: &str, path: &str) -> String {
    if paths::is_absolute_path(path) {
        normalize_path(path)
    } else {
        normalize_path(&format!("{base}/{path}"))
    }
}

/// A COPY destination as an absolute path; a directory destination keeps a trailing `/`.
fn dest_path(workdir: &str, dest: &str, sources: usize) -> String {
    let dir = dest.ends_with('/') || dest == "." || sources > 1;
    let p = join(workdir, dest);
    if dir && !p.ends_with('/') {
        format!("{p}/")
    } else {
        p
    }
}

/// What a credential file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CredKind {
    Dotenv,
    SshKey,
    SshDir,
    Npmrc,
    Pypirc,
    Netrc,
    GitCredentials,
    Pgpass,
    VaultToken,
    Registry,
    Kube,
    Cloud,
    Gnupg,
    Pem,
    PrivateKey,
    KeyStore,
    Kdbx,
}

impl CredKind {
    fn describe(self) -> &'static str {
        match self {
            CredKind::Dotenv => "a dotenv file (application secrets)",
            CredKind::SshKey => "an SSH private key",
            CredKind::SshDir => "an SSH directory (private keys, known hosts)",
            CredKind::Npmrc => "npm configuration that usually holds a registry auth token",
            CredKind::Pypirc => "PyPI upload credentials",
            CredKind::Netrc => "a .netrc file with machine login passwords",
            CredKind::GitCredentials => "stored git credentials",
            CredKind::Pgpass => "PostgreSQL passwords",
            CredKind::VaultToken => "a HashiCorp Vault token",
            CredKind::Registry => "container registry credentials",
            CredKind::Kube => "Kubernetes cluster credentials",
            CredKind::Cloud => "cloud credentials",
            CredKind::Gnupg => "a GnuPG private keyring",
            CredKind::Pem => "a PEM file that is not plainly a certificate (private keys use PEM)",
            CredKind::PrivateKey => "a private key file",
            CredKind::KeyStore => "a key store (private keys and certificates)",
            CredKind::Kdbx => "a password database",
        }
    }
}

/// The concrete alternative for this kind of file (`kw`: the instruction to remove).
fn fix_for(kind: CredKind, path: &str, kw: &str) -> String {
    let base = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path);
    match kind {
        CredKind::Dotenv => format!(
            "remove this {kw}, add `{base}` to .dockerignore, and pass the settings at run time \
             (--env-file or orchestrator secrets)"
        ),
        CredKind::SshKey | CredKind::SshDir => format!(
            "remove this {kw}; for `git clone` over SSH use `RUN --mount=type=ssh git clone …` \
             with `docker build --ssh default .`"
        ),
        CredKind::Npmrc => format!(
            "remove this {kw} and mount the file for the install only: \
             `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci` with \
             `docker build --secret id=npmrc,src=.npmrc .`"
        ),
        CredKind::Pypirc | CredKind::Netrc | CredKind::GitCredentials | CredKind::Pgpass => {
            let target = format!("/root/{base}");
            format!(
                "remove this {kw} and mount the file only for the RUN that needs it: \
                 `RUN --mount=type=secret,id={id},target={target} …` with \
                 `docker build --secret id={id},src={base} .`",
                id = base.trim_start_matches('.')
            )
        }
        _ => format!(
            "remove this {kw} and add `{base}` to .dockerignore; mount it only where needed — \
             at build time `RUN --mount=type=secret,id={id},target=<path> …`, at run time an \
             orchestrator secret or volume — and rotate it if the image was pushed",
            id = base
                .trim_start_matches('.')
                .split('.')
                .next()
                .unwrap_or("secret")
        ),
    }
}

/// Classifies a copied source path (expanded) as a credential file.
fn classify(path: &str, spec: &CopySpec) -> Option<CredKind> {
    let trimmed = path.trim().trim_end_matches('/');
    let components: Vec<String> = trimmed
        .split(['/', '\\'])
        .filter(|c| !c.is_empty() && *c != ".")
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let base = components.last()?.as_str();
    let dest = spec.dest.value.to_ascii_lowercase();

    let ssh_key = [
        "id_rsa",
        "id_dsa",
        "id_ecdsa",
        "id_ed25519",
        "id_ecdsa_sk",
        "id_ed25519_sk",
    ];
    if ssh_key.contains(&base) {
        return Some(CredKind::SshKey);
    }
    for dir in &components[..components.len().saturating_sub(1)] {
        match dir.as_str() {
            ".ssh" => return Some(CredKind::SshDir),
            ".aws" | ".azure" | "gcloud" => return Some(CredKind::Cloud),
            ".kube" => return Some(CredKind::Kube),
            ".gnupg" => return Some(CredKind::Gnupg),
            ".docker" if base == "config.json" => return Some(CredKind::Registry),
            _ => {}
        }
    }
    let exact = match base {
        ".env" => Some(CredKind::Dotenv),
        ".ssh" => Some(CredKind::SshDir),
        ".aws" | ".azure" | "gcloud" | ".boto" | ".s3cfg" | "credentials.json" => {
            Some(CredKind::Cloud)
        }
        ".kube" | "kubeconfig" => Some(CredKind::Kube),
        ".gnupg" => Some(CredKind::Gnupg),
        ".npmrc" => Some(CredKind::Npmrc),
        ".pypirc" => Some(CredKind::Pypirc),
        ".netrc" | "_netrc" => Some(CredKind::Netrc),
        ".git-credentials" => Some(CredKind::GitCredentials),
        ".pgpass" => Some(CredKind::Pgpass),
        ".vault-token" => Some(CredKind::VaultToken),
        ".dockercfg" => Some(CredKind::Registry),
        _ => None,
    };
    if exact.is_some() {
        return exact;
    }
    if let Some(suffix) = base.strip_prefix(".env.") {
        let harmless = [
            "example", "sample", "template", "dist", "defaults", "default", "schema",
        ];
        return (!harmless.iter().any(|h| suffix.contains(h))).then_some(CredKind::Dotenv);
    }
    if base.ends_with(".json")
        && (base.starts_with("client_secret")
            || base.contains("service-account")
            || base.contains("service_account")
            || base.contains("serviceaccount"))
    {
        return Some(CredKind::Cloud);
    }
    let ext = base.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let stem = base.rsplit_once('.').map(|(s, _)| s).unwrap_or(base);
    let system_trust_dir = [
        "/usr/local/share/ca-certificates",
        "/usr/share/ca-certificates",
        "/etc/ssl/certs",
        "/etc/pki/ca-trust",
        "/etc/pki/tls/certs",
        "/etc/apt",
        "/usr/share/keyrings",
        "/etc/pki/rpm-gpg",
    ]
    .iter()
    .any(|d| dest.starts_with(d));
    let words: Vec<&str> = stem
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has_word = |list: &[&str]| words.iter().any(|w| list.contains(w));
    let has_sub = |list: &[&str]| list.iter().any(|s| stem.contains(s));
    let says_private = has_sub(&["key", "priv", "secret"]);
    match ext {
        "pem" => {
            let public = has_word(&["ca", "crt", "pub", "root"])
                || has_sub(&["cert", "chain", "bundle", "public", "trust"]);
            if says_private || !(public || system_trust_dir) {
                Some(CredKind::Pem)
            } else {
                None
            }
        }
        "key" => {
            let signing = has_word(&["gpg", "pgp", "asc", "pub", "apt", "repo", "release"])
                || has_sub(&["public", "signing", "archive", "keyring", "gpg"]);
            (!(signing || system_trust_dir)).then_some(CredKind::PrivateKey)
        }
        "p12" | "pfx" | "jks" | "keystore" | "bks" => Some(CredKind::KeyStore),
        "ppk" => Some(CredKind::SshKey),
        "kdbx" => Some(CredKind::Kdbx),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Located;
    use plimsoll_core::{Pos, Span};

    fn spec(dest: &str) -> CopySpec {
        let span = Span::new(Pos::new(1, 1), Pos::new(1, 2));
        CopySpec {
            sources: vec![],
            dest: Located::new(dest.to_string(), span),
            json: false,
        }
    }

    #[test]
    fn classifies_credential_files() {
        let d = spec("/app/");
        assert_eq!(classify(".env", &d), Some(CredKind::Dotenv));
        assert_eq!(
            classify("config/.env.production", &d),
            Some(CredKind::Dotenv)
        );
        assert_eq!(classify(".env.example", &d), None);
        assert_eq!(
            classify("/home/me/.ssh/id_ed25519", &d),
            Some(CredKind::SshKey)
        );
        assert_eq!(classify("/home/me/.ssh/config", &d), Some(CredKind::SshDir));
        assert_eq!(classify("id_rsa", &d), Some(CredKind::SshKey));
        assert_eq!(classify("id_rsa.pub", &d), None);
        assert_eq!(classify("certs/server.key", &d), Some(CredKind::PrivateKey));
        assert_eq!(classify("nodesource.gpg.key", &d), None);
        assert_eq!(classify("privkey.pem", &d), Some(CredKind::Pem));
        assert_eq!(classify("fullchain.pem", &d), None);
        assert_eq!(classify("corp-ca.pem", &d), None);
        assert_eq!(
            classify("internal.pem", &spec("/usr/local/share/ca-certificates/")),
            None
        );
        assert_eq!(classify("internal.pem", &d), Some(CredKind::Pem));
        assert_eq!(
            classify("my-service-account.json", &d),
            Some(CredKind::Cloud)
        );
        assert_eq!(classify("package.json", &d), None);
        assert_eq!(classify(".aws/", &d), Some(CredKind::Cloud));
    }
}
