//! `--device` / compose `devices:` entries.

use super::mounts::clean_path;
use crate::model::Device;

/// Parses a device mapping like docker/cli does for a Linux engine (`validateLinuxPath`, then
/// `parseLinuxDevice`): `host[:container][:permissions]`, where a second field made only of
/// distinct `r`, `w`, `m` letters is the permissions, and the container path must be absolute.
/// Paths are cleaned as upstream does (`path.Clean`). `container_path` and `permissions` stay
/// `None` when not written (the engine then uses the host path and `rwm`).
///
/// A CDI device name (`vendor.com/class=name`) is not a path: it is returned as `host_path`
/// with nothing else, since it still hands host devices to the container.
pub fn parse_device_spec(spec: &str) -> Result<Device, String> {
    if is_cdi_device_name(spec) {
        return Ok(Device {
            host_path: spec.to_string(),
            container_path: None,
            permissions: None,
        });
    }
    let bad_format = || format!("bad format for path: {spec}");
    if spec.matches(':').count() > 2 {
        return Err(bad_format());
    }
    let parts: Vec<&str> = spec.splitn(3, ':').collect();
    let (host, container, mode) = match parts.as_slice() {
        [host] => (*host, None, None),
        [host, second] if valid_device_mode(second) => (*host, None, Some(*second)),
        [host, second] => (*host, Some(*second), None),
        [host, container, mode] => (*host, Some(*container), Some(*mode)),
        _ => return Err(bad_format()),
    };
    if host.is_empty() {
        return Err(bad_format());
    }
    if let (Some(_), Some(mode)) = (container, mode) {
        if !valid_device_mode(mode) {
            return Err(format!("bad mode specified: {mode}"));
        }
    }
    let checked_container = container.unwrap_or(host);
    if !checked_container.starts_with('/') {
        return Err(format!("{checked_container} is not an absolute path"));
    }
    // Upstream cleans the path it checked, except in the three-field form.
    let clean = |p: &str| {
        if parts.len() == 3 {
            p.to_string()
        } else {
            clean_path(p)
        }
    };
    Ok(Device {
        host_path: if container.is_none() {
            clean(host)
        } else {
            host.to_string()
        },
        container_path: container.map(clean),
        permissions: mode.map(str::to_string),
    })
}

/// upstream `validDeviceMode`: non-empty, only `r`, `w`, `m`, each at most once.
fn valid_device_mode(mode: &str) -> bool {
    let mut seen = [false; 3];
    !mode.is_empty()
        && mode.chars().all(|c| {
            let i = match c {
                'r' => 0,
                'w' => 1,
                'm' => 2,
                _ => return false,
            };
            !std::mem::replace(&mut seen[i], true)
        })
}

/// Whether `name` is a fully qualified CDI device name, `vendor/class=name`
/// (tags.cncf.io/container-device-interface `parser.IsQualifiedName`): vendor is a domain-like
/// name (letters, digits, `.`, `_`, `-`, starting with a letter and ending with a letter or
/// digit), class letters, digits, `_`, `-` likewise, and name letters, digits, `_`, `.`, `:`,
/// `-`, starting and ending with a letter or digit.
pub fn is_cdi_device_name(name: &str) -> bool {
    let Some((vendor, rest)) = name.split_once('/') else {
        return false;
    };
    let Some((class, dev)) = rest.split_once('=') else {
        return false;
    };
    let edge_ok = |s: &str, first_alpha: bool| {
        let first = s.chars().next();
        let last = s.chars().last();
        first.is_some_and(|c| {
            if first_alpha {
                c.is_ascii_alphabetic()
            } else {
                c.is_ascii_alphanumeric()
            }
        }) && last.is_some_and(|c| c.is_ascii_alphanumeric())
    };
    edge_ok(vendor, true)
        && vendor
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && edge_ok(class, true)
        && class
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        && edge_ok(dev, false)
        && dev
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev(host: &str, ctr: Option<&str>, perms: Option<&str>) -> Device {
        Device {
            host_path: host.to_string(),
            container_path: ctr.map(str::to_string),
            permissions: perms.map(str::to_string),
        }
    }

    /// docker/cli opts_test.go `TestParseDevice`.
    #[test]
    fn devices_upstream() {
        assert_eq!(
            parse_device_spec("/dev/snd"),
            Ok(dev("/dev/snd", None, None))
        );
        assert_eq!(
            parse_device_spec("/dev/snd:rw"),
            Ok(dev("/dev/snd", None, Some("rw")))
        );
        assert_eq!(
            parse_device_spec("/dev/snd:/something"),
            Ok(dev("/dev/snd", Some("/something"), None))
        );
        assert_eq!(
            parse_device_spec("/dev/snd:/something:rw"),
            Ok(dev("/dev/snd", Some("/something"), Some("rw")))
        );
        assert_eq!(
            parse_device_spec("vendor.com/class=name"),
            Ok(dev("vendor.com/class=name", None, None))
        );
        assert_eq!(
            parse_device_spec("/dev/fuse/"),
            Ok(dev("/dev/fuse", None, None))
        );
    }

    /// docker/cli opts_test.go `TestValidateDevice`.
    #[test]
    fn validate_device_upstream() {
        for ok in [
            "/home",
            "/home:/home",
            "/home:/something/else",
            "/with space",
            "/home:/with space",
            "relative:/absolute-path",
            "hostPath:/containerPath:r",
            "/hostPath:/containerPath:rw",
            "/hostPath:/containerPath:mrw",
        ] {
            assert!(parse_device_spec(ok).is_ok(), "{ok}");
        }
        let invalid = [
            ("", "bad format for path: "),
            ("./", "./ is not an absolute path"),
            ("../", "../ is not an absolute path"),
            ("/:../", "../ is not an absolute path"),
            ("/:path", "path is not an absolute path"),
            (":", "bad format for path: :"),
            ("/tmp:", " is not an absolute path"),
            (":test", "bad format for path: :test"),
            (":/test", "bad format for path: :/test"),
            ("tmp:", " is not an absolute path"),
            (":test:", "bad format for path: :test:"),
            ("::", "bad format for path: ::"),
            (":::", "bad format for path: :::"),
            ("/tmp:::", "bad format for path: /tmp:::"),
            (":/tmp::", "bad format for path: :/tmp::"),
            ("path:ro", "ro is not an absolute path"),
            ("path:rr", "rr is not an absolute path"),
            ("a:/b:ro", "bad mode specified: ro"),
            ("a:/b:rr", "bad mode specified: rr"),
        ];
        for (spec, want) in invalid {
            assert_eq!(parse_device_spec(spec).unwrap_err(), want, "{spec:?}");
        }
    }

    #[test]
    fn cdi_names() {
        assert!(is_cdi_device_name("nvidia.com/gpu=all"));
        assert!(is_cdi_device_name("vendor.com/class=name"));
        assert!(!is_cdi_device_name("/dev/snd"));
        assert!(!is_cdi_device_name("vendor.com/class="));
        assert!(!is_cdi_device_name("/class=name"));
    }
}
