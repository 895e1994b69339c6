//! The audit rules: the loaded ones from `auditctl -l` when it can run (optional, read-only,
//! and injectable so tests never depend on it), else the configured ones in
//! `/etc/audit/audit.rules` and `/etc/audit/rules.d/*.rules`.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::host::root::HostRoot;
use plimsoll_live::facts::{AuditRule, AuditRules, Probe};

/// How to get the loaded audit rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum AuditCtl {
    /// Run `auditctl -l` when it exists (only on the host itself: root `/`).
    #[default]
    Auto,
    /// Never run it; read the rules files.
    Skip,
    /// Its output (`Ok`) or failure (`Err`), given by the caller (tests).
    Given(Result<String, String>),
}

const AUDITCTL_PATHS: &[&str] = &[
    "/sbin/auditctl",
    "/usr/sbin/auditctl",
    "/usr/bin/auditctl",
    "/bin/auditctl",
];

/// `auditctl -l` with a 5 s limit; `None` when it is not installed.
fn run_auditctl() -> Option<Result<String, String>> {
    let exe = AUDITCTL_PATHS
        .iter()
        .find(|p| std::path::Path::new(p).is_file())?;
    let mut child = match Command::new(exe)
        .arg("-l")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => return Some(Err(format!("{exe}: {e}"))),
    };
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break st,
            Ok(None) if start.elapsed() > Duration::from_secs(5) => {
                let _ = child.kill();
                let _ = child.wait();
                return Some(Err(format!("{exe} -l did not finish within 5 s")));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Some(Err(format!("{exe}: {e}"))),
        }
    };
    let mut out = String::new();
    if let Some(mut o) = child.stdout.take() {
        let _ = o.by_ref().take(4 << 20).read_to_string(&mut out);
    }
    if status.success() {
        Some(Ok(out))
    } else {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.by_ref().take(4096).read_to_string(&mut err);
        }
        Some(Err(format!("{exe} -l: {}", err.trim())))
    }
}

fn lines_of(source: &str, text: &str) -> Vec<AuditRule> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#') && !t.starts_with(';')
        })
        .map(|(i, l)| AuditRule {
            source: source.to_string(),
            line: i as u32 + 1,
            text: l.trim().to_string(),
        })
        .collect()
}

/// The audit rules in force. `Missing`: no auditctl and no rules files (auditd not set up).
pub(crate) fn collect(host: &HostRoot, how: &AuditCtl) -> Probe<AuditRules> {
    let loaded = match how {
        AuditCtl::Auto if host.is_slash() => run_auditctl(),
        AuditCtl::Auto | AuditCtl::Skip => None,
        AuditCtl::Given(r) => Some(r.clone()),
    };
    let mut fallback_note = None;
    match loaded {
        Some(Ok(text)) => {
            // "No rules" is what auditctl prints for an empty rule set.
            let rules = if text.trim() == "No rules" {
                Vec::new()
            } else {
                lines_of("auditctl -l", &text)
            };
            return Probe::Checked(AuditRules {
                from: "auditctl -l".to_string(),
                rules,
            });
        }
        Some(Err(e)) => fallback_note = Some(e),
        None => {}
    }
    let mut files = vec!["/etc/audit/audit.rules".to_string()];
    let mut denied = Vec::new();
    match host.list("/etc/audit/rules.d") {
        Probe::Checked(names) => files.extend(
            names
                .into_iter()
                .filter(|n| n.ends_with(".rules"))
                .map(|n| format!("/etc/audit/rules.d/{n}")),
        ),
        Probe::Missing => {}
        Probe::NotChecked(r) => denied.push(format!("/etc/audit/rules.d: {r}")),
    }
    let mut rules = Vec::new();
    let mut read = Vec::new();
    for f in &files {
        match host.read_text(f) {
            Probe::Checked(text) => {
                rules.extend(lines_of(f, &text));
                read.push(f.clone());
            }
            Probe::Missing => {}
            Probe::NotChecked(r) => denied.push(format!("{f}: {r}")),
        }
    }
    if !denied.is_empty() {
        let mut why = denied.join("; ");
        if let Some(n) = fallback_note {
            why = format!("{n}; {why}");
        }
        return Probe::NotChecked(why);
    }
    if read.is_empty() {
        return Probe::Missing;
    }
    Probe::Checked(AuditRules {
        from: read.join(", "),
        rules,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_output_is_used() {
        let dir = tempfile::tempdir().unwrap();
        let host = HostRoot::new(dir.path());
        let got = collect(
            &host,
            &AuditCtl::Given(Ok("-w /usr/bin/dockerd -p rwxa -k docker\n".to_string())),
        );
        let rules = got.checked().unwrap();
        assert_eq!(rules.from, "auditctl -l");
        assert!(rules.watching("/usr/bin/dockerd").is_some());
        let none = collect(&host, &AuditCtl::Given(Ok("No rules\n".to_string())));
        assert!(none.checked().unwrap().rules.is_empty());
        // A failing auditctl falls back to the files; none here.
        assert!(collect(&host, &AuditCtl::Given(Err("denied".into()))).is_missing());
    }
}
