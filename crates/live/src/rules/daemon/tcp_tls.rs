//! DM006: the daemon listens on TCP without TLS client verification.

use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use crate::facts::DaemonFacts;
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "DM006",
    name: "tcp-without-tls",
    title: "Daemon listens on TCP without TLS client authentication",
    severity: Severity::Critical,
    stage: Stage::Daemon,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires for each TCP address the daemon listens on (`hosts` in daemon.json, \
`-H`/`--host` on the command line: `tcp://…` or a bare `host:port`, and — for a dockerd \
started with `-H fd://` — the `ListenStream=` lines of the docker.socket unit, which \
docker-bench never reads) when `tlsverify` is not on. With `tls` but no `tlsverify` the traffic is encrypted but any client is accepted \
(high); with neither it is plain HTTP (critical). Unix sockets and `fd://` are not TCP; no \
TCP address means the check does not apply.",
        why: "The Docker API is root on the host: whoever can reach it can start a privileged \
container that mounts `/`. Without client certificates, anyone who can reach the port — \
another container, a neighbour on the network, a browser tricked into a request — owns the \
machine. Exposed 2375 ports are scanned for and mined within minutes.",
        fix: "Listen on the unix socket only, or reach a remote daemon over SSH \
(`DOCKER_HOST=ssh://…`). If TCP is needed, set `\"tlsverify\": true` with `tlscacert`, \
`tlscert` and `tlskey`, and give each client a certificate signed by that CA.",
        bad: "{\n  \"hosts\": [\"unix:///var/run/docker.sock\", \"tcp://0.0.0.0:2375\"]\n}\n",
        good: "{\n  \"hosts\": [\"unix:///var/run/docker.sock\", \"tcp://0.0.0.0:2376\"],\n  \"tlsverify\": true,\n  \"tlscacert\": \"/etc/docker/ca.pem\",\n  \"tlscert\": \"/etc/docker/cert.pem\",\n  \"tlskey\": \"/etc/docker/key.pem\"\n}\n",
    },
    references: References {
        cis: &["2.7"],
        cwe: &["CWE-306"],
        links: &["https://docs.docker.com/engine/security/protect-access/"],
        ..References::NONE
    },
};

/// Whether a `-H` address is TCP (docker's `ParseHost`: no scheme means tcp).
fn is_tcp(addr: &str) -> bool {
    match addr.split_once("://") {
        Some((scheme, _)) => matches!(scheme, "tcp" | "http" | "https"),
        None => !addr.starts_with('/'),
    }
}

/// DM006 (`tcp-without-tls`), judged on the daemon's facts.
pub struct TcpWithoutTls;

impl Rule<DaemonFacts, CheckResult> for TcpWithoutTls {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    let tcp: Vec<_> = d.hosts.iter().filter(|h| is_tcp(&h.value)).collect();
    if tcp.is_empty() {
        return vec![match d.unknown() {
            Some(why) => CheckResult::not_checked("2.7", &META, why),
            None => CheckResult::not_applicable("2.7", &META, "the daemon does not listen on TCP"),
        }];
    }
    let verify = d.tls_verify.as_ref().is_some_and(|s| s.value);
    let tls = d.tls.as_ref().is_some_and(|s| s.value);
    if verify {
        return vec![CheckResult::pass("2.7", &META)];
    }
    let findings = tcp
        .into_iter()
        .map(|h| {
            let (sev, what) = if tls {
                (
                    Severity::High,
                    "with TLS but without client verification (`tlsverify`): any client is \
                     accepted",
                )
            } else {
                (
                    Severity::Critical,
                    "without TLS: anyone who reaches the port controls the daemon, i.e. is \
                     root on the host",
                )
            };
            Finding::new(
                &META,
                h.origin.location(),
                format!("the Docker API listens on `{}` {what}", h.value),
            )
            .evidence(h.origin.written())
            .severity(sev)
            .fix(
                "remove the TCP address (use the unix socket or ssh://), or set `\"tlsverify\": \
                 true` with tlscacert/tlscert/tlskey and client certificates",
            )
            .key(format!("tcp:{}", h.value))
            .build()
        })
        .collect();
    vec![CheckResult::of("2.7", &META, findings)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Setting;
    use crate::rules::testing::*;
    use crate::rules::Status;

    #[test]
    fn tcp_needs_tlsverify() {
        let mut d = daemon();
        assert!(matches!(results(&d)[0].status, Status::NotApplicable(_)));
        d.hosts.push(Setting::new(
            "tcp://0.0.0.0:2375".into(),
            flag("-H tcp://0.0.0.0:2375"),
        ));
        let r = results(&d);
        assert_eq!(r[0].findings[0].severity, Severity::Critical);
        d.tls = Some(cfg("tls", true));
        assert_eq!(results(&d)[0].findings[0].severity, Severity::High);
        d.tls_verify = Some(cfg("tlsverify", true));
        assert_eq!(results(&d)[0].status, Status::Pass);
        assert!(is_tcp("0.0.0.0:2375") && !is_tcp("unix:///x") && !is_tcp("fd://"));
    }
}
