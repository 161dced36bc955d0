"""In force on a date (SPEC §2 "Point in time"): the one definition every package uses.

A version is valid over the half-open interval ``[valid_from, valid_to)``: from its start
(effective, else published, else adopted) up to, not including, the next version's start or the
repeal date, whichever comes first; ``valid_to`` None means open. It is in force on D when
``valid_from <= D < valid_to``::

    v1(start 2020-01-01), v2(start 2023-03-01)
    in_force([v1, v2], 2022-12-31) -> v1;  in_force([v1, v2], 2023-03-01) -> v2

So a new version takes over on its own start date (the old one is superseded that day), a repeal
dated D ends the rule on D, and a version dated after D is not yet effective. The registry
(versions from the database), the search index (stored ``valid_from``/``valid_to``) and
harmonization (value records) all decide with :func:`in_force_between` or the functions built on it
(docs/decisions.md "One definition of each domain fact"). Pure stdlib.

>>> import datetime as dt
>>> in_force_between(dt.date(2020, 1, 1), dt.date(2023, 3, 1), dt.date(2023, 3, 1))
False
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol, TypeVar

__all__ = ["Dated", "in_force", "in_force_between", "intervals", "shown_version", "status_on"]


class Dated(Protocol):
    """A version: its start date and, on the latest version of a repealed rule, the repeal date."""

    @property
    def start(self) -> dt.date: ...

    @property
    def repealed(self) -> dt.date | None: ...


V = TypeVar("V", bound=Dated)

#: The statuses of a version on a date, as :func:`status_on` names them.
IN_FORCE, NOT_YET_EFFECTIVE, SUPERSEDED, REPEALED = "in_force", "not_yet_effective", "superseded", "repealed"


def in_force_between(valid_from: dt.date, valid_to: dt.date | None, on: dt.date) -> bool:
    """True when ``on`` lies in ``[valid_from, valid_to)`` (``valid_to`` None: open)."""
    return valid_from <= on and (valid_to is None or on < valid_to)


def intervals(versions: Sequence[V]) -> list[tuple[V, dt.date, dt.date | None]]:
    """Each version (sorted by start) with its interval ``(version, valid_from, valid_to)``.

    ``valid_to`` is the next version's start or the version's repeal date, the earlier of the two.
    """
    out = []
    for i, v in enumerate(versions):
        out.append((v, v.start, _end(versions[i + 1].start if i + 1 < len(versions) else None, v.repealed)))
    return out


def _end(next_start: dt.date | None, repealed: dt.date | None) -> dt.date | None:
    ends = [d for d in (next_start, repealed) if d is not None]
    return min(ends) if ends else None


def in_force(versions: Sequence[V], on: dt.date) -> V | None:
    """The version (of versions sorted by start) in force on ``on``, or None."""
    for v, valid_from, valid_to in intervals(versions):
        if in_force_between(valid_from, valid_to, on):
            return v
    return None


def status_on(version: Dated, versions: Sequence[Dated], on: dt.date) -> str:
    """in_force | not_yet_effective | superseded | repealed — the status of one of ``versions`` on a date."""
    if on < version.start:
        return NOT_YET_EFFECTIVE
    next_start = min((v.start for v in versions if v.start > version.start), default=None)
    if in_force_between(version.start, _end(next_start, version.repealed), on):
        return IN_FORCE
    return SUPERSEDED if next_start is not None and next_start <= on else REPEALED


def shown_version(versions: Sequence[V], on: dt.date) -> V:
    """The version a listing shows for a date: the latest started on or before it (in force, or the
    repealed rule's last version), else the first."""
    current = None
    for v in versions:
        if v.start <= on:
            current = v
    return current if current is not None else versions[0]
