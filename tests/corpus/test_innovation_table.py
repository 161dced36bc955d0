"""Innovation table rows → innovation documents (pure: no database): cell conversion, every problem
with its row and column, the documents validated like innovation files."""

from __future__ import annotations

import datetime as dt

import pytest

from app.corpus.innovation_table import document_cells, read_innovation_table, row_to_document
from app.corpus.loader import parse_innovation_document
from app.exceptions import CorpusError

BASE = {"title": "示例", "category": "项目管理", "source_url": "https://example.org/x"}


@pytest.mark.parametrize(
    ("cells", "line"),
    [
        ({"year": "2021"}, "year: 2021"),
        ({"year": 2021.0}, "year: 2021"),
        ({"promoted_nationally": "是"}, "promoted_nationally: true"),
        ({"promoted_nationally": "FALSE"}, "promoted_nationally: false"),
        ({"promoted_nationally": True}, "promoted_nationally: true"),
        ({"promotion_date": dt.datetime(2022, 7, 15)}, "promotion_date: 2022-07-15"),
        ({"promotion_date": "2022-07-15"}, "promotion_date: 2022-07-15"),
        ({"related_rules": "a/b/c; d/e/f，g/h/i\nj/k/l"}, "related_rules: [a/b/c, d/e/f, g/h/i, j/k/l]"),
        ({"number": 12.0}, "number: '12'"),
        ({"verified": "yes"}, "verified: true"),
        ({"promotion_notice": "'=1+1"}, "promotion_notice: =1+1"),
    ],
)
def test_cells_become_front_matter(cells, line):
    slug, document = row_to_document({**BASE, **cells}, "t.csv:row 2")
    assert slug is None
    assert line in document.splitlines(), document


def test_empty_cells_are_unknown_and_summary_is_the_body():
    slug, document = row_to_document(
        {**BASE, "slug": "ok", "year": "", "promoted_nationally": "", "summary": "正文。\r\n第二段。"}, "w"
    )
    assert slug == "ok"
    assert document == (
        "---\ntitle: 示例\ncategory: 项目管理\npromoted_nationally:\nsource_url: https://example.org/x\nverified: false\n---\n正文。\n第二段。\n"
    )
    doc = parse_innovation_document(document.encode(), "w", "ok", set())
    assert doc.promoted_nationally is None and doc.year is None and doc.summary == "正文。\n第二段。"


def test_every_problem_of_a_row_is_named_by_column():
    with pytest.raises(CorpusError) as err:
        row_to_document(
            {"title": "", "year": "21", "verified": "perhaps", "source_url": "x", "colour": "red", "slug": "A"},
            "t.csv:row 7",
        )
    got = {(p.file, p.field) for p in err.value.problems}
    assert got == {
        ("t.csv:row 7", "title"),
        ("t.csv:row 7", "category"),
        ("t.csv:row 7", "year"),
        ("t.csv:row 7", "verified"),
        ("t.csv:row 7", "source_url"),
        ("t.csv:row 7", "colour"),
        ("t.csv:row 7", "slug"),
    }
    assert all(str(p).startswith(f"t.csv:row 7: {p.field}: ") for p in err.value.problems)


def test_document_cells_round_trip():
    _, document = row_to_document({**BASE, "year": "2020", "related_rules": "a/b/c; d/e/f", "summary": "s"}, "w")
    doc = parse_innovation_document(document.encode(), "w", "slug", {"a/b/c", "d/e/f"})
    cells = document_cells(doc)
    assert cells["related_rules"] == "a/b/c; d/e/f" and cells["year"] == "2020" and cells["slug"] == "slug"
    assert row_to_document({k: v for k, v in cells.items()}, "w")[1] == document


def test_blank_rows_are_skipped_and_rows_are_numbered_as_the_spreadsheet_shows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "title,category,source_url,year\n,,,\n示例,项目管理,https://e.org/a,2020\n示例二,项目管理,https://e.org/b,twenty\n",
        encoding="utf-8",
    )
    with pytest.raises(CorpusError) as err:
        read_innovation_table(path)
    assert [str(p) for p in err.value.problems] == [
        "t.csv:row 4: year: 'twenty' is not a year (write it as 4 digits, e.g. 2021)"
    ]


def test_extra_cells_beyond_the_header_are_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("title,category,source_url\n示例,项目管理,https://e.org/a,surprise\n", encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        read_innovation_table(path)
    assert str(err.value.problems[0]) == "t.csv:row 2: more cells than the header has columns"
