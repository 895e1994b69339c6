//! `plimsoll probe --launch`: start a labelled container with the static probe mounted
//! read-only, read the probe's JSON, and set the RS findings for the same options beside it.
//!
//! Containers are started with the `docker` CLI (a bind mount and an entrypoint override,
//! nothing the read-only engine client of `plimsoll containers` does) and removed by `--rm`,
//! by `docker rm -f` on every way out, and by the signal watcher (`interrupt`) on Ctrl-C.

use super::interrupt;
use crate::error::Fatal;
use plimsoll_core::config::ImagePolicy;
use plimsoll_core::Finding;
use plimsoll_probe::experiments::{Experiment, Selection};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Labels on every container `plimsoll probe` starts.
const LABEL: &str = "plimsoll.probe=1";

/// The static probe to mount: `--probe-binary`, `$PLIMSOLL_PROBE`, or beside this program.
pub fn probe_binary(explicit: Option<&Path>) -> Result<PathBuf, Fatal> {
    let candidate = match explicit {
        Some(p) => p.to_path_buf(),
        None => match std::env::var_os("PLIMSOLL_PROBE") {
            Some(p) => PathBuf::from(p),
            None => std::env::current_exe()
                .map_err(|e| Fatal::new(format!("cannot find this program: {e}")))?
                .with_file_name("plimsoll-probe"),
        },
    };
    if !candidate.is_file() {
        return Err(
            Fatal::new(format!("no probe binary at {}", candidate.display())).hint(
                "build the static probe (RUSTFLAGS='-C target-feature=+crt-static' cargo build -p \
             plimsoll-probe --release --target x86_64-unknown-linux-gnu) and pass it with \
             --probe-binary",
            ),
        );
    }
    std::fs::canonicalize(&candidate)
        .map_err(|e| Fatal::new(format!("{}: {e}", candidate.display())))
}

/// A container this command started; removed when dropped (error, panic or success), and
/// by the signal watcher ([`interrupt`]) if plimsoll is interrupted while it runs.
struct Launched {
    name: String,
}

impl Launched {
    fn new(name: String) -> Self {
        interrupt::register(&name);
        Launched { name }
    }
}

impl Drop for Launched {
    fn drop(&mut self) {
        let _ = Command::new("docker")
            .args(["rm", "-f", "-v", &self.name])
            .output();
        interrupt::forget(&self.name);
    }
}

/// The most a launched probe may print. Its JSON is a few kilobytes (facts, experiments,
/// findings); the image decides its environment, mounts and devices, which the probe lists, so
/// the cap keeps a hostile image from making plimsoll hold an unbounded answer.
const MAX_PROBE_OUTPUT: u64 = 16 * 1024 * 1024;

/// How much of `docker run`'s standard error is kept for an error message.
const MAX_DOCKER_STDERR: u64 = 64 * 1024;

/// Reads at most `limit` bytes of `from`, then drains the rest (so the writer never blocks);
/// the bytes kept and whether there were more.
fn read_capped(from: impl std::io::Read, limit: u64) -> std::io::Result<(Vec<u8>, bool)> {
    use std::io::Read;
    let mut kept = Vec::new();
    let mut from = from;
    (&mut from).take(limit).read_to_end(&mut kept)?;
    let more = std::io::copy(&mut from, &mut std::io::sink())? > 0;
    Ok((kept, more))
}

/// Runs the attached `docker run` of a launched container; its standard output.
fn docker_run(launched: &Launched, args: &[String]) -> Result<String, Fatal> {
    let mut child = Command::new("docker")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            Fatal::new(format!("cannot run docker: {e}")).hint("install the docker CLI")
        })?;
    interrupt::client_started(&launched.name, child.id());
    let stderr = child.stderr.take().map(|err| {
        std::thread::spawn(move || read_capped(err, MAX_DOCKER_STDERR).map(|(kept, _)| kept))
    });
    let stdout = match child.stdout.take() {
        Some(out) => read_capped(out, MAX_PROBE_OUTPUT),
        None => Ok((Vec::new(), false)),
    };
    let status = child.wait();
    interrupt::wait_if_interrupted();
    let stderr = stderr
        .and_then(|t| t.join().ok())
        .and_then(Result::ok)
        .unwrap_or_default();
    let (stdout, too_long) = stdout.map_err(|e| Fatal::new(format!("docker run: {e}")))?;
    let status = status.map_err(|e| Fatal::new(format!("docker run: {e}")))?;
    if too_long {
        return Err(Fatal::new(format!(
            "the probe in container {} printed more than {} MiB; its answer was not read",
            launched.name,
            MAX_PROBE_OUTPUT / (1024 * 1024)
        ))
        .hint("the image may be hostile: inspect its environment, mounts and devices"));
    }
    if status.success() {
        Ok(String::from_utf8_lossy(&stdout).into_owned())
    } else {
        Err(Fatal::new(format!(
            "docker run: {}",
            String::from_utf8_lossy(&stderr).trim()
        )))
    }
}

/// Whether the options already name the user to run as, read by the same `docker run` reader
/// the RS rules use, so every spelling counts (`-u 0`, `-u0`, `-u=0`, `-itu0`, `--user=0`).
/// Options it cannot read name no user here; `configuration_findings` reports them.
fn names_user(options: &[String]) -> bool {
    let mut argv = vec!["docker".to_string(), "run".to_string()];
    argv.extend(options.iter().cloned());
    argv.push("image".to_string());
    plimsoll_runspec::cli::parse_argv(&argv).is_ok_and(|(spec, _)| spec.user.is_some())
}

/// The options the container is really started with: the user's, plus a non-root user when
/// they name none.
fn effective_options(options: &[String]) -> Vec<String> {
    let mut out = options.to_vec();
    if !names_user(options) {
        out.extend(["--user".to_string(), "65534:65534".to_string()]);
    }
    out
}

/// Starts IMAGE with the options and the probe, returns the probe's JSON report.
pub fn run_probe(
    probe: &Path,
    image: &str,
    options: &[String],
    probe_args: &[String],
) -> Result<Value, Fatal> {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("plimsoll-probe-{}-{n}", std::process::id());
    let mut run: Vec<String> = vec![
        "run".into(),
        "--rm".into(),
        "--name".into(),
        name.clone(),
        "--label".into(),
        LABEL.into(),
        "--volume".into(),
        format!("{}:{}:ro", probe.display(), plimsoll_probe::LAUNCH_MOUNT),
        "--entrypoint".into(),
        plimsoll_probe::LAUNCH_MOUNT.into(),
    ];
    run.extend(options.iter().cloned());
    run.push(image.to_string());
    run.extend(["--format".to_string(), "json".to_string()]);
    run.extend(probe_args.iter().cloned());
    // One attached `docker run --rm`: no window in which a created container waits to be
    // started. The guard removes it on every way out; on Ctrl-C, SIGTERM or SIGHUP the
    // signal watcher does, before plimsoll exits.
    let launched = Launched::new(name);
    let out = docker_run(&launched, &run);
    drop(launched);
    let out = out?;
    serde_json::from_str(&out).map_err(|e| {
        Fatal::new(format!("the probe's answer is not JSON ({e})")).hint(
            "is --probe-binary the static build, and does the image run x86-64 Linux binaries?",
        )
    })
}

fn probe_args_of(selection: Selection) -> Vec<String> {
    let mut out = Vec::new();
    if selection.safe {
        out.push("--experiments".to_string());
    }
    for (on, what) in [
        (selection.stress_pids, "pids"),
        (selection.stress_memory, "memory"),
    ] {
        if on {
            out.extend(["--stress".to_string(), what.to_string()]);
        }
    }
    out
}

/// The RS findings for `docker run OPTIONS IMAGE` under the configuration's image policy.
fn configuration_findings(
    options: &[String],
    image: &str,
    policy: &ImagePolicy,
) -> Result<Vec<Finding>, Fatal> {
    let mut argv = vec!["docker".to_string(), "run".to_string()];
    argv.extend(options.iter().cloned());
    argv.push(image.to_string());
    let (spec, _) = plimsoll_runspec::cli::parse_argv(&argv)
        .map_err(|e| Fatal::new(format!("cannot read the docker run options: {}", e.message)))?;
    let cx = plimsoll_runspec::rules::Context::new(policy);
    Ok(plimsoll_runspec::rules::audit(&spec, &cx))
}

fn fired(findings: &Value, id: &str) -> bool {
    findings
        .as_array()
        .is_some_and(|list| list.iter().any(|f| f["rule_id"] == id))
}

/// Whether the probed kernel runs AppArmor or SELinux, from a probe's JSON report (its
/// `facts.lsm`, a `plimsoll_probe::lsm::Lsm` tagged by `state`).
pub(super) fn lsm_available(report: &Value) -> bool {
    report["facts"]["lsm"]["state"] != "not-available"
}

/// One PB↔RS pair: what each side says and whether they agree.
fn comparison(report: &Value, rs: &[Finding]) -> Vec<Value> {
    let lsm_available = lsm_available(report);
    plimsoll_probe::rules::COUNTERPARTS
        .iter()
        .map(|(pb, rs_ids)| {
            let kernel = fired(&report["findings"], pb);
            let config: Vec<&str> = rs_ids
                .iter()
                .copied()
                .filter(|id| rs.iter().any(|f| f.rule_id == *id))
                .collect();
            let verdict = if *pb == "PB004" && !lsm_available {
                "not available here"
            } else if kernel != config.is_empty() {
                "agree"
            } else if kernel {
                "DISAGREE: kernel only"
            } else {
                "DISAGREE: config only"
            };
            json!({
                "probe_rule": pb,
                "configuration_rules": rs_ids,
                "kernel_fires": kernel,
                "configuration_fires": config,
                "verdict": verdict,
            })
        })
        .collect()
}

/// What `--launch` found: the options the container ran with, the probe's JSON report and
/// the RS findings for the same options, all raw (the caller settles them).
pub struct Launch {
    pub options: Vec<String>,
    pub report: Value,
    pub configuration: Vec<Finding>,
    /// The configuration and kernel side by side, judged on the raw findings: the evidence,
    /// whatever the configuration chooses to report.
    pub comparison: Vec<Value>,
}

/// Launches IMAGE with the options and the probe, and compares what the configuration
/// promises with what the kernel enforced.
pub fn launch(
    probe_binary_path: Option<&Path>,
    image: &str,
    docker_options: &[String],
    selection: Selection,
    policy: &ImagePolicy,
) -> Result<Launch, Fatal> {
    let probe = probe_binary(probe_binary_path)?;
    let options = effective_options(docker_options);
    let configuration = configuration_findings(&options, image, policy)?;
    let report = run_probe(&probe, image, &options, &probe_args_of(selection))?;
    let comparison = comparison(&report, &configuration);
    Ok(Launch {
        options,
        report,
        configuration,
        comparison,
    })
}

impl Launch {
    /// The text to print (JSON or human), with the settled findings of each side.
    pub fn render(
        &self,
        image: &str,
        probe_findings: &[Finding],
        configuration_findings: &[Finding],
        as_json: bool,
    ) -> Result<String, Fatal> {
        let mut report = self.report.clone();
        report["findings"] = serde_json::to_value(probe_findings)
            .map_err(|e| Fatal::new(format!("cannot write JSON: {e}")))?;
        if as_json {
            serde_json::to_string_pretty(&json!({
                "image": image,
                "docker_options": self.options,
                "probe": report,
                "configuration_findings": configuration_findings,
                "comparison": self.comparison,
            }))
            .map_err(|e| Fatal::new(format!("cannot write JSON: {e}")))
        } else {
            Ok(launch_text(
                image,
                &self.options,
                &report,
                configuration_findings,
                &self.comparison,
            ))
        }
    }
}

fn launch_text(
    image: &str,
    options: &[String],
    report: &Value,
    rs: &[Finding],
    rows: &[Value],
) -> String {
    let mut s = format!("plimsoll probe: {image} run with: {}\n", options.join(" "));
    s.push_str("\nWhat the configuration promises (RS) beside what the kernel enforced (PB):\n");
    for row in rows {
        let config = row["configuration_fires"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default();
        let kernel = row["kernel_fires"].as_bool().unwrap_or(false);
        if config.is_empty() && !kernel {
            continue;
        }
        s.push_str(&format!(
            "  {:<22} {} {:<7} {} {:<6} {}\n",
            row["verdict"].as_str().unwrap_or_default(),
            "config:",
            if config.is_empty() { "-" } else { &config },
            "kernel:",
            if kernel {
                row["probe_rule"].as_str().unwrap_or_default()
            } else {
                "-"
            },
            rule_title(row["probe_rule"].as_str().unwrap_or_default())
        ));
    }
    s.push_str("\nProbe findings:\n");
    for f in report["findings"].as_array().into_iter().flatten() {
        s.push_str(&format!(
            "  {} [{}] {}\n",
            f["rule_id"].as_str().unwrap_or_default(),
            f["severity"].as_str().unwrap_or_default(),
            f["message"].as_str().unwrap_or_default()
        ));
    }
    for e in report["experiments"].as_array().into_iter().flatten() {
        if let Ok(e) = serde_json::from_value::<Experiment>(e.clone()) {
            s.push_str(&format!(
                "  experiment {:<14} {} — {}\n",
                e.name,
                e.verdict.short(),
                e.verdict.detail()
            ));
        }
    }
    s.push_str(&format!("\nConfiguration findings: {}\n", rs.len()));
    for f in rs {
        s.push_str(&format!("  {} [{}] {}\n", f.rule_id, f.severity, f.message));
    }
    s
}

fn rule_title(id: &str) -> &'static str {
    plimsoll_probe::rules::metas()
        .into_iter()
        .find(|m| m.id == id)
        .map(|m| m.title)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_over_the_cap_is_cut_and_said_to_be_longer() {
        let long = vec![b'x'; 10_000];
        let (kept, more) = read_capped(long.as_slice(), 4096).expect("read");
        assert_eq!((kept.len(), more), (4096, true));
        let (kept, more) = read_capped(&long[..4096], 4096).expect("read");
        assert_eq!((kept.len(), more), (4096, false));
    }

    #[test]
    fn a_non_root_user_is_added_unless_one_is_named() {
        let none = effective_options(&["--read-only".to_string()]);
        assert_eq!(none, ["--read-only", "--user", "65534:65534"]);
        let named = effective_options(&["-u".to_string(), "0".to_string()]);
        assert_eq!(named, ["-u", "0"]);
        assert!(names_user(&["--user=1000".to_string()]));
    }

    #[test]
    fn a_user_named_in_any_spelling_is_kept() {
        for named in [&["-u0"][..], &["-itu", "0"], &["-u=0"], &["--user", "0:0"]] {
            let named: Vec<String> = named.iter().map(|o| o.to_string()).collect();
            assert_eq!(effective_options(&named), named, "{named:?}");
        }
    }

    /// The PB docs name each counterpart as "RSnnn (`name`)": that RS rule must exist under
    /// that name, or `--launch` compares the kernel with a rule that never fires.
    #[test]
    fn every_counterpart_is_a_registered_rs_rule_under_the_name_the_docs_give() {
        let registry = crate::registry::registry();
        let metas = plimsoll_probe::rules::metas();
        for (pb, rs_ids) in plimsoll_probe::rules::COUNTERPARTS {
            let what = metas
                .iter()
                .find(|m| m.id == *pb)
                .map_or("", |m| m.docs.what);
            for rs in *rs_ids {
                let name = registry.get(rs).map_or("", |m| m.name);
                assert!(!name.is_empty(), "{pb}: {rs} is not a registered rule");
                assert!(
                    what.contains(&format!("{rs} (`{name}`)")),
                    "{pb}: its docs do not name {rs} as `{name}`"
                );
            }
        }
    }

    #[test]
    fn configuration_and_kernel_disagreements_are_flagged() {
        let rs = configuration_findings(
            &["--privileged".to_string()],
            "alpine:3.20",
            &ImagePolicy::default(),
        )
        .unwrap_or_default();
        assert!(rs.iter().any(|f| f.rule_id == "RS001"));
        let report = json!({"facts": {"lsm": {"state": "not-available"}}, "findings": []});
        let rows = comparison(&report, &rs);
        let pb001 = rows
            .iter()
            .find(|r| r["probe_rule"] == "PB001")
            .cloned()
            .unwrap_or_default();
        assert_eq!(pb001["verdict"], "DISAGREE: config only");
        let pb004 = rows
            .iter()
            .find(|r| r["probe_rule"] == "PB004")
            .cloned()
            .unwrap_or_default();
        assert_eq!(pb004["verdict"], "not available here");
    }
}
