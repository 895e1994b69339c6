//! What the PB rules judge: the facts read from the container, the experiments' results,
//! and the name findings are reported under.

use crate::experiments::{Experiment, Verdict};
use crate::facts::Facts;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// The finding path: `container:<hostname>` (or what the caller names it).
    pub target: String,
    pub facts: Facts,
    pub experiments: Vec<Experiment>,
}

impl Evidence {
    /// The result of one experiment, if it ran.
    pub fn experiment(&self, name: &str) -> Option<&Verdict> {
        self.experiments
            .iter()
            .find(|e| e.name == name)
            .map(|e| &e.verdict)
    }

    pub fn location(&self) -> plimsoll_core::Location {
        plimsoll_core::Location::file(self.target.clone())
    }
}
