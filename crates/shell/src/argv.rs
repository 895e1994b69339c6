//! What a command line really runs: wrappers (`sudo`, `env`, `xargs`, `nice`, `timeout`,
//! `gosu`, …) peeled off, and shells started with a script (`sh -c '…'`, `bash -s`,
//! `su -c '…'`) recognised, with the options that matter to linting (`-o pipefail`).

use super::ast::Word;

/// The last path component of a command name (`/usr/bin/curl` → `curl`).
pub fn basename(name: &str) -> &str {
    // A byte scan: this runs for every word that may be a command name, and `rsplit` costs
    // several times more on such short strings. `/` is ASCII, so `i + 1` is a char boundary.
    match name.bytes().rposition(|b| b == b'/') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// Shells that read POSIX `sh` syntax.
pub fn is_posix_shell(name: &str) -> bool {
    matches!(
        basename(name),
        "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "mksh" | "ksh93" | "yash" | "posh"
    )
}

/// A wrapper command: runs the command given after its options and fixed operands.
struct Wrapper {
    /// Options that take the next word as their value.
    with_arg: &'static [&'static str],
    /// Operands before the wrapped command (`gosu USER cmd`, `timeout 10 cmd`).
    operands: usize,
    /// `NAME=value` words may come before the command (`env`, `sudo`).
    assignments: bool,
    /// Options that make it not run a command (`command -v`, `sudo -l`).
    not_a_wrapper: &'static [&'static str],
}

fn wrapper(name: &str) -> Option<Wrapper> {
    let w = |with_arg, operands, assignments, not_a_wrapper| {
        Some(Wrapper {
            with_arg,
            operands,
            assignments,
            not_a_wrapper,
        })
    };
    match name {
        "sudo" => w(
            &[
                "-u",
                "-g",
                "-C",
                "-D",
                "-h",
                "-p",
                "-r",
                "-t",
                "-T",
                "-U",
                "--user",
                "--group",
                "--chdir",
                "--prompt",
                "--role",
                "--type",
                "--host",
                "--close-from",
                "--command-timeout",
                "--other-user",
            ],
            0,
            true,
            &[
                "-l",
                "-v",
                "-k",
                "-K",
                "-V",
                "-e",
                "--list",
                "--validate",
                "--edit",
                "--version",
            ],
        ),
        "doas" => w(&["-u", "-C"], 0, false, &[]),
        "env" => w(
            &["-u", "--unset", "-C", "--chdir", "-S", "--split-string"],
            0,
            true,
            &[],
        ),
        "nice" => w(&["-n", "--adjustment"], 0, false, &[]),
        "nohup" | "time" | "eatmydata" | "fakeroot" | "unbuffer" | "builtin" | "catchsegv"
        | "setsid" | "busybox" => w(&[], 0, false, &[]),
        "command" => w(&[], 0, false, &["-v", "-V"]),
        "exec" => w(&["-a"], 0, false, &[]),
        "stdbuf" => w(&["-i", "-o", "-e"], 0, false, &[]),
        "ionice" => w(
            &["-c", "-n", "-p", "-P", "-u", "--class", "--classdata"],
            0,
            false,
            &[],
        ),
        "timeout" => w(&["-s", "-k", "--signal", "--kill-after"], 1, false, &[]),
        "chroot" => w(&["--userspec", "--groups"], 1, false, &[]),
        "gosu" | "su-exec" => w(&[], 1, false, &[]),
        "runuser" => w(
            &["-u", "-g", "-G", "--user", "--group"],
            0,
            false,
            &["-c", "-l"],
        ),
        "xargs" => w(
            &[
                "-I",
                "-L",
                "-n",
                "-P",
                "-s",
                "-d",
                "-E",
                "-a",
                "--arg-file",
                "--delimiter",
                "--max-args",
                "--max-procs",
                "--max-chars",
                "--max-lines",
                "--replace",
                "--eof",
            ],
            0,
            false,
            &[],
        ),
        _ => None,
    }
}

/// The command a word list really runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effective {
    /// Index of the real command name, `None` when the wrappers run nothing (`sudo -s`).
    pub index: Option<usize>,
    /// Indices of wrapper command names peeled off (`sudo`, `env`, …), in order.
    pub wrappers: Vec<usize>,
    /// Indices of `NAME=value` words given to `env`/`sudo`.
    pub assignments: Vec<usize>,
}

/// Peels wrappers off `words`.
pub fn effective(words: &[Word]) -> Effective {
    let mut out = Effective::default();
    let mut k = 0;
    while let Some(word) = words.get(k) {
        let name = basename(&word.text);
        let Some(spec) = wrapper(name) else {
            out.index = Some(k);
            return out;
        };
        if is_query(words, k + 1, &spec) {
            out.index = Some(k);
            return out;
        }
        out.wrappers.push(k);
        k += 1;
        while let Some(w) = words.get(k) {
            let t = w.text.as_str();
            if t == "--" {
                k += 1;
                break;
            }
            let numeric_nice =
                name == "nice" && t.len() > 1 && t[1..].chars().all(|c| c.is_ascii_digit());
            if t.len() > 1 && t.starts_with('-') && !numeric_nice {
                k += if spec.with_arg.contains(&t) { 2 } else { 1 };
                continue;
            }
            if numeric_nice {
                k += 1;
                continue;
            }
            if spec.assignments && w.assignment().is_some() {
                out.assignments.push(k);
                k += 1;
                continue;
            }
            break;
        }
        k += spec.operands;
    }
    out
}

/// Whether the wrapper's options (from `k`) include one that makes it not run a command.
fn is_query(words: &[Word], mut k: usize, spec: &Wrapper) -> bool {
    while let Some(w) = words.get(k) {
        let t = w.text.as_str();
        if !t.starts_with('-') || t == "--" || t == "-" {
            return false;
        }
        if spec.not_a_wrapper.contains(&t) {
            return true;
        }
        k += if spec.with_arg.contains(&t) { 2 } else { 1 };
    }
    false
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
