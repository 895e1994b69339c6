//! DF049: a literal secret in a RUN command or a LABEL.
//!
//! Each RUN (ONBUILD ones too) is read through the shared RUN analysis (`rules::run`): its
//! commands, with wrappers peeled off and `sh -c` scripts parsed, are searched by
//! `commands` (options and tool commands that take a credential), `assign` (shell
//! assignments with secret-sounding names) and `text` (token formats and URL credentials in
//! any word, assignments written to files, then anything left in the RUN's raw text). Each
//! candidate is judged by `grade` and reported once per RUN; LABELs are judged here.

mod assign;
mod commands;
mod grade;
mod hit;
mod text;

#[cfg(test)]
mod tests;

use crate::analysis::run::instructions::Run;
use crate::analysis::source_text;
use crate::analysis::stages;
use crate::analysis::stages::Stages;
use crate::analysis::variables;
use crate::ast::{Command, Instruction, KeyValue};
use crate::rules::secrets::patterns;
use crate::rules::{Context, Rule};
use hit::Hit;
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Span, Stage,
};
use std::collections::HashMap;

pub static META: RuleMeta = RuleMeta {
    id: "DF049",
    name: "secret-in-run-or-label",
    title: "Secret literal in a RUN command or LABEL",
    severity: Severity::High,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a literal credential is written into a `RUN` command (shell form, \
exec form, heredoc bodies, `ONBUILD RUN`) or a `LABEL`:\n\n\
- a known token format anywhere — AWS access key IDs, GitHub/GitLab/npm/PyPI/Hugging Face/\
Docker Hub tokens, Slack tokens and webhooks, Google/Stripe/OpenAI/SendGrid keys, JWTs, Azure \
storage keys, private-key blocks;\n\
- a URL with a literal password (`git clone https://user:pass@host/…`, `pip install \
--index-url https://u:p@…`, `curl https://u:p@…`) or with a token as its user name \
(`https://<token>@github.com`, also in `git config url.….insteadOf`);\n\
- a literal value for an option that takes a password or token: `docker`/`podman`/`helm`/… \
`login -p`/`--password`, `mysql -pX`/`--password=X` (and the other MySQL/MariaDB clients), \
`curl -u user:pass`/`--oauth2-bearer`, `wget --password`/`--http-password`, `sshpass -p`, \
`redis-cli -a`, `mongosh -p`, `sqlcmd -P`, `ldapadd -w`, `keytool -storepass`, `openssl -passin \
pass:…`, `gpg --passphrase`, `svn --password`, `twine -p`, `az login -p`, `dotnet nuget … -p`, \
`kubectl config set-credentials --token`; an `Authorization` (or other secret-named) header \
given to `curl`, `wget` or git's `http.extraHeader`;\n\
- a literal piped or fed into `--password-stdin`/`--with-token` (`echo X | docker login \
--password-stdin`, `<<< X`, a heredoc);\n\
- commands that store a credential: `aws configure set aws_secret_access_key X`, \
`npm|pnpm|yarn config set //registry/:_authToken X`, `poetry config http-basic.…`/\
`pypi-token.…`, `composer config http-basic.…`/`github-oauth.…`, `bundle config <source> \
user:pass`, `htpasswd -b`, `rabbitmqctl add_user`, `vault login`, `cargo login`;\n\
- a shell assignment whose name says it holds a secret (the names DF007 uses) with a literal \
value: `export DB_PASSWORD=…`, `PGPASSWORD=… psql`, `env API_TOKEN=… cmd`;\n\
- such `NAME=value` (or `name: value`) lines, netrc `password` entries and debconf \
`password` answers in text the RUN writes or feeds to a command: `echo`/`printf` arguments and \
heredoc bodies (`cat > .env <<EOF`), and in files created by `COPY <<EOF`/`ADD <<EOF`;\n\
- a literal database password in SQL given to any command (`psql -c \"… PASSWORD '…'\"`, \
`mysql -e \"… IDENTIFIED BY '…'\"`);\n\
- a secret-named query parameter with a literal value in a URL (`?license_key=…`, \
`&access_token=…`, an Azure SAS `sig=`);\n\
- a `LABEL` whose value holds a token format or URL credentials, or whose key says it holds a \
secret and has a literal value.\n\n\
Severity: **critical** for known token formats and random-looking values of 32 characters or \
more (machine-made keys), **high** for other literals, **low** for well-known default passwords \
(`changeme`, `admin`, `root`, `password`, `secret`, a password equal to its user name…), which \
are still credentials anyone reading the Dockerfile can use. Each secret is reported once per \
instruction, at its exact position; messages and evidence show it redacted (`ghp_…(40 chars)`), \
and fingerprints do not depend on it (a baseline file never holds a hash of a secret).\n\n\
It does not fire on: variable references (`-p \"$PASSWORD\"`, `${TOKEN}`) and command \
substitutions (`$(cat /run/secrets/token)`) — so a value read from a `RUN \
--mount=type=secret` never fires; template placeholders that cannot authenticate anything \
(`<password>`, `{{ .Token }}`, `{token}`, `YOUR_TOKEN`, `__PASSWORD__`, `%s`, `xxx`, `***`) and \
values that say they are not secret (`SECRET_KEY_BASE=dummy rails assets:precompile`, \
`placeholder`, `fake`); short numbers and values under 8 characters under key/token names \
(`MAX_TOKENS=4096`, `primary_key: id`), digests (`KEY_SHA512=…`); anonymous FTP; \
AWS's documentation keys (`…EXAMPLE`); `keytool -storepass changeit` (the JDK trust store's \
published default); a bare `-p`/`-u user` (the tool prompts); GPG key fingerprints in `key` \
variables of a RUN that runs `gpg`. Passwords given to `chpasswd`/`passwd`/`usermod -p` are \
DF046's, secrets in `ENV`/`ARG` DF007's.",
        why: "A literal secret in a `RUN` line is in the Dockerfile — in source control and \
every clone of the repository — and, for stages that ship, in the image history: `docker \
history --no-trunc` prints each RUN as written to anyone who can pull the image. Many of these \
commands also store the credential in a layer (`npm config set` writes ~/.npmrc, `aws \
configure set` ~/.aws/credentials, `docker login` ~/.docker/config.json, a clone URL with \
credentials .git/config). `LABEL` values are part of the image configuration, shown by \
`docker inspect`. Registry tokens, cloud keys and database passwords leaked in public images \
and repositories are harvested automatically, often within minutes of a push.",
        fix: "Pass build-time credentials as BuildKit secrets, mounted for one RUN and never \
stored in a layer, the history or the configuration: `RUN \
--mount=type=secret,id=npmrc,target=/root/.npmrc npm ci` (as a file) or `RUN \
--mount=type=secret,id=token,env=TOKEN …` (as a variable, dockerfile:1.10+), with `docker \
build --secret id=…,src=<file>` or `env=<VAR>`; use `RUN --mount=type=ssh` for SSH keys. Keep \
credentials out of labels. Rotate every credential that was committed or pushed: deleting the \
line does not remove it from the repository history or from images already built.",
        bad: "FROM python:3.12-slim\n\
RUN pip install --index-url https://ci:S3cr3tPassw0rd@pypi.example.com/simple/ app\n",
        good: "# syntax=docker/dockerfile:1\nFROM python:3.12-slim\n\
RUN --mount=type=secret,id=pip_index_url,env=PIP_INDEX_URL \\\n    pip install app\n",
    },
    references: References {
        cis: &["4.10"],
        cwe: &["CWE-798", "CWE-538"],
        links: &[
            "https://docs.docker.com/build/building/secrets/",
            "https://trivy.dev/docs/latest/scanner/secret",
        ],
        ..References::NONE
    },
};

pub struct SecretInRun;

impl Rule<Context<'_>> for SecretInRun {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let runs = cx.runs();
        let mut keys = Keys::default();
        for run in &runs.list {
            for hit in run_hits(run, &cx.file.source) {
                out.push(run_finding(runs.stages, run, hit, &mut keys));
            }
        }
        labels(cx, runs.stages, &mut keys, out);
        copy_heredocs(cx, runs.stages, &mut keys, out);
    }
}

/// Every literal secret of one RUN, each reported once (the most specific reading first).
fn run_hits(run: &Run<'_>, source: &str) -> Vec<Hit> {
    let flat = &run.flat;
    let mut hits = Vec::new();
    commands::scan(run, flat, &mut hits);
    assign::scan(run, flat, &mut hits);
    text::words(run, flat, &mut hits);
    text::written(run, flat, &mut hits);
    text::raw(run, source, &mut hits);
    let mut kept: Vec<Hit> = Vec::new();
    for h in hits {
        if !kept
            .iter()
            .any(|k| k.secret == h.secret || overlaps(k.span, h.span))
        {
            kept.push(h);
        }
    }
    kept
}

fn overlaps(a: Span, b: Span) -> bool {
    a.start < b.end && b.start < a.end
}

/// Fingerprint keys, made unique within a file (`#2`, `#3`… for repeats) so two findings of
/// the same kind in the same stage keep distinct fingerprints. Keys never hold the secret.
#[derive(Default)]
struct Keys(HashMap<String, usize>);

impl Keys {
    fn unique(&mut self, key: String) -> String {
        let n = self.0.entry(key.clone()).or_default();
        *n += 1;
        if *n == 1 {
            key
        } else {
            format!("{key}#{n}")
        }
    }
}

fn run_finding(stages: &Stages<'_>, run: &Run<'_>, hit: Hit, keys: &mut Keys) -> Finding {
    let keyword = if run.onbuild { "ONBUILD RUN" } else { "RUN" };
    let where_ = stages.stage_note(Some(run.stage));
    let kept = if run.onbuild {
        "it stays in the Dockerfile and in this image's ONBUILD triggers, and runs in every \
         build FROM this image"
    } else if run.in_final_image {
        "it stays in the Dockerfile and in the image history (`docker history --no-trunc`)"
    } else {
        "it stays in the Dockerfile and in the build cache of this stage"
    };
    let lead = format!("{keyword} at line {}{where_}", run.outer.line());
    let stage_key = stages.get(run.stage).map(|s| s.key()).unwrap_or_default();
    let onbuild = if run.onbuild { "onbuild:" } else { "" };
    let key = keys.unique(format!("RUN:{onbuild}{stage_key}:{}", hit.slot));
    secret_finding(&lead, kept, run.location(hit.span), key, hit)
}

/// The finding for a literal secret: `lead` names the instruction and where it is, `kept`
/// says where the secret stays; the hit gives what it is, the graded severity, the masked
/// evidence and the fix.
fn secret_finding(lead: &str, kept: &str, location: Location, key: String, hit: Hit) -> Finding {
    let message = format!(
        "{lead} {} (`{}`{}): {kept}",
        hit.what,
        patterns::redact(&hit.secret),
        hit.grade.note()
    );
    let mut f = Finding::new(&META, location, message)
        .span_is_secret()
        .evidence(hit.evidence)
        .fix(hit.fix)
        .key(key)
        .build();
    f.severity = hit.grade.severity();
    f
}

/// LABELs (ONBUILD ones too) in every stage.
fn labels(cx: &Context<'_>, stages: &Stages<'_>, keys: &mut Keys, out: &mut Vec<Finding>) {
    let mut scopes: Vec<(Option<usize>, &[Instruction])> = vec![(None, stages.globals)];
    scopes.extend(stages.list.iter().map(|s| (Some(s.index), s.body)));
    for (stage, body) in scopes {
        for (instr, onbuild) in stages::with_onbuild(body) {
            let Command::Label(pairs) = &instr.command else {
                continue;
            };
            for kv in pairs {
                if let Some(f) = label_finding(cx, stages, stage, instr, onbuild, kv, keys) {
                    out.push(f);
                }
            }
        }
    }
}

fn label_finding(
    cx: &Context<'_>,
    stages: &Stages<'_>,
    stage: Option<usize>,
    instr: &Instruction,
    onbuild: bool,
    kv: &KeyValue,
    keys: &mut Keys,
) -> Option<Finding> {
    let name = kv.key.value.as_str();
    let value = kv.value.value.as_str();
    if variables::is_only_var_refs(&kv.raw_value) {
        return None;
    }
    let (secret, grade, what, kind) = match text::in_value(value) {
        Some(found) => found,
        None => {
            let g = grade::of_named(name, value, grade::Naming::Key, false)?;
            (
                value.trim().to_string(),
                g,
                "says it holds a secret and has a literal value".to_string(),
                "named".to_string(),
            )
        }
    };
    let prefix = if onbuild { "ONBUILD " } else { "" };
    let message = format!(
        "{prefix}LABEL `{name}` (line {}){} {what} (`{}`{}): labels are stored in the image \
         configuration, which `docker inspect` shows to anyone who can pull the image",
        instr.line(),
        stages.stage_note(stage),
        patterns::redact(&secret),
        grade.note()
    );
    let masked = value.replacen(&secret, &patterns::redact(&secret), 1);
    let mut f = Finding::new(
        &META,
        Location::with_span(&cx.file.path, kv.value.span),
        message,
    )
    .evidence(format!("{prefix}LABEL {name}={masked}"))
    .fix(
        "remove the credential from the label (labels are public metadata and have no secret \
         form); if the container needs it, provide it at run time from the orchestrator's \
         secrets; rotate the exposed value",
    )
    .key(keys.unique(format!("LABEL:{name}:{kind}")))
    .build();
    f.severity = grade.severity();
    Some(f)
}

/// Files created from heredocs by `COPY <<EOF` / `ADD <<EOF` (ONBUILD ones too).
fn copy_heredocs(cx: &Context<'_>, stages: &Stages<'_>, keys: &mut Keys, out: &mut Vec<Finding>) {
    for stage in &stages.list {
        for (instr, onbuild) in stages::with_onbuild(stage.body) {
            let keyword = match &instr.command {
                Command::Copy(_) => "COPY",
                Command::Add(_) => "ADD",
                _ => continue,
            };
            let prefix = if onbuild { "ONBUILD " } else { "" };
            let shipped = onbuild || stages.in_final_image(stage.index);
            let kept = if shipped {
                "the file ships in the image and the text stays in the Dockerfile"
            } else {
                "the file stays in the build cache of this stage and the text in the Dockerfile"
            };
            let mut hits: Vec<Hit> = Vec::new();
            for doc in &instr.heredocs {
                let found = text::in_file(
                    &cx.file.source,
                    instr.span,
                    source_text::first_line(instr),
                    &doc.content,
                );
                for h in found {
                    if !hits
                        .iter()
                        .any(|k| k.secret == h.secret || overlaps(k.span, h.span))
                    {
                        hits.push(h);
                    }
                }
            }
            for hit in hits {
                let lead = format!(
                    "{prefix}{keyword} at line {}{}",
                    instr.line(),
                    stages.stage_note(Some(stage.index)),
                );
                let key = keys.unique(format!("{keyword}:{}:{}", stage.key(), hit.slot));
                let location = Location::with_span(&cx.file.path, hit.span);
                out.push(secret_finding(&lead, kept, location, key, hit));
            }
        }
    }
}
