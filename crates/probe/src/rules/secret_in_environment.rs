//! PB017: a variable whose name says it holds a secret is set (value never shown).

use crate::evidence::Evidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct SecretInEnvironment;

pub static META: RuleMeta = RuleMeta {
    id: "PB017",
    name: "secret-in-process-environment",
    title: "A secret is passed in the environment",
    severity: Severity::Medium,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"Each non-empty environment variable of the probe's process whose name says it holds a secret (`*_PASSWORD`, `*_TOKEN`, `AWS_SECRET_ACCESS_KEY`… — the same name rules as RS031). Only names are read into the report; values are never printed or serialised.

Configuration counterpart: RS031 (`secret-in-environment`)."#,
        why: r#"The environment is visible in `docker inspect`, to every process of the container (`/proc/*/environ`), in crash dumps and in child processes; deepce and BOtB harvest it first."#,
        fix: r#"Pass the secret as a file: `--mount type=secret` or a read-only bind of a secret file (compose: top-level `secrets:` and the service's `secrets:`), and have the application read `/run/secrets/NAME`; remove `-e NAME=…` (compose: `environment:`)."#,
        bad: r#"docker run -e DB_PASSWORD=… IMAGE"#,
        good: r#"docker run --mount type=bind,src=./db_password,dst=/run/secrets/db_password,ro IMAGE"#,
    },
    references: References {
        cis: &["4.10"],
        cwe: &["CWE-526"],
        links: &["https://docs.docker.com/engine/swarm/secrets/"],
        ..References::NONE
    },
};

impl Rule<Evidence> for SecretInEnvironment {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        for name in &ev.facts.environment.secret_names {
            out.push(
                Finding::new(
                    &META,
                    ev.location(),
                    format!("environment variable {name} looks like a secret (value not shown)"),
                )
                .evidence(name.clone())
                .key(name.clone())
                .build(),
            );
        }
    }
}
