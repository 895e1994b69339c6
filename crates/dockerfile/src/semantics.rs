//! The stage graph and variable resolution over a parsed Dockerfile, following what BuildKit's
//! `dockerfile2llb` does when it builds (moby/buildkit, Apache-2.0):
//!
//! * **Stages.** Every `FROM` starts a stage; its base is `scratch`, an earlier stage (matched
//!   case-insensitively by `AS` name) or an image reference. The default build target is the
//!   last stage ([`Analysis::final_stage`]).
//! * **Global scope.** `ARG`s before the first `FROM` are global ("meta") args, expanded in
//!   order; together with BuildKit's automatic platform args (`TARGETARCH`, `BUILDPLATFORM`, …,
//!   whose values depend on the build and so are *unknown* here) they are the only variables a
//!   `FROM` line sees.
//! * **Stage scope.** Inside a stage, global args are visible only once redeclared (`ARG NAME`
//!   without default takes the global value). `ENV` and `ARG` values accumulate in order; all
//!   values of one `ENV` instruction are expanded before any is set, while each `ARG` pair sees
//!   the previous one. A stage built `FROM` another stage inherits that stage's variables; a
//!   stage built from an image also inherits the image's config variables, which are unknown
//!   here.
//! * **Unknown vs undefined.** A reference to a variable whose value is only known at build
//!   time (an `ARG` without default, a platform arg, image config) stays as written in
//!   [`Expanded::value`] and is listed in [`Expanded::unresolved`]; a reference to a variable
//!   that is defined nowhere expands to nothing, as in BuildKit, and is listed in
//!   [`Expanded::undefined`].
//!
//! Build arguments passed on the command line (`--build-arg`) are not known: `ARG` defaults
//! are taken as the values.

use std::ops::Range;

pub use plimsoll_core::image_ref::ImageRef;

use crate::ast::{Command, Dockerfile, Located};
use crate::shell::{Env, Lex};

/// BuildKit's automatic platform args, visible in `FROM` lines (and in stages after `ARG X`).
pub const PLATFORM_ARGS: [&str; 11] = [
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDOSVERSION",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETOSVERSION",
    "TARGETARCH",
    "TARGETVARIANT",
    "TARGETSTAGE",
];

/// The result of expanding a word.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expanded {
    /// The expansion, with references to unresolved variables kept as written.
    pub value: String,
    /// Variables whose value is only known at build time (kept as written in `value`).
    pub unresolved: Vec<String>,
    /// Variables defined nowhere (BuildKit expands them to nothing; its `UndefinedVar` check).
    pub undefined: Vec<String>,
    /// BuildKit would fail on this expansion (`${X:?msg}`, unterminated quote, …); `value` is
    /// then the word as written.
    pub error: Option<String>,
}

impl Expanded {
    /// Fully known: no unresolved variable, no error.
    pub fn is_resolved(&self) -> bool {
        self.unresolved.is_empty() && self.error.is_none()
    }
}

/// What a stage is built on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// `FROM scratch`.
    Scratch,
    /// `FROM <earlier stage>`: the stage's index.
    Stage(usize),
    /// An image from a registry.
    Image(ImageRef),
}

/// One build stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// Position among the stages (what `COPY --from=0` refers to).
    pub index: usize,
    /// `AS name`, lower-cased as BuildKit matches it.
    pub name: Option<String>,
    /// Index of the `FROM` instruction in [`Dockerfile::instructions`].
    pub from: usize,
    /// Indices of the instructions after `FROM` up to the next `FROM`.
    pub body: Range<usize>,
    pub base: Base,
    /// The `FROM` image word expanded with the global args.
    pub image: Expanded,
    /// `--platform=` expanded with the global args.
    pub platform: Option<Expanded>,
}

/// The user a stage runs as: the last `USER` in the stage or, failing that, in the stages it
/// is built on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EffectiveUser {
    /// The `USER` argument as written.
    pub raw: Located<String>,
    /// Expanded in the scope of that `USER` instruction.
    pub expanded: Expanded,
    /// Index of the `USER` instruction.
    pub instruction: usize,
    /// The stage that contains it.
    pub stage: usize,
}

/// A variable's value as far as static analysis knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Set(String),
    /// Known to exist, value only known at build time.
    Unknown,
}

/// A variable set by an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
struct VarEvent {
    instr: usize,
    name: String,
    value: Value,
}

/// Where unresolved names fall back to at the root of a stage chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Root {
    /// An image: its config may define any variable.
    Image,
    /// `scratch`: nothing is defined.
    Scratch,
}

/// The stage graph and variable scopes of one Dockerfile.
#[derive(Debug, Clone)]
pub struct Analysis {
    stages: Vec<Stage>,
    /// Stage index of each instruction (`None` before the first `FROM`).
    stage_of: Vec<Option<usize>>,
    /// Global ARG events (instruction index < first FROM).
    globals: Vec<VarEvent>,
    /// Per stage: variables set by its own instructions, in order.
    stage_vars: Vec<Vec<VarEvent>>,
    escape: char,
    /// Bytes of values still allowed to be stored (see [`crate::shell::VALUE_BUDGET`]):
    /// past it a value is unknown, so `ENV Xn=$BIG` repeated cannot store a copy per line.
    budget: usize,
    /// What is left of the copy budget of all its expansions
    /// ([`crate::shell::COPY_BUDGET`], see [`crate::shell::Env::charge`]).
    copies: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

/// A variable scope: a chain of event lists searched newest first.
struct Scope<'a> {
    /// `(events, cutoff)`: events with `instr < cutoff` are visible.
    layers: Vec<(&'a [VarEvent], usize)>,
    root: Option<Root>,
    /// Global scope: platform args are unknown.
    platform_args: bool,
    /// The analysis' copy budget.
    copies: &'a std::sync::atomic::AtomicUsize,
}

impl Scope<'_> {
    fn lookup(&self, name: &str) -> Option<&Value> {
        for (events, cutoff) in &self.layers {
            if let Some(e) = events
                .iter()
                .rev()
                .find(|e| e.instr < *cutoff && e.name == name)
            {
                return Some(&e.value);
            }
        }
        None
    }
}

impl Env for Scope<'_> {
    fn charge(&self, bytes: usize) -> bool {
        crate::shell::take(self.copies, bytes)
    }

    fn get(&self, name: &str) -> Option<&str> {
        match self.lookup(name) {
            Some(Value::Set(v)) => Some(v),
            _ => None,
        }
    }

    fn is_unknown(&self, name: &str) -> bool {
        // `$1`, `$@`, …: shell parameters are never set in a Dockerfile.
        if !name.starts_with(|c: char| c == '_' || c.is_alphabetic()) {
            return false;
        }
        match self.lookup(name) {
            Some(Value::Unknown) => true,
            Some(Value::Set(_)) => false,
            None => {
                (self.platform_args && PLATFORM_ARGS.contains(&name))
                    || self.root == Some(Root::Image)
            }
        }
    }
}

impl Analysis {
    /// Builds the stage graph and the variable scopes.
    pub fn new(file: &Dockerfile) -> Analysis {
        let escape = file.directives.escape;
        let n = file.instructions.len();
        let mut a = Analysis {
            stages: Vec::new(),
            stage_of: vec![None; n],
            globals: Vec::new(),
            stage_vars: Vec::new(),
            escape,
            budget: crate::shell::VALUE_BUDGET,
            copies: std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(
                crate::shell::COPY_BUDGET,
            )),
        };
        // Stage boundaries.
        let froms: Vec<usize> = file
            .instructions
            .iter()
            .enumerate()
            .filter(|(_, i)| matches!(i.command, Command::From { .. }))
            .map(|(i, _)| i)
            .collect();
        let first_from = froms.first().copied().unwrap_or(n);

        // Global args, expanded in order with the ones before.
        for i in 0..first_from {
            if let Command::Arg(decls) = &file.instructions[i].command {
                for d in decls {
                    let value = match &d.raw_default {
                        Some(raw) => {
                            let scope = a.global_scope(i + 1);
                            let e = expand_in(&scope, escape, raw);
                            if e.unresolved.is_empty() && e.error.is_none() {
                                Value::Set(e.value)
                            } else {
                                Value::Unknown
                            }
                        }
                        None => Value::Unknown,
                    };
                    let value = a.within_budget(value);
                    a.globals.push(VarEvent {
                        instr: i,
                        name: d.name.value.clone(),
                        value,
                    });
                }
            }
        }

        for (si, &from) in froms.iter().enumerate() {
            let end = froms.get(si + 1).copied().unwrap_or(n);
            for s in &mut a.stage_of[from..end] {
                *s = Some(si);
            }
            let Command::From { image, alias } = &file.instructions[from].command else {
                continue;
            };
            let scope = a.global_scope(usize::MAX);
            let expanded = expand_in(&scope, escape, &image.value);
            let platform = file.instructions[from]
                .flag("platform")
                .and_then(|f| f.value.as_deref())
                .map(|p| expand_in(&scope, escape, p));
            drop(scope);
            let lower = expanded.value.to_lowercase();
            let base = if expanded.value == "scratch" {
                Base::Scratch
            } else if let Some(parent) = a
                .stages
                .iter()
                .find(|s| s.name.as_deref() == Some(lower.as_str()))
            {
                Base::Stage(parent.index)
            } else {
                Base::Image(ImageRef::parse(&expanded.value))
            };
            a.stages.push(Stage {
                index: si,
                name: alias.as_ref().map(|l| l.value.to_lowercase()),
                from,
                body: from + 1..end,
                base,
                image: expanded,
                platform,
            });
            a.stage_vars.push(Vec::new());
            a.collect_stage_vars(file, si);
        }
        a
    }

    /// Records the variables a stage's own ENV/ARG instructions set.
    fn collect_stage_vars(&mut self, file: &Dockerfile, si: usize) {
        let body = self.stages[si].body.clone();
        for i in body {
            match &file.instructions[i].command {
                Command::Env(kvs) => {
                    // All values of one ENV are expanded before any is set.
                    let values: Vec<(String, Value)> = {
                        let scope = self.stage_scope(si, i);
                        kvs.iter()
                            .map(|kv| {
                                let e = expand_in(&scope, self.escape, &kv.raw_value);
                                let v = if e.unresolved.is_empty() && e.error.is_none() {
                                    Value::Set(e.value)
                                } else {
                                    Value::Unknown
                                };
                                (kv.key.value.clone(), v)
                            })
                            .collect()
                    };
                    for (name, value) in values {
                        let value = self.within_budget(value);
                        self.stage_vars[si].push(VarEvent {
                            instr: i,
                            name,
                            value,
                        });
                    }
                }
                Command::Arg(decls) => {
                    for d in decls {
                        let value = match &d.raw_default {
                            Some(raw) => {
                                // Each ARG pair sees the ones before it: evaluate with the
                                // events so far (they all have instr == i, visible via i + 1).
                                let scope = self.stage_scope(si, i + 1);
                                let e = expand_in(&scope, self.escape, raw);
                                if e.unresolved.is_empty() && e.error.is_none() {
                                    Value::Set(e.value)
                                } else {
                                    Value::Unknown
                                }
                            }
                            // Without default: the global value, if there is a global ARG.
                            None => {
                                match self.globals.iter().rev().find(|g| g.name == d.name.value) {
                                    Some(g) => g.value.clone(),
                                    None => Value::Unknown,
                                }
                            }
                        };
                        let value = self.within_budget(value);
                        self.stage_vars[si].push(VarEvent {
                            instr: i,
                            name: d.name.value.clone(),
                            value,
                        });
                    }
                }
                _ => {}
            }
        }
    }

    /// `value`, or unknown once the stored values would exceed the budget.
    fn within_budget(&mut self, value: Value) -> Value {
        match value {
            Value::Set(v) if v.len() <= self.budget => {
                self.budget -= v.len();
                Value::Set(v)
            }
            Value::Set(_) => Value::Unknown,
            unknown => unknown,
        }
    }

    /// The global scope seen by instruction index `cutoff` (exclusive).
    fn global_scope(&self, cutoff: usize) -> Scope<'_> {
        Scope {
            layers: vec![(&self.globals, cutoff)],
            root: None,
            platform_args: true,
            copies: &self.copies,
        }
    }

    /// The scope inside stage `si` just before instruction `cutoff`.
    fn stage_scope(&self, si: usize, cutoff: usize) -> Scope<'_> {
        let mut layers = vec![(self.stage_vars[si].as_slice(), cutoff)];
        let mut cur = si;
        let mut guard = 0;
        let root = loop {
            match &self.stages[cur].base {
                Base::Stage(p) if *p < cur && guard < self.stages.len() => {
                    layers.push((self.stage_vars[*p].as_slice(), usize::MAX));
                    cur = *p;
                    guard += 1;
                }
                Base::Scratch => break Root::Scratch,
                _ => break Root::Image,
            }
        };
        Scope {
            layers,
            root: Some(root),
            platform_args: false,
            copies: &self.copies,
        }
    }

    /// All stages, in order.
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }

    /// The stage `docker build` builds by default: the last one.
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// The stage containing instruction `instr` (its `FROM` included); `None` for the global
    /// `ARG`s before the first `FROM`.
    pub fn stage_of(&self, instr: usize) -> Option<usize> {
        self.stage_of.get(instr).copied().flatten()
    }

    /// A stage named by `COPY --from=`/`--mount from=`: an `AS` name (case-insensitive) or a
    /// stage number. `None` means an image (or an unknown name).
    pub fn stage_ref(&self, name: &str) -> Option<usize> {
        let lower = name.to_lowercase();
        if let Some(s) = self
            .stages
            .iter()
            .find(|s| s.name.as_deref() == Some(lower.as_str()))
        {
            return Some(s.index);
        }
        name.parse::<usize>()
            .ok()
            .filter(|i| *i < self.stages.len())
    }

    /// The stages `stage` is built on, nearest first (its base stage, that one's base, …).
    pub fn ancestors(&self, stage: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = stage;
        while let Some(Base::Stage(p)) = self.stages.get(cur).map(|s| &s.base) {
            if *p >= cur || out.contains(p) {
                break;
            }
            out.push(*p);
            cur = *p;
        }
        out
    }

    /// Expands `word` as BuildKit would when running instruction `instr`: a `FROM` (or a global
    /// `ARG`) sees the global args declared before it; any other instruction sees its stage's
    /// variables set before it.
    pub fn expand(&self, file: &Dockerfile, instr: usize, word: &str) -> Expanded {
        let escape = file.directives.escape;
        let is_from = file
            .instructions
            .get(instr)
            .is_some_and(|i| matches!(i.command, Command::From { .. }));
        match self.stage_of(instr) {
            Some(_) if is_from => expand_in(&self.global_scope(usize::MAX), escape, word),
            Some(si) => expand_in(&self.stage_scope(si, instr), escape, word),
            None => expand_in(&self.global_scope(instr), escape, word),
        }
    }

    /// The user stage `stage` runs as: its last `USER`, else its base stage's, and so on;
    /// `None` when no stage in the chain sets `USER` (the base image's user applies, root for
    /// most images).
    pub fn effective_user(&self, file: &Dockerfile, stage: usize) -> Option<EffectiveUser> {
        let chain = std::iter::once(stage).chain(self.ancestors(stage));
        for si in chain {
            let s = self.stages.get(si)?;
            for i in s.body.clone().rev() {
                if let Some(Command::User(u)) = file.instructions.get(i).map(|x| &x.command) {
                    return Some(EffectiveUser {
                        raw: u.clone(),
                        expanded: self.expand(file, i, &u.value),
                        instruction: i,
                        stage: si,
                    });
                }
            }
        }
        None
    }
}

/// Expands with BuildKit's lexer in a scope.
fn expand_in(scope: &Scope<'_>, escape: char, word: &str) -> Expanded {
    match Lex::new(escape).process_word(word, scope) {
        Ok(p) => {
            let undefined = p
                .unmatched
                .iter()
                .filter(|n| !p.unknown.contains(n))
                .cloned()
                .collect();
            Expanded {
                value: p.result,
                unresolved: p.unknown,
                undefined,
                error: None,
            }
        }
        Err(e) => Expanded {
            value: word.to_string(),
            unresolved: Vec::new(),
            undefined: Vec::new(),
            error: Some(e.message),
        },
    }
}

#[cfg(test)]
mod tests;
