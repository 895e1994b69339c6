//! PB013: a path the runtime masks is visible.

use crate::evidence::Evidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct UnmaskedKernelFile;

pub static META: RuleMeta = RuleMeta {
    id: "PB013",
    name: "unmasked-kernel-file",
    title: "/proc/kcore or /sys/firmware is not masked",
    severity: Severity::Medium,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"Nothing is mounted over `/proc/kcore` or `/sys/firmware` (Docker masks them with a `/dev/null` bind and an empty tmpfs). A path that does not exist is not flagged.

Configuration counterpart: RS008 (`system-paths-unmasked`)."#,
        why: r#"`/proc/kcore` is the host's physical memory (readable with `CAP_SYS_RAWIO`); `/sys/firmware` exposes ACPI tables and EFI variables. The AppArmor template denies both too (the paper's scenario 1), so an unmasked path means both layers are gone."#,
        fix: r#"Remove `--privileged` (compose: `privileged: true`) and `--security-opt systempaths=unconfined` (compose: `security_opt: [systempaths=unconfined]`)."#,
        bad: r#"docker run --security-opt systempaths=unconfined IMAGE"#,
        good: r#"docker run IMAGE
# probe: /proc/kcore masked by a /dev/null bind"#,
    },
    references: References {
        cis: &[],
        cwe: &["CWE-200"],
        links: &["https://github.com/moby/moby/blob/master/oci/defaults.go"],
        ..References::NONE
    },
};

impl Rule<Evidence> for UnmaskedKernelFile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        let k = &ev.facts.kernel_interfaces;
        let paths = [
            ("/proc/kcore", k.kcore_masked),
            ("/sys/firmware", k.firmware_masked),
        ];
        let what = "is visible: nothing is mounted over it";
        super::kernel_paths::report_each(&META, ev, paths, false, what, "not masked", out);
    }
}
