//! Volume (`-v`, compose short syntax), `--mount` and `--tmpfs` specs.

use super::csv::first_record;
use crate::model::{Mount, MountKind};

/// Bind propagation modes (the engine's `mount.Propagations`).
const PROPAGATIONS: &[&str] = &[
    "rprivate", "private", "rshared", "shared", "rslave", "slave",
];

/// Parses a `-v` / compose short-syntax volume like docker/cli `volumespec.Parse` (the same
/// algorithm as compose-go's `format.ParseVolume`): `[source:]target[:options]`, where a
/// source starting with `/`, `.`, `~` (or a Windows drive/UNC path) is a bind and any other
/// source a named volume, and a spec without a source is an anonymous volume. Options are
/// comma-separated: `ro`/`rw`, a propagation (`rshared`, …), `z`/`Z` (SELinux relabelling, read
/// by the engine and compose-go), `nocopy`; unknown options are ignored, as upstream does.
///
/// As in upstream, a one-letter first field followed by `:` is a Windows drive (`c:\data`),
/// and a spec of one or two characters is an anonymous volume's target.
pub fn parse_volume_spec(spec: &str) -> Result<Mount, String> {
    let mut mount = Mount::blank_volume();
    match spec.len() {
        0 => return Err("invalid empty volume spec".to_string()),
        1 | 2 => {
            mount.target = spec.to_string();
            return Ok(mount);
        }
        _ => {}
    }
    let mut source = String::new();
    let mut target = String::new();
    let mut buffer = String::new();
    // `None` is upstream's end-of-spec sentinel.
    for c in spec.chars().map(Some).chain([None]) {
        let is_drive = c == Some(':') && is_windows_drive(&buffer);
        if is_drive || (c.is_some() && c != Some(':')) {
            if let Some(c) = c {
                buffer.push(c);
            }
            continue;
        }
        let at_end = c.is_none();
        if buffer.is_empty() {
            return Err(format!(
                "invalid spec: {spec}: empty section between colons"
            ));
        } else if source.is_empty() && at_end {
            target = std::mem::take(&mut buffer);
        } else if source.is_empty() {
            source = std::mem::take(&mut buffer);
        } else if target.is_empty() {
            target = std::mem::take(&mut buffer);
        } else if !at_end {
            return Err(format!("invalid spec: {spec}: too many colons"));
        } else {
            for option in buffer.split(',') {
                match option {
                    "ro" => mount.read_only = true,
                    "rw" => mount.read_only = false,
                    "z" | "Z" => mount.selinux = Some(option.to_string()),
                    _ if PROPAGATIONS.contains(&option) => {
                        mount.propagation = Some(option.to_string())
                    }
                    _ => {} // `nocopy`, consistency modes, unknown: ignored upstream
                }
            }
            buffer.clear();
        }
    }
    mount.target = target;
    if !source.is_empty() {
        if is_file_path(&source) {
            mount.kind = MountKind::Bind;
        }
        mount.source = Some(source);
    }
    Ok(mount)
}

/// upstream `isWindowsDrive`: the buffer is exactly one letter.
fn is_windows_drive(buffer: &str) -> bool {
    let mut chars = buffer.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
}

/// upstream `isFilePath`: does a volume source name a host path (a bind)?
fn is_file_path(source: &str) -> bool {
    let mut chars = source.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if matches!(first, '.' | '/' | '~') {
        return true;
    }
    let Some(second) = chars.next() else {
        return false;
    };
    source.starts_with(r"\\") || (first.is_alphabetic() && second == ':')
}

/// Parses a `--mount` value like docker/cli `opts.MountOpt.Set`: CSV `key=value` fields,
/// `type=bind|volume|tmpfs|npipe|image|cluster` (default `volume`), `source`/`src`,
/// `target`/`dst`/`destination`, `readonly`/`ro` (`=true|false|1|0`, bare = true),
/// `bind-propagation`, `bind-recursive`, `bind-create-src`, `volume-*`, `image-subpath`,
/// `tmpfs-size` (a size, checked), `tmpfs-mode` (octal, checked), `consistency`. Keys are
/// case-insensitive; whitespace around keys or values, empty values, unknown keys and
/// options of another mount type are errors, as in the CLI. A relative source is kept as
/// written (the CLI makes it absolute against its working directory).
pub fn parse_mount_spec(value: &str) -> Result<Mount, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("value is empty".to_string());
    }
    let mut mount = Mount::blank_volume();
    // Which option families were used, for the exclusivity check.
    let (mut bind_opts, mut volume_opts, mut image_opts, mut tmpfs_opts) =
        (false, false, false, false);
    let mut bind_recursive = None;
    for field in first_record(value)? {
        let (key, val) = match field.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (field.as_str(), None),
        };
        if key.trim() != key {
            return Err(format!(
                "invalid option '{}' in '{field}': option should not have whitespace",
                key.trim()
            ));
        }
        if let Some(v) = val {
            if v.trim().is_empty() {
                return Err(format!("invalid value for '{key}': value is empty"));
            }
            if v.trim() != v {
                return Err(format!(
                    "invalid value for '{key}' in '{field}': value should not have whitespace"
                ));
            }
        }
        let key = key.to_lowercase();
        let val_or_empty = val.unwrap_or("");
        if val.is_none()
            && !matches!(
                key.as_str(),
                "readonly" | "ro" | "volume-nocopy" | "bind-nonrecursive" | "bind-create-src"
            )
        {
            return Err(format!("invalid field '{field}' must be a key=value pair"));
        }
        match key.as_str() {
            "type" => mount.kind = MountKind::from_type(&val_or_empty.to_lowercase()),
            "source" | "src" => mount.source = Some(val_or_empty.to_string()),
            "target" | "dst" | "destination" => mount.target = val_or_empty.to_string(),
            "readonly" | "ro" => mount.read_only = parse_bool_value(&key, val)?,
            "consistency" => {}
            "bind-propagation" => {
                bind_opts = true;
                mount.propagation = Some(val_or_empty.to_lowercase());
            }
            "bind-nonrecursive" => {
                return Err(
                    "bind-nonrecursive is deprecated, use bind-recursive=disabled instead"
                        .to_string(),
                )
            }
            "bind-recursive" => {
                bind_opts = true;
                match val_or_empty {
                    "enabled" | "disabled" | "writable" | "readonly" => {
                        bind_recursive = Some(val_or_empty.to_string())
                    }
                    _ => {
                        return Err(format!(
                            r#"invalid value for {key}: {val_or_empty} (must be "enabled", "disabled", "writable", or "readonly")"#
                        ))
                    }
                }
            }
            "bind-create-src" => {
                bind_opts = true;
                parse_bool_value(&key, val)?;
            }
            "volume-subpath" | "volume-label" | "volume-driver" | "volume-opt" => {
                volume_opts = true
            }
            "volume-nocopy" => {
                volume_opts = true;
                parse_bool_value(&key, val)?;
            }
            "image-subpath" => image_opts = true,
            "tmpfs-size" => {
                tmpfs_opts = true;
                super::parse_ram_bytes(val_or_empty)
                    .map_err(|_| format!("invalid value for {key}: {val_or_empty}"))?;
            }
            "tmpfs-mode" => {
                tmpfs_opts = true;
                u32::from_str_radix(val_or_empty, 8)
                    .map_err(|_| format!("invalid value for {key}: {val_or_empty}"))?;
            }
            _ => return Err(format!("unknown option '{key}' in '{field}'")),
        }
    }
    let type_name = kind_name(&mount.kind);
    for (used, family, kind) in [
        (bind_opts, "bind", MountKind::Bind),
        (volume_opts, "volume", MountKind::Volume),
        (image_opts, "image", MountKind::Image),
        (tmpfs_opts, "tmpfs", MountKind::Tmpfs),
    ] {
        if used && mount.kind != kind {
            return Err(format!(
                "cannot mix '{family}-*' options with mount type '{type_name}'"
            ));
        }
    }
    match bind_recursive.as_deref() {
        Some("writable") if !mount.read_only => {
            return Err(
                "option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction"
                    .to_string(),
            )
        }
        Some("readonly") if !mount.read_only => {
            return Err(
                "option 'bind-recursive=readonly' requires 'readonly' to be specified in conjunction"
                    .to_string(),
            )
        }
        Some("readonly") if mount.propagation.as_deref() != Some("rprivate") => {
            return Err("option 'bind-recursive=readonly' requires 'bind-propagation=rprivate' to be specified in conjunction".to_string())
        }
        _ => {}
    }
    Ok(mount)
}

fn kind_name(kind: &MountKind) -> &str {
    match kind {
        MountKind::Bind => "bind",
        MountKind::Volume => "volume",
        MountKind::Tmpfs => "tmpfs",
        MountKind::Npipe => "npipe",
        MountKind::Image => "image",
        MountKind::Cluster => "cluster",
        MountKind::Other(s) => s,
    }
}

/// docker/cli `parseBoolValue`: bare = true; otherwise only `1`, `true`, `0`, `false`.
fn parse_bool_value(key: &str, val: Option<&str>) -> Result<bool, String> {
    match val {
        None | Some("1") | Some("true") => Ok(true),
        Some("0") | Some("false") => Ok(false),
        Some(v) => Err(format!(
            r#"invalid value for '{key}': invalid boolean value ({v:?}): must be one of "true", "1", "false", or "0" (default "true")"#
        )),
    }
}

/// Parses `--tmpfs /path[:options]` (the CLI splits at the first `:`; the options are mount
/// options such as `rw,noexec,size=64m`, of which only `ro` matters here).
pub fn parse_tmpfs_spec(spec: &str) -> Result<Mount, String> {
    let (target, options) = spec.split_once(':').unwrap_or((spec, ""));
    if target.is_empty() {
        return Err(format!("invalid tmpfs spec {spec:?}: no path"));
    }
    Ok(Mount {
        kind: MountKind::Tmpfs,
        source: None,
        target: target.to_string(),
        read_only: options.split(',').any(|o| o == "ro"),
        propagation: None,
        selinux: None,
    })
}

/// Go's `path.Clean`: the shortest lexically equivalent slash path (`/var/../run/` →
/// `/run`), so rules compare paths as the kernel resolves them (without symlinks).
pub fn clean_path(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(kind: MountKind, source: Option<&str>, target: &str, ro: bool) -> Mount {
        Mount {
            kind,
            source: source.map(str::to_string),
            target: target.to_string(),
            read_only: ro,
            propagation: None,
            selinux: None,
        }
    }

    /// docker/cli internal/volumespec/volumespec_test.go (Linux cases).
    #[test]
    fn volume_specs_upstream() {
        use MountKind::*;
        let cases: &[(&str, Mount)] = &[
            ("/path", m(Volume, None, "/path", false)),
            ("/path:ro", m(Bind, Some("/path"), "ro", false)),
            ("/path:/other", m(Bind, Some("/path"), "/other", false)),
            ("/path:/other:ro", m(Bind, Some("/path"), "/other", true)),
            ("/path:/other:rw", m(Bind, Some("/path"), "/other", false)),
            ("./path:/other", m(Bind, Some("./path"), "/other", false)),
            ("../path:/other", m(Bind, Some("../path"), "/other", false)),
            ("~/path:/other", m(Bind, Some("~/path"), "/other", false)),
            ("name:/other", m(Volume, Some("name"), "/other", false)),
            ("name:/other:ro", m(Volume, Some("name"), "/other", true)),
            (
                "c:\\data:c:\\other",
                m(Bind, Some("c:\\data"), "c:\\other", false),
            ),
            ("/a", m(Volume, None, "/a", false)),
            ("/", m(Volume, None, "/", false)),
            ("a:/data", m(Volume, None, "a:/data", false)),
            ("C:\\path", m(Volume, None, "C:\\path", false)),
            (".", m(Volume, None, ".", false)),
            (
                "/source:/target:slave",
                Mount {
                    propagation: Some("slave".into()),
                    ..m(Bind, Some("/source"), "/target", false)
                },
            ),
            (
                "name:/target:bogus",
                m(Volume, Some("name"), "/target", false),
            ),
            (
                "name:/target:nocopy",
                m(Volume, Some("name"), "/target", false),
            ),
        ];
        for (spec, want) in cases {
            assert_eq!(parse_volume_spec(spec).as_ref(), Ok(want), "{spec}");
        }
        let with_opts = parse_volume_spec("/var/run:/host/run:ro,z,rshared,nocopy").unwrap();
        assert!(with_opts.read_only);
        assert_eq!(with_opts.selinux.as_deref(), Some("z"));
        assert_eq!(with_opts.propagation.as_deref(), Some("rshared"));
        assert_eq!(with_opts.kind, MountKind::Bind);
    }

    #[test]
    fn volume_spec_errors() {
        assert_eq!(
            parse_volume_spec("").unwrap_err(),
            "invalid empty volume spec"
        );
        assert!(parse_volume_spec(":/foo")
            .unwrap_err()
            .contains("empty section between colons"));
        assert!(parse_volume_spec("/foo::ro").is_err());
        assert_eq!(
            parse_volume_spec("/foo:/foo:ro:foo").unwrap_err(),
            "invalid spec: /foo:/foo:ro:foo: too many colons"
        );
        assert!(parse_volume_spec("/foo:/bar:").is_err());
    }

    /// docker/cli opts/mount_test.go.
    #[test]
    fn mount_specs_upstream() {
        for spec in [
            "type=bind,src=/source,dst=/target",
            "type=bind,source=/source,target=/target",
            "type=bind,source=/source,destination=/target",
        ] {
            assert_eq!(
                parse_mount_spec(spec),
                Ok(m(MountKind::Bind, Some("/source"), "/target", false)),
                "{spec}"
            );
        }
        assert_eq!(
            parse_mount_spec("target=/target,source=/foo").unwrap().kind,
            MountKind::Volume
        );
        let p = parse_mount_spec("type=bind,src=/,dst=/host,bind-propagation=rshared,readonly")
            .unwrap();
        assert_eq!(p.propagation.as_deref(), Some("rshared"));
        assert!(p.read_only);
        let t = parse_mount_spec("type=tmpfs,dst=/run,tmpfs-size=64m,tmpfs-mode=1770").unwrap();
        assert_eq!(t.kind, MountKind::Tmpfs);
        assert_eq!(
            parse_mount_spec("type=volume,src=data,dst=/d,volume-nocopy")
                .unwrap()
                .source,
            Some("data".to_string())
        );
        assert_eq!(
            parse_mount_spec("\"type=bind\",\"src=/a,b\",dst=/c")
                .unwrap()
                .source,
            Some("/a,b".to_string())
        );
    }

    /// docker/cli opts/mount_test.go `TestMountOptErrors`.
    #[test]
    fn mount_spec_errors_upstream() {
        let cases = [
            ("", "value is empty"),
            (
                "type=volume,target=/foo,bogus=foo",
                "unknown option 'bogus' in 'bogus=foo'",
            ),
            (
                "type=volume, src=/foo,target=/foo",
                "invalid option 'src' in ' src=/foo': option should not have whitespace",
            ),
            (
                "type=volume,src =/foo,target=/foo",
                "invalid option 'src' in 'src =/foo': option should not have whitespace",
            ),
            (
                "type=volume,src=,target=/foo",
                "invalid value for 'src': value is empty",
            ),
            (
                "type=volume,src= /foo,target=/foo",
                "invalid value for 'src' in 'src= /foo': value should not have whitespace",
            ),
            (
                "type=volume,src=/foo ,target=/foo",
                "invalid value for 'src' in 'src=/foo ': value should not have whitespace",
            ),
            (
                "type=volume,target=/foo,bogus",
                "invalid field 'bogus' must be a key=value pair",
            ),
            (
                "type=tmpfs,target=/foo,tmpfs-size=foo",
                "invalid value for tmpfs-size: foo",
            ),
            (
                "type=tmpfs,target=/foo,tmpfs-mode=foo",
                "invalid value for tmpfs-mode: foo",
            ),
            (
                "type=volume,target=/foo,source=/foo,bind-propagation=rprivate",
                "cannot mix 'bind-*' options with mount type 'volume'",
            ),
            (
                "type=bind,target=/foo,source=/foo,volume-nocopy=true",
                "cannot mix 'volume-*' options with mount type 'bind'",
            ),
        ];
        for (spec, want) in cases {
            assert_eq!(parse_mount_spec(spec).unwrap_err(), want, "{spec}");
        }
    }

    /// docker/cli opts/mount_test.go `TestMountOptReadOnly`.
    #[test]
    fn mount_readonly_upstream() {
        let ok = [
            ("", false),
            ("readonly", true),
            ("readonly=1", true),
            ("readonly=true", true),
            ("readonly=0", false),
            ("readonly=false", false),
            ("ro", true),
            ("ro=1", true),
            ("ro=true", true),
            ("ro=0", false),
            ("ro=false", false),
        ];
        for (opt, want) in ok {
            let mut spec = "type=bind,target=/foo,source=/foo".to_string();
            if !opt.is_empty() {
                spec = format!("{spec},{opt}");
            }
            assert_eq!(
                parse_mount_spec(&spec).map(|m| m.read_only),
                Ok(want),
                "{spec}"
            );
        }
        for bad in ["readonly=", "readonly= true", "readonly=no"] {
            assert!(parse_mount_spec(&format!("type=bind,target=/foo,source=/foo,{bad}")).is_err());
        }
    }

    #[test]
    fn tmpfs() {
        let t = parse_tmpfs_spec("/run:rw,noexec,size=64m").unwrap();
        assert_eq!(t.target, "/run");
        assert!(!t.read_only);
        assert!(parse_tmpfs_spec("/ro:ro").unwrap().read_only);
        assert!(parse_tmpfs_spec(":ro").is_err());
    }

    /// Go path_test.go `cleantests` (selection).
    #[test]
    fn clean() {
        for (input, want) in [
            ("", "."),
            ("abc", "abc"),
            ("abc/def", "abc/def"),
            ("..", ".."),
            ("../..", "../.."),
            ("/", "/"),
            ("abc/", "abc"),
            ("/abc/def/", "/abc/def"),
            ("abc//def//ghi", "abc/def/ghi"),
            ("//abc", "/abc"),
            ("abc/./def", "abc/def"),
            ("/./abc/def", "/abc/def"),
            ("abc/def/ghi/../jkl", "abc/def/jkl"),
            ("abc/def/../ghi/../jkl", "abc/jkl"),
            ("abc/def/..", "abc"),
            ("abc/def/../..", "."),
            ("/abc/def/../..", "/"),
            ("abc/def/../../..", ".."),
            ("/abc/def/../../..", "/"),
            ("abc/def/../../../ghi/jkl/../../../mno", "../../mno"),
            ("/var/run/../run/docker.sock", "/var/run/docker.sock"),
            ("/var/../run/./docker.sock", "/run/docker.sock"),
        ] {
            assert_eq!(clean_path(input), want, "{input}");
        }
    }
}
