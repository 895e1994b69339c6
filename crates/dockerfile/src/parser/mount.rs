//! `RUN --mount=type=cache,target=/x,…`: the flag value is one CSV record (Go `encoding/csv`
//! rules, as BuildKit's `parseMount` in `frontend/dockerfile/instructions/commands_runmount.go`
//! reads it via `csvvalue`): fields split on `,`, a field starting with `"` is quoted and `""`
//! inside it is a quote. Each field is `key=value` (key lower-cased) or a bare key (`ro`).
//! BuildKit does not require `target` for bind mounts. Variables in the value are expanded by
//! BuildKit at build time; here they stay as written.

use plimsoll_core::Span;

use crate::ast::Mount;

/// Parses a mount; returns it and, when the CSV is malformed (BuildKit would fail the build),
/// a description of the problem (the fields are then split on plain commas).
pub fn parse_mount(value: &str, span: Span) -> (Mount, Option<String>) {
    let (fields, problem) = match csv_fields(value) {
        Ok(f) => (f, None),
        Err(e) => (
            value.split(',').map(str::to_string).collect(),
            Some(format!("failed to parse csv mounts: {e}")),
        ),
    };
    let mut kind = "bind".to_string();
    let mut options = Vec::with_capacity(fields.len());
    for field in fields {
        let (key, val) = match field.split_once('=') {
            Some((k, v)) => (k.to_lowercase(), Some(v.to_string())),
            None => (field.to_lowercase(), None),
        };
        if key == "type" {
            if let Some(v) = &val {
                kind = v.to_lowercase();
            }
        }
        options.push((key, val));
    }
    (
        Mount {
            kind,
            options,
            span,
        },
        problem,
    )
}

/// Splits one CSV record. Errors on a bare quote in an unquoted field or an unterminated or
/// badly closed quoted field, as Go's strict CSV reader does.
fn csv_fields(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    if s.is_empty() {
        return Ok(out);
    }
    let mut rest = s;
    loop {
        if let Some(q) = rest.strip_prefix('"') {
            let mut field = String::new();
            let mut it = q.char_indices();
            let mut after = None;
            while let Some((i, c)) = it.next() {
                if c != '"' {
                    field.push(c);
                    continue;
                }
                if q[i + 1..].starts_with('"') {
                    field.push('"');
                    it.next();
                    continue;
                }
                after = Some(&q[i + 1..]);
                break;
            }
            let Some(after) = after else {
                return Err("extraneous or missing \" in quoted-field".to_string());
            };
            out.push(field);
            if after.is_empty() {
                return Ok(out);
            }
            match after.strip_prefix(',') {
                Some(r) => rest = r,
                None => return Err("extraneous or missing \" in quoted-field".to_string()),
            }
            if rest.is_empty() {
                out.push(String::new());
                return Ok(out);
            }
        } else {
            let (field, next) = match rest.find(',') {
                Some(i) => (&rest[..i], Some(&rest[i + 1..])),
                None => (rest, None),
            };
            if field.contains('"') {
                return Err("bare \" in non-quoted-field".to_string());
            }
            out.push(field.to_string());
            match next {
                Some(r) => rest = r,
                None => return Ok(out),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_core::Pos;

    fn span() -> Span {
        Span::new(Pos::new(1, 1), Pos::new(1, 2))
    }

    #[test]
    fn parses_mounts() {
        let (m, p) = parse_mount("type=cache,target=/root/.cache,sharing=locked", span());
        assert!(p.is_none());
        assert_eq!(m.kind, "cache");
        assert_eq!(m.target(), Some("/root/.cache"));
        let (m, _) = parse_mount("from=binaries,src=/x,ro", span());
        assert_eq!(m.kind, "bind");
        assert_eq!(m.source(), Some("/x"));
        assert!(m.has("ro"));
        let (m, p) = parse_mount("\"type=secret\",\"id=a,b\"", span());
        assert!(p.is_none());
        assert_eq!(m.kind, "secret");
        assert_eq!(m.option("id"), Some("a,b"));
        let (_, p) = parse_mount("type=bind,source=a\"b", span());
        assert!(p.is_some());
    }

    #[test]
    fn csv_edges() {
        assert_eq!(csv_fields("a,,b").unwrap(), vec!["a", "", "b"]);
        assert_eq!(csv_fields("a,").unwrap(), vec!["a", ""]);
        assert_eq!(csv_fields("\"a\"\"b\"").unwrap(), vec!["a\"b"]);
        assert!(csv_fields("\"a").is_err());
    }
}
