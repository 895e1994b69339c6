//! `EXPOSE` port specifications as BuildKit accepts them: `80`, `80/tcp`, `8000-8010/udp`.
//! A host part (`8080:80`, `127.0.0.1:80:80`) is a `docker run -p` mapping, which EXPOSE does
//! not take.

use crate::analysis::stages::{self, StageView, Stages};
use crate::ast::{Command, Instruction, Located};

/// One parsed `EXPOSE` word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortSpec {
    Valid {
        start: u32,
        end: u32,
        /// Lower-cased protocol, `tcp` when omitted.
        proto: String,
    },
    Invalid(String),
}

/// Parses one `EXPOSE` word (already variable-expanded).
pub fn parse(word: &str) -> PortSpec {
    let w = word.trim();
    if w.contains(':') {
        return PortSpec::Invalid(
            "contains a host part (`host:container` is a `docker run -p` mapping; EXPOSE takes \
             only container ports)"
                .to_string(),
        );
    }
    let (ports, proto) = match w.split_once('/') {
        Some((p, proto)) => (p, proto.to_ascii_lowercase()),
        None => (w, "tcp".to_string()),
    };
    if !matches!(proto.as_str(), "tcp" | "udp" | "sctp") {
        return PortSpec::Invalid(format!(
            "uses protocol `{proto}` (only tcp, udp and sctp exist)"
        ));
    }
    let (a, b) = match ports.split_once('-') {
        Some((a, b)) => (a, b),
        None => (ports, ports),
    };
    let num = |s: &str| -> Option<u32> {
        if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) || s.len() > 6 {
            None
        } else {
            s.parse().ok()
        }
    };
    match (num(a), num(b)) {
        (Some(start), Some(end)) => {
            if start == 0 || end == 0 {
                PortSpec::Invalid("is port 0, which cannot be used".to_string())
            } else if start > 65535 || end > 65535 {
                PortSpec::Invalid("is out of range (ports are 1–65535)".to_string())
            } else if start > end {
                PortSpec::Invalid("is a range that ends before it starts".to_string())
            } else {
                PortSpec::Valid { start, end, proto }
            }
        }
        _ => PortSpec::Invalid("is not a port number or range".to_string()),
    }
}

/// One port of an `EXPOSE` (also under ONBUILD): a whitespace-separated part of a word after
/// variable expansion. Words that do not expand are passed over.
pub struct ExposedPort<'p> {
    pub stage: &'p StageView<'p>,
    pub instr: &'p Instruction,
    pub onbuild: bool,
    /// The word as written.
    pub word: &'p Located<String>,
    pub part: &'p str,
    pub spec: PortSpec,
}

/// Calls `f` for every exposed port of every stage, in source order.
pub fn each_exposed(stages: &Stages<'_>, mut f: impl FnMut(ExposedPort<'_>)) {
    stages::walk_all(stages, |stage, instr, onbuild, vars| {
        let Command::Expose(words) = &instr.command else {
            return;
        };
        for word in words {
            let Ok(value) = vars.expand(&word.value) else {
                continue;
            };
            for part in value.split_whitespace() {
                f(ExposedPort {
                    stage,
                    instr,
                    onbuild,
                    word,
                    part,
                    spec: parse(part),
                });
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ports() {
        assert_eq!(
            parse("80/TCP"),
            PortSpec::Valid {
                start: 80,
                end: 80,
                proto: "tcp".into()
            }
        );
        assert!(matches!(
            parse("8000-8010/udp"),
            PortSpec::Valid {
                start: 8000,
                end: 8010,
                ..
            }
        ));
        assert!(matches!(parse("8080:80"), PortSpec::Invalid(_)));
        assert!(matches!(parse("70000"), PortSpec::Invalid(_)));
        assert!(matches!(parse("80/http"), PortSpec::Invalid(_)));
        assert!(matches!(parse("ssh"), PortSpec::Invalid(_)));
        assert!(matches!(parse("90-80"), PortSpec::Invalid(_)));
    }
}
