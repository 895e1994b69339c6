//! What a command line really runs: wrappers peeled off (by [`crate::wrappers`]), and shells
//! started with a script (`sh -c '…'`, `bash -s`, `su -c '…'`) recognised, with the options
//! that matter to linting (`-o pipefail`).

use super::ast::Word;
pub use crate::wrappers::{effective, Effective};

pub use crate::wrappers::basename;

/// Shells that read POSIX `sh` syntax.
pub fn is_posix_shell(name: &str) -> bool {
    matches!(
        basename(name),
        "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "mksh" | "ksh93" | "yash" | "posh"
    )
}

/// A shell started by a command: `bash -o pipefail -c 'script' arg0`, `sh -s`, `sh script.sh`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShellCall {
    /// Index of the shell's name in the words.
    pub shell: usize,
    /// Index of the `-c` script string.
    pub command_string: Option<usize>,
    /// Index of a script file operand.
    pub script_file: Option<usize>,
    /// Reads its script from standard input (no operand, `-s`, or `-`).
    pub reads_stdin: bool,
    /// Started with `-o pipefail`.
    pub pipefail: bool,
}

/// Recognises a POSIX shell invocation (after wrappers) in `words`.
pub fn shell_call(words: &[Word]) -> Option<ShellCall> {
    let eff = effective(words);
    let at = eff.index?;
    if !is_posix_shell(&words.get(at)?.text) {
        return None;
    }
    let mut call = ShellCall {
        shell: at,
        ..ShellCall::default()
    };
    let mut c_flag = false;
    let mut stdin_flag = false;
    let mut dash = false;
    let mut j = at + 1;
    while let Some(w) = words.get(j) {
        let t = w.text.as_str();
        if t == "--" {
            j += 1;
            break;
        }
        if t == "-" {
            dash = true;
            j += 1;
            break;
        }
        if let Some(long) = t.strip_prefix("--") {
            j += if matches!(long, "rcfile" | "init-file") {
                2
            } else {
                1
            };
            continue;
        }
        if (t.starts_with('-') || t.starts_with('+')) && t.len() > 1 {
            let set = t.starts_with('-');
            let mut extra = 0;
            for ch in t.chars().skip(1) {
                match ch {
                    'c' => c_flag = true,
                    's' => stdin_flag = true,
                    'o' | 'O' => {
                        extra += 1;
                        if ch == 'o' && words.get(j + extra).is_some_and(|n| n.text == "pipefail") {
                            call.pipefail = set;
                        }
                    }
                    _ => {}
                }
            }
            j += 1 + extra;
            continue;
        }
        break;
    }
    if c_flag {
        call.command_string = (j < words.len()).then_some(j);
    } else if stdin_flag || dash || j >= words.len() {
        call.reads_stdin = true;
    } else {
        call.script_file = Some(j);
    }
    Some(call)
}

/// The script strings a command runs through a shell (`sh -c`, `su -c`, `runuser -c`, and
/// those in `find … -exec sh -c '…' \;`), as `(word index, started with pipefail)`.
pub fn inline_scripts(words: &[Word]) -> Vec<(usize, bool)> {
    let mut out = Vec::new();
    if let Some(call) = shell_call(words) {
        if let Some(k) = call.command_string {
            out.push((k, call.pipefail));
        }
        return out;
    }
    let eff = effective(words);
    let Some(at) = eff.index else {
        return out;
    };
    match words.get(at).map(|w| basename(&w.text)) {
        Some("su" | "runuser") => {
            let mut j = at + 1;
            while let Some(w) = words.get(j) {
                let t = w.text.as_str();
                if t == "-c" || t == "--command" {
                    if j + 1 < words.len() {
                        out.push((j + 1, false));
                    }
                    break;
                }
                if t.starts_with("--command=") {
                    break;
                }
                j += 1;
            }
        }
        Some("find") => {
            for (start, end) in find_exec_ranges(words, at) {
                if let Some(call) = shell_call(&words[start..end]) {
                    if let Some(k) = call.command_string {
                        out.push((start + k, call.pipefail));
                    }
                }
            }
        }
        _ => {}
    }
    out
}

/// The `-exec`/`-execdir`/`-ok`/`-okdir` commands of a `find` at `at`: word index ranges
/// (without the terminating `;` or `+`).
pub fn find_exec_ranges(words: &[Word], at: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut j = at + 1;
    while j < words.len() {
        if matches!(
            words[j].text.as_str(),
            "-exec" | "-execdir" | "-ok" | "-okdir"
        ) {
            let start = j + 1;
            let mut end = start;
            while end < words.len() && !matches!(words[end].text.as_str(), ";" | "+") {
                end += 1;
            }
            if end > start {
                out.push((start, end));
            }
            j = end + 1;
        } else {
            j += 1;
        }
    }
    out
}

/// The effect of `set …` (or `shopt -so …`) on `pipefail`: `Some(true)` turns it on.
pub fn pipefail_change(argv: &[Word]) -> Option<bool> {
    let name = basename(&argv.first()?.text);
    let mut result = None;
    match name {
        "set" => {
            let mut j = 1;
            while let Some(w) = argv.get(j) {
                let t = w.text.as_str();
                if t == "--" || !(t.starts_with('-') || t.starts_with('+')) || t.len() < 2 {
                    break;
                }
                let set = t.starts_with('-');
                let mut extra = 0;
                for ch in t.chars().skip(1) {
                    if ch == 'o' {
                        extra += 1;
                        if argv.get(j + extra).is_some_and(|n| n.text == "pipefail") {
                            result = Some(set);
                        }
                    }
                }
                j += 1 + extra;
            }
        }
        "shopt" => {
            let flags: String = argv
                .iter()
                .skip(1)
                .filter(|w| w.text.starts_with('-'))
                .map(|w| w.text.trim_start_matches('-'))
                .collect();
            if flags.contains('o') && argv.iter().any(|w| w.text == "pipefail") {
                if flags.contains('s') {
                    result = Some(true);
                } else if flags.contains('u') {
                    result = Some(false);
                }
            }
        }
        _ => {}
    }
    result
}
