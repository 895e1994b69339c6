//! Image references (`nginx:1.27`, `ghcr.io/org/app@sha256:…`, `localhost:5000/team/app`),
//! split the way Docker's reference library (`distribution/reference`) does. One type for the
//! whole workspace: a Dockerfile's `FROM`, a compose `image:`, a `docker run` image and an
//! inspected container's image are all read with it, so every stage agrees on what the
//! registry, path, tag and digest of a reference are.
//!
//! The grammar: `[registry/]path[:tag][@digest]`. The first path component is a registry host
//! only if it contains `.` or `:`, is `localhost`, or has upper-case letters; otherwise the
//! image is on Docker Hub (`docker.io`), where a one-component name is an official image
//! (`library/…`). The parts are kept as written; the normalised forms are methods.

use std::sync::LazyLock;

use regex::Regex;

/// Docker Hub's canonical registry name.
pub const DOCKER_HUB: &str = "docker.io";

/// A parsed image reference `[registry/]path[:tag][@digest]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// As given (after any variable expansion).
    pub original: String,
    /// `gcr.io`, `localhost:5000` as written; `None` for a Docker Hub name written without one.
    pub registry: Option<String>,
    /// The repository path without the registry, as written (`debian`, not `library/debian`).
    pub path: String,
    pub tag: Option<String>,
    /// `sha256:…`
    pub digest: Option<String>,
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
    /// Splits a reference. Total: any text gives a reference (see [`ImageRef::is_valid`]).
    pub fn parse(s: &str) -> ImageRef {
        let (rest, digest) = match s.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (s, None),
        };
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest.get(last_slash..).and_then(|last| last.rfind(':')) {
            Some(i) => (
                &rest[..last_slash + i],
                Some(rest[last_slash + i + 1..].to_string()),
            ),
            None => (rest, None),
        };
        let (registry, path) = match name.split_once('/') {
            Some((first, tail)) if is_registry_host(first) => {
                (Some(first.to_string()), tail.to_string())
            }
            _ => (None, name.to_string()),
        };
        ImageRef {
            original: s.to_string(),
            registry,
            path,
            tag,
            digest,
        }
    }

    /// `FROM scratch`: no image at all.
    pub fn is_scratch(&self) -> bool {
        self.registry.is_none() && self.path.eq_ignore_ascii_case("scratch")
    }

    /// The registry, `docker.io` when none is written (`index.docker.io` and
    /// `registry-1.docker.io` too).
    pub fn registry_host(&self) -> &str {
        match self.registry.as_deref() {
            None | Some("index.docker.io") | Some("registry-1.docker.io") => DOCKER_HUB,
            Some(r) => r,
        }
    }

    /// The path inside the registry, with `library/` for official Docker Hub images.
    pub fn repository(&self) -> String {
        if self.registry_host() == DOCKER_HUB && !self.path.contains('/') {
            format!("library/{}", self.path)
        } else {
            self.path.clone()
        }
    }

    /// `docker.io/library/debian`, `gcr.io/distroless/static`.
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.registry_host(), self.repository())
    }

    /// The short name people write: `debian`, `bitnami/nginx`, `gcr.io/distroless/static`.
    pub fn familiar_name(&self) -> String {
        if self.registry_host() == DOCKER_HUB {
            self.path
                .strip_prefix("library/")
                .unwrap_or(&self.path)
                .to_string()
        } else {
            format!("{}/{}", self.registry_host(), self.path)
        }
    }

    /// The last path component (`debian`, `static-debian12`).
    pub fn base_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    /// An official Docker Hub image (`docker.io/library/…`).
    pub fn is_official(&self) -> bool {
        self.registry_host() == DOCKER_HUB && self.repository().starts_with("library/")
    }

    /// Pinned by digest.
    pub fn has_digest(&self) -> bool {
        self.digest.is_some()
    }

    /// The tag, or `latest` when none is written (what the builder pulls).
    pub fn effective_tag(&self) -> &str {
        self.tag.as_deref().unwrap_or("latest")
    }

    /// Whether the reference is syntactically valid (false when it still holds unresolved
    /// `$` references, upper-case path letters or other bad characters).
    pub fn is_valid(&self) -> bool {
        !self.original.contains('$')
            && self.registry.as_deref().is_none_or(|r| DOMAIN.is_match(r))
            && PATH.is_match(&self.repository())
            && self.tag.as_deref().is_none_or(|t| TAG.is_match(t))
            && self.digest.as_deref().is_none_or(|d| DIGEST.is_match(d))
    }
}

/// Whether the first component of a name is a registry host rather than part of the path.
fn is_registry_host(first: &str) -> bool {
    first.contains(['.', ':']) || first == "localhost" || first.to_lowercase() != first
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_registry_path_tag_digest() {
        let r = ImageRef::parse("localhost:5000/team/app:1.2@sha256:abc");
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.path, "team/app");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        let d = ImageRef::parse("debian");
        assert_eq!(d.full_name(), "docker.io/library/debian");
        assert_eq!(d.familiar_name(), "debian");
        assert_eq!(d.effective_tag(), "latest");
        let g = ImageRef::parse("gcr.io/distroless/static-debian12:nonroot");
        assert_eq!(g.base_name(), "static-debian12");
        assert_eq!(g.familiar_name(), "gcr.io/distroless/static-debian12");
        assert!(ImageRef::parse("scratch").is_scratch());
    }

    #[test]
    fn normalises_like_docker() {
        let r = ImageRef::parse("nginx");
        assert_eq!(
            (r.registry_host(), r.repository().as_str()),
            ("docker.io", "library/nginx")
        );
        assert_eq!(r.effective_tag(), "latest");
        assert!(r.is_valid() && r.is_official());

        let r = ImageRef::parse("bitnami/redis:7");
        assert_eq!(r.full_name(), "docker.io/bitnami/redis");
        assert_eq!(r.familiar_name(), "bitnami/redis");
        assert!(!r.is_official());

        let d = format!("sha256:{}", "a".repeat(64));
        let r = ImageRef::parse(&format!("ghcr.io/o/a:1@{d}"));
        assert_eq!(r.registry.as_deref(), Some("ghcr.io"));
        assert_eq!(r.tag.as_deref(), Some("1"));
        assert_eq!(r.digest.as_deref(), Some(d.as_str()));
        assert!(r.is_valid() && r.has_digest());

        assert_eq!(
            ImageRef::parse("localhost/app").registry.as_deref(),
            Some("localhost")
        );
        assert_eq!(
            ImageRef::parse("index.docker.io/library/alpine").full_name(),
            "docker.io/library/alpine"
        );
        assert_eq!(
            ImageRef::parse("Registry/app").registry.as_deref(),
            Some("Registry")
        );
        assert!(!ImageRef::parse("$B").is_valid());
        assert!(!ImageRef::parse("Nginx").is_valid());
    }
}
