//! What several rules derive from the same file, computed once per file and shared.
//!
//! Most rules read a file through the same few views: the stage walk with ARG/ENV scoping
//! ([`Stages`]), every RUN with its parsed scripts, flattened commands, package-manager
//! commands and written files ([`Runs`]), the places that switch verification off (read by
//! both DF040 and DF041), the package-manager defaults each RUN inherits (DF036, DF037,
//! DF042). Building those is most of the audit's cost, so [`AnalysisCache`] builds each on first use
//! and hands out references; a rule never recomputes one. It lives as long as one file's
//! audit and holds nothing between files (no global or thread-local cache): one `AnalysisCache` per
//! file, used on one thread (`OnceCell` is not `Sync`, and need not be).

use crate::analysis::run::instructions::{self, RunData, Runs};
use crate::analysis::run::package_settings::{self, Settings};
use crate::analysis::run::verification;
use crate::analysis::stages::Stages;
use crate::ast::Dockerfile;
use std::cell::OnceCell;

/// One file's shared analyses, each computed lazily on first use.
///
/// Borrowed for its whole life as `&'a AnalysisCache<'a>`, so a later view can borrow an earlier one
/// (the [`Runs`] borrow the [`Stages`] and their own parsed scripts).
pub struct AnalysisCache<'a> {
    file: &'a Dockerfile,
    stages: OnceCell<Stages<'a>>,
    run_data: OnceCell<Vec<RunData>>,
    runs: OnceCell<Runs<'a>>,
    verify_hits: OnceCell<Vec<verification::Hit>>,
    settings_before: OnceCell<Vec<Settings>>,
    /// The stage being built, when not the last (see [`Stages::with_target`]).
    target: Option<usize>,
}

impl<'a> AnalysisCache<'a> {
    pub fn new(file: &'a Dockerfile) -> AnalysisCache<'a> {
        AnalysisCache::with_target(file, None)
    }

    /// The views of a file built to stage `target` (an index; the last stage when `None`).
    pub fn with_target(file: &'a Dockerfile, target: Option<usize>) -> AnalysisCache<'a> {
        AnalysisCache {
            file,
            stages: OnceCell::new(),
            run_data: OnceCell::new(),
            runs: OnceCell::new(),
            verify_hits: OnceCell::new(),
            settings_before: OnceCell::new(),
            target,
        }
    }

    pub fn file(&self) -> &'a Dockerfile {
        self.file
    }

    /// The stage view with ARG/ENV scoping the rules walk.
    pub fn stages(&'a self) -> &'a Stages<'a> {
        self.stages
            .get_or_init(|| Stages::with_target(self.file, self.target))
    }

    /// Every RUN with its shell, variables, parsed scripts and flattened commands.
    pub fn runs(&'a self) -> &'a Runs<'a> {
        self.runs.get_or_init(|| {
            let stages = self.stages();
            let data = self
                .run_data
                .get_or_init(|| instructions::compute(self.file, stages));
            Runs::new(self.file, stages, data)
        })
    }

    /// The settings that switch TLS or signature checks off (DF040, DF041).
    pub fn verify_hits(&'a self) -> &'a [verification::Hit] {
        self.verify_hits
            .get_or_init(|| verification::hits(self.runs()))
    }

    /// For each RUN, the package-manager defaults earlier RUNs set (DF036, DF037, DF042).
    pub fn settings_before_runs(&'a self) -> &'a [Settings] {
        self.settings_before
            .get_or_init(|| package_settings::before_each(self.runs()))
    }
}
