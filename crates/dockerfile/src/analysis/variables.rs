//! The ARG/ENV variables in scope at an instruction, as a persistent (shared) structure.
//!
//! Every RUN keeps the scope it runs in, and a file can set many variables before many RUNs
//! (10,000 `ENV` × 1,000 `RUN` is 157 KB). A map copied per RUN costs (variables × RUNs) of
//! memory — gigabytes for a file under the size limit — so a scope is instead a *view* of an
//! append-only history: each stage records every assignment its `ARG`/`ENV` instructions make
//! once, in order, with a sequence number, and a [`Vars`] is (that history, how much of it is
//! visible, the scope it was inherited from). Cloning one is a reference-count increment;
//! looking a name up is a hash lookup and a binary search per stage of the `FROM <stage>`
//! chain. Memory is linear in the number of assignments, whatever the number of RUNs.
//!
//! Values themselves are bounded too: one expansion copies at most
//! [`crate::shell::MAX_EXPANSION`] of variable text, and all the values one file's scopes
//! store share a budget of [`VALUE_BUDGET`] bytes, past which a value is recorded as unknown
//! (rules stay silent about it) — otherwise `ENV Xn=$BIG` repeated would store a copy per line.
//!
//! A scope answers two questions about a word. [`Vars::expand`] is the rules' question: its
//! value if it is certain, and otherwise the variable it hangs on — a reference to a variable
//! defined nowhere counts as uncertain, so rules stay silent rather than judge a value the
//! author may not have meant. [`Vars::expand_as_built`] is the build's question: what BuildKit
//! makes of it, a variable defined nowhere expanding to nothing (`ARG B=${X:-debian}` then
//! `FROM $B` builds on `debian`), and whether anything in it is only known at build time.
//! Each assignment therefore keeps, beside the rules' value, the value as built when only the
//! build knows it.

use crate::shell::{take, Env, Lex};
use std::collections::HashMap;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;

pub use crate::shell::{COPY_BUDGET, VALUE_BUDGET};

/// Where a variable nobody declared could come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Root {
    /// Before the first FROM: only the automatic platform args exist (values unknown).
    Global,
    /// A stage whose chain starts at an image: its config may set any variable.
    Image,
    /// A stage whose chain starts at `scratch`: nothing else is defined.
    Scratch,
}

/// BuildKit's automatic platform args, visible in `FROM` lines (and in stages after `ARG X`);
/// their values depend on the build, so they are unknown here.
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

/// One assignment in a [`History`]: when it happened, the value (`None` when unknown at lint
/// time), the value as built when only the build knows it, and whether it is an environment
/// variable.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    seq: u32,
    value: Option<String>,
    /// Set only when `value` is `None` but BuildKit's value is known: the assigned word
    /// refers to a variable defined nowhere, which the build expands to nothing.
    built: Option<String>,
    env: bool,
}

/// What one assignment stores: the rules' value and, when that is unknown, the build's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Assigned {
    pub(crate) value: Option<String>,
    pub(crate) built: Option<String>,
}

/// Every assignment of one layer (a stage, or the global `ARG`s), by name, in order.
#[derive(Debug, Clone, Default)]
struct History {
    by_name: HashMap<String, Vec<Entry>>,
    /// The sequence number the next assignment gets.
    next: u32,
    /// The scope this layer was started from (a parent stage's scope at its end).
    parent: Option<Vars>,
}

/// Variables in scope just before an instruction: name → value (`None` when declared but not
/// known at lint time, e.g. `ARG TAG` without a default). Expands words with BuildKit's lexer
/// ([`crate::shell::Lex`]).
///
/// A cheap-to-clone view (see the module documentation): the assignments of `layer` with a
/// sequence number below `seq`, over the layer's parent scope.
#[derive(Debug, Clone)]
pub struct Vars {
    layer: Option<Arc<History>>,
    seq: u32,
    escape: char,
    root: Root,
    /// What is left of the file's [`VALUE_BUDGET`], shared by all its scopes.
    budget: Arc<AtomicUsize>,
    /// What is left of the file's [`COPY_BUDGET`], shared by all its scopes.
    copies: Arc<AtomicUsize>,
    /// The same two budgets for values as built (see [`Vars::expand_as_built`]), apart so that
    /// answering the build's question never changes the rules' answers.
    built_budget: Arc<AtomicUsize>,
    built_copies: Arc<AtomicUsize>,
}

/// The same thing under the name some rules use.
pub type Scope = Vars;

impl Default for Vars {
    fn default() -> Self {
        Vars::new('\\', Root::Image)
    }
}

impl Vars {
    /// An empty scope with a budget of its own (see [`Vars::sibling`] for another scope of
    /// the same file).
    pub(crate) fn new(escape: char, root: Root) -> Vars {
        Vars {
            layer: None,
            seq: 0,
            escape,
            root,
            budget: Arc::new(AtomicUsize::new(VALUE_BUDGET)),
            copies: Arc::new(AtomicUsize::new(COPY_BUDGET)),
            built_budget: Arc::new(AtomicUsize::new(VALUE_BUDGET)),
            built_copies: Arc::new(AtomicUsize::new(COPY_BUDGET)),
        }
    }

    /// An empty scope of the same file: same escape character, same value budget.
    pub(crate) fn sibling(&self, root: Root) -> Vars {
        Vars {
            layer: None,
            seq: 0,
            escape: self.escape,
            root,
            budget: Arc::clone(&self.budget),
            copies: Arc::clone(&self.copies),
            built_budget: Arc::clone(&self.built_budget),
            built_copies: Arc::clone(&self.built_copies),
        }
    }

    /// Takes `len` bytes from the file's value budget; `false` when not that much is left.
    fn spend(&self, len: usize) -> bool {
        take(&self.budget, len)
    }

    /// The assignment in effect for `name`, newest layer first.
    fn lookup(&self, name: &str) -> Option<&Entry> {
        let mut view = self;
        loop {
            let layer = view.layer.as_ref()?;
            if let Some(entries) = layer.by_name.get(name) {
                let visible = entries.partition_point(|e| e.seq < view.seq);
                if let Some(e) = visible.checked_sub(1).and_then(|i| entries.get(i)) {
                    return Some(e);
                }
            }
            view = layer.parent.as_ref()?;
        }
    }

    /// `None`: not declared; `Some(None)`: declared, value unknown; `Some(Some(v))`: known.
    pub fn get(&self, name: &str) -> Option<Option<&String>> {
        self.lookup(name).map(|e| e.value.as_ref())
    }

    /// The value BuildKit gives `name`: `None` when not declared or only known at build time.
    fn built_value(&self, name: &str) -> Option<&str> {
        self.lookup(name)
            .and_then(|e| e.value.as_deref().or(e.built.as_deref()))
    }

    pub fn is_env(&self, name: &str) -> bool {
        self.lookup(name).is_some_and(|e| e.env)
    }

    /// Records an assignment and makes it visible. Appends to this view's own layer when it
    /// is the only holder and sees all of it (the usual case while a stage is being read);
    /// otherwise starts a new layer over this view, so snapshots already handed out never
    /// change.
    fn assign(&mut self, name: &str, assigned: Assigned, env: bool) {
        let value = assigned.value.filter(|v| self.spend(v.len()));
        let built = match value {
            Some(_) => None,
            None => assigned.built.filter(|v| take(&self.built_budget, v.len())),
        };
        let own = self
            .layer
            .as_mut()
            .and_then(Arc::get_mut)
            .filter(|h| h.next == self.seq);
        let history = match own {
            Some(h) => h,
            None => {
                let parent = self.clone();
                self.layer = Some(Arc::new(History {
                    parent: Some(parent),
                    ..History::default()
                }));
                self.seq = 0;
                match self.layer.as_mut().and_then(Arc::get_mut) {
                    Some(h) => h,
                    // Just created and held only here.
                    None => return,
                }
            }
        };
        let seq = history.next;
        history.next += 1;
        history
            .by_name
            .entry(name.to_string())
            .or_default()
            .push(Entry {
                seq,
                value,
                built,
                env,
            });
        self.seq = history.next;
    }

    /// Assigns a value known (or not) to rules and build alike.
    #[cfg(test)]
    pub(crate) fn set(&mut self, name: &str, value: Option<String>) {
        self.set_assigned(name, Assigned { value, built: None });
    }

    #[cfg(test)]
    pub(crate) fn set_env(&mut self, name: &str, value: Option<String>) {
        self.set_env_assigned(name, Assigned { value, built: None });
    }

    fn set_assigned(&mut self, name: &str, assigned: Assigned) {
        let is_env = self.is_env(name);
        self.assign(name, assigned, is_env);
    }

    pub(crate) fn set_env_assigned(&mut self, name: &str, assigned: Assigned) {
        self.assign(name, assigned, true);
    }

    /// What assigning `word` (as written) in this scope stores: its value for the rules and,
    /// when that is unknown only because of variables the build knows or defines nowhere, its
    /// value as built.
    pub(crate) fn assigned(&self, word: &str) -> Assigned {
        let Ok(p) = Lex::new(self.escape).process_word(word, self) else {
            return Assigned::default();
        };
        if p.unknown.is_empty() && p.unmatched.is_empty() {
            return Assigned {
                value: Some(p.result),
                built: None,
            };
        }
        // Unknown to the rules; the build knows it unless a reference is unknown to it too.
        if p.unknown.iter().any(|n| self.built_value(n).is_none()) {
            return Assigned::default();
        }
        let (built, known) = self.expand_as_built(word);
        Assigned {
            value: None,
            built: known.then_some(built),
        }
    }

    /// How many assignments of this view's own layer are visible (a position to come back to
    /// with [`Vars::at`]).
    pub(crate) fn position(&self) -> u32 {
        self.seq
    }

    /// Whether `self` and `other` read the same layer (`other` extends `self`'s own layer).
    pub(crate) fn same_layer(&self, other: &Vars) -> bool {
        match (&self.layer, &other.layer) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }

    /// The same scope as it was at `position` of its own layer.
    pub(crate) fn at(&self, position: u32) -> Vars {
        Vars {
            seq: position,
            ..self.clone()
        }
    }

    /// Applies one `ARG` instruction: each pair sees the ones before it; a name already set
    /// by `ENV` keeps the ENV value; `ARG NAME` without default takes the global value.
    pub(crate) fn declare_args(&mut self, decls: &[crate::ast::ArgDecl], globals: Option<&Vars>) {
        for d in decls {
            let name = d.name.value.as_str();
            if self.is_env(name) {
                continue;
            }
            let assigned = match &d.raw_default {
                Some(raw) => self.assigned(raw),
                None => globals
                    .and_then(|g| g.lookup(name))
                    .map(|e| Assigned {
                        value: e.value.clone(),
                        built: e.built.clone(),
                    })
                    .unwrap_or_default(),
            };
            // Not an ENV name (skipped above), so this records an ARG.
            self.set_assigned(name, assigned);
        }
    }

    /// Expands a word as BuildKit would in this scope (quotes removed, `${x:-y}` and the other
    /// operators applied). A word that depends on a value not known at lint time (a build
    /// argument without default, the base image's ENV, an undefined variable) or that BuildKit
    /// would reject is [`Unresolved`], so rules can stay silent instead of guessing.
    pub fn expand(&self, word: &str) -> Result<String, Unresolved> {
        self.expand_with(word, self.escape)
    }

    /// Expands a word as BuildKit builds it in this scope: a variable defined nowhere expands
    /// to nothing; one only known at build time stays as written. Returns the text and whether
    /// it is fully known (no such variable, and no expansion BuildKit would reject — then the
    /// text is the word as written).
    pub fn expand_as_built(&self, word: &str) -> (String, bool) {
        match Lex::new(self.escape).process_word(word, &AsBuilt(self)) {
            Ok(p) => {
                let known = p.unknown.is_empty();
                (p.result, known)
            }
            Err(_) => (word.to_string(), false),
        }
    }

    fn expand_with(&self, word: &str, escape: char) -> Result<String, Unresolved> {
        match Lex::new(escape).process_word(word, self) {
            Ok(p) => match p.unknown.first().or(p.unmatched.first()) {
                Some(var) => Err(Unresolved { var: var.clone() }),
                None => Ok(p.result),
            },
            Err(_) => Err(Unresolved { var: String::new() }),
        }
    }
}

impl Env for Vars {
    fn get(&self, name: &str) -> Option<&str> {
        self.lookup(name).and_then(|e| e.value.as_deref())
    }

    fn charge(&self, bytes: usize) -> bool {
        take(&self.copies, bytes)
    }

    fn is_unknown(&self, name: &str) -> bool {
        match self.lookup(name) {
            Some(e) => e.value.is_none(),
            None => self.undeclared_is_unknown(name),
        }
    }
}

impl Vars {
    /// Whether a variable nobody declared may still have a value at build time.
    fn undeclared_is_unknown(&self, name: &str) -> bool {
        match self.root {
            Root::Global => PLATFORM_ARGS.contains(&name),
            Root::Image => name.starts_with(|c: char| c == '_' || c.is_alphabetic()),
            Root::Scratch => false,
        }
    }
}

/// A scope read as the build reads it (see [`Vars::expand_as_built`]).
struct AsBuilt<'a>(&'a Vars);

impl Env for AsBuilt<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.built_value(name)
    }

    fn charge(&self, bytes: usize) -> bool {
        take(&self.0.built_copies, bytes)
    }

    fn is_unknown(&self, name: &str) -> bool {
        match self.0.lookup(name) {
            Some(e) => e.value.is_none() && e.built.is_none(),
            None => self.0.undeclared_is_unknown(name),
        }
    }
}

/// Why a word could not be expanded: the variable it depends on (empty when BuildKit would
/// reject the word itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    pub var: String,
}

/// Expands a word with `vars` and an explicit escape character (the function form of
/// [`Vars::expand`], which uses the file's escape character).
pub fn expand(word: &str, escape: char, vars: &Vars) -> Result<String, Unresolved> {
    vars.expand_with(word, escape)
}

/// Whether a word is nothing but variable references (`$X`, `${X}`, `"${X:-}"`), e.g. an ENV
/// value that merely forwards a build argument.
pub fn is_only_var_refs(word: &str) -> bool {
    let mut rest = word.trim().trim_matches('"');
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let Some(after) = rest.strip_prefix('$') else {
            return false;
        };
        if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                Some(end) => rest = &inner[end + 1..],
                None => return false,
            }
        } else {
            let n = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if n == 0 {
                return false;
            }
            rest = &after[n..];
        }
    }
    true
}

/// Whether a word contains a variable reference at all.
pub fn has_var_ref(word: &str) -> bool {
    let b = word.as_bytes();
    b.windows(2)
        .any(|w| w[0] == b'$' && (w[1] == b'{' || w[1] == b'_' || w[1].is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn var_ref_detection() {
        assert!(is_only_var_refs("$TOKEN"));
        assert!(is_only_var_refs("${A}${B}"));
        assert!(is_only_var_refs("\"${TOKEN:-}\""));
        assert!(!is_only_var_refs("abc$X"));
        assert!(!is_only_var_refs(""));
        assert!(has_var_ref("x${Y}"));
        assert!(!has_var_ref("cost$"));
    }

    #[test]
    fn a_stage_appends_to_one_history_that_views_share() {
        let mut vars = Vars::new('\\', Root::Scratch);
        vars.set_env("A", Some("1".into()));
        vars.set_env("A", Some("2".into()));
        vars.set("B", Some("x".into()));
        let view = vars.at(1);
        assert!(
            view.same_layer(&vars),
            "a view is the same history, not a copy"
        );
        assert_eq!(view.get("A"), Some(Some(&"1".to_string())));
        assert_eq!(view.get("B"), None);
        assert_eq!(vars.at(2).get("A"), Some(Some(&"2".to_string())));
        assert_eq!(vars.get("B"), Some(Some(&"x".to_string())));
    }

    #[test]
    fn assigning_to_a_shared_scope_leaves_the_snapshot_unchanged() {
        let mut vars = Vars::new('\\', Root::Scratch);
        vars.set_env("A", Some("1".into()));
        let keep = vars.clone();
        vars.set_env("A", Some("2".into()));
        assert!(!vars.same_layer(&keep), "a new layer over the shared one");
        assert_eq!(keep.get("A"), Some(Some(&"1".to_string())));
        assert_eq!(vars.get("A"), Some(Some(&"2".to_string())));
        let mut branch = vars.at(0);
        branch.set("C", Some("c".into()));
        assert_eq!(branch.get("A"), Some(Some(&"1".to_string())));
        assert_eq!(branch.get("C"), Some(Some(&"c".to_string())));
        assert_eq!(vars.get("C"), None);
    }

    #[test]
    fn values_past_the_files_budget_are_unknown() {
        let mut vars = Vars::new('\\', Root::Scratch);
        let big = "x".repeat(VALUE_BUDGET / 2 + 1);
        vars.set_env("A", Some(big.clone()));
        let mut other = vars.sibling(Root::Scratch);
        other.set_env("B", Some(big));
        other.set_env("C", Some("small".into()));
        assert!(vars.get("A").is_some_and(|v| v.is_some()));
        assert_eq!(
            other.get("B"),
            Some(None),
            "over budget: declared, value unknown"
        );
        assert_eq!(other.get("C"), Some(Some(&"small".to_string())));
    }

    #[test]
    fn arg_keeps_an_env_value_and_sees_earlier_pairs() {
        let mut vars = Vars::new('\\', Root::Scratch);
        vars.set_env("HOME", Some("/root".into()));
        vars.set("HOME", Some("/other".into()));
        assert!(vars.is_env("HOME"), "an ARG over an ENV name stays an ENV");
        assert_eq!(vars.expand("${HOME}/x"), Ok("/other/x".to_string()));
    }
}
