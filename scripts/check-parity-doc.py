#!/usr/bin/env python3
"""Checks that docs/parity.md and the rule registry's cross-references agree.

docs/parity.md has one table per peer tool (hadolint, Trivy, Checkov, Dockle, BuildKit, KICS,
CIS section 5) whose first column is the peer's check id (KICS: the query name, with its id in
the second column) and whose "plimsoll" column names the covering rule(s) ("DF001",
"partly: DF047, DF039", "not covered"). The registry (`plimsoll rules --format json`)
gives each rule's `references`. This script reports:

* a row that says a rule covers a check but the rule does not reference it (or does not exist);
* a reference in the registry that the page does not list on that check's row;
* the covered / partly / not-covered counts per tool (to keep the page's summaries honest).

usage: scripts/check-parity-doc.py [--plimsoll BIN] [--rules-json FILE]
Exit status 1 when they disagree. Python 3 standard library only.
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
DOC = ROOT / "docs" / "parity.md"

# Heading prefix of each peer's section → key in `references`.
SECTIONS = {
    "## hadolint": "hadolint",
    "## Trivy": "trivy",
    "## Checkov": "checkov",
    "## Dockle": "dockle",
    "## BuildKit": "buildkit",
    "## KICS": "kics",
    "## CIS Docker Benchmark": "cis",
}
RULE_ID = re.compile(r"\b((?:DF|RS|PL|DM|HS)\d{3})\b")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-")
# KICS query ids (8-hex prefix) → query names, filled from the page's KICS table.
KICS_IDS: dict[str, str] = {}


def norm(tool: str, ident: str) -> str:
    ident = ident.strip().strip("`")
    if tool == "trivy":
        ident = ident.removeprefix("AVD-")
    if tool == "kics" and UUID.match(ident):
        ident = KICS_IDS.get(ident[:8], ident)
    return re.sub(r"\s*\(experimental\)", "", ident)


def load_rules(args: argparse.Namespace) -> list[dict]:
    if args.rules_json:
        text = Path(args.rules_json).read_text()
    else:
        binary = args.plimsoll or os.environ.get("PLIMSOLL")
        if not binary:
            target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
            binary = str(target / "release" / "plimsoll")
        r = subprocess.run([binary, "rules", "--format", "json"], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"`{binary} rules --format json` failed: {r.stderr.strip()}")
        text = r.stdout
    doc = json.loads(text)
    rules = doc.get("rules", doc) if isinstance(doc, dict) else doc
    return [r for r in rules if isinstance(r, dict)]


def doc_rows() -> dict[str, dict[str, tuple[str, list[str]]]]:
    """tool → peer id → (status, [DF ids]) from the page's tables."""
    rows: dict[str, dict[str, tuple[str, list[str]]]] = collections.defaultdict(dict)
    tool = None
    plimsoll_col = None
    for line in DOC.read_text().splitlines():
        if line.startswith("## "):
            tool = next((t for h, t in SECTIONS.items() if line.startswith(h)), None)
            plimsoll_col = None
            continue
        if not tool or not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if plimsoll_col is None:
            if "plimsoll" in cells:
                plimsoll_col = cells.index("plimsoll")
            continue
        if set(cells[0]) <= set("-: "):
            continue
        ident = norm(tool, cells[0])
        if tool == "kics":
            KICS_IDS[cells[1].strip()] = ident
        elif tool == "cis":
            if not re.match(r"^5\.\d+$", ident):
                continue
        elif not re.match(r"^(DL|DS-|CKV|CIS-|DKL-|[A-Z][a-zA-Z]+$)", ident):
            continue  # e.g. the SC*** row
        cell = cells[plimsoll_col]
        status = ("not covered" if cell.startswith("not covered")
                  else "partly" if cell.startswith("partly") else "covered")
        rows[tool][ident] = (status, RULE_ID.findall(cell))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--plimsoll", help="plimsoll binary (default $PLIMSOLL or target/release)")
    ap.add_argument("--rules-json", help="read `plimsoll rules --format json` output from FILE")
    args = ap.parse_args()

    rules = load_rules(args)
    rows = doc_rows()  # first: it learns the KICS id → name table
    refs: dict[str, dict[str, set[str]]] = collections.defaultdict(lambda: collections.defaultdict(set))
    known = set()
    for r in rules:
        rid = str(r.get("id", ""))
        known.add(rid)
        if r.get("stage") == "inside":
            continue  # PB rules check the same items from inside a container: docs/probe.md
        for tool, ids in (r.get("references") or {}).items():
            for ident in ids.split(", ") if isinstance(ids, str) else ids:
                if tool == "cis" and not ident.startswith("5."):
                    continue  # only section 5 has a table here
                refs[tool][norm(tool, ident)].add(rid)

    problems = []
    for tool, table in rows.items():
        counts = collections.Counter(status for status, _ in table.values())
        covering = {df for status, dfs in table.values() if status == "covered" for df in dfs}
        print(f"{tool}: {len(table)} checks — {counts['covered']} covered (by {len(covering)} "
              f"rules), {counts['partly']} partly, {counts['not covered']} not covered")
        for ident, (status, dfs) in table.items():
            for df in dfs:
                if df not in known:
                    problems.append(f"{tool} {ident}: page names {df}, which is not in the registry")
                elif status == "covered" and df not in refs[tool].get(ident, set()):
                    problems.append(f"{tool} {ident}: page says {df} covers it, "
                                    f"but {df} does not reference {ident}")
        for ident, dfs in refs.get(tool, {}).items():
            row = table.get(ident)
            if row is None:
                problems.append(f"{tool} {ident}: referenced by {sorted(dfs)} but not on the page")
                continue
            for df in dfs - set(row[1]):
                problems.append(f"{tool} {ident}: {df} references it but the page lists {row[1] or row[0]}")
    for p in problems:
        print("MISMATCH:", p)
    print(f"{len(problems)} mismatches")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
