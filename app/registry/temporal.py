"""Point in time (SPEC §2): which version of a rule is in force on a date, and its status.

Works on any objects with ``start`` and ``repealed`` dates, sorted by ``start``.
A version is in force on D when it is the latest version with start <= D and
the rule was not repealed on or before D::

    v1(start 2020-01-01), v2(start 2023-03-01)
    in_force([v1, v2], 2022-12-31) -> v1;  in_force([v1, v2], 2023-03-01) -> v2
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol, TypeVar

CST = dt.timezone(dt.timedelta(hours=8), "CST")


class Dated(Protocol):
    start: dt.date
    repealed: dt.date | None


V = TypeVar("V", bound=Dated)


def today() -> dt.date:
    """Today in China Standard Time (UTC+8), the registry's default ``as_of``."""
    return dt.datetime.now(CST).date()


def in_force(versions: Sequence[V], on: dt.date) -> V | None:
    current = None
    for v in versions:
        if v.start <= on:
            current = v
        else:
            break
    if current is None:
        return None
    if current.repealed is not None and current.repealed <= on:
        return None
    return current


def status_on(version: Dated, versions: Sequence[Dated], on: dt.date) -> str:
    """in_force | not_yet_effective | superseded | repealed — the status of one version on a date."""
    if version.start > on:
        return "not_yet_effective"
    later = [v for v in versions if v.start > version.start]
    if later and later[0].start <= on:
        return "superseded"
    if version.repealed is not None and version.repealed <= on:
        return "repealed"
    return "in_force"


def validity(versions: Sequence[V]) -> list[tuple[V, dt.date, dt.date | None]]:
    """Each version with its half-open interval [from, to): to is the next start or the repeal date."""
    out = []
    for i, v in enumerate(versions):
        end = versions[i + 1].start if i + 1 < len(versions) else v.repealed
        out.append((v, v.start, end))
    return out


def shown_version(versions: Sequence[V], on: dt.date) -> V:
    """The version a listing shows for a date: in force, else the latest started, else the first."""
    current = None
    for v in versions:
        if v.start <= on:
            current = v
    return current if current is not None else versions[0]
