//! A secret written in a compose project's `.env` is reported at its line when the file is
//! committed, and not when git does not track it (a developer's local configuration, which is
//! where such values belong).

mod common;

use common::*;

const COMPOSE: &str = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n";
const DOTENV: &str = "DB_PASSWORD=Xq7-local-Pw-91\n";

fn dotenv_findings(dir: &std::path::Path) -> Vec<String> {
    let run = plimsoll_in(dir, &["scan", "--format", "json", "--fail-on", "never"]);
    run.json()["findings"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter(|f| f["rule_id"] == "RS031")
                .filter_map(|f| f["file"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_secret_in_a_committed_dotenv_is_reported_and_in_an_untracked_one_is_not() {
    let dir = tempdir();
    let p = dir.path();
    let git = |args: &[&str]| git_in(p, args);
    write(p, "compose.yaml", COMPOSE);
    write(p, ".env", DOTENV);
    // Its own repository (the temporary directory may lie inside another work tree).
    if !git(&["init", "-q"]) {
        eprintln!("SKIPPED: git is not available to set up the repository");
        return;
    }
    assert!(git(&["add", "compose.yaml"]));
    assert_eq!(
        dotenv_findings(p),
        Vec::<String>::new(),
        "an untracked .env is local configuration"
    );
    assert!(git(&["add", "-f", ".env"]));
    assert_eq!(dotenv_findings(p), vec![".env".to_string()]);
}
