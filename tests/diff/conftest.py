"""Fixtures of the diff tests: YAML cases in ``fixtures/`` and the real texts of ``../shared/lawtexts``."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.corpus.structure import article_id
from app.diff import RuleSide, SideArticle, SideParameter

FIXTURES = Path(__file__).parent / "fixtures"
LAWTEXTS = Path(__file__).resolve().parents[3] / "shared" / "lawtexts"


def side_from_yaml(d: dict) -> RuleSide:
    """A fixture side: ``{id, version, title, articles:[{number, label, text}], parameters:[…]}``."""
    rid = d["id"]
    return RuleSide(
        id=rid,
        version=d["version"],
        title=d["title"],
        articles=[SideArticle(f"{rid}#art-{a['number']}", a["number"], a["label"], a["text"]) for a in d["articles"]],
        parameters=[
            SideParameter(p["key"], p["scope"], p["value"], p["unit"], f"{rid}#art-{p['article']}")
            for p in d.get("parameters") or []
        ],
    )


def side_from_lawtext(path: Path, rule_id: str) -> RuleSide:
    """A side read from an official text with the corpus reader (the registry's own import path)."""
    from app.corpus.officialtext import read_official_text

    official = read_official_text(path)
    body = official.body
    return RuleSide(
        id=rule_id,
        version=f"{rule_id}@{path.stem[-11:-1] if path.stem.endswith(')') else 'undated'}",
        title=official.title,
        articles=[SideArticle(article_id(rule_id, a.number), a.number, a.label, a.text) for a in body.articles],
        parameters=[],
    )


def case_names() -> list[str]:
    return sorted(p.stem for p in FIXTURES.glob("*.yaml"))


@pytest.fixture
def load_case():
    def load(name: str) -> tuple[RuleSide, RuleSide, dict]:
        case = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))
        return side_from_yaml(case["a"]), side_from_yaml(case["b"]), case["expected"]

    return load


#: The real pairs of the review (docs/diff-review.md): (name, a file, b file).
REAL_PAIRS = [
    ("optimize-business-2020-2024", "shanghai/上海市优化营商环境条例(2020-04-10).md",
     "shanghai/上海市优化营商环境条例(2024-09-27).md"),
    ("air-pollution-sh-zj", "shanghai/上海市大气污染防治条例(2018-12-20).md",
     "zhejiang/浙江省大气污染防治条例(2020-11-27).md"),
    ("local-finance-sh-zj", "shanghai/上海市地方金融监督管理条例(2020-04-10).md",
     "zhejiang/浙江省地方金融条例(2020-05-15).md"),
]  # fmt: skip


@pytest.fixture
def real_pair():
    def load(name: str) -> tuple[RuleSide, RuleSide]:
        _, fa, fb = next(p for p in REAL_PAIRS if p[0] == name)
        pa, pb = LAWTEXTS / fa, LAWTEXTS / fb
        if not (pa.is_file() and pb.is_file()):
            pytest.skip(f"lawtexts not present ({LAWTEXTS})")
        pytest.importorskip("app.corpus.officialtext")
        return side_from_lawtext(pa, "cn-a/x/" + name), side_from_lawtext(pb, "cn-b/x/" + name)

    return load
