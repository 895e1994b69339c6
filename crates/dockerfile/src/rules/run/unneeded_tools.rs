//! DF047: interactive and attack tools installed into the final image.

use crate::rules::{Context, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Span, Stage};
use plimsoll_shell::Word;

pub static META: RuleMeta = RuleMeta {
    id: "DF047",
    name: "unneeded-tools-installed",
    title: "Interactive or unneeded tools installed",
    severity: Severity::Info,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires once per install command (apt, apk, yum/dnf/microdnf, zypper) in a stage \
that ends up in the final image, listing the tools it installs that an application does \
not need at run time and an intruder would: editors (`vim`, `vim-tiny`, `nano`, `emacs`), \
`telnet`, the netcat family (`netcat`, `netcat-openbsd`, `netcat-traditional`, `ncat`, \
`nmap-ncat`), `nmap`, debuggers and tracers (`gdb`, `strace`, `ltrace`), and packet \
tools (`tcpdump`, `tshark`, `wireshark`, `hping3`).\n\n`curl`, `wget`, `ca-certificates`, \
shells and package managers are deliberately not on the list (they are needed or \
unavoidable too often), and tools installed in build stages whose files are only copied from \
do not fire. SSH servers are DF039, sudo is DF031.\n\nIt also fires, in any stage, when a RUN \
*starts* an interactive or host-level program — `vim`, `vi`, `nano`, `emacs`, `top`, `htop`, \
`less`, `more`, `man`, `shutdown`, `reboot`, `halt`, `poweroff` — which cannot do anything \
useful in a build (hadolint's DL3001 covers this part).",
        why: "After exploiting the application, an attacker wants to look around, move \
laterally and exfiltrate: netcat and telnet give reverse shells and port forwarding, nmap \
maps the internal network, tcpdump captures other services' traffic, gdb and strace read \
secrets out of running processes, editors make changing configuration easy. Images without \
them make each of those steps harder and noisier, and every package removed is one less \
set of CVEs to patch (CIS Docker Benchmark 4.3).",
        fix: "Remove these packages from the final image. For debugging, attach an ephemeral \
debug container that has them (`kubectl debug`, `docker run --pid=container:<id> \
--network=container:<id> <debug-image>`), or build a separate `-debug` variant from a \
multi-stage target.",
        bad: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends vim netcat-openbsd curl \\\n \
&& rm -rf /var/lib/apt/lists/*\n",
        good: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n \
&& rm -rf /var/lib/apt/lists/*\n",
    },
    references: References {
        cis: &["4.3"],
        hadolint: &["DL3001"],
        ..References::NONE
    },
};

pub struct UnneededTools;

/// Why a package is out of place in a production image.
fn tool_kind(name: &str) -> Option<&'static str> {
    Some(match name {
        "vim" | "vim-tiny" | "vim-nox" | "vim-enhanced" | "vim-minimal" | "nano" | "emacs"
        | "emacs-nox" | "emacs-nw" | "joe" | "mc" => "editor",
        "telnet" | "inetutils-telnet" | "busybox-extras" => "telnet client",
        "netcat" | "netcat-openbsd" | "netcat-traditional" | "ncat" | "nmap-ncat" | "nc"
        | "openbsd-netcat" | "gnu-netcat" => "reverse shells and port forwarding",
        "nmap" => "network scanner",
        "gdb" | "strace" | "ltrace" => "debugger/tracer",
        "tcpdump" | "tshark" | "wireshark" | "wireshark-cli" | "hping3" | "ngrep" => {
            "packet capture"
        }
        _ => return None,
    })
}

/// Programs that need a terminal or a whole machine: pointless (or hanging) in a build.
const INTERACTIVE: &[&str] = &[
    "vim", "vi", "nano", "emacs", "top", "htop", "less", "more", "man", "shutdown", "reboot",
    "halt", "poweroff",
];

impl Rule<Context<'_>> for UnneededTools {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let runs = cx.runs();
        for run in &runs.list {
            let flat = &run.flat;
            for c in &flat.cmds {
                let (Some(name), Some(word)) = (c.name(), c.argv.first()) else {
                    continue;
                };
                if !INTERACTIVE.contains(&name) {
                    continue;
                }
                let message = format!(
                    "`{name}` is an interactive or host-level program: a build has no terminal \
                     and no machine to manage, so running it in a RUN fails, hangs or does nothing"
                );
                out.push(
                    Finding::new(&META, run.location(run.word_span(c.origin, word)), message)
                        .evidence(c.text())
                        .key(format!("run {name}"))
                        .fix(format!("remove `{name}` from the RUN; use non-interactive commands (`sed`, `cat`, `ps`) instead"))
                        .build(),
                );
            }
            if !run.in_final_image {
                continue;
            }
            for c in &flat.cmds {
                let Some((pc, installed)) = run.installs(c) else {
                    continue;
                };
                let found: Vec<(String, &'static str, &Word)> = installed
                    .into_iter()
                    .filter_map(|(name, w)| tool_kind(&name).map(|k| (name, k, w)))
                    .collect();
                let (Some(first), Some(last)) = (found.first(), found.last()) else {
                    continue;
                };
                let listed: Vec<String> = found
                    .iter()
                    .map(|(n, k, _)| format!("`{n}` ({k})"))
                    .collect();
                let message = format!(
                    "`{} {}` puts {} into the final image: tools an intruder uses and the \
                     application does not",
                    pc.tool,
                    pc.action,
                    listed.join(", ")
                );
                let s = run.word_span(c.origin, first.2);
                let e = run.word_span(c.origin, last.2);
                let span = if e.end >= s.start {
                    Span::new(s.start, e.end)
                } else {
                    s
                };
                let names: Vec<&str> = found.iter().map(|(n, _, _)| n.as_str()).collect();
                out.push(
                    Finding::new(&META, run.location(span), message)
                        .evidence(pc.text())
                        .key(format!("{} {}", pc.tool, names.join(" ")))
                        .fix(format!(
                            "remove {} from this install; debug with an ephemeral debug container instead",
                            names.join(", ")
                        ))
                        .build(),
                );
            }
        }
    }
}
