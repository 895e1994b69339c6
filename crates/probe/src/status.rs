//! The probe's own process as the kernel describes it in `/proc/self/status`: its ids, the
//! five capability sets, NoNewPrivs and the seccomp mode with its filter count.

use crate::capabilities::CapSet;
use crate::root::Root;
use serde::Serialize;

/// Seccomp as `/proc/self/status` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SeccompMode {
    /// `Seccomp: 0`: no filter at all (`seccomp=unconfined`, `--privileged`).
    Disabled,
    /// `Seccomp: 1`: strict mode (read/write/exit only), never seen under a runtime.
    Strict,
    /// `Seccomp: 2`: a BPF filter decides each system call (Docker's default profile).
    Filtering,
}

/// What `/proc/self/status` says; `None` fields were missing or unreadable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProcessStatus {
    /// Real, effective, saved and filesystem uids (`Uid:`).
    pub uid: Option<u32>,
    pub effective_uid: Option<u32>,
    pub gid: Option<u32>,
    pub cap_inheritable: Option<CapSet>,
    pub cap_permitted: Option<CapSet>,
    pub cap_effective: Option<CapSet>,
    pub cap_bounding: Option<CapSet>,
    pub cap_ambient: Option<CapSet>,
    pub no_new_privs: Option<bool>,
    pub seccomp: Option<SeccompMode>,
    /// `Seccomp_filters:` (kernels 5.9+): how many filters are stacked.
    pub seccomp_filters: Option<u32>,
}

fn field<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    text.lines().find_map(|l| {
        l.strip_prefix(name)
            .and_then(|rest| rest.strip_prefix(':'))
            .map(str::trim)
    })
}

fn nth_number(value: Option<&str>, n: usize) -> Option<u32> {
    value?.split_whitespace().nth(n)?.parse().ok()
}

impl ProcessStatus {
    pub fn parse(text: &str) -> ProcessStatus {
        let cap = |name| field(text, name).and_then(CapSet::parse);
        ProcessStatus {
            uid: nth_number(field(text, "Uid"), 0),
            effective_uid: nth_number(field(text, "Uid"), 1),
            gid: nth_number(field(text, "Gid"), 0),
            cap_inheritable: cap("CapInh"),
            cap_permitted: cap("CapPrm"),
            cap_effective: cap("CapEff"),
            cap_bounding: cap("CapBnd"),
            cap_ambient: cap("CapAmb"),
            no_new_privs: field(text, "NoNewPrivs").and_then(|v| match v {
                "0" => Some(false),
                "1" => Some(true),
                _ => None,
            }),
            seccomp: field(text, "Seccomp").and_then(|v| match v {
                "0" => Some(SeccompMode::Disabled),
                "1" => Some(SeccompMode::Strict),
                "2" => Some(SeccompMode::Filtering),
                _ => None,
            }),
            seccomp_filters: field(text, "Seccomp_filters").and_then(|v| v.parse().ok()),
        }
    }

    pub fn read(root: &Root) -> Result<ProcessStatus, String> {
        root.read("/proc/self/status")
            .map(|t| ProcessStatus::parse(&t))
            .map_err(|e| format!("/proc/self/status: {e}"))
    }
}

/// The highest capability number this kernel knows (`/proc/sys/kernel/cap_last_cap`).
pub fn cap_last_cap(root: &Root) -> Option<u32> {
    root.read_trimmed("/proc/sys/kernel/cap_last_cap")?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_status_and_tolerates_garbage() {
        let s = ProcessStatus::parse(
            "Name:\tx\nUid:\t1000\t1000\t1000\t1000\nGid:\t5\t5\t5\t5\nCapEff:\t00000000a80425fb\n\
             NoNewPrivs:\t1\nSeccomp:\t2\nSeccomp_filters:\t1\n",
        );
        assert_eq!(s.uid, Some(1000));
        assert_eq!(s.gid, Some(5));
        assert_eq!(s.no_new_privs, Some(true));
        assert_eq!(s.seccomp, Some(SeccompMode::Filtering));
        assert_eq!(s.seccomp_filters, Some(1));
        assert!(s.cap_effective.unwrap().has("CHOWN"));
        let junk = ProcessStatus::parse("CapEff:\tnothex\nSeccomp: 9\nUid:\n\u{0}");
        assert_eq!(junk, ProcessStatus::default());
    }
}
