//! HS005: a Docker configuration file, certificate or socket is too permissive.

use plimsoll_core::{
    Finding, Location, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

use crate::facts::{FileRole, FileStat, HostFacts, HostFile};
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "HS005",
    name: "file-permissions",
    title: "Docker file permissions too open",
    severity: Severity::Medium,
    stage: Stage::Host,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a file of CIS section 3 has a permission bit beyond what CIS \
allows: unit files, daemon.json, /etc/default/docker and /etc/sysconfig/docker 0644; \
/etc/docker 0755; registry certificates and the TLS CA and certificate 0444; the TLS key \
0400; the Docker and containerd sockets 0660. Modes are compared as permission bits (`mode & \
!allowed`), so 0602 (world-writable) fails and 0600 passes — docker-bench compares the octal \
digits as decimal numbers, passing 0602 (≤ 644) and failing 0700 (> 644). Files that cannot \
be read are reported as not checked.",
        why: "A world-writable unit file or daemon.json lets any local user change what the \
root daemon runs; a readable TLS key lets them impersonate the daemon; a socket open to \
others makes every local user root (`docker run -v /:/host`).",
        fix: "`chmod` the file to the allowed mode or stricter: `chmod 644 docker.service`, \
`chmod 400 key.pem`, `chmod 660 /var/run/docker.sock`.",
        bad: "-rw-rw-rw- root root /etc/docker/daemon.json\n",
        good: "-rw-r--r-- root root /etc/docker/daemon.json\n",
    },
    references: References {
        cis: &[
            "3.2", "3.4", "3.6", "3.8", "3.10", "3.12", "3.14", "3.16", "3.18", "3.20", "3.21",
            "3.24",
        ],
        links: &["https://docs.docker.com/engine/security/protect-access/"],
        ..References::NONE
    },
};

fn judge(f: &HostFile, st: &FileStat) -> Option<Finding> {
    let allowed = f.role.max_mode();
    let extra = st.mode & 0o7777 & !allowed;
    if extra == 0 {
        return None;
    }
    let socket = matches!(f.role, FileRole::DockerSock | FileRole::ContainerdSock);
    let sev = if socket && extra & 0o006 != 0 {
        Severity::Critical
    } else if extra & 0o002 != 0 || (f.role == FileRole::TlsKey && extra & 0o044 != 0) {
        Severity::High
    } else if extra & 0o7000 != 0 || extra & 0o020 != 0 {
        Severity::Medium
    } else {
        Severity::Low
    };
    let what = if socket && extra & 0o006 != 0 {
        "anyone on the host can connect to it and so control what it serves"
    } else if extra & 0o002 != 0 {
        "anyone on the host can write it"
    } else if socket && extra & 0o004 != 0 {
        "anyone on the host can use it"
    } else if extra & 0o020 != 0 {
        "its group can write it"
    } else if f.role == FileRole::TlsKey {
        "others than root can read the key"
    } else {
        "it grants more than needed"
    };
    Some(
        Finding::new(
            &META,
            Location::file(f.path.clone()),
            format!(
                "{} has mode {:04o}, more than {:04o} allows (extra bits {:04o}): {what}",
                described(f),
                st.mode,
                allowed,
                extra
            ),
        )
        .evidence(format!("{:04o} {}", st.mode, f.path))
        .severity(sev)
        .fix(format!("chmod {:o} {}", st.mode & allowed, f.path))
        .key(format!("mode:{}", f.path))
        .build(),
    )
}

/// HS005 (`file-permissions`), judged on the host's facts.
pub struct FilePermissions;

impl Rule<HostFacts, CheckResult> for FilePermissions {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, h: &HostFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(h));
    }
}

fn results(h: &HostFacts) -> Vec<CheckResult> {
    super::results_by_role(h, &META, |r| r.cis().1, judge)
}

/// "the daemon's unit file /lib/systemd/system/docker.service", or just the path when the
/// role's description is the path itself (`/etc/docker`).
fn described(f: &crate::facts::HostFile) -> String {
    let role = f.role.describe();
    if role == f.path || role.ends_with(f.path.as_str()) {
        role.to_string()
    } else {
        format!("{role} {}", f.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::FileKind;
    use crate::rules::testing::*;

    #[test]
    fn modes_are_bits_not_decimals() {
        let mut h = host();
        for c in &results(&h) {
            assert!(!is_fail(c), "{c:?}");
        }
        // 0602 is ≤ 644 as a decimal but world-writable.
        h.files[0].stat = stat(0, 0, 0o602, FileKind::File);
        // 0600 is > 444 as a decimal but stricter than 0644.
        h.files[2].stat = stat(0, 0, 0o600, FileKind::File);
        h.files[3].stat = stat(0, 999, 0o666, FileKind::Socket);
        h.files[4].stat = stat(0, 0, 0o440, FileKind::File);
        let r = results(&h);
        let f = &result(&r, "3.2").findings[0];
        assert_eq!(f.severity, Severity::High);
        assert!(f.message.contains("mode 0602"), "{}", f.message);
        assert!(!is_fail(result(&r, "3.18")));
        assert_eq!(result(&r, "3.16").findings[0].severity, Severity::Critical);
        assert_eq!(result(&r, "3.14").findings[0].severity, Severity::High);
        assert_eq!(
            result(&r, "3.14").findings[0].fix,
            "chmod 400 /etc/docker/key.pem"
        );
    }
}
