//! RS003: the default capabilities are not dropped.

use super::caps;
use crate::dialect::Fix;
use crate::rules::{Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS003",
    name: "capabilities-not-dropped",
    title: "Default capabilities not dropped",
    severity: Severity::Medium,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a container keeps some of the 14 capabilities Docker grants by \
default: no `cap_drop: [ALL]` (`--cap-drop=ALL`, `HostConfig.CapDrop`) and not every default \
dropped one by one. The message lists what is kept; it is medium while `NET_RAW` is among \
them and low once `NET_RAW` is dropped. A partial `cap_drop` is pointed at (it is where the \
fix goes); a missing one at the service or command.\n\nIt does not fire on privileged \
containers (RS001: `cap_drop` does not apply to them) nor with `cap_add: [ALL]` (RS002).",
        why: "The default set is smaller than root's, but still generous for a program that \
serves HTTP. `NET_RAW` lets a compromised container forge packets and ARP-spoof or sniff its \
neighbours on the same bridge network — the man-in-the-middle risk the paper found Docker \
has no default protection against. `DAC_OVERRIDE`, `FOWNER` and `CHOWN` bypass file \
permissions, `SETUID`/`SETGID` switch to any user, `MKNOD` creates device nodes, `SETFCAP` \
marks binaries with capabilities: each is a step in a privilege-escalation chain. Most \
applications need none of them once they run as a non-root user.",
        fix: "Add `cap_drop: [ALL]` (`--cap-drop=ALL`) and add back with `cap_add` only what \
the process needs — usually nothing; `NET_BIND_SERVICE` to bind a port below 1024; `CHOWN`, \
`SETUID`, `SETGID` for images whose entrypoint starts as root and then switches user.",
        bad: "services:\n  app:\n    image: nginx:1.27\n",
        good: "services:\n  app:\n    image: nginx:1.27\n    cap_drop: [ALL]\n    cap_add: [NET_BIND_SERVICE, CHOWN, SETUID, SETGID]\n",
    },
    references: References {
        cis: &["5.4"],
        kics: &[
            "Container Capabilities Unrestricted",
            "ce76b7d0-9e77-464d-b86f-c5c48e03e22d",
        ],
        cwe: &["CWE-250"],
        links: &[
            "https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities",
            "https://man7.org/linux/man-pages/man7/capabilities.7.html",
        ],
        ..References::NONE
    },
};

pub struct CapDrop;

impl Rule<Input<'_>> for CapDrop {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        if caps::is_privileged(spec) || caps::adds_all(spec) || caps::drops_all(spec) {
            return;
        }
        let kept: Vec<&str> = caps::DEFAULTS
            .iter()
            .copied()
            .filter(|c| caps::holds(spec, c))
            .collect();
        if kept.is_empty() {
            return;
        }
        let net_raw = kept.contains(&"NET_RAW");
        let severity = if net_raw {
            Severity::Medium
        } else {
            Severity::Low
        };
        let raw_note = if net_raw {
            ", among them NET_RAW (raw sockets: forge packets, ARP-spoof and sniff other \
             containers on the same network)"
        } else {
            ""
        };
        let dropped: Vec<String> = spec
            .cap_drop
            .iter()
            .map(|c| caps::normalize(&c.value))
            .collect();
        let (location, evidence, message) = match spec.cap_drop.first() {
            None => (
                spec.anchor.location.clone(),
                None,
                format!(
                    "{} keeps Docker's {} default capabilities (no {}){raw_note}",
                    dialect.subject(spec),
                    kept.len(),
                    dialect.fix(Fix::DropAllCapsSetting)
                ),
            ),
            Some(first) => (
                first.origin.location.clone(),
                Some(first.origin.written.trim().to_string()),
                format!(
                    "{} drops only {} and keeps {} of Docker's default capabilities ({}){raw_note}",
                    dialect.subject(spec),
                    dropped.join(", "),
                    kept.len(),
                    kept.join(", ")
                ),
            ),
        };
        let mut builder = Finding::new(&META, location, message)
            .fix(fix(input))
            .key(format!("{}:cap-drop", spec.name))
            .severity(severity);
        if let Some(e) = evidence {
            builder = builder.evidence(e);
        }
        out.push(builder.build());
    }
}

fn fix(input: &Input<'_>) -> String {
    let (spec, dialect) = (input.spec, input.dialect);
    let added: Vec<String> = spec
        .cap_add
        .iter()
        .map(|c| caps::normalize(&c.value))
        .collect();
    let then = if added.is_empty() {
        dialect.fix(Fix::AddBackNeededCaps).to_string()
    } else {
        format!(
            "its `cap_add` ({}) then become its only capabilities",
            added.join(", ")
        )
    };
    let how = dialect.fix(Fix::DropAllCaps);
    format!("{how}; {then}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, container, run};

    #[test]
    fn fires_at_the_anchor_when_nothing_is_dropped() {
        let spec = compose("web").build();
        let found = check(&CapDrop, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].location, spec.anchor.location);
        assert_eq!(found[0].severity, Severity::Medium);
        assert!(found[0]
            .message
            .contains("keeps Docker's 14 default capabilities"));
        assert!(found[0].message.contains("NET_RAW"));
        assert!(found[0].fix.contains("`cap_drop: [ALL]`"));
        let found = check(&CapDrop, &run("web").build());
        assert!(found[0].fix.contains("--cap-drop=ALL"));
        let found = check(&CapDrop, &container("web").build());
        assert!(found[0].fix.starts_with("re-create"));
    }

    #[test]
    fn partial_drop_lists_what_is_kept() {
        let spec = run("web").cap_drop("net_raw").cap_drop("CAP_MKNOD").build();
        let found = check(&CapDrop, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Low);
        assert!(found[0]
            .message
            .contains("drops only NET_RAW, MKNOD and keeps 12"));
        assert!(!found[0].message.contains("ARP"));
        assert_eq!(found[0].evidence.as_deref(), Some("--cap-drop=net_raw"));
    }

    #[test]
    fn passes_with_all_dropped() {
        let spec = compose("web")
            .cap_drop("all")
            .cap_add("NET_BIND_SERVICE")
            .build();
        assert!(check(&CapDrop, &spec).is_empty());
        let mut each = compose("web");
        for c in caps::DEFAULTS {
            each = each.cap_drop(c);
        }
        assert!(check(&CapDrop, &each.build()).is_empty());
    }

    #[test]
    fn leaves_privileged_and_add_all_to_other_rules() {
        assert!(check(&CapDrop, &compose("web").privileged(true).build()).is_empty());
        assert!(check(&CapDrop, &compose("web").cap_add("ALL").build()).is_empty());
    }

    #[test]
    fn mentions_existing_cap_add_in_the_fix() {
        let spec = compose("web").cap_add("NET_ADMIN").build();
        let found = check(&CapDrop, &spec);
        assert!(found[0]
            .fix
            .contains("(NET_ADMIN) then become its only capabilities"));
    }
}
