"""Hard rules (harmonization targets): status per jurisdiction, deadline status and timeline.

GET /hard-rules and /hard-rules/<id> (SPEC §4, §8.3). A jurisdiction is aligned when its binding
value for the hard rule's ``(parameter, scope)`` is at least as strict as the target, divergent when
less strict; with no value it is missing when the registry holds its official text on the
parameter's topic, else unknown (``coverage``). A hard rule without ``scope`` counts only values
without scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from app.exceptions import NotFound, ValidationError
from app.harmonization import coverage as cov
from app.harmonization import strictness
from app.harmonization.coverage import Coverage, HeldVersion, as_coverage
from app.harmonization.values import (
    Binding,
    HardRuleDef,
    ParameterDef,
    ValueIndex,
    ValueRecord,
    as_index,
    iso,
    params_by_key,
)

MET, ON_TRACK, OVERDUE = "met", "on_track", "overdue"


@dataclass(frozen=True)
class AlignmentEvent:
    """A version that breaks or restores a jurisdiction's alignment with a hard rule (for the feed).

    ``kind`` is ``broken`` (was aligned, now divergent or missing) or ``restored`` (now aligned
    after being divergent or missing). ``rule_id``/``version``/``article`` cite the binding value
    after the change (None when it became missing).
    """

    date: dt.date
    hard_rule_id: str
    hard_rule_title: str
    jurisdiction: str
    kind: str
    before: str
    after: str
    value: float | bool | None
    target: float | bool
    rule_id: str | None
    version: str | None
    article: str | None


def _param(hr: HardRuleDef, pmap: Mapping[str, ParameterDef]) -> ParameterDef:
    p = pmap.get(hr.parameter)
    if p is None:
        raise ValidationError(
            f"hard rule {hr.id}: unknown parameter {hr.parameter!r}", fields={"parameter": hr.parameter}
        )
    return p


def statuses_on(
    hr: HardRuleDef, p: ParameterDef, index: ValueIndex, coverage: Coverage, on: dt.date
) -> dict[str, tuple[str, Binding | None]]:
    """``{J: (aligned|divergent|missing|unknown, binding)}`` for each listed jurisdiction on ``on``."""
    cells = index.bindings(hr.parameter, hr.scope, list(hr.jurisdictions), on, p.stricter)
    return {
        j: (
            cov.alignment(
                b.value if b else None,
                hr.target,
                p.stricter,
                b is not None or coverage.official(j, p.topic, on),
            ),
            b,
        )
        for j, b in cells.items()
    }


def status_dates(hr: HardRuleDef, p: ParameterDef, index: ValueIndex, coverage: Coverage, until: dt.date) -> list:
    """The timeline's dates up to ``until``: every date on which a version holding the hard rule's
    ``(parameter, scope)`` for a listed jurisdiction (or a CN version) took effect or stopped, plus
    every date on which a listed jurisdiction's official coverage of the parameter's topic started or
    ended *and* that changed its status (missing ↔ unknown: only when it has no binding value then;
    its binding cannot change on a date that is not already a value date)."""
    js = list(hr.jurisdictions)
    dates = {d for d in index.change_dates(hr.parameter, hr.scope, js) if d <= until}
    for j in js:
        for d in coverage.changes(j, p.topic):
            if d > until:
                break
            if d not in dates and index.bindings(hr.parameter, hr.scope, [j], d, p.stricter)[j] is None:
                dates.add(d)
    return sorted(dates)


def aligned_share(statuses: Iterable[str], listed: int) -> float:
    """aligned ÷ listed (0..1); 0.0 for a hard rule that lists no jurisdiction."""
    n = sum(1 for s in statuses if s == strictness.ALIGNED)
    return float(Fraction(n, listed)) if listed else 0.0


def deadline_status(all_aligned: bool, deadline: dt.date | None, on: dt.date) -> str:
    """``met`` (all aligned), ``on_track`` (deadline not passed, or none set) or ``overdue``.
    The deadline day itself still counts as on track."""
    if all_aligned:
        return MET
    if deadline is None or on <= deadline:
        return ON_TRACK
    return OVERDUE


def hard_rule_status(
    hr: HardRuleDef,
    params: Mapping[str, ParameterDef] | Iterable[ParameterDef],
    records: Iterable[ValueRecord] | ValueIndex,
    as_of: dt.date,
    *,
    timeline: bool = False,
    coverage: Coverage | Iterable[HeldVersion] | None = None,
) -> dict:
    """One item of GET /hard-rules (with ``timeline`` when asked, as GET /hard-rules/<id>).

    Each status entry also carries ``verified_in_text`` (only when the cited value comes from a
    full_text version) and ``held``: the rules of the parameter's topic binding J that the
    registry holds in force on ``as_of``, by provenance (``{full_text, summary, unspecified}``), so
    a page can say what an ``unknown`` rests on."""
    pmap = params_by_key(params)
    p = _param(hr, pmap)
    index = as_index(records)
    coverage = as_coverage(coverage)
    st = statuses_on(hr, p, index, coverage, as_of)
    status = {}
    for j, (s, b) in st.items():
        status[j] = {
            "status": s,
            "value": b.value if b else None,
            "rule_id": b.rule_id if b else None,
            "version": b.version if b else None,
            "article": b.article_id if b else None,
            **(b.verification() if b else {}),
            "held": coverage.held(j, p.topic, as_of),
        }
        if b is not None and b.conflict:
            status[j]["conflict"] = True
    listed = len(st)
    all_aligned = listed > 0 and all(s == strictness.ALIGNED for s, _ in st.values())
    item = {
        "id": hr.id,
        "title": hr.title,
        "title_en": hr.title_en,
        "parameter": hr.parameter,
        "scope": hr.scope,
        "target": hr.target,
        "unit": p.unit,
        "stricter": p.stricter,
        "jurisdictions": list(st),
        "lead": hr.lead,
        "deliverable": hr.deliverable,
        "deliverable_en": hr.deliverable_en,
        "deadline": iso(hr.deadline),
        "source_url": hr.source_url,
        "topic": p.topic,
        "deadline_status": deadline_status(all_aligned, hr.deadline, as_of),
        "status": status,
        "aligned_share": aligned_share((s for s, _ in st.values()), listed),
    }
    if timeline:
        item["timeline"] = hard_rule_timeline(hr, p, index, as_of, coverage)
    return item


def hard_rules_status(
    hard_rules: Iterable[HardRuleDef],
    params: Mapping[str, ParameterDef] | Iterable[ParameterDef],
    records: Iterable[ValueRecord] | ValueIndex,
    as_of: dt.date,
    *,
    coverage: Coverage | Iterable[HeldVersion] | None = None,
) -> dict:
    """GET /hard-rules: ``{as_of, items:[…]}``, items ordered by hard rule id."""
    pmap = params_by_key(params)
    index = as_index(records)
    coverage = as_coverage(coverage)
    items = [
        hard_rule_status(hr, pmap, index, as_of, coverage=coverage) for hr in sorted(hard_rules, key=lambda h: h.id)
    ]
    return {"as_of": as_of.isoformat(), "items": items}


def hard_rule_detail(
    hard_rule_id: str,
    hard_rules: Iterable[HardRuleDef],
    params: Mapping[str, ParameterDef] | Iterable[ParameterDef],
    records: Iterable[ValueRecord] | ValueIndex,
    as_of: dt.date,
    *,
    coverage: Coverage | Iterable[HeldVersion] | None = None,
) -> dict:
    """GET /hard-rules/<id>: the item plus ``timeline``; NotFound for an unknown id."""
    for hr in hard_rules:
        if hr.id == hard_rule_id:
            return hard_rule_status(hr, params, records, as_of, timeline=True, coverage=coverage)
    raise NotFound(f"no hard rule {hard_rule_id!r}", fields={"id": hard_rule_id})


def hard_rule_timeline(
    hr: HardRuleDef, p: ParameterDef, index: ValueIndex, until: dt.date, coverage: Coverage | None = None
) -> list[dict]:
    """``[{date, status:{J: …}, aligned_share}]``: one point per date (up to and including
    ``until``) on which a version relevant to the listed jurisdictions took effect or stopped being
    in force (the next version's start or the repeal date), and per date on which a change of
    official coverage changed a status (``status_dates``)."""
    points = []
    js = list(hr.jurisdictions)
    coverage = as_coverage(coverage)
    for d in status_dates(hr, p, index, coverage, until):
        st = statuses_on(hr, p, index, coverage, d)
        points.append(
            {
                "date": d.isoformat(),
                "status": {j: s for j, (s, _) in st.items()},
                "aligned_share": aligned_share((s for s, _ in st.values()), len(js)),
            }
        )
    return points


def alignment_changes(
    hard_rules: Iterable[HardRuleDef],
    params: Mapping[str, ParameterDef] | Iterable[ParameterDef],
    records: Iterable[ValueRecord] | ValueIndex,
    until: dt.date,
    since: dt.date | None = None,
    *,
    coverage: Coverage | Iterable[HeldVersion] | None = None,
) -> list[AlignmentEvent]:
    """Every date in ``[since, until]`` on which a jurisdiction's alignment with a hard rule went
    from aligned to not aligned (``broken``) or back (``restored``), newest first. The status
    before the first relevant date is ``missing`` or ``unknown`` as coverage then says."""
    pmap = params_by_key(params)
    index = as_index(records)
    coverage = as_coverage(coverage)
    events: list[AlignmentEvent] = []
    for hr in hard_rules:
        p = _param(hr, pmap)
        dates = status_dates(hr, p, index, coverage, until)
        first = statuses_on(hr, p, index, coverage, dates[0] - dt.timedelta(days=1)) if dates else {}
        prev = {j: first[j][0] if j in first else strictness.MISSING for j in hr.jurisdictions}
        for d in dates:
            st = statuses_on(hr, p, index, coverage, d)
            for j, (s, b) in st.items():
                was = prev[j]
                prev[j] = s
                if (was == strictness.ALIGNED) == (s == strictness.ALIGNED):
                    continue
                if since is not None and d < since:
                    continue
                events.append(
                    AlignmentEvent(
                        date=d,
                        hard_rule_id=hr.id,
                        hard_rule_title=hr.title,
                        jurisdiction=j,
                        kind="restored" if s == strictness.ALIGNED else "broken",
                        before=was,
                        after=s,
                        value=b.value if b else None,
                        target=hr.target,
                        rule_id=b.rule_id if b else None,
                        version=b.version if b else None,
                        article=b.article_id if b else None,
                    )
                )
    events.sort(key=lambda e: (-e.date.toordinal(), e.hard_rule_id, e.jurisdiction))
    return events


def progress_series(
    hard_rules: Sequence[HardRuleDef],
    params: Mapping[str, ParameterDef] | Iterable[ParameterDef],
    records: Iterable[ValueRecord] | ValueIndex,
    until: dt.date,
) -> list[tuple[dt.date, float]]:
    """Overall progress over time for the chart: at every change date of any hard rule (up to
    ``until``, plus ``until`` itself), the share of all (hard rule, listed jurisdiction) pairs
    that are aligned."""
    pmap = params_by_key(params)
    index = as_index(records)
    dates: set[dt.date] = {until}
    for hr in hard_rules:
        dates.update(d for d in index.change_dates(hr.parameter, hr.scope, list(hr.jurisdictions)) if d <= until)
    pairs = sum(len(hr.jurisdictions) for hr in hard_rules)
    out = []
    for d in sorted(dates):
        aligned = 0
        for hr in hard_rules:
            st = statuses_on(hr, _param(hr, pmap), index, Coverage(), d)  # coverage does not change "aligned"
            aligned += sum(1 for s, _ in st.values() if s == strictness.ALIGNED)
        out.append((d, float(Fraction(aligned, pairs)) if pairs else 0.0))
    return out
