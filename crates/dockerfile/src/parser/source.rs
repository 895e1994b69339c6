//! Turning bytes into Dockerfile text, and byte offsets into line/column positions.
//!
//! BuildKit reads any bytes (Go strings need not be UTF-8); plimsoll insists on text so that
//! every finding can quote and underline it: binary files, UTF-16/UTF-32 files and invalid
//! UTF-8 are refused with a message naming the line and what to do.

use crate::ParseError;
use plimsoll_core::{Pos, Span};

/// BuildKit's `bufio.Scanner` refuses a physical line longer than this (`MaxScanTokenSize - 1`).
pub const MAX_LINE_BYTES: usize = 65535;

/// Validates and decodes `bytes`, dropping a UTF-8 byte-order mark. Returns the text and the
/// number of BOM bytes dropped.
pub fn decode(bytes: &[u8]) -> Result<(&str, usize), ParseError> {
    const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
    let boms: [(&[u8], &str); 4] = [
        (b"\xFF\xFE\x00\x00", "UTF-32 LE"),
        (b"\x00\x00\xFE\xFF", "UTF-32 BE"),
        (b"\xFF\xFE", "UTF-16 LE"),
        (b"\xFE\xFF", "UTF-16 BE"),
    ];
    for (bom, name) in boms {
        if bytes.starts_with(bom) {
            return Err(ParseError::new(
                format!("the file is {name} encoded (byte-order mark {}), not UTF-8", hex(bom)),
                Some(Span::new(Pos::new(1, 1), Pos::new(1, 1))),
            )
            .with_hint(format!(
                "BuildKit reads Dockerfiles as UTF-8; re-save the file as UTF-8 (e.g. `iconv -f {} -t UTF-8`)",
                name.replace(' ', "")
            )));
        }
    }
    let (body, bom_len) = match bytes.strip_prefix(UTF8_BOM) {
        Some(rest) => (rest, UTF8_BOM.len()),
        None => (bytes, 0),
    };
    if let Some(nul) = memchr(0, body) {
        let (line, column) = line_col_of_byte(body, nul);
        let likely_utf16 = body.len() >= 2
            && body.iter().take(512).filter(|b| **b == 0).count() * 3 > body.len().min(512);
        let hint = if likely_utf16 {
            "this looks like UTF-16 text without a byte-order mark; re-save it as UTF-8"
        } else {
            "a Dockerfile is a text file; check that the path points at the Dockerfile"
        };
        return Err(ParseError::new(
            format!("binary file: NUL byte at line {line}, column {column}"),
            Some(point(line, column)),
        )
        .with_hint(hint));
    }
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let (line, column) = line_col_of_byte(body, at);
            return Err(ParseError::new(
                format!("invalid UTF-8 at line {line}, column {column}"),
                Some(point(line, column)),
            )
            .with_hint("re-save the file as UTF-8 (it may be Latin-1 or Windows-1252 encoded)"));
        }
    };
    check_line_lengths(text, bom_len)?;
    Ok((text, bom_len))
}

fn point(line: u32, column: u32) -> Span {
    Span::new(Pos::new(line, column), Pos::new(line, column + 1))
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    memchr::memchr(needle, hay)
}

/// 1-based line and column (in characters, counting undecodable bytes as one each) of a byte.
fn line_col_of_byte(bytes: &[u8], at: usize) -> (u32, u32) {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (clamp_u32(line), clamp_u32(column))
}

/// BuildKit fails on a physical line longer than 65,535 bytes (its line scanner's limit), the
/// first line's byte-order mark included.
fn check_line_lengths(text: &str, bom_len: usize) -> Result<(), ParseError> {
    let mut start = 0;
    let mut line_no = 1u32;
    let bytes = text.as_bytes();
    while start <= bytes.len() {
        let end = memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |p| start + p);
        let extra = if line_no == 1 { bom_len } else { 0 };
        if end - start + extra > MAX_LINE_BYTES {
            return Err(ParseError::new(
                format!("dockerfile line greater than max allowed size of {MAX_LINE_BYTES}"),
                Some(Span::new(Pos::new(line_no, 1), Pos::new(line_no, 1))),
            )
            .with_hint(format!(
                "BuildKit cannot read line {line_no}: split it with line continuations"
            )));
        }
        if end == bytes.len() {
            break;
        }
        start = end + 1;
        line_no = line_no.saturating_add(1);
    }
    Ok(())
}

pub fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Maps byte offsets of the text to 1-based line/column positions (columns in characters).
#[derive(Debug, Clone)]
pub struct SourceIndex<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// Whether each line is pure ASCII (then the column is a byte difference).
    ascii: Vec<bool>,
    /// For non-ASCII text: the number of characters before each 64-byte block, so a column is
    /// found in constant time (no rescanning of long lines).
    block_chars: Vec<u32>,
}

const BLOCK: usize = 64;

/// Characters that start in `bytes` (UTF-8 non-continuation bytes).
#[inline]
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| (**b & 0xC0) != 0x80).count()
}

impl<'a> SourceIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        // Whether each line (up to its `\n`, or the end) is pure ASCII.
        let ascii: Vec<bool> = if text.is_ascii() {
            vec![true; line_starts.len()]
        } else {
            line_starts
                .iter()
                .enumerate()
                .map(|(k, &start)| {
                    let end = line_starts.get(k + 1).map_or(bytes.len(), |&n| n - 1);
                    bytes[start..end].is_ascii()
                })
                .collect()
        };
        let mut block_chars = Vec::new();
        if !text.is_ascii() {
            let mut total = 0usize;
            for chunk in text.as_bytes().chunks(BLOCK) {
                block_chars.push(clamp_u32(total));
                total += count_chars(chunk);
            }
            block_chars.push(clamp_u32(total));
        }
        SourceIndex {
            text,
            line_starts,
            ascii,
            block_chars,
        }
    }

    /// Characters in `text[..offset]`, in constant time.
    fn chars_before(&self, offset: usize) -> usize {
        let block = offset / BLOCK;
        let base = self.block_chars.get(block).copied().unwrap_or(0) as usize;
        let bytes = self.text.as_bytes();
        base + count_chars(&bytes[(block * BLOCK).min(offset)..offset.min(bytes.len())])
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The 0-based line index containing byte `offset`.
    fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Position of the character starting at byte `offset`.
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let idx = self.line_index(offset);
        let start = self.line_starts[idx];
        let column = if self.ascii.get(idx).copied().unwrap_or(false) {
            offset - start
        } else {
            self.chars_before(offset) - self.chars_before(start)
        };
        Pos::new(clamp_u32(idx + 1), clamp_u32(column + 1))
    }

    /// Position just after the character starting at byte `offset` (for span ends).
    pub fn pos_after(&self, offset: usize) -> Pos {
        let p = self.pos(offset);
        Pos::new(p.line, p.column.saturating_add(1))
    }

    /// Byte range of line `line` (1-based) without its line terminator.
    pub fn line_range(&self, line: u32) -> (usize, usize) {
        let idx = (line as usize)
            .saturating_sub(1)
            .min(self.line_starts.len() - 1);
        let start = self.line_starts[idx];
        let mut end = self
            .line_starts
            .get(idx + 1)
            .map_or(self.text.len(), |next| next - 1);
        let bytes = self.text.as_bytes();
        while end > start && (bytes[end - 1] == b'\r' || bytes[end - 1] == b'\n') {
            end -= 1;
        }
        (start, end)
    }

    /// Position just past the last character of line `line` (1-based).
    pub fn line_end(&self, line: u32) -> Pos {
        let (start, end) = self.line_range(line);
        let width = if self
            .ascii
            .get((line as usize).saturating_sub(1))
            .copied()
            .unwrap_or(false)
        {
            end - start
        } else {
            self.chars_before(end) - self.chars_before(start)
        };
        Pos::new(line, clamp_u32(width + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let idx = SourceIndex::new("ab\né x\r\nlast");
        assert_eq!(idx.pos(0), Pos::new(1, 1));
        assert_eq!(idx.pos(3), Pos::new(2, 1));
        assert_eq!(idx.pos(6), Pos::new(2, 3)); // 'x' after 'é' (2 bytes) and ' '
        assert_eq!(idx.line_end(2), Pos::new(2, 4));
        assert_eq!(idx.line_end(3), Pos::new(3, 5));
    }

    #[test]
    fn long_non_ascii_lines() {
        let line = format!("{}x\n{}y", "é".repeat(200), "ü€".repeat(40));
        let idx = SourceIndex::new(&line);
        assert_eq!(idx.pos(400), Pos::new(1, 201));
        assert_eq!(idx.line_end(1), Pos::new(1, 202));
        let y = line.len() - 1;
        assert_eq!(idx.pos(y), Pos::new(2, 81));
    }

    #[test]
    fn refuses_non_text() {
        assert!(decode(b"FROM a\n\0")
            .unwrap_err()
            .message
            .contains("binary file"));
        assert!(decode(b"\xFF\xFEF\0")
            .unwrap_err()
            .message
            .contains("UTF-16 LE"));
        let e = decode(b"FROM a\nRUN \xE9\n").unwrap_err();
        assert!(e.message.contains("line 2"), "{}", e.message);
        assert_eq!(decode(b"\xEF\xBB\xBFFROM a").unwrap(), ("FROM a", 3));
    }
}
