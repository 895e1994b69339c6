//! HS002: who is in the docker group.

use plimsoll_core::{
    Finding, Location, Pos, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Span, Stage,
};

use crate::facts::{HostFacts, Probe};
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "HS002",
    name: "docker-group",
    title: "Users in the docker group control the daemon",
    severity: Severity::Medium,
    stage: Stage::Host,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Lists the members of the `docker` group: those in /etc/group and those whose \
primary group it is in /etc/passwd (`getent group docker` misses the latter). With a list \
of trusted users (docker-bench `-u`), each other member is a finding (medium); without one, \
the members are reported for review (info).",
        why: "Access to the Docker socket is root on the host: `docker run -v /:/host \
--privileged` needs no password. Every member of the docker group is effectively a root \
user, without sudo's logging or prompts.",
        fix: "Remove users who do not need to administer Docker (`gpasswd -d USER docker`); \
give others rootless Docker or a sudo rule for specific commands.",
        bad: "docker:x:999:alice,ci,webapp\n",
        good: "docker:x:999:\n",
    },
    references: References {
        cis: &["1.1.2"],
        links: &["https://docs.docker.com/engine/security/#docker-daemon-attack-surface"],
        ..References::NONE
    },
};

/// HS002 (`docker-group`), judged on the host's facts.
pub struct DockerGroupMembers;

impl Rule<HostFacts, CheckResult> for DockerGroupMembers {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, h: &HostFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(h));
    }
}

fn results(h: &HostFacts) -> Vec<CheckResult> {
    let g = match &h.docker_group {
        Probe::Checked(g) => g,
        Probe::Missing => return vec![CheckResult::pass("1.1.2", &META).detail("no docker group")],
        Probe::NotChecked(r) => return vec![CheckResult::not_checked("1.1.2", &META, r.clone())],
    };
    let names: Vec<String> = g
        .members
        .iter()
        .map(|m| {
            if m.listed {
                m.user.clone()
            } else {
                format!("{} (primary group)", m.user)
            }
        })
        .collect();
    let detail = format!("Users: {}", names.join(", "));
    if g.members.is_empty() {
        return vec![CheckResult::pass("1.1.2", &META).detail("the docker group has no members")];
    }
    let loc = Location::with_span(
        "/etc/group",
        Span::new(Pos::new(g.line, 1), Pos::new(g.line, 0)),
    );
    let findings = match &h.trusted_users {
        Some(trusted) => g
            .members
            .iter()
            .filter(|m| !trusted.contains(&m.user))
            .map(|m| {
                Finding::new(
                    &META,
                    loc.clone(),
                    format!("`{}` is in the docker group but not a trusted user: it can become root on the host through the daemon", m.user),
                )
                .evidence(format!("docker: {}", m.user))
                .fix(format!("remove it: `gpasswd -d {} docker`", m.user))
                .key(format!("docker-group:{}", m.user))
                .build()
            })
            .collect(),
        None => vec![Finding::new(
            &META,
            loc,
            format!("the docker group gives root-equivalent access to: {}", names.join(", ")),
        )
        .evidence(detail.clone())
        .severity(Severity::Info)
        .fix("review the members; remove those who do not need to administer Docker (`gpasswd -d USER docker`)")
        .key("docker-group")
        .build()],
    };
    vec![CheckResult::of("1.1.2", &META, findings).detail(detail)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{DockerGroup, GroupMember};
    use crate::rules::testing::*;

    #[test]
    fn members_reported_untrusted_flagged() {
        let mut h = host();
        assert!(!is_fail(&results(&h)[0]));
        h.docker_group = Probe::Checked(DockerGroup {
            gid: 999,
            line: 30,
            members: vec![
                GroupMember {
                    user: "alice".into(),
                    listed: true,
                },
                GroupMember {
                    user: "svc".into(),
                    listed: false,
                },
            ],
        });
        let r = results(&h);
        assert_eq!(r[0].findings.len(), 1);
        assert_eq!(r[0].findings[0].severity, Severity::Info);
        assert!(r[0].findings[0].message.contains("svc (primary group)"));
        h.trusted_users = Some(vec!["alice".into()]);
        let r = results(&h);
        assert_eq!(r[0].findings.len(), 1);
        assert_eq!(r[0].findings[0].severity, Severity::Medium);
        assert!(r[0].findings[0].message.contains("`svc`"));
    }
}
