#!/usr/bin/env python3
"""Bulk ``registry import`` of every official text in ../shared/lawtexts, through the real command.

    .venv/bin/python bench/import_bulk.py [--root DIR] [--keep]

Builds a scratch corpus (the bundled reference files plus test-only codes for
the other provinces and an ``other`` topic) and a SQLite database, writes a CSV
manifest for the LawRefBook folders (which state no jurisdiction code, topic,
kind, effective date or source page) — the flk texts bring their own metadata
and get only a topic (and, for the two repealed 2020 decisions, the repeal
date) — then runs ``registry import ROOT --manifest … --corpus … --no-index
--json`` once as a subprocess and prints the time and the result.  Then
``registry load`` of the written corpus must add and correct nothing.

The bench manifest's dates for LawRefBook texts are the file-name date, else
the latest date of the text's header: stand-ins so the whole collection goes
through the command, not facts about the texts.  Nothing is written outside a
temporary folder (kept with ``--keep``).  Exits 2 when the folder is absent.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.corpus.officialtext import OfficialTextError, read_official_text  # noqa: E402

FOLDERS = {
    "shanghai": ("CN-SH", None),
    "zhejiang": ("CN-ZJ", None),
    "beijing": ("CN-BJ", "北京市"),
    "shandong": ("CN-SD", "山东省"),
    "henan": ("CN-HA", "河南省"),
    "guangdong": ("CN-GD", "广东省"),
    "chongqing": ("CN-CQ", "重庆市"),
}
TOPICS = [
    ("environment", "污染|环境|生态|水|大气|森林|野生|湿地|海洋"),
    ("data", "数据|信息|数字|网络|电子"),
    ("finance", "金融|贷款|融资|资金|税"),
    ("energy", "能源|节约|电力|节能|煤"),
]
FILE_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)\.md$")
#: The two 2020 demonstration-zone decisions are 已废止: the 2024 regulations repealed them (art. 66) on taking effect.
REPEALED = {"jiangsu": "2024-05-01", "zhejiang": "2024-05-01"}


def topic_of(title: str) -> str:
    for topic, pattern in TOPICS:
        if re.search(pattern, title):
            return topic
    return "other"


def scratch_corpus(corpus: Path) -> None:
    corpus.mkdir(parents=True)
    bundled = ROOT / "rules_corpus"
    jur = (bundled / "jurisdictions.yaml").read_text(encoding="utf-8")
    for code, name in FOLDERS.values():
        if name:
            jur += f"- code: {code}\n  name_zh: {name}\n  level: province\n  parent: CN\n"
    (corpus / "jurisdictions.yaml").write_text(jur, encoding="utf-8")
    topics = (bundled / "topics.yaml").read_text(
        encoding="utf-8"
    ) + "- code: other\n  name_zh: 其他\n  name_en: Other\n"
    (corpus / "topics.yaml").write_text(topics, encoding="utf-8")
    shutil.copy(bundled / "parameters.yaml", corpus / "parameters.yaml")


def write_manifest(root: Path, target: Path) -> int:
    rows = []
    for path in sorted(p for p in root.rglob("*.md") if p.name != "README.md"):
        rel = path.relative_to(root).as_posix()
        try:
            ot = read_official_text(path)
        except OfficialTextError:
            rows.append({"path": rel})  # refused by the command too ("no articles found")
            continue
        if rel.startswith("flk/"):
            repealed = REPEALED.get(path.parent.name, "") if ot.meta and ot.meta.status == "已废止" else ""
            rows.append({"path": rel, "topic": topic_of(ot.title), "repealed": repealed})
            continue
        code, _ = FOLDERS[rel.split("/")[0]]
        m = FILE_DATE.search(path.name)
        date = m[1] if m else (max(d.date for d in ot.dates).isoformat() if ot.dates else "")
        rows.append(
            {
                "path": rel,
                "jurisdiction": code,
                "topic": topic_of(ot.title),
                "kind": "local_regulation",
                "effective": date,
                "source_url": "https://flk.npc.gov.cn/",
            }
        )
    fields = ["path", "jurisdiction", "topic", "kind", "effective", "repealed", "source_url"]
    with target.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in fields})
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT.parent / "shared" / "lawtexts")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder and print its path")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        print(f"{args.root} is absent", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="registry-import-bulk-"))
    corpus = tmp / "corpus"
    scratch_corpus(corpus)
    manifest = tmp / "manifest.csv"
    entries = write_manifest(args.root, manifest)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'registry.sqlite3'}",
        "REGISTRY_CORPUS": str(corpus),
        "REGISTRY_INDEX": str(tmp / "index"),
        "SECRET_KEY": "bench",
    }
    registry = str(Path(sys.executable).with_name("registry"))
    subprocess.run([registry, "load", "--no-index"], env=env, check=True, capture_output=True)
    cmd = [registry, "import", str(args.root), "--manifest", str(manifest), "--no-index", "--json"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    try:
        result = json.loads(proc.stdout)
    except json.JSONDecodeError:
        print(proc.stderr, file=sys.stderr)
        return 1
    articles = sum(item["articles"] for item in result["imported"])
    reasons: dict[str, int] = {}
    for item in result["refused"]:
        key = re.sub(r"[（(].*", "", item["reason"])[:90]
        reasons[key] = reasons.get(key, 0) + 1
    t1 = time.perf_counter()
    reload = subprocess.run([registry, "load", "--no-index", "--json"], env=env, capture_output=True, text=True)
    reload_s = time.perf_counter() - t1
    loaded = json.loads(reload.stdout) if reload.returncode == 0 else None

    print(f"texts:      {entries} (manifest entries)")
    rules = len({item["id"] for item in result["imported"]})
    print(
        f"imported:   {len(result['imported'])} versions of {rules} rules "
        f"({len(result['imported']) - rules} later/earlier versions of a rule by title), {articles} articles"
    )
    print(f"unchanged:  {len(result['unchanged'])}")
    print(f"refused:    {len(result['refused'])} (exit {proc.returncode})")
    for reason, n in sorted(reasons.items(), key=lambda x: -x[1]):
        print(f"  {n:5d}  {reason}")
    print(f"time:       {elapsed:.1f} s for registry import ({1000 * elapsed / max(1, entries):.1f} ms per text)")
    if loaded is None:
        print(f"reload:     FAILED\n{reload.stderr}")
    else:
        print(
            f"reload:     registry load of the written corpus: {loaded['versions_added']} added, "
            f"{loaded['versions_corrected']} corrected, {loaded['versions_unchanged']} unchanged ({reload_s:.1f} s)"
        )
    if args.keep:
        print(f"kept:       {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    ok = loaded is not None and loaded["versions_added"] == 0 and loaded["versions_corrected"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
