//! How plimsoll recognises secrets: variable names that say "secret" (BuildKit's
//! `SecretsUsedInArgOrEnv` tokens and Trivy DS-0031's names as the floor, with the usual false
//! positives removed), values in known token formats, credentials embedded in URLs, and
//! high-entropy strings. Also redaction, so reports never repeat a secret.
//!
//! Shared by every stage that looks for secrets: Dockerfile `ENV`/`ARG`/`RUN` (DF007, DF049),
//! compose `environment:` and `docker run -e` (RS031), and later image configs and files.

use regex::Regex;
use std::sync::LazyLock;

/// Names Trivy DS-0031 treats as secrets outright (also with the `VITE_` / `REACT_APP_`
/// prefixes front-end bundlers expose to the browser).
const KNOWN_SECRET_NAMES: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "GITHUB_TOKEN",
    "OPENAI_API_KEY",
    "HF_TOKEN",
];

/// Name tokens that mean "this holds a secret". BuildKit's list (apikey, auth, credential(s),
/// key, password, pword, passwd, secret, token) plus common spellings.
const SECRET_TOKENS: &[&str] = &[
    "apikey",
    "auth",
    "credential",
    "credentials",
    "creds",
    "key",
    "password",
    "passwords",
    "pword",
    "passwd",
    "pass",
    "passphrase",
    "secret",
    "secrets",
    "token",
    "tokens",
    "apitoken",
    "accesskey",
    "secretkey",
    "privatekey",
    "clientsecret",
];

/// Substrings that mean "secret" even inside one unseparated token (`DBPASSWORD`).
const SECRET_SUBSTRINGS: &[&str] = &["password", "passwd", "apikey", "secretkey", "privatekey"];

/// A last name token that says the variable is *about* a secret, not the secret itself:
/// `PASSWORD_FILE`, `TOKEN_URL`, `KEY_VERSION`, `AUTH_METHOD`, `SSH_AUTH_SOCK`…
const METADATA_SUFFIXES: &[&str] = &[
    "file",
    "files",
    "path",
    "dir",
    "directory",
    "version",
    "url",
    "uri",
    "endpoint",
    "host",
    "hostname",
    "port",
    "name",
    "type",
    "mode",
    "method",
    "enabled",
    "enable",
    "disabled",
    "disable",
    "required",
    "length",
    "size",
    "sock",
    "socket",
    "timeout",
    "ttl",
    "expiry",
    "expires",
    "expiration",
    "lifetime",
    "header",
    "algorithm",
    "alg",
    "format",
    "location",
    "server",
    "realm",
    "scope",
    "scopes",
    "issuer",
    "audience",
    "provider",
    "prefix",
    "field",
    "policy",
    "rotation",
    // How a secret is made, checked or kept — a setting, not the secret (mailcow's
    // `MAILCOW_PASS_SCHEME=BLF-CRYPT`, Django's `PASSWORD_HASHER`, `SECRET_BACKEND=vault`).
    // gitleaks' generic-api-key allow-list has the same kind of words (`key_length`,
    // `secret_name`, `key_storetype`, `token_endpoint`).
    "scheme",
    "schemes",
    "hasher",
    "hashers",
    "hashing",
    "encryption",
    "cipher",
    "ciphers",
    "backend",
    "backends",
    "driver",
    "engine",
    "store",
    "storetype",
    "manager",
    "strategy",
    "kind",
    "class",
    "rounds",
    "iterations",
    "cost",
    "complexity",
    "strength",
    "pattern",
    "regex",
    "age",
    "min",
    "max",
    "count",
    "limit",
    "interval",
    "retries",
    "attempts",
    "addr",
    "address",
];

/// Tokens anywhere in the name that make it public by nature (BuildKit allows `public`).
const PUBLIC_TOKENS: &[&str] = &["public", "pub"];

/// Splits a variable name into lower-case tokens on `_`, `-`, `.` and camelCase boundaries.
pub fn name_tokens(name: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c == '_' || c == '-' || c == '.' {
            if !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            tokens.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    tokens
}

/// Why a variable name looks like it holds a secret (the matching token), or `None`.
pub fn secret_name(name: &str) -> Option<String> {
    let upper = name.to_ascii_uppercase();
    let unprefixed = upper
        .strip_prefix("VITE_")
        .or_else(|| upper.strip_prefix("REACT_APP_"))
        .unwrap_or(&upper);
    if KNOWN_SECRET_NAMES.contains(&unprefixed) {
        return Some(name.to_string());
    }
    let tokens = name_tokens(name);
    let last = tokens.last()?;
    // GPG_KEY / GPG_KEYS / NODE_GPG_KEYS: public key fingerprints (Dockle's allow-list).
    if tokens.iter().any(|t| t == "gpg" || t == "pgp")
        && matches!(
            last.as_str(),
            "key" | "keys" | "fingerprint" | "fingerprints" | "keyid"
        )
    {
        return None;
    }
    if tokens.iter().any(|t| PUBLIC_TOKENS.contains(&t.as_str())) {
        return None;
    }
    if METADATA_SUFFIXES.contains(&last.as_str()) {
        return None;
    }
    // `PWD` alone is the working directory; `DB_PWD` is a password.
    if tokens.len() > 1 && last == "pwd" {
        return Some("pwd".to_string());
    }
    if let Some(t) = tokens.iter().find(|t| SECRET_TOKENS.contains(&t.as_str())) {
        return Some(t.clone());
    }
    tokens.iter().find_map(|t| {
        SECRET_SUBSTRINGS
            .iter()
            .find(|s| t.contains(*s))
            .map(|s| s.to_string())
    })
}

/// HTTP headers that carry a credential although [`secret_name`] sees no secret word in them
/// (`Authorization: Bearer …`, `Proxy-Authorization: Basic …`).
pub fn is_auth_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("authorization") || name.eq_ignore_ascii_case("proxy-authorization")
}

/// Names whose value is the *path* of a credentials file (Trivy DS-0031's list, plus the
/// AWS/Kubernetes equivalents).
pub const SECRET_FILE_ENVS: &[&str] = &[
    "GOOGLE_APPLICATION_CREDENTIALS",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "HF_TOKEN_PATH",
    "KUBECONFIG",
    "DOCKER_CONFIG",
];

/// A recognised token format.
pub struct TokenFormat {
    pub name: &'static str,
    re: &'static TokenRe,
}

/// A token format's pattern, compiled on first use: the text is known without compiling, so the
/// combined prefilter ([`ANY_FORMAT`]) does not compile every format up front.
struct TokenRe {
    src: &'static str,
    re: LazyLock<Regex>,
}

impl TokenRe {
    fn as_str(&self) -> &'static str {
        self.src
    }
}

impl std::ops::Deref for TokenRe {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        &self.re
    }
}

macro_rules! token_re {
    ($id:ident, $re:expr) => {
        static $id: TokenRe = TokenRe {
            src: $re,
            re: LazyLock::new(|| Regex::new($re).expect("token regex is valid")),
        };
    };
}

token_re!(AWS_KEY_ID, r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b");
token_re!(
    GITHUB,
    r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b"
);
token_re!(GITLAB, r"\bglpat-[A-Za-z0-9_\-]{20,}");
token_re!(SLACK, r"\bxox[abposr]-[A-Za-z0-9\-]{10,}");
token_re!(
    SLACK_HOOK,
    r"https://hooks\.slack\.com/services/[A-Za-z0-9+/]{20,}"
);
token_re!(GOOGLE_API, r"\bAIza[0-9A-Za-z_\-]{35}\b");
token_re!(STRIPE, r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}\b");
token_re!(
    OPENAI,
    r"\bsk-(?:proj-|ant-(?:api\d{2}-)?)?[A-Za-z0-9_\-]{32,}"
);
token_re!(NPM, r"\bnpm_[A-Za-z0-9]{36}\b");
token_re!(PYPI, r"\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,}");
token_re!(HUGGINGFACE, r"\bhf_[A-Za-z0-9]{30,}\b");
token_re!(DOCKERHUB, r"\bdckr_pat_[A-Za-z0-9_\-]{20,}");
token_re!(SENDGRID, r"\bSG\.[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,}");
token_re!(PRIVATE_KEY, r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----");
token_re!(
    JWT,
    r"\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}"
);
token_re!(AZURE_STORAGE, r"AccountKey=[A-Za-z0-9+/]{40,}={0,2}");

static FORMATS: [TokenFormat; 16] = [
    TokenFormat {
        name: "an AWS access key ID",
        re: &AWS_KEY_ID,
    },
    TokenFormat {
        name: "a GitHub token",
        re: &GITHUB,
    },
    TokenFormat {
        name: "a GitLab personal access token",
        re: &GITLAB,
    },
    TokenFormat {
        name: "a Slack token",
        re: &SLACK,
    },
    TokenFormat {
        name: "a Slack webhook URL",
        re: &SLACK_HOOK,
    },
    TokenFormat {
        name: "a Google API key",
        re: &GOOGLE_API,
    },
    TokenFormat {
        name: "a Stripe secret key",
        re: &STRIPE,
    },
    TokenFormat {
        name: "an OpenAI/Anthropic API key",
        re: &OPENAI,
    },
    TokenFormat {
        name: "an npm access token",
        re: &NPM,
    },
    TokenFormat {
        name: "a PyPI API token",
        re: &PYPI,
    },
    TokenFormat {
        name: "a Hugging Face token",
        re: &HUGGINGFACE,
    },
    TokenFormat {
        name: "a Docker Hub access token",
        re: &DOCKERHUB,
    },
    TokenFormat {
        name: "a SendGrid API key",
        re: &SENDGRID,
    },
    TokenFormat {
        name: "a private key",
        re: &PRIVATE_KEY,
    },
    TokenFormat {
        name: "a JSON Web Token",
        re: &JWT,
    },
    TokenFormat {
        name: "an Azure storage account key",
        re: &AZURE_STORAGE,
    },
];

/// Every token format at once, as one alternation: whether a text holds any token at all is
/// one search (with a literal prefilter, as every format starts with a fixed prefix), so the
/// per-format searches only run for the rare text that does.
static ANY_FORMAT: LazyLock<Regex> = LazyLock::new(|| {
    let alternation: Vec<String> = FORMATS
        .iter()
        .map(|f| format!("(?:{})", f.re.as_str()))
        .collect();
    Regex::new(&alternation.join("|")).expect("token regexes are valid")
});

/// The fewest bytes any token format can match: shorter texts (most words of a command line)
/// hold no token, and are ruled out without a regex search.
static MIN_FORMAT_LEN: LazyLock<usize> = LazyLock::new(|| {
    FORMATS
        .iter()
        .map(|f| {
            regex_syntax::parse(f.re.as_str())
                .ok()
                .and_then(|hir| hir.properties().minimum_len())
                .unwrap_or(0)
        })
        .min()
        .unwrap_or(0)
});

/// The formats of [`FORMATS`] to search `text` for: none when no format matches anywhere in it
/// (almost always), else all of them in order (each search then says where, if at all).
fn formats_in(text: &str) -> &'static [TokenFormat] {
    if text.len() >= *MIN_FORMAT_LEN && ANY_FORMAT.is_match(text) {
        &FORMATS
    } else {
        &[]
    }
}

/// Whether `text` contains `://`: a byte scan, cheaper than `str::contains` on the short
/// texts (single words) it is mostly asked about.
pub fn has_scheme_separator(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() < LONG_TEXT {
        return b
            .windows(3)
            .any(|w| w[0] == b':' && w[1] == b'/' && w[2] == b'/');
    }
    memchr::memchr_iter(b':', b).any(|k| b.get(k + 1..k + 3) == Some(b"//"))
}

/// From this length on a text is searched with `memchr`'s vectorised search, which costs more
/// to start than a plain byte loop over a short word.
const LONG_TEXT: usize = 64;

/// Whether `hay` contains any of `needles` (ASCII words), ignoring ASCII case.
pub fn contains_any_ignore_ascii_case(hay: &str, needles: &[&str]) -> bool {
    let h = hay.as_bytes();
    needles.iter().any(|n| {
        let n = n.as_bytes();
        let Some(&first) = n.first() else {
            return true;
        };
        if h.len() < n.len() {
            return false;
        }
        let at = |k: usize| {
            h.get(k..k + n.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(n))
        };
        let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
        if h.len() < LONG_TEXT {
            (0..=h.len() - n.len()).any(|k| (h[k] == lower || h[k] == upper) && at(k))
        } else {
            // Where the first letter is, in either case, compare the rest.
            memchr::memchr2_iter(lower, upper, h).any(at)
        }
    })
}

/// The first known token format found in a value: its description and the matched text.
pub fn known_token(value: &str) -> Option<(&'static str, String)> {
    formats_in(value)
        .iter()
        .find_map(|f| f.re.find(value).map(|m| (f.name, m.as_str().to_string())))
}

static URL_CREDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([a-zA-Z][a-zA-Z0-9+.\-]*)://([^/\s:@]+):([^/\s@]+)@([^/\s@:]+)")
        .expect("url regex is valid")
});

/// Credentials embedded in a URL (`https://user:pass@host`) whose password is a literal (not
/// a `$VAR`): returns the URL with the password masked.
pub fn url_credentials(value: &str) -> Option<String> {
    URL_CREDS.captures_iter(value).find_map(|c| {
        let password = c.get(3)?.as_str();
        if password.contains('$') || password.is_empty() || is_placeholder(password) {
            return None;
        }
        Some(format!(
            "{}://{}:****@{}",
            c.get(1)?.as_str(),
            c.get(2)?.as_str(),
            c.get(4)?.as_str()
        ))
    })
}

/// Every known-format token in a text: (format description, byte range), in text order, with
/// overlapping matches of later formats dropped (so a Slack webhook URL is reported once).
pub fn known_token_matches(text: &str) -> Vec<(&'static str, std::ops::Range<usize>)> {
    let mut out: Vec<(&'static str, std::ops::Range<usize>)> = Vec::new();
    for f in formats_in(text) {
        for m in f.re.find_iter(text) {
            let r = m.range();
            if !out.iter().any(|(_, o)| o.start < r.end && r.start < o.end) {
                out.push((f.name, r));
            }
        }
    }
    out.sort_by_key(|(_, r)| r.start);
    out
}

static URL_USERINFO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([a-zA-Z][a-zA-Z0-9+\-]*)://([^/\s:@]*)(?::([^/\s@]*))?@([^/\s@:]+)")
        .expect("url userinfo regex is valid")
});

/// The user information of a URL (`scheme://user[:password]@host`), with byte ranges into
/// the text it was found in so callers can judge and locate the secret part themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlUserinfo {
    pub scheme: String,
    pub user: String,
    pub user_range: std::ops::Range<usize>,
    /// `None` for `scheme://user@host` (a token is often passed as the user name).
    pub password: Option<String>,
    pub password_range: Option<std::ops::Range<usize>>,
    pub host: String,
}

impl UrlUserinfo {
    /// `https://user:****@host` (or `https://****@host` when the user is the secret).
    pub fn masked(&self, user_is_secret: bool) -> String {
        match (&self.password, user_is_secret) {
            (Some(_), _) => format!("{}://{}:****@{}", self.scheme, self.user, self.host),
            (None, true) => format!("{}://****@{}", self.scheme, self.host),
            (None, false) => format!("{}://{}@{}", self.scheme, self.user, self.host),
        }
    }
}

/// Every URL with user information in a text, unjudged (variables and placeholders
/// included): see [`url_credentials`] for the judged, masked form.
pub fn url_userinfo(text: &str) -> Vec<UrlUserinfo> {
    // The pattern needs a literal `://`: most texts have none, and this test is cheaper than
    // starting a regex search.
    if !has_scheme_separator(text) {
        return Vec::new();
    }
    URL_USERINFO
        .captures_iter(text)
        .filter_map(|c| {
            let (scheme, user, host) = (c.get(1)?, c.get(2)?, c.get(4)?);
            Some(UrlUserinfo {
                scheme: scheme.as_str().to_string(),
                user: user.as_str().to_string(),
                user_range: user.range(),
                password: c.get(3).map(|p| p.as_str().to_string()),
                password_range: c.get(3).map(|p| p.range()),
                host: host.as_str().to_string(),
            })
        })
        .collect()
}

/// Shannon entropy in bits per character.
pub fn entropy(s: &str) -> f64 {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() {
        return 0.0;
    }
    let mut counts: std::collections::HashMap<char, usize> = std::collections::HashMap::new();
    for c in &chars {
        *counts.entry(*c).or_default() += 1;
    }
    let n = chars.len() as f64;
    counts
        .values()
        .map(|&k| {
            let p = k as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// A long, random-looking string: at least 16 characters without spaces and ≥ 3.5 bits of
/// entropy per character (random hex reaches ~3.7–4, base64 ~5–6, words ~2.5–3.3).
pub fn is_high_entropy(s: &str) -> bool {
    let s = s.trim();
    s.chars().count() >= 16 && !s.contains(char::is_whitespace) && entropy(s) >= 3.5
}

/// Words that say a value is *absent* (`API_KEY=${API_KEY:-invalid}` is mailcow's "no API key
/// configured"), as opposed to a guessable default such as `changeme`, which is a real password
/// people deploy unchanged and stays reported.
const ABSENT_VALUES: &[&str] = &[
    "invalid",
    "unset",
    "undefined",
    "empty",
    "blank",
    "placeholder",
    "redacted",
    "tbd",
    "todo",
    "n/a",
    "-",
];

/// Values that name a hashing or encryption scheme: the setting of a secret, not the secret
/// (`PASSWORD_ENCRYPTION=scram-sha-256`, `PASS_SCHEME=BLF-CRYPT`).
const SCHEME_VALUES: &[&str] = &[
    "md5",
    "scram-sha-256",
    "bcrypt",
    "blf-crypt",
    "argon2",
    "argon2i",
    "argon2d",
    "argon2id",
    "scrypt",
    "pbkdf2",
    "pbkdf2_sha256",
    "sha256",
    "sha512",
    "sha256-crypt",
    "sha512-crypt",
    "ssha",
    "ssha256",
    "ssha512",
];

/// Values that carry no secret: booleans, switches, `none`, words that say the value is absent,
/// names of hashing schemes, obvious placeholders. Guessable defaults (`changeme`, `admin`)
/// are *not* trivial: they are credentials that work.
pub fn is_trivial(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    matches!(
        v.as_str(),
        "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "0"
            | "1"
            | "y"
            | "n"
            | "none"
            | "null"
            | "nil"
            | "enabled"
            | "disabled"
            | "enable"
            | "disable"
            | "required"
            | "optional"
            | "trust"
    ) || ABSENT_VALUES.contains(&v.as_str())
        || SCHEME_VALUES.contains(&v.as_str())
        || is_placeholder(&v)
}

/// `<token>`, `${…}`-free templates like `{{ .Token }}`, `xxx`, `***`, `...`.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with("{{") && v.ends_with("}}"))
        || (!v.is_empty()
            && v.chars()
                .all(|c| matches!(c, 'x' | 'X' | '*' | '.' | '-' | '_')))
}

/// A file-system path or plain URL (no credentials): the variable points at a secret rather
/// than holding it.
pub fn is_path_or_url(value: &str) -> bool {
    let v = value.trim();
    v.starts_with('/')
        || v.starts_with("./")
        || v.starts_with("../")
        || v.starts_with("~/")
        || (v.len() > 2 && v.as_bytes()[1] == b':' && v.as_bytes()[2] == b'\\')
        || (v.contains("://") && url_credentials(v).is_none() && !v.contains('@'))
}

/// How many leading characters of a secret `len` characters long may be shown: its first
/// four (a token format's prefix, `ghp_`) when it is longer than eight, else none.
pub fn visible_head(len: usize) -> usize {
    if len <= 8 {
        0
    } else {
        4
    }
}

/// Shows that a value is set without repeating it: `ghp_…(40 chars)`, `****`.
pub fn redact(value: &str) -> String {
    let n = value.chars().count();
    let shown = visible_head(n);
    if shown == 0 {
        return "****".to_string();
    }
    let head: String = value.chars().take(shown).collect();
    format!("{head}…({n} chars)")
}

/// Whether a value is already in [`redact`]'s long form (`supe…(11 chars)`: at most eight
/// characters of head, then the length), so a later pass need not hide it again.
pub fn is_redacted(value: &str) -> bool {
    value.split_once("…(").is_some_and(|(head, tail)| {
        let digits = tail.trim_end_matches(" chars)");
        head.chars().count() <= 8
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for yes in [
            "AWS_SECRET_ACCESS_KEY",
            "GITHUB_TOKEN",
            "db_password",
            "apiKey",
            "NPM_AUTH_TOKEN",
            "DBPASSWORD",
            "DB_PWD",
            "VITE_OPENAI_API_KEY",
            "AZURE_CLIENT_ID",
            "SECRET",
            "APIKEY",
        ] {
            assert!(secret_name(yes).is_some(), "{yes}");
        }
        for no in [
            "PASSWORD_FILE",
            "GPG_KEY",
            "GPG_KEYS",
            "NODE_GPG_KEYS",
            "PUBLIC_KEY",
            "TOKEN_URL",
            "SSH_AUTH_SOCK",
            "POSTGRES_HOST_AUTH_METHOD",
            "KEYCLOAK_VERSION",
            "PWD",
            "TOKENIZERS_PARALLELISM",
            "NODE_VERSION",
            "PATH",
            "MONKEY",
        ] {
            assert!(secret_name(no).is_none(), "{no}");
        }
    }

    /// Names and values that describe how a secret is made or kept are settings, not secrets
    /// (5 of 7 RS031 findings in mailcow-dockerized were such); guessable defaults are still
    /// secrets.
    #[test]
    fn settings_of_a_secret_are_not_secrets() {
        for setting in [
            "MAILCOW_PASS_SCHEME",
            "PASSWORD_HASHER",
            "SECRET_BACKEND",
            "PASSWORD_ENCRYPTION",
            "SECRET_KEY_LENGTH",
            "PASSWORD_MIN",
            "TOKEN_MAX_AGE",
            "VAULT_TOKEN_RENEWAL_INTERVAL",
            "SECRET_STORE",
        ] {
            assert!(secret_name(setting).is_none(), "{setting}");
        }
        for secret in [
            "SECRET_KEY",
            "PASSWORD_HASH",
            "ADMIN_PASS",
            "SECRET_BACKEND_TOKEN",
            "DB_PASSWORD",
        ] {
            assert!(secret_name(secret).is_some(), "{secret}");
        }
        for absent in [
            "invalid",
            "INVALID",
            "unset",
            "n/a",
            "BLF-CRYPT",
            "argon2id",
        ] {
            assert!(is_trivial(absent), "{absent}");
        }
        for credential in [
            "changeme",
            "admin",
            "password",
            "s3cr3t",
            "invalid-but-long-xyz",
        ] {
            assert!(!is_trivial(credential), "{credential}");
        }
    }

    #[test]
    fn redacted_values_are_recognised() {
        let long = redact("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789");
        assert!(is_redacted(&long), "{long}");
        assert!(is_redacted("supe…(11 chars)"));
        assert!(!is_redacted("hunter22"));
        assert!(!is_redacted("toolongahead…(11 chars)"));
    }

    #[test]
    fn values() {
        assert!(known_token("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789").is_some());
        assert!(known_token("AKIAIOSFODNN7EXAMPLE").is_some());
        assert!(known_token("-----BEGIN OPENSSH PRIVATE KEY-----").is_some());
        assert!(known_token("hello world").is_none());
        assert_eq!(
            url_credentials("https://bob:hunter2@git.example.com/x.git").as_deref(),
            Some("https://bob:****@git.example.com")
        );
        assert!(url_credentials("https://bob:${PASS}@git.example.com").is_none());
        assert!(url_credentials("https://git.example.com").is_none());
        assert!(is_high_entropy("Zx8q2LmP9vR4tY7wK1nB"));
        assert!(!is_high_entropy("changeme"));
        assert!(!is_high_entropy("correct horse battery staple"));
        assert!(is_trivial("yes"));
        assert!(is_trivial("<your-token>"));
        assert!(is_path_or_url("/run/secrets/db"));
        assert!(is_path_or_url("https://auth.example.com/token"));
        assert_eq!(redact("hunter2"), "****");
        assert_eq!(redact("ghp_0123456789"), "ghp_…(14 chars)");
    }

    #[test]
    fn shortest_token_is_not_skipped() {
        // The Slack format is the shortest (`xoxb-` and ten characters): the length filter
        // must let it through, and the separate searches must still find each format.
        assert_eq!(*MIN_FORMAT_LEN, 15);
        assert!(known_token("xoxb-0123456789").is_some());
        assert!(known_token("xoxb-012345678").is_none());
        let m = known_token_matches("a xoxb-0123456789 and AKIAIOSFODNN7EXAMPLE");
        assert_eq!(m.len(), 2);
        assert!(has_scheme_separator("https://x") && !has_scheme_separator("https:/x"));
        assert!(has_scheme_separator("://") && !has_scheme_separator(":/"));
        let long = format!("{}://", "x".repeat(80));
        assert!(has_scheme_separator(&long) && !has_scheme_separator(&long[..82]));
        let long = format!("{}Password", "x".repeat(80));
        assert!(contains_any_ignore_ascii_case(&long, &["password"]));
        assert!(!contains_any_ignore_ascii_case(&long[..87], &["password"]));
        let keys = ["password", "identified"];
        assert!(contains_any_ignore_ascii_case("x PassWord y", &keys));
        assert!(contains_any_ignore_ascii_case("IDENTIFIED", &keys));
        assert!(contains_any_ignore_ascii_case("password", &keys));
        assert!(!contains_any_ignore_ascii_case("passwor identifie", &keys));
        assert!(!contains_any_ignore_ascii_case("", &keys));
        assert!(!contains_any_ignore_ascii_case(
            "0assword @dentified",
            &keys
        ));
        assert!(contains_any_ignore_ascii_case("xx pAsSwOrD", &keys));
    }
}
