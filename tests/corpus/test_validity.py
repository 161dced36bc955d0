"""In force on D (app/corpus/validity.py): one table, every caller's reading of it agrees.

Before docs/decisions.md "One definition of each domain fact" five places decided it (the
registry's version lists, the search documents, harmonization's value records and held versions,
the index's intervals); each row below is asked of every one of them that remains.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from app.corpus import validity
from app.harmonization.coverage import HeldVersion
from app.harmonization.values import ValueRecord
from app.search.documents import ArticleDoc

D = dt.date.fromisoformat


@dataclass(frozen=True)
class V:
    start: dt.date
    repealed: dt.date | None = None


V1, V2 = V(D("2020-01-01")), V(D("2023-03-01"))
REPEALED = V(D("2021-10-01"), repealed=D("2025-01-01"))
FUTURE = V(D("2099-01-01"))
LAST_REPEALED = V(D("2023-03-01"), repealed=D("2025-01-01"))
SAME_DAY = V(D("2024-01-01"), repealed=D("2024-01-01"))  # repealed the day it took effect

# (case, versions, day, the version in force (index) or None, each version's status that day)
TABLE = [
    ("before the first start", [V1, V2], "2019-12-31", None, ["not_yet_effective", "not_yet_effective"]),
    ("start is inclusive", [V1, V2], "2020-01-01", 0, ["in_force", "not_yet_effective"]),
    ("the day before an amendment", [V1, V2], "2023-02-28", 0, ["in_force", "not_yet_effective"]),
    ("same-day amendment: the new version takes over", [V1, V2], "2023-03-01", 1, ["superseded", "in_force"]),
    ("open end", [V1, V2], "2099-12-31", 1, ["superseded", "in_force"]),
    ("the day before a repeal", [REPEALED], "2024-12-31", 0, ["in_force"]),
    ("repeal is exclusive: repealed on D is not in force on D", [REPEALED], "2025-01-01", None, ["repealed"]),
    ("future-dated version", [FUTURE], "2026-12-01", None, ["not_yet_effective"]),
    ("amended, then repealed", [V1, LAST_REPEALED], "2024-06-01", 1, ["superseded", "in_force"]),
    ("amended, then repealed: after the repeal", [V1, LAST_REPEALED], "2025-01-01", None, ["superseded", "repealed"]),
    ("repealed the day it took effect", [SAME_DAY], "2024-01-01", None, ["repealed"]),
]


def _article_doc(valid_from, valid_to):
    return ArticleDoc("r", "r@x", None, "", "", "", "", "", "CN-SH", "t", "k", 2020, valid_from, valid_to)


def _record(valid_from, valid_to):
    return ValueRecord("k", None, 1.0, "CN-SH", ["CN-SH"], "r", "r@x", None, valid_from, valid_to)


def _held(valid_from, valid_to):
    return HeldVersion("r", "r@x", "t", "CN-SH", ["CN-SH"], "full_text", valid_from, valid_to)


@pytest.mark.parametrize(("case", "versions", "day", "expected", "statuses"), TABLE, ids=[row[0] for row in TABLE])
def test_every_reading_of_in_force_agrees(case, versions, day, expected, statuses):
    on = D(day)
    want = None if expected is None else versions[expected]
    assert validity.in_force(versions, on) is want
    assert [validity.status_on(v, versions, on) for v in versions] == statuses
    intervals = validity.intervals(versions)
    assert [v for v, _, _ in intervals] == versions
    for v, valid_from, valid_to in intervals:
        in_force = v is want
        assert validity.in_force_between(valid_from, valid_to, on) is in_force
        assert (validity.status_on(v, versions, on) == "in_force") is in_force
        # what the search index and harmonization store: the same interval, the same answer
        assert _article_doc(valid_from, valid_to).in_force_on(on) is in_force
        assert _record(valid_from, valid_to).in_force(on) is in_force
        assert _held(valid_from, valid_to).in_force(on) is in_force


def test_intervals_end_at_the_next_start_or_the_repeal_whichever_is_first():
    assert validity.intervals([V1, LAST_REPEALED]) == [
        (V1, V1.start, LAST_REPEALED.start),
        (LAST_REPEALED, LAST_REPEALED.start, D("2025-01-01")),
    ]
    # a repeal date on an earlier version (the loader refuses it) still ends that version
    early = V(D("2020-01-01"), repealed=D("2021-01-01"))
    assert validity.intervals([early, V2])[0] == (early, early.start, D("2021-01-01"))
    assert validity.in_force([early, V2], D("2022-01-01")) is None
    assert validity.status_on(early, [early, V2], D("2022-01-01")) == "repealed"


def test_shown_version_for_listings():
    assert validity.shown_version([V1, V2], D("2019-01-01")) is V1
    assert validity.shown_version([V1, V2], D("2024-01-01")) is V2
    assert validity.shown_version([REPEALED], D("2030-01-01")) is REPEALED
