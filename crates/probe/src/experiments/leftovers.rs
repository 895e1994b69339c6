//! The probe's check on itself after its experiments: nothing it made may outlive them — no
//! child process, no mount, no temporary directory. Tests assert the list is empty.

use super::mount::{TEMP_DIRS, TEMP_PREFIX};
use crate::root::Root;

/// What the experiments left behind, one line each (empty: nothing).
pub fn leftovers(root: &Root) -> Vec<String> {
    let mut out = Vec::new();
    let me = std::process::id().to_string();
    if let Ok(entries) = root.list("/proc") {
        for (pid, _) in entries
            .iter()
            .filter(|(n, _)| n.bytes().all(|b| b.is_ascii_digit()))
        {
            let Ok(stat) = root.read(&format!("/proc/{pid}/stat")) else {
                continue;
            };
            // `pid (comm) state ppid …`: the comm may hold spaces, so split after its `)`.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1));
            if ppid == Some(me.as_str()) {
                out.push(format!("process {pid} is still a child of the probe"));
            }
        }
    }
    if let Ok(mountinfo) = root.read("/proc/self/mountinfo") {
        for line in mountinfo.lines().filter(|l| l.contains(TEMP_PREFIX)) {
            out.push(format!("mount left: {line}"));
        }
    }
    for dir in TEMP_DIRS {
        if let Ok(entries) = root.list(dir) {
            for (name, _) in entries.iter().filter(|(n, _)| n.starts_with(TEMP_PREFIX)) {
                out.push(format!("directory left: {dir}/{name}"));
            }
        }
    }
    out
}
