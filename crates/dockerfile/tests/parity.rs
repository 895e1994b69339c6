//! Rule parity with Trivy and hadolint, measured on their own test data.
//!
//! * Trivy (`$PLIMSOLL_CORPORA/trivy-check-examples`, MIT): each check's good and bad example
//!   Dockerfiles. Every bad example must fire the plimsoll rule(s) that reference that check
//!   and every good example must not, except the known exceptions listed (with the reason) in
//!   [`TRIVY_EXCEPTIONS`].
//! * hadolint (`$PLIMSOLL_CORPORA/hadolint-cases`, extracted from hadolint's GPL-3.0 spec
//!   files): read here at test time only, never copied into the repository. Each case is a
//!   snippet, a DL rule and "fires"/"no-fire". Overall agreement must stay above
//!   [`HADOLINT_AGREEMENT_FLOOR`]; disagreements are printed (most are deliberate differences,
//!   documented in docs/parity.md and BENCHMARKS.md).
//!
//! The mapping between tools comes from each rule's `references` (`rules::metas()`), the same
//! table `# hadolint ignore=` pragmas and docs/parity.md use, so a wrong reference shows up
//! here as a disagreement. Run with `-- --nocapture` to see the agreement tables.

use plimsoll_core::config::ImagePolicy;
use plimsoll_core::RuleMeta;
use plimsoll_dockerfile::{parse, rules};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Trivy examples on which plimsoll deliberately disagrees: (example file, reason).
/// Each entry must still disagree, so a fixed rule forces its exception to be removed.
/// Empty: plimsoll agrees with all 45 examples of the 22 checks that have examples.
const TRIVY_EXCEPTIONS: &[(&str, &str)] = &[];

/// Trivy checks with examples that no plimsoll rule references: (check id, reason).
const TRIVY_UNMAPPED: &[(&str, &str)] = &[];

/// Minimum share of hadolint cases (mapped rules, parsable snippets) on which plimsoll agrees.
/// Measured 759/782 = 97.1%; BENCHMARKS.md explains every disagreement (most are deliberate:
/// DF031 also flags installing sudo, DF038 does not count `pkg>=1` as a pin, artefact-export
/// stages need no HEALTHCHECK, …). Raise it when agreement improves.
const HADOLINT_AGREEMENT_FLOOR: f64 = 0.96;

// --- corpus location ----------------------------------------------------------------------

/// `$PLIMSOLL_CORPORA`, or `<workspace>/../shared/corpora`; `None` (after a loud message)
/// when absent, unless `PLIMSOLL_REQUIRE_CORPORA=1`.
fn corpus(sub: &str) -> Option<PathBuf> {
    plimsoll_testkit::corpora::locate(sub)
}

// --- mapping other tools' ids to plimsoll rules ----------------------------------------------

/// Other tool's id → plimsoll rule ids that reference it, for one tool.
fn mapping(
    ids_of: impl Fn(&RuleMeta) -> &'static [&'static str],
) -> BTreeMap<String, Vec<&'static str>> {
    let mut map: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
    for meta in rules::metas() {
        for id in ids_of(meta) {
            map.entry(normalise_id(id)).or_default().push(meta.id);
        }
    }
    map
}

/// `AVD-DS-0002` and `DS-0002` name the same Trivy check.
fn normalise_id(id: &str) -> String {
    id.trim().trim_start_matches("AVD-").to_ascii_uppercase()
}

// --- running plimsoll on one snippet ---------------------------------------------------------

/// Whether any of `rule_ids` fires on `bytes`; `Err` with the parse error when it does not parse.
fn fires(
    path: &str,
    bytes: &[u8],
    rule_ids: &[&str],
    policy: &ImagePolicy,
) -> Result<bool, String> {
    let file = parse(path, bytes).map_err(|e| {
        let at = e
            .span
            .map(|s| format!(":{}", s.start.line))
            .unwrap_or_default();
        format!("{path}{at}: {e}")
    })?;
    Ok(rules::audit(&file, policy)
        .iter()
        .any(|f| rule_ids.contains(&f.rule_id)))
}

// --- agreement bookkeeping -------------------------------------------------------------------

#[derive(Default)]
struct Row {
    mapped_to: String,
    cases: usize,
    agree: usize,
    disagree: usize,
    unparsable: usize,
}

#[derive(Default)]
struct Tally {
    rows: BTreeMap<String, Row>,
    disagreements: Vec<String>,
    unparsable: Vec<String>,
}

impl Tally {
    fn record(
        &mut self,
        rule: &str,
        mapped: &[&str],
        id: &str,
        expect_fire: bool,
        got: Result<bool, String>,
        note: &str,
    ) {
        let row = self.rows.entry(rule.to_string()).or_default();
        row.mapped_to = mapped.join("+");
        row.cases += 1;
        match got {
            Ok(fired) if fired == expect_fire => row.agree += 1,
            Ok(fired) => {
                row.disagree += 1;
                self.disagreements.push(format!(
                    "{id} ({rule} → {}): expected {}, plimsoll {} — {note}",
                    row.mapped_to,
                    if expect_fire { "fires" } else { "no-fire" },
                    if fired { "fires" } else { "does not fire" },
                ));
            }
            Err(err) => {
                row.unparsable += 1;
                self.unparsable.push(format!(
                    "{id} ({rule}, expected {}): {err}",
                    if expect_fire { "fires" } else { "no-fire" }
                ));
            }
        }
    }

    fn agreement(&self) -> (usize, usize) {
        let agree = self.rows.values().map(|r| r.agree).sum();
        let decided = self.rows.values().map(|r| r.agree + r.disagree).sum();
        (agree, decided)
    }

    fn table(&self, tool: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "\n{tool} parity (per {tool} rule):");
        let _ = writeln!(
            out,
            "{:<10} {:<14} {:>5} {:>5} {:>8} {:>10}",
            "rule", "plimsoll", "cases", "agree", "disagree", "unparsable"
        );
        for (rule, r) in &self.rows {
            let _ = writeln!(
                out,
                "{:<10} {:<14} {:>5} {:>5} {:>8} {:>10}",
                rule, r.mapped_to, r.cases, r.agree, r.disagree, r.unparsable
            );
        }
        let (agree, decided) = self.agreement();
        let _ = writeln!(
            out,
            "overall: {agree}/{decided} agree ({:.1}%), {} unparsable",
            percent(agree, decided),
            self.unparsable.len()
        );
        for d in &self.disagreements {
            let _ = writeln!(out, "  disagree: {d}");
        }
        for u in &self.unparsable {
            let _ = writeln!(out, "  unparsable: {u}");
        }
        out
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

// --- Trivy -------------------------------------------------------------------------------------

#[test]
fn trivy_check_examples() {
    let Some(dir) = corpus("trivy-check-examples") else {
        return;
    };
    let map = mapping(|m| m.references.trivy);
    let manifest = read_json(&dir.join("manifest.json"));
    let entries = manifest.as_array().map(Vec::as_slice).unwrap_or_default();
    assert!(!entries.is_empty(), "empty manifest in {}", dir.display());

    let policy = ImagePolicy::default();
    let mut tally = Tally::default();
    let mut unmapped = BTreeMap::<String, usize>::new();
    let mut without_examples = Vec::new();
    for entry in entries {
        let id = normalise_id(str_field(entry, "id"));
        let file = str_field(entry, "file");
        if file.is_empty() {
            without_examples.push(id);
            continue;
        }
        let Some(mapped) = map.get(&id) else {
            *unmapped.entry(id).or_default() += 1;
            continue;
        };
        let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let expect_fire = str_field(entry, "expect") == "fires";
        let got = fires(file, &bytes, mapped, &policy);
        tally.record(
            &id,
            mapped,
            file,
            expect_fire,
            got,
            str_field(entry, "check"),
        );
    }
    println!("{}", tally.table("Trivy"));
    println!("Trivy checks without examples (not measured): {without_examples:?}");

    // Every check with examples is covered by some rule, unless explained.
    let explained: Vec<&str> = TRIVY_UNMAPPED.iter().map(|(id, _)| *id).collect();
    let missing: Vec<&String> = unmapped
        .keys()
        .filter(|id| !explained.contains(&id.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "Trivy checks no plimsoll rule references: {missing:?}"
    );

    // Trivy examples are real BuildKit input: they must all parse.
    assert!(
        tally.unparsable.is_empty(),
        "Trivy examples failed to parse: {:#?}",
        tally.unparsable
    );

    // Every disagreement is a listed exception, and every exception still disagrees.
    let known: Vec<&str> = TRIVY_EXCEPTIONS.iter().map(|(file, _)| *file).collect();
    let unexpected: Vec<&String> = tally
        .disagreements
        .iter()
        .filter(|d| !known.iter().any(|k| d.starts_with(&format!("{k} "))))
        .collect();
    assert!(
        unexpected.is_empty(),
        "unexpected disagreements with Trivy: {unexpected:#?}"
    );
    let stale: Vec<&&str> = known
        .iter()
        .filter(|k| {
            !tally
                .disagreements
                .iter()
                .any(|d| d.starts_with(&format!("{k} ")))
        })
        .collect();
    assert!(
        stale.is_empty(),
        "exceptions that now agree (remove them): {stale:?}"
    );
}

// --- hadolint ----------------------------------------------------------------------------------

/// hadolint's spec snippets are fragments (812 of 1,029 have no `FROM`), while every BuildKit
/// build needs a stage: prepend `FROM scratch` to those, so stage-scoped rules see them.
fn as_build(snippet: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(snippet);
    let has_from = text.lines().any(|l| {
        l.split_whitespace()
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("FROM"))
    });
    if has_from {
        snippet.to_vec()
    } else {
        let mut out = b"FROM scratch\n".to_vec();
        out.extend_from_slice(snippet);
        out
    }
}

/// The image policy a case's hadolint configuration asks for: `allowedRegistries = ["a", …]`
/// (DL3026) becomes `trusted_registries`; everything else is the default.
fn policy_for(config: &str) -> ImagePolicy {
    let mut policy = ImagePolicy::default();
    if let Some(start) = config.find("allowedRegistries") {
        let rest = &config[start..];
        let list = rest
            .find('[')
            .and_then(|open| {
                rest[open..]
                    .find(']')
                    .map(|close| &rest[open + 1..open + close])
            })
            .unwrap_or_default();
        policy.trusted_registries = list
            .split(',')
            .map(|s| s.trim().trim_matches('"').to_string())
            .filter(|s| !s.is_empty())
            .collect();
    }
    policy
}

#[test]
fn hadolint_cases() {
    let Some(dir) = corpus("hadolint-cases") else {
        return;
    };
    let map = mapping(|m| m.references.hadolint);
    let cases = std::fs::read_to_string(dir.join("cases.jsonl"))
        .unwrap_or_else(|e| panic!("cannot read {}/cases.jsonl: {e}", dir.display()));

    let mut tally = Tally::default();
    let mut onbuild = Tally::default();
    let mut not_covered = BTreeMap::<String, usize>::new();
    for line in cases.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("bad case line {line}: {e}"));
        let (rule, id, file) = (
            str_field(&case, "rule"),
            str_field(&case, "id"),
            str_field(&case, "file"),
        );
        let Some(mapped) = map.get(rule) else {
            *not_covered.entry(rule.to_string()).or_default() += 1;
            continue;
        };
        let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let policy = policy_for(str_field(&case, "config"));
        let got = fires(file, &as_build(&bytes), mapped, &policy);
        let expect_fire = str_field(&case, "expect") == "fires";
        let note = str_field(&case, "description");
        tally.record(rule, mapped, id, expect_fire, got.clone(), note);
        if case.get("onbuild_variant").and_then(Value::as_bool) == Some(true) {
            onbuild.record(rule, mapped, id, expect_fire, got, note);
        }
    }
    println!("{}", tally.table("hadolint"));
    let (ob_agree, ob_decided) = onbuild.agreement();
    println!(
        "of which ONBUILD variants: {ob_agree}/{ob_decided} agree ({:.1}%)",
        percent(ob_agree, ob_decided)
    );
    println!("hadolint rules no plimsoll rule references (cases not run): {not_covered:?}");

    let (agree, decided) = tally.agreement();
    assert!(decided > 0, "no hadolint case maps to a plimsoll rule");
    let share = agree as f64 / decided as f64;
    assert!(
        share >= HADOLINT_AGREEMENT_FLOOR,
        "hadolint agreement {agree}/{decided} = {:.1}% fell below the floor {:.1}%",
        100.0 * share,
        100.0 * HADOLINT_AGREEMENT_FLOOR
    );
}
