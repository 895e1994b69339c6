//! DF041: package or image signature verification turned off.

use crate::analysis::run::verification::Check;
use crate::rules::{Context, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "DF041",
    name: "signature-verification-disabled",
    title: "Package signature verification turned off",
    severity: Severity::High,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires wherever the Dockerfile lets a package manager install packages whose \
signatures are missing or untrusted:\n\n\
- apt: `--allow-unauthenticated`, `--allow-insecure-repositories`, `--force-yes`, \
`-o APT::Get::AllowUnauthenticated=true`, `-o Acquire::AllowInsecureRepositories=true`, \
`[trusted=yes]`/`[allow-insecure=yes]` in a source line (written with `echo`/`tee`/heredocs \
or passed to `add-apt-repository`), the same options written to apt.conf.d;\n\
- rpm family: `yum`/`dnf`/`microdnf --nogpgcheck`, `--setopt=gpgcheck=0` (also \
`*.gpgcheck`, `localpkg_gpgcheck`), `gpgcheck=0` written into a `.repo` file, `yum.conf` or \
`dnf.conf`, `zypper --no-gpg-checks`, `zypper addrepo --no-gpgcheck`/`-G`, `rpm -i \
--nosignature`/`--nodigest`;\n\
- `apk add --allow-untrusted`, except for `apk index` and installs of local `.apk` files \
only (packages built earlier in the same build, with no remote repository);\n\
- `DOCKER_CONTENT_TRUST=0` (ENV, ARG, `export`, prefix), `docker pull \
--disable-content-trust`, `GOSUMDB=off`, `GONOSUMCHECK=1`, `snap install --dangerous`, \
`SigLevel = Never` in pacman.conf.",
        why: "Package signatures are what makes a mirror untrusted by design: HTTPS only \
protects the connection to the mirror, the signature proves the package is the one the \
distribution built. With checks off, a compromised or malicious mirror, a poisoned cache or \
proxy, or an attacker on a plain-HTTP repository can hand the build a trojaned package, \
and it is installed as root without a warning. CIS Docker Benchmark 4.11 asks for verified \
packages only.",
        fix: "Remove the option and install the repository's signing key instead: apt — \
download the key to `/etc/apt/keyrings/<name>.asc` and add `signed-by=` to the source line; \
rpm — `rpm --import <key-url>` and `gpgcheck=1` with `gpgkey=`; apk — add the key to \
`/etc/apk/keys`.",
        bad: "FROM debian:12-slim\nRUN echo 'deb [trusted=yes] http://repo.example.com/debian bookworm main' \\\n \
> /etc/apt/sources.list.d/example.list \\\n \
&& apt-get update && apt-get install -y --no-install-recommends example-tool \\\n \
&& rm -rf /var/lib/apt/lists/*\n",
        good: "FROM debian:12-slim\nCOPY example-archive-keyring.asc /etc/apt/keyrings/example.asc\n\
RUN echo 'deb [signed-by=/etc/apt/keyrings/example.asc] https://repo.example.com/debian bookworm main' \\\n \
> /etc/apt/sources.list.d/example.list \\\n \
&& apt-get update && apt-get install -y --no-install-recommends example-tool \\\n \
&& rm -rf /var/lib/apt/lists/*\n",
    },
    references: References {
        cis: &["4.11", "4.12"],
        checkov: &["CKV2_DOCKER_7", "CKV2_DOCKER_8", "CKV2_DOCKER_9", "CKV2_DOCKER_10", "CKV2_DOCKER_11"],
        cwe: &["CWE-347"],
        ..References::NONE
    },
};

pub struct SignatureDisabled;

impl Rule<Context<'_>> for SignatureDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        super::report_verification_off(cx, &META, Check::Signature, out);
    }
}
