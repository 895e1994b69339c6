//! The runtime-only RS rules (RS034–RS037, `plimsoll_runspec::rules::runtime`) on answers
//! captured from a real engine (tests/fixtures/inspect, see its README): each rule fires on
//! one variant of the captured inspect / `top` answers and stays quiet on another, through
//! the real mapping (`map::to_runspec`) and the whole rule set (`rules::audit`). The
//! variants are the captured JSON with the one runtime fact changed (an OOM kill, a failing
//! health check, an `sshd` process, `--user root` over a non-root image), so no daemon is
//! needed.
//!
//! The findings of the four rules on their firing fixtures are compared with
//! `tests/snapshots/runtime_rules.txt` (rule, severity, location, message, evidence, fix), so
//! every message is reviewed when it changes; `UPDATE_SNAPSHOTS=1` rewrites it.

use plimsoll_core::config::ImagePolicy;
use plimsoll_core::Finding;
use plimsoll_engine::map::{to_runspec, EngineFacts};
use plimsoll_engine::models::{ContainerInspectResponse, ContainerTopResponse, ImageInspect};
use plimsoll_runspec::rules::{audit, runtime, Context};
use serde_json::{json, Value};

fn load(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/inspect/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn typed<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).unwrap_or_else(|e| panic!("fixture does not deserialize: {e}"))
}

/// A container, its image and its processes, as captured, then edited by `edit`.
struct Fixture {
    container: Value,
    image: Value,
    top: Option<Value>,
}

impl Fixture {
    fn bad() -> Fixture {
        Fixture {
            container: load("container-bad.json"),
            image: load("image-busybox.json"),
            top: Some(load("top-bad.json")),
        }
    }

    fn good() -> Fixture {
        Fixture {
            container: load("container-good.json"),
            image: load("image-busybox.json"),
            top: Some(load("top-bad.json")),
        }
    }

    fn findings(&self) -> Vec<Finding> {
        let c: ContainerInspectResponse = typed(self.container.clone());
        let i: ImageInspect = typed(self.image.clone());
        let t: Option<ContainerTopResponse> = self.top.clone().map(typed);
        let facts = EngineFacts {
            security_options: vec!["name=seccomp,profile=default".into()],
            daemon_no_new_privileges: false,
            cgroup_version: Some("1".into()),
        };
        let spec = to_runspec(&c, Some(&i), t.as_ref(), &facts);
        let policy = ImagePolicy::default();
        audit(&spec, &Context::new(&policy))
    }
}

fn set(v: &mut Value, path: &[&str], value: Value) {
    let mut cur = v;
    for key in &path[..path.len() - 1] {
        cur = &mut cur[*key];
    }
    cur[path[path.len() - 1]] = value;
}

/// `(rule, fires, passes)` for each runtime rule.
fn cases() -> Vec<(&'static str, Fixture, Fixture)> {
    // RS034: an sshd process in `top`.
    let mut sshd = Fixture::bad();
    if let Some(top) = sshd.top.as_mut() {
        if let Some(rows) = top["Processes"].as_array_mut() {
            rows.push(json!([
                "root",
                "18420",
                "18406",
                "0",
                "20:15",
                "?",
                "00:00:00",
                "/usr/sbin/sshd -D"
            ]));
        }
    }
    // RS035: OOM-killed and restarted.
    let mut oom = Fixture::bad();
    set(&mut oom.container, &["State", "OOMKilled"], json!(true));
    set(&mut oom.container, &["RestartCount"], json!(4));
    // RS036: failing health check; healthy passes.
    let mut unhealthy = Fixture::good();
    set(
        &mut unhealthy.container,
        &["State", "Health"],
        json!({"Status": "unhealthy", "FailingStreak": 3, "Log": []}),
    );
    let mut healthy = Fixture::good();
    set(
        &mut healthy.container,
        &["State", "Health"],
        json!({"Status": "healthy", "FailingStreak": 0, "Log": []}),
    );
    // RS037: `--user root` over an image whose USER is `app`; the image's own user passes.
    let mut escalated = Fixture::bad();
    set(&mut escalated.image, &["Config", "User"], json!("app"));
    set(&mut escalated.container, &["Config", "User"], json!("root"));
    let mut own_user = Fixture::bad();
    set(&mut own_user.image, &["Config", "User"], json!("app"));
    set(&mut own_user.container, &["Config", "User"], json!("app"));
    vec![
        ("RS034", sshd, Fixture::bad()),
        ("RS035", oom, Fixture::bad()),
        ("RS036", unhealthy, healthy),
        ("RS037", escalated, own_user),
    ]
}

fn render(f: &Finding) -> String {
    format!(
        "{} {} {}\n  message: {}\n  evidence: {}\n  fix: {}\n",
        f.rule_id,
        f.severity,
        f.location.path,
        f.message,
        f.evidence.as_deref().unwrap_or("-"),
        f.fix
    )
}

#[test]
fn runtime_rules_fire_and_pass_on_captured_answers() {
    let mut rendered = String::new();
    let mut covered = Vec::new();
    for (id, fires, passes) in cases() {
        assert!(runtime::is_runtime_only(id), "{id} is a runtime rule");
        let found: Vec<Finding> = fires
            .findings()
            .into_iter()
            .filter(|f| f.rule_id == id)
            .collect();
        assert_eq!(found.len(), 1, "{id} fires once on its fixture: {found:#?}");
        let quiet: Vec<Finding> = passes
            .findings()
            .into_iter()
            .filter(|f| f.rule_id == id)
            .collect();
        assert!(quiet.is_empty(), "{id} on its passing fixture: {quiet:#?}");
        rendered.push_str(&render(&found[0]));
        covered.push(id);
    }
    // Every runtime rule has a case.
    for meta in plimsoll_runspec::rules::metas() {
        if runtime::is_runtime_only(meta.id) {
            assert!(
                covered.contains(&meta.id),
                "{} has no fixture here",
                meta.id
            );
        }
    }
    let path = format!(
        "{}/tests/snapshots/runtime_rules.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    match std::fs::read_to_string(&path) {
        Ok(expected) if std::env::var("UPDATE_SNAPSHOTS").as_deref() != Ok("1") => {
            assert_eq!(
                rendered, expected,
                "runtime rule output changed; review and rerun with UPDATE_SNAPSHOTS=1"
            );
        }
        _ => {
            std::fs::create_dir_all(format!("{}/tests/snapshots", env!("CARGO_MANIFEST_DIR")))
                .expect("create tests/snapshots");
            std::fs::write(&path, &rendered).expect("write the snapshot");
            eprintln!("runtime_rules: wrote {path}: review it");
        }
    }
}

#[test]
fn runtime_rules_are_silent_on_the_captured_containers() {
    for f in [Fixture::bad(), Fixture::good()] {
        let runtime: Vec<&'static str> = f
            .findings()
            .iter()
            .map(|f| f.rule_id)
            .filter(|id| runtime::is_runtime_only(id))
            .collect();
        assert!(runtime.is_empty(), "{runtime:?}");
    }
}
