//! The build stages of a Dockerfile as the rules walk them: which instructions belong to which
//! `FROM`, which stage a `FROM <name>` builds on (patterns of platform args included), which
//! stages end up in the final image, and the ARG/ENV scope ([`Vars`]) before every
//! instruction, with `$VAR` expansion by BuildKit's own lexer ([`crate::shell::Lex`]) for the
//! words rules judge (`FROM`, `USER`, `WORKDIR`, `EXPOSE`, `COPY` sources…).
//!
//! Everything here is a pure function of the parsed [`Dockerfile`]; nothing is guessed from
//! outside it. Where a value depends on something the file does not say (a build argument
//! without a default, an `ENV` of the base image), expansion reports it as unresolved so rules
//! can stay silent instead of raising a false positive.

pub use crate::analysis::variables::{expand, Scope, Unresolved, Vars};
use crate::analysis::variables::{Assigned, Root};
use crate::ast::{Command, Dockerfile, Instruction, Located};
use plimsoll_core::image_ref::ImageRef;

/// One build stage: its `FROM` and the instructions up to the next `FROM`.
#[derive(Debug, Clone)]
pub struct StageView<'a> {
    /// 0-based position, as `COPY --from=<n>` counts.
    pub index: usize,
    pub from: &'a Instruction,
    /// The base as written (`debian:12`, `$BASE`, or an earlier stage's name).
    pub image: &'a Located<String>,
    /// `AS name` as written.
    pub alias: Option<&'a Located<String>>,
    /// Instructions after the `FROM`, in order (ONBUILD wrappers included, not unwrapped).
    pub body: &'a [Instruction],
    /// The earlier stage this one builds on (`FROM build`), if any.
    pub parent: Option<usize>,
}

impl StageView<'_> {
    /// The stage name, lower-cased as BuildKit compares it.
    pub fn name(&self) -> Option<String> {
        self.alias.map(|a| a.value.to_lowercase())
    }

    /// The line of its `FROM`.
    pub fn line(&self) -> u32 {
        self.from.line()
    }

    /// `stage `build` (line 3)` or `the stage at line 3` for an unnamed one.
    pub fn label(&self) -> String {
        match self.alias {
            Some(a) => format!("stage `{}` (line {})", a.value, self.line()),
            None => format!("the stage at line {}", self.line()),
        }
    }

    /// A line-independent identifier for fingerprints: the name, or `#<index>`.
    pub fn key(&self) -> String {
        self.name().unwrap_or_else(|| format!("#{}", self.index))
    }
}

/// Every stage of a file, plus the global `ARG`s before the first `FROM`, following BuildKit's
/// rules (the crate's one model of stages and variables): a `FROM <name>` builds on
/// the earlier stage of that name (after expanding global ARGs), a child stage inherits its
/// parent's variables, global ARGs are visible in a stage only once redeclared.
#[derive(Debug, Clone)]
pub struct Stages<'a> {
    pub file: &'a Dockerfile,
    /// Instructions before the first `FROM` (only `ARG` is valid there).
    pub globals: &'a [Instruction],
    pub list: Vec<StageView<'a>>,
    global_vars: Vars,
    /// The variables in effect at the end of each stage (inherited by `FROM <stage>` children).
    vars_end: Vec<Vars>,
    /// The variables each stage starts with (its parent's at its end, or none).
    vars_start: Vec<Vars>,
    /// For each stage, where its `ARG`/`ENV` instructions are and how much of the stage's
    /// variable history is visible after each: `(position in the body, history position)`.
    /// Walking a stage moves a view of [`Stages::vars_end`] along these instead of expanding
    /// every value again, which is most of the cost of a walk.
    changes: Vec<Vec<(usize, u32)>>,
    /// Whether each stage's chain starts at an image (whose config may define any variable)
    /// rather than `scratch`.
    image_root: Vec<bool>,
    /// For each stage, [`Stages::candidate_parents`] (computed once: it compiles a regex).
    candidates: Vec<Vec<usize>>,
    /// The stage being built when it is not the last one (`docker build --target`, compose
    /// `build.target`): the final-stage rules judge it instead.
    target: Option<usize>,
}

impl<'a> Stages<'a> {
    /// The stages of a file built to its last stage (the default target).
    pub fn new(file: &'a Dockerfile) -> Stages<'a> {
        Stages::with_target(file, None)
    }

    /// The stages of a file built to stage `target` (an index, see [`target_index`]); the
    /// last stage when `None` or out of range.
    pub fn with_target(file: &'a Dockerfile, target: Option<usize>) -> Stages<'a> {
        let instrs = file.instructions.as_slice();
        let escape = file.directives.escape;
        let froms: Vec<usize> = instrs
            .iter()
            .enumerate()
            .filter(|(_, i)| matches!(i.command, Command::From { .. }))
            .map(|(n, _)| n)
            .collect();
        let globals = &instrs[..froms.first().copied().unwrap_or(instrs.len())];
        let mut global_vars = Vars::new(escape, Root::Global);
        for instr in globals {
            if let Command::Arg(decls) = &instr.command {
                global_vars.declare_args(decls, None);
            }
        }
        let mut list: Vec<StageView<'a>> = Vec::with_capacity(froms.len());
        let mut image_root: Vec<bool> = Vec::with_capacity(froms.len());
        for (k, &at) in froms.iter().enumerate() {
            let end = froms.get(k + 1).copied().unwrap_or(instrs.len());
            let from = &instrs[at];
            let Command::From { image, alias } = &from.command else {
                continue;
            };
            // As BuildKit names the base: a variable defined nowhere expands to nothing.
            let expanded = match global_vars.expand_as_built(&image.value) {
                (built, true) => built,
                (_, false) => image.value.clone(),
            }
            .trim()
            .to_lowercase();
            // `FROM <name>` refers to an earlier stage only (BuildKit resolves base names
            // against the stages registered before it).
            let parent = list
                .iter()
                .rev()
                .find(|s| s.name().as_deref() == Some(expanded.as_str()))
                .map(|s| s.index);
            image_root.push(match parent {
                Some(p) => image_root.get(p).copied().unwrap_or(true),
                None => expanded != "scratch",
            });
            list.push(StageView {
                index: list.len(),
                from,
                image,
                alias: alias.as_ref(),
                body: &instrs[at + 1..end],
                parent,
            });
        }
        let mut stages = Stages {
            file,
            globals,
            list,
            global_vars,
            vars_start: Vec::new(),
            vars_end: Vec::new(),
            changes: Vec::new(),
            image_root,
            candidates: Vec::new(),
            target: None,
        };
        stages.target = target.filter(|&t| t < stages.list.len());
        stages.candidates = (0..stages.list.len())
            .map(|i| stages.find_candidate_parents(i))
            .collect();
        let mut vars_start: Vec<Vars> = Vec::with_capacity(stages.list.len());
        let mut vars_end: Vec<Vars> = Vec::with_capacity(stages.list.len());
        let mut changes = Vec::with_capacity(stages.list.len());
        for idx in 0..stages.list.len() {
            let start = stages.initial_vars(idx, &vars_end);
            let mut vars = start.clone();
            changes.push(stages.scope_changes(idx, &mut vars));
            vars_start.push(start);
            vars_end.push(vars);
        }
        stages.vars_start = vars_start;
        stages.vars_end = vars_end;
        stages.changes = changes;
        stages
    }

    /// The stage the image is built from: the build target, by default the last stage.
    pub fn final_stage(&self) -> Option<&StageView<'a>> {
        self.target
            .and_then(|t| self.list.get(t))
            .or_else(|| self.list.last())
    }

    /// The build target when it is not the default (the last stage).
    pub fn target(&self) -> Option<usize> {
        self.target
    }

    pub fn get(&self, index: usize) -> Option<&StageView<'a>> {
        self.list.get(index)
    }

    /// Where a message places something: ` in stage `build` (line 3)` when the file has more
    /// than one stage, empty when it has one, ` before the first FROM` for no stage.
    pub fn stage_note(&self, index: Option<usize>) -> String {
        match index.and_then(|i| self.get(i)) {
            Some(s) if self.list.len() > 1 => format!(" in {}", s.label()),
            Some(_) => String::new(),
            None => " before the first FROM".to_string(),
        }
    }

    /// The stage named `name` (case-insensitive), anywhere in the file (the first one when
    /// names repeat, as BuildKit resolves them).
    pub fn by_name(&self, name: &str) -> Option<&StageView<'a>> {
        let name = name.trim().to_lowercase();
        self.list
            .iter()
            .find(|s| s.name().as_deref() == Some(name.as_str()))
    }

    /// The stage a `--from=` value names: a stage name or a numeric index.
    pub fn resolve_from(&self, value: &str) -> Option<&StageView<'a>> {
        self.by_name(value).or_else(|| {
            value
                .trim()
                .parse::<usize>()
                .ok()
                .and_then(|n| self.list.get(n))
        })
    }

    /// `index`, its parent, its grandparent… (the stages whose filesystem and config the
    /// stage starts from).
    pub fn lineage(&self, index: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = Some(index);
        while let Some(i) = cur {
            if out.contains(&i) || i >= self.list.len() {
                break;
            }
            out.push(i);
            cur = self.list[i].parent;
        }
        out
    }

    /// Whether a stage's instructions end up in the final image (it is the final stage or one
    /// the final stage builds on through `FROM <stage>`).
    pub fn in_final_image(&self, index: usize) -> bool {
        self.final_stage()
            .map(|f| self.lineage(f.index).contains(&index))
            .unwrap_or(false)
    }

    /// The stage at the root of `index`'s lineage: the one whose `FROM` names an external
    /// image (or `scratch`).
    pub fn root_of(&self, index: usize) -> &StageView<'a> {
        let lineage = self.lineage(index);
        let root = lineage.last().copied().unwrap_or(index);
        &self.list[root.min(self.list.len().saturating_sub(1))]
    }

    /// For a stage whose `FROM` could not be resolved but looks like a stage-name pattern
    /// (`FROM binaries-$TARGETOS`), the earlier stages it may build on (`binaries-linux`,
    /// `binaries-windows`…). Empty when the base is resolved or matches no stage name.
    pub fn candidate_parents(&self, index: usize) -> &[usize] {
        self.candidates.get(index).map_or(&[], Vec::as_slice)
    }

    fn find_candidate_parents(&self, index: usize) -> Vec<usize> {
        let Some(stage) = self.list.get(index) else {
            return Vec::new();
        };
        let written = stage.image.value.trim().to_lowercase();
        if stage.parent.is_some() || !written.contains('$') {
            return Vec::new();
        }
        let Some(pattern) = stage_name_regex(&written) else {
            return Vec::new();
        };
        self.list[..index]
            .iter()
            .filter(|s| s.name().is_some_and(|n| pattern.is_match(&n)))
            .map(|s| s.index)
            .collect()
    }

    /// Whether every chain a stage may start from ends at `scratch` (following
    /// [`Stages::candidate_parents`] for pattern bases).
    pub fn built_from_scratch(&self, index: usize) -> bool {
        self.built_from_scratch_depth(index, 0)
    }

    fn built_from_scratch_depth(&self, index: usize, depth: usize) -> bool {
        if depth > self.list.len() {
            return false;
        }
        let root = self.root_of(index);
        let candidates = self.candidate_parents(root.index);
        if !candidates.is_empty() {
            return candidates
                .iter()
                .all(|&c| self.built_from_scratch_depth(c, depth + 1));
        }
        self.base_image(root.index)
            .and_then(|b| b.resolved.ok())
            .is_some_and(|r| r.is_scratch())
    }

    /// Whether a stage is an artefact-export stage rather than a runnable image: built from
    /// `scratch` with no `CMD` or `ENTRYPOINT` anywhere in its lineage (used with
    /// `docker build --output` to extract files; nothing ever runs it).
    pub fn is_export_stage(&self, index: usize) -> bool {
        self.built_from_scratch(index)
            && !self.lineage(index).iter().any(|&i| {
                self.list[i]
                    .body
                    .iter()
                    .any(|x| matches!(x.command, Command::Cmd(_) | Command::Entrypoint(_)))
            })
    }

    /// `word` expanded as the build would just before instruction `instr` (an index into
    /// `Dockerfile::instructions`) in its stage's scope (see [`Vars::expand_as_built`]): the
    /// text and whether it is fully known. `None` for an instruction in no stage body.
    pub fn expand_before(&self, instr: usize, word: &str) -> Option<(String, bool)> {
        let target = self.file.instructions.get(instr)?;
        let stage = self.list.iter().find(|s| {
            s.body
                .as_ptr_range()
                .contains(&(target as *const Instruction))
        })?;
        let mut out = None;
        self.walk(stage.index, |i, vars| {
            if std::ptr::eq(i, target) {
                out = Some(vars.expand_as_built(word));
            }
        });
        out
    }

    /// The variables (global ARGs) `FROM` lines are expanded with.
    pub fn global_vars(&self) -> &Vars {
        &self.global_vars
    }

    /// The external base image of a stage's `FROM` (None when it builds on an earlier stage),
    /// expanded with the global ARGs.
    pub fn base_image(&self, index: usize) -> Option<BaseImage> {
        let stage = self.list.get(index)?;
        if stage.parent.is_some() {
            return None;
        }
        let written = stage.image.value.trim().to_string();
        let resolved = self.global_vars.expand(&written);
        Some(BaseImage {
            written,
            resolved: resolved.map(|r| ImageRef::parse(r.trim())),
        })
    }

    /// The scope a stage starts with: its parent's variables, or nothing.
    fn initial_vars(&self, index: usize, vars_end: &[Vars]) -> Vars {
        let root = if self.image_root.get(index).copied().unwrap_or(true) {
            Root::Image
        } else {
            Root::Scratch
        };
        match self.list.get(index).and_then(|s| s.parent) {
            Some(p) => vars_end
                .get(p)
                .cloned()
                .unwrap_or_else(|| self.global_vars.sibling(root)),
            None => self.global_vars.sibling(root),
        }
    }

    /// Calls `f(instruction, vars in effect before it)` for every instruction of a stage's
    /// body (ONBUILD wrappers included as they are; they do not change the scope).
    pub fn walk<F>(&self, index: usize, mut f: F)
    where
        F: FnMut(&'a Instruction, &Vars),
    {
        let (Some(stage), Some(start), Some(end)) = (
            self.list.get(index),
            self.vars_start.get(index),
            self.vars_end.get(index),
        ) else {
            return;
        };
        // A stage that assigned nothing reads its start scope throughout; otherwise a view of
        // its own history moves forward after each ARG/ENV (start = position 0 of it).
        let own = !start.same_layer(end) || start.position() != end.position();
        let mut vars = if own { end.at(0) } else { start.clone() };
        let mut changes = self
            .changes
            .get(index)
            .map_or(&[][..], Vec::as_slice)
            .iter();
        let mut next = changes.next();
        for (k, instr) in stage.body.iter().enumerate() {
            f(instr, &vars);
            if let Some(&(_, position)) = next.filter(|(at, _)| *at == k) {
                if own {
                    vars = end.at(position);
                }
                next = changes.next();
            }
        }
    }

    /// Applies a stage's `ARG`/`ENV` instructions to `vars` (its scope at the `FROM`), and
    /// returns where each left the history, for [`Stages::walk`].
    fn scope_changes(&self, index: usize, vars: &mut Vars) -> Vec<(usize, u32)> {
        let Some(stage) = self.list.get(index) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, instr) in stage.body.iter().enumerate() {
            match &instr.command {
                Command::Arg(decls) => vars.declare_args(decls, Some(&self.global_vars)),
                Command::Env(pairs) => {
                    // All pairs of one ENV are expanded with the scope before it.
                    let values: Vec<(&str, Assigned)> = pairs
                        .iter()
                        .map(|kv| (kv.key.value.as_str(), vars.assigned(&kv.raw_value)))
                        .collect();
                    for (name, value) in values {
                        vars.set_env_assigned(name, value);
                    }
                }
                _ => continue,
            }
            out.push((k, vars.position()));
        }
        out
    }

    /// The variables in effect at the end of a stage.
    pub fn vars_at_end(&self, index: usize) -> Vars {
        self.vars_end
            .get(index)
            .cloned()
            .unwrap_or_else(|| self.global_vars.sibling(Root::Image))
    }
}

/// The index of the stage `docker build --target NAME` builds: the first stage named `NAME`
/// (case-insensitive, as BuildKit matches), `None` when no stage has that name (BuildKit then
/// fails: `target stage "NAME" could not be found`).
pub fn target_index(file: &Dockerfile, name: &str) -> Option<usize> {
    let name = name.trim().to_lowercase();
    file.instructions
        .iter()
        .filter_map(|i| match &i.command {
            Command::From { alias, .. } => Some(alias),
            _ => None,
        })
        .position(|alias| {
            alias
                .as_ref()
                .is_some_and(|a| a.value.to_lowercase() == name)
        })
}

/// How messages name the final stage: `the image` in a single-stage file, `the final stage
/// `runtime` (line 12)` or `the final stage (line 12)` otherwise.
pub fn final_stage_label(stages: &Stages<'_>, stage: &StageView<'_>) -> String {
    if stages.target.is_some() {
        return match stage.alias {
            Some(a) => format!("the target stage `{}` (line {})", a.value, stage.line()),
            None => format!("the target stage (line {})", stage.line()),
        };
    }
    if stages.list.len() <= 1 {
        "the image".to_string()
    } else {
        match stage.alias {
            Some(a) => format!("the final stage `{}` (line {})", a.value, stage.line()),
            None => format!("the final stage (line {})", stage.line()),
        }
    }
}

/// A stage's external base image as written and as resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseImage {
    pub written: String,
    pub resolved: Result<ImageRef, Unresolved>,
}

impl BaseImage {
    /// `debian:12` or `${BASE}` → `debian:12` for messages.
    pub fn describe(&self) -> String {
        match &self.resolved {
            Ok(r) if r.original != self.written => {
                format!("`{}` (= `{}`)", self.written, r.original)
            }
            _ => format!("`{}`", self.written),
        }
    }
}

/// Every `RUN` (ONBUILD-wrapped ones too) carrying flag `--name=value` (both compared
/// case-insensitively, the value trimmed): calls `f(stage, run, onbuild, flag)` for each. The
/// shared walk of the rules that judge one RUN flag (`--security=insecure`, `--network=host`).
pub fn for_each_run_flag<'a, F>(stages: &Stages<'a>, name: &str, value: &str, mut f: F)
where
    F: FnMut(&StageView<'a>, &'a Instruction, bool, &'a crate::ast::Flag),
{
    walk_all(stages, |stage, instr, onbuild, _| {
        if !matches!(instr.command, Command::Run { .. }) {
            return;
        }
        for flag in instr.flags.iter().filter(|f| {
            f.name.eq_ignore_ascii_case(name)
                && f.value
                    .as_deref()
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case(value))
        }) {
            f(stage, instr, onbuild, flag);
        }
    });
}

/// Calls `f(stage, instruction, wrapped_in_onbuild, vars)` for every instruction after a
/// `FROM`, in source order, unwrapping `ONBUILD`; `vars` is the scope before the instruction.
pub fn walk_all<'a, F>(stages: &Stages<'a>, mut f: F)
where
    F: FnMut(&StageView<'a>, &'a Instruction, bool, &Vars),
{
    for stage in &stages.list {
        stages.walk(stage.index, |instr, vars| match &instr.command {
            Command::Onbuild(inner) => f(stage, inner.as_ref(), true, vars),
            _ => f(stage, instr, false, vars),
        });
    }
}

/// Iterates instructions, unwrapping `ONBUILD` ones: yields `(instruction, wrapped_in_onbuild)`.
pub fn with_onbuild<'a>(
    instrs: &'a [Instruction],
) -> impl Iterator<Item = (&'a Instruction, bool)> + 'a {
    instrs.iter().map(|i| match &i.command {
        Command::Onbuild(inner) => (inner.as_ref(), true),
        _ => (i, false),
    })
}

/// A regex for the stage names a `FROM` pattern can expand to: platform args become their
/// possible values (`$TARGETOS` → `linux|windows|…`), `${X:+word}` becomes an optional `word`,
/// `${X:-word}` either `word` or a name part, any other variable a name part without `-`.
fn stage_name_regex(word: &str) -> Option<regex::Regex> {
    let mut re = String::from("^");
    let mut rest = word;
    while let Some(i) = rest.find('$') {
        re.push_str(&regex::escape(&rest[..i]));
        let after = &rest[i + 1..];
        let (name, op, operand, tail) = if let Some(inner) = after.strip_prefix('{') {
            let end = inner.find('}')?;
            let body = &inner[..end];
            let n = body
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(body.len());
            let tail = body[n..].strip_prefix(':').unwrap_or(&body[n..]);
            let (op, operand) = match tail.chars().next() {
                None => ("", ""),
                Some(c) => tail.split_at(c.len_utf8()),
            };
            (&body[..n], op, operand, &inner[end + 1..])
        } else {
            let n = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..n], "", "", &after[n..])
        };
        let part = match name.to_ascii_uppercase().as_str() {
            "TARGETOS" | "BUILDOS" => {
                "(?:linux|windows|darwin|freebsd|netbsd|openbsd|solaris|illumos)"
            }
            "TARGETARCH" | "BUILDARCH" => {
                "(?:amd64|arm64|arm|386|ppc64le|ppc64|s390x|riscv64|mips64le|mips64|loong64|wasm)"
            }
            "TARGETVARIANT" | "BUILDVARIANT" => "(?:v[0-9]+)?",
            _ => "[a-z0-9_.]*",
        };
        match op {
            "+" => re.push_str(&format!("(?:{})?", regex::escape(&operand.to_lowercase()))),
            "-" => re.push_str(&format!(
                "(?:{}|{part})",
                regex::escape(&operand.to_lowercase())
            )),
            _ => re.push_str(part),
        }
        rest = tail;
    }
    re.push_str(&regex::escape(rest));
    re.push('$');
    regex::Regex::new(&re).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::ast::Dockerfile;

    fn df(src: &str) -> Dockerfile {
        crate::parse("Dockerfile", src.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn expand_at(f: &Dockerfile, instr: usize, word: &str) -> (String, bool) {
        Stages::new(f)
            .expand_before(instr, word)
            .unwrap_or_else(|| panic!("instruction {instr} is in no stage"))
    }

    #[test]
    fn stages_and_bases() {
        let f = df("ARG BASE=alpine\nARG TAG=3.20\nFROM ${BASE}:${TAG} AS Build\nRUN make\nFROM build AS test\nFROM scratch\nCOPY --from=build /a /a\n");
        let s = Stages::new(&f);
        assert_eq!(s.list.len(), 3);
        let s0 = &s.list[0];
        assert_eq!(s0.name().as_deref(), Some("build"));
        assert_eq!((s0.line(), s0.body.len()), (3, 1));
        let base = s.base_image(0).expect("stage 0 builds on an image");
        assert_eq!(base.written, "${BASE}:${TAG}");
        let r = base.resolved.expect("resolved");
        assert_eq!(r.original, "alpine:3.20");
        assert_eq!(r.repository(), "library/alpine");
        assert_eq!(s.list[1].parent, Some(0));
        assert!(s.base_image(1).is_none());
        assert!(s
            .base_image(2)
            .and_then(|b| b.resolved.ok())
            .is_some_and(|r| r.is_scratch()));
        assert_eq!(s.final_stage().map(|s| s.index), Some(2));
        assert_eq!(s.resolve_from("BUILD").map(|s| s.index), Some(0));
        assert_eq!(s.resolve_from("1").map(|s| s.index), Some(1));
        assert!(s.resolve_from("alpine").is_none());
    }

    #[test]
    fn global_args_need_redeclaration() {
        let f = df("ARG V=1\nFROM scratch\nRUN echo $V\nARG V\nRUN echo $V\n");
        // Undefined before the redeclaration: expands to nothing, as in BuildKit.
        assert_eq!(expand_at(&f, 2, "$V"), (String::new(), true));
        assert_eq!(expand_at(&f, 4, "$V"), ("1".to_string(), true));
    }

    #[test]
    fn env_and_arg_order() {
        let f = df("FROM scratch\nENV A=1\nENV A=2 B=$A\nARG C=x D=${C}y\nRUN x\n");
        assert_eq!(expand_at(&f, 4, "$A $B $C $D").0, "2 1 x xy");
    }

    #[test]
    fn unknowns_stay_as_written() {
        let f = df("ARG VER\nFROM alpine:${VER:-3} AS a\nARG TARGETARCH\nENV P=/x:$PATH\nRUN echo $TARGETARCH $P\nFROM a\nRUN echo $P\n");
        let s = Stages::new(&f);
        assert_eq!(
            s.global_vars().expand_as_built(&s.list[0].image.value),
            ("alpine:${VER:-3}".to_string(), false)
        );
        assert_eq!(
            expand_at(&f, 4, "$TARGETARCH $P"),
            ("$TARGETARCH $P".to_string(), false)
        );
        // Inherited by the child stage.
        assert!(!expand_at(&f, 6, "$P").1);
    }

    #[test]
    fn inheritance_through_stages() {
        let f = df("FROM scratch AS a\nENV A=1\nARG B=2\nUSER app:${A}\nFROM a AS b\nRUN echo $A$B\nFROM b\nENV C=3\n");
        assert_eq!(expand_at(&f, 5, "$A$B").0, "12");
        assert_eq!(expand_at(&f, 3, "app:${A}"), ("app:1".to_string(), true));
        assert_eq!(Stages::new(&f).lineage(2), vec![2, 1, 0]);
    }

    #[test]
    fn expansion_errors_are_not_known() {
        let f = df("FROM scratch\nRUN x\n");
        assert_eq!(
            expand_at(&f, 1, "${X:?need X}"),
            ("${X:?need X}".to_string(), false)
        );
    }

    #[test]
    fn a_variable_defined_nowhere_expands_to_nothing_as_built() {
        let f = df("ARG B=${X:-debian}\nFROM $B\nARG B\nUSER ${U:-app}\n");
        let s = Stages::new(&f);
        assert_eq!(
            s.global_vars().expand_as_built("$B"),
            ("debian".to_string(), true)
        );
        assert!(
            s.global_vars().expand("$B").is_err(),
            "unknown to the rules"
        );
        assert_eq!(expand_at(&f, 3, "$B"), ("debian".to_string(), true));
        // The base image's config may set `U`: unknown, kept as written.
        assert_eq!(
            expand_at(&f, 3, "${U:-app}"),
            ("${U:-app}".to_string(), false)
        );
        let h = df("FROM scratch\nUSER ${U:-app}\n");
        assert_eq!(expand_at(&h, 1, "${U:-app}"), ("app".to_string(), true));
        let g = df("FROM scratch AS build\nFROM ${X:-build}\n");
        assert_eq!(Stages::new(&g).list[1].parent, Some(0));
    }

    #[test]
    fn stage_name_patterns() {
        let re = stage_name_regex("buildkit-$targetos${buildkit_debug:+-debug}").unwrap();
        assert!(re.is_match("buildkit-linux"));
        assert!(re.is_match("buildkit-linux-debug"));
        assert!(!re.is_match("buildkit-base"));
        let re = stage_name_regex("binaries-${targetos}").unwrap();
        assert!(re.is_match("binaries-windows"));
        let re = stage_name_regex("exit-loong64-${build_loong64}").unwrap();
        assert!(re.is_match("exit-loong64-supported"));
    }
}
