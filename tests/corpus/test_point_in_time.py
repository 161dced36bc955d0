"""Point in time (SPEC §2): which version is in force on D, and each version's status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from app.corpus import dates, validity

D = dt.date.fromisoformat


@dataclass
class V:
    start: dt.date
    repealed: dt.date | None = None


V1, V2 = V(D("2020-01-01")), V(D("2023-03-01"))
REPEALED = V(D("2021-10-01"), repealed=D("2025-01-01"))


@pytest.mark.parametrize(
    ("versions", "on", "expected"),
    [
        ([V1, V2], "2019-12-31", None),
        ([V1, V2], "2020-01-01", V1),
        ([V1, V2], "2023-02-28", V1),
        ([V1, V2], "2023-03-01", V2),
        ([REPEALED], "2024-12-31", REPEALED),
        ([REPEALED], "2025-01-01", None),  # a rule repealed on D is not in force on D
    ],
)
def test_in_force(versions, on, expected):
    assert validity.in_force(versions, D(on)) is expected


@pytest.mark.parametrize(
    ("version", "on", "status"),
    [
        (V1, "2019-06-01", "not_yet_effective"),
        (V1, "2021-06-01", "in_force"),
        (V1, "2023-03-01", "superseded"),
        (V2, "2023-03-01", "in_force"),
    ],
)
def test_status_on(version, on, status):
    assert validity.status_on(version, [V1, V2], D(on)) == status


def test_status_of_repealed_rule():
    assert validity.status_on(REPEALED, [REPEALED], D("2025-01-01")) == "repealed"


def test_validity_intervals_are_half_open_and_end_at_repeal():
    last = V(D("2023-03-01"), repealed=D("2026-01-01"))
    assert validity.intervals([V1, last]) == [(V1, V1.start, last.start), (last, last.start, D("2026-01-01"))]


def test_shown_version_for_listings():
    assert validity.shown_version([V1, V2], D("2019-01-01")) is V1
    assert validity.shown_version([V1, V2], D("2024-01-01")) is V2
    assert validity.shown_version([REPEALED], D("2030-01-01")) is REPEALED


def test_today_is_china_standard_time():
    now_cst = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    assert dates.today() in (now_cst, now_cst - dt.timedelta(days=1))
