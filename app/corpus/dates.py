"""Dates as the registry reads and writes them: ``YYYY-MM-DD`` in China Standard Time (SPEC §2, §3).

The one strict date parser and the one China time zone (docs/decisions.md "One definition of each
domain fact"). Pure stdlib: every package may import it.

>>> parse_date("2023-03-01")
datetime.date(2023, 3, 1)
>>> parse_date("2023-02-30")
Traceback (most recent call last):
ValueError: '2023-02-30' is not a real date (YYYY-MM-DD)
>>> parse_date("20230301")
Traceback (most recent call last):
ValueError: '20230301' is not a date; write YYYY-MM-DD (e.g. 2023-03-28)
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["CST", "DATE_PATTERN", "parse_date", "today"]

#: China Standard Time (UTC+8): "today" is today in CST, and a date without a time is midnight CST.
CST = dt.timezone(dt.timedelta(hours=8), "CST")

#: The written form of a date, for building larger patterns (file names, ``<rule>@<date>`` ids).
DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_DATE_RE = re.compile(DATE_PATTERN)


def today() -> dt.date:
    """Today in China Standard Time, the registry's default ``as_of``."""
    return dt.datetime.now(CST).date()


def parse_date(value: object) -> dt.date:
    """The date written ``YYYY-MM-DD`` (ASCII digits, nothing before or after); a ``date`` is returned as is.

    Refuses what ``date.fromisoformat`` would also take (``20230301``, ``2023-W09-3``, full-width
    digits, a time part) and dates not in the calendar, with a message naming the value. Raises
    ValueError; callers wrap the message in their own error type.
    """
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or _DATE_RE.fullmatch(value) is None:
        raise ValueError(f"{value!r} is not a date; write YYYY-MM-DD (e.g. 2023-03-28)")
    try:
        return dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
    except ValueError:
        raise ValueError(f"{value!r} is not a real date (YYYY-MM-DD)") from None
