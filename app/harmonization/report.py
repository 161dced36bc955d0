"""What the annual report (年度体检) says, as data; the site's one template shows it as a page
(/report) and as one self-contained file (/report/<year>.html, ``registry report --year Y``).

Sections: alignment status of every hard rule at year end (31 December), the changes recorded
during the year (versions added, corrected, repealed; alignment broken or restored), hard rules
overdue at year end, and each jurisdiction's deficit at year end against the previous year end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from app.harmonization.coverage import Coverage, HeldVersion
from app.harmonization.feeds import ChangeEvent
from app.harmonization.hard_rules import OVERDUE, alignment_changes, hard_rules_status, progress_series
from app.harmonization.scoreboard import scoreboard
from app.harmonization.values import HardRuleDef, ParameterDef, ValueIndex, ValueRecord, as_index


def report_data(
    year: int,
    *,
    hard_rules: Iterable[HardRuleDef],
    params: Mapping[str, ParameterDef] | Iterable[ParameterDef],
    records: Iterable[ValueRecord] | ValueIndex,
    changes: Iterable[ChangeEvent] = (),
    jurisdictions: Iterable[str] | None = None,
    coverage: Coverage | Iterable[HeldVersion] | None = None,
) -> dict:
    """What the 年度体检 for ``year`` says, as data (the report page and the one-file report show it): ``year_end``; ``board`` (the scoreboard at year end, against the year before);
    ``status`` (every hard rule at year end); ``overdue`` (those overdue at year end);
    ``alignment_events`` (alignment broken or restored during the year, by date); ``changes``
    (rule versions added, corrected or repealed during the year, by date); ``series`` (the aligned
    share of all hard rules over time, up to year end); ``hard_rules`` (their number)."""
    year_end = dt.date(year, 12, 31)
    year_start = dt.date(year, 1, 1)
    hrs = sorted(hard_rules, key=lambda h: h.id)
    index = as_index(records)
    cov = coverage if isinstance(coverage, Coverage) else Coverage(coverage or ())
    status = hard_rules_status(hrs, params, index, year_end, coverage=cov)["items"]
    return {
        "year": year,
        "year_end": year_end,
        "hard_rules": len(hrs),
        "board": scoreboard(hrs, params, index, year_end, jurisdictions=jurisdictions, coverage=cov),
        "status": status,
        "overdue": [item for item in status if item["deadline_status"] == OVERDUE],
        "alignment_events": sorted(
            alignment_changes(hrs, params, index, until=year_end, since=year_start, coverage=cov),
            key=lambda e: (e.date, e.hard_rule_id, e.jurisdiction),
        ),
        "changes": sorted(
            (c for c in changes if c.date.year == year), key=lambda c: (c.date, c.rule_id, c.version, c.kind)
        ),
        "series": progress_series(hrs, params, index, year_end),
    }
