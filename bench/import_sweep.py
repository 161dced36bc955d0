"""Sweep ``registry import``'s reader over every official text in ../shared/lawtexts.

    .venv/bin/python bench/import_sweep.py [--root DIR] [--verbose]

Each text (both formats: LawRefBook Markdown and flk with YAML front matter) is
read with ``read_official_text``; its article count is checked against an
independent count of the paragraphs that start with 第<numeral>条 in the raw file
(or, in a decision without any, of its numbered paragraphs 一、二、… in sequence),
and the body is parsed back with ``parse_body``.  Prints the files
parsed and refused (by reason), the articles, the mismatches and the time.
Exits 1 on any mismatch, 2 when the folder is absent.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.corpus.numerals import to_chinese_numeral  # noqa: E402
from app.corpus.officialtext import OfficialTextError, read_official_text  # noqa: E402
from app.corpus.structure import parse_body  # noqa: E402

_ARTICLE_PARAGRAPH = re.compile(r"^第[零〇一二三四五六七八九十百千两]+条")
_DECISION_ITEM = re.compile(r"^([一二三四五六七八九十]+)、")


def article_paragraphs(raw: str) -> int:
    """Paragraphs starting with 第…条; in a text without any, the numbered paragraphs 一、二、… in sequence."""
    if raw.startswith("---\n"):
        raw = raw.split("\n---\n", 1)[1]  # the flk front matter
    lines = [
        line.strip(" \t\u3000").removeprefix(">").strip(" \t\u3000").replace("**", "").strip(" \t\u3000")
        for block in re.split(r"\n[ \t]*\n", raw)
        for line in block.split("\n")
    ]
    n = sum(1 for line in lines if _ARTICLE_PARAGRAPH.match(line))
    if n:
        return n
    for line in lines:
        m = _DECISION_ITEM.match(line.lstrip("#").strip(" \t\u3000"))
        if m and m[1] == to_chinese_numeral(n + 1):
            n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT.parent / "shared" / "lawtexts")
    parser.add_argument("--verbose", action="store_true", help="list refused files and warnings")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        print(f"{args.root} is absent", file=sys.stderr)
        return 2

    files = sorted(p for p in args.root.rglob("*.md") if p.name != "README.md")
    parsed = articles = chapters = with_warnings = 0
    refused: collections.Counter[str] = collections.Counter()
    mismatches: list[str] = []
    started = time.perf_counter()
    read_time = 0.0
    for path in files:
        expected = article_paragraphs(path.read_text(encoding="utf-8"))
        t0 = time.perf_counter()
        try:
            ot = read_official_text(path)
        except OfficialTextError as exc:
            read_time += time.perf_counter() - t0
            refused[str(exc)] += 1
            if args.verbose:
                print(f"refused: {path.relative_to(args.root)}: {exc}")
            if expected:
                mismatches.append(f"{path.relative_to(args.root)}: refused ({exc}) but {expected} articles")
            continue
        read_time += time.perf_counter() - t0
        parsed += 1
        articles += ot.article_count
        chapters += len(ot.body.chapters)
        if ot.warnings:
            with_warnings += 1
            if args.verbose:
                for warning in ot.warnings:
                    print(f"warning: {path.relative_to(args.root)}: {warning}")
        body, _ = parse_body(ot.body_markdown)
        if not (ot.article_count == expected == len(body.articles)):
            mismatches.append(
                f"{path.relative_to(args.root)}: read {ot.article_count}, parsed back {len(body.articles)}, "
                f"expected {expected}"
            )
    elapsed = time.perf_counter() - started

    print(f"files:      {len(files)}")
    print(f"parsed:     {parsed}")
    print(f"refused:    {sum(refused.values())}")
    for reason, n in refused.most_common():
        print(f"  {n:5d}  {reason}")
    print(f"articles:   {articles}")
    print(f"chapters:   {chapters} (编/章/节 headings)")
    print(f"warnings:   {with_warnings} file(s) with warnings (unreadable labels, duplicate numbers)")
    print(f"mismatches: {len(mismatches)}")
    for line in mismatches[:50]:
        print(f"  {line}")
    print(
        f"time:       {elapsed:.2f} s in all, {read_time:.2f} s in read_official_text "
        f"({1000 * read_time / max(1, len(files)):.2f} ms per file)"
    )
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
