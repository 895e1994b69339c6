//! `KEY=VALUE` entries: environment variables, sysctls, log options.

/// Parses one `-e` / compose `environment:` list entry like docker/cli `opts.ValidateEnv`:
/// `NAME=value` (the value may be empty, and may itself contain `=`), or `NAME` alone, whose
/// value comes from the environment of whoever runs the command (`None` here: this crate
/// reads no environment). An empty name is an error; names are not otherwise validated.
pub fn parse_env_assignment(s: &str) -> Result<(String, Option<String>), String> {
    let (name, value) = match s.split_once('=') {
        Some((n, v)) => (n, Some(v.to_string())),
        None => (s, None),
    };
    if name.is_empty() {
        return Err(format!("invalid environment variable: {s}"));
    }
    Ok((name.to_string(), value))
}

/// Parses a `key=value` pair that needs both (`--sysctl`, `--log-opt`, `--label`): the value
/// may be empty, the key may not.
pub fn parse_key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("invalid key=value pair: {s:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docker/cli opts/env_test.go `TestValidateEnv` (without the environment lookup).
    #[test]
    fn env_assignments() {
        let some = |n: &str, v: &str| Ok((n.to_string(), Some(v.to_string())));
        assert_eq!(parse_env_assignment("a=1"), some("a", "1"));
        assert_eq!(parse_env_assignment("a="), some("a", ""));
        assert_eq!(parse_env_assignment("a=b=c"), some("a", "b=c"));
        assert_eq!(
            parse_env_assignment("some spaces=x"),
            some("some spaces", "x")
        );
        assert_eq!(parse_env_assignment("_=a"), some("_", "a"));
        assert_eq!(parse_env_assignment("PATH"), Ok(("PATH".to_string(), None)));
        assert_eq!(
            parse_env_assignment("=a").unwrap_err(),
            "invalid environment variable: =a"
        );
        assert!(parse_env_assignment("").is_err());
    }

    #[test]
    fn key_values() {
        assert_eq!(
            parse_key_value("net.ipv4.ip_forward=1"),
            Ok(("net.ipv4.ip_forward".to_string(), "1".to_string()))
        );
        assert_eq!(parse_key_value("k="), Ok(("k".to_string(), String::new())));
        assert!(parse_key_value("k").is_err());
        assert!(parse_key_value("=v").is_err());
    }
}
