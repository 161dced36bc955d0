"""The query language: parse trees, and the queries the registry refuses (SPEC §5)."""

from __future__ import annotations

import pytest

from app.exceptions import QueryError
from app.search.query import MATCH_ALL, MAX_DEPTH, And, Field, Not, Or, Word, parse_query, positive_words

PARSES = [
    ("污染物排放", Word("污染物排放")),
    ("排放 限值", And((Word("排放"), Word("限值")))),
    ('"排放 限值"', Word("排放 限值")),
    ("“排放　限值”", Word("排放 限值")),
    ("能耗 OR 碳排放", Or((Word("能耗"), Word("碳排放")))),
    ("a OR b c", Or((Word("a"), And((Word("b"), Word("c")))))),
    ("排放 -罚款", And((Word("排放"), Not(Word("罚款"))))),
    ("排放 NOT 罚款", And((Word("排放"), Not(Word("罚款"))))),
    ("NOT NOT 排放", Word("排放")),
    ("(罚款 OR 存款) 违反", And((Or((Word("罚款"), Word("存款"))), Word("违反")))),
    ("jurisdiction:cn-sh", Field("jurisdiction", "CN-SH")),
    ("Topic:Data", Field("topic", "data")),
    ("year:２０２４", Field("year", 2024)),
    ('doc_number:"沪府令 12号"', Field("doc_number", "沪府令 12号")),
    ("目的：保护", Word("目的:保护")),  # not a field name: plain text
    ("http://x", Word("http://x")),
    ("５０毫克／升", Word("50毫克/升")),
    ("排放*", Word("排放")),
    ("", MATCH_ALL),
    ("   ", MATCH_ALL),
]


@pytest.mark.parametrize(("q", "tree"), PARSES)
def test_parse(q, tree):
    assert parse_query(q) == tree


REFUSED = [
    "*排放",
    "？排放",
    "排*放",
    "x" * 257,
    " ".join(["词"] * 33),
    "(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1),
    "NOT " * (MAX_DEPTH + 1) + "a",
    "text:排放",
    "rule_id:cn-sh/x",
    "valid_to:2020",
    "year:abc",
    "jurisdiction:",
    "排放 OR",
    "OR 排放",
    "排放 NOT",
]


@pytest.mark.parametrize("q", REFUSED)
def test_refused(q):
    with pytest.raises(QueryError):
        parse_query(q)


def test_positive_words_skip_negated_ones():
    assert positive_words(parse_query("排放 -罚款 (限值 OR 标准) NOT 处罚")) == ["排放", "限值", "标准"]
