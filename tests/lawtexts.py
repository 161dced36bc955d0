"""An independent count of the articles of a real official text (../shared/lawtexts), for the tests.

Counted without the module under test: the lines (of blank-line separated
blocks) that start with 第<Chinese numeral>条 — or, in a text without any, a
decision's numbered paragraphs 一、二、… in sequence from 一.  The flk front
matter, quote markers, Markdown bold and heading marks are ignored.
"""

from __future__ import annotations

import re

_ARTICLE_PARAGRAPH = re.compile(r"^第[零〇一二三四五六七八九十百千两]+条")
_DECISION_ITEM = re.compile(r"^([一二三四五六七八九十]+)、")
_DIGITS = "一二三四五六七八九"


def small_numeral(n: int) -> str:
    """1..99 as a decision numbers its paragraphs: 一, 十, 十一, 二十一."""
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens - 1] + "十")) + (
        _DIGITS[ones - 1] if ones else ""
    )


def text_lines(raw: str) -> list[str]:
    if raw.startswith("---\n"):
        raw = raw.split("\n---\n", 1)[1]
    out = []
    for line in raw.split("\n"):
        line = line.strip(" \t\u3000").removeprefix(">").replace("**", "").strip(" \t\u3000")
        out.append(line.lstrip("#").strip(" \t\u3000"))
    return out


def expected_articles(raw: str) -> tuple[int, bool]:
    """``(count, decision)``: paragraphs starting with 第…条, else a decision's 一、二、… in sequence."""
    lines = text_lines(raw)
    n = sum(1 for line in lines if _ARTICLE_PARAGRAPH.match(line))
    if n:
        return n, False
    for line in lines:
        m = _DECISION_ITEM.match(line)
        if m and m[1] == small_numeral(n + 1):
            n += 1
    return n, True
