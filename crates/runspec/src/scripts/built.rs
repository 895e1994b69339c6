//! Images a script builds itself: `docker build -t app ./ctx` before `docker run app` runs
//! the image just built, which is never pulled and cannot carry a digest — like a compose
//! service with `build:`. Such a run gets [`RunSpec::build`], so the rules treat it as the
//! compose case (RS033 leaves it to the Dockerfile's `FROM`, messages name the context).
//!
//! Only `docker build`, `docker buildx build`, `docker image build` and `docker builder
//! build` with literal `-t`/`--tag` values count; the context is the command's last word.

use super::commands::Command;
use crate::cli::skip_prefixes;
use crate::model::{Build, Origin, RunSpec, Sourced, Via};
use plimsoll_core::image_ref::ImageRef;
use plimsoll_core::Span;

/// One image tag a build command produces.
#[derive(Debug, Clone)]
pub(crate) struct Built {
    tag: String,
    build: Build,
    at: Span,
    written: String,
}

/// The tags the `docker build` commands among `commands` produce.
pub(crate) fn builds(commands: &[Command]) -> Vec<Built> {
    let mut out = Vec::new();
    for c in commands {
        let words = &c.words;
        let Some(program) = skip_prefixes(words) else {
            continue;
        };
        let rest = words.get(program + 1..).unwrap_or(&[]);
        let texts: Vec<&str> = rest.iter().map(|w| w.text.as_str()).collect();
        let options = match texts.as_slice() {
            ["build", ..] => 1,
            ["buildx" | "image" | "builder", "build", ..] => 2,
            _ => continue,
        };
        let args = texts.get(options..).unwrap_or(&[]);
        let (mut tags, mut dockerfile) = (Vec::new(), None);
        let mut i = 0;
        while let Some(arg) = args.get(i) {
            let value = |long: &str, short: &str| -> Option<(String, usize)> {
                if *arg == long || *arg == short {
                    return args.get(i + 1).map(|v| (v.to_string(), 2));
                }
                arg.strip_prefix(&format!("{long}="))
                    .or_else(|| arg.strip_prefix(short).filter(|v| !v.is_empty()))
                    .map(|v| (v.to_string(), 1))
            };
            if let Some((tag, n)) = value("--tag", "-t") {
                tags.push(tag);
                i += n;
            } else if let Some((file, n)) = value("--file", "-f") {
                dockerfile = Some(file);
                i += n;
            } else {
                i += 1;
            }
        }
        let (Some(first), Some(last)) = (words.first(), words.last()) else {
            continue;
        };
        let context = match args.last() {
            Some(a) if !a.starts_with('-') => a.to_string(),
            _ => ".".to_string(),
        };
        for tag in tags.into_iter().filter(|t| !t.contains(['$', '`'])) {
            out.push(Built {
                tag,
                build: Build {
                    context: context.clone(),
                    dockerfile: dockerfile.clone().unwrap_or_else(|| "Dockerfile".into()),
                    inline: None,
                    target: None,
                    base_dir: String::new(),
                },
                at: Span::new(first.span.start, last.span.end),
                written: texts.join(" "),
            });
        }
    }
    out
}

/// Whether two references name the same image as written (`app` is `app:latest`; a
/// reference with a digest is taken as written).
fn same_image(a: &str, b: &str) -> bool {
    let parts = |r: &str| {
        let r = ImageRef::parse(r);
        let tag = match (r.tag, &r.digest) {
            (None, None) => Some("latest".to_string()),
            (tag, _) => tag,
        };
        (r.registry, r.path, tag, r.digest)
    };
    parts(a) == parts(b)
}

/// Marks `spec` as running an image the script built earlier, if it does.
pub(crate) fn attach(spec: &mut RunSpec, path: &str, built: &[Built]) {
    let Some(image) = &spec.image else {
        return;
    };
    let Some(at) = image.origin.location.span.map(|s| s.start) else {
        return;
    };
    let before = |b: &&Built| b.at.start < at && same_image(&b.tag, image.value.trim());
    if let Some(b) = built.iter().rev().find(before) {
        let origin = Origin::at(
            path,
            b.at,
            format!("docker {}", b.written),
            Via::Flag("build".into()),
        );
        spec.build = Some(Sourced::new(b.build.clone(), origin));
    }
}

#[cfg(test)]
mod tests {
    use crate::scripts::{find_runs, ScriptKind};

    fn builds_of(script: &str) -> Vec<Option<String>> {
        find_runs("t.sh", script, ScriptKind::Shell)
            .filter_map(Result::ok)
            .map(|s| s.build.map(|b| b.value.context))
            .collect()
    }

    /// mailcow's test_backup_and_restore.sh: `docker build -t mailcow-backup-test DIR`, then
    /// `docker run … mailcow-backup-test`: the image is the one just built, not pulled.
    #[test]
    fn a_run_of_an_image_the_script_built_is_a_build() {
        let script = "docker build -t mailcow-backup-test \"${DIR}/backup/\" || exit 1\ndocker run --rm mailcow-backup-test tar -c .\ndocker run --rm other:1 true\n";
        assert_eq!(
            builds_of(script),
            [Some("${DIR}/backup/".to_string()), None]
        );
        let buildx = "docker buildx build --tag=app:dev -f ci/Dockerfile .\ndocker run app:dev\n";
        assert_eq!(builds_of(buildx), [Some(".".to_string())]);
        // Built after the run, or another tag: not this run's image.
        assert_eq!(builds_of("docker run app\ndocker build -t app .\n"), [None]);
        assert_eq!(
            builds_of("docker build -t app:2 .\ndocker run app:1\n"),
            [None]
        );
        assert_eq!(
            builds_of("docker build -t app .\ndocker run app:latest\n"),
            [Some(".".to_string())]
        );
    }
}
