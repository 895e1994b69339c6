//! PB016: the network, PID, IPC or UTS namespace is the host's.

use crate::evidence::Evidence;
use crate::namespaces::Confidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct HostNamespace;

pub static META: RuleMeta = RuleMeta {
    id: "PB016",
    name: "host-namespace",
    title: "Container shares a namespace with the host",
    severity: Severity::High,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"For each of the network, PID, IPC and UTS namespaces: the namespace is the kernel's initial one (its `/proc/self/ns/*` inode is the fixed initial number), or — where that cannot be told — strong heuristics say so (host interfaces such as `docker0` in `/proc/net/dev`, host sockets in `/proc/net/unix`, process 2 is `kthreadd`). Only evidence of medium or high confidence fires; the confidence is in the message.

Configuration counterparts: RS009 (`host-network`), RS010 (`host-pid`), RS011 (`host-ipc`), RS012 (`host-uts`)."#,
        why: r#"The host's network namespace exposes every host service bound to localhost and lets the container sniff host traffic; the host's PID namespace lets it see and signal (with `SYS_PTRACE`, read) every host process; the IPC namespace shares shared memory; with UTS, `CAP_SYS_ADMIN` changes the host's hostname (the paper's scenario 2 on the host)."#,
        fix: r#"Remove `--network host`, `--pid host`, `--ipc host` and `--uts host` (compose: `network_mode: host`, `pid: host`, `ipc: host`, `uts: host`)."#,
        bad: r#"docker run --pid host IMAGE
# probe: pid:[4026531836] is the initial PID namespace"#,
        good: r#"docker run IMAGE"#,
    },
    references: References {
        cis: &["5.10", "5.16", "5.17", "5.21"],
        cwe: &["CWE-668"],
        links: &["https://docs.docker.com/reference/cli/docker/container/run/#pid"],
        ..References::NONE
    },
};

impl Rule<Evidence> for HostNamespace {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        for h in &ev.facts.host_namespaces {
            if !h.shared || h.confidence < Confidence::Medium {
                continue;
            }
            let (flag, compose, severity) = match h.namespace {
                "net" => ("--network host", "network_mode: host", Severity::High),
                "pid" => ("--pid host", "pid: host", Severity::High),
                "ipc" => ("--ipc host", "ipc: host", Severity::Medium),
                _ => ("--uts host", "uts: host", Severity::Medium),
            };
            let confidence = match h.confidence {
                Confidence::High => "high",
                Confidence::Medium => "medium",
                Confidence::Low => "low",
            };
            out.push(
                Finding::new(
                    &META,
                    ev.location(),
                    format!(
                        "the container shares the host's {} namespace ({confidence} confidence: {})",
                        h.namespace,
                        h.evidence.join("; ")
                    ),
                )
                .evidence(h.evidence.join("; "))
                .key(h.namespace)
                .severity(severity)
                .fix(format!("Remove `{flag}` (compose: `{compose}`)."))
                .build(),
            );
        }
    }
}
