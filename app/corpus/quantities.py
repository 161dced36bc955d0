"""Quantities stated in Chinese legal text, and the check that a parameter's value is one of them (SPEC §8.2).

An official article states its numbers in words or digits, with a unit after
them: 二万元以上二十万元以下, 百分之十四点五, 三十日内, 30mg/L, 五千吨标准煤.
:func:`quantities` reads every (number, unit) pair of a text;
:func:`stated_in` says whether a value, in a given unit, is one of them after
unit conversion (so 0.5 万元 is found in 五千元 and 500000 元 in 五十万元)::

    >>> stated_in("处二万元以上二十万元以下的罚款。", 20, "万元")
    True
    >>> stated_in("处二万元以上二十万元以下的罚款。", 200000, "元")
    True
    >>> stated_in("处二万元以上二十万元以下的罚款。", 10, "万元")
    False
    >>> stated_in("单位地区生产总值能耗下降百分之十四。", 14, "%")
    True
    >>> stated_in("处一万至十万元罚款", 1, "万元")
    True

A shorthand range (一万至十万元) gives its first number the unit of the
second. A number with no unit matches only a value whose unit is empty.
Yes/no values are not numbers: the caller decides what verifying them means.

Pure: stdlib and :mod:`app.units`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from app.corpus.numerals import digit_string, parse_chinese_numeral
from app.units import UnitError, convert, normalize_unit

__all__ = ["Quantity", "quantities", "stated_in"]

_ZH_NUM = "零〇○一二两三四五六七八九十百千万亿"

# A number: digits (thousands separators and a decimal point allowed), or a Chinese numeral with an
# optional 点 and decimal digits; 百分之 before either makes it a percentage.
_NUMBER_RE = re.compile(
    rf"(?P<pct>百分之)?(?:(?P<ar>\d+(?:,\d{{3}})*(?:\.\d+)?)|(?P<zh>[{_ZH_NUM}]+(?:点[{_ZH_NUM}]+)?))"
)

#: Unit spellings of legal text, longest first, mapped to the spelling app.units knows.
_TEXT_UNITS: dict[str, str] = {
    "毫克/立方米": "mg/m3",
    "毫克每立方米": "mg/m3",
    "微克/立方米": "μg/m3",
    "微克每立方米": "μg/m3",
    "毫克/升": "mg/L",
    "毫克每升": "mg/L",
    "微克/升": "μg/L",
    "万吨标准煤": "万吨标准煤",
    "亿吨标准煤": "亿吨标准煤",
    "吨标准煤": "吨标准煤",
    "千克标准煤": "千克标准煤",
    "万千瓦时": "万千瓦时",
    "亿千瓦时": "亿千瓦时",
    "千瓦时": "千瓦时",
    "万千瓦": "万千瓦",
    "千瓦": "千瓦",
    "万立方米": "万立方米",
    "亿立方米": "亿立方米",
    "立方米": "立方米",
    "个工作日": "个工作日",
    "工作日": "个工作日",
    "个月": "月",
    "万元": "万元",
    "亿元": "亿元",
    "千元": "千元",
    "万吨": "万吨",
    "亿吨": "亿吨",
    "公斤": "公斤",
    "千克": "千克",
    "小时": "小时",
    "元": "元",
    "吨": "吨",
    "日": "日",
    "天": "天",
    "年": "年",
    "月": "月",
    "倍": "倍",
    "人": "人",
    "次": "次",
    "类": "类",
    "个": "个",
    "%": "%",
}
_UNIT_KEYS = sorted(_TEXT_UNITS, key=len, reverse=True)
_LATIN_UNIT_RE = re.compile(r"\s?(mg/m3|mg/L|μg/m3|μg/L|ug/m3|g/L|tce|kWh|kW|MW|m3/d|m3|t|kg|MPN/L|PUE)(?![A-Za-z])")
_RANGE_JOIN_RE = re.compile(r"^\s*(?:至|到|～|~|-|－|—|或者|或)\s*$")


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    unit: str  # normalised spelling; "" = no unit
    start: int
    end: int


def _zh_value(s: str) -> Decimal:
    """一百五十 -> 150, 零点五 -> 0.5, 十四点五 -> 14.5 (raises ValueError)."""
    whole, _, frac = s.partition("点")
    value = Decimal(parse_chinese_numeral(whole)) if whole else Decimal(0)
    if frac:
        value += Decimal("0." + digit_string(frac))
    return value


def _unit_at(text: str, pos: int) -> tuple[str, int]:
    for key in _UNIT_KEYS:
        if text.startswith(key, pos):
            return _TEXT_UNITS[key], pos + len(key)
    m = _LATIN_UNIT_RE.match(text, pos)
    if m:
        return normalize_unit(m.group(1)), m.end()
    return "", pos


def _readings(text: str, m: re.Match[str]) -> list[Quantity]:
    """Every way the numeral at ``m`` can be read with the unit after it (二十万元: 200000 元 or 20 万元)."""
    out: list[Quantity] = []
    if m.group("ar"):
        try:
            value = Decimal(m.group("ar").replace(",", ""))
        except InvalidOperation:
            return out
        unit, end = ("%", m.end()) if m.group("pct") else _unit_at(text, m.end())
        out.append(Quantity(value, unit, m.start(), end))
        return out
    zh = m.group("zh")
    base = m.start("zh")
    # a numeral run may swallow the start of a unit (十万千瓦 -> 十万 + 千瓦): try shorter prefixes too
    for k in range(len(zh), 0, -1):
        try:
            value = _zh_value(zh[:k])
        except ValueError:
            continue
        if m.group("pct"):
            if k == len(zh):
                out.append(Quantity(value, "%", m.start(), m.end()))
            continue
        unit, end = _unit_at(text, base + k)
        if k < len(zh) and not unit:
            continue
        out.append(Quantity(value, unit, m.start(), end))
    return out


def quantities(text: str) -> list[Quantity]:
    """Every (number, unit) reading in ``text`` (NFKC-folded, so full-width digits and ％ count).

    A numeral followed by a unit may be read two ways; both readings are the same amount:

    >>> [(str(q.value), q.unit) for q in quantities("处五千元以上五万元以下罚款")]
    [('5000', '元'), ('5', '千元'), ('50000', '元'), ('5', '万元')]
    """
    text = unicodedata.normalize("NFKC", text)
    found: list[Quantity] = []
    for m in _NUMBER_RE.finditer(text):
        found.extend(_readings(text, m))
    # shorthand ranges: 一万至十万元 — the first number takes the second's unit
    extra: list[Quantity] = []
    for q in found:
        if q.unit:
            continue
        for r in found:
            if r.start > q.end and r.unit and _RANGE_JOIN_RE.match(text[q.end : r.start]):
                extra.append(Quantity(q.value, r.unit, q.start, q.end))
                break
    return found + extra


def _same(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= Decimal("1e-9") * max(Decimal(1), abs(a), abs(b))


def stated_in(text: str, value: float, unit: str | None) -> bool:
    """Whether ``value`` in ``unit`` is one of the quantities ``text`` states (after unit conversion)."""
    target_unit = normalize_unit(unit) if unit else ""
    target = Decimal(repr(float(value)))
    for q in quantities(text):
        if not target_unit or not q.unit:
            if not target_unit and not q.unit and _same(q.value, target):
                return True
            continue
        try:
            converted = Decimal(repr(convert(float(q.value), q.unit, target_unit)))
        except UnitError:
            continue
        if _same(converted, target):
            return True
    return False
