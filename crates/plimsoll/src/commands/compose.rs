//! `plimsoll compose [-f FILE…] [--profile P…]`: one compose project, as `docker compose` would
//! load it from the same flags.

use crate::cli::ComposeArgs;
use crate::commands::scan::run;
use crate::error::Fatal;
use crate::input::{Input, Origin, STDIN_NAME};
use crate::sources::compose::{override_name, BASE_NAMES};
use crate::sources::RunSettings;
use plimsoll_core::finding::path_string;
use std::path::{Path, PathBuf};

pub fn compose(args: &ComposeArgs) -> Result<u8, Fatal> {
    let files = if args.files.is_empty() {
        default_files(args.project_directory.as_deref().unwrap_or(Path::new(".")))?
    } else {
        args.files.clone()
    };
    let mut settings = RunSettings::from_env();
    settings.profiles = args.profiles.clone();
    settings.env_files = args.env_files.clone();
    settings.project_directory = args.project_directory.clone();
    settings.project_name = args.project_name.clone();
    let paths = files.clone();
    run(&args.common, &paths, &settings, move |_| {
        let Some((first, rest)) = files.split_first() else {
            return Err(Fatal::new("no compose file given"));
        };
        let origin = if first.as_os_str() == STDIN_NAME {
            Origin::Stdin
        } else {
            Origin::File(first.clone())
        };
        let input = Input {
            display: path_string(first),
            origin,
            kind: "compose",
            with: rest.to_vec(),
        };
        Ok((vec![input], Vec::new()))
    })
}

/// The files `docker compose` uses without `-f`: the first base name found in `dir`, then its
/// override file if present.
fn default_files(dir: &Path) -> Result<Vec<PathBuf>, Fatal> {
    let Some(base) = BASE_NAMES.iter().find(|n| dir.join(n).is_file()) else {
        return Err(Fatal::new(format!(
            "no compose file in {}",
            if dir == Path::new(".") {
                "the working directory".to_string()
            } else {
                dir.display().to_string()
            }
        ))
        .hint("name one with `-f FILE`; without -f, plimsoll looks for compose.yaml, compose.yml, docker-compose.yaml and docker-compose.yml"));
    };
    let mut files = vec![strip_dot(dir.join(base))];
    if let Some(over) = override_name(base).map(|o| dir.join(o)) {
        if over.is_file() {
            files.push(strip_dot(over));
        }
    }
    Ok(files)
}

fn strip_dot(path: PathBuf) -> PathBuf {
    path.strip_prefix(".")
        .map(Path::to_path_buf)
        .unwrap_or(path)
}
