"""compare_rules gives exactly what it gave before the N-way work was shared (issue 5).

Compare prepares the baseline once for every other rule (normalised and scoring texts,
bigram counts, unit encodings, phrase spans), builds no ops, and reuses the cell of a 1:1
pair of texts already diffed for an earlier rule.  None of this may change the
``/compare`` document.  Two checks:

* **pinned**: SHA-256 digests (first 16 hex digits) of the canonical JSON of
  ``compare_rules`` outputs, recorded from the engine as it was before that work
  (commit 6537fd8), on the benchmark's rules (bench/diff.py, seed 20250101), on every
  fixture pair (A against [B]; B against [A, A, B], where the repeated rule id makes the
  keys version ids) and, when ../shared/lawtexts is present, on the three real pairs.
  Regenerate them only when the output is *meant* to change;
* **projection**: the compare document equals the one assembled from independent pairwise
  ``diff_rules`` calls (each with its own caches), cell by cell.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import pytest
import yaml

from app.diff import RuleSide, compare_rules, diff_rules

from .conftest import FIXTURES, side_from_yaml

_BENCH = Path(__file__).resolve().parents[2] / "bench" / "diff.py"

#: fixture -> (digest of compare_rules(A, [B]), digest of compare_rules(B, [A, A, B])).
FIXTURE_DIGESTS = {
    "added_renumbered": ("c382f6a56223fa4a", "1cfd052f3adc6d40"),
    "changed": ("ff23848cf8fead29", "c1de9554564d5424"),
    "cross_province": ("dac02d303cc5430f", "4198e0adbed49dd7"),
    "formatting_only": ("53c0491ea50bed25", "98a081947babdabd"),
    "formatting_variant_glyphs": ("da43af66162854fa", "1152db59e8768367"),
    "inserted_article_zhiyi": ("bdcecfee60e4b885", "f1a42f4d1c15d1ea"),
    "merged": ("2914372379c10f90", "40e6a480c1de5faa"),
    "moved": ("7bc93793645dc2ae", "069bf4c84d699d94"),
    "parameters": ("5f746dfc6f0335c8", "106d4344c2d9afdf"),
    "removed": ("e7d805f7f328fecd", "3374bbe120f5811c"),
    "same": ("53c0491ea50bed25", "98a081947babdabd"),
    "split": ("94488550b272217b", "87315459e250ca28"),
    "type_deadline": ("591da4c0d8bf0367", "08187f3d2b8214d8"),
    "type_definition": ("20b6b96355927c8e", "6a78fb581de583b8"),
    "type_modality": ("5daa2c1ad16f078e", "d063c19b93edd02d"),
    "type_number": ("88e2c2490275c7a8", "651eb52fab1fc1c6"),
    "type_order": ("25569fc5e2c9fb71", "3eb9525de044c5b1"),
    "type_penalty": ("151edcf23d4d882a", "3440b254a4d165c9"),
    "type_scope": ("18b231494cdb1de3", "9382732fabf11247"),
    "type_wording": ("0837220a2533b0a0", "b92b4ce3613a6778"),
}
#: articles -> (digest of compare_rules(A, [B, C, D]), digest of compare_rules(B, [A, D, C])).
BENCH_DIGESTS = {100: ("088c0d26621a64d0", "c9a976d79478b332"), 300: ("47860498a77e3122", "0b2f05fac48a1b4a")}
#: real pair -> digest of compare_rules(A, [B, A]); "air3": air A against [air B, business A, finance B].
REAL_DIGESTS = {
    "air-pollution-sh-zj": "34a3e7be340dc421",
    "air3": "a4328a4b7ad67e5f",
    "local-finance-sh-zj": "59bc8af39e03b541",
    "optimize-business-2020-2024": "1f949d630d7661c9",
}


def digest(doc: dict) -> str:
    return hashlib.sha256(json.dumps(doc, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def compare_from_diffs(baseline: RuleSide, others: list[RuleSide]) -> dict:
    """The ``/compare`` document assembled from one independent ``diff_rules`` per other rule."""
    ids = [o.id for o in others]
    keys = [o.version if ids.count(o.id) > 1 else o.id for o in others]
    row_of = {a.id: i for i, a in enumerate(baseline.articles)}
    rows = [{"baseline_article": a.id, "cells": {}} for a in baseline.articles]
    extra, summary = {}, {}
    for key, other in zip(keys, others, strict=True):
        d = diff_rules(baseline, other)
        counts = {"aligned": 0, "differing": 0, "missing": 0, "extra": len(d["only_in_b"])}
        for p in d["pairs"]:
            cell = {"articles": p["b_articles"], "similarity": p["similarity"], "differences": p["differences"]}
            for aid in p["a_articles"]:
                rows[row_of[aid]]["cells"][key] = cell
                counts["differing" if cell["differences"] else "aligned"] += 1
        for aid in d["only_in_a"]:
            rows[row_of[aid]]["cells"][key] = None
            counts["missing"] += 1
        extra[key] = d["only_in_b"]
        summary[key] = counts
    head = lambda s: {"id": s.id, "version": s.version, "title": s.title}  # noqa: E731
    return {"baseline": head(baseline), "rules": [head(o) for o in others], "rows": rows, "extra": extra,
            "summary": summary}  # fmt: skip


def _fixture(name: str) -> tuple[RuleSide, RuleSide]:
    case = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))
    return side_from_yaml(case["a"]), side_from_yaml(case["b"])


@pytest.fixture(scope="module")
def bench_cases() -> dict:
    spec = importlib.util.spec_from_file_location("bench_diff", _BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return {n: (a, b, c, d) for n, a, b, c, d in mod.cases(20250101)}


def test_every_fixture_is_pinned():
    assert sorted(FIXTURE_DIGESTS) == sorted(p.stem for p in FIXTURES.glob("*.yaml"))


@pytest.mark.parametrize("name", sorted(FIXTURE_DIGESTS))
def test_fixture_compare_output_unchanged(name):
    a, b = _fixture(name)
    ab, ba = compare_rules(a, [b]), compare_rules(b, [a, a, b])
    assert (digest(ab), digest(ba)) == FIXTURE_DIGESTS[name]
    assert ab == compare_from_diffs(a, [b])
    assert ba == compare_from_diffs(b, [a, a, b])


def test_fixture_compare_against_every_other_fixture_side_equals_pairwise_diffs():
    sides = [s for name in sorted(FIXTURE_DIGESTS) for s in _fixture(name)]
    for base in sides[::5]:
        others = sides[1:13]
        assert compare_rules(base, others) == compare_from_diffs(base, others)


@pytest.mark.parametrize("n", [100, 300])
def test_bench_compare_output_unchanged(bench_cases, n):
    a, b, c, d = bench_cases[n]
    fwd, rev = compare_rules(a, [b, c, d]), compare_rules(b, [a, d, c])
    assert (digest(fwd), digest(rev)) == BENCH_DIGESTS[n]
    assert fwd == compare_from_diffs(a, [b, c, d])
    assert rev == compare_from_diffs(b, [a, d, c])


def test_repeated_pair_reuses_cells_without_sharing_them(bench_cases):
    a, b, _c, _d = bench_cases[100]
    doc = compare_rules(a, [b, RuleSide("cn-x/copy", "cn-x/copy@1", "copy", b.articles, [])])
    assert doc == compare_from_diffs(a, [b, RuleSide("cn-x/copy", "cn-x/copy@1", "copy", b.articles, [])])
    cells = [r["cells"] for r in doc["rows"] if r["cells"][b.id] and r["cells"][b.id]["differences"]]
    assert cells and all(c[b.id]["differences"] is not c["cn-x/copy"]["differences"] for c in cells)


@pytest.mark.lawtexts
def test_real_compare_output_unchanged(real_pair):
    sides = {}
    for name in ("optimize-business-2020-2024", "air-pollution-sh-zj", "local-finance-sh-zj"):
        a, b = real_pair(name)
        sides[name] = (a, b)
        doc = compare_rules(a, [b, a])
        assert digest(doc) == REAL_DIGESTS[name]
        assert doc == compare_from_diffs(a, [b, a])
    air, biz, fin = sides["air-pollution-sh-zj"], sides["optimize-business-2020-2024"], sides["local-finance-sh-zj"]
    doc = compare_rules(air[0], [air[1], biz[0], fin[1]])
    assert digest(doc) == REAL_DIGESTS["air3"]
    assert doc == compare_from_diffs(air[0], [air[1], biz[0], fin[1]])
