//! DF007: a secret in ENV or ARG.

use super::patterns;
use crate::analysis::stages;
use crate::analysis::stages::Stages;
use crate::analysis::variables::is_only_var_refs;
use crate::ast::{Command, Instruction, Located};
use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Span, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF007",
    name: "secret-in-env-or-arg",
    title: "Secret in ENV or ARG",
    severity: Severity::High,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires on `ENV` and `ARG` (also inside `ONBUILD`, in every stage) when:\n\n\
- the value contains a known token format — AWS access key IDs, GitHub/GitLab/npm/PyPI/\
Hugging Face/Docker Hub tokens, Slack tokens and webhooks, Google/Stripe/OpenAI/SendGrid keys, \
JWTs, Azure storage keys, private-key headers — whatever the variable is called \
(**critical**);\n- the value is a URL with a literal password (`https://user:pass@host`), \
whatever the name (`*_URL` included);\n- the name says it holds a secret and it is given a \
literal value: BuildKit's `SecretsUsedInArgOrEnv` tokens (`apikey`, `auth`, `credential(s)`, \
`key`, `password`, `pword`, `passwd`, `secret`, `token`) plus `pass`, `passphrase`, `creds`, \
camelCase and unseparated spellings (`dbPassword`, `DBPASSWORD`), and Trivy DS-0031's names \
(`AWS_ACCESS_KEY_ID`, `AZURE_CLIENT_ID`, `HF_TOKEN`, … also with `VITE_`/`REACT_APP_` \
prefixes); **critical** when the value is a long random-looking string;\n- an `ARG` has such \
a name, with or without a default (the value given with `--build-arg` is recorded).\n\n\
It does not fire on: empty `ENV` values; values that only reference variables \
(`ENV NPM_TOKEN=${NPM_TOKEN}` — the `ARG` it forwards is reported instead, noting the copy \
into the environment); booleans and switches (`MYSQL_ALLOW_EMPTY_PASSWORD=yes`); paths and \
plain URLs (`SSL_KEY=/run/secrets/key`, `AUTH_SERVER=https://…`); names whose last word says \
they describe a secret rather than hold it (`*_FILE`, `*_PATH`, `*_DIR`, `*_URL`, \
`*_VERSION`, `*_METHOD`, `*_TYPE`, `*_SOCK`, …) or a digest (`*_SHA256`, `*_SHA512`, \
`*_CHECKSUM`, `*_DIGEST`, …: the checksum of a download, not a secret); public keys \
(`PUBLIC_KEY`, `GPG_KEY`, `GPG_KEYS`).",
        why: "`ENV` values are stored in the image configuration: anyone who can pull the \
image reads them with `docker inspect`, and every container started from it (and every \
process in it, and every crash dump or `/proc/<pid>/environ` read) sees them. Build \
arguments are recorded in the image history (`docker history` shows `|1 NPM_TOKEN=…` on every \
`RUN` that had them in scope) and in BuildKit provenance attestations. And a literal secret in \
a Dockerfile is a secret committed to source control. Leaked registry tokens, cloud keys and \
database passwords from public images are a routinely exploited source of breaches.",
        fix: "Pass build-time secrets with BuildKit secret mounts, which are never stored in \
a layer, the history or the configuration: `RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
npm ci` and `docker build --secret id=npm_token,env=NPM_TOKEN .`. Provide runtime secrets \
when the container starts (orchestrator secrets, `--env-file`, mounted files read through \
`*_FILE` variables), never in the image. Rotate any secret that was already committed or \
pushed.",
        bad: "FROM node:20-slim\nARG NPM_TOKEN\nRUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci\n",
        good: "# syntax=docker/dockerfile:1\nFROM node:20-slim\n\
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \\\n    \
echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci && rm .npmrc\n",
    },
    references: References {
        cis: &["4.10"],
        hadolint: &["DL3064"],
        trivy: &["AVD-DS-0031"],
        dockle: &["CIS-DI-0010"],
        buildkit: &["SecretsUsedInArgOrEnv"],
        cwe: &["CWE-798", "CWE-538"],
        ..References::NONE
    },
};

pub struct SecretEnvArg;

/// One ENV pair or ARG declaration to judge.
struct Var<'a> {
    instr: &'a Instruction,
    keyword: &'static str,
    name: &'a Located<String>,
    /// The value as written (quotes kept), `None` for an ARG without a default.
    raw: Option<&'a str>,
    /// The unquoted value and its span.
    value: Option<&'a Located<String>>,
    is_arg: bool,
    /// Wrapped in `ONBUILD` (takes effect in images built from this one).
    onbuild: bool,
}

impl Rule<Context<'_>> for SecretEnvArg {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        let mut scopes: Vec<(Option<usize>, &[Instruction])> = vec![(None, stages.globals)];
        scopes.extend(stages.list.iter().map(|s| (Some(s.index), s.body)));
        for (stage, body) in scopes {
            let vars: Vec<Var<'_>> = stages::with_onbuild(body)
                .flat_map(|(i, onbuild)| vars_of(i, onbuild))
                .collect();
            for (n, var) in vars.iter().enumerate() {
                // ENVs later in the same stage that only forward this ARG into the environment.
                let forwarded: Vec<&Var<'_>> = if var.is_arg {
                    vars[n + 1..]
                        .iter()
                        .filter(|v| {
                            !v.is_arg && v.raw.is_some_and(|r| references(r, &var.name.value))
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                if let Some(f) = judge(cx, stages, stage, var, &forwarded) {
                    out.push(f);
                }
            }
        }
    }
}

fn vars_of(instr: &Instruction, onbuild: bool) -> Vec<Var<'_>> {
    match &instr.command {
        Command::Env(pairs) => pairs
            .iter()
            .map(|kv| Var {
                instr,
                keyword: "ENV",
                name: &kv.key,
                raw: Some(kv.raw_value.as_str()),
                value: Some(&kv.value),
                is_arg: false,
                onbuild,
            })
            .collect(),
        Command::Arg(decls) => decls
            .iter()
            .map(|d| Var {
                instr,
                keyword: "ARG",
                name: &d.name,
                raw: d.raw_default.as_deref(),
                value: d.default.as_ref(),
                is_arg: true,
                onbuild,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a raw value references variable `name` (`$NAME`, `${NAME}`, `${NAME:-…}`).
fn references(raw: &str, name: &str) -> bool {
    let plain = format!("${name}");
    let braced = format!("${{{name}");
    raw.match_indices(&plain).any(|(i, _)| {
        raw[i + plain.len()..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'))
    }) || raw.match_indices(&braced).any(|(i, _)| {
        raw[i + braced.len()..]
            .chars()
            .next()
            .is_some_and(|c| matches!(c, '}' | ':' | '-' | '+' | '?' | '#' | '%' | '/'))
    })
}

fn judge(
    cx: &Context<'_>,
    stages: &Stages<'_>,
    stage: Option<usize>,
    var: &Var<'_>,
    forwarded: &[&Var<'_>],
) -> Option<Finding> {
    let name = var.name.value.as_str();
    let value = var.value.map(|v| v.value.as_str()).unwrap_or("");
    let raw = var.raw.unwrap_or("");
    let value_span: Span = var.value.map(|v| v.span).unwrap_or(var.name.span);
    let where_ = stages.stage_note(stage);
    let kw = var.keyword;
    let line = var.instr.line();
    let onbuild = if var.onbuild { "ONBUILD " } else { "" };
    let fix_runtime = if var.is_arg {
        format!(
            "remove `ARG {name}` and read the secret from a BuildKit secret mount in the RUN \
             that needs it: `RUN --mount=type=secret,id={id},env={name} …` with \
             `docker build --secret id={id},env={name}`",
            id = name.to_ascii_lowercase()
        )
    } else {
        format!(
            "remove `ENV {name}=…` from the Dockerfile, rotate the exposed value, and provide \
             it at run time (orchestrator secret, --env-file, or a mounted file read through \
             {name}_FILE)"
        )
    };

    // 1. A known token format, whatever the name.
    if let Some((format, matched)) = patterns::known_token(value) {
        let mut f = Finding::new(
            &META,
            Location::with_span(&cx.file.path, value_span),
            format!(
                "{onbuild}{kw} `{name}` (line {line}){where_} holds what looks like {format} \
                 (`{}`) written into the Dockerfile",
                patterns::redact(&matched)
            ),
        )
        .evidence(format!("{onbuild}{kw} {name}={}", patterns::redact(value)))
        .fix(fix_runtime)
        .key(format!("{kw}:{name}:token"))
        .build();
        f.severity = Severity::Critical;
        return Some(f);
    }

    // 2. Credentials inside a URL, whatever the name.
    if let Some(masked) = patterns::url_credentials(value) {
        return Some(
            Finding::new(
                &META,
                Location::with_span(&cx.file.path, value_span),
                format!(
                    "{onbuild}{kw} `{name}` (line {line}){where_} embeds a password in a URL \
                     (`{masked}`)"
                ),
            )
            .evidence(format!("{onbuild}{kw} {name}={masked}"))
            .fix(format!(
                "take the credentials out of the URL: keep `{name}` without user:password and \
                 pass the password as a secret (BuildKit secret mount at build time, an \
                 orchestrator secret at run time); rotate the exposed password"
            ))
            .key(format!("{kw}:{name}:url"))
            .build(),
        );
    }

    // 3. A secret-sounding name, unless its last word says it holds a digest (`KEY_SHA512`,
    // `TOKEN_CHECKSUM`: the checksum of a public download, as DF049 reads such names).
    let token = patterns::secret_name(name)?;
    if patterns::name_tokens(name)
        .last()
        .is_some_and(|t| super::is_digest_word(t))
    {
        return None;
    }
    let named = if token.eq_ignore_ascii_case(name) {
        String::new()
    } else {
        format!(" (its name contains `{token}`)")
    };
    let literal = !value.trim().is_empty() && !is_only_var_refs(raw);
    if literal {
        if patterns::is_trivial(value) || patterns::is_path_or_url(value) {
            return None;
        }
        let high = patterns::is_high_entropy(value);
        let what = if high {
            "a random-looking literal value"
        } else {
            "a literal value"
        };
        let mut f = Finding::new(
            &META,
            Location::with_span(&cx.file.path, value_span),
            format!(
                "{onbuild}{kw} `{name}` (line {line}){where_} looks like a secret{named} and is \
                 given {what} (`{}`), stored in the Dockerfile{}",
                patterns::redact(value),
                if var.is_arg {
                    " and the image history"
                } else {
                    " and the image configuration"
                }
            ),
        )
        .evidence(format!("{onbuild}{kw} {name}={}", patterns::redact(value)))
        .fix(fix_runtime)
        .key(format!("{kw}:{name}:literal"))
        .build();
        if high {
            f.severity = Severity::Critical;
        }
        return Some(f);
    }
    if !var.is_arg {
        // ENV without a literal: empty, or forwarding a variable (reported at its ARG).
        return None;
    }
    let copy_note = match forwarded.first() {
        Some(env) => format!(
            "; ENV `{}` at line {} copies it into the image configuration, where `docker \
             inspect` shows it to anyone who can pull the image",
            env.name.value,
            env.instr.line()
        ),
        None => String::new(),
    };
    Some(
        Finding::new(
            &META,
            Location::with_span(&cx.file.path, var.name.span),
            format!(
                "{onbuild}build argument `{name}` (line {line}){where_} looks like a secret{named}: \
                 values passed with --build-arg are recorded in the image history and build \
                 provenance{copy_note}"
            ),
        )
        .evidence(format!("{onbuild}ARG {name}"))
        .fix(fix_runtime)
        .key(format!("ARG:{name}"))
        .build(),
    )
}
