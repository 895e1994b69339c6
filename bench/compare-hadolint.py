#!/usr/bin/env python3
"""Side-by-side findings of plimsoll and hadolint on the real-world Dockerfile corpus.

Runs both tools once on every corpus file (JSON output), maps hadolint codes to plimsoll rules
through the `references.hadolint` of `plimsoll rules --format json`, and prints, per plimsoll
rule that has a hadolint equivalent, how many places each tool flags, how many both flag, and
how many only one flags. A "place" is (file, instruction): each tool's reported line is mapped
to the first line of the instruction that contains it, because hadolint reports an instruction's
first line while plimsoll may point inside a continuation or heredoc. Several findings of one
rule on one instruction count once.

Examples of every disagreement class go to bench/out/compare-hadolint/ (gitignored) with the
instruction text and both tools' messages, and each disagreement is tagged with what is special
about its file or instruction (hadolint parse error, Windows/PowerShell, variables, heredoc, …)
so the classes can be explained in BENCHMARKS.md.

usage: bench/compare-hadolint.py [--examples N] [--hadolint-json FILE]
environment: PLIMSOLL (binary; default: `cargo build --release -p plimsoll`), HADOLINT (default
<repo>/.peers/bin/hadolint), PLIMSOLL_CORPORA (default <repo>/../shared/corpora).
Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"

# hadolint rules that default to "ignore" but have a plimsoll counterpart: enabled so the
# comparison is about semantics, not defaults.
ENABLE_HADOLINT = ["DL3057"]


def die(msg: str) -> None:
    print(f"compare-hadolint: error: {msg}", file=sys.stderr)
    sys.exit(2)


# --- locating the tools and the corpus ------------------------------------------------------


def plimsoll_binary() -> str:
    env = os.environ.get("PLIMSOLL")
    if env:
        return env
    print("building plimsoll (release)…", file=sys.stderr)
    r = subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "plimsoll"], cwd=ROOT)
    if r.returncode != 0:
        die("cargo build --release -p plimsoll failed")
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return str(target / "release" / "plimsoll")


def hadolint_binary() -> str:
    path = os.environ.get("HADOLINT", str(ROOT / ".peers" / "bin" / "hadolint"))
    if not os.access(path, os.X_OK):
        die(
            f"hadolint not found at {path}.\n  Install the peer tools into the gitignored .peers "
            f"folder:\n      ../shared/peers/install.sh {ROOT / '.peers'}\n  or set HADOLINT."
        )
    return path


def corpus_dir() -> Path:
    corpora = Path(os.environ.get("PLIMSOLL_CORPORA", ROOT.parent / "shared" / "corpora"))
    corpus = corpora / "real-dockerfiles"
    if not corpus.is_dir():
        die(f"corpus not found at {corpus} (set PLIMSOLL_CORPORA)")
    return corpus


# --- instruction extents ---------------------------------------------------------------------

HEREDOC = re.compile(r"<<(-?)\s*([\"']?)([A-Za-z0-9_.-]+)\2")
DIRECTIVE = re.compile(r"^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$")


def instruction_starts(text: str) -> list[int]:
    """For each 1-based line, the first line of the instruction containing it (0: none).

    A deliberately small approximation of BuildKit's line handling, good enough to put two
    tools' line numbers on the same instruction: parser directives (`# escape=`), line
    continuations with the escape character (comment and blank lines inside them belong to the
    instruction), and heredoc bodies of RUN/COPY/ADD.
    """
    lines = text.split("\n")
    escape = "\\"
    for line in lines:
        m = DIRECTIVE.match(line.strip())
        if not m:
            break
        if m.group(1).lower() == "escape":
            escape = m.group(2)[:1] or "\\"
    starts = [0] * (len(lines) + 1)
    current = 0  # first line of the instruction being read
    continuing = False
    heredocs: list[tuple[str, bool]] = []  # pending (terminator, strip-tabs)
    logical = ""  # text of the current instruction so far
    for i, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r")
        if heredocs:
            starts[i] = current
            term, strip = heredocs[0]
            if (line.lstrip("\t") if strip else line) == term:
                heredocs.pop(0)
            continue
        stripped = line.strip()
        if continuing:
            starts[i] = current
            if stripped.startswith("#") or not stripped:
                continue  # comments and blank lines inside a continuation
            logical += " " + stripped
        else:
            if not stripped or stripped.startswith("#"):
                continue
            current = i
            starts[i] = i
            logical = stripped
        continuing = stripped.endswith(escape)
        if not continuing:
            word = logical.split(None, 2)
            keyword = word[0].upper() if word else ""
            if keyword == "ONBUILD" and len(word) > 1:
                keyword = word[1].upper()
            if keyword in ("RUN", "COPY", "ADD"):
                heredocs = [(m.group(3), m.group(1) == "-") for m in HEREDOC.finditer(logical)]
    return starts


class Corpus:
    """The corpus files, their text and instruction extents (read once)."""

    def __init__(self, directory: Path):
        self.dir = directory
        self.files = sorted(
            p.name for p in directory.iterdir() if p.is_file() and p.name != "SOURCES.tsv"
        )
        self._text: dict[str, str] = {}
        self._starts: dict[str, list[int]] = {}

    def text(self, name: str) -> str:
        if name not in self._text:
            self._text[name] = (self.dir / name).read_bytes().decode("utf-8", "replace")
        return self._text[name]

    def start_of(self, name: str, line: int) -> int:
        if name not in self._starts:
            self._starts[name] = instruction_starts(self.text(name))
        starts = self._starts[name]
        if 1 <= line < len(starts) and starts[line]:
            return starts[line]
        return line

    def instruction_text(self, name: str, start: int, max_lines: int = 8) -> str:
        starts = self._starts.get(name) or instruction_starts(self.text(name))
        lines = self.text(name).split("\n")
        body = [
            lines[i - 1]
            for i in range(start, len(starts))
            if starts[i] == start or i == start
        ]
        more = len(body) - max_lines
        shown = body[:max_lines] + ([f"    … ({more} more lines)"] if more > 0 else [])
        return "\n".join(f"    {start + k:>4} | {l}" if not l.startswith("    …") else l
                         for k, l in enumerate(shown))


# --- running the tools -------------------------------------------------------------------------


def run(cmd: list[str], cwd: Path) -> str:
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        die(f"{cmd[0]} exited with {r.returncode}: {r.stderr.strip()[:2000]}")
    return r.stdout


def plimsoll_rules(binary: str) -> list[dict]:
    out = subprocess.run([binary, "rules", "--format", "json"], capture_output=True, text=True)
    if out.returncode != 0:
        die(f"`plimsoll rules --format json` failed: {out.stderr.strip()}")
    doc = json.loads(out.stdout)
    rules = doc.get("rules", doc) if isinstance(doc, dict) else doc
    return [r for r in rules if isinstance(r, dict)]


def ref_ids(rule: dict, tool: str) -> list[str]:
    refs = rule.get("references") or {}
    ids = refs.get(tool, []) if isinstance(refs, dict) else []
    if isinstance(ids, str):
        ids = [ids]
    return [i for i in ids if isinstance(i, str)]


def finding_fields(f: dict) -> tuple[str, str, int, str]:
    """(rule, file, line, message) of a plimsoll JSON finding, tolerant of the exact layout."""
    rule = f.get("rule_id") or f.get("rule") or f.get("id") or ""
    if isinstance(rule, dict):
        rule = rule.get("id", "")
    loc = f.get("location") or {}
    file = f.get("file") or f.get("path") or loc.get("path") or loc.get("file") or ""
    line = f.get("start_line") or f.get("line") or loc.get("start_line") or loc.get("line")
    if line is None:
        span = loc.get("span") or f.get("span") or {}
        line = (span.get("start") or {}).get("line")
    if line is None and isinstance(f.get("start"), dict):
        line = f["start"].get("line")
    return str(rule), str(file), int(line or 0), str(f.get("message", ""))


def plimsoll_findings(binary: str, corpus: Corpus) -> tuple[list[tuple], list[dict]]:
    cmd = [binary, "dockerfile", "--format", "json", "--fail-on", "never", "--no-config"]
    doc = json.loads(run(cmd + corpus.files, corpus.dir))
    raw = doc.get("findings", []) if isinstance(doc, dict) else doc
    errors = doc.get("errors", []) if isinstance(doc, dict) else []
    findings = []
    for f in raw:
        if f.get("suppressed"):
            continue
        rule, file, line, msg = finding_fields(f)
        findings.append((rule, os.path.basename(file), line, msg))
    return findings, errors


def hadolint_findings(binary: str, corpus: Corpus, cache: str | None) -> list[tuple]:
    """hadolint's findings; with `cache`, read from that file when it exists, else run hadolint
    (about 30-45 s) and save its output there."""
    if cache and os.path.exists(cache):
        print(f"reusing hadolint output from {cache}", file=sys.stderr)
        doc = json.load(open(cache))
    else:
        cmd = [binary, "--no-fail", "-f", "json"]
        for code in ENABLE_HADOLINT:
            cmd += ["--warning", code]
        text = run(cmd + corpus.files, corpus.dir)
        if cache:
            Path(cache).write_text(text)
        doc = json.loads(text)
    return [(f["code"], os.path.basename(f["file"]), int(f["line"]), f["message"]) for f in doc]


# --- comparison ----------------------------------------------------------------------------------


def file_tags(corpus: Corpus, name: str, parse_failed: set[str]) -> list[str]:
    text = corpus.text(name)
    tags = []
    if name in parse_failed:
        tags.append("hadolint-parse-error")
    if re.search(r'(?im)^\s*SHELL\s*\[\s*"(powershell|pwsh|cmd)', text) or "windows" in name:
        tags.append("windows")
    return tags


def instr_tags(corpus: Corpus, name: str, start: int) -> list[str]:
    body = corpus.instruction_text(name, start, max_lines=10_000)
    tags = []
    if "$" in body:
        tags.append("variable")
    if re.search(r"<<-?\s*[\"']?[A-Za-z]", body):
        tags.append("heredoc")
    lines = corpus.text(name).split("\n")
    if start >= 2 and re.search(r"hadolint\s+ignore", lines[start - 2]):
        tags.append("hadolint-pragma")
    return tags


def compare(args: argparse.Namespace) -> dict:
    corpus = Corpus(corpus_dir())
    hadolint = hadolint_binary()  # first: fail before spending minutes on a build
    plimsoll = plimsoll_binary()

    rules = plimsoll_rules(plimsoll)
    dl_to_df: dict[str, list[str]] = collections.defaultdict(list)
    df_to_dl: dict[str, list[str]] = {}
    for r in rules:
        dls = ref_ids(r, "hadolint")
        if dls and str(r.get("id", "")).startswith("DF"):
            df_to_dl[r["id"]] = dls
            for dl in dls:
                dl_to_df[dl].append(r["id"])

    print(f"running plimsoll and hadolint on {len(corpus.files)} files…", file=sys.stderr)
    p_raw, p_errors = plimsoll_findings(plimsoll, corpus)
    h_raw = hadolint_findings(hadolint, corpus, args.hadolint_json)
    parse_failed = {f for code, f, _, _ in h_raw if code == "DL1000"}

    # place -> messages, per tool, per rule
    p_places: dict[str, dict[tuple, list[str]]] = collections.defaultdict(dict)
    for rule, f, line, msg in p_raw:
        key = (f, corpus.start_of(f, line))
        p_places[rule].setdefault(key, []).append(f"{rule} line {line}: {msg}")
    h_places: dict[str, dict[tuple, list[str]]] = collections.defaultdict(dict)
    for code, f, line, msg in h_raw:
        key = (f, corpus.start_of(f, line))
        h_places[code].setdefault(key, []).append(f"{code} line {line}: {msg}")

    OUT.mkdir(parents=True, exist_ok=True)
    examples_dir = OUT / "compare-hadolint"
    examples_dir.mkdir(exist_ok=True)
    for old in examples_dir.glob("*.txt"):
        old.unlink()

    rows = []
    for df in sorted(df_to_dl):
        dls = df_to_dl[df]
        hp: dict[tuple, list[str]] = {}
        for dl in dls:
            for k, v in h_places.get(dl, {}).items():
                hp.setdefault(k, []).extend(v)
        pp = p_places.get(df, {})
        both = hp.keys() & pp.keys()
        only_h = sorted(hp.keys() - pp.keys())
        only_p = sorted(pp.keys() - hp.keys())
        h_files = {f for f, _ in hp}
        p_files = {f for f, _ in pp}
        row = {
            "rule": df,
            "hadolint_codes": dls,
            "hadolint": len(hp),
            "plimsoll": len(pp),
            "both": len(both),
            "only_hadolint": len(only_h),
            "only_plimsoll": len(only_p),
            "files_both": len(h_files & p_files),
            "files_either": len(h_files | p_files),
            "per_code": {dl: {"hadolint": len(h_places.get(dl, {})),
                              "also_plimsoll": len(h_places.get(dl, {}).keys() & pp.keys())}
                         for dl in dls},
            "tags": {},
        }
        for cls, places, mine, theirs in (
            ("only-hadolint", only_h, hp, pp),
            ("only-plimsoll", only_p, pp, hp),
        ):
            tags = collections.Counter()
            lines = []
            for f, start in places:
                t = file_tags(corpus, f, parse_failed) + instr_tags(corpus, f, start)
                if any(k[0] == f for k in theirs):
                    t.append("other-tool-fires-elsewhere-in-file")
                tags.update(t or ["(untagged)"])
                if len(lines) < args.examples * 12:
                    lines.append(f"{f}:{start}  [{', '.join(t) or 'untagged'}]")
                    lines.extend(f"  {m}" for m in mine[(f, start)])
                    lines.append(corpus.instruction_text(f, start))
                    lines.append("")
            row["tags"][cls] = dict(tags.most_common())
            if places:
                head = (f"# {df} vs {'+'.join(dls)}: {cls}, {len(places)} places "
                        f"(first {min(len(places), args.examples)} shown)\n"
                        f"# tags: {dict(tags.most_common())}\n\n")
                body = "\n".join(lines[: args.examples * 12])
                (examples_dir / f"{df}.{cls}.txt").write_text(head + body + "\n")
        rows.append(row)

    unmapped_h = collections.Counter()
    for code, places in h_places.items():
        if code not in dl_to_df:
            unmapped_h[code] = len(places)
    unmapped_p = collections.Counter()
    for rule, places in p_places.items():
        if rule not in df_to_dl:
            unmapped_p[rule] = len(places)

    summary = {
        "files": len(corpus.files),
        "hadolint_findings": len(h_raw),
        "plimsoll_findings": len(p_raw),
        "hadolint_parse_errors": sorted(parse_failed),
        "plimsoll_errors": p_errors,
        "rows": rows,
        "hadolint_only_codes": dict(unmapped_h.most_common()),
        "plimsoll_only_rules": dict(unmapped_p.most_common()),
    }
    (OUT / "compare-hadolint.json").write_text(json.dumps(summary, indent=1))
    return summary


def print_tables(s: dict) -> None:
    print(f"corpus: {s['files']} files; hadolint {s['hadolint_findings']} findings, "
          f"plimsoll {s['plimsoll_findings']} findings")
    print(f"hadolint parse errors (DL1000): {len(s['hadolint_parse_errors'])} files; "
          f"plimsoll input errors: {len(s['plimsoll_errors'])}")
    print()
    print("Places = distinct (file, instruction). Matched when both tools flag the same instruction.")
    print()
    print("| plimsoll | hadolint | hadolint places | plimsoll places | both | only hadolint | "
          "only plimsoll | files both / either |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for r in s["rows"]:
        codes = ", ".join(
            f"{dl} ({c['hadolint']}→{c['also_plimsoll']})" if len(r["hadolint_codes"]) > 1 else dl
            for dl, c in r["per_code"].items()
        )
        print(f"| {r['rule']} | {codes} | {r['hadolint']} | {r['plimsoll']} | {r['both']} | "
              f"{r['only_hadolint']} | {r['only_plimsoll']} | {r['files_both']} / {r['files_either']} |")
    print()
    print("(for several codes: `DLxxxx (n→m)` = hadolint places of that code → of which plimsoll "
          "flags m)")
    print()
    print("Disagreement tags (what is special about the file/instruction):")
    for r in s["rows"]:
        for cls, tags in r["tags"].items():
            if tags:
                print(f"  {r['rule']} {cls}: {tags}")
    print()
    print("hadolint codes without a plimsoll equivalent (places):", s["hadolint_only_codes"])
    print("plimsoll rules without a hadolint equivalent (places):", s["plimsoll_only_rules"])
    print()
    print("examples: bench/out/compare-hadolint/<rule>.<class>.txt; summary: "
          "bench/out/compare-hadolint.json")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--examples", type=int, default=15,
                    help="examples written per rule and disagreement class (default 15)")
    ap.add_argument("--hadolint-json", metavar="FILE",
                    help="reuse hadolint's JSON output from FILE if it exists, else save it there")
    args = ap.parse_args()
    print_tables(compare(args))


if __name__ == "__main__":
    main()
