//! Which containers and images the benchmark looks at: not those labelled
//! `plimsoll.bench.ignore`, and only those matching `--include-containers` / not matching
//! `--exclude-containers`.

use globset::{Glob, GlobMatcher};

/// Name patterns: a glob (with `*`, `?` or `[`) matches the whole name, anything else is a
/// substring (docker-bench greps names with the pattern).
#[derive(Debug, Default)]
pub struct Patterns {
    include: Vec<Pattern>,
    exclude: Vec<Pattern>,
}

#[derive(Debug)]
enum Pattern {
    Substring(String),
    Glob(GlobMatcher),
}

impl Pattern {
    fn new(p: &str) -> Result<Option<Pattern>, String> {
        let p = p.trim();
        if p.is_empty() {
            return Ok(None);
        }
        if p.contains(['*', '?', '[']) {
            return Glob::new(p)
                .map(|g| Some(Pattern::Glob(g.compile_matcher())))
                .map_err(|e| format!("invalid pattern `{p}`: {e}"));
        }
        Ok(Some(Pattern::Substring(p.to_string())))
    }

    fn matches(&self, name: &str) -> bool {
        match self {
            Pattern::Substring(s) => name.contains(s.as_str()),
            Pattern::Glob(g) => g.is_match(name),
        }
    }
}

impl Patterns {
    pub fn new(include: &[String], exclude: &[String]) -> Result<Patterns, String> {
        let build = |list: &[String]| -> Result<Vec<Pattern>, String> {
            let mut out = Vec::new();
            for p in list {
                out.extend(Pattern::new(p)?);
            }
            Ok(out)
        };
        Ok(Patterns {
            include: build(include)?,
            exclude: build(exclude)?,
        })
    }

    /// Whether an object with these names is audited (any name may match).
    pub fn keeps(&self, names: &[&str]) -> bool {
        let any = |list: &[Pattern]| list.iter().any(|p| names.iter().any(|n| p.matches(n)));
        (self.include.is_empty() || any(&self.include)) && !any(&self.exclude)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substrings_and_globs() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let p = Patterns::new(&s(&["web", "db-*"]), &s(&["web-test"])).unwrap_or_default();
        assert!(p.keeps(&["my-web-1"]));
        assert!(p.keeps(&["db-main"]));
        assert!(!p.keeps(&["my-db-main"]));
        assert!(!p.keeps(&["web-test-2"]));
        assert!(!p.keeps(&["cache"]));
        assert!(Patterns::new(&[], &[]).is_ok_and(|p| p.keeps(&["x"])));
        assert!(Patterns::new(&s(&["[a"]), &[]).is_err());
    }
}
