//! Commands that take a credential on their command line: password and token options
//! (`docker login -p`, `mysql -pX`, `curl -u user:pass`, `sshpass -p`…), authorization
//! headers, tool configuration commands that store a credential (`npm config set
//! //host/:_authToken`, `aws configure set aws_secret_access_key`, `poetry`/`composer`/
//! `bundle config`), operands that are passwords (`htpasswd -b`, `rabbitmqctl add_user`,
//! `vault login`, `cargo login`), and literals piped into `--password-stdin`.

use super::hit::{chars, Hit, InBody, InWord};
use crate::analysis::run::commands::{Cmd, Flat};
use crate::analysis::run::instructions::Run;
use crate::rules::secrets::patterns;
use plimsoll_shell::{RedirOp, Word};

/// How the secret sits in an option's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Value {
    /// The whole value.
    Whole,
    /// After the first `:` of `user:password` (no `:` means the tool prompts).
    AfterColon,
    /// After `pass:` (OpenSSL's pass phrase syntax; `env:`/`file:` are fine).
    PassPrefix,
}

/// Options of some commands that take a credential.
struct FlagRule {
    cmds: &'static [&'static str],
    /// One of these words must be among the arguments (`login`), when not empty.
    sub: &'static [&'static str],
    /// Take the next word, `--name=value`, or `-xVALUE` for two-character options.
    flags: &'static [&'static str],
    /// Only `-xVALUE` (MySQL's `-p`: a bare `-p` prompts, the next word is the database).
    attached_only: &'static [&'static str],
    /// Only `--name=value` (MySQL's `--password`).
    equals_only: &'static [&'static str],
    value: Value,
    /// `password`, `token`, `passphrase`.
    what: &'static str,
    fix: &'static str,
    /// Values that are published defaults protecting nothing secret (`keytool -storepass
    /// changeit` on the JDK trust store).
    public_defaults: &'static [&'static str],
}

const BASE: FlagRule = FlagRule {
    cmds: &[],
    sub: &[],
    flags: &[],
    attached_only: &[],
    equals_only: &[],
    value: Value::Whole,
    what: "password",
    fix: "",
    public_defaults: &[],
};

const LOGIN_FIX: &str = "do not log in with a literal password: read it from a build secret, \
e.g. `RUN --mount=type=secret,id=registry_password docker login -u <user> --password-stdin \
<registry> < /run/secrets/registry_password` with `docker build --secret \
id=registry_password,src=<file> .`; rotate the exposed password";

const NETRC_FIX_CURL: &str = "keep credentials out of the command line: mount a netrc file as a \
build secret, e.g. `RUN --mount=type=secret,id=netrc,target=/root/.netrc curl --netrc …` with \
`docker build --secret id=netrc,src=$HOME/.netrc .`; rotate the exposed password";

const NETRC_FIX_WGET: &str = "keep credentials out of the command line: mount a netrc file as a \
build secret (wget reads ~/.netrc), e.g. `RUN --mount=type=secret,id=netrc,target=/root/.netrc \
wget …` with `docker build --secret id=netrc,src=$HOME/.netrc .`; rotate the exposed password";

const HEADER_FIX: &str = "read the token from a build secret when the command runs, e.g. \
`RUN --mount=type=secret,id=api_token,env=API_TOKEN curl -H \"Authorization: Bearer \
$API_TOKEN\" …` with `docker build --secret id=api_token,env=API_TOKEN .`; rotate the exposed \
token";

static FLAG_RULES: &[FlagRule] = &[
    FlagRule {
        cmds: &[
            "docker", "podman", "nerdctl", "buildah", "skopeo", "oras", "regctl", "crane", "helm",
            "finch",
        ],
        sub: &["login"],
        flags: &["-p", "--password"],
        fix: LOGIN_FIX,
        ..BASE
    },
    FlagRule {
        cmds: &["helm"],
        sub: &["repo"],
        flags: &["--password"],
        fix: "read the password from a build secret: `RUN --mount=type=secret,id=helm_password \
helm repo add <name> <url> --username <user> --password-stdin < /run/secrets/helm_password`; \
rotate the exposed password",
        ..BASE
    },
    FlagRule {
        cmds: &["az"],
        sub: &["login"],
        flags: &["-p", "--password"],
        fix: "do not sign in with a literal secret: use a secret mount, e.g. `RUN \
--mount=type=secret,id=azure_secret,env=AZURE_SECRET az login --service-principal -u <app-id> \
-p \"$AZURE_SECRET\" --tenant <tenant>` — or better, no sign-in during the build; rotate the \
exposed secret",
        ..BASE
    },
    FlagRule {
        cmds: &[
            "mysql",
            "mariadb",
            "mysqldump",
            "mariadb-dump",
            "mysqladmin",
            "mariadb-admin",
            "mysqlimport",
            "mysqlshow",
            "mysqlcheck",
            "mysql_upgrade",
            "mysqlpump",
        ],
        attached_only: &["-p"],
        equals_only: &["--password"],
        fix: "give the client its password in an option file mounted as a build secret: \
`RUN --mount=type=secret,id=mysql_client mysql --defaults-extra-file=/run/secrets/mysql_client …` \
(the file holds `[client]` and `password=…`) with `docker build --secret \
id=mysql_client,src=client.cnf .`; rotate the exposed password",
        ..BASE
    },
    FlagRule {
        cmds: &[
            "mongo",
            "mongosh",
            "mongodump",
            "mongorestore",
            "mongoimport",
            "mongoexport",
            "mongofiles",
            "mongostat",
            "mongotop",
        ],
        flags: &["-p", "--password"],
        fix: "read the password from a build secret: `RUN \
--mount=type=secret,id=mongo_password,env=MONGO_PASSWORD mongosh -u <user> -p \
\"$MONGO_PASSWORD\" …` with `docker build --secret id=mongo_password,env=MONGO_PASSWORD .`; \
rotate the exposed password",
        ..BASE
    },
    FlagRule {
        cmds: &["sshpass"],
        flags: &["-p"],
        fix: "use key authentication with an SSH agent mount (`RUN --mount=type=ssh …` with \
`docker build --ssh default .`), or at least read the password from a build secret: `RUN \
--mount=type=secret,id=ssh_password,env=SSHPASS sshpass -e ssh …`; rotate the exposed password",
        ..BASE
    },
    FlagRule {
        cmds: &["redis-cli"],
        flags: &["-a", "--pass"],
        fix: "read the password from a build secret: `RUN \
--mount=type=secret,id=redis_password,env=REDISCLI_AUTH redis-cli …` (redis-cli reads \
REDISCLI_AUTH); rotate the exposed password",
        ..BASE
    },
    FlagRule {
        cmds: &["keytool"],
        flags: &[
            "-storepass",
            "-keypass",
            "-srcstorepass",
            "-deststorepass",
            "-srckeypass",
            "-destkeypass",
            "-new",
        ],
        fix: "read the keystore password from a build secret: `RUN \
--mount=type=secret,id=keystore_password keytool … -storepass:file \
/run/secrets/keystore_password` (keytool accepts `:file` and `:env`); rotate the exposed \
password",
        public_defaults: &["changeit"],
        ..BASE
    },
    FlagRule {
        cmds: &["openssl"],
        flags: &["-passin", "-passout", "-pass", "-password"],
        value: Value::PassPrefix,
        what: "passphrase",
        fix: "read the passphrase from a build secret: `RUN \
--mount=type=secret,id=key_passphrase openssl … -passin file:/run/secrets/key_passphrase`; \
rotate the exposed passphrase",
        ..BASE
    },
    FlagRule {
        cmds: &["gpg", "gpg2"],
        flags: &["--passphrase"],
        what: "passphrase",
        fix: "read the passphrase from a build secret: `RUN \
--mount=type=secret,id=gpg_passphrase gpg --batch --pinentry-mode loopback --passphrase-file \
/run/secrets/gpg_passphrase …`; rotate the exposed passphrase",
        ..BASE
    },
    FlagRule {
        cmds: &["svn"],
        flags: &["--password"],
        fix: "read the password from a build secret: `RUN \
--mount=type=secret,id=svn_password,env=SVN_PASSWORD svn … --password \"$SVN_PASSWORD\"`; \
rotate the exposed password",
        ..BASE
    },
    FlagRule {
        cmds: &[
            "ldapadd",
            "ldapmodify",
            "ldapsearch",
            "ldapdelete",
            "ldappasswd",
            "ldapwhoami",
            "ldapcompare",
            "ldapmodrdn",
        ],
        flags: &["-w"],
        fix: "read the bind password from a build secret: `RUN \
--mount=type=secret,id=ldap_password ldapadd … -y /run/secrets/ldap_password` (`-y` reads it \
from a file); rotate the exposed password",
        ..BASE
    },
    FlagRule {
        cmds: &["sqlcmd"],
        flags: &["-P"],
        fix: "read the password from a build secret: `RUN \
--mount=type=secret,id=sql_password,env=SQLCMDPASSWORD sqlcmd -S <server> -U <user> …` (sqlcmd \
reads SQLCMDPASSWORD); rotate the exposed password",
        ..BASE
    },
    FlagRule {
        cmds: &["twine"],
        flags: &["-p", "--password"],
        fix: "read the token from a build secret: `RUN \
--mount=type=secret,id=pypi_token,env=TWINE_PASSWORD twine upload …` (twine reads \
TWINE_PASSWORD); rotate the exposed token",
        ..BASE
    },
    FlagRule {
        cmds: &["dotnet"],
        sub: &["nuget"],
        flags: &["-p", "--password"],
        fix: "mount the NuGet configuration as a build secret: `RUN \
--mount=type=secret,id=nuget_config,target=/root/.nuget/NuGet/NuGet.Config dotnet restore` \
with `docker build --secret id=nuget_config,src=NuGet.Config .`; rotate the exposed password",
        ..BASE
    },
    FlagRule {
        cmds: &["kubectl"],
        sub: &["set-credentials"],
        flags: &["--token", "--password"],
        what: "credential",
        fix: "do not write cluster credentials into the image: mount a kubeconfig for the RUN \
that needs it, `RUN --mount=type=secret,id=kubeconfig,target=/root/.kube/config kubectl …`; \
rotate the exposed credential",
        ..BASE
    },
    FlagRule {
        cmds: &["wget"],
        flags: &[
            "--password",
            "--http-password",
            "--ftp-password",
            "--proxy-password",
        ],
        fix: NETRC_FIX_WGET,
        ..BASE
    },
    FlagRule {
        cmds: &["curl"],
        flags: &["-u", "--user", "-U", "--proxy-user"],
        value: Value::AfterColon,
        fix: NETRC_FIX_CURL,
        ..BASE
    },
    FlagRule {
        cmds: &["curl"],
        flags: &["--oauth2-bearer"],
        what: "token",
        fix: HEADER_FIX,
        ..BASE
    },
    FlagRule {
        cmds: &["curl"],
        flags: &["--pass", "--proxy-pass"],
        what: "passphrase",
        fix: "read the key passphrase from a build secret: `RUN \
--mount=type=secret,id=key_passphrase,env=KEY_PASSPHRASE curl --pass \"$KEY_PASSPHRASE\" …`; \
rotate the exposed passphrase",
        ..BASE
    },
];

/// Every credential passed on a command line of the RUN.
pub fn scan(run: &Run<'_>, flat: &Flat<'_>, out: &mut Vec<Hit>) {
    for c in &flat.cmds {
        let Some(name) = c.name() else { continue };
        for rule in FLAG_RULES.iter().filter(|r| r.cmds.contains(&name)) {
            flag_rule(run, c, name, rule, out);
        }
        match name {
            "curl" => headers(run, c, &["-H", "--header", "--proxy-header"], out),
            "wget" => headers(run, c, &["--header"], out),
            "git" => git(run, c, out),
            "npm" | "pnpm" | "yarn" => npm_config(run, c, name, out),
            "aws" => aws_configure(run, c, out),
            "poetry" | "composer" | "bundle" | "bundler" => tool_config(run, c, name, out),
            "htpasswd" => htpasswd(run, c, out),
            "rabbitmqctl" => rabbitmqctl(run, c, out),
            "vault" | "cargo" => login_operand(run, c, name, out),
            _ => {}
        }
        stdin_password(run, flat, c, name, out);
    }
}

/// `(option as named, word holding the value, first character of the value)` for every
/// option of `flags`/`attached_only`/`equals_only` in `args`.
fn option_values<'w>(
    args: &'w [Word],
    flags: &[&str],
    attached_only: &[&str],
    equals_only: &[&str],
) -> Vec<(String, &'w Word, usize)> {
    let mut out = Vec::new();
    let mut k = 0;
    while let Some(w) = args.get(k) {
        let t = w.text.as_str();
        k += 1;
        if t == "--" {
            break;
        }
        if !t.starts_with('-') || t == "-" {
            continue;
        }
        if flags.contains(&t) {
            if let Some(v) = args.get(k) {
                // `-p -` (stdin) or another option: no literal here.
                if !v.text.starts_with('-') {
                    out.push((t.to_string(), v, 0));
                }
                k += 1;
            }
            continue;
        }
        if let Some((name, _)) = t.split_once('=') {
            if name.starts_with("--") && (flags.contains(&name) || equals_only.contains(&name)) {
                out.push((name.to_string(), w, name.chars().count() + 1));
            }
            continue;
        }
        if !t.starts_with("--") {
            if let Some(f) = flags
                .iter()
                .chain(attached_only)
                .find(|f| f.len() == 2 && t.len() > 2 && t.starts_with(**f))
            {
                out.push((f.to_string(), w, 2));
            }
        }
    }
    out
}

/// The words of `args` that are not options (`-x`, `--x`, `--x=v`); `with_value` options
/// also drop the word after them.
fn operands<'w>(args: &'w [Word], with_value: &[&str]) -> Vec<&'w Word> {
    let mut out = Vec::new();
    let mut k = 0;
    while let Some(w) = args.get(k) {
        k += 1;
        let t = w.text.as_str();
        if t.starts_with('-') && t.len() > 1 {
            if with_value.contains(&t) {
                k += 1;
            }
            continue;
        }
        out.push(w);
    }
    out
}

fn flag_rule(run: &Run<'_>, c: &Cmd<'_>, name: &str, rule: &FlagRule, out: &mut Vec<Hit>) {
    let args = c.args();
    let sub = match rule.sub {
        [] => None,
        subs => match args.iter().find(|w| subs.contains(&w.text.as_str())) {
            Some(w) => Some(w.text.as_str()),
            None => return,
        },
    };
    for (flag, word, from) in option_values(args, rule.flags, rule.attached_only, rule.equals_only)
    {
        let value = chars(&word.text, from, usize::MAX);
        if value.contains("://") {
            continue; // a URL (a connection string): the URL scan judges its user information
        }
        let (from, user) = match rule.value {
            Value::Whole => (from, None),
            Value::AfterColon => match value.find(':') {
                Some(i) => (
                    from + value[..i].chars().count() + 1,
                    Some(value[..i].to_string()),
                ),
                None => continue,
            },
            Value::PassPrefix => match value.strip_prefix("pass:") {
                Some(_) => (from + 5, None),
                None => continue,
            },
        };
        let shown = match sub {
            Some(s) => format!("{name} {s} {flag}"),
            None => format!("{name} {flag}"),
        };
        let found = InWord {
            run,
            origin: c.origin,
            words: c.argv,
            word,
            from,
            to: word.text.chars().count(),
            user,
            what: format!("passes a literal {} to `{shown}`", rule.what),
            slot: shown,
            fix: rule.fix.to_string(),
        };
        if let Some(hit) = found.hit() {
            let public = rule
                .public_defaults
                .contains(&hit.secret.to_ascii_lowercase().as_str());
            if !public {
                out.push(hit);
            }
        }
    }
}

/// `-H "Authorization: Bearer X"`, `-H "X-API-Key: X"`, `--header=PRIVATE-TOKEN: X`.
fn headers(run: &Run<'_>, c: &Cmd<'_>, flags: &[&str], out: &mut Vec<Hit>) {
    let name = c.name().unwrap_or("curl");
    for (_, word, from) in option_values(c.args(), flags, &[], &[]) {
        if let Some(hit) = header_hit(run, c, word, from, name, HEADER_FIX) {
            out.push(hit);
        }
    }
}

/// A credential in an HTTP header written `Name: value` from character `from` of `word`.
fn header_hit(
    run: &Run<'_>,
    c: &Cmd<'_>,
    word: &Word,
    from: usize,
    tool: &str,
    fix: &str,
) -> Option<Hit> {
    let text = chars(&word.text, from, usize::MAX);
    let colon = text.find(':')?;
    let header = text[..colon].trim();
    let rest = &text[colon + 1..];
    let lead = rest.chars().take_while(|c| c.is_whitespace()).count();
    let value: String = rest.chars().skip(lead).collect();
    let mut start = from + text[..colon].chars().count() + 1 + lead;
    let lower = header.to_ascii_lowercase();
    if lower == "authorization" || lower == "proxy-authorization" {
        // `Bearer X`, `Basic X`, `token X`: the credential follows the scheme.
        if let Some(sp) = value.find(char::is_whitespace) {
            let gap = value[sp..]
                .chars()
                .take_while(|c| c.is_whitespace())
                .count();
            start += value[..sp].chars().count() + gap;
        }
    } else if patterns::secret_name(header).is_none() {
        return None;
    }
    InWord {
        run,
        origin: c.origin,
        words: c.argv,
        word,
        from: start,
        to: word.text.chars().count(),
        user: None,
        what: format!("sends a literal credential in the `{header}` header"),
        slot: format!("{tool} header {lower}"),
        fix: fix.to_string(),
    }
    .hit()
}

const GIT_FIX: &str = "do not store a credential in git's configuration: pass it for one \
command from a build secret, e.g. `RUN --mount=type=secret,id=git_token,env=GIT_TOKEN git -c \
http.extraHeader=\"Authorization: Bearer $GIT_TOKEN\" clone https://<host>/<repo>.git`, or use \
SSH with `RUN --mount=type=ssh git clone git@<host>:<repo>.git` and `docker build --ssh default \
.`; rotate the exposed token";

/// `git config http.extraheader "AUTHORIZATION: basic X"`, `git -c http.extraHeader=…`.
fn git(run: &Run<'_>, c: &Cmd<'_>, out: &mut Vec<Hit>) {
    let args = c.args();
    for (k, w) in args.iter().enumerate() {
        let is_key = |t: &str| t.to_ascii_lowercase().ends_with("extraheader");
        if w.text == "-c" {
            if let Some(v) = args.get(k + 1) {
                if let Some((key, _)) = v.text.split_once('=') {
                    if is_key(key) {
                        let from = key.chars().count() + 1;
                        out.extend(header_hit(run, c, v, from, "git", GIT_FIX));
                    }
                }
            }
        } else if is_key(&w.text) && args.iter().take(k).any(|a| a.text == "config") {
            if let Some(v) = args.get(k + 1) {
                out.extend(header_hit(run, c, v, 0, "git", GIT_FIX));
            }
        }
    }
}

/// `npm config set //registry/:_authToken X`, `npm set _auth=X`, `yarn config set
/// npmAuthToken X`.
fn npm_config(run: &Run<'_>, c: &Cmd<'_>, name: &str, out: &mut Vec<Hit>) {
    let ops = operands(c.args(), &[]);
    let at = match ops.iter().position(|w| w.text == "set") {
        Some(0) if name == "npm" || name == "pnpm" => 0,
        Some(i) if i > 0 && ops[i - 1].text == "config" => i,
        _ => return,
    };
    let Some(key_word) = ops.get(at + 1) else {
        return;
    };
    let (key, word, from) = match key_word.text.split_once('=') {
        Some((k, _)) => (k.to_string(), *key_word, k.chars().count() + 1),
        None => match ops.get(at + 2) {
            Some(v) => (key_word.text.clone(), *v, 0),
            None => return,
        },
    };
    let last = key.rsplit(':').next().unwrap_or(&key).to_ascii_lowercase();
    if !matches!(
        last.as_str(),
        "_authtoken" | "_auth" | "_password" | "npmauthtoken" | "npmauthident"
    ) {
        return;
    }
    let fix = if last.starts_with("npm") {
        "read the token from a build secret: `RUN \
--mount=type=secret,id=npm_token,env=YARN_NPM_AUTH_TOKEN yarn install` with `docker build \
--secret id=npm_token,env=NPM_TOKEN .` (`yarn config set` writes it into .yarnrc.yml in the \
image); rotate the exposed token"
    } else {
        "mount the registry configuration as a build secret instead: `RUN \
--mount=type=secret,id=npmrc,target=/root/.npmrc npm ci` with `docker build --secret \
id=npmrc,src=$HOME/.npmrc .` (`npm config set` writes the token into ~/.npmrc in the image); \
rotate the exposed token"
    };
    out.extend(
        InWord {
            run,
            origin: c.origin,
            words: c.argv,
            word,
            from,
            to: word.text.chars().count(),
            user: None,
            what: format!("stores a literal registry credential with `{name} config set {key}`"),
            slot: format!("{name} config set {key}"),
            fix: fix.to_string(),
        }
        .hit(),
    );
}

/// `aws configure set aws_secret_access_key X` (also `default.aws_session_token`).
fn aws_configure(run: &Run<'_>, c: &Cmd<'_>, out: &mut Vec<Hit>) {
    let ops = operands(
        c.args(),
        &["--profile", "--region", "--output", "--endpoint-url"],
    );
    let Some(at) = ops
        .windows(2)
        .position(|p| p[0].text == "configure" && p[1].text == "set")
    else {
        return;
    };
    let (Some(key), Some(value)) = (ops.get(at + 2), ops.get(at + 3)) else {
        return;
    };
    let last = key
        .text
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if !matches!(
        last.as_str(),
        "aws_secret_access_key" | "aws_session_token" | "aws_security_token"
    ) {
        return;
    }
    out.extend(
        InWord {
            run,
            origin: c.origin,
            words: c.argv,
            word: value,
            from: 0,
            to: value.text.chars().count(),
            user: None,
            what: format!(
                "stores a literal AWS secret with `aws configure set {}`",
                key.text
            ),
            slot: format!("aws configure set {}", key.text),
            fix: "do not configure AWS credentials in the image (`aws configure set` writes \
them to ~/.aws/credentials in a layer): mount them for the RUN that needs them, `RUN \
--mount=type=secret,id=aws,target=/root/.aws/credentials aws …` with `docker build --secret \
id=aws,src=$HOME/.aws/credentials .`; rotate the exposed key"
                .to_string(),
        }
        .hit(),
    );
}

/// `poetry config http-basic.repo user pass`, `poetry config pypi-token.pypi X`,
/// `composer config [-g] http-basic.host user pass` / `github-oauth.github.com X`,
/// `bundle config [set] gems.example.com user:pass`.
fn tool_config(run: &Run<'_>, c: &Cmd<'_>, name: &str, out: &mut Vec<Hit>) {
    let ops = operands(c.args(), &["--file", "-d", "--working-dir"]);
    let Some(at) = ops.iter().position(|w| w.text == "config") else {
        return;
    };
    let mut rest: Vec<&Word> = ops[at + 1..].to_vec();
    if name.starts_with("bundle") && rest.first().is_some_and(|w| w.text == "set") {
        rest.remove(0);
    }
    let Some(key) = rest.first() else { return };
    let k = key.text.to_ascii_lowercase();
    // (index of the secret among the values, index of the user name)
    let (secret_at, user_at, fix): (usize, Option<usize>, &str) = match name {
        "poetry" if k.starts_with("http-basic.") => (2, Some(1), POETRY_FIX),
        "poetry" if k.starts_with("pypi-token.") => (1, None, POETRY_FIX),
        "composer" if k.starts_with("http-basic.") => (2, Some(1), COMPOSER_FIX),
        "composer"
            if ["github-oauth.", "gitlab-token.", "gitlab-oauth.", "bearer."]
                .iter()
                .any(|p| k.starts_with(p)) =>
        {
            (1, None, COMPOSER_FIX)
        }
        "composer" if k.starts_with("bitbucket-oauth.") => (2, None, COMPOSER_FIX),
        "bundle" | "bundler" if bundle_source(&k) => (1, None, BUNDLE_FIX),
        _ => return,
    };
    let Some(word) = rest.get(secret_at) else {
        return;
    };
    let mut from = 0;
    let mut user = user_at.and_then(|u| rest.get(u)).map(|w| w.text.clone());
    if name.starts_with("bundle") {
        // `user:password` for a gem source (or a bare token).
        if word.text.starts_with('-') || patterns::is_path_or_url(&word.text) {
            return;
        }
        if let Some(i) = word.text.find(':') {
            user = Some(word.text[..i].to_string());
            from = word.text[..i].chars().count() + 1;
        }
    }
    out.extend(
        InWord {
            run,
            origin: c.origin,
            words: c.argv,
            word,
            from,
            to: word.text.chars().count(),
            user,
            what: format!(
                "stores a literal credential with `{name} config {}`",
                key.text
            ),
            slot: format!("{name} config {}", key.text),
            fix: fix.to_string(),
        }
        .hit(),
    );
}

const POETRY_FIX: &str = "read the credential from a build secret instead of storing it with \
`poetry config`: `RUN --mount=type=secret,id=pypi_token,env=POETRY_PYPI_TOKEN_PYPI poetry \
publish` (or POETRY_HTTP_BASIC_<NAME>_PASSWORD for a private source); rotate the exposed \
credential";

const COMPOSER_FIX: &str = "read the credentials from a build secret instead of storing them \
with `composer config`: `RUN --mount=type=secret,id=composer_auth,env=COMPOSER_AUTH composer \
install` with `docker build --secret id=composer_auth,src=auth.json .`; rotate the exposed \
credential";

const BUNDLE_FIX: &str = "read the credentials from a build secret instead of storing them with \
`bundle config`: Bundler reads a source's credentials from `BUNDLE_<HOST>` (dots as `__`), \
e.g. `RUN --mount=type=secret,id=gems_creds,env=BUNDLE_GEMS__EXAMPLE__COM bundle install`; \
rotate the exposed credential";

/// A Bundler config key that names a gem source (a host or URL) rather than a setting.
fn bundle_source(k: &str) -> bool {
    let settings = [
        "build.", "local.", "mirror.", "disable_", "ignore_", "path", "without",
    ];
    (k.contains('.') || k.starts_with("http")) && !settings.iter().any(|s| k.starts_with(s))
}

/// `htpasswd -b[c|n|B…] [file] user password`.
fn htpasswd(run: &Run<'_>, c: &Cmd<'_>, out: &mut Vec<Hit>) {
    let args = c.args();
    let mut batch = false;
    let mut to_stdout = false;
    let mut ops: Vec<&Word> = Vec::new();
    let mut k = 0;
    while let Some(w) = args.get(k) {
        k += 1;
        let t = w.text.as_str();
        if t.starts_with('-') && t.len() > 1 && ops.is_empty() {
            let letters: Vec<char> = t.chars().skip(1).collect();
            batch |= letters.contains(&'b');
            to_stdout |= letters.contains(&'n');
            // `-C cost` and `-r rounds` take a value (the rest of the cluster or the next word).
            if let Some(i) = letters.iter().position(|c| *c == 'C' || *c == 'r') {
                if i + 1 == letters.len() {
                    k += 1;
                }
            }
            continue;
        }
        ops.push(w);
    }
    let need = if to_stdout { 2 } else { 3 };
    if !batch || ops.len() < need {
        return;
    }
    let word = ops[need - 1];
    out.extend(
        InWord {
            run,
            origin: c.origin,
            words: c.argv,
            word,
            from: 0,
            to: word.text.chars().count(),
            user: Some(ops[need - 2].text.clone()),
            what: "passes a literal password to `htpasswd -b`".to_string(),
            slot: "htpasswd -b".to_string(),
            fix: "create the password file outside the image and mount it at run time; if it \
must be built, read the password from a build secret: `RUN \
--mount=type=secret,id=htpasswd_password htpasswd -ci /etc/nginx/.htpasswd <user> < \
/run/secrets/htpasswd_password` (`-i` reads stdin) — the hash still ships; rotate the exposed \
password"
                .to_string(),
        }
        .hit(),
    );
}

/// `rabbitmqctl add_user USER PASSWORD`, `rabbitmqctl change_password USER PASSWORD`.
fn rabbitmqctl(run: &Run<'_>, c: &Cmd<'_>, out: &mut Vec<Hit>) {
    let ops = operands(c.args(), &["-n", "--node", "-t", "--timeout"]);
    let [sub, user, word, ..] = ops.as_slice() else {
        return;
    };
    if sub.text != "add_user" && sub.text != "change_password" {
        return;
    }
    out.extend(
        InWord {
            run,
            origin: c.origin,
            words: c.argv,
            word,
            from: 0,
            to: word.text.chars().count(),
            user: Some(user.text.clone()),
            what: format!("passes a literal password to `rabbitmqctl {}`", sub.text),
            slot: format!("rabbitmqctl {}", sub.text),
            fix: "create users when the container starts, with a password from the \
orchestrator's secrets (or a definitions file mounted at run time), not in the image; rotate \
the exposed password"
                .to_string(),
        }
        .hit(),
    );
}

/// `vault login TOKEN`, `vault login -method=userpass … password=X`, `cargo login TOKEN`.
fn login_operand(run: &Run<'_>, c: &Cmd<'_>, name: &str, out: &mut Vec<Hit>) {
    let ops = operands(c.args(), &["--registry", "-address", "-method", "-path"]);
    if ops.first().is_none_or(|w| w.text != "login") {
        return;
    }
    let fix = if name == "vault" {
        "read the token from a build secret instead of logging in: `RUN \
--mount=type=secret,id=vault_token,env=VAULT_TOKEN vault …` (`vault login` also stores the \
token in ~/.vault-token in the image); rotate the exposed token"
    } else {
        "read the token from a build secret instead of logging in: `RUN \
--mount=type=secret,id=cargo_token,env=CARGO_REGISTRY_TOKEN cargo publish` (`cargo login` \
stores it in ~/.cargo/credentials.toml in the image); rotate the exposed token"
    };
    for word in ops.iter().skip(1) {
        let from = match word.text.split_once('=') {
            Some((k, _)) if k == "password" || k == "token" => k.len() + 1,
            Some(_) => continue,
            None => 0,
        };
        out.extend(
            InWord {
                run,
                origin: c.origin,
                words: c.argv,
                word,
                from,
                to: word.text.chars().count(),
                user: None,
                what: format!("passes a literal credential to `{name} login`"),
                slot: format!("{name} login"),
                fix: fix.to_string(),
            }
            .hit(),
        );
    }
}

/// `echo X | docker login --password-stdin`, `docker login --password-stdin <<< X`,
/// `printf '%s' X | gh auth login --with-token`.
fn stdin_password(run: &Run<'_>, flat: &Flat<'_>, c: &Cmd<'_>, name: &str, out: &mut Vec<Hit>) {
    let Some(flag) = c
        .args()
        .iter()
        .find(|w| w.text == "--password-stdin" || w.text == "--with-token")
    else {
        return;
    };
    let shown = match c.args().iter().find(|w| !w.text.starts_with('-')) {
        Some(sub) => format!("{name} {} {}", sub.text, flag.text),
        None => format!("{name} {}", flag.text),
    };
    let fix = if name == "gh" {
        "read the token from a build secret: `RUN --mount=type=secret,id=gh_token,env=GH_TOKEN \
gh …` (gh reads GH_TOKEN); rotate the exposed token"
    } else {
        LOGIN_FIX
    };
    let what = format!("pipes a literal secret into `{shown}`");
    let in_word = |words: &[Word], word: &Word, to: usize| {
        InWord {
            run,
            origin: c.origin,
            words,
            word,
            from: 0,
            to,
            user: None,
            what: what.clone(),
            slot: shown.clone(),
            fix: fix.to_string(),
        }
        .hit()
    };
    for r in &c.cmd.redirects {
        match (r.op, &r.body) {
            (RedirOp::HereString, _) => {
                let to = r.target.text.chars().count();
                out.extend(in_word(std::slice::from_ref(&r.target), &r.target, to));
            }
            (RedirOp::Heredoc | RedirOp::HeredocStrip, Some(body))
                if matches!(r.fd, None | Some(0)) =>
            {
                // The first non-blank line of the body is what the command reads.
                let text: Vec<char> = body.text.chars().collect();
                let from = text.iter().take_while(|c| c.is_whitespace()).count();
                let line_end = text[from..]
                    .iter()
                    .position(|c| *c == '\n')
                    .map_or(text.len(), |i| from + i);
                let to = from
                    + text[from..line_end]
                        .iter()
                        .collect::<String>()
                        .trim_end()
                        .chars()
                        .count();
                out.extend(
                    InBody {
                        run,
                        origin: c.origin,
                        body,
                        from,
                        to,
                        user: None,
                        what: what.clone(),
                        slot: shown.clone(),
                        fix: fix.to_string(),
                    }
                    .hit(),
                );
            }
            _ => {}
        }
    }
    for &(pipe, element) in &c.pipes {
        let Some(prev) = element
            .checked_sub(1)
            .and_then(|e| flat.pipes.get(pipe)?.elements.get(e))
        else {
            continue;
        };
        for &i in prev {
            let Some(e) = flat.cmds.get(i) else { continue };
            if let Some((word, to)) = echoed(e) {
                out.extend(in_word(e.argv, word, to));
            }
        }
    }
}

/// The single value `echo`/`printf` prints, and where it ends (without a trailing `\n`).
fn echoed<'s>(c: &Cmd<'s>) -> Option<(&'s Word, usize)> {
    let args = c.args();
    let word = match c.name()? {
        "echo" => {
            let ops: Vec<&Word> = args
                .iter()
                .filter(|w| !matches!(w.text.as_str(), "-n" | "-e" | "-E" | "-ne" | "-en"))
                .collect();
            match ops.as_slice() {
                [one] => *one,
                _ => return None,
            }
        }
        "printf" => match args {
            [fmt] if !fmt.text.contains('%') => fmt,
            [fmt, value] if fmt.text.contains("%s") => value,
            _ => return None,
        },
        _ => return None,
    };
    let n = word.text.chars().count();
    let to = if word.text.ends_with("\\n") { n - 2 } else { n };
    Some((word, to))
}
