//! The lines of one audited file as the human report quotes them: split once, each line
//! redacted and prepared for display ([`DisplayLine`]) at most once, however many findings
//! quote it. Without this, a `docker run` line with 20,000 findings was re-scanned for every
//! one of them (O(findings × line length): over a minute for one command line).

use crate::redact::{self, KeyBlocks};
use crate::text::DisplayLine;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// One file's lines, prepared on demand.
pub struct SourceLines<'a> {
    lines: Vec<&'a str>,
    keys: KeyBlocks,
    prepared: RefCell<HashMap<u32, Rc<DisplayLine>>>,
}

impl<'a> SourceLines<'a> {
    /// Splits `source` on `\n` (a trailing `\r` is dropped when a line is shown).
    pub fn new(source: &'a str) -> SourceLines<'a> {
        let lines: Vec<&str> = source.split('\n').collect();
        let keys = KeyBlocks::find(&lines);
        SourceLines {
            lines,
            keys,
            prepared: RefCell::new(HashMap::new()),
        }
    }

    /// Number of lines.
    pub fn count(&self) -> usize {
        self.lines.len()
    }

    /// 1-based line `n`, redacted and prepared for display (an empty line past the end).
    pub fn line(&self, n: u32) -> Rc<DisplayLine> {
        if let Some(done) = self.prepared.borrow().get(&n) {
            return Rc::clone(done);
        }
        let raw = (n as usize)
            .checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .copied()
            .unwrap_or("");
        let shown = if self.keys.contains(n) {
            DisplayLine::new(&redact::mask_all(raw))
        } else {
            DisplayLine::new(&redact::line(raw))
        };
        let shown = Rc::new(shown);
        self.prepared.borrow_mut().insert(n, Rc::clone(&shown));
        shown
    }
}
