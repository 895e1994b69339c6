//! The running dockerd's arguments, parsed the way dockerd's flag library (spf13/pflag)
//! reads them: `--name=value`, `--name value`, `-H value`, `-Hvalue`, `-H=value`, and a bare
//! `--name` for a boolean. dockerd takes no positional arguments, so a word after a flag that
//! does not start with `-` can only be that flag's value.

/// One flag as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Flag {
    /// The long name without dashes (`host` for `-H`).
    pub name: String,
    pub value: Option<String>,
    /// As written: `--icc=false`, `-H tcp://0.0.0.0:2375`.
    pub written: String,
}

/// dockerd's one-letter aliases.
fn long_of(short: char) -> Option<&'static str> {
    Some(match short {
        'D' => "debug",
        'H' => "host",
        'l' => "log-level",
        'G' => "group",
        'p' => "pidfile",
        's' => "storage-driver",
        'g' => "graph",
        'b' => "bridge",
        'v' => "version",
        'e' => "exec-driver",
        'h' => "help",
        _ => return None,
    })
}

/// Flags whose bare form means true and that never take the next word.
const BOOLS: &[&str] = &[
    "debug",
    "tls",
    "tlsverify",
    "icc",
    "iptables",
    "ip6tables",
    "ip-forward",
    "ip-masq",
    "ipv6",
    "userland-proxy",
    "live-restore",
    "experimental",
    "no-new-privileges",
    "selinux-enabled",
    "raw-logs",
    "init",
    "rootless",
    "validate",
    "version",
    "help",
];

pub(crate) fn parse(args: &[String]) -> Vec<Flag> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            break;
        }
        let (name, inline) = if let Some(body) = a.strip_prefix("--") {
            match body.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (body.to_string(), None),
            }
        } else if let Some(body) = a.strip_prefix('-') {
            let mut chars = body.chars();
            let Some(c) = chars.next() else { continue };
            let rest: String = chars.collect();
            let name = long_of(c)
                .map(str::to_string)
                .unwrap_or_else(|| c.to_string());
            let inline = if let Some(v) = rest.strip_prefix('=') {
                Some(v.to_string())
            } else if rest.is_empty() {
                None
            } else {
                Some(rest)
            };
            (name, inline)
        } else {
            continue;
        };
        if name.is_empty() {
            continue;
        }
        let (value, written) = match inline {
            Some(v) => (Some(v), a.clone()),
            None if !BOOLS.contains(&name.as_str()) => match args.get(i) {
                Some(next) if !next.starts_with('-') => {
                    i += 1;
                    (Some(next.clone()), format!("{a} {next}"))
                }
                _ => (None, a.clone()),
            },
            None => (None, a.clone()),
        };
        out.push(Flag {
            name,
            value,
            written,
        });
    }
    out
}

/// Go's `strconv.ParseBool`.
pub(crate) fn go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Vec<(String, Option<String>, String)> {
        let args: Vec<String> = s.split_whitespace().map(String::from).collect();
        parse(&args)
            .into_iter()
            .map(|f| (f.name, f.value, f.written))
            .collect()
    }

    #[test]
    fn pflag_forms() {
        let got = p("-H fd:// --containerd=/run/containerd/containerd.sock --icc=false -D --log-level warn -Htcp://0.0.0.0:2375 --tlsverify --insecure-registry r:5000");
        let names: Vec<(&str, Option<&str>)> = got
            .iter()
            .map(|(n, v, _)| (n.as_str(), v.as_deref()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("host", Some("fd://")),
                ("containerd", Some("/run/containerd/containerd.sock")),
                ("icc", Some("false")),
                ("debug", None),
                ("log-level", Some("warn")),
                ("host", Some("tcp://0.0.0.0:2375")),
                ("tlsverify", None),
                ("insecure-registry", Some("r:5000")),
            ]
        );
        assert_eq!(got[0].2, "-H fd://");
        assert_eq!(got[4].2, "--log-level warn");
        assert_eq!(p("-H=unix:///x")[0].1.as_deref(), Some("unix:///x"));
        assert_eq!(go_bool("False"), Some(false));
        assert_eq!(go_bool("no"), None);
    }
}
