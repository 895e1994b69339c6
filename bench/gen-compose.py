#!/usr/bin/env python3
"""Generates N compose projects of realistic size for bench/compose.sh.

Each project is one real compose file of the corpus (shared/corpora/compose) in its own
directory, in its rebuilt repository layout: the files it uses (sibling .env, env_file,
extends/include targets, transitively, from relations.tsv) at their original relative paths,
and the stand-ins the corpus's config check created (config-check.tsv `stubbed`: empty build
folders and env files the repositories do not ship), so `docker-compose config` accepts every
project and both tools do real work. The compose files used are those docker-compose 1.29.2
accepts as is or after stubbing (131 of 205), taken round-robin; a file whose name `docker
compose` would not find by default is renamed `compose.yaml` so directory discovery finds it.
Each copy gets a comment line naming it, so no two files are byte-identical.

usage: gen-compose.py CORPUS_DIR OUT_DIR [N=1000]
Prints one line per project: the project directory and the compose file, tab-separated
(relative to OUT_DIR), for the script to hand to docker-compose.
"""

import csv
import os
import sys

DEFAULT_NAMES = {"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"}


def table(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def is_compose_name(name):
    for ext in (".yaml", ".yml"):
        if name.endswith(ext):
            stem = name[: -len(ext)]
            return any(stem == b or (stem.startswith(b + ".") and len(stem) > len(b) + 1)
                       for b in ("compose", "docker-compose"))
    return False


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    corpus, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    sources = {r["file"]: r for r in table(os.path.join(corpus, "SOURCES.tsv"))}
    relations = table(os.path.join(corpus, "relations.tsv"))
    checks = table(os.path.join(corpus, "config-check.tsv"))
    usable = [c for c in checks
              if c["result"] == "accepted"
              or c["result_after_stubbing_missing_build_dirs_and_env_files"] == "accepted"]
    if not usable:
        sys.exit("no usable compose files in the corpus")

    def related(file):
        out, todo, seen = {}, [file], set()
        while todo:
            f = todo.pop()
            if f in seen:
                continue
            seen.add(f)
            for r in relations:
                if r["from_file"] == f and not r["to_file"].startswith("("):
                    out[r["target_path_in_repo"]] = r["to_file"]
                    todo.append(r["to_file"])
        return out

    def read(file):
        with open(os.path.join(corpus, "files", file), encoding="utf-8") as f:
            return f.read()

    os.makedirs(out, exist_ok=True)
    for i in range(n):
        check = usable[i % len(usable)]
        src = sources[check["file"]]
        main_path = src["original_path"]
        repo_dir = os.path.join(out, f"p{i:04d}")
        files = {main_path: check["file"], **related(check["file"])}
        main_dir, main_name = os.path.split(main_path)
        if not is_compose_name(main_name):
            renamed = os.path.join(main_dir, "compose.yaml")
            if renamed in files:
                sys.exit(f"{check['file']}: cannot rename to compose.yaml, the name is taken")
            files[renamed] = files.pop(main_path)
            main_path, main_name = renamed, "compose.yaml"
        for path, file in files.items():
            dest = os.path.join(repo_dir, path)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            text = read(file)
            if path == main_path:
                text = f"# bench copy {i} of {check['file']}\n{text}"
            with open(dest, "w", encoding="utf-8") as f:
                f.write(text)
        for stub in filter(None, check["stubbed"].split(", ")):
            kind, _, path = stub.partition(":")
            dest = os.path.join(repo_dir, path)
            if kind == "dir":
                os.makedirs(dest, exist_ok=True)
            elif kind == "empty-file":
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                open(dest, "a").close()
        print(f"{os.path.relpath(os.path.join(repo_dir, main_dir), out)}\t{main_name}")


if __name__ == "__main__":
    main()
