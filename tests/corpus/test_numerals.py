"""Chinese numerals and article labels (app/corpus/numerals.py)."""

from __future__ import annotations

import doctest

import pytest

from app.corpus import numerals
from app.corpus.numerals import (
    digit_string,
    parse_article_label,
    parse_chinese_numeral,
    read_numeral_leniently,
    to_chinese_numeral,
)


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


# The strict parser and the diff's lenient reading, side by side: they agree on every numeral the
# strict parser accepts; the lenient one reads a leading bare unit as one of it and nothing else more.
# (numeral, strict value or None when refused, lenient value or None when refused)
BOTH = [
    ("一百零一", 101, 101),
    ("十五", 15, 15),
    ("两万", 20000, 20000),
    ("二零二零", 2020, 2020),
    ("二〇二三", 2023, 2023),
    ("三亿五千万", 350_000_000, 350_000_000),
    ("百", None, 100),
    ("千", None, 1000),
    ("万", None, 10000),
    ("百万", None, 1_000_000),
    ("一二十", None, None),
    ("十百", None, None),
    ("两两", None, None),
    ("条", None, None),
    ("", None, None),
]


def _value(fn, text):
    try:
        return fn(text)
    except ValueError:
        return None


@pytest.mark.parametrize(("text", "strict", "lenient"), BOTH)
def test_strict_and_lenient_readings(text, strict, lenient):
    assert _value(parse_chinese_numeral, text) == strict
    assert _value(read_numeral_leniently, text) == lenient


@pytest.mark.parametrize("n", [*range(0, 1200), 10_000, 10_010, 123_456, 20_000_000, 350_000_000])
def test_readings_agree_on_every_written_numeral(n):
    text = to_chinese_numeral(n)
    assert parse_chinese_numeral(text) == read_numeral_leniently(text) == n


def test_diff_number_units_use_the_lenient_reading():
    from app.diff.tokens import parse_number

    assert parse_number("万元") == (10000, "元")
    assert parse_number("二零二三") == (2023, None)
    assert parse_number("一二十条") is None  # refused by the one parser, not read as 20


def test_digit_string():
    assert digit_string("一九九八") == "1998"
    for bad in ("", "十", "两", "1"):
        with pytest.raises(ValueError):
            digit_string(bad)
