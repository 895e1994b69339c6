//! File modes as `chmod`, `install -m`, `mkdir -m` and `COPY --chmod` take them, numeric
//! (`0777`, `4755`) or symbolic (`o+w`, `u+s,g-w`), reduced to the bits the rules care about.

use crate::analysis::run::commands::Cmd;
use crate::analysis::stages::with_onbuild;
use crate::ast::{Command, Flag, Instruction};
use plimsoll_shell::Word;

/// The permission bits a mode *adds*.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Grants {
    pub world_writable: bool,
    pub setuid: bool,
    pub setgid: bool,
    pub sticky: bool,
}

/// Reads a numeric (octal) or symbolic mode. `None` for anything else (a variable, `--reference`).
pub fn parse(mode: &str) -> Option<Grants> {
    if !mode.is_empty() && mode.chars().all(|c| c.is_digit(8)) {
        let digits = mode.trim_start_matches('0');
        if digits.len() > 4 {
            return None;
        }
        let m = u32::from_str_radix(if digits.is_empty() { "0" } else { digits }, 8).ok()?;
        return Some(Grants {
            world_writable: m & 0o002 != 0,
            setuid: m & 0o4000 != 0,
            setgid: m & 0o2000 != 0,
            sticky: m & 0o1000 != 0,
        });
    }
    symbolic(mode)
}

/// `[ugoa]*([-+=][rwxXstugo]*)+` clauses separated by commas. Without a `who`, `+w` and `=w`
/// are filtered by the umask (022 in builds), so they do not add o+w; `+s` sets both setuid
/// and setgid.
fn symbolic(mode: &str) -> Option<Grants> {
    let mut g = Grants::default();
    for clause in mode.split(',') {
        let who: String = clause.chars().take_while(|c| "ugoa".contains(*c)).collect();
        let mut rest = &clause[who.len()..];
        if rest.is_empty() {
            return None;
        }
        let all = who.is_empty() || who.contains('a');
        while let Some(op) = rest.chars().next() {
            if !matches!(op, '+' | '-' | '=') {
                return None;
            }
            let perms: String = rest[1..]
                .chars()
                .take_while(|c| "rwxXstugo".contains(*c))
                .collect();
            rest = &rest[1 + perms.len()..];
            if op == '-' {
                continue;
            }
            if perms.contains('w') && (who.contains('o') || who.contains('a')) {
                g.world_writable = true;
            }
            if perms.contains('s') {
                g.setuid |= all || who.contains('u');
                g.setgid |= all || who.contains('g');
            }
            if perms.contains('t') {
                g.sticky = true;
            }
        }
    }
    Some(g)
}

/// A mode given to a command, with the word it is in and the files it applies to.
#[derive(Debug, Clone)]
pub struct ModeUse<'s> {
    pub mode: String,
    pub grants: Grants,
    pub word: &'s Word,
    pub targets: Vec<&'s Word>,
    /// The command is `find … -type d -exec chmod …` or the mode is for `mkdir`: the targets
    /// are directories.
    pub directories: bool,
}

/// The mode a `chmod`, `install -m` or `mkdir -m` command sets.
pub fn mode_use<'s>(c: &Cmd<'s>) -> Option<ModeUse<'s>> {
    let name = c.name()?;
    let args = c.args();
    match name {
        "chmod" => {
            let mut k = 0;
            while let Some(w) = args.get(k) {
                let t = w.text.as_str();
                if t == "--" {
                    k += 1;
                    break;
                }
                if t.starts_with("--reference") {
                    return None;
                }
                let is_option = t.starts_with('-')
                    && t.len() > 1
                    && (t.starts_with("--") || t[1..].chars().all(|c| "RvcfHLP".contains(c)));
                if !is_option {
                    break;
                }
                k += 1;
            }
            let mode_word = args.get(k)?;
            let grants = mode_word
                .is_literal()
                .then(|| parse(&mode_word.text))
                .flatten()?;
            let directories = find_type_dir(c);
            Some(ModeUse {
                mode: mode_word.text.clone(),
                grants,
                word: mode_word,
                targets: args
                    .get(k + 1..)
                    .unwrap_or(&[])
                    .iter()
                    .filter(|w| !w.text.starts_with('-'))
                    .collect(),
                directories,
            })
        }
        "install" | "mkdir" => {
            let mut mode: Option<&'s Word> = None;
            let mut mode_text = String::new();
            let mut targets = Vec::new();
            let mut k = 0;
            while let Some(w) = args.get(k) {
                let t = w.text.as_str();
                if t == "-m" || t == "--mode" {
                    mode = args.get(k + 1);
                    mode_text = mode.map(|m| m.text.clone()).unwrap_or_default();
                    k += 2;
                    continue;
                }
                if let Some(v) = t
                    .strip_prefix("--mode=")
                    .or_else(|| t.strip_prefix("-m").filter(|v| !v.is_empty()))
                {
                    mode = Some(w);
                    mode_text = v.to_string();
                    k += 1;
                    continue;
                }
                if matches!(
                    t,
                    "-o" | "-g"
                        | "--owner"
                        | "--group"
                        | "-S"
                        | "-t"
                        | "--target-directory"
                        | "-Z"
                        | "--context"
                ) && name == "install"
                {
                    k += 2;
                    continue;
                }
                if !t.starts_with('-') {
                    targets.push(w);
                }
                k += 1;
            }
            let word = mode?;
            let grants = word.is_literal().then(|| parse(&mode_text)).flatten()?;
            Some(ModeUse {
                mode: mode_text,
                grants,
                word,
                targets: if name == "install" {
                    targets.last().copied().into_iter().collect()
                } else {
                    targets
                },
                directories: name == "mkdir"
                    || args
                        .iter()
                        .any(|w| w.text == "-d" || w.text == "--directory"),
            })
        }
        _ => None,
    }
}

/// The mode as the command wrote it: `chmod 777`, `install -m 0777`.
pub fn shown(c: &Cmd<'_>, m: &ModeUse<'_>) -> String {
    match c.name() {
        Some("chmod") | None => format!("chmod {}", m.mode),
        Some(name) => format!("{name} -m {}", m.mode),
    }
}

/// `find … -type d … -exec chmod …`: the found files are directories.
fn find_type_dir(c: &Cmd<'_>) -> bool {
    let words = &c.cmd.words;
    let is_find = words
        .iter()
        .any(|w| w.text == "find" || w.text.ends_with("/find"));
    is_find
        && words
            .windows(2)
            .any(|p| p[0].text == "-type" && p[1].text == "d")
}

/// A `COPY`/`ADD --chmod=<mode>` (also under ONBUILD) whose mode could be read.
pub struct CopyChmod<'a> {
    pub instr: &'a Instruction,
    pub flag: &'a Flag,
    /// The mode as written (empty for a bare `--chmod`).
    pub value: &'a str,
    pub grants: Grants,
}

/// Every readable `--chmod` on a COPY or ADD of `instructions`, in order.
pub fn copy_chmods(instructions: &[Instruction]) -> impl Iterator<Item = CopyChmod<'_>> + '_ {
    with_onbuild(instructions).filter_map(|(instr, _)| {
        if !matches!(instr.command, Command::Copy(_) | Command::Add(_)) {
            return None;
        }
        let flag = instr.flag("chmod")?;
        let value = flag.value.as_deref().unwrap_or("");
        let grants = parse(value)?;
        Some(CopyChmod {
            instr,
            flag,
            value,
            grants,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_modes() {
        assert!(parse("777").unwrap().world_writable);
        assert!(parse("0666").unwrap().world_writable);
        assert!(!parse("755").unwrap().world_writable);
        let g = parse("1777").unwrap();
        assert!(g.world_writable && g.sticky);
        let g = parse("04755").unwrap();
        assert!(g.setuid && !g.setgid);
        assert!(parse("2755").unwrap().setgid);
        assert!(parse("6755").unwrap().setuid);
        assert!(parse("99").is_none());
        assert!(parse("077777").is_none());
    }

    #[test]
    fn symbolic_modes() {
        assert!(parse("o+w").unwrap().world_writable);
        assert!(parse("a+rwx").unwrap().world_writable);
        assert!(parse("u+x,o+w").unwrap().world_writable);
        assert!(!parse("+w").unwrap().world_writable);
        assert!(!parse("o-w").unwrap().world_writable);
        assert!(!parse("go-w").unwrap().world_writable);
        let g = parse("+s").unwrap();
        assert!(g.setuid && g.setgid);
        let g = parse("g+s").unwrap();
        assert!(!g.setuid && g.setgid);
        assert!(parse("u+s").unwrap().setuid);
        assert!(!parse("a-s").unwrap().setuid);
        assert!(parse("a+rwxt").unwrap().sticky);
        assert!(parse("$MODE").is_none());
    }
}
