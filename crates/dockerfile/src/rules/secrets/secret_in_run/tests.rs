//! DF049 on whole Dockerfiles: secrets never repeated, fingerprints independent of the secret
//! and of line numbers, severities, exact spans, and robustness on truncated commands.

use crate::rules::{AnalysisCache, Context, Rule};
use plimsoll_core::config::ImagePolicy;
use plimsoll_core::{Finding, Severity};

fn findings(src: &str) -> Vec<Finding> {
    let file = match crate::parse("Dockerfile", src.as_bytes()) {
        Ok(f) => f,
        Err(e) => panic!("parse error: {e:?}\n{src}"),
    };
    let facts = AnalysisCache::new(&file);
    let policy = ImagePolicy::default();
    let cx = Context::new(&facts, &policy);
    let mut out = Vec::new();
    super::SecretInRun.check(&cx, &mut out);
    out
}

/// One RUN per secret; every secret is unique so it can be searched for in the output.
const SECRETS: &[(&str, &str)] = &[
    (
        "RUN docker login -u ci -p {} registry.example.com",
        "Qm7-login-Zp2",
    ),
    ("RUN mysql -uroot -p{} -e 'select 1'", "Qm7-mysql-Zp2"),
    ("RUN curl -u ci:{} https://x.example.com/a", "Qm7-curl-Zp2"),
    (
        "RUN git clone https://ci:{}@git.example.com/a.git",
        "Qm7-git-Zp2",
    ),
    (
        "RUN echo '{}' | docker login --password-stdin r.example.com",
        "Qm7-stdin-Zp2",
    ),
    ("RUN export DB_PASSWORD={} && ./run", "Qm7-export-Zp2"),
    (
        "RUN npm config set //r.example.com/:_authToken {}",
        "Qm7-npm-Zp2xYw9Kq",
    ),
    (
        "RUN aws configure set aws_secret_access_key {}",
        "Qm7-aws-Zp2xYw9Kq",
    ),
    (
        "RUN printf 'machine h login u password {}\\n' > /root/.netrc",
        "Qm7-netrc-Zp2",
    ),
    ("LABEL com.example.password=\"{}\"", "Qm7-label-Zp2"),
    ("RUN sshpass -p {} ssh h true", "Qm7-sshpass-Zp2"),
    (
        "RUN curl -H 'Authorization: Bearer {}' https://x.example.com",
        "Qm7-bearer-Zp2xYw9Kq",
    ),
];

fn dockerfile(secrets: &[(&str, &str)], prefix: &str, suffix: &str) -> String {
    let mut src = String::from("FROM alpine:3.20\n");
    src.push_str(prefix);
    for (line, secret) in secrets {
        src.push_str(&line.replace("{}", &format!("{secret}{suffix}")));
        src.push('\n');
    }
    src
}

#[test]
fn reports_each_secret_once_and_never_repeats_it() {
    let src = dockerfile(SECRETS, "", "");
    let found = findings(&src);
    assert_eq!(found.len(), SECRETS.len(), "{found:#?}");
    for f in &found {
        for (_, secret) in SECRETS {
            let shown = [
                f.message.as_str(),
                f.evidence.as_deref().unwrap_or(""),
                &f.fix,
            ];
            for text in shown {
                assert!(!text.contains(secret), "secret {secret} shown in {text}");
                // Not even the part after the first four characters.
                assert!(
                    !text.contains(&secret[4..]),
                    "secret {secret} shown in {text}"
                );
            }
        }
    }
}

#[test]
fn fingerprints_ignore_the_secret_and_the_line() {
    let fingerprints = |src: &str| {
        let mut v: Vec<String> = findings(src).into_iter().map(|f| f.fingerprint).collect();
        v.sort();
        v
    };
    let base = fingerprints(&dockerfile(SECRETS, "", ""));
    let rotated = fingerprints(&dockerfile(SECRETS, "", "-rotated"));
    let moved = fingerprints(&dockerfile(SECRETS, "# a comment\n\n", ""));
    assert_eq!(base.len(), SECRETS.len());
    assert_eq!(base, rotated, "a fingerprint depends on the secret's value");
    assert_eq!(base, moved, "a fingerprint depends on the line");
    let mut unique = base.clone();
    unique.dedup();
    assert_eq!(unique.len(), base.len(), "two findings share a fingerprint");
}

#[test]
fn severities() {
    let one = |src: &str| {
        let f = findings(src);
        assert_eq!(f.len(), 1, "{src}: {f:#?}");
        f[0].severity
    };
    let token = "RUN git clone https://ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789@github.com/o/r";
    assert_eq!(one(&format!("FROM a\n{token}\n")), Severity::Critical);
    let long = "RUN docker login -p qW3rT7yU1iO9pA5sD2fG8hJ4kL6zX0cV3bN7 r";
    assert_eq!(one(&format!("FROM a\n{long}\n")), Severity::Critical);
    assert_eq!(
        one("FROM a\nRUN docker login -p hunter2 r\n"),
        Severity::High
    );
    assert_eq!(
        one("FROM a\nRUN docker login -p changeme r\n"),
        Severity::Low
    );
    assert_eq!(
        one("FROM a\nRUN curl -u bob:bob https://x\n"),
        Severity::Low
    );
}

#[test]
fn points_at_the_secret() {
    let f = findings("FROM a\nRUN docker login -u ci \\\n    -p hunter2 r\n");
    assert_eq!(f.len(), 1);
    let span = f[0].location.span.expect("a span");
    assert_eq!((span.start.line, span.start.column), (3, 8));
    assert_eq!((span.end.line, span.end.column), (3, 15));
    let f = findings("FROM a\nRUN cat > /x <<EOF\nA=1\nAPI_TOKEN=Zx8q2LmP9vR4tY7w\nEOF\n");
    assert_eq!(f.len(), 1, "{f:#?}");
    let span = f[0].location.span.expect("a span");
    assert_eq!((span.start.line, span.start.column), (4, 11));
}

#[test]
fn silent_on_references_mounts_and_placeholders() {
    for src in [
        "RUN docker login -p \"$PW\" r",
        "RUN docker login -p \"$(cat /run/secrets/pw)\" r",
        "RUN --mount=type=secret,id=pw docker login --password-stdin r < /run/secrets/pw",
        "RUN cat /run/secrets/pw | docker login --password-stdin r",
        "RUN mysql -p db",
        "RUN mysql -P 3306 -h db",
        "RUN curl -u bob https://x",
        "RUN curl -u \"$U:$P\" https://x",
        "RUN git clone https://${USER}:${TOKEN}@git.example.com/a.git",
        "RUN git clone ssh://git@github.com/o/r.git",
        "RUN echo 'password=<password>' > /x",
        "RUN echo 'API_TOKEN={{ .Token }}' > /x",
        "RUN keytool -import -storepass changeit -file c.crt",
        "RUN SECRET_KEY_BASE=dummy rails assets:precompile",
        "RUN export MAX_TOKENS=4096 PASSWORD_FILE=/run/secrets/pw",
        "RUN key=B42F6819007F00F88E364FD4036A9C25BF357DD4; gpg --recv-keys \"$key\"",
        "RUN adduser --disabled-password app",
        "LABEL org.example.valid-key.label=foo maintainer=\"a <a@b.c>\"",
        "RUN curl ftp://anonymous:me@ftp.example.com/f",
        "RUN echo 'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE' > /doc.env",
    ] {
        let f = findings(&format!("FROM alpine\n{src}\n"));
        assert!(f.is_empty(), "{src}: {f:#?}");
    }
}

#[test]
fn truncated_commands_do_not_panic() {
    for src in [
        "RUN docker login -p",
        "RUN curl -u",
        "RUN curl -u :",
        "RUN curl -H",
        "RUN curl -H 'Authorization:'",
        "RUN htpasswd -b",
        "RUN htpasswd -bC",
        "RUN echo | docker login --password-stdin",
        "RUN docker login --password-stdin <<<",
        "RUN npm config set",
        "RUN npm config set //x/:_authToken=",
        "RUN aws configure set",
        "RUN poetry config http-basic.x",
        "RUN composer config",
        "RUN rabbitmqctl add_user",
        "RUN vault login",
        "RUN openssl enc -pass pass:",
        "RUN git -c",
        "RUN printf",
        "RUN echo 'é=ü' 'пароль=секрет' \"password=ключ-секретный-1\"",
        "RUN [\"sshpass\", \"-p\"]",
        "RUN <<EOF\nexport TOKEN=\nEOF",
        "LABEL password=",
    ] {
        let _ = findings(&format!("FROM alpine\n{src}\n"));
    }
}
