"""A fixed sample of the real official texts in ../shared/lawtexts, read as ``registry import`` reads them.

Skipped when the folder is absent.  The texts are read at run time only; none of
their content is kept in the project.  The whole set is swept by bench/import_sweep.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.corpus.officialtext import OfficialTextError, read_official_text
from app.corpus.structure import parse_body

LAWTEXTS = Path(__file__).resolve().parents[3] / "shared" / "lawtexts"

pytestmark = [
    pytest.mark.lawtexts,
    pytest.mark.skipif(not LAWTEXTS.is_dir(), reason=f"{LAWTEXTS} is absent"),
]

#: Texts of the sample without a single article (decisions and resolutions written as 一、二、…).
EXPECTED_REFUSALS = {
    "beijing/北京市人民代表大会常务委员会关于依法防控新型冠状病毒感染肺炎疫情  坚决打赢疫情防控阻击战的决定(2020-02-07).md",
}

# Counted independently of the module under test: a paragraph (a line of a blank-line
# separated block) that starts with 第<Chinese numeral>条.
_ARTICLE_PARAGRAPH = re.compile(r"^第[零〇一二三四五六七八九十百千两]+条")


def sample() -> list[Path]:
    """Every 19th file of the sorted list: 100 of the 1,911 texts."""
    if not LAWTEXTS.is_dir():
        return []
    files = sorted(LAWTEXTS.glob("*/*.md"))
    return files[::19][:100]


def article_paragraphs(raw: str) -> int:
    lines = [line.strip() for block in re.split(r"\n[ \t]*\n", raw) for line in block.split("\n")]
    return sum(1 for line in lines if _ARTICLE_PARAGRAPH.match(line))


def name(path: Path) -> str:
    return path.relative_to(LAWTEXTS).as_posix()


def test_the_sample_is_fixed():
    files = sample()
    assert len(files) == 100
    assert len(sorted(LAWTEXTS.glob("*/*.md"))) == 1911
    assert {name(p) for p in files} >= EXPECTED_REFUSALS


@pytest.mark.parametrize("path", sample(), ids=name)
def test_article_count_equals_article_paragraphs(path):
    expected = article_paragraphs(path.read_text(encoding="utf-8"))
    if name(path) in EXPECTED_REFUSALS:
        assert expected == 0
        with pytest.raises(OfficialTextError, match=r"^no articles found$"):
            read_official_text(path)
        return
    assert expected > 0
    ot = read_official_text(path)
    assert ot.article_count == expected
    body, problems = parse_body(ot.body_markdown)
    assert len(body.articles) == expected
    assert problems == []
    assert ot.title
    assert "INFO END" not in ot.body_markdown
    assert all(a.text for a in body.articles)
