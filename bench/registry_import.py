#!/usr/bin/env python3
"""Load the real texts for ``bench/search.py`` through the registry itself.

Every text in ``../shared/lawtexts`` goes through ``registry import`` into a
scratch corpus and SQLite database (with test-only codes for the other
provinces and topics), and the search documents are then read back from the
database exactly as the registry indexes them (``app.search.services.rule_docs``)::

    .venv/bin/python bench/search.py --corpus real --loader bench.registry_import:load_via_registry_import

Texts the importer refuses ("no articles found") are reported and skipped.
Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.search.documents import ArticleDoc  # noqa: E402
from bench.search import FOLDERS, REAL_TOPICS  # noqa: E402

DATE_RE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)\.md$")


def _topic(title: str) -> str:
    for topic, pattern in REAL_TOPICS:
        if re.search(pattern, title):
            return topic
    return "other"


def _reference_files(corpus: Path) -> None:
    jur = ["- code: CN\n  name_zh: 全国\n"] + [
        f"- code: {code}\n  name_zh: {folder}\n  parent: CN\n" for folder, code in FOLDERS.items()
    ]
    (corpus / "jurisdictions.yaml").write_text("".join(jur), encoding="utf-8")
    topics = sorted({t for t, _ in REAL_TOPICS} | {"other"})
    (corpus / "topics.yaml").write_text("".join(f"- code: {t}\n  name_zh: {t}\n" for t in topics), encoding="utf-8")
    (corpus / "parameters.yaml").write_text("[]\n", encoding="utf-8")


def load_via_registry_import(root: Path) -> Iterator[list[ArticleDoc]]:
    from app import create_app
    from app.cli import cli
    from app.search.services import all_docs

    tmp = Path(tempfile.mkdtemp(prefix="registry-import-bench-"))
    corpus = tmp / "corpus"
    corpus.mkdir()
    _reference_files(corpus)
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp / 'registry.sqlite3'}",
            "REGISTRY_CORPUS": str(corpus),
            "REGISTRY_INDEX": str(tmp / "index"),
            "SECRET_KEY": "bench",
        }
    )
    runner = app.test_cli_runner()
    assert runner.invoke(cli, ["load", "--no-index"]).exit_code == 0
    t0, imported, refused = time.perf_counter(), 0, 0
    for folder, code in FOLDERS.items():
        for path in sorted((root / folder).glob("*.md")):
            first = path.read_text(encoding="utf-8").lstrip().splitlines()[0].lstrip("# ").strip()
            m = DATE_RE.search(path.name)
            result = runner.invoke(
                cli,
                [
                    "import",
                    str(path),
                    "-j",
                    code,
                    "-t",
                    _topic(first),
                    "-k",
                    "local_regulation",
                    "--effective",
                    m[1] if m else "2000-01-01",
                    "--source-url",
                    "https://flk.npc.gov.cn/",
                    "--no-index",
                    "--json",
                ],
            )
            if result.exit_code == 0:
                imported += 1
            else:
                refused += 1
                print(f"skip {path.name}: {result.output.strip().splitlines()[0]}", file=sys.stderr)
    print(
        f"registry import: {imported} imported, {refused} refused in {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
        flush=True,
    )
    with app.app_context():
        from app.extensions import db

        docs, _innovations = all_docs(db())
    app.extensions["registry_engine"].dispose()
    by_rule: dict[str, list[ArticleDoc]] = {}
    for d in docs:
        by_rule.setdefault(d.rule_id, []).append(d)
    yield from by_rule.values()
