//! RS031: a secret written into the container's environment.

use crate::dialect::Fix;
use crate::model::{EnvFrom, EnvVar, Sourced};
use crate::rules::resources::phrasing::spec_key;
use crate::rules::{Input, Rule};
use plimsoll_core::secrets;
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS031",
    name: "secret-in-environment",
    title: "Secret in the container's environment",
    severity: Severity::High,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires on an environment variable whose value is written out literally — in \
the compose file's `environment:`, in a `-e NAME=value` / `--env NAME=value` on the command \
line, or found in a container's `Config.Env` — when:\n\n\
- the value contains a known token format, whatever the variable is called: AWS access key \
IDs (`AKIA…`), GitHub (`ghp_…`, `github_pat_…`), GitLab, Slack, Stripe, Google, OpenAI, npm, \
PyPI, Hugging Face and Docker Hub tokens, JWTs, Azure storage keys, private-key headers \
(**critical**);\n\
- the value is a URL with a literal password (`postgres://app:hunter2@db/app`), whatever the \
name;\n\
- the name says it holds a secret (`PASSWORD`, `PASSWD`, `SECRET`, `TOKEN`, `API_KEY`, \
`PRIVATE_KEY`, `CREDENTIALS`, `AUTH`, camelCase and unseparated spellings such as \
`dbPassword`, plus names like `AWS_SECRET_ACCESS_KEY`) and the value is a real literal — \
**critical** when it is long and random-looking.\n\n\
A secret written in the project's `.env` (or `--env-file`) — the file compose reads to \
interpolate the compose file — reaches the container through `${DB_PASSWORD}` or a bare \
`- DB_PASSWORD` entry: it is reported at its line in that file, judged like a literal — \
unless the file lies in a git work tree that does not track it (a developer's local `.env`, \
kept out of the repository as it should be: `plimsoll scan` and `plimsoll compose` read git's \
index to tell). \
Well-known defaults (`changeme`, `example`, `admin`, `password`, `secret`…) **are** \
reported: a guessable default committed to a file is a credential attackers try first — \
`changeme` is a password that ships unchanged, whereas `invalid` is a word no deployment \
mistakes for one. Not \
reported: values that come from the caller's environment through interpolation \
(`POSTGRES_PASSWORD: ${DB_PASSWORD}` with `DB_PASSWORD` set by the deploying shell, or a \
`.env` value that itself reads one; also \
partly — `postgres://app:${PW}@db`), from the caller's environment (`environment: \
[DB_PASSWORD]`, `-e DB_PASSWORD`, a shell variable in a script: `-e \"TOKEN=$TOKEN\"`) or from \
an `env_file:` / `--env-file` — the secret is not in \
the audited file then, though it still reaches the container's environment (a default \
written in the file and used, `${API_KEY:-changeme}` with `API_KEY` unset, is the file's own \
text and is judged); empty values; \
booleans and switches (`MYSQL_ALLOW_EMPTY_PASSWORD: \"yes\"`); obvious placeholders \
(`<your-token>`, `xxx`, `***`, `{{ .Token }}`) and words that say no value is set \
(`invalid`, `unset`, `undefined`, `empty`, `n/a`: mailcow's `${API_KEY:-invalid}` means \
\"no API key configured\"); names of hashing schemes as values (`argon2id`, `BLF-CRYPT`, \
`scram-sha-256`); paths and plain URLs (`SSL_KEY=/run/secrets/key`); names that describe a \
secret or its setting rather than hold it — the last word is `FILE`, `PATH`, `URL`, \
`METHOD`, `VERSION`, `SCHEME`, `HASHER`, `BACKEND`, `ALGORITHM`, `TYPE`, `MODE`, `LENGTH`, \
`POLICY`, `ENCRYPTION`… (`POSTGRES_PASSWORD_FILE` is the fix, not the problem; \
`MAILCOW_PASS_SCHEME=BLF-CRYPT`, `PASSWORD_HASHER=argon2` and `SECRET_BACKEND=vault` are \
settings — the same kind of words gitleaks' generic rule allows: `key_length`, \
`secret_name`, `token_endpoint`); public keys. Values are never printed: messages and evidence show a redacted \
form. KICS has no compose query for environment secrets; Checkov's Kubernetes \
CKV_K8S_35 is the nearest equivalent.",
        why: "A literal secret in a compose file or a deployment script is committed to \
version control with it, copied into every clone, fork, CI log and backup, and readable by \
everyone who can read the repository — leaked database passwords and cloud keys from public \
repositories are exploited within minutes by scanners that watch commits. Once in the \
container's environment it is also visible to anyone who can run `docker inspect` (or reach \
the Engine API), inherited by every child process, written into crash reports and debug \
pages that dump the environment, and readable from `/proc/<pid>/environ`. Compose \
`secrets:` are mounted as files under `/run/secrets/` instead: not in the configuration, not \
inherited, and not in the file you commit.",
        fix: "Move the value out of the file and out of the environment: declare a compose \
secret (`secrets: {db_password: {file: ./secrets/db_password.txt}}` — or `environment: \
DB_PASSWORD` to source it from the deploying shell — at the top level), list it under the \
service's `secrets:`, and have the application read `/run/secrets/db_password` (official \
images accept `*_FILE` variables: `POSTGRES_PASSWORD_FILE: /run/secrets/db_password`). On \
`docker run`, bind-mount the file read-only and point `*_FILE` at it, or at least pass the \
value from outside the script (`--env-file` kept out of version control, or `-e NAME` with no \
value). Rotate every secret that was committed: removing it from the file does not remove \
it from history.",
        bad: concat!(
            "services:\n",
            "  db:\n",
            "    image: postgres:16\n",
            "    environment:\n",
            "      POSTGRES_PASSWORD: s3cr3t-Passw0rd\n",
        ),
        good: concat!(
            "services:\n",
            "  db:\n",
            "    image: postgres:16\n",
            "    environment:\n",
            "      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n",
            "    secrets:\n",
            "      - db_password\n",
            "secrets:\n",
            "  db_password:\n",
            "    file: ./secrets/db_password.txt\n",
        ),
    },
    references: References {
        cis: &["4.10"],
        cwe: &["CWE-798", "CWE-526"],
        links: &[
            "https://docs.docker.com/compose/how-tos/use-secrets/",
            "https://docs.docker.com/reference/compose-file/secrets/",
        ],
        ..References::NONE
    },
};

pub struct SecretEnv;

impl Rule<Input<'_>> for SecretEnv {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        for var in &spec.environment {
            if let Some(f) = judge(input, var) {
                out.push(f);
            }
        }
    }
}

/// What a value looked like, for the message and the fingerprint.
enum Kind {
    Token(&'static str, String),
    Url(String),
    Default,
    Random,
    Literal(String),
}

fn judge(input: &Input<'_>, var: &Sourced<EnvVar>) -> Option<Finding> {
    let (spec, dialect) = (input.spec, input.dialect);
    let EnvVar { name, value, from } = &var.value;
    if !matches!(
        from,
        EnvFrom::Literal | EnvFrom::Engine | EnvFrom::ProjectEnv { .. }
    ) {
        return None;
    }
    // A value from the project's `.env` is judged as written there, and reported there.
    let (location, variable) = match from {
        EnvFrom::ProjectEnv { variable, at } => (at.clone(), Some(variable.as_str())),
        _ => (var.origin.location.clone(), None),
    };
    let value = value.as_deref()?.trim();
    if value.is_empty() {
        return None;
    }
    // `postgres://app:${PW}@db`: the secret part comes from the environment. Judge what is
    // written, not what interpolation made of it. (A value that is one reference and still
    // counts as literal, `${API_KEY:-changeme}` with the default used, is the file's own
    // text: judged as usual.)
    let written = var.origin.written.as_str();
    let written_value = written
        .split_once(&format!("{name}="))
        .map_or(written, |(_, v)| v)
        .trim();
    // In a script, `-e "TOKEN=$TOKEN"` reaches us unexpanded: the shell fills it in.
    let shell_expanded = dialect.shell_expands_values() && has_interpolation(value);
    let partly_interpolated = variable.is_none() && shell_expanded
        || (*from == EnvFrom::Literal
            && has_interpolation(written_value)
            && !is_single_reference(written_value));
    let judged = if partly_interpolated { written } else { value };

    let kind = if let Some((format, matched)) = secrets::known_token(judged) {
        Kind::Token(format, matched)
    } else if let Some(masked) = secrets::url_credentials(judged) {
        Kind::Url(masked)
    } else {
        if partly_interpolated {
            return None;
        }
        let token = secrets::secret_name(name)?;
        if secrets::is_trivial(value) || secrets::is_path_or_url(value) {
            return None;
        }
        if is_weak_default(value) {
            Kind::Default
        } else if secrets::is_high_entropy(value) {
            Kind::Random
        } else {
            Kind::Literal(token)
        }
    };

    let who = dialect.subject(spec);
    let redacted = secrets::redact(value);
    let (what, severity, key) = match &kind {
        Kind::Token(format, matched) => (
            format!(
                "holds what looks like {format} (`{}`)",
                secrets::redact(matched)
            ),
            Severity::Critical,
            "token",
        ),
        Kind::Url(masked) => (
            format!("embeds a password in a URL (`{masked}`)"),
            Severity::High,
            "url",
        ),
        Kind::Default => (
            format!(
                "looks like a secret and is set to a well-known default password (`{redacted}`) \
                 that attackers try first"
            ),
            Severity::High,
            "literal",
        ),
        Kind::Random => (
            format!("looks like a secret and is set to a random-looking literal (`{redacted}`)"),
            Severity::Critical,
            "literal",
        ),
        Kind::Literal(token) => {
            let named = if token.eq_ignore_ascii_case(name) {
                String::new()
            } else {
                format!(" (its name contains `{token}`)")
            };
            (
                format!("looks like a secret{named} and is set to a literal value (`{redacted}`)"),
                Severity::High,
                "literal",
            )
        }
    };
    let shown_value = match &kind {
        Kind::Url(masked) => masked.clone(),
        _ => redacted.clone(),
    };
    let in_dotenv;
    let secret_exposure;
    let exposure = match from {
        EnvFrom::ProjectEnv { variable, at } => {
            in_dotenv = format!(
                "its value is `{variable}` written in `{}`, which compose reads for \
                 interpolation: committed with the project unless that file is kept out of \
                 version control, and readable by anyone who can `docker inspect` the container",
                at.path
            );
            in_dotenv.as_str()
        }
        EnvFrom::Engine => {
            "it is stored in the container's configuration, readable by anyone who can `docker \
             inspect` it and by every process in the container"
        }
        _ => {
            secret_exposure = dialect.fix(Fix::SecretExposure);
            secret_exposure.as_str()
        }
    };
    let secret_id = name.to_ascii_lowercase();
    let fix = dialect.fix(Fix::SecretToFile {
        name,
        secret_id: &secret_id,
    });
    let fix = match variable {
        Some(variable) => format!(
            "take `{variable}` out of the project's `.env` (or keep that file out of version \
             control and out of the image), or better: {fix}"
        ),
        None => fix,
    };
    let fix = match kind {
        Kind::Url(_) => format!(
            "take the password out of the URL in `{name}` (most clients also read it from a \
             separate variable or file); for the password itself: {fix}"
        ),
        _ => fix,
    };
    Some(
        Finding::new(
            &META,
            location,
            format!("{who}: environment variable `{name}` {what}; {exposure}"),
        )
        .evidence(format!("{name}={shown_value}"))
        .fix(fix)
        .key(spec_key(spec, format!("env:{name}:{key}")))
        .severity(severity)
        .build(),
    )
}

/// Whether compose text references a variable (`${X}`, `$X`); `$$` is an escaped `$`.
fn has_interpolation(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            match b.get(i + 1) {
                Some(b'$') => {
                    i += 2;
                    continue;
                }
                Some(c) if *c == b'{' || *c == b'_' || c.is_ascii_alphabetic() => return true,
                _ => {}
            }
        }
        i += 1;
    }
    false
}

/// `$NAME` or one `${…}` expression and nothing else.
fn is_single_reference(text: &str) -> bool {
    if let Some(name) = text.strip_prefix('$') {
        if !name.is_empty() && name.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric()) {
            return true;
        }
    }
    let Some(body) = text.strip_prefix("${") else {
        return false;
    };
    // The brace that closes the opening `${` must be the last character.
    let mut depth = 1usize;
    for (i, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1 == body.len();
                }
            }
            _ => {}
        }
    }
    false
}

/// Default and example passwords that images' documentation and tutorials use, and that
/// credential-stuffing tools try first.
fn is_weak_default(value: &str) -> bool {
    const DEFAULTS: &[&str] = &[
        "changeme",
        "change_me",
        "change-me",
        "changeit",
        "password",
        "passw0rd",
        "password1",
        "password123",
        "secret",
        "admin",
        "administrator",
        "root",
        "toor",
        "example",
        "test",
        "testing",
        "default",
        "guest",
        "demo",
        "letmein",
        "qwerty",
        "pass",
        "1234",
        "12345",
        "123456",
        "12345678",
        "postgres",
        "mysql",
    ];
    let v = value.trim().to_ascii_lowercase();
    DEFAULTS.contains(&v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, container, run};

    fn lit(name: &str, value: &str) -> crate::rules::testing::SpecBuilder {
        compose("db").env(name, Some(value), EnvFrom::Literal)
    }

    #[test]
    fn named_secret_with_literal_value() {
        let spec = lit("POSTGRES_PASSWORD", "s3cr3t-Passw0rd").build();
        let found = check(&SecretEnv, &spec);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(f.severity, Severity::High);
        assert!(f
            .message
            .contains("`POSTGRES_PASSWORD` looks like a secret (its name"));
        assert!(f.message.contains("committed with the compose file"));
        assert_eq!(
            f.evidence.as_deref(),
            Some("POSTGRES_PASSWORD=s3cr…(15 chars)")
        );
        assert!(!f.message.contains("s3cr3t-Passw0rd"));
        assert!(f.fix.contains("secrets: [postgres_password]"));
    }

    #[test]
    fn token_formats_whatever_the_name() {
        let spec = run("app")
            .env(
                "DEPLOY",
                Some("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"),
                EnvFrom::Literal,
            )
            .build();
        let f = &check(&SecretEnv, &spec)[0];
        assert_eq!(f.severity, Severity::Critical);
        assert!(f.message.contains("a GitHub token (`ghp_…(40 chars)`)"));
        assert!(f.message.contains("shell history"));
        assert!(f.fix.contains("DEPLOY_FILE"));
        let aws = lit("AWS_ID", "AKIAIOSFODNN7EXAMPLE").build();
        assert_eq!(check(&SecretEnv, &aws)[0].severity, Severity::Critical);
    }

    #[test]
    fn url_credentials() {
        let spec = lit("DATABASE_URL", "postgres://app:hunter2@db:5432/app").build();
        let f = &check(&SecretEnv, &spec)[0];
        assert!(f.message.contains("`postgres://app:****@db`"));
        assert_eq!(
            f.evidence.as_deref(),
            Some("DATABASE_URL=postgres://app:****@db")
        );
        let interpolated = compose("db")
            .env(
                "DATABASE_URL",
                Some("postgres://app:hunter2@db/app"),
                EnvFrom::Literal,
            )
            .with(|s| {
                if let Some(v) = s.environment.last_mut() {
                    v.origin.written = "DATABASE_URL: postgres://app:${PW}@db/app".into();
                }
            })
            .build();
        assert!(check(&SecretEnv, &interpolated).is_empty());
    }

    #[test]
    fn defaults_are_reported_placeholders_are_not() {
        let f = &check(&SecretEnv, &lit("MYSQL_ROOT_PASSWORD", "example").build())[0];
        assert!(f.message.contains("well-known default password"));
        assert_eq!(f.evidence.as_deref(), Some("MYSQL_ROOT_PASSWORD=****"));
        for v in [
            "<your-password>",
            "xxx",
            "***",
            "{{ .Password }}",
            "yes",
            "true",
            "",
        ] {
            assert!(
                check(&SecretEnv, &lit("DB_PASSWORD", v).build()).is_empty(),
                "{v}"
            );
        }
    }

    /// mailcow-dockerized: `MAILCOW_PASS_SCHEME=${…:-BLF-CRYPT}`, `API_KEY=${API_KEY:-invalid}`
    /// were 5 of its 7 RS031 findings; settings of a secret and "not set" words are not
    /// secrets, a guessable default still is.
    #[test]
    fn settings_and_absent_values_are_not_secrets() {
        for (name, value) in [
            ("MAILCOW_PASS_SCHEME", "BLF-CRYPT"),
            ("PASSWORD_HASHER", "argon2"),
            ("SECRET_BACKEND", "vault"),
            ("API_KEY", "invalid"),
            ("API_KEY_READ_ONLY", "invalid"),
        ] {
            let spec = compose("mailcow")
                .env(name, Some(value), EnvFrom::Literal)
                .with(|s| {
                    if let Some(v) = s.environment.last_mut() {
                        v.origin.written = format!("environment: {name}=${{{name}:-{value}}}");
                    }
                })
                .build();
            assert!(check(&SecretEnv, &spec).is_empty(), "{name}={value}");
        }
        let changeme = lit("API_KEY", "changeme").build();
        assert_eq!(check(&SecretEnv, &changeme).len(), 1);
    }

    #[test]
    fn random_looking_is_critical() {
        let f = &check(&SecretEnv, &lit("API_KEY", "Zx8q2LmP9vR4tY7wK1nB").build())[0];
        assert_eq!(f.severity, Severity::Critical);
    }

    #[test]
    fn not_reported() {
        for spec in [
            lit("POSTGRES_PASSWORD_FILE", "/run/secrets/db").build(),
            lit("MYSQL_ALLOW_EMPTY_PASSWORD", "yes").build(),
            lit("POSTGRES_HOST_AUTH_METHOD", "md5").build(),
            lit("SSL_KEY", "/run/secrets/key").build(),
            lit("LOG_LEVEL", "debug").build(),
            lit("AUTH_SERVER", "https://auth.example.com").build(),
            compose("db")
                .env("DB_PASSWORD", Some("hunter22"), EnvFrom::Interpolated)
                .build(),
            compose("db")
                .env(
                    "DB_PASSWORD",
                    Some("hunter22"),
                    EnvFrom::EnvFile(".env".into()),
                )
                .build(),
            run("db").env("DB_PASSWORD", None, EnvFrom::Caller).build(),
            run("db")
                .env("DB_PASSWORD", Some("hunter22"), EnvFrom::Caller)
                .build(),
        ] {
            assert!(
                check(&SecretEnv, &spec).is_empty(),
                "{:?}",
                spec.environment
            );
        }
    }

    #[test]
    fn engine_values_are_judged() {
        let spec = container("db")
            .env("POSTGRES_PASSWORD", Some("hunter2hunter2"), EnvFrom::Engine)
            .build();
        let f = &check(&SecretEnv, &spec)[0];
        assert!(f
            .message
            .contains("stored in the container's configuration"));
        assert!(f.fix.starts_with("re-create the container"));
    }

    #[test]
    fn a_default_used_from_the_file_is_judged() {
        // `${API_KEY:-changeme}` with API_KEY unset: the mapper says Literal (the file's text).
        let spec = compose("api")
            .env("API_KEY", Some("changeme"), EnvFrom::Literal)
            .with(|s| {
                if let Some(v) = s.environment.last_mut() {
                    v.origin.written = "environment: API_KEY=${API_KEY:-changeme}".into();
                }
            })
            .build();
        let f = &check(&SecretEnv, &spec)[0];
        assert!(f.message.contains("well-known default password"));
        assert!(is_single_reference("${A:-x}"));
        assert!(is_single_reference("$A"));
        assert!(!is_single_reference("${A}x"));
        assert!(!is_single_reference("p://u:${A}@h"));
    }

    #[test]
    fn shell_variables_in_scripts_are_not_literal() {
        for v in ["$API_TOKEN", "${API_TOKEN}", "Bearer $TOKEN"] {
            let spec = run("api")
                .env("API_TOKEN", Some(v), EnvFrom::Literal)
                .build();
            assert!(check(&SecretEnv, &spec).is_empty(), "{v}");
        }
    }

    #[test]
    fn interpolation_detection() {
        assert!(has_interpolation("X: ${A}"));
        assert!(has_interpolation("X: pre$A"));
        assert!(!has_interpolation("X: a$$b"));
        assert!(!has_interpolation("X: cost $5"));
        assert!(!has_interpolation("X: $"));
    }
}
