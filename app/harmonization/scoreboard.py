"""Per-jurisdiction alignment deficit (GET /scoreboard, SPEC §4).

Modelled on the EU Single Market Scoreboard's *transposition deficit*: the share of the targets
that apply to a member that it has not yet met, with a colour per member and the change against
a year earlier. Here (SPEC §8.3): ``deficit`` = (divergent + missing) ÷ applicable, where
applicable counts the hard rules listing the jurisdiction; ``unknown`` (no value and no official
text held on the topic) is a gap in the registry, not in the jurisdiction's rules, so it is not in
the deficit; when more than a quarter of the applicable hard rules are unknown the rating is
``incomplete`` instead of a colour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from fractions import Fraction

from app.harmonization import strictness
from app.harmonization.coverage import STATUSES, UNKNOWN, Coverage, HeldVersion, as_coverage
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
#: Rating when more than this share of the applicable hard rules is unknown (SPEC §8.3).
INCOMPLETE = "incomplete"
INCOMPLETE_MIN_UNKNOWN_SHARE = Fraction(1, 4)


def rating(deficit: float | None, unknown: int = 0, applicable: int = 0) -> str:
    """``incomplete`` when unknown > ¼ of applicable; else green / amber / red on the deficit;
    ``none`` when nothing is applicable."""
    if deficit is None:
        return NOT_RATED
    if applicable and Fraction(unknown, applicable) > INCOMPLETE_MIN_UNKNOWN_SHARE:
        return INCOMPLETE
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


def _counts(
    hard_rules: list[HardRuleDef], pmap: Mapping[str, ParameterDef], index: ValueIndex, coverage: Coverage, on: dt.date
) -> dict[str, dict[str, int]]:
    """``{J: {aligned, divergent, missing, unknown}}`` over the hard rules listing J, on ``on``."""
    out: dict[str, dict[str, int]] = {}
    for hr in hard_rules:
        for j, (s, _) in statuses_on(hr, _param(hr, pmap), index, coverage, on).items():
            out.setdefault(j, dict.fromkeys(STATUSES, 0))[s] += 1
    return out


def _deficit(counts: Mapping[str, int] | None) -> Fraction | None:
    """(divergent + missing) ÷ applicable; None when nothing is applicable."""
    n = sum(counts.values()) if counts else 0
    if not n:
        return None
    return Fraction(counts[strictness.DIVERGENT] + counts[strictness.MISSING], n)  # type: ignore[index]


def scoreboard(
    hard_rules: Iterable[HardRuleDef],
    params: Mapping[str, ParameterDef] | Iterable[ParameterDef],
    records: Iterable[ValueRecord] | ValueIndex,
    as_of: dt.date,
    *,
    jurisdictions: Iterable[str] | None = None,
    coverage: Coverage | Iterable[HeldVersion] | None = None,
) -> dict:
    """``{as_of, thresholds, jurisdictions:{J:{applicable, aligned, divergent, missing, unknown,
    deficit, deficit_year_before, change, rating}}}`` (SPEC §4, §8.3).

    Columns: every jurisdiction some hard rule lists (sorted), plus ``jurisdictions`` if given
    (a jurisdiction no hard rule lists has ``applicable: 0`` and null deficits, rating ``none``).
    ``change`` = deficit − deficit_year_before (negative is progress); null when either is null.
    The hard rules are the same set on both dates (hard rules are not versioned).
    """
    pmap = params_by_key(params)
    index = as_index(records)
    coverage = as_coverage(coverage)
    hrs = sorted(hard_rules, key=lambda h: h.id)
    before = year_before(as_of)
    now_counts = _counts(hrs, pmap, index, coverage, as_of)
    before_counts = _counts(hrs, pmap, index, coverage, before)
    codes = set(now_counts) | {j.strip().upper() for j in (jurisdictions or ())}
    out = {}
    for j in sorted(codes):
        counts = now_counts.get(j) or dict.fromkeys(STATUSES, 0)
        n = sum(counts.values())
        d_now = _deficit(counts)
        d_before = _deficit(before_counts.get(j))
        deficit = float(d_now) if d_now is not None else None
        out[j] = {
            "applicable": n,
            **counts,
            "deficit": deficit,
            "deficit_year_before": float(d_before) if d_before is not None else None,
            "change": float(d_now - d_before) if d_now is not None and d_before is not None else None,
            "rating": rating(deficit, counts[UNKNOWN], n),
        }
    return {
        "as_of": as_of.isoformat(),
        "year_before": before.isoformat(),
        "thresholds": {
            GREEN: GREEN_MAX_DEFICIT,
            AMBER: AMBER_MAX_DEFICIT,
            INCOMPLETE: float(INCOMPLETE_MIN_UNKNOWN_SHARE),
        },
        "jurisdictions": out,
    }
