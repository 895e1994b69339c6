//! `NAME=value` inside a RUN when the name says it holds a secret: bare (`DB_PASSWORD=x; …`),
//! as a command prefix (`PGPASSWORD=x psql …`, `env TOKEN=x cmd`) or declared (`export`,
//! `declare`, `typeset`, `readonly`, `local`) — the shell counterpart of DF007's ENV check.

use super::grade;
use super::hit::{chars, range_is_literal, Hit, InWord};
use crate::analysis::run::commands::Flat;
use crate::analysis::run::instructions::Run;
use plimsoll_shell::Word;

/// Every secret-named assignment with a literal value in the RUN.
pub fn scan(run: &Run<'_>, flat: &Flat<'_>, out: &mut Vec<Hit>) {
    let gpg = flat
        .cmds
        .iter()
        .any(|c| c.is(&["gpg", "gpg2", "gpgv", "apt-key"]));
    for c in &flat.cmds {
        let declares = c.is(&["export", "declare", "typeset", "readonly", "local"]);
        let declared: &[Word] = if declares { c.args() } else { &[] };
        for w in c.env.iter().copied().chain(declared) {
            let Some((name, value)) = w.assignment() else {
                continue;
            };
            let from = name.chars().count() + 1;
            let to = w.text.chars().count();
            if from >= to || !range_is_literal(w, from, to) {
                continue;
            }
            let Some(g) = grade::of_named(name, value, grade::Naming::Variable, gpg) else {
                continue;
            };
            let (words, verb) = if declares {
                let verb = if c.is(&["export"]) {
                    "exports"
                } else {
                    "declares"
                };
                (c.argv, verb.to_string())
            } else {
                (std::slice::from_ref(w), "sets".to_string())
            };
            let id = name.to_ascii_lowercase();
            let found = InWord {
                run,
                origin: c.origin,
                words,
                word: w,
                from,
                to,
                user: None,
                what: format!("{verb} `{name}` with a literal value"),
                slot: format!("assign:{name}"),
                fix: format!(
                    "read it from a build secret instead: `RUN \
                     --mount=type=secret,id={id},env={name} …` with `docker build --secret \
                     id={id},env={name} .` (the `env=` option needs the dockerfile:1.10 syntax \
                     or later; before that, `{name}=$(cat /run/secrets/{id})` in the same RUN); \
                     rotate the exposed value"
                ),
            };
            out.extend(found.hit_as(chars(&w.text, from, to), g));
        }
    }
}
