//! HS rules: the host (CIS sections 1 and 3). HS006/HS007 (section 6) are judged from the
//! engine's counts and live with the daemon rules.

use plimsoll_core::{Finding, Rule, RuleMeta};

use super::CheckResult;
use crate::facts::{FileRole, FileStat, HostFacts, HostFile, Probe};

plimsoll_core::rule_group!(dyn Rule<HostFacts, CheckResult>;
    data_root => DataRootPartition,
    docker_group => DockerGroupMembers,
    audit => UnauditedDockerFiles,
    file_owner => FileOwner,
    file_mode => FilePermissions,
);

/// One result per file role: `Fail` with a finding per bad file, `NotChecked` when a file
/// could not be read (and none failed), `NotApplicable` when none exists.
pub(super) fn results_by_role(
    h: &HostFacts,
    meta: &'static RuleMeta,
    cis: fn(FileRole) -> &'static str,
    judge: fn(&HostFile, &FileStat) -> Option<Finding>,
) -> Vec<CheckResult> {
    FileRole::ALL
        .iter()
        .map(|&role| {
            let id = cis(role);
            let files: Vec<&HostFile> = h.files_of(role).collect();
            if role == FileRole::RegistryCert {
                if let Probe::NotChecked(r) = &h.registry_certs {
                    return CheckResult::not_checked(id, meta, format!("/etc/docker/certs.d: {r}"));
                }
            }
            let mut findings = Vec::new();
            let mut unread = Vec::new();
            let mut present = 0;
            for f in &files {
                match &f.stat {
                    Probe::Checked(st) => {
                        present += 1;
                        findings.extend(judge(f, st));
                    }
                    Probe::Missing => {}
                    Probe::NotChecked(r) => unread.push(format!("{}: {r}", f.path)),
                }
            }
            if !findings.is_empty() {
                let mut c = CheckResult::of(id, meta, findings);
                for u in unread {
                    c = c.detail(format!("not checked: {u}"));
                }
                return c;
            }
            if !unread.is_empty() {
                return CheckResult::not_checked(id, meta, unread.join("; "));
            }
            if present == 0 {
                let why = match role {
                    FileRole::TlsCaCert | FileRole::TlsCert | FileRole::TlsKey
                        if files.is_empty() =>
                    {
                        "TLS is not configured".to_string()
                    }
                    FileRole::RegistryCert => "no registry certificates".to_string(),
                    _ => match files.first() {
                        Some(f) if f.path != role.describe() => {
                            format!("{} not found ({})", role.describe(), f.path)
                        }
                        _ => format!("{} not found", role.describe()),
                    },
                };
                return CheckResult::not_applicable(id, meta, why);
            }
            CheckResult::pass(id, meta)
        })
        .collect()
}
