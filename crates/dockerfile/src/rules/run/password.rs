//! DF046: a password set (or removed) during the build.

use crate::analysis::run::commands::Cmd;
use crate::rules::{Context, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};
use plimsoll_shell::Word;

pub static META: RuleMeta = RuleMeta {
    id: "DF046",
    name: "password-set-in-build",
    title: "Password set during the build",
    severity: Severity::Medium,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires for commands that give an account a password at build time: \
`chpasswd` (`echo 'root:secret' | chpasswd`), `passwd --stdin` or `passwd` fed by a pipe, \
`usermod -p`/`--password` and `useradd -p`/`--password` with a hash, and `passwd -d` \
(which *removes* the password, allowing logins without one).\n\n`-p '*'`, `-p '!'` and \
`-p '!!'` lock the account and do not fire; `passwd -l` (lock) does not fire.",
        why: "The password ends up in the image twice: its hash in `/etc/shadow`, identical \
in every container started from the image and open to offline cracking by anyone who pulls \
it, and usually in clear text in the image history (`docker history --no-trunc` shows the \
RUN line, build arguments included). It is the same for every deployment and cannot be \
rotated without a rebuild. Using a secret mount hides the clear text, but the hash still \
ships. An empty password (`passwd -d`) is worse: any local user can switch to the account.",
        fix: "Don't bake credentials into images: create service users without a password \
(`useradd --system --no-create-home app` leaves the account locked), and give humans or \
services access at run time — keys or passwords from the orchestrator's secrets, mounted \
when the container starts.",
        bad:
            "FROM debian:12-slim\nRUN useradd -m app && echo 'app:changeme' | chpasswd\nUSER app\n",
        good: "FROM debian:12-slim\nRUN useradd --system --create-home app\nUSER app\n",
    },
    references: References {
        checkov: &["CKV2_DOCKER_17"],
        dockle: &["DKL-LI-0001"],
        cwe: &["CWE-798", "CWE-259"],
        ..References::NONE
    },
};

pub struct PasswordSet;

fn locked(v: &str) -> bool {
    matches!(v.trim(), "*" | "!" | "!!" | "x" | "!*")
}

/// What `c` does to a password, and the word that says so.
fn sets_password<'s>(c: &Cmd<'s>) -> Option<(&'s Word, String)> {
    let name = c.name()?;
    let args = c.args();
    match name {
        "chpasswd" | "chgpasswd" => {
            Some((c.argv.first()?, format!("`{name}` sets account passwords")))
        }
        "passwd" => {
            if let Some(w) = args
                .iter()
                .find(|w| matches!(w.text.as_str(), "-d" | "--delete"))
            {
                return Some((
                    w,
                    "`passwd -d` removes the password: the account can log in without one"
                        .to_string(),
                ));
            }
            if let Some(w) = args.iter().find(|w| w.text == "--stdin") {
                return Some((w, "`passwd --stdin` sets a password".to_string()));
            }
            let piped = c.pipes.iter().any(|&(_, el)| el > 0);
            let heredoc = c
                .cmd
                .redirects
                .iter()
                .any(|r| r.body.is_some() || r.op == plimsoll_shell::RedirOp::HereString);
            let locking = args.iter().any(|w| {
                matches!(
                    w.text.as_str(),
                    "-l" | "--lock" | "-S" | "--status" | "-e" | "--expire"
                )
            });
            if (piped || heredoc) && !locking {
                return Some((
                    c.argv.first()?,
                    "`passwd` fed from a pipe sets a password".to_string(),
                ));
            }
            None
        }
        "usermod" | "useradd" | "adduser" => {
            let mut k = 0;
            while let Some(w) = args.get(k) {
                let t = w.text.as_str();
                let value = if t == "-p" || t == "--password" {
                    args.get(k + 1).map(|v| v.text.as_str())
                } else {
                    t.strip_prefix("--password=")
                };
                if let Some(v) = value {
                    if !locked(v) && !v.is_empty() {
                        return Some((
                            w,
                            format!("`{name} {t}` sets a password hash for the account"),
                        ));
                    }
                }
                k += 1;
            }
            None
        }
        _ => None,
    }
}

impl Rule<Context<'_>> for PasswordSet {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let runs = cx.runs();
        for run in &runs.list {
            let flat = &run.flat;
            for c in &flat.cmds {
                let Some((word, what)) = sets_password(c) else {
                    continue;
                };
                let message = if word.text == "-d" || word.text == "--delete" {
                    format!("{what}, in every container started from the image")
                } else {
                    format!(
                        "{what} at build time: the hash ships in /etc/shadow of every container \
                         (and the RUN line with any clear-text password in the image history)"
                    )
                };
                out.push(
                    Finding::new(&META, run.location(run.word_span(c.origin, word)), message)
                        .evidence(c.text())
                        .fix(
                            "create the account without a password (it stays locked) and provide \
                             credentials at run time from the orchestrator's secrets",
                        )
                        .build(),
                );
            }
        }
    }
}
