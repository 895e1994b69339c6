//! PB015: docker.sock (or containerd, podman, CRI-O) is inside the container.

use crate::evidence::Evidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct RuntimeSocket;

pub static META: RuleMeta = RuleMeta {
    id: "PB015",
    name: "runtime-socket-reachable",
    title: "A container runtime's socket is reachable",
    severity: Severity::Critical,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"Each runtime socket found at a well-known path or mounted as `*.sock`. On the live system the probe connects and, for Docker and podman, sends a read-only `GET /_ping`; a socket that answers is reported at full severity, one that refuses (permissions) one step lower.

Configuration counterpart: RS015 (`runtime-socket`)."#,
        why: r#"Whoever talks to the runtime's API starts a privileged container with the host's `/` mounted: the socket is root on the host."#,
        fix: r#"Do not mount the socket: remove `--volume /var/run/docker.sock:/var/run/docker.sock` (`-v`) (compose: the `volumes:` entry). If a tool must talk to the daemon, put an API proxy that allows only the calls it needs in between."#,
        bad: r#"docker run -v /var/run/docker.sock:/var/run/docker.sock IMAGE
# probe: GET /_ping → HTTP/1.0 200 OK"#,
        good: r#"docker run IMAGE"#,
    },
    references: References {
        cis: &["5.32"],
        cwe: &["CWE-250"],
        links: &["https://docs.docker.com/engine/security/protect-access/"],
        ..References::NONE
    },
};

impl Rule<Evidence> for RuntimeSocket {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        for s in &ev.facts.sockets {
            let how = match (s.reachable, &s.answer) {
                (Some(true), Some(a)) => format!("it answered `{a}`"),
                (Some(false), Some(a)) => format!("it did not answer ({a})"),
                _ if !s.is_socket => {
                    "not pinged: a plain file here, as in a recorded tree".to_string()
                }
                _ => "not pinged".to_string(),
            };
            let mut f = Finding::new(
                &META,
                ev.location(),
                format!(
                    "the {} socket {} is in the container ({how})",
                    s.runtime, s.path
                ),
            )
            .evidence(s.path.clone())
            .key(s.path.clone());
            if s.reachable == Some(false) {
                f = f.severity(Severity::High);
            }
            out.push(f.build());
        }
    }
}
