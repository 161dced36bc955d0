"""Chinese numerals as used in legal texts: 第一百零一条, 第十条之一, 第三章.

Pure stdlib.  The one reader of Chinese numerals in the registry: :func:`parse_chinese_numeral` is
strict (garbage such as 一二十 or a bare 百 is refused), :func:`read_numeral_leniently` is the reading
the diff's number units use, built on the strict parser, and :func:`digit_string` reads positional
digits (years, decimals).

>>> parse_chinese_numeral("一百零一")
101
>>> to_chinese_numeral(110)
'一百一十'
>>> parse_article_label("第十条之一")
'10-1'
"""

from __future__ import annotations

import re

__all__ = [
    "ARTICLE_LABEL_RE",
    "NUMERAL_CHARS",
    "digit_string",
    "parse_article_label",
    "parse_chinese_numeral",
    "read_numeral_leniently",
    "to_chinese_numeral",
]

_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "Ｏ": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}

#: Every character that may appear in a numeral this module parses (for building regexes).
NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS) + "".join(_BIG_UNITS) + "0-9０-９"

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")

#: ``第<numeral>条`` optionally followed by ``之<numeral>``; groups ``main`` and ``sub``.
ARTICLE_LABEL_RE = re.compile(rf"第(?P<main>[{NUMERAL_CHARS}]+)条(?:之(?P<sub>[{NUMERAL_CHARS}]+))?")
_ARTICLE_EN_RE = re.compile(r"Article\s+(?P<main>\d+)(?:-(?P<sub>\d+))?", re.IGNORECASE)


def _parse_below_10000(s: str, whole: str) -> int:
    """Parse a numeral without 万/亿: 一千零五, 三百二十, 十七, 零."""
    total = 0
    digit: int | None = None
    last_unit = 10_000
    for ch in s:
        if ch in _DIGITS:
            if digit is not None:
                # Two digits in a row are only allowed as positional 〇-style digits (二〇二三),
                # which the caller handles; here it is garbage (e.g. 一二十).
                raise ValueError(f"not a Chinese numeral: {whole!r}")
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit >= last_unit:
                raise ValueError(f"not a Chinese numeral: {whole!r}")
            if digit is None:
                if unit != 10:
                    # 十 alone means 一十 (十一, 一百十); 百 and 千 need a digit
                    raise ValueError(f"not a Chinese numeral: {whole!r}")
                digit = 1
            if digit == 0:
                raise ValueError(f"not a Chinese numeral: {whole!r}")
            total += digit * unit
            last_unit = unit
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {whole!r}")
        # a 零 just marks a skipped position: 一百零一
        if digit == 0:
            digit = None
            last_unit = min(last_unit, 10_000)
    if digit is not None:
        total += digit
    return total


def parse_chinese_numeral(s: str) -> int:
    """Return the integer value of a Chinese (or Arabic, or full-width) numeral.

    >>> [parse_chinese_numeral(x) for x in ("十", "十一", "二十", "一百零一", "一百一十", "九百九十九")]
    [10, 11, 20, 101, 110, 999]
    >>> parse_chinese_numeral("两千零二十")
    2020
    >>> parse_chinese_numeral("二〇二三"), parse_chinese_numeral("１２"), parse_chinese_numeral("12")
    (2023, 12, 12)
    >>> parse_chinese_numeral("条")
    Traceback (most recent call last):
    ValueError: not a Chinese numeral: '条'
    """
    if not isinstance(s, str):
        raise ValueError(f"not a Chinese numeral: {s!r}")
    t = s.strip().translate(_FULLWIDTH)
    if not t:
        raise ValueError(f"not a Chinese numeral: {s!r}")
    if t.isascii() and t.isdigit():
        return int(t)
    # positional digits only, as in years (二〇二三, 一九九八): read digit by digit
    if len(t) > 1 and all(ch in _DIGITS and ch != "两" for ch in t):
        return int(digit_string(t))
    total = 0
    rest = t
    for big, value in sorted(_BIG_UNITS.items(), key=lambda kv: -kv[1]):
        if big in rest:
            head, _, rest = rest.partition(big)
            if not head or big in rest:
                raise ValueError(f"not a Chinese numeral: {s!r}")
            total += parse_chinese_numeral(head) * value
    if rest:
        total += _parse_below_10000(rest, s)
    return total


def read_numeral_leniently(s: str) -> int:
    """The value of a numeral as running text uses it: strict, except that a leading bare
    百, 千, 万 or 亿 counts one of it (万元 is ten thousand yuan, 百万 a million).

    >>> read_numeral_leniently("一百零一"), read_numeral_leniently("百"), read_numeral_leniently("万")
    (101, 100, 10000)
    >>> read_numeral_leniently("一二十")
    Traceback (most recent call last):
    ValueError: not a Chinese numeral: '一二十'
    """
    try:
        return parse_chinese_numeral(s)
    except ValueError:
        t = s.strip() if isinstance(s, str) else ""
        if t[:1] in ("百", "千", "万", "亿"):
            return parse_chinese_numeral("一" + t)
        raise


def digit_string(s: str) -> str:
    """Positional Chinese digits as ASCII digits: 二〇二三 → '2023', 五 → '5' (decimals after 点).

    >>> digit_string("二〇二三"), digit_string("零五")
    ('2023', '05')
    >>> digit_string("十")
    Traceback (most recent call last):
    ValueError: not positional Chinese digits: '十'
    """
    if not s or any(ch not in _DIGITS or ch == "两" for ch in s):
        raise ValueError(f"not positional Chinese digits: {s!r}")
    return "".join(str(_DIGITS[ch]) for ch in s)


_DIGIT_WORDS = "零一二三四五六七八九"


def to_chinese_numeral(n: int) -> str:
    """The conventional form of ``n`` in article and chapter labels.

    >>> [to_chinese_numeral(x) for x in (0, 1, 10, 11, 20, 101, 110, 999, 1005, 10010)]
    ['零', '一', '十', '十一', '二十', '一百零一', '一百一十', '九百九十九', '一千零五', '一万零一十']
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise ValueError(f"cannot write {n!r} as a Chinese numeral")
    if n == 0:
        return "零"
    if n >= 100_000_000:
        high, low = divmod(n, 100_000_000)
        return to_chinese_numeral(high) + "亿" + (_low_part(low, 10_000_000) if low else "")
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        return to_chinese_numeral(high) + "万" + (_low_part(low, 1000) if low else "")
    if 10 <= n < 20:
        return "十" + (_DIGIT_WORDS[n - 10] if n > 10 else "")
    return _below_10000(n)


def _low_part(low: int, top: int) -> str:
    """The part after 万/亿: a leading 零 when the highest position is empty."""
    text = _below_10000(low) if low < 10_000 else to_chinese_numeral(low)
    return "零" + text if low < top else text


def _below_10000(n: int) -> str:
    out: list[str] = []
    zero_pending = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero_pending:
                out.append("零")
                zero_pending = False
            out.append(_DIGIT_WORDS[d] + unit)
        elif out:
            zero_pending = True
    return "".join(out)


def parse_article_label(label: str) -> str | None:
    """The article number for a label, or None when it is not an article label.

    >>> parse_article_label("第十条"), parse_article_label("第十条之一"), parse_article_label("第一百零一条")
    ('10', '10-1', '101')
    >>> parse_article_label("Article 12"), parse_article_label("第三章"), parse_article_label("第X条")
    ('12', None, None)
    """
    if not isinstance(label, str):
        return None
    text = label.strip()
    m = ARTICLE_LABEL_RE.fullmatch(text)
    if m is None:
        m = _ARTICLE_EN_RE.fullmatch(text)
    if m is None:
        return None
    numbers = label_numbers(m.group("main"), m.group("sub"))
    if numbers is None:
        return None
    main, sub = numbers
    return f"{main}-{sub}" if sub is not None else str(main)


def label_numbers(main: str, sub: str | None) -> tuple[int, int | None] | None:
    """The numbers of an article label's parts: ("十", "一") → (10, 1); None when not a valid label.

    >>> label_numbers("一百零一", None)
    (101, None)
    """
    try:
        n = parse_chinese_numeral(main)
        m = parse_chinese_numeral(sub) if sub else None
    except ValueError:
        return None
    if n < 1 or (m is not None and m < 1):
        return None
    return n, m
