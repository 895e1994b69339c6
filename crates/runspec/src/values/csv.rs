//! One record of Go's `encoding/csv` (default settings), as the Docker CLI reads `--mount`
//! and the long `--network` syntax: comma-separated fields, a field may be double-quoted
//! (`""` inside is one quote, and a quoted field may hold commas), a quote inside an unquoted
//! field is an error. Only the first record is read, as `csv.Reader.Read` does once.

/// The fields of the first record of `text`.
pub(crate) fn first_record(text: &str) -> Result<Vec<String>, String> {
    // encoding/csv skips empty lines before the first record.
    let text = text.trim_start_matches(['\r', '\n']);
    let mut fields = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    None => return Err("extraneous or missing \" in quoted-field".to_string()),
                    Some('"') => match chars.peek() {
                        Some('"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some(',') | Some('\n') | Some('\r') | None => break,
                        Some(_) => {
                            return Err("extraneous or missing \" in quoted-field".to_string())
                        }
                    },
                    Some(c) => field.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                match c {
                    ',' | '\n' => break,
                    '"' => return Err("bare \" in non-quoted-field".to_string()),
                    _ => {
                        field.push(c);
                        chars.next();
                    }
                }
            }
            // encoding/csv drops the `\r` of a `\r\n` line end.
            if field.ends_with('\r') && matches!(chars.peek(), Some('\n') | None) {
                field.pop();
            }
        }
        fields.push(field);
        match chars.next() {
            Some(',') => continue,
            _ => return Ok(fields),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::first_record;

    #[test]
    fn records() {
        assert_eq!(first_record("a,b,c").unwrap(), ["a", "b", "c"]);
        assert_eq!(first_record("a,\"b,c\",d").unwrap(), ["a", "b,c", "d"]);
        assert_eq!(first_record("\"x\"\"y\"").unwrap(), ["x\"y"]);
        assert_eq!(first_record("a,b\nc,d").unwrap(), ["a", "b"]);
        assert_eq!(first_record("a,").unwrap(), ["a", ""]);
        assert_eq!(first_record("").unwrap(), [""]);
        assert!(first_record("a\"b").is_err());
        assert!(first_record("\"ab").is_err());
        assert!(first_record("\"a\"b").is_err());
    }
}
