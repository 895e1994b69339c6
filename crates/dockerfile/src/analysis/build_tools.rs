//! What a RUN installs and removes, as far as DF006 needs it: package-manager install and
//! remove commands and their package words, and app build commands (`npm run build`, `go
//! build`…). A deliberately small shell splitter (on `&&`, `||`, `;`, `|`, newlines); words
//! with variables are kept as written so callers can tell "removes `$buildDeps`".

/// One simple command's words.
pub fn commands(script: &str) -> Vec<Vec<String>> {
    // Every character with a meaning here is ASCII, so the text is walked by bytes and copied
    // into words in runs (cutting only at ASCII bytes keeps every slice on a char boundary).
    let bytes = script.as_bytes();
    let special = |b: &u8| {
        matches!(
            b,
            b'\'' | b'"' | b'\\' | b' ' | b'\t' | b'\n' | b';' | b'|' | b'&' | b'(' | b')'
        )
    };
    let mut out = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    let mut word = String::new();
    // Copies the word out (sized exactly) and keeps the buffer for the next one.
    let flush_word = |word: &mut String, cur: &mut Vec<String>| {
        if !word.is_empty() {
            cur.push(word.clone());
            word.clear();
        }
    };
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'\'' | b'"' => {
                // Quoted: everything up to the same quote, escapes included.
                let rest = &script[i + 1..];
                match memchr::memchr(c, rest.as_bytes()) {
                    Some(n) => {
                        word.push_str(&rest[..n]);
                        i += n + 2;
                    }
                    None => {
                        word.push_str(rest);
                        i = bytes.len();
                    }
                }
            }
            b'\\' => {
                // Line continuation or escaped character.
                match script[i + 1..].chars().next() {
                    Some('\n') => i += 2,
                    None => i += 1,
                    Some(n) => {
                        word.push(n);
                        i += 1 + n.len_utf8();
                    }
                }
            }
            b' ' | b'\t' => {
                flush_word(&mut word, &mut cur);
                i += 1;
            }
            b'\n' | b';' | b'|' | b'&' | b'(' | b')' => {
                flush_word(&mut word, &mut cur);
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                i += 1;
            }
            _ => {
                let n = bytes[i..]
                    .iter()
                    .position(special)
                    .unwrap_or(bytes.len() - i);
                word.push_str(&script[i..i + n]);
                i += n;
            }
        }
    }
    flush_word(&mut word, &mut cur);
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The words from the command a line really runs: leading `VAR=value` assignments and the
/// wrappers of [`plimsoll_shell::wrappers`] (`sudo -E`, `env X=y`, `nice -n 5`, `xargs`, …)
/// with their options skipped. Empty when the line runs no command.
fn strip_prefixes(words: &[String]) -> &[String] {
    match plimsoll_shell::wrappers::effective_after_assignments(words).index {
        Some(program) => words.get(program..).unwrap_or(&[]),
        None => &[],
    }
}

/// What one command does with packages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PackageOp {
    /// The package manager (`apt-get`, `apk`, `dnf`…).
    pub tool: String,
    pub installed: Vec<String>,
    /// Virtual/group names the install was registered under (`apk add --virtual .build-deps`).
    pub virtual_names: Vec<String>,
    pub removed: Vec<String>,
}

/// Reads a package install/remove from one command's words.
pub fn package_op(words: &[String]) -> Option<PackageOp> {
    let words = strip_prefixes(words);
    let tool = words.first()?.rsplit('/').next().unwrap_or("");
    let rest = &words[1..];
    let (sub_idx, sub) = rest
        .iter()
        .enumerate()
        .find(|(_, w)| !w.starts_with('-'))
        .map(|(i, w)| (i, w.as_str()))?;
    let args: &[String] = &rest[sub_idx + 1..];
    let (install, remove) = match tool {
        "apt-get" | "apt" | "aptitude" => (
            sub == "install",
            matches!(sub, "remove" | "purge" | "autoremove"),
        ),
        "apk" => (sub == "add", sub == "del"),
        "yum" | "dnf" | "microdnf" | "tdnf" => (
            sub == "install",
            matches!(sub, "remove" | "erase" | "autoremove"),
        ),
        "zypper" => (
            matches!(sub, "install" | "in"),
            matches!(sub, "remove" | "rm"),
        ),
        _ => return None,
    };
    if !install && !remove {
        return None;
    }
    let mut op = PackageOp {
        tool: tool.to_string(),
        ..PackageOp::default()
    };
    let mut i = 0;
    let mut names = Vec::new();
    while i < args.len() {
        let a = &args[i];
        if tool == "apk" && (a == "--virtual" || a == "-t") {
            if let Some(v) = args.get(i + 1) {
                op.virtual_names.push(v.clone());
            }
            i += 2;
            continue;
        }
        if let Some(v) = a.strip_prefix("--virtual=") {
            op.virtual_names.push(v.to_string());
        } else if a.starts_with('-') {
            // Flags that take a separate value.
            if matches!(
                a.as_str(),
                "-o" | "-t" | "--target-release" | "--repository" | "-X"
            ) {
                i += 1;
            }
        } else {
            names.push(a.clone());
        }
        i += 1;
    }
    if install {
        op.installed = names;
    } else {
        op.removed = names;
    }
    Some(op)
}

/// Whether a script uses the "apt-mark auto everything, then purge --auto-remove" idiom that
/// removes every package installed since the manual set was saved.
pub fn apt_marks_all_auto(cmds: &[Vec<String>]) -> bool {
    // Also `apt-mark showmanual | xargs apt-mark auto`.
    let marks_auto = cmds
        .iter()
        .any(|w| w.windows(2).any(|p| p[0] == "apt-mark" && p[1] == "auto"));
    let auto_removes = cmds.iter().any(|w| {
        let w = strip_prefixes(w);
        let tool = w.first().map(String::as_str).unwrap_or("");
        matches!(tool, "apt-get" | "apt")
            && (w.iter().any(|a| a == "autoremove")
                || (w.iter().any(|a| a == "purge" || a == "remove")
                    && w.iter()
                        .any(|a| a == "--auto-remove" || a == "--autoremove")))
    });
    marks_auto && auto_removes
}

/// The package name without a version pin (`gcc=4:12.2` → `gcc`, `make~=4` → `make`).
pub fn bare_name(pkg: &str) -> &str {
    let end = pkg.find(['=', '<', '>', '~']).unwrap_or(pkg.len());
    &pkg[..end]
}

/// Whether a package is a compiler, build tool, VCS or development headers.
pub fn is_build_tool(pkg: &str) -> bool {
    let p = bare_name(pkg).to_ascii_lowercase();
    const TOOLS: &[&str] = &[
        "gcc",
        "g++",
        "gcc-c++",
        "clang",
        "llvm",
        "make",
        "cmake",
        "ninja-build",
        "build-essential",
        "build-base",
        "alpine-sdk",
        "autoconf",
        "automake",
        "libtool",
        "pkg-config",
        "pkgconf",
        "pkgconfig",
        "git",
        "golang",
        "golang-go",
        "go",
        "cargo",
        "rustc",
        "rust",
        "maven",
        "gradle",
        "default-jdk",
        "musl-dev",
        "linux-headers",
        "libc6-dev",
        "libc-dev",
        "glibc-devel",
        "kernel-headers",
        "bison",
        "flex",
    ];
    TOOLS.contains(&p.as_str())
        || p.ends_with("-dev")
        || p.ends_with("-devel")
        || (p.starts_with("openjdk") && p.contains("jdk") && !p.contains("jre"))
        || p.starts_with("gcc-")
        || p.starts_with("g++-")
        || p.starts_with("clang-")
}

/// An application build command run in the image (`npm run build`, `go build`, `cargo
/// build`, `mvn package`, `gradle build`, `dotnet publish`…), as text for messages. A bare
/// `make` is not counted: official images compile from source with `make` and then purge
/// the toolchain in the same `RUN`, which is fine.
pub fn build_command(words: &[String]) -> Option<String> {
    let words = strip_prefixes(words);
    let tool = words.first()?.rsplit('/').next().unwrap_or("");
    let sub: Vec<&str> = words[1..]
        .iter()
        .filter(|w| !w.starts_with('-'))
        .map(String::as_str)
        .collect();
    let first = sub.first().copied().unwrap_or("");
    let hit = match tool {
        "npm" | "pnpm" => (first == "run" && sub.get(1) == Some(&"build")) || first == "build",
        "yarn" => first == "build" || (first == "run" && sub.get(1) == Some(&"build")),
        "go" => first == "build" || first == "install",
        "cargo" => matches!(first, "build" | "install"),
        "mvn" | "mvnw" | "./mvnw" => sub
            .iter()
            .any(|s| matches!(*s, "package" | "install" | "verify")),
        "gradle" | "gradlew" | "./gradlew" => sub
            .iter()
            .any(|s| matches!(*s, "build" | "assemble" | "bootJar" | "installDist" | "jar")),
        "dotnet" => matches!(first, "build" | "publish"),
        "javac" => true,
        _ => false,
    };
    hit.then(|| {
        let shown: Vec<&str> = words.iter().take(3).map(String::as_str).collect();
        shown.join(" ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    /// The straightforward char-by-char splitter `commands` must agree with.
    fn commands_reference(script: &str) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        let mut cur: Vec<String> = Vec::new();
        let mut word = String::new();
        let mut chars = script.chars();
        let mut quote: Option<char> = None;
        let flush = |word: &mut String, cur: &mut Vec<String>| {
            if !word.is_empty() {
                cur.push(std::mem::take(word));
            }
        };
        while let Some(c) = chars.next() {
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                } else {
                    word.push(c);
                }
                continue;
            }
            match c {
                '\'' | '"' => quote = Some(c),
                '\\' => match chars.next() {
                    Some('\n') | None => {}
                    Some(n) => word.push(n),
                },
                ' ' | '\t' => flush(&mut word, &mut cur),
                '\n' | ';' | '|' | '&' | '(' | ')' => {
                    flush(&mut word, &mut cur);
                    if !cur.is_empty() {
                        out.push(std::mem::take(&mut cur));
                    }
                }
                _ => word.push(c),
            }
        }
        flush(&mut word, &mut cur);
        if !cur.is_empty() {
            out.push(cur);
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        #[test]
        fn commands_match_the_reference(script in "[a-z $'\"\\\\ \t\n;|&()é€=-]{0,40}") {
            proptest::prop_assert_eq!(commands(&script), commands_reference(&script));
        }
    }

    #[test]
    fn splits_commands() {
        let c = commands("apt-get update && apt-get install -y \\\n gcc 'make' ; rm -rf x | cat");
        assert_eq!(c.len(), 4);
        assert_eq!(c[1], w("apt-get install -y gcc make"));
    }

    #[test]
    fn reads_package_ops() {
        let op = package_op(&w("apk add --no-cache --virtual .build-deps gcc musl-dev")).unwrap();
        assert_eq!(op.installed, w("gcc musl-dev"));
        assert_eq!(op.virtual_names, w(".build-deps"));
        let op = package_op(&w("apt-get purge -y --auto-remove $buildDeps")).unwrap();
        assert_eq!(op.removed, w("$buildDeps"));
        assert!(package_op(&w("apt-get update")).is_none());
        assert!(is_build_tool("libpq-dev"));
        assert!(is_build_tool("gcc=4:12.2.0-3"));
        assert!(!is_build_tool("libpq5"));
        assert!(build_command(&w("npm run build")).is_some());
        assert!(build_command(&w("npm ci")).is_none());
    }
}
