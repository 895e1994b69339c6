//! Reading host files under a configurable root (`/`, or `/host` when plimsoll runs in a
//! container with the host's filesystem mounted there), with symlinks resolved *inside* that
//! root: on most hosts `/var/run` is a link to `/run`, and under `/host` that link must lead
//! to `/host/run`, not to the container's own `/run`.

use std::collections::BTreeMap;
use std::io::{ErrorKind, Read};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Component, Path, PathBuf};

use plimsoll_live::facts::{FileKind, FileStat, Probe};

/// The most a host text file may be (group, passwd, audit rules, daemon.json).
pub(crate) const MAX_TEXT: u64 = 4 << 20;
/// Symlinks followed while resolving one path (Linux's own limit).
const MAX_LINKS: usize = 40;

/// The host filesystem as seen from here.
#[derive(Debug, Clone)]
pub(crate) struct HostRoot {
    root: PathBuf,
    users: BTreeMap<u32, String>,
    groups: BTreeMap<u32, String>,
}

/// An I/O error as a probe result: not found = missing, anything else = not checked.
pub(crate) fn probe_err<T>(e: &std::io::Error) -> Probe<T> {
    match e.kind() {
        ErrorKind::NotFound | ErrorKind::NotADirectory => Probe::Missing,
        ErrorKind::PermissionDenied => Probe::NotChecked("permission denied".to_string()),
        _ => Probe::NotChecked(e.to_string()),
    }
}

impl HostRoot {
    pub(crate) fn new(root: &Path) -> HostRoot {
        let mut h = HostRoot {
            root: root.to_path_buf(),
            users: BTreeMap::new(),
            groups: BTreeMap::new(),
        };
        if let Probe::Checked(text) = h.read_text("/etc/passwd") {
            h.users = id_names(&text);
        }
        if let Probe::Checked(text) = h.read_text("/etc/group") {
            h.groups = id_names(&text);
        }
        h
    }

    pub(crate) fn is_slash(&self) -> bool {
        self.root == Path::new("/")
    }

    pub(crate) fn root_text(&self) -> String {
        self.root.display().to_string()
    }

    /// The local path of a host path, symlinks resolved within the root.
    pub(crate) fn resolve(&self, host_path: &str) -> PathBuf {
        if self.is_slash() {
            return PathBuf::from(host_path);
        }
        let mut out = PathBuf::from("/");
        let mut queue: Vec<PathBuf> = Vec::new();
        // A stack of remaining components, in reverse order.
        push_components(&mut queue, Path::new(host_path));
        let mut links = 0;
        while let Some(c) = queue.pop() {
            let name = c.as_os_str();
            if name == ".." {
                out.pop();
                continue;
            }
            if name == "/" {
                out = PathBuf::from("/");
                continue;
            }
            let candidate = out.join(&c);
            let local = self.local(&candidate);
            match std::fs::symlink_metadata(&local) {
                Ok(m) if m.file_type().is_symlink() && links < MAX_LINKS => {
                    links += 1;
                    match std::fs::read_link(&local) {
                        Ok(target) => {
                            if target.is_absolute() {
                                out = PathBuf::from("/");
                            }
                            push_components(&mut queue, &target);
                        }
                        Err(_) => out = candidate,
                    }
                }
                _ => out = candidate,
            }
        }
        self.local(&out)
    }

    /// `root` joined with an absolute host path, lexically.
    fn local(&self, host_path: &Path) -> PathBuf {
        let rel = host_path.strip_prefix("/").unwrap_or(host_path);
        self.root.join(rel)
    }

    /// A text file, bounded.
    pub(crate) fn read_text(&self, host_path: &str) -> Probe<String> {
        let path = self.resolve(host_path);
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) => return probe_err(&e),
        };
        let mut buf = Vec::new();
        match file.take(MAX_TEXT + 1).read_to_end(&mut buf) {
            Ok(_) if buf.len() as u64 > MAX_TEXT => {
                Probe::NotChecked(format!("larger than {} MiB", MAX_TEXT >> 20))
            }
            Ok(_) => Probe::Checked(String::from_utf8_lossy(&buf).into_owned()),
            Err(e) => probe_err(&e),
        }
    }

    /// Owner and mode (symlinks followed, as `stat` does).
    pub(crate) fn stat(&self, host_path: &str) -> Probe<FileStat> {
        match std::fs::metadata(self.resolve(host_path)) {
            Ok(m) => {
                let ft = m.file_type();
                let kind = if ft.is_file() {
                    FileKind::File
                } else if ft.is_dir() {
                    FileKind::Dir
                } else if ft.is_socket() {
                    FileKind::Socket
                } else {
                    FileKind::Other
                };
                Probe::Checked(FileStat {
                    uid: m.uid(),
                    gid: m.gid(),
                    user: self.users.get(&m.uid()).cloned(),
                    group: self.groups.get(&m.gid()).cloned(),
                    mode: m.mode() & 0o7777,
                    kind,
                })
            }
            Err(e) => probe_err(&e),
        }
    }

    /// The names in a directory, sorted.
    pub(crate) fn list(&self, host_path: &str) -> Probe<Vec<String>> {
        match std::fs::read_dir(self.resolve(host_path)) {
            Ok(rd) => {
                let mut names: Vec<String> = rd
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .take(100_000)
                    .collect();
                names.sort();
                Probe::Checked(names)
            }
            Err(e) => probe_err(&e),
        }
    }
}

fn push_components(queue: &mut Vec<PathBuf>, p: &Path) {
    let mut parts: Vec<PathBuf> = Vec::new();
    for c in p.components() {
        match c {
            Component::RootDir => parts.push(PathBuf::from("/")),
            Component::ParentDir => parts.push(PathBuf::from("..")),
            Component::Normal(n) => parts.push(PathBuf::from(n)),
            Component::CurDir | Component::Prefix(_) => {}
        }
    }
    queue.extend(parts.into_iter().rev());
}

/// `name:x:id:…` lines → id → name (the first name wins, as getent does).
fn id_names(text: &str) -> BTreeMap<u32, String> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let mut f = line.split(':');
        let (Some(name), Some(_), Some(id)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        if name.starts_with('#') || name.starts_with('+') || name.starts_with('-') {
            continue;
        }
        if let Ok(id) = id.trim().parse::<u32>() {
            out.entry(id).or_insert_with(|| name.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn io_errors_map_to_probes() {
        use std::io::Error;
        assert!(probe_err::<()>(&Error::from(ErrorKind::NotFound)).is_missing());
        assert_eq!(
            probe_err::<()>(&Error::from(ErrorKind::PermissionDenied)).not_checked(),
            Some("permission denied")
        );
        assert!(probe_err::<()>(&Error::other("EIO"))
            .not_checked()
            .is_some());
    }

    #[test]
    fn symlinks_resolve_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("run")).unwrap();
        std::fs::create_dir_all(root.join("var")).unwrap();
        symlink("/run", root.join("var/run")).unwrap();
        std::fs::write(root.join("run/x.sock"), "").unwrap();
        symlink("../run/x.sock", root.join("var/rel")).unwrap();
        let h = HostRoot::new(root);
        assert_eq!(h.resolve("/var/run/x.sock"), root.join("run/x.sock"));
        assert_eq!(h.resolve("/var/rel"), root.join("run/x.sock"));
        assert!(h.stat("/var/run/x.sock").checked().is_some());
        assert!(h.stat("/var/run/none").is_missing());
        // A loop ends.
        symlink("/loop", root.join("loop")).unwrap();
        let _ = h.resolve("/loop/x");
    }
}
