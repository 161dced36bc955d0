"""Units of an inline diff: numbers kept whole, legal words, single Han characters.

A normalised text (see :mod:`app.diff.normalize`) is cut into units, and the inline
diff compares units, never characters, so a number is replaced as a whole
(``50`` → ``30``, never ``5`` → ``3`` with a shared ``0``).  In order of priority:

* a date: ``2020年1月1日``, ``二零二零年``;
* a number with an optional ordinal prefix and an optional unit: ``第十条``, ``15``,
  ``3.5mg/L``, ``十五个工作日``, ``一万元``, ``5万元``, ``百分之十``, ``30%``;
* a Latin word: ``PM2.5``, ``mg/L``;
* a word of :data:`LEXICON` (modal verbs, penalties, scope terms: ``应当``, ``罚款``, ``本市``…);
* any other character on its own (a Han character, a punctuation mark, ``\\n``, a space).

Example::

    >>> tokenize("应当在十五个工作日内处5万元罚款")
    ['应当', '在', '十五个工作日', '内', '处', '5万元', '罚款']

:func:`parse_number` reads the value of a number unit (Chinese numerals read by
:func:`app.corpus.numerals.read_numeral_leniently`, 万/亿 folded into the value): ``parse_number("一万元") == (10000, "元")``.
"""

from __future__ import annotations

import re

from app.corpus.numerals import read_numeral_leniently

__all__ = [
    "LEXICON",
    "NUMBER_RE",
    "UNITS",
    "is_number_unit",
    "parse_number",
    "tokenize",
]

ZH_DIGIT_CHARS = "零一二三四五六七八九两"
ZH_NUMERAL_CHARS = ZH_DIGIT_CHARS + "十百千万亿"

#: Units that stay attached to the number before them (longest first when matched).
UNITS: tuple[str, ...] = (
    # money
    "万元", "亿元", "千元", "元",
    # time
    "个工作日", "工作日", "个自然日", "个月", "小时", "分钟", "周岁", "日", "天", "月", "年", "周", "秒", "岁",
    # ratios
    "%", "‰", "倍", "成",
    # physical
    "mg/L", "mg/m3", "μg/m3", "ug/m3", "g/L", "mg/kg", "kg", "km", "kWh", "kW", "MW", "dB",
    "平方公里", "平方米", "立方米", "万吨", "吨", "千克", "公斤", "克", "公里", "千米", "米", "公顷", "亩",
    "万千瓦时", "千瓦时", "万千瓦", "千瓦", "分贝", "摄氏度", "度",
    # counts and structure
    "人次", "个", "名", "人", "次", "项", "件", "家", "户", "辆", "台", "届", "层", "条", "款", "章", "节", "类", "种",
)  # fmt: skip

#: Words kept whole as one unit (so 应当→可以 and 本市→本省 read as one replacement).
LEXICON: tuple[str, ...] = (
    "应当", "可以", "不得", "禁止", "严禁", "必须", "有权", "无权", "不应", "应予", "不予", "鼓励", "支持",
    "本市", "本省", "本区", "本县", "全市", "全省", "全国", "本自治区", "行政区域", "适用", "人民政府", "部门",
    "罚款", "罚金", "没收", "吊销", "暂扣", "责令", "停产停业", "警告", "拘留", "处分", "违法所得",
    "以上", "以下", "以内", "之内", "期限", "届满", "逾期", "所称", "是指", "规定", "条例", "办法",
    "单位", "个人", "企业", "组织", "机构",
)  # fmt: skip

_AR = r"\d+(?:\.\d+)?"
_ZH = rf"[{ZH_NUMERAL_CHARS}]+"
_UNIT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_DATE = rf"(?:\d{{4}}|[{ZH_DIGIT_CHARS}]{{4}})年(?:(?:{_AR}|{_ZH})月(?:(?:{_AR}|{_ZH})日)?)?"

#: One number unit (used by the classifier too).
NUMBER_RE = re.compile(rf"{_DATE}|第?(?:百分之(?:{_AR}|{_ZH})|(?:{_AR}|{_ZH})(?:{_UNIT})?(?:之(?:{_AR}|{_ZH}))?)")
_DATE_RE = re.compile(_DATE)
_LEX = "|".join(re.escape(w) for w in sorted(LEXICON, key=len, reverse=True))
# Each alternative is guarded by a lookahead on its possible first characters, so at an
# ordinary Han character the engine skips the number and lexicon branches at once (same
# units as without the guards, about twice as fast).
_NUM_FIRST = re.escape("".join(sorted(set(ZH_NUMERAL_CHARS + "第百0123456789"))))
_LEX_FIRST = re.escape("".join(sorted({w[0] for w in LEXICON})))
_TOKEN_RE = re.compile(
    rf"(?=[{_NUM_FIRST}])(?:{NUMBER_RE.pattern})|[A-Za-zμ][A-Za-z0-9μ]*(?:[./][A-Za-z0-9μ]+)*"
    rf"|(?=[{_LEX_FIRST}])(?:{_LEX})|.",
    re.DOTALL,
)

_BIG = {"万": 10_000, "亿": 100_000_000}  # a unit such as 万元 folds its multiplier into the value


def tokenize(text: str) -> list[str]:
    """Cut a normalised text into diff units (see the module docstring)."""
    return _TOKEN_RE.findall(text)  # the pattern has no capturing group: findall gives the units


def is_number_unit(token: str) -> bool:
    """True when ``token`` is one number unit (``15``, ``十五个工作日``, ``第十条``, a date)."""
    return bool(token) and NUMBER_RE.fullmatch(token) is not None and token != "第"


def _num(text: str) -> float:
    if text[0].isdigit():
        return float(text)
    return float(read_numeral_leniently(text))


_PARSE_RE = re.compile(rf"^(?:第)?(?:(?P<pct>百分之)(?P<pv>{_AR}|{_ZH})|(?P<v>{_AR}|{_ZH})(?P<unit>{_UNIT})?)$")


def parse_number(token: str) -> tuple[int | float, str | None] | None:
    """``(value, unit)`` of a number unit, or None when it is not one (dates are not).

    ``"十五个工作日"`` → ``(15, "个工作日")``; ``"5万元"`` → ``(50000, "元")``;
    ``"百分之十"`` → ``(10, "%")``; ``"3.5mg/L"`` → ``(3.5, "mg/L")``.
    """
    if _DATE_RE.fullmatch(token):
        return None
    m = _PARSE_RE.match(token)
    if not m:
        return None
    try:
        if m.group("pct"):
            value, unit = _num(m.group("pv")), "%"
        else:
            value, unit = _num(m.group("v")), m.group("unit")
    except ValueError:
        return None
    if unit and len(unit) > 1 and unit[0] in _BIG:
        value *= _BIG[unit[0]]
        unit = unit[1:]
    return (int(value) if value == int(value) else value), unit
