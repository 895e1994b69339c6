//! The pipeline tail every audit shares, written once: a source (a Dockerfile, a compose
//! project, a script, a `docker run` line, live containers, the daemon and the host) hands over
//! its raw findings and the pragmas of the files they are in, and [`Tail`] applies, in this
//! order, the inline suppressions, then the configuration's rule settings (`disable`,
//! severity overrides), and finally reports the pragmas that suppressed nothing (PL001) or name
//! no rule (PL002), themselves subject to the configuration.
//!
//! The order matters and is the same for every source: a pragma suppresses a finding at its
//! rule's own severity, a disabled rule's findings are dropped whether or not a pragma covered
//! them, and a pragma that covered only a disabled rule's finding still counts as used.

use crate::config::Config;
use crate::pragma::Pragma;
use crate::suppression::InlineSuppressor;
use crate::{Finding, Registry};

/// Suppression and configuration for the findings of one audit, in batches if need be (a
/// script's `docker run` lines one at a time): whether a pragma was used is remembered across
/// batches, and its PL001/PL002 findings come from [`Tail::finish`].
pub struct Tail<'a> {
    registry: &'a Registry,
    config: &'a Config,
    files: Vec<InlineSuppressor>,
    judges_pragmas: bool,
}

impl<'a> Tail<'a> {
    /// A tail with no pragmas yet (the findings of a command line, a container, the daemon).
    pub fn new(registry: &'a Registry, config: &'a Config) -> Self {
        Tail {
            registry,
            config,
            files: Vec::new(),
            judges_pragmas: true,
        }
    }

    /// Adds the pragmas of the file at `path` (findings elsewhere are not touched by them).
    pub fn pragmas(mut self, path: &str, pragmas: &[Pragma]) -> Self {
        self.files
            .push(InlineSuppressor::new(path, pragmas, self.registry));
        self
    }

    /// The pragmas suppress as usual, but whether they were used is left to the file's own
    /// audit, which reports it once ([`Tail::finish`] then yields nothing): a Dockerfile audited
    /// again for the stage a compose service builds.
    pub fn judged_elsewhere(mut self) -> Self {
        self.judges_pragmas = false;
        self
    }

    /// Settles one batch of raw findings: inline suppressions, then the configuration.
    pub fn settle(&mut self, findings: &mut Vec<Finding>) {
        for file in &mut self.files {
            file.apply(findings);
        }
        self.config.apply(self.registry, findings);
    }

    /// The PL001/PL002 findings about the pragmas, settled by the configuration.
    pub fn finish(self) -> Vec<Finding> {
        if !self.judges_pragmas {
            return Vec::new();
        }
        let mut about_pragmas: Vec<Finding> = self
            .files
            .into_iter()
            .flat_map(InlineSuppressor::finish)
            .collect();
        self.config.apply(self.registry, &mut about_pragmas);
        about_pragmas
    }

    /// Settles every raw finding of an audit at once and appends the findings about its
    /// pragmas.
    pub fn settle_all(mut self, mut findings: Vec<Finding>) -> Vec<Finding> {
        self.settle(&mut findings);
        findings.extend(self.finish());
        findings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pragma::{comment_pragmas, Style};
    use crate::suppression::{UNKNOWN_SUPPRESSION, UNUSED_SUPPRESSION};
    use crate::{Location, Pos, Span, Suppressed};

    fn registry() -> Registry {
        Registry::new(&[crate::suppression::RULES])
    }

    fn finding_on(line: u32) -> Finding {
        let at = Span::new(Pos::new(line, 1), Pos::new(line, 4));
        Finding::new(&UNKNOWN_SUPPRESSION, Location::with_span("run.sh", at), "m").build()
    }

    #[test]
    fn suppresses_then_configures_then_reports_unused_pragmas() {
        let registry = registry();
        let text = "# plimsoll ignore=PL002\nx\n# plimsoll ignore=PL002\n\ny\nz\n";
        let pragmas = comment_pragmas(text, Style::Shell);
        let config = Config::default();
        let settled = Tail::new(&registry, &config)
            .pragmas("run.sh", &pragmas)
            .settle_all(vec![finding_on(2), finding_on(6)]);
        assert_eq!(
            settled[0].suppressed,
            Some(Suppressed::Inline { line: 1 }),
            "the first pragma covers line 2"
        );
        assert!(!settled[1].is_suppressed());
        assert_eq!(settled.len(), 3, "{settled:#?}");
        assert_eq!(settled[2].rule_id, UNUSED_SUPPRESSION.id);
    }

    #[test]
    fn disabled_rules_are_dropped_and_pragmas_judged_elsewhere_are_not_reported() {
        let registry = registry();
        let pragmas = comment_pragmas("# plimsoll ignore=PL001\nx\n", Style::Shell);
        let mut config = Config::default();
        config.rules.disable.push("PL002".to_string());
        let settled = Tail::new(&registry, &config)
            .pragmas("run.sh", &pragmas)
            .judged_elsewhere()
            .settle_all(vec![finding_on(2)]);
        assert!(settled.is_empty(), "{settled:#?}");
    }
}
