//! daemon.json: the JSON value (serde_json) plus the position of each top-level key, found by
//! a small scan of the text, so findings point at the line that sets the value.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// A parsed daemon.json.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DaemonJson {
    /// The host path.
    pub path: String,
    pub keys: Map<String, Value>,
    /// Top-level key → (line, column) of its opening quote, 1-based; the last occurrence
    /// (Go's decoder keeps the last duplicate).
    pub positions: BTreeMap<String, (u32, u32)>,
}

/// Parses daemon.json text; the error says why dockerd would reject it too.
pub(crate) fn parse(path: &str, text: &str) -> Result<DaemonJson, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(keys) = value else {
        return Err("not a JSON object".to_string());
    };
    Ok(DaemonJson {
        path: path.to_string(),
        keys,
        positions: key_positions(text),
    })
}

/// Positions of the keys of the outermost object. Runs on text serde_json accepted, so a
/// plain scanner of strings and nesting is enough.
fn key_positions(text: &str) -> BTreeMap<String, (u32, u32)> {
    let mut out = BTreeMap::new();
    let mut depth = 0usize;
    let (mut line, mut col) = (1u32, 0u32);
    let mut chars = text.chars().peekable();
    // Whether the next string at depth 1 is a key (after `{` or `,`).
    let mut expect_key = false;
    while let Some(c) = chars.next() {
        col += 1;
        match c {
            '\n' => {
                line += 1;
                col = 0;
            }
            '{' | '[' => {
                depth += 1;
                expect_key = c == '{' && depth == 1;
            }
            '}' | ']' => depth = depth.saturating_sub(1),
            ',' => expect_key = depth == 1,
            '"' => {
                let start = (line, col);
                let mut s = String::new();
                while let Some(c) = chars.next() {
                    col += 1;
                    match c {
                        '\\' => {
                            if let Some(e) = chars.next() {
                                col += 1;
                                s.push(match e {
                                    'n' => '\n',
                                    't' => '\t',
                                    other => other,
                                });
                            }
                        }
                        '"' => break,
                        '\n' => {
                            line += 1;
                            col = 0;
                            s.push(c);
                        }
                        _ => s.push(c),
                    }
                }
                if depth == 1 && expect_key {
                    out.insert(s, start);
                    expect_key = false;
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_top_level_keys() {
        let text = "{\n  \"icc\": true,\n  \"log-opts\": {\"max-size\": \"10m\", \"icc\": \"x\"},\n  \"hosts\": [\"tcp://0.0.0.0:2375\", \"a,b\"], \"live-restore\": false\n}\n";
        let j = parse("/etc/docker/daemon.json", text).unwrap();
        assert_eq!(j.positions.get("icc"), Some(&(2, 3)));
        assert_eq!(j.positions.get("log-opts"), Some(&(3, 3)));
        assert_eq!(j.positions.get("hosts"), Some(&(4, 3)));
        assert_eq!(j.positions.get("live-restore"), Some(&(4, 43)));
        assert!(!j.positions.contains_key("max-size"));
        assert!(parse("p", "[1]").is_err());
        assert!(parse("p", "{").is_err());
    }
}
