//! PB012: kernel settings or cgroup files are mounted read-write.

use crate::evidence::Evidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct WritableKernelInterface;

pub static META: RuleMeta = RuleMeta {
    id: "PB012",
    name: "writable-kernel-interface",
    title: "/proc/sys or /sys/fs/cgroup is writable",
    severity: Severity::High,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"`/proc/sys` or `/sys/fs/cgroup` lies on a read-write mount. Docker mounts both read-only unless the container is privileged.

Configuration counterparts: RS001 (`privileged`), RS008 (`system-paths-unmasked`)."#,
        why: r#"Writable `/proc/sys` changes the host kernel's settings (`kernel.core_pattern` runs a program as host root on the next crash); writable cgroup files allow the `release_agent` escape."#,
        fix: r#"Remove `--privileged` (compose: `privileged: true`) and `--security-opt systempaths=unconfined` (compose: `security_opt: [systempaths=unconfined]`), and do not mount `/sys/fs/cgroup` read-write (`-v /sys/fs/cgroup:/sys/fs/cgroup:rw`, compose: the `volumes:` entry)."#,
        bad: r#"docker run --privileged IMAGE
# probe: /proc/sys rw"#,
        good: r#"docker run IMAGE
# probe: /proc/sys ro"#,
    },
    references: References {
        cis: &["5.5"],
        cwe: &["CWE-732"],
        links: &["https://github.com/moby/moby/blob/master/oci/defaults.go"],
        ..References::NONE
    },
};

impl Rule<Evidence> for WritableKernelInterface {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        let k = &ev.facts.kernel_interfaces;
        let paths = [
            ("/proc/sys", k.proc_sys_writable),
            ("/sys/fs/cgroup", k.cgroup_fs_writable),
        ];
        let what = "is mounted read-write";
        super::kernel_paths::report_each(&META, ev, paths, true, what, "rw", out);
    }
}
