//! Engine support for the probe's tests: an image holding the static probe, runs labelled for
//! this test process, and their removal (also on panic, through `Drop`). The engine
//! conventions (skip or fail, the docker CLI, removal by label, scratch images, the static
//! build) are the testkit's.

pub use plimsoll_testkit::docker::skip_or_fail;
use plimsoll_testkit::docker::{docker, remove_run, scratch_image, static_probe};
use serde_json::Value;
use std::io::Write;

pub struct Engine {
    pid: String,
    image: String,
}

impl Engine {
    /// Checks the engine and builds the probe image: `FROM scratch` holding only the static
    /// probe users get (built once into a cached target directory outside the repository; a
    /// failed or non-static build fails the test, it is not a skip).
    pub fn start() -> Result<Engine, String> {
        docker(&["version", "--format", "{{.Server.Version}}"])
            .map_err(|e| format!("no Docker engine reachable ({e})"))?;
        let probe = static_probe().unwrap_or_else(|e| panic!("the static probe: {e}"));
        let pid = std::process::id();
        let image = scratch_image(
            &format!("plimsoll-probe-test:{pid}"),
            pid,
            &[(&probe, "/plimsoll-probe")],
            Some("/plimsoll-probe"),
        )?;
        Ok(Engine {
            pid: pid.to_string(),
            image,
        })
    }

    fn labels(&self) -> Vec<String> {
        vec![
            "--label".to_string(),
            "plimsoll.test=1".to_string(),
            "--label".to_string(),
            format!("plimsoll.test.pid={}", self.pid),
        ]
    }

    /// Runs the probe with `docker run` options and probe arguments; its JSON report.
    pub fn try_probe(&self, opts: &[&str], args: &[&str]) -> Result<Value, String> {
        let mut all: Vec<String> = vec!["run".into(), "--rm".into()];
        all.extend(self.labels());
        all.extend(opts.iter().map(|s| s.to_string()));
        all.push(self.image.clone());
        all.extend(["--format".to_string(), "json".to_string()]);
        all.extend(args.iter().map(|s| s.to_string()));
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        let out = docker(&refs)?;
        serde_json::from_str(&out).map_err(|e| format!("probe JSON: {e}"))
    }

    /// Like [`Engine::try_probe`], but a failed `docker run` is tried once more (a busy
    /// shared engine sometimes fails a start); the first error is written to the real
    /// standard error so it is never silent, and a second failure fails the test.
    pub fn probe(&self, opts: &[&str], args: &[&str]) -> Value {
        match self.try_probe(opts, args) {
            Ok(report) => report,
            Err(first) => {
                let _ = writeln!(
                    std::io::stderr(),
                    "probe with {opts:?} failed once, trying again: {first}"
                );
                self.try_probe(opts, args)
                    .unwrap_or_else(|e| panic!("probe with {opts:?}: {e} (first: {first})"))
            }
        }
    }

    /// Creates (does not start) a labelled container; its id.
    pub fn create(&self, opts: &[&str]) -> Result<String, String> {
        let mut all: Vec<String> = vec!["create".into()];
        all.extend(self.labels());
        all.extend(opts.iter().map(|s| s.to_string()));
        all.push(self.image.clone());
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        docker(&refs)
    }

    fn containers(&self) -> Vec<String> {
        let filter = format!("label=plimsoll.test.pid={}", self.pid);
        docker(&["ps", "-aq", "--filter", &filter])
            .map(|s| s.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default()
    }

    fn remove(&self) {
        if let Ok(pid) = self.pid.parse() {
            remove_run(pid, std::slice::from_ref(&self.image));
        }
    }

    /// Removes everything and asserts nothing of this test is left.
    pub fn finish(self) {
        self.remove();
        assert!(self.containers().is_empty(), "containers left behind");
        let filter = format!("label=plimsoll.test.pid={}", self.pid);
        let images = docker(&["images", "-q", "--filter", &filter]).unwrap_or_default();
        assert!(images.is_empty(), "images left behind: {images}");
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.remove();
    }
}
