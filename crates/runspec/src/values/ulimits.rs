//! `--ulimit` / compose `ulimits:` short values.

use crate::model::Ulimit;

/// Resource names the engine accepts (go-units `ulimitNameMapping`; `as` is deliberately
/// disabled there).
const NAMES: &[&str] = &[
    "core",
    "cpu",
    "data",
    "fsize",
    "locks",
    "memlock",
    "msgqueue",
    "nice",
    "nofile",
    "nproc",
    "rss",
    "rtprio",
    "rttime",
    "sigpending",
    "stack",
];

/// Parses `name=soft[:hard]` like go-units `ParseUlimit`: a known resource name, integer
/// limits (`-1` = unlimited), hard defaulting to soft, and soft ≤ hard unless hard is
/// unlimited.
pub fn parse_ulimit(s: &str) -> Result<Ulimit, String> {
    let (name, val) = s
        .split_once('=')
        .ok_or_else(|| format!("invalid ulimit argument: {s}"))?;
    if !NAMES.contains(&name) {
        return Err(format!("invalid ulimit type: {name}"));
    }
    let int = |v: &str| {
        v.parse::<i64>()
            .map_err(|_| format!("invalid ulimit value {v:?} in {s:?}"))
    };
    let (soft, hard) = match val.split_once(':') {
        Some((soft, hard)) => (int(soft)?, int(hard)?),
        None => {
            let soft = int(val)?;
            (soft, soft)
        }
    };
    if hard != -1 {
        if soft == -1 {
            return Err(format!("ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: {hard}"));
        }
        if soft > hard {
            return Err(format!(
                "ulimit soft limit must be less than or equal to hard limit: {soft} > {hard}"
            ));
        }
    }
    Ok(Ulimit {
        name: name.to_string(),
        soft,
        hard,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(name: &str, soft: i64, hard: i64) -> Ulimit {
        Ulimit {
            name: name.to_string(),
            soft,
            hard,
        }
    }

    /// go-units ulimit_test.go.
    #[test]
    fn upstream_valid() {
        assert_eq!(parse_ulimit("nofile=512:1024"), Ok(u("nofile", 512, 1024)));
        assert_eq!(parse_ulimit("nofile=1024"), Ok(u("nofile", 1024, 1024)));
        assert_eq!(parse_ulimit("cpu=2:4"), Ok(u("cpu", 2, 4)));
        assert_eq!(parse_ulimit("cpu=6"), Ok(u("cpu", 6, 6)));
        assert_eq!(parse_ulimit("nproc=512"), Ok(u("nproc", 512, 512)));
        assert_eq!(parse_ulimit("nofile=-1"), Ok(u("nofile", -1, -1)));
        assert_eq!(parse_ulimit("nofile=1024:-1"), Ok(u("nofile", 1024, -1)));
        assert_eq!(parse_ulimit("nofile=-1:-1"), Ok(u("nofile", -1, -1)));
    }

    /// go-units ulimit_test.go error cases.
    #[test]
    fn upstream_invalid() {
        for bad in [
            "notarealtype=1024:1024",
            "nofile:1024:1024",
            "nofile",
            "nofile=",
            "nofile=:",
            "nofile=:1024",
            "nofile=1024=512",
            "nofile=1024:512=extra",
            "nofile=1024:1",
            "nofile=-1:1024",
            "nofile=asdf",
            "nofile=1024:asdf",
            "nofile=99999999999999999999",
            "as=1",
        ] {
            assert!(parse_ulimit(bad).is_err(), "{bad:?} should fail");
        }
    }
}
