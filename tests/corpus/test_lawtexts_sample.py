"""Every real official text in ../shared/lawtexts, read as ``registry import`` reads it (both formats).

Skipped when the folder is absent.  The texts are read at run time only; none of
their content is kept in the project.  A parse-level sweep (~3 s): each text's
article count must equal an independent count of its paragraphs that start with
第…条 — or, for a decision without any, of its numbered paragraphs 一、二、… in
sequence — and the body must parse back to the same articles.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.corpus.officialtext import OfficialTextError, read_official_text
from app.corpus.structure import parse_body
from tests.lawtexts import expected_articles, text_lines

LAWTEXTS = Path(__file__).resolve().parents[3] / "shared" / "lawtexts"

pytestmark = [
    pytest.mark.lawtexts,
    pytest.mark.skipif(not LAWTEXTS.is_dir(), reason=f"{LAWTEXTS} is absent"),
]

#: The texts that hold no article at all: a title and header lines, nothing else (checked below).
EXPECTED_REFUSALS = {
    "chongqing/重庆市实施《农业技术推广法》办法(2016-09-29).md",
    "chongqing/重庆市实施《国家赔偿法》办法(2012-09-27).md",
    "chongqing/重庆市实施《母婴保健法》办法(2018-07-26).md",
    "guangdong/汕头经济特区突发公共卫生事件应急条例(2022-05-30).md",
}


def all_texts() -> list[Path]:
    return sorted(p for p in LAWTEXTS.rglob("*.md") if p.name != "README.md")


def name(path: Path) -> str:
    return path.relative_to(LAWTEXTS).as_posix()


def test_both_collections_are_all_there():
    files = all_texts()
    assert len([p for p in files if not name(p).startswith("flk/")]) == 1911
    assert len([p for p in files if name(p).startswith("flk/")]) == 18


def test_every_text_parses_with_its_article_count():
    mismatches, refused, decisions, articles = [], set(), 0, 0
    for path in all_texts():
        raw = path.read_text(encoding="utf-8")
        expected, decision = expected_articles(raw)
        try:
            ot = read_official_text(path)
        except OfficialTextError as exc:
            assert str(exc) == "no articles found", name(path)
            assert expected == 0, name(path)
            refused.add(name(path))
            continue
        body, _ = parse_body(ot.body_markdown)
        if not (ot.article_count == expected == len(body.articles)) or ot.decision != decision:
            mismatches.append(
                f"{name(path)}: read {ot.article_count}, parsed back {len(body.articles)}, want {expected}"
            )
        assert ot.title, name(path)
        assert "INFO END" not in ot.body_markdown and "\n> " not in ot.body_markdown, name(path)
        assert all(a.text for a in body.articles), name(path)
        decisions += ot.decision
        articles += ot.article_count
    assert mismatches == []
    assert refused == EXPECTED_REFUSALS
    assert decisions >= 19  # 17 LawRefBook decisions/resolutions and the two flk 2020 decisions
    assert articles > 83_000


def test_the_refused_texts_truly_hold_no_article():
    for rel in EXPECTED_REFUSALS:
        lines = [line for line in text_lines((LAWTEXTS / rel).read_text(encoding="utf-8")) if line]
        # title, header lines (dates), the INFO END marker: no paragraph of text at all
        assert all(len(line) < 120 and ("年" in line or "INFO END" in line or line == lines[0]) for line in lines), rel


@pytest.mark.parametrize(
    ("rel", "articles", "chapters", "first_chapter"),
    [
        ("flk/anhui/安徽省大气污染防治条例(2018-09-29).md", 100, 9, "第一章"),
        ("flk/jiangsu/江苏省大气污染防治条例(2018-11-23).md", 107, 13, "第一章"),
        ("flk/anhui/安徽省地方金融条例(2022-07-29).md", 62, 8, "第一章"),
    ],
)
def test_flk_table_of_contents_is_not_read_as_chapters(rel, articles, chapters, first_chapter):
    ot = read_official_text(LAWTEXTS / rel)
    assert ot.source_format == "flk" and ot.meta is not None and ot.meta.url.startswith("https://flk.npc.gov.cn/")
    assert ot.article_count == articles
    assert len(ot.body.chapters) == chapters
    assert ot.body.chapters[0].heading.startswith(first_chapter)
    assert [c.heading for c in ot.body.chapters].count(ot.body.chapters[0].heading) == 1
    assert "目" not in "".join(ot.header_lines).replace(" ", "")[-3:]
    assert any(d.event == "通过" for d in ot.dates)
    assert "\\\n" not in ot.body_markdown and "> " not in ot.body_markdown


def test_flk_decision_reads_its_numbered_paragraphs_as_articles():
    rel = "flk/jiangsu/江苏省人民代表大会常务委员会关于促进和保障长三角生态绿色一体化发展示范区建设若干问题的决定(2020-09-25).md"
    ot = read_official_text(LAWTEXTS / rel)
    assert ot.decision and ot.meta.status == "已废止"
    assert [a.number for a in ot.body.articles] == [str(n) for n in range(1, 8)]
    assert [a.label for a in ot.body.articles][:3] == ["一、", "二、", "三、"]
    assert "## 一、" in ot.body_markdown
    assert not re.search(r"[─—]\s*\d+\s*[─—]", ot.body_markdown)  # page footers gone
    # the title, broken over three lines under the heading, is not kept as header text
    assert ot.header_lines[0].startswith("（2020年9月25日") and ot.dates[0].event == "通过"
