//! Image references (`FROM nginx:1.27`, `FROM ghcr.io/org/app@sha256:…`), normalised the
//! way Docker's reference library (`distribution/reference.ParseNormalizedNamed`) does:
//! the first path component is a registry host only if it contains `.` or `:`, is
//! `localhost`, or has upper-case letters; otherwise the registry is `docker.io`, and a
//! single-component Docker Hub name gets the `library/` prefix (official images).

use std::sync::LazyLock;

use regex::Regex;

/// Docker Hub's canonical registry name.
pub const DOCKER_HUB: &str = "docker.io";

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// The FROM argument as written (`$BASE:${TAG}`).
    pub as_written: String,
    /// After ARG expansion (references to unknown variables stay as written).
    pub expanded: String,
    /// `docker.io`, `ghcr.io`, `localhost:5000`, …
    pub registry: String,
    /// Path inside the registry, with `library/` for official Docker Hub images.
    pub repository: String,
    pub tag: Option<String>,
    /// `sha256:…`
    pub digest: Option<String>,
    /// Whether `expanded` is a syntactically valid reference (false when it still contains
    /// unresolved `$` references or bad characters).
    pub valid: bool,
}

static PATH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$",
    )
    .unwrap_or_else(|e| unreachable!("static regex: {e}"))
});
static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
        .unwrap_or_else(|e| unreachable!("static regex: {e}"))
});
static DIGEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$")
        .unwrap_or_else(|e| unreachable!("static regex: {e}"))
});
static DOMAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?$|^\[[0-9a-fA-F:.]+\](?::[0-9]+)?$")
        .unwrap_or_else(|e| unreachable!("static regex: {e}"))
});

impl ImageRef {
    /// Parses `expanded` (the reference after variable expansion); `as_written` is kept for
    /// messages.
    pub fn parse(as_written: &str, expanded: &str) -> ImageRef {
        let (name_tag, digest) = match expanded.split_once('@') {
            Some((n, d)) => (n, Some(d.to_string())),
            None => (expanded, None),
        };
        let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name_tag[last_slash..].rfind(':') {
            Some(i) => (
                &name_tag[..last_slash + i],
                Some(name_tag[last_slash + i + 1..].to_string()),
            ),
            None => (name_tag, None),
        };
        let (registry, mut repository) = match name.split_once('/') {
            Some((first, rest))
                if first.contains(['.', ':'])
                    || first == "localhost"
                    || first.to_lowercase() != first =>
            {
                (first.to_string(), rest.to_string())
            }
            _ => (DOCKER_HUB.to_string(), name.to_string()),
        };
        let registry = if registry == "index.docker.io" {
            DOCKER_HUB.to_string()
        } else {
            registry
        };
        if registry == DOCKER_HUB && !repository.contains('/') && !repository.is_empty() {
            repository = format!("library/{repository}");
        }
        let valid = !expanded.contains('$')
            && (registry == DOCKER_HUB || DOMAIN.is_match(&registry))
            && PATH.is_match(&repository)
            && tag.as_deref().is_none_or(|t| TAG.is_match(t))
            && digest.as_deref().is_none_or(|d| DIGEST.is_match(d));
        ImageRef {
            as_written: as_written.to_string(),
            expanded: expanded.to_string(),
            registry,
            repository,
            tag,
            digest,
            valid,
        }
    }

    /// `registry/repository` (`docker.io/library/nginx`).
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    /// The short name Docker shows (`nginx`, `bitnami/redis`, `ghcr.io/o/a`).
    pub fn familiar_name(&self) -> String {
        if self.registry == DOCKER_HUB {
            self.repository
                .strip_prefix("library/")
                .unwrap_or(&self.repository)
                .to_string()
        } else {
            self.name()
        }
    }

    /// An official Docker Hub image (`docker.io/library/…`).
    pub fn is_official(&self) -> bool {
        self.registry == DOCKER_HUB && self.repository.starts_with("library/")
    }

    /// Pinned by digest.
    pub fn is_pinned(&self) -> bool {
        self.digest.is_some()
    }

    /// The tag, or `latest` when neither tag nor digest is given (what Docker pulls).
    pub fn effective_tag(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(t), _) => Some(t),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_docker() {
        let r = ImageRef::parse("nginx", "nginx");
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str()),
            ("docker.io", "library/nginx")
        );
        assert_eq!(r.effective_tag(), Some("latest"));
        assert!(r.valid && r.is_official());

        let r = ImageRef::parse("x", "localhost:5000/team/app:1.2");
        assert_eq!(r.registry, "localhost:5000");
        assert_eq!(r.repository, "team/app");
        assert_eq!(r.tag.as_deref(), Some("1.2"));

        let r = ImageRef::parse("x", "bitnami/redis:7");
        assert_eq!(r.name(), "docker.io/bitnami/redis");
        assert_eq!(r.familiar_name(), "bitnami/redis");

        let d = format!("sha256:{}", "a".repeat(64));
        let r = ImageRef::parse("x", &format!("ghcr.io/o/a:1@{d}"));
        assert_eq!(r.registry, "ghcr.io");
        assert_eq!(r.tag.as_deref(), Some("1"));
        assert_eq!(r.digest.as_deref(), Some(d.as_str()));
        assert!(r.valid && r.is_pinned());

        let r = ImageRef::parse("x", "localhost/app");
        assert_eq!(r.registry, "localhost");
        let r = ImageRef::parse("x", "index.docker.io/library/alpine");
        assert_eq!(r.name(), "docker.io/library/alpine");
        assert!(!ImageRef::parse("$B", "$B").valid);
        assert!(!ImageRef::parse("x", "Nginx").valid);
    }
}
