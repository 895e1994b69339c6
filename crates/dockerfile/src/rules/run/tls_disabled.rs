//! DF040: TLS certificate verification turned off.

use crate::analysis::run::verification::Check;
use crate::rules::{Context, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "DF040",
    name: "tls-verification-disabled",
    title: "TLS certificate verification turned off",
    severity: Severity::High,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires wherever the Dockerfile tells a tool to accept any TLS certificate:\n\n\
- flags: `curl -k`/`--insecure` (also inside clusters such as `-fsSLk`), `wget \
--no-check-certificate` or `-e check_certificate=off`, `git -c http.sslVerify=false`, \
`pip --trusted-host`, `npm --strict-ssl=false`/`--no-strict-ssl`, `apk \
--no-check-certificate`, `apt-get -o Acquire::https::Verify-Peer=false`, \
`yum`/`dnf --setopt=sslverify=0`, and the generic `--insecure-skip-tls-verify` (kubectl, \
helm), `--tls-verify=false` (podman, buildah, skopeo), `--no-verify-ssl` (aws), \
`-Dmaven.wagon.http.ssl.insecure=true`;\n\
- configuration commands: `git config [--global] http.sslVerify false`, `npm`/`pnpm`/`yarn \
config set strict-ssl false`, `yarn config set enableStrictSsl false`, `pip config set \
global.trusted-host …`, `conda config --set ssl_verify false`, `bundle config \
ssl_verify_mode 0`, `composer config disable-tls true`;\n\
- environment variables set by `ENV`, `ARG` (with a default), `export` or a command prefix: \
`GIT_SSL_NO_VERIFY` (any value), `PYTHONHTTPSVERIFY=0`, `NODE_TLS_REJECT_UNAUTHORIZED=0`, \
`NPM_CONFIG_STRICT_SSL=false`, `YARN_ENABLE_STRICT_SSL=false`, `PIP_TRUSTED_HOST`, \
`CONDA_SSL_VERIFY=false`, `BUNDLE_SSL_VERIFY_MODE=0`, `GOINSECURE`, `GOFLAGS=-insecure`;\n\
- configuration written to files (`echo`, `printf`, heredocs, `tee`, `sed -i`): \
`sslverify=0` in yum/dnf/zypper repositories or `.gitconfig`, `Acquire::https::Verify-Peer \
\"false\"` in apt.conf, `check_certificate = off` in wgetrc, `insecure` in .curlrc, \
`strict-ssl=false` in .npmrc, `trusted-host` in pip.conf, `ssl_verify: false` in .condarc, \
`?ssl_verify=no` in zypper repository URLs.\n\nValues are read after variable substitution \
where the Dockerfile defines them. `wget -k` is `--convert-links` and does not fire.",
        why: "Without certificate checks, anyone who can intercept the build's traffic — a \
compromised Wi-Fi or CI network, a hostile proxy, DNS spoofing, BGP hijacking — can serve \
their own package, script or binary and it is installed into the image as if it came from \
the real server. Settings made with ENV (and written config files) also stay in the image, \
so the application itself accepts forged certificates at run time: its API calls and \
database connections can be read and changed by the same attackers.",
        fix: "Remove the setting. If a server uses a private or corporate CA, add that CA to \
the image's trust store (`COPY corp-ca.crt /usr/local/share/ca-certificates/` + \
`RUN update-ca-certificates`) or point the tool at it (`curl --cacert`, `PIP_CERT`, \
`NODE_EXTRA_CA_CERTS`, `git -c http.sslCAInfo=`).",
        bad: "FROM node:20-bookworm-slim\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n\
RUN curl -fsSLk https://downloads.example.com/tool.tar.gz -o /tmp/tool.tar.gz\n",
        good: "FROM node:20-bookworm-slim\nCOPY corp-ca.crt /usr/local/share/ca-certificates/corp-ca.crt\n\
RUN update-ca-certificates \\\n \
&& curl -fsSL https://downloads.example.com/tool.tar.gz -o /tmp/tool.tar.gz\n\
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/corp-ca.crt\n",
    },
    references: References {
        cis: &["4.11"],
        checkov: &[
            "CKV2_DOCKER_2", "CKV2_DOCKER_3", "CKV2_DOCKER_4", "CKV2_DOCKER_5", "CKV2_DOCKER_6",
            "CKV2_DOCKER_12", "CKV2_DOCKER_13", "CKV2_DOCKER_14", "CKV2_DOCKER_15", "CKV2_DOCKER_16",
        ],
        cwe: &["CWE-295"],
        ..References::NONE
    },
};

pub struct TlsDisabled;

impl Rule<Context<'_>> for TlsDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        super::report_verification_off(cx, &META, Check::Tls, out);
    }
}
