"""Analyzer table: input -> normalised text and grams (the way moin's analyzer tests read)."""

from __future__ import annotations

import pytest

from app.search.analyzer import bigrams, normalize, unigrams

NORMALIZE = [
    ("５０毫克／升", "50毫克/升"),
    ("ＡＢＣ　ｄｅｆ", "abc def"),
    ("PM2.5", "pm2.5"),
    ("數據交易應當遵循公平原則", "数据交易应当遵循公平原则"),
    ("臺灣", "台湾"),
    ("（一）", "(一)"),
    ("第十条\n第二款\t", "第十条 第二款 "),
    ("㎎", "㎎"),  # would become two characters: kept, so offsets stay valid
    ("大气污染物排放限值", "大气污染物排放限值"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), NORMALIZE)
def test_normalize(text, expected):
    assert normalize(text) == expected
    assert len(normalize(text)) == len(text)


GRAMS = [
    ("污染物排放", sorted("污染物排放"), ["排放", "染物", "污染", "物排"]),
    ("排放 放", ["排", "放"], ["排放"]),
    ("50mg", ["0", "5", "g", "m"], ["0m", "50", "mg"]),
    ("省", ["省"], []),
    ("a b", ["a", "b"], []),
]


@pytest.mark.parametrize(("text", "uni", "bi"), GRAMS)
def test_grams(text, uni, bi):
    assert sorted(unigrams(text)) == uni
    assert sorted(bigrams(text)) == bi


def test_normalised_substring_stays_a_substring():
    text = "違反本條例規定的，處５０萬元罰款"
    for i in range(len(text)):
        for j in range(i + 1, len(text) + 1):
            assert normalize(text[i:j]) in normalize(text)
