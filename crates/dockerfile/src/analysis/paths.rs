//! Container paths as Dockerfile instructions write them (`WORKDIR`, `COPY` destinations,
//! `VOLUME`): lexical normalisation and whether a path is absolute (Linux or Windows).

/// Lexically normalises a container path: collapses `//`, drops `.` and resolves `..`;
/// keeps it absolute when it was. `""` for an empty relative result.
pub fn normalize_path(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Whether a path is absolute on Linux (`/x`) or Windows (`C:\x`, `C:/x`, `\x`).
pub fn is_absolute_path(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('\\')
        || (b.len() >= 3
            && b[0].is_ascii_alphabetic()
            && b[1] == b':'
            && matches!(b[2], b'\\' | b'/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_paths() {
        assert_eq!(normalize_path("/proc/"), "/proc");
        assert_eq!(normalize_path("//a/./b/../c"), "/a/c");
        assert_eq!(normalize_path("/"), "/");
        assert!(is_absolute_path("C:\\app"));
        assert!(!is_absolute_path("app"));
    }
}
