//! What plimsoll knows about well-known base images without pulling them: which run as a
//! non-root user by default, which are Windows images (and which Windows account they run
//! as), which are full distributions, language images built on `buildpack-deps`, or compiler
//! toolchains, and what the minimal alternative is.
//!
//! Kept deliberately small and explicit: an image not listed here is "unknown", and the rules
//! treat unknown images the conservative way (root by default, not judged for minimality).

use plimsoll_core::image_ref::ImageRef;

/// The user a base image runs as when the Dockerfile sets no USER.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultUser {
    /// UID 0 (what almost every image does, and what `scratch` does).
    Root,
    /// Documented to run as a non-root user; the string says why plimsoll knows.
    NonRoot(&'static str),
    /// A Windows image whose default account is `ContainerAdministrator`.
    WindowsAdmin,
    /// A Windows image whose default account is the unprivileged `ContainerUser`.
    WindowsUser,
}

/// The family of a base image, to phrase concrete fixes (which `adduser` syntax works).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `scratch` and distroless-style images: no shell, no user database.
    NoShell,
    /// Alpine / BusyBox (`adduser -D`).
    Busybox,
    /// Windows (`USER ContainerUser`).
    Windows,
    /// Everything else: assume shadow-utils (`useradd`).
    Gnu,
}

/// Whether an image reference names a Windows image, and which kind.
pub fn windows_kind(img: &ImageRef) -> Option<DefaultUser> {
    let full = img.full_name().to_ascii_lowercase();
    let tag = img.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    let nano = full.contains("nanoserver") || tag.contains("nanoserver");
    let windows = nano
        || full.starts_with("mcr.microsoft.com/windows")
        || tag.contains("windowsservercore")
        || tag.contains("servercore")
        || full.contains("servercore")
        || full.starts_with("mcr.microsoft.com/dotnet/framework");
    if !windows {
        None
    } else if nano {
        Some(DefaultUser::WindowsUser)
    } else {
        Some(DefaultUser::WindowsAdmin)
    }
}

/// The default user of a base image, as far as plimsoll knows.
pub fn default_user(img: &ImageRef) -> DefaultUser {
    if let Some(w) = windows_kind(img) {
        return w;
    }
    let full = img.full_name().to_ascii_lowercase();
    let tag = img.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    if full.starts_with("gcr.io/distroless/") && tag.split('-').any(|t| t == "nonroot") {
        return DefaultUser::NonRoot("distroless `nonroot` tags run as UID 65532");
    }
    if let Some(name) = full.strip_prefix("cgr.dev/chainguard/") {
        let root_images = ["wolfi-base", "chainguard-base", "busybox"];
        let dev = tag.ends_with("-dev") || tag == "dev";
        if !root_images.contains(&name) && !dev {
            return DefaultUser::NonRoot("Chainguard images run as `nonroot` (UID 65532)");
        }
    }
    DefaultUser::Root
}

/// The family of an image, for fix suggestions.
pub fn family(img: &ImageRef) -> Family {
    if windows_kind(img).is_some() {
        return Family::Windows;
    }
    let full = img.full_name().to_ascii_lowercase();
    let tag = img.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    if img.is_scratch()
        || full.starts_with("gcr.io/distroless/")
        || full.starts_with("cgr.dev/chainguard/static")
    {
        Family::NoShell
    } else if img.base_name() == "alpine"
        || img.base_name() == "busybox"
        || tag.contains("alpine")
        || full.starts_with("cgr.dev/chainguard/")
    {
        Family::Busybox
    } else {
        Family::Gnu
    }
}

/// How lean a base image is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Weight {
    /// A full OS distribution (`ubuntu`, `debian` without `-slim`, `fedora`…).
    FullDistro { suggestion: String },
    /// A language image whose default variant is built on `buildpack-deps` (compilers,
    /// headers, git, curl, …), e.g. `python:3.12`, `node:20`.
    FullLanguage { suggestion: String },
    /// A compiler/SDK toolchain image (`golang`, `rust`, `maven`, a JDK, `dotnet/sdk`…).
    Toolchain {
        /// What it ships (`the Go toolchain`).
        what: &'static str,
        suggestion: String,
        /// A JDK can also be a (too big) runtime: a single-stage file that only runs a jar on
        /// it is a DF005 matter, not a build shipped to production (DF006).
        runtime_capable: bool,
    },
    /// Slim, Alpine, distroless, scratch, or not an image plimsoll judges.
    Lean,
}

fn tag_has(tag: &str, words: &[&str]) -> bool {
    let tag = tag.to_ascii_lowercase();
    words.iter().any(|w| tag.contains(w))
}

/// Classifies an image. Unknown images are [`Weight::Lean`] (never judged).
pub fn weight(img: &ImageRef) -> Weight {
    if img.is_scratch() || windows_kind(img) == Some(DefaultUser::WindowsUser) {
        return Weight::Lean;
    }
    let tag = img.tag.clone().unwrap_or_default();
    let full = img.full_name().to_ascii_lowercase();
    let docker_hub_official = full.starts_with("docker.io/library/");
    let name = img.base_name().to_ascii_lowercase();
    let version = tag.split('-').next().unwrap_or("").to_string();
    let ver = |fallback: &str| {
        if version.is_empty() || version == "latest" {
            fallback.to_string()
        } else {
            version.clone()
        }
    };

    // Toolchains first: a `golang:1.22-alpine` is still a compiler image.
    if docker_hub_official || full.starts_with("mcr.microsoft.com/") {
        let toolchain: Option<&'static str> = match name.as_str() {
            "golang" => Some("the Go toolchain"),
            "rust" => Some("the Rust toolchain (rustc, cargo)"),
            "gcc" => Some("GCC and the build tools"),
            "maven" => Some("Maven and a full JDK"),
            "gradle" => Some("Gradle and a full JDK"),
            "buildpack-deps" if !tag_has(&tag, &["curl", "scm"]) => {
                Some("compilers, headers and VCS tools (buildpack-deps)")
            }
            "haskell" => Some("GHC, Cabal and Stack"),
            "swift" => Some("the Swift toolchain"),
            "sdk" if full.starts_with("mcr.microsoft.com/dotnet/sdk") => Some("the .NET SDK"),
            "openjdk" | "amazoncorretto" if !tag_has(&tag, &["jre"]) => Some("a full JDK"),
            "eclipse-temurin" | "ibm-semeru-runtimes" | "sapmachine"
                if !tag_has(&tag, &["jre"]) =>
            {
                Some("a full JDK")
            }
            _ => None,
        };
        if let Some(what) = toolchain {
            let suggestion = match name.as_str() {
                "golang" | "rust" | "gcc" | "swift" | "haskell" => {
                    "build in a separate stage and copy only the binary into \
                     `gcr.io/distroless/static-debian12:nonroot` (static binaries) or \
                     `gcr.io/distroless/cc-debian12:nonroot`"
                        .to_string()
                }
                "sdk" => "build in a separate stage and run on `mcr.microsoft.com/dotnet/runtime` \
                          or `mcr.microsoft.com/dotnet/aspnet` (`-chiseled` variants are smallest)"
                    .to_string(),
                "buildpack-deps" => "build in a separate stage and copy the result onto \
                                     `debian:<release>-slim` or a distroless image"
                    .to_string(),
                _ => {
                    let java = if matches!(name.as_str(), "maven" | "gradle") {
                        "21".to_string()
                    } else {
                        ver("21")
                    };
                    let major = java
                        .split(['.', '_', 'u'])
                        .next()
                        .unwrap_or("21")
                        .to_string();
                    format!(
                        "build in a separate stage and run on a JRE image such as \
                         `eclipse-temurin:{major}-jre` or \
                         `gcr.io/distroless/java{major}-debian12:nonroot`"
                    )
                }
            };
            let runtime_capable = what == "a full JDK";
            return Weight::Toolchain {
                what,
                suggestion,
                runtime_capable,
            };
        }
    }

    let lean_tag = tag_has(
        &tag,
        &[
            "slim",
            "alpine",
            "distroless",
            "minimal",
            "micro",
            "chiseled",
            "nanoserver",
        ],
    );
    if docker_hub_official {
        match name.as_str() {
            "ubuntu" => {
                return Weight::FullDistro {
                    suggestion: "base the final stage on `debian:<release>-slim`, an Ubuntu \
                                 chiselled image or a distroless image"
                        .to_string(),
                }
            }
            "debian" if !lean_tag => {
                let release = if version.is_empty() || version == "latest" {
                    "12".to_string()
                } else {
                    version.clone()
                };
                return Weight::FullDistro {
                    suggestion: format!("base the final stage on `debian:{release}-slim`"),
                };
            }
            "centos" | "fedora" | "rockylinux" | "almalinux" | "amazonlinux" | "archlinux"
            | "oraclelinux"
                if !lean_tag =>
            {
                return Weight::FullDistro {
                    suggestion: "base the final stage on a minimal variant (e.g. \
                                 `oraclelinux:<v>-slim`, `redhat/ubi9-minimal`, `redhat/ubi9-micro`) \
                                 or a distroless image"
                        .to_string(),
                }
            }
            "buildpack-deps" => {
                return Weight::FullDistro {
                    suggestion: "base the final stage on `debian:<release>-slim` and install only \
                                 the tools the application needs"
                        .to_string(),
                }
            }
            "python" | "node" | "ruby" | "perl" | "erlang" | "elixir" | "pypy" if !lean_tag => {
                let v = ver(match name.as_str() {
                    "python" => "3.12",
                    "node" => "20",
                    "ruby" => "3.3",
                    _ => "<version>",
                });
                return Weight::FullLanguage {
                    suggestion: format!(
                        "base the final stage on `{name}:{v}-slim` (or `{name}:{v}-alpine`)"
                    ),
                };
            }
            _ => {}
        }
    }
    if (full.starts_with("docker.io/redhat/ubi")
        || full.starts_with("registry.access.redhat.com/ubi")
        || full.starts_with("docker.io/opensuse/")
        || full.starts_with("registry.suse.com/suse/sle"))
        && !lean_tag
        && !full.contains("minimal")
        && !full.contains("micro")
        && !full.contains("busybox")
    {
        return Weight::FullDistro {
            suggestion: "base the final stage on the `-minimal` or `-micro` variant (e.g. \
                         `ubi9-micro`), or a distroless image"
                .to_string(),
        };
    }
    if windows_kind(img) == Some(DefaultUser::WindowsAdmin) && full.contains("servercore") {
        return Weight::FullDistro {
            suggestion: "base the final stage on a `nanoserver` image when the application \
                         does not need the full Windows Server Core API"
                .to_string(),
        };
    }
    Weight::Lean
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Weight {
        weight(&ImageRef::parse(s))
    }

    #[test]
    fn classifies_weights() {
        assert!(matches!(w("python:3.12"), Weight::FullLanguage { .. }));
        assert_eq!(w("python:3.12-slim"), Weight::Lean);
        assert_eq!(w("node:20-alpine"), Weight::Lean);
        assert!(matches!(w("golang:1.22-alpine"), Weight::Toolchain { .. }));
        assert!(matches!(w("debian:12"), Weight::FullDistro { .. }));
        assert_eq!(w("debian:12-slim"), Weight::Lean);
        assert!(matches!(w("ubuntu"), Weight::FullDistro { .. }));
        assert!(matches!(w("eclipse-temurin:21"), Weight::Toolchain { .. }));
        assert_eq!(w("eclipse-temurin:21-jre"), Weight::Lean);
        assert!(matches!(
            w("mcr.microsoft.com/dotnet/sdk:8.0"),
            Weight::Toolchain { .. }
        ));
        assert_eq!(w("gcr.io/distroless/static-debian12"), Weight::Lean);
        assert_eq!(w("myorg/python:3.12"), Weight::Lean);
    }

    #[test]
    fn knows_default_users() {
        let u = |s: &str| default_user(&ImageRef::parse(s));
        assert_eq!(u("debian"), DefaultUser::Root);
        assert!(matches!(
            u("gcr.io/distroless/static-debian12:nonroot"),
            DefaultUser::NonRoot(_)
        ));
        assert!(matches!(
            u("gcr.io/distroless/base:debug-nonroot"),
            DefaultUser::NonRoot(_)
        ));
        assert_eq!(u("gcr.io/distroless/static-debian12"), DefaultUser::Root);
        assert!(matches!(
            u("cgr.dev/chainguard/python"),
            DefaultUser::NonRoot(_)
        ));
        assert_eq!(u("cgr.dev/chainguard/wolfi-base"), DefaultUser::Root);
        assert_eq!(
            u("mcr.microsoft.com/windows/nanoserver:ltsc2022"),
            DefaultUser::WindowsUser
        );
        assert_eq!(
            u("mcr.microsoft.com/windows/servercore:ltsc2022"),
            DefaultUser::WindowsAdmin
        );
        assert_eq!(
            u("python:3.12-windowsservercore-ltsc2022"),
            DefaultUser::WindowsAdmin
        );
    }
}
