//! The probe's check on itself after its experiments: nothing it made may outlive them — no
//! child process, no mount, no temporary directory, no user namespace. Tests assert the list
//! is empty.
//!
//! A user namespace lives as long as a process is in it. The user-namespace experiment's
//! child makes one and exits; were the namespace kept alive (a grandchild that escaped the
//! process group, a process the probe itself moved into it), a process that was not there
//! before the experiments would hold a user namespace no process held before. So the
//! processes (pid and start time) and their user namespaces are noted before the experiments
//! ([`Before`]) and compared after.

use super::mount::{TEMP_DIRS, TEMP_PREFIX};
use crate::root::Root;
use std::collections::BTreeSet;

/// The processes and user namespaces there were before the experiments.
#[derive(Debug, Default)]
pub struct Before {
    /// `(pid, start time)` of every process visible.
    processes: BTreeSet<(String, String)>,
    /// `user:[inode]` of every user namespace a visible process was in.
    user_namespaces: BTreeSet<String>,
    /// The probe's own user namespace.
    own: Option<String>,
}

/// The visible processes: pid, start time (clock ticks after boot), parent pid.
fn processes(root: &Root) -> Vec<(String, String, String)> {
    let Ok(entries) = root.list("/proc") else {
        return Vec::new();
    };
    entries
        .iter()
        .filter(|(n, _)| n.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|(pid, _)| {
            let stat = root.read(&format!("/proc/{pid}/stat")).ok()?;
            // `pid (comm) state ppid … starttime(22nd) …`: the comm may hold spaces, so split
            // after its `)`; the state is then the first field.
            let (_, rest) = stat.rsplit_once(')')?;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            Some((
                pid.clone(),
                fields.get(19)?.to_string(),
                fields.get(1)?.to_string(),
            ))
        })
        .collect()
}

fn user_namespace(root: &Root, pid: &str) -> Option<String> {
    root.link(&format!("/proc/{pid}/ns/user"))
}

impl Before {
    /// Notes the processes and user namespaces there are now.
    pub fn note(root: &Root) -> Before {
        let mut before = Before {
            own: root.link("/proc/self/ns/user"),
            ..Before::default()
        };
        for (pid, start, _) in processes(root) {
            if let Some(ns) = user_namespace(root, &pid) {
                before.user_namespaces.insert(ns);
            }
            before.processes.insert((pid, start));
        }
        before
    }
}

/// The user namespaces held after the experiments that no process held before, by processes
/// that were not there before; and the probe's own, if it changed.
fn user_namespaces_left(root: &Root, before: &Before) -> Vec<String> {
    let mut out = Vec::new();
    let own = root.link("/proc/self/ns/user");
    if own != before.own {
        out.push(format!(
            "the probe itself is in user namespace {} (was {})",
            own.as_deref().unwrap_or("unknown"),
            before.own.as_deref().unwrap_or("unknown")
        ));
    }
    for (pid, start, _) in processes(root) {
        if before.processes.contains(&(pid.clone(), start)) {
            continue;
        }
        if let Some(ns) = user_namespace(root, &pid) {
            if !before.user_namespaces.contains(&ns) {
                out.push(format!(
                    "user namespace {ns} left behind, held by process {pid}"
                ));
            }
        }
    }
    out
}

/// What the experiments left behind, one line each (empty: nothing).
pub fn leftovers(root: &Root, before: &Before) -> Vec<String> {
    let mut out = user_namespaces_left(root, before);
    let me = std::process::id().to_string();
    for (pid, _, parent) in processes(root) {
        if parent == me {
            out.push(format!("process {pid} is still a child of the probe"));
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn process(dir: &Path, pid: u32, parent: u32, start: u64, user_ns: &str) {
        let proc_dir = dir.join(format!("proc/{pid}"));
        std::fs::create_dir_all(proc_dir.join("ns")).unwrap_or_default();
        let stat =
            format!("{pid} (sh -c x) S {parent} 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 {start} 0 0\n");
        std::fs::write(proc_dir.join("stat"), stat).unwrap_or_default();
        std::fs::write(proc_dir.join("ns/user"), user_ns).unwrap_or_default();
    }

    #[test]
    fn a_user_namespace_held_by_a_new_process_is_left_behind() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = Root::new(dir.path());
        std::fs::create_dir_all(dir.path().join("proc/self/ns")).unwrap_or_default();
        std::fs::write(dir.path().join("proc/self/ns/user"), "user:[1]").unwrap_or_default();
        process(dir.path(), 1, 0, 100, "user:[1]");
        process(dir.path(), 5, 1, 200, "user:[3]");
        let before = Before::note(&root);
        assert!(user_namespaces_left(&root, &before).is_empty());

        // A new process in the old namespace, one in a namespace another process already
        // held, a reused pid in a new namespace.
        process(dir.path(), 8, 1, 300, "user:[1]");
        process(dir.path(), 9, 1, 300, "user:[3]");
        process(dir.path(), 5, 1, 400, "user:[2]");
        assert_eq!(
            user_namespaces_left(&root, &before),
            ["user namespace user:[2] left behind, held by process 5"]
        );
        std::fs::write(dir.path().join("proc/self/ns/user"), "user:[2]").unwrap_or_default();
        let left = leftovers(&root, &before);
        assert!(
            left[0].starts_with("the probe itself is in user namespace user:[2]"),
            "{left:?}"
        );
        assert_eq!(left.len(), 2, "{left:?}");
    }

    /// On this machine: a process kept alive in a new user namespace is seen, and once it
    /// ends nothing is. Skipped (said on standard error) where `unshare --user` is refused.
    #[test]
    fn a_live_user_namespace_is_seen_until_its_process_ends() {
        let root = Root::new("/");
        let before = Before::note(&root);
        let Ok(mut held) = std::process::Command::new("unshare")
            .args(["--user", "sleep", "30"])
            .spawn()
        else {
            eprintln!("skipped: no unshare(1)");
            return;
        };
        let pid = held.id().to_string();
        let mut seen = Vec::new();
        for _ in 0..50 {
            seen = user_namespaces_left(&root, &before);
            if !seen.is_empty() || held.try_wait().ok().flatten().is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let _ = held.kill();
        let ended = held.wait();
        if ended.is_ok_and(|s| s.code() == Some(1)) {
            eprintln!("skipped: unshare --user refused here");
            return;
        }
        assert!(
            seen.iter()
                .any(|l| l.ends_with(&format!("held by process {pid}"))),
            "{seen:?}"
        );
        assert!(user_namespaces_left(&root, &before).is_empty());
    }
}
