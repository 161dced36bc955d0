"""Bad input at scale: generated malformed corpus files through the loader and `registry load`.

Every defect (tests/fuzz/corpus_defects.py: 23 classes) must be refused naming its file and the
reason, `registry load` must exit 1 with the database digest unchanged, no YAML "code" may run,
and memory stays bounded by the size limit the loader enforces (files over 1 MB are never read).

`make test` runs CORPUS_DEFECTS=50 of them (spread over every class); `make soak` all (320).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from app.corpus.frontmatter import MAX_FILE_BYTES
from app.corpus.loader import read_corpus
from app.exceptions import CorpusError
from tests.fuzz.corpus_defects import CANARY, CLASSES, FIXTURE, Defect, Sparse, generate, place

COUNT = int(os.environ.get("CORPUS_DEFECTS", "50"))
ALL = generate()
DEFECTS = ALL if len(ALL) <= COUNT else ALL[:COUNT]


def _names(d: Defect) -> str:
    return f"{d.cls}:{d.rel!r}"


def _refusal_of(d: Defect, err: CorpusError) -> list[str]:
    """The problems that name the defect's file (as the file, or in the reason)."""
    return [str(p) for p in err.problems if p.file == d.rel or d.rel in p.reason]


def test_the_generator_covers_at_least_15_classes_and_300_files():
    counts = Counter(d.cls for d in ALL)
    assert len(ALL) >= 300 and len(counts) >= 15 and set(counts) == set(CLASSES)
    assert min(counts.values()) >= 10
    assert len({(d.rel, d.payload if d.replaces else None) for d in ALL}) == len(ALL)
    # the subset of `make test` still has every class
    assert {d.cls for d in ALL[:50]} == set(CLASSES)


@pytest.fixture
def fresh_corpus(tmp_path):
    n = iter(range(10**6))

    def make() -> Path:
        root = tmp_path / f"c{next(n)}"
        shutil.copytree(FIXTURE, root)
        return root

    return make


def test_each_defect_is_refused_by_the_loader_with_file_and_reason(fresh_corpus):
    CANARY.unlink(missing_ok=True)
    accepted, unnamed = [], []
    for d in DEFECTS:
        root = fresh_corpus()
        place(d, root)
        try:
            read_corpus(root)
        except CorpusError as err:
            mine = _refusal_of(d, err)
            if not mine or not any(d.reason.lower() in m.lower() for m in mine):
                unnamed.append((_names(d), d.reason, [str(p) for p in err.problems][:3]))
        else:
            accepted.append(_names(d))
        shutil.rmtree(root)
    assert accepted == []
    assert unnamed == []
    assert not CANARY.exists(), "a YAML tag ran code"


def test_all_defects_at_once_every_file_is_named(fresh_corpus):
    """One corpus holding every defect (reference-file ones aside): each is reported, in one run."""
    root = fresh_corpus()
    batch = [d for d in DEFECTS if not d.replaces]
    for d in batch:
        place(d, root)
    with pytest.raises(CorpusError) as info:
        read_corpus(root)
    missing = [_names(d) for d in batch if not _refusal_of(d, info.value)]
    assert missing == []
    assert not CANARY.exists()


def _digest(engine) -> str:
    """sha256 over every row of every table (rows sorted), the schema's whole content."""
    h = hashlib.sha256()
    with engine.connect() as conn:
        for table in sorted(inspect(conn).get_table_names()):
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
            h.update(table.encode())
            for row in sorted(repr(tuple(r)) for r in rows):
                h.update(row.encode())
    return h.hexdigest()


def _cli_subset() -> list[Defect]:
    """`registry load` is slower than the loader: make test takes the first of each class, soak all."""
    if len(ALL) <= COUNT:
        return ALL
    seen: Counter = Counter()
    out = []
    for d in DEFECTS:
        if seen[d.cls] < 1:
            out.append(d)
            seen[d.cls] += 1
    return out


def test_registry_load_refuses_each_defect_and_writes_nothing(app, runner, cli, corpus_dir, engine):
    first = runner.invoke(cli, ["load", "--no-index"])
    assert first.exit_code == 0, first.output
    before = _digest(engine)
    CANARY.unlink(missing_ok=True)
    failures = []
    for d in _cli_subset():
        saved = (corpus_dir / d.rel).read_bytes() if d.replaces else None
        path = place(d, corpus_dir)
        try:
            result = runner.invoke(cli, ["load", "--no-index"])
            err = result.stderr
            if result.exit_code != 1 or d.rel not in err or "Traceback" in result.output + err:
                failures.append((_names(d), result.exit_code, err[-300:]))
            elif not err.strip().splitlines()[-1].startswith("error: ") or "nothing was written" not in err:
                failures.append((_names(d), "no summary line", err[-300:]))
        finally:
            if saved is not None:
                path.write_bytes(saved)
            else:
                path.unlink()
        if _digest(engine) != before:
            failures.append((_names(d), "database changed"))
            break
    assert failures == []
    assert _digest(engine) == before
    assert not CANARY.exists()


def test_memory_is_bounded_by_the_size_limit(fresh_corpus):
    """Files of 50 MB and 2 GB (sparse), an alias bomb and a FIFO cost the loader no more than the 1 MB limit."""
    root = fresh_corpus()
    head = (FIXTURE / "rules/cn-sh/data/sample-data-rule.md").read_bytes()
    for i, size in enumerate((50_000_000, 2_000_000_000)):
        place(Defect("oversize", f"rules/cn-sh/data/huge-{i}.md", Sparse(head, size), "1 MB"), root)
    bombs = [d for d in ALL if d.cls in ("alias_bomb", "fifo", "symlink")]
    for d in bombs:
        place(d, root)
    read_corpus(FIXTURE)  # warm imports and caches outside the measurement
    tracemalloc.start()
    try:
        with pytest.raises(CorpusError) as info:
            read_corpus(root)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    reported = {p.file for p in info.value.problems}
    assert {"rules/cn-sh/data/huge-0.md", "rules/cn-sh/data/huge-1.md"} <= reported
    assert {d.rel for d in bombs} <= reported
    # the limit is what bounds memory: nothing near 50 MB was ever held
    assert peak < 2 * MAX_FILE_BYTES, peak
