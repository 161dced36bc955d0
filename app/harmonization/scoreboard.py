"""Per-jurisdiction alignment deficit (GET /scoreboard, SPEC §4).

Modelled on the EU Single Market Scoreboard's *transposition deficit*: the share of the targets
that apply to a member that it has not yet met, with a colour per member and the change against
a year earlier. Here: ``deficit`` = share of the hard rules listing the jurisdiction that it is
not aligned with on ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from fractions import Fraction

from app.harmonization import strictness
from app.harmonization.hard_rules import _param, statuses_on
from app.harmonization.values import (
    HardRuleDef,
    ParameterDef,
    ValueIndex,
    ValueRecord,
    as_index,
    params_by_key,
)

# Rating thresholds on the deficit (share of applicable hard rules not aligned). The EU
# scoreboard's 1 % transposition target suits thousands of directives; with a handful of hard
# rules per jurisdiction each one moves the deficit by 10-50 %, so we use quarters:
#   green: deficit <= 0.25 (at most a quarter of the targets open)
#   amber: deficit <= 0.50
#   red:   deficit >  0.50
GREEN_MAX_DEFICIT = 0.25
AMBER_MAX_DEFICIT = 0.50
GREEN, AMBER, RED = "green", "amber", "red"
#: Rating of a jurisdiction that no hard rule lists (deficit null).
NOT_RATED = "none"


def rating(deficit: float | None) -> str:
    if deficit is None:
        return NOT_RATED
    if deficit <= GREEN_MAX_DEFICIT:
        return GREEN
    if deficit <= AMBER_MAX_DEFICIT:
        return AMBER
    return RED


def year_before(d: dt.date) -> dt.date:
    """``d`` minus one year; 29 February becomes 28 February."""
    try:
        return d.replace(year=d.year - 1)
    except ValueError:
        return d.replace(year=d.year - 1, day=28)


def _deficits(
    hard_rules: list[HardRuleDef], pmap: Mapping[str, ParameterDef], index: ValueIndex, on: dt.date
) -> tuple[dict[str, int], dict[str, int]]:
    applicable: dict[str, int] = {}
    aligned: dict[str, int] = {}
    for hr in hard_rules:
        for j, (s, _) in statuses_on(hr, _param(hr, pmap).stricter, index, on).items():
            applicable[j] = applicable.get(j, 0) + 1
            aligned[j] = aligned.get(j, 0) + (s == strictness.ALIGNED)
    return applicable, aligned


def scoreboard(
    hard_rules: Iterable[HardRuleDef],
    params: Mapping[str, ParameterDef] | Iterable[ParameterDef],
    records: Iterable[ValueRecord] | ValueIndex,
    as_of: dt.date,
    *,
    jurisdictions: Iterable[str] | None = None,
) -> dict:
    """``{as_of, thresholds, jurisdictions:{J:{applicable, aligned, deficit, deficit_year_before,
    change, rating}}}``.

    Columns: every jurisdiction some hard rule lists (sorted), plus ``jurisdictions`` if given
    (a jurisdiction no hard rule lists has ``applicable: 0`` and null deficits, rating ``none``).
    ``change`` = deficit − deficit_year_before (negative is progress); null when either is null.
    The hard rules are the same set on both dates (hard rules are not versioned).
    """
    pmap = params_by_key(params)
    index = as_index(records)
    hrs = sorted(hard_rules, key=lambda h: h.id)
    before = year_before(as_of)
    app_now, al_now = _deficits(hrs, pmap, index, as_of)
    _, al_before = _deficits(hrs, pmap, index, before)
    codes = set(app_now) | {j.strip().upper() for j in (jurisdictions or ())}
    out = {}
    for j in sorted(codes):
        n = app_now.get(j, 0)
        d_now = Fraction(n - al_now.get(j, 0), n) if n else None
        d_before = Fraction(n - al_before.get(j, 0), n) if n else None
        deficit = float(d_now) if d_now is not None else None
        out[j] = {
            "applicable": n,
            "aligned": al_now.get(j, 0),
            "deficit": deficit,
            "deficit_year_before": float(d_before) if d_before is not None else None,
            "change": float(d_now - d_before) if d_now is not None and d_before is not None else None,
            "rating": rating(deficit),
        }
    return {
        "as_of": as_of.isoformat(),
        "year_before": before.isoformat(),
        "thresholds": {GREEN: GREEN_MAX_DEFICIT, AMBER: AMBER_MAX_DEFICIT},
        "jurisdictions": out,
    }
