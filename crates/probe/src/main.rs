//! `plimsoll-probe`: run inside a container, print what isolation it really has.
//!
//! A static binary with no dependencies at run time, meant to be copied or bind-mounted into
//! any image (`scratch`, distroless, busybox) and run as a non-root user. It never changes
//! anything outside the children its experiments fork, and by default runs no experiment.

use plimsoll_probe::experiments::Selection;
use plimsoll_probe::root::Root;
use std::process::ExitCode;

const HELP: &str = "\
plimsoll-probe: what isolation does this container really have?

Usage: plimsoll-probe [OPTIONS]

Options:
  --format human|json   output format (default: human)
  --experiments         also run the harmless experiments (hostname, user namespace,
                        mount, sysrq-trigger open), each in a forked child with a deadline
  --stress pids|memory  run a bounded stress against that limit (repeatable; never
                        without a limit, never past a hard cap)
  --root DIR            read /proc and /sys under DIR instead of / (no experiments)
  --record DIR          copy every file read into DIR (makes a test fixture)
  --target NAME         the name findings are reported under (default container:<hostname>)
  -h, --help            this help
  -V, --version         the version
";

struct Args {
    json: bool,
    which: Selection,
    root: String,
    record: Option<String>,
    target: Option<String>,
}

fn parse(mut argv: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut args = Args {
        json: false,
        which: Selection::default(),
        root: "/".to_string(),
        record: None,
        target: None,
    };
    while let Some(arg) = argv.next() {
        let mut value = |name: &str| argv.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => {
                print!("{HELP}");
                return Ok(None);
            }
            "-V" | "--version" => {
                println!("plimsoll-probe {}", env!("CARGO_PKG_VERSION"));
                return Ok(None);
            }
            "--format" => match value("--format")?.as_str() {
                "json" => args.json = true,
                "human" => args.json = false,
                other => return Err(format!("unknown format `{other}` (human, json)")),
            },
            "--experiments" => args.which.safe = true,
            "--stress" => match value("--stress")?.as_str() {
                "pids" => args.which.stress_pids = true,
                "memory" => args.which.stress_memory = true,
                other => return Err(format!("unknown stress `{other}` (pids, memory)")),
            },
            "--root" => args.root = value("--root")?,
            "--record" => args.record = Some(value("--record")?),
            "--target" => args.target = Some(value("--target")?),
            other => return Err(format!("unknown argument `{other}` (see --help)")),
        }
    }
    Ok(Some(args))
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(Some(a)) => a,
        Ok(None) => return ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("plimsoll-probe: {e}");
            return ExitCode::from(2);
        }
    };
    let mut root = Root::new(&args.root);
    if let Some(dir) = &args.record {
        root = root.recording_into(dir);
    }
    let report = plimsoll_probe::probe(&root, args.which, args.target);
    if args.json {
        match serde_json::to_string_pretty(&report) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("plimsoll-probe: cannot write JSON: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        print!("{}", plimsoll_probe::summary::render(&report));
    }
    ExitCode::SUCCESS
}
