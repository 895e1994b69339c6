//! DF030: a script downloaded during the build is run without being checked.

use crate::analysis::run::commands::{shorten, Cmd, Flat};
use crate::analysis::run::downloads::{is_downloader, url_of};
use crate::analysis::run::instructions::Run;
use crate::rules::{Context, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Span, Stage};
use plimsoll_shell::{argv, Part, Script, Word};

pub static META: RuleMeta = RuleMeta {
    id: "DF030",
    name: "curl-pipe-shell",
    title: "Remote script piped into a shell",
    severity: Severity::High,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a RUN executes code it downloads without verifying it:\n\n\
- `curl … | sh` / `wget -qO- … | bash` — a download piped into a shell or interpreter (`sh`, \
`bash`, `zsh`, `ash`, `dash`, `ksh`, `python*`, `perl`, `ruby`, `node`, `php`, `pwsh`), also \
through `sudo`/`env` and with other commands in between (`curl … | tee x | sh`);\n\
- `bash -c \"$(curl …)\"`, `sh <(curl …)`, `. <(curl …)`, `source <(wget -O- …)`, \
`eval \"$(curl …)\"`;\n\
- `curl -o install.sh … && sh install.sh` (or `./install.sh`, `./setup.run`: a script or \
installer) in the same RUN with no `sha256sum`/`sha512sum`/`shasum`/`gpg --verify`/`cosign \
verify`/`minisign` step in between. Downloaded *binaries* run directly are not reported \
here.\n\n\
Downloads piped into `tar`, `gpg`, `sha256sum`, `jq`, `tee` alone and the like do not fire. \
The whole RUN is read, including `sh -c '…'` strings, heredoc scripts and exec form.",
        why: "Whatever the server — or anyone who can tamper with the connection, the DNS \
answer, the CDN or the project's hosting account — returns at build time runs as root in \
the build, with no record of what it was. A compromised install script (the Codecov \
bash-uploader breach in 2021 ran for two months this way) silently backdoors every image \
built from this Dockerfile, and the next build may run different code than the last one. \
Over plain `http://` no compromise is even needed: anyone on the network path can swap the \
script.",
        fix: "Download to a file, check it against a checksum (or signature) pinned in the \
Dockerfile, and only then run it — or, better, install the tool from a signed package or a \
versioned release artifact with its checksum.",
        bad: "FROM debian:12-slim\nRUN curl -fsSL https://get.example.com/install.sh | sh\n",
        good: "FROM debian:12-slim\nARG INSTALL_SHA256=5f2c8e7a1b0d9c3e4f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f7a8b9c0\n\
RUN curl -fsSLo /tmp/install.sh https://get.example.com/v1.4.2/install.sh \\\n \
&& echo \"${INSTALL_SHA256}  /tmp/install.sh\" | sha256sum -c - \\\n \
&& sh /tmp/install.sh && rm /tmp/install.sh\n",
    },
    references: References {
        cwe: &["CWE-494"],
        links: &["https://about.codecov.io/security-update/"],
        ..References::NONE
    },
};

pub struct CurlPipeShell;

impl Rule<Context<'_>> for CurlPipeShell {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let runs = cx.runs();
        for run in &runs.list {
            let flat = &run.flat;
            piped(run, flat, out);
            substituted(run, flat, out);
            downloaded_then_run(run, flat, out);
        }
    }
}

/// Programs that execute a script they are given.
fn is_interpreter(name: &str) -> bool {
    argv::is_posix_shell(name)
        || matches!(
            name,
            "fish" | "perl" | "ruby" | "node" | "nodejs" | "php" | "pwsh" | "bun" | "deno"
        )
        || name
            .strip_prefix("python")
            .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Whether an interpreter command reads its program from standard input.
fn reads_stdin(c: &Cmd<'_>) -> bool {
    if let Some(call) = argv::shell_call(c.argv) {
        return call.reads_stdin;
    }
    let name = c.name().unwrap_or("");
    // `python -c …`, `perl -e …`, `node -e …`, `python -m mod`: the program is not stdin.
    let program_flags: &[&str] = match name {
        "perl" | "ruby" => &["-e", "-E"],
        "node" | "nodejs" | "bun" | "deno" => &["-e", "--eval", "-p", "--print"],
        _ => &["-c", "-m", "-e"],
    };
    let mut operands = c.args().iter().filter(|w| {
        let t = w.text.as_str();
        t == "-" || !t.starts_with('-')
    });
    if c.args()
        .iter()
        .any(|w| program_flags.contains(&w.text.as_str()))
    {
        return false;
    }
    match operands.next() {
        None => true,
        Some(w) => w.text == "-",
    }
}

fn describe_url(url: Option<&str>) -> String {
    match url {
        Some(u) if u.starts_with("http://") => format!("from {u} over plain HTTP"),
        Some(u) => format!("from {u}"),
        None => "from the network".to_string(),
    }
}

fn push(run: &Run<'_>, span: Span, message: String, evidence: String, out: &mut Vec<Finding>) {
    out.push(
        Finding::new(&META, run.location(span), message)
            .evidence(evidence)
            .build(),
    );
}

/// `curl … | sh`.
fn piped(run: &Run<'_>, flat: &Flat<'_>, out: &mut Vec<Finding>) {
    for pipe in &flat.pipes {
        let Some((i, dl)) = pipe.elements.iter().enumerate().find_map(|(i, el)| {
            el.iter()
                .filter_map(|&k| flat.cmds.get(k))
                .find(|c| c.name().is_some_and(is_downloader))
                .map(|c| (i, c))
        }) else {
            continue;
        };
        let consumer = pipe.elements.iter().skip(i + 1).find_map(|el| {
            let c = flat.cmds.get(*el.first()?)?;
            let name = c.name()?;
            (is_interpreter(name) && reads_stdin(c)).then_some(c)
        });
        let Some(sh) = consumer else {
            continue;
        };
        let url = url_of(dl);
        let via = if sh
            .wrappers
            .iter()
            .any(|w| argv::basename(&w.text) == "sudo")
        {
            format!("`sudo {}`", sh.text())
        } else {
            format!("`{}`", sh.text())
        };
        let message = format!(
            "the script downloaded by `{}` {} is piped straight into {via}: whatever the server \
             (or anyone on the way) returns runs in the build unchecked",
            dl.name().unwrap_or("curl"),
            describe_url(url.as_deref()),
        );
        let span = run.span(pipe.origin, pipe.start(), pipe.end());
        let evidence = shorten(&format!("{} | … | {}", dl.text(), sh.text()), 160);
        push(run, span, message, evidence, out);
    }
}

/// The first download command run by a script, with its URL.
fn download_in(s: &Script) -> Option<(String, Option<String>)> {
    let mut found = None;
    visit(s, &mut |words: &[Word]| {
        if found.is_some() {
            return;
        }
        let eff = argv::effective(words);
        let Some(k) = eff.index else {
            return;
        };
        let name = argv::basename(&words[k].text);
        if is_downloader(name) {
            let url = words[k + 1..]
                .iter()
                .find(|w| w.text.contains("://"))
                .map(|w| w.text.clone());
            found = Some((name.to_string(), url));
        }
    });
    found
}

fn visit(s: &Script, f: &mut dyn FnMut(&[Word])) {
    use plimsoll_shell::Command;
    for item in &s.items {
        for p in item.pipelines() {
            for c in &p.commands {
                match c {
                    Command::Simple(sc) => {
                        for w in &sc.words {
                            for sub in &w.subs {
                                visit(sub, f);
                            }
                        }
                        f(&sc.words);
                    }
                    Command::Compound(cc) => {
                        for b in &cc.bodies {
                            visit(b, f);
                        }
                    }
                }
            }
        }
    }
}

/// `bash -c "$(curl …)"`, `sh <(curl …)`, `source <(curl …)`, `eval "$(curl …)"`.
fn substituted(run: &Run<'_>, flat: &Flat<'_>, out: &mut Vec<Finding>) {
    for c in &flat.cmds {
        let Some(name) = c.name() else {
            continue;
        };
        // The word that holds the program text or file.
        let program: Option<&Word> = if let Some(call) = argv::shell_call(c.argv) {
            call.command_string
                .or(call.script_file)
                .and_then(|k| c.argv.get(k))
        } else if matches!(name, "source" | "." | "eval") {
            c.args().first()
        } else if is_interpreter(name) {
            c.args().iter().find(|w| !w.text.starts_with('-'))
        } else {
            None
        };
        let Some(word) = program else {
            continue;
        };
        // Only when the program *is* the download (`"$(curl …)"`, `<(curl …)`), not when a
        // downloaded value is merely interpolated into it.
        let only_subst = word.parts.iter().all(|p| match p {
            Part::Subst { .. } => true,
            Part::Lit(s) => s.trim().is_empty(),
            Part::Param { .. } => false,
        });
        if !only_subst {
            continue;
        }
        let Some((tool, url)) = word.subs.iter().find_map(download_in) else {
            continue;
        };
        let message = format!(
            "`{name}` runs the output of `{tool}` {} directly: whatever the server (or anyone \
             on the way) returns runs in the build unchecked",
            describe_url(url.as_deref()),
        );
        let span = run.word_span(c.origin, word);
        push(
            run,
            span,
            message,
            shorten(&format!("{} {}", name, word.text), 160),
            out,
        );
    }
}

/// `curl -o f URL && sh f` with no checksum or signature check in between.
fn downloaded_then_run(run: &Run<'_>, flat: &Flat<'_>, out: &mut Vec<Finding>) {
    for (i, dl) in flat.cmds.iter().enumerate() {
        if !dl.name().is_some_and(is_downloader) {
            continue;
        }
        let Some(file) = output_file(dl) else {
            continue;
        };
        for later in flat.cmds.iter().skip(i + 1) {
            if is_verification(later) {
                break;
            }
            let Some(exec_word) = executes(later, &file) else {
                continue;
            };
            let url = url_of(dl);
            let message = format!(
                "`{file}` is downloaded {} and run by `{}` with no checksum or signature check \
                 in between",
                describe_url(url.as_deref()),
                later.name().unwrap_or("sh"),
            );
            let span = run.word_span(later.origin, exec_word);
            let evidence = shorten(&format!("{} && … && {}", dl.text(), later.text()), 160);
            push(run, span, message, evidence, out);
            break;
        }
    }
}

/// The file name (last path component) a download writes to.
fn output_file(c: &Cmd<'_>) -> Option<String> {
    let args = c.args();
    let name = c.name()?;
    let mut k = 0;
    let mut remote_name = false;
    while let Some(w) = args.get(k) {
        let t = w.text.as_str();
        let next = args.get(k + 1).map(|n| n.text.as_str());
        match (name, t) {
            ("curl", "-o" | "--output") | ("wget" | "fetch", "-O" | "--output-document" | "-o") => {
                if name == "wget" && t == "-o" {
                    k += 2;
                    continue;
                }
                return next
                    .filter(|n| *n != "-" && *n != "/dev/null")
                    .map(|n| argv::basename(n).to_string());
            }
            ("curl", "-O" | "--remote-name") => remote_name = true,
            _ => {
                if let Some(v) = t
                    .strip_prefix("--output=")
                    .or_else(|| t.strip_prefix("--output-document="))
                {
                    return (v != "-").then(|| argv::basename(v).to_string());
                }
                if name == "curl" && t.starts_with('-') && !t.starts_with("--") {
                    if let Some(at) = t.find('o') {
                        let attached = &t[at + 1..];
                        if !attached.is_empty() {
                            return Some(argv::basename(attached).to_string());
                        }
                        return next
                            .filter(|n| *n != "-")
                            .map(|n| argv::basename(n).to_string());
                    }
                    if t.contains('O') {
                        remote_name = true;
                    }
                }
                if name == "wget" && t.starts_with("-qO") && t.len() > 3 {
                    let v = &t[3..];
                    return (v != "-").then(|| argv::basename(v).to_string());
                }
            }
        }
        k += 1;
    }
    let url = url_of(c)?;
    if name == "wget" || remote_name {
        let path = url.split(['?', '#']).next().unwrap_or(&url);
        let base = argv::basename(path);
        return (!base.is_empty() && !base.contains("://")).then(|| base.to_string());
    }
    None
}

/// Checksum or signature verification.
fn is_verification(c: &Cmd<'_>) -> bool {
    let Some(name) = c.name() else {
        return false;
    };
    matches!(
        name,
        "sha256sum"
            | "sha512sum"
            | "sha384sum"
            | "sha224sum"
            | "sha1sum"
            | "shasum"
            | "b2sum"
            | "gpgv"
            | "minisign"
            | "signify"
            | "cosign"
            | "slsa-verifier"
    ) || (name == "gpg" && c.args().iter().any(|w| w.text == "--verify"))
        || (name == "openssl" && c.args().iter().any(|w| w.text == "dgst"))
}

/// Whether `c` executes `file` as a script: given to an interpreter, or run directly when its
/// name says it is a script or installer (`./install.sh`, `./setup.run`). Running a
/// downloaded *binary* (`/usr/local/bin/tool --version`) is left alone: that is an
/// unverified download too, but not the script pattern this rule is about.
fn executes<'s>(c: &Cmd<'s>, file: &str) -> Option<&'s Word> {
    let first = c.argv.first()?;
    let script_like = [".sh", ".bash", ".run", ".py", ".pl", ".rb"]
        .iter()
        .any(|ext| file.ends_with(ext));
    if script_like && argv::basename(&first.text) == file && first.text.contains('/') {
        return Some(first);
    }
    let name = c.name()?;
    if !is_interpreter(name) {
        return None;
    }
    if let Some(call) = argv::shell_call(c.argv) {
        let w = c.argv.get(call.script_file?)?;
        return (argv::basename(&w.text) == file).then_some(w);
    }
    let w = c.args().iter().find(|w| !w.text.starts_with('-'))?;
    (argv::basename(&w.text) == file).then_some(w)
}
