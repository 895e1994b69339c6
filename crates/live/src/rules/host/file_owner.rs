//! HS004: a Docker configuration file, certificate or socket has the wrong owner.

use plimsoll_core::{
    Finding, Location, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

use super::results_by_role;
use crate::facts::{FileRole, FileStat, HostFacts, HostFile, Owner};
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "HS004",
    name: "file-owner",
    title: "Docker file not owned by root",
    severity: Severity::High,
    stage: Stage::Host,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a file of CIS section 3 is not owned by `root:root` (the Docker \
socket: `root:docker`, or `root:root`): docker.service and docker.socket (found in \
/etc/systemd/system, /lib/systemd/system, /run/systemd, /usr/lib/systemd/system without \
systemctl), /etc/docker, registry certificates (/etc/docker/certs.d/**/*.crt), the daemon's \
TLS CA, certificate and key, /var/run/docker.sock (and other unix sockets in `hosts`), \
daemon.json, /etc/default/docker, /etc/sysconfig/docker and the containerd socket. Files \
that cannot be read are reported as not checked, never as passing.",
        why: "Whoever owns these files decides how the daemon runs — and the daemon is root. \
A user who owns daemon.json or docker.service can add `-H tcp://0.0.0.0:2375` or a hostile \
runtime; one who owns the TLS key can impersonate the daemon; a socket owned by another \
group hands that group root.",
        fix: "`chown root:root FILE` (the socket: `chown root:docker /var/run/docker.sock`, \
normally done by docker.socket's SocketGroup).",
        bad: "-rw-r--r-- alice root /etc/docker/daemon.json\n",
        good: "-rw-r--r-- root root /etc/docker/daemon.json\n",
    },
    references: References {
        cis: &[
            "3.1", "3.3", "3.5", "3.7", "3.9", "3.11", "3.13", "3.15", "3.17", "3.19", "3.22",
            "3.23",
        ],
        links: &["https://docs.docker.com/engine/security/protect-access/"],
        ..References::NONE
    },
};

fn owner_ok(role: FileRole, st: &FileStat) -> bool {
    st.uid == 0
        && match role.owner() {
            Owner::RootRoot => st.gid == 0,
            Owner::RootDocker => st.gid == 0 || st.group.as_deref() == Some("docker"),
        }
}

fn judge(f: &HostFile, st: &FileStat) -> Option<Finding> {
    if owner_ok(f.role, st) {
        return None;
    }
    let want = match f.role.owner() {
        Owner::RootRoot => "root:root",
        Owner::RootDocker => "root:docker",
    };
    let sev = if st.uid != 0 {
        match f.role {
            FileRole::RegistryCert | FileRole::TlsCaCert | FileRole::TlsCert => Severity::Medium,
            _ => Severity::High,
        }
    } else {
        Severity::Medium
    };
    let who = if st.uid != 0 {
        format!(
            "user `{}`",
            st.user.clone().unwrap_or_else(|| st.uid.to_string())
        )
    } else {
        format!(
            "group `{}`",
            st.group.clone().unwrap_or_else(|| st.gid.to_string())
        )
    };
    Some(
        Finding::new(
            &META,
            Location::file(f.path.clone()),
            format!(
                "{} {} is owned by `{}`, not {want}: {}",
                f.role.describe(),
                f.path,
                st.owner_text(),
                consequence(f.role, st, &who)
            ),
        )
        .evidence(format!("{} {}", st.owner_text(), f.path))
        .severity(sev)
        .fix(format!("chown {want} {}", f.path))
        .key(format!("owner:{}", f.path))
        .build(),
    )
}

/// HS004 (`file-owner`), judged on the host's facts.
pub struct FileOwner;

impl Rule<HostFacts, CheckResult> for FileOwner {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, h: &HostFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(h));
    }
}

fn results(h: &HostFacts) -> Vec<CheckResult> {
    results_by_role(h, &META, |r| r.cis().0, judge)
}

/// What the wrong owner can do, by what the file is and what its mode lets that owner do: a
/// group that cannot use the file is still wrong (`chmod` away from a problem), but says so.
fn consequence(role: FileRole, st: &FileStat, who: &str) -> String {
    let socket = matches!(role, FileRole::DockerSock | FileRole::ContainerdSock);
    let owner_is_user = st.uid != 0;
    // Which permission bits apply to `who`: the user's (it owns the file) or the group's.
    let (read, write) = if owner_is_user {
        (st.mode & 0o400 != 0, st.mode & 0o200 != 0)
    } else {
        (st.mode & 0o040 != 0, st.mode & 0o020 != 0)
    };
    if socket {
        if owner_is_user || write {
            format!("{who} can connect to it and so control the daemon — root on the host")
        } else {
            format!(
                "{who} cannot connect today (mode {:04o}), but one `chmod` away",
                st.mode
            )
        }
    } else if owner_is_user {
        format!("{who} can change its mode and content, and so how the root-owned daemon runs")
    } else if write {
        format!("{who} can change it, and so how the root-owned daemon runs")
    } else if read {
        format!(
            "{who} can read it (mode {:04o}), though not change it",
            st.mode
        )
    } else {
        format!(
            "{who} has no access today (mode {:04o}); the owner should still be root",
            st.mode
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{FileKind, Probe};
    use crate::rules::testing::*;
    use crate::rules::Status;

    #[test]
    fn owners() {
        let mut h = host();
        let r = results(&h);
        for c in &r {
            assert!(!is_fail(c), "{c:?}");
        }
        assert!(matches!(result(&r, "3.9").status, Status::NotApplicable(_)));
        h.files[2].stat = stat(1000, 0, 0o600, FileKind::File); // daemon.json
        h.files[3].stat = stat(0, 5, 0o660, FileKind::Socket); // docker.sock
        h.files[1].stat = Probe::NotChecked("permission denied".into()); // /etc/docker
        let r = results(&h);
        let f = &result(&r, "3.17").findings[0];
        assert_eq!(f.severity, Severity::High);
        assert!(f.message.contains("`u1000:root`"), "{}", f.message);
        assert!(is_fail(result(&r, "3.15")));
        assert!(is_not_checked(result(&r, "3.5")));
    }
}
