//! How bad a literal value found in a RUN or LABEL is: a known token format or a
//! random-looking string (critical), some other literal (high), a well-known default password
//! (low), or nothing at all — template placeholders, variable references, booleans — which
//! cannot be a real credential and never fire.

use crate::analysis::variables::has_var_ref;
use crate::rules::secrets::{is_digest_word, patterns};
use plimsoll_core::Severity;

/// What a literal value is, judged on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grade {
    /// Matches a known token format (the format's description).
    Token(&'static str),
    /// Random-looking (≥ 16 characters, high entropy); `long` from 32 characters on, the
    /// length of machine-generated keys rather than passwords people choose.
    Random { long: bool },
    /// Some other literal.
    Plain,
    /// A well-known default password (`changeme`, `admin`, `root`…), or a password equal to
    /// its user name: still a credential anyone reading the Dockerfile can use.
    Default,
}

impl Grade {
    pub fn severity(self) -> Severity {
        match self {
            Grade::Token(_) | Grade::Random { long: true } => Severity::Critical,
            Grade::Random { long: false } | Grade::Plain => Severity::High,
            Grade::Default => Severity::Low,
        }
    }

    /// What to say about the value after its redacted form.
    pub fn note(self) -> String {
        match self {
            Grade::Token(f) => format!(", what looks like {f}"),
            // Short strings all look random to an entropy measure: only say so for long ones.
            Grade::Random { long: true } => ", a long random-looking value".to_string(),
            Grade::Random { long: false } | Grade::Plain => String::new(),
            Grade::Default => {
                ", a well-known default password, still usable by anyone who reads the \
                 Dockerfile"
                    .to_string()
            }
        }
    }
}

/// Passwords that ship as defaults or are typed as stand-ins (compared lower-case).
const DEFAULT_PASSWORDS: &[&str] = &[
    "password",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "password1",
    "password123",
    "pass",
    "pass123",
    "passwd",
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "secret",
    "secret123",
    "admin",
    "admin123",
    "administrator",
    "root",
    "toor",
    "test",
    "test123",
    "testing",
    "default",
    "guest",
    "demo",
    "example",
    "foo",
    "bar",
    "foobar",
    "user",
    "qwerty",
    "letmein",
    "1234",
    "12345",
    "123456",
    "12345678",
    "123456789",
    "postgres",
    "mysql",
    "oracle",
    "redis",
    "rabbitmq",
    "sa",
];

/// Judges a literal value; `None` when it cannot be a real credential.
pub fn of(value: &str) -> Option<Grade> {
    let v = value.trim();
    if v.is_empty() || is_var_like(v) {
        return None;
    }
    if let Some((format, matched)) = patterns::known_token(v) {
        // AWS's documentation keys (`AKIAIOSFODNN7EXAMPLE`) are published on purpose.
        if matched.contains("EXAMPLE") {
            return None;
        }
        return Some(Grade::Token(format));
    }
    if is_template(v) || patterns::is_trivial(v) {
        return None;
    }
    if is_default_password(v) {
        return Some(Grade::Default);
    }
    if patterns::is_high_entropy(v) {
        return Some(random(v));
    }
    Some(Grade::Plain)
}

/// The grade of a random-looking value of this length.
pub fn random(v: &str) -> Grade {
    Grade::Random {
        long: v.chars().count() >= 32,
    }
}

/// Judges a password given together with its user name: the same word twice is a default.
pub fn of_pair(user: &str, password: &str) -> Option<Grade> {
    // Anonymous FTP: by convention any password (often an e-mail address) is accepted.
    if matches!(
        user.trim().to_ascii_lowercase().as_str(),
        "anonymous" | "anon" | "ftp"
    ) {
        return None;
    }
    let grade = of(password)?;
    if grade == Grade::Plain && user.trim().eq_ignore_ascii_case(password.trim()) {
        return Some(Grade::Default);
    }
    Some(grade)
}

/// Judges a secret with its user name when one was given with it ([`of_pair`]), alone otherwise.
pub fn of_maybe_pair(user: Option<&str>, secret: &str) -> Option<Grade> {
    match user {
        Some(u) => of_pair(u, secret),
        None => of(secret),
    }
}

/// `$VAR`, `${VAR}`, `$(…)`, backticks, `%VAR%` (cmd.exe): filled in when the build runs, so
/// the Dockerfile does not hold the value.
pub fn is_var_like(v: &str) -> bool {
    has_var_ref(v)
        || v.contains("$(")
        || v.contains('`')
        || (v.len() > 2 && v.starts_with('%') && v.ends_with('%'))
}

/// Template stand-ins that are replaced before use and cannot authenticate anything:
/// `<password>`, `{{ .Token }}`, `{password}`, `[token]`, `%s`, `__PASSWORD__`, `@TOKEN@`,
/// `xxx`, `***`, `...`, `YOUR_TOKEN`, `your-password-here`, `REPLACE_ME`, `TODO`, `REDACTED`.
pub fn is_template(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    patterns::is_placeholder(v)
        || (v.starts_with('{') && v.ends_with('}'))
        || (v.starts_with('[') && v.ends_with(']'))
        || (v.len() > 4 && v.starts_with("__") && v.ends_with("__"))
        || (v.len() > 2 && v.starts_with('@') && v.ends_with('@'))
        || lower.contains("%s")
        || lower.contains("%(")
        || lower.starts_with("your")
        || lower.ends_with("_here")
        || lower.ends_with("-here")
        || lower.contains("replace_me")
        || lower.contains("replace-me")
        || lower.contains("replaceme")
        || matches!(
            lower.as_str(),
            "todo" | "tbd" | "redacted" | "hidden" | "masked"
        )
        // Values that say they are not secret: `SECRET_KEY_BASE=dummy rails assets:precompile`.
        || ["dummy", "placeholder", "fake", "notasecret", "not-a-secret", "not_a_secret"]
            .iter()
            .any(|w| lower.contains(w))
}

/// A well-known default password.
pub fn is_default_password(v: &str) -> bool {
    DEFAULT_PASSWORDS.contains(&v.trim().to_ascii_lowercase().as_str())
}

/// How closely a name must say "secret".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// A variable name: any secret word in it counts (DF007's reading).
    Variable,
    /// A LABEL key or a key in a configuration file, where dotted namespaces put ordinary
    /// words like `key` in the middle (`org.valid-key.label3`): the last word must be the
    /// secret one.
    Key,
}

/// Judges `NAME=value` (a shell assignment, a line written to a configuration file, a
/// LABEL): `None` unless the name says it holds a secret and the value is a literal
/// credential. `gpg_context`: the RUN also runs `gpg`/`apt-key`, so a hexadecimal value in a
/// `key` variable is a key fingerprint.
pub fn of_named(name: &str, value: &str, naming: Naming, gpg_context: bool) -> Option<Grade> {
    patterns::secret_name(name)?;
    let v = value.trim();
    // For keys, judge the last dotted segment: `com.example.api-key` → `api-key`.
    let leaf = match naming {
        Naming::Variable => name,
        Naming::Key => name.rsplit('.').next().unwrap_or(name),
    };
    let tokens = patterns::name_tokens(leaf);
    let last = tokens.last()?;
    if naming == Naming::Key
        && (patterns::secret_name(leaf).is_none() || patterns::secret_name(last).is_none())
    {
        return None;
    }
    // `KEY_SHA512`, `TOKEN_CHECKSUM`: the digest of a (public) file, not a secret.
    if is_digest_word(last) {
        return None;
    }
    if patterns::SECRET_FILE_ENVS.contains(&name.to_ascii_uppercase().as_str())
        || v.contains("://")
        || patterns::is_path_or_url(v)
    {
        return None;
    }
    // A short number is a count, size, port or id (`MAX_TOKENS=4096`, `TOKEN_TTL=300`)
    // unless the name ends in a password word (`DB_PASSWORD=1234`).
    let password_word = matches!(
        last.as_str(),
        "password" | "passwd" | "pass" | "pwd" | "pin" | "passphrase"
    );
    if v.len() < 8 && v.chars().all(|c| c.is_ascii_digit()) && !password_word {
        return None;
    }
    // Keys, tokens and secrets are machine-made and long; a short value under such a name is
    // an identifier (`primary_key: id`, `token_type=jwt`), not a credential.
    if !password_word && v.chars().count() < 8 {
        return None;
    }
    let about_keys = tokens
        .iter()
        .any(|t| matches!(t.as_str(), "key" | "keys" | "fingerprint" | "keyid"));
    if about_keys && gpg_context && is_key_fingerprint(v) {
        return None;
    }
    let grade = of(v)?;
    // A bare `key` or `auth` says too little: only a token-shaped value counts.
    let generic = matches!(tokens.as_slice(), [t] if matches!(t.as_str(), "key" | "keys" | "auth"));
    if generic && !matches!(grade, Grade::Token(_) | Grade::Random { .. }) {
        return None;
    }
    Some(grade)
}

/// A hexadecimal key fingerprint or key id list (`B42F6819007F00F8…`, 8/16/40 hex digits per
/// word): what `gpg --recv-keys` takes, public by nature.
pub fn is_key_fingerprint(v: &str) -> bool {
    let mut any = false;
    for w in v.split_whitespace() {
        let w = w.strip_prefix("0x").unwrap_or(w);
        if !matches!(w.len(), 8 | 16 | 40) || !w.chars().all(|c| c.is_ascii_hexdigit()) {
            return false;
        }
        any = true;
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades() {
        assert_eq!(
            of("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"),
            Some(Grade::Token("a GitHub token"))
        );
        assert_eq!(of("AKIAIOSFODNN7EXAMPLE"), None);
        assert_eq!(
            of("Zx8q2LmP9vR4tY7wK1nB"),
            Some(Grade::Random { long: false })
        );
        assert_eq!(
            of("qW3rT7yU1iO9pA5sD2fG8hJ4kL6zX0cV3bN7mQ1e"),
            Some(Grade::Random { long: true })
        );
        let var = Naming::Variable;
        assert_eq!(
            of_named("API_KEY", "abc123def456", Naming::Key, false),
            Some(Grade::Plain)
        );
        assert_eq!(of_named("MAX_TOKENS", "4096", var, false), None);
        assert_eq!(
            of_named("DB_PASSWORD", "1234", var, false),
            Some(Grade::Default)
        );
        assert_eq!(of_pair("anonymous", "me@example.com"), None);
        assert_eq!(
            of_named("KEY_SHA512", "e09f0123456789abcdef0123456789ab", var, false),
            None
        );
        assert_eq!(of_named("key", "hunter2", var, false), None);
        assert_eq!(
            of_named("DB_PASSWORD", "hunter2", var, false),
            Some(Grade::Plain)
        );
        assert_eq!(
            of_named("org.valid-key.label3", "foo", Naming::Key, false),
            None
        );
        assert_eq!(
            of_named("com.example.key", "hunter2", Naming::Key, false),
            None
        );
        assert_eq!(
            of_named("spring.datasource.password", "hunter2", Naming::Key, false),
            Some(Grade::Plain)
        );
        assert_eq!(of("hunter2"), Some(Grade::Plain));
        assert_eq!(of("changeme"), Some(Grade::Default));
        assert_eq!(of_pair("admin", "Admin"), Some(Grade::Default));
        for none in [
            "",
            "$TOKEN",
            "${TOKEN}",
            "$(cat /run/secrets/x)",
            "<password>",
            "{{ .Token }}",
            "{password}",
            "dummy",
            "precompile_placeholder",
            "***",
            "xxx",
            "YOUR_TOKEN",
            "%PASSWORD%",
            "__PASSWORD__",
            "true",
        ] {
            assert_eq!(of(none), None, "{none}");
        }
        assert!(is_key_fingerprint(
            "B42F6819007F00F88E364FD4036A9C25BF357DD4"
        ));
        assert!(!is_key_fingerprint("hunter2"));
    }
}
