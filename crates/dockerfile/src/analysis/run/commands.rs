//! A RUN's scripts as the ordered list of simple commands they execute (inside substitutions,
//! subshells, inline `sh -c` scripts and `find -exec` too), each with its effective argv
//! (wrappers peeled off), the pipelines it is part of, and whether `pipefail` is on there.

use crate::analysis::run::positions::RunPositions;
use plimsoll_shell::{argv, Command, CompoundKind, Ix, Pipeline, Script, SimpleCommand, Word};
use std::collections::HashMap;

/// How a unit's script reached the shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// The shell-form command line.
    Line,
    /// A heredoc run as the script (`RUN <<EOF`, `RUN bash <<EOF`).
    Heredoc,
    /// The exec-form (JSON) command.
    Exec,
}

/// One script a RUN executes.
#[derive(Debug, Clone)]
pub struct Unit {
    pub script: Script,
    /// Index into the RUN's origins (`instructions::RunData::origins`) for the positions of its
    /// words.
    pub origin: usize,
    /// `pipefail` is on when the script starts.
    pub pipefail: bool,
    pub kind: UnitKind,
}

/// One executed simple command.
#[derive(Debug, Clone)]
pub struct Cmd<'s> {
    pub cmd: &'s SimpleCommand,
    /// From the real command name on (`sudo -E apt-get install x` → `apt-get install x`);
    /// empty when nothing runs (a bare assignment, `sudo -s`).
    pub argv: &'s [Word],
    /// Wrapper names peeled off, in order (`sudo`, `env`, …).
    pub wrappers: Vec<&'s Word>,
    /// `NAME=value` words that apply to it (prefix assignments and `env NAME=value`).
    pub env: Vec<&'s Word>,
    /// Origin of its words' positions (see [`RunPositions::span`]).
    pub origin: usize,
    /// Position in execution order within the RUN.
    pub seq: usize,
    /// The multi-command pipelines it is part of: (pipeline index in [`Flat::pipes`], element).
    pub pipes: Vec<(usize, usize)>,
    /// `set -o pipefail` (or SHELL/`bash -o pipefail`) is on here.
    pub pipefail: bool,
    /// Inside `$(…)`, backticks or `<(…)`.
    pub in_subst: bool,
    /// Inside a subshell `( … )` (or a pipeline element), so `cd` does not leak out.
    pub in_subshell: bool,
    /// How many inline scripts (`sh -c`) deep.
    pub nesting: u32,
}

impl<'s> Cmd<'s> {
    /// The command name without its directory (`/usr/bin/curl` → `curl`), if it runs one.
    pub fn name(&self) -> Option<&'s str> {
        self.argv.first().map(|w| argv::basename(&w.text))
    }

    /// Arguments after the name.
    pub fn args(&self) -> &'s [Word] {
        self.argv.get(1..).unwrap_or(&[])
    }

    /// Whether the command name is one of `names`.
    pub fn is(&self, names: &[&str]) -> bool {
        self.name().is_some_and(|n| names.contains(&n))
    }

    /// The value given to `NAME` for this command (`NAME=v cmd`, `env NAME=v cmd`).
    pub fn env_value(&self, name: &str) -> Option<&'s str> {
        self.env
            .iter()
            .rev()
            .filter_map(|w| w.assignment())
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    /// The span from the command name to its last argument.
    pub fn span_of(&self, run: &impl RunPositions) -> plimsoll_core::Span {
        run.words_span(self.origin, self.argv)
    }

    /// The command as written (name and arguments), for evidence.
    pub fn text(&self) -> String {
        words_text(self.argv)
    }
}

/// `a b c` from words (after quote removal), shortened if very long.
pub fn words_text(words: &[Word]) -> String {
    let text = words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    shorten(&text, 120)
}

/// Cuts `text` to at most `max` characters, marking the cut with `…`.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A pipeline of two or more commands.
#[derive(Debug, Clone)]
pub struct Pipe<'s> {
    pub pipeline: &'s Pipeline,
    pub origin: usize,
    /// `pipefail` was on when it ran.
    pub pipefail: bool,
    /// For each element, the indices (into [`Flat::cmds`]) of the commands it runs.
    pub elements: Vec<Vec<usize>>,
    pub in_subst: bool,
}

impl Pipe<'_> {
    pub fn start(&self) -> Ix {
        self.pipeline.start()
    }

    pub fn end(&self) -> Ix {
        self.pipeline.end()
    }
}

/// Everything a RUN executes.
#[derive(Debug, Clone, Default)]
pub struct Flat<'s> {
    pub cmds: Vec<Cmd<'s>>,
    pub pipes: Vec<Pipe<'s>>,
    /// Shell variables assigned in the RUN (`X=1`, `export X=1`): `None` when not literal.
    pub vars: HashMap<String, Option<String>>,
}

impl<'s> Flat<'s> {
    /// Flattens every script of a RUN (its [`Unit`]s).
    pub fn of(units: &'s [Unit]) -> Flat<'s> {
        let mut f = Flat::default();
        for unit in units {
            let mut st = State {
                pipefail: unit.pipefail,
                in_subst: false,
                in_subshell: false,
                nesting: 0,
                origin: unit.origin,
                pipes: Vec::new(),
            };
            f.script(&unit.script, &mut st);
        }
        // Kept for every RUN of the file: no growth slack.
        f.cmds.shrink_to_fit();
        f.pipes.shrink_to_fit();
        f
    }

    /// Looks a variable up: assigned in the RUN, else ARG/ENV in scope.
    pub fn lookup(&self, run: &impl RunPositions, name: &str) -> Option<String> {
        match self.vars.get(name) {
            Some(v) => v.clone(),
            None => run.var(name),
        }
    }

    /// The values a word stands for once variables are substituted: one word, or several when
    /// an unquoted variable splits. `None` when a value is unknown at lint time.
    pub fn values(&self, run: &impl RunPositions, word: &Word) -> Option<Vec<String>> {
        let v = word.resolve(&|n| self.lookup(run, n))?;
        if word.may_split() {
            Some(v.split_whitespace().map(str::to_string).collect())
        } else {
            Some(vec![v])
        }
    }

    fn script(&mut self, s: &'s Script, st: &mut State) {
        for item in &s.items {
            for p in item.pipelines() {
                self.pipeline(p, st);
            }
        }
    }

    fn pipeline(&mut self, p: &'s Pipeline, st: &mut State) {
        if p.commands.len() < 2 {
            if let Some(c) = p.commands.first() {
                self.command(c, st);
            }
            return;
        }
        let id = self.pipes.len();
        self.pipes.push(Pipe {
            pipeline: p,
            origin: st.origin,
            pipefail: st.pipefail,
            elements: vec![Vec::new(); p.commands.len()],
            in_subst: st.in_subst,
        });
        for (k, c) in p.commands.iter().enumerate() {
            // Each element of a pipeline runs in a subshell: its settings stay inside.
            let mut inner = st.clone();
            inner.in_subshell = true;
            inner.pipes.push((id, k));
            let first = self.cmds.len();
            self.command(c, &mut inner);
            let last = self.cmds.len();
            if let Some(el) = self.pipes.get_mut(id).and_then(|p| p.elements.get_mut(k)) {
                el.extend(first..last);
            }
        }
    }

    fn command(&mut self, c: &'s Command, st: &mut State) {
        match c {
            Command::Simple(sc) => self.simple(sc, st),
            Command::Compound(cc) => {
                for w in &cc.header {
                    self.word_subs(w, st);
                }
                match cc.kind {
                    CompoundKind::Subshell | CompoundKind::Function => {
                        let mut inner = st.clone();
                        inner.in_subshell = true;
                        for b in &cc.bodies {
                            self.script(b, &mut inner);
                        }
                    }
                    _ => {
                        for b in &cc.bodies {
                            self.script(b, st);
                        }
                    }
                }
                for r in &cc.redirects {
                    self.word_subs(&r.target, st);
                }
            }
        }
    }

    fn word_subs(&mut self, w: &'s Word, st: &State) {
        for sub in &w.subs {
            let mut inner = st.clone();
            inner.in_subst = true;
            inner.in_subshell = true;
            self.script(sub, &mut inner);
        }
    }

    fn simple(&mut self, sc: &'s SimpleCommand, st: &mut State) {
        for w in sc.assignments.iter().chain(&sc.words) {
            self.word_subs(w, st);
        }
        for r in &sc.redirects {
            self.word_subs(&r.target, st);
        }
        let eff = argv::effective(&sc.words);
        let argv_slice: &'s [Word] = match eff.index {
            Some(k) => sc.words.get(k..).unwrap_or(&[]),
            None => &[],
        };
        let mut env: Vec<&'s Word> = sc.assignments.iter().collect();
        env.extend(eff.assignments.iter().filter_map(|&k| sc.words.get(k)));
        let wrappers = eff
            .wrappers
            .iter()
            .filter_map(|&k| sc.words.get(k))
            .collect();
        self.push(sc, argv_slice, wrappers, env, st);
        self.track_state(sc, argv_slice, st);
        // `find … -exec cmd … ;` runs cmd too.
        if let Some(k) = eff.index {
            if sc
                .words
                .get(k)
                .is_some_and(|w| argv::basename(&w.text) == "find")
            {
                for (a, b) in argv::find_exec_ranges(&sc.words, k) {
                    let slice = &sc.words[a..b];
                    let e = argv::effective(slice);
                    if let Some(i) = e.index {
                        let wrappers = e.wrappers.iter().filter_map(|&j| slice.get(j)).collect();
                        self.push(sc, &slice[i..], wrappers, Vec::new(), st);
                    }
                }
            }
        }
        for inl in &sc.inline {
            let mut inner = st.clone();
            inner.pipefail = inl.pipefail;
            inner.in_subshell = true;
            inner.nesting += 1;
            self.script(&inl.script, &mut inner);
        }
    }

    fn push(
        &mut self,
        cmd: &'s SimpleCommand,
        argv: &'s [Word],
        wrappers: Vec<&'s Word>,
        env: Vec<&'s Word>,
        st: &State,
    ) {
        self.cmds.push(Cmd {
            cmd,
            argv,
            wrappers,
            env,
            origin: st.origin,
            seq: self.cmds.len(),
            pipes: st.pipes.clone(),
            pipefail: st.pipefail,
            in_subst: st.in_subst,
            in_subshell: st.in_subshell,
            nesting: st.nesting,
        });
    }

    /// `set -o pipefail` and variable assignments change what follows.
    fn track_state(&mut self, sc: &'s SimpleCommand, argv_slice: &'s [Word], st: &mut State) {
        if let Some(change) = argv::pipefail_change(argv_slice) {
            st.pipefail = change;
        }
        let literal = |w: &Word| {
            w.is_literal()
                .then(|| w.assignment().map(|(_, v)| v.to_string()))
                .flatten()
        };
        if sc.words.is_empty() {
            for a in &sc.assignments {
                if let Some((name, _)) = a.assignment() {
                    self.vars.insert(name.to_string(), literal(a));
                }
            }
        }
        let declares = ["export", "declare", "typeset", "readonly", "local"];
        if argv_slice
            .first()
            .is_some_and(|w| declares.contains(&w.text.as_str()))
        {
            for a in argv_slice.iter().skip(1) {
                if let Some((name, _)) = a.assignment() {
                    self.vars.insert(name.to_string(), literal(a));
                }
            }
        }
    }
}

#[derive(Debug, Clone)]
struct State {
    pipefail: bool,
    in_subst: bool,
    in_subshell: bool,
    nesting: u32,
    origin: usize,
    pipes: Vec<(usize, usize)>,
}
