"""Chinese numerals and article labels (app/corpus/numerals.py)."""

from __future__ import annotations

import doctest

import pytest

from app.corpus import numerals
from app.corpus.numerals import parse_article_label, parse_chinese_numeral, to_chinese_numeral


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("零", 0),
        ("〇", 0),
        ("一", 1),
        ("两", 2),
        ("九", 9),
        ("十", 10),
        ("十一", 11),
        ("一十一", 11),
        ("二十", 20),
        ("九十九", 99),
        ("一百", 100),
        ("一百零一", 101),
        ("一百一十", 110),
        ("一百十", 110),
        ("一百一十一", 111),
        ("两百", 200),
        ("九百九十九", 999),
        ("一千", 1000),
        ("一千零五", 1005),
        ("一千零五十", 1050),
        ("两千零二十三", 2023),
        ("一万", 10000),
        ("一万零一十", 10010),
        ("十二万三千四百五十六", 123456),
        ("二〇二三", 2023),
        ("一九九八", 1998),
        ("12", 12),
        ("１２", 12),
        (" 7 ", 7),
    ],
)
def test_parse_chinese_numeral(text, value):
    assert parse_chinese_numeral(text) == value


@pytest.mark.parametrize(
    "text", ["", " ", "条", "第一", "一二十", "两两", "百", "千", "十百", "一百百", "abc", "1a", "一万万", "万"]
)
def test_parse_chinese_numeral_refuses_garbage(text):
    with pytest.raises(ValueError):
        parse_chinese_numeral(text)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "零"),
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (999, "九百九十九"),
        (1000, "一千"),
        (1005, "一千零五"),
        (1010, "一千零一十"),
        (10010, "一万零一十"),
        (123456, "十二万三千四百五十六"),
    ],
)
def test_to_chinese_numeral(value, text):
    assert to_chinese_numeral(value) == text


def test_round_trip_up_to_two_thousand():
    for n in range(0, 2001):
        assert parse_chinese_numeral(to_chinese_numeral(n)) == n


@pytest.mark.parametrize("value", [-1, 1.5, True, "3"])
def test_to_chinese_numeral_refuses(value):
    with pytest.raises(ValueError):
        to_chinese_numeral(value)


@pytest.mark.parametrize(
    ("label", "number"),
    [
        ("第一条", "1"),
        ("第十条", "10"),
        ("第十条之一", "10-1"),
        ("第十条之十二", "10-12"),
        ("第一百零一条", "101"),
        ("第九百九十九条", "999"),
        ("第12条", "12"),
        ("Article 12", "12"),
        ("article  3", "3"),
        ("Article 10-1", "10-1"),
        (" 第二条 ", "2"),
        ("第三章", None),
        ("第X条", None),
        ("第零条", None),
        ("第十条规定", None),
        ("Article", None),
        ("条", None),
        ("", None),
    ],
)
def test_parse_article_label(label, number):
    assert parse_article_label(label) == number


def test_doctests():
    assert doctest.testmod(numerals).failed == 0
