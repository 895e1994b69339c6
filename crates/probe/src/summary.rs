//! The probe's human summary: one line per fact, one per experiment, then the findings.

use crate::cgroups::Limit;
use crate::lsm::Lsm;
use crate::report::ProbeReport;
use std::fmt::Write;

fn or_unknown<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map(|v| v.to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

fn yes_no(v: Option<bool>, yes: &str, no: &str) -> String {
    match v {
        Some(true) => yes.to_string(),
        Some(false) => no.to_string(),
        None => "unknown".to_string(),
    }
}

fn bytes(limit: Option<Limit>) -> String {
    match limit {
        Some(Limit::Max(n)) => format!("{} MiB", n >> 20),
        other => or_unknown(other),
    }
}

pub fn render(report: &ProbeReport) -> String {
    let ev = &report.evidence;
    let f = &ev.facts;
    let mut s = String::new();
    let _ = writeln!(s, "plimsoll-probe {} — {}", report.probe_version, ev.target);
    let _ = writeln!(
        s,
        "  runtime:        {}{}",
        f.runtime.name.as_deref().unwrap_or("none detected"),
        if f.runtime.kubernetes {
            " (kubernetes)"
        } else {
            ""
        }
    );
    let _ = writeln!(s, "  kernel:         {}", or_unknown(f.kernel.as_deref()));
    let _ = writeln!(
        s,
        "  user:           uid {} ({})",
        or_unknown(f.process.effective_uid),
        yes_no(f.user_namespace, "own user namespace", "no user namespace")
    );
    if let Some(eff) = &f.process.cap_effective {
        let shown = if f.capabilities.full == Some(true) {
            "ALL".to_string()
        } else if eff.names.is_empty() {
            "none".to_string()
        } else {
            eff.names.join(",")
        };
        let _ = writeln!(s, "  capabilities:   {} [{shown}]", eff.hex);
    }
    let _ = writeln!(
        s,
        "  seccomp:        {}{}; no-new-privileges {}",
        f.process
            .seccomp
            .map(|m| format!("{m:?}").to_lowercase())
            .unwrap_or_else(|| "unknown".to_string()),
        f.process
            .seccomp_filters
            .map(|n| format!(" ({n} filters)"))
            .unwrap_or_default(),
        yes_no(f.process.no_new_privs, "on", "off")
    );
    let lsm = match &f.lsm {
        Lsm::NotAvailable { reason } => format!("not available ({reason})"),
        Lsm::Unconfined { .. } => "unconfined".to_string(),
        Lsm::AppArmor { profile, mode } => format!("apparmor {profile} ({mode})"),
        Lsm::SeLinux { label } => format!("selinux {label}"),
    };
    let _ = writeln!(s, "  lsm:            {lsm}");
    let _ = writeln!(
        s,
        "  cgroups:        {} ({}); memory {}, pids {}, cpu {}",
        f.cgroups
            .version
            .map(|v| format!("{v:?}").to_lowercase())
            .unwrap_or_else(|| "unknown".to_string()),
        yes_no(
            f.cgroups.private_namespace,
            "private namespace",
            "host namespace"
        ),
        bytes(f.cgroups.limits.memory),
        or_unknown(f.cgroups.limits.pids),
        match f.cgroups.limits.cpu_millis {
            Some(Limit::Max(m)) => format!("{}.{:03} CPUs", m / 1000, m % 1000),
            other => or_unknown(other),
        }
    );
    let _ = writeln!(
        s,
        "  root fs:        {}",
        yes_no(f.root_read_only, "read-only", "read-write")
    );
    for h in &f.host_namespaces {
        if h.shared {
            let _ = writeln!(
                s,
                "  host {} ns:    shared ({:?} confidence)",
                h.namespace, h.confidence
            );
        }
    }
    for e in &ev.experiments {
        let _ = writeln!(
            s,
            "  experiment {:<14} {} — {}",
            e.name,
            e.verdict.short(),
            e.verdict.detail()
        );
    }
    for l in &report.leftovers {
        let _ = writeln!(s, "  LEFT BEHIND: {l}");
    }
    for e in &f.errors {
        let _ = writeln!(s, "  unknown: {e}");
    }
    let _ = writeln!(s, "{} finding(s)", report.findings.len());
    for finding in &report.findings {
        let _ = writeln!(
            s,
            "  {} [{}] {}",
            finding.rule_id, finding.severity, finding.message
        );
    }
    s
}
