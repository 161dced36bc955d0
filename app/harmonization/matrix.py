"""The topic matrix (GET /matrix, SPEC §4 and §5 "Matrix").

Rows are ``(key, scope)`` of the topic's parameters; columns are jurisdictions; each cell is the
jurisdiction's binding value on ``as_of`` with its source. See the package docstring for the
choices the SPEC leaves open (which rows, null cells, ``equal`` parameters).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

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
    jurisdiction_list,
    params_by_key,
)

ROW_ALIGNED, ROW_PARTIAL, ROW_DIVERGENT = "aligned", "partial", "divergent"
CELL_STRICTEST, CELL_LESS_STRICT, CELL_MISSING = "strictest", "less_strict", "missing"


def row_status(values: Sequence, n_columns: int) -> str:
    """SPEC §5: ``aligned`` when every column has a value and all are equal, ``partial`` when the
    values present are equal but some columns have none (also when no column has one),
    ``divergent`` otherwise."""
    if not strictness.all_equal(values):
        return ROW_DIVERGENT
    return ROW_ALIGNED if values and len(values) == n_columns else ROW_PARTIAL


def matrix_rows_for(
    topic: str,
    params: Iterable[ParameterDef],
    index: ValueIndex,
    hard_rules: Iterable[HardRuleDef],
    jurisdictions: Sequence[str],
    as_of: dt.date,
) -> list[tuple[ParameterDef, str | None, dict[str, Binding | None]]]:
    """``(parameter, scope, {J: Binding|None})`` for every row of the topic, in row order."""
    targeted: dict[str, set[str | None]] = {}
    for hr in hard_rules:
        targeted.setdefault(hr.parameter, set()).add(hr.scope)
    out = []
    for p in params:
        if p.topic != topic:
            continue
        rows: list[tuple[str | None, dict[str, Binding | None]]] = []
        for scope in index.scopes(p.key):
            cells = index.bindings(p.key, scope, jurisdictions, as_of, p.stricter)
            if any(b is not None for b in cells.values()) or scope in targeted.get(p.key, ()):
                rows.append((scope, cells))
        have = {scope for scope, _ in rows}
        for scope in sorted(targeted.get(p.key, set()) - have, key=lambda s: (s is not None, s or "")):
            rows.append((scope, {j: None for j in jurisdictions}))
        if not rows:
            rows.append((None, {j: None for j in jurisdictions}))
        rows.sort(key=lambda r: (r[0] is not None, r[0] or ""))
        out.extend((p, scope, cells) for scope, cells in rows)
    return out


def matrix(
    topic: str,
    params: Iterable[ParameterDef] | Mapping[str, ParameterDef],
    records: Iterable[ValueRecord] | ValueIndex,
    hard_rules: Iterable[HardRuleDef] = (),
    *,
    jurisdictions: Iterable[str] | None = None,
    as_of: dt.date,
    coverage: Coverage | Iterable[HeldVersion] | None = None,
) -> dict:
    """The /matrix document: ``{topic, as_of, jurisdictions, rows:[…], coverage}`` (SPEC §4, §8.3).

    Each row: ``{key, scope, label_zh, label_en, unit, stricter, values:{J: cell|null}, status,
    strictest:{jurisdictions, value}, spread, hard_rules:[ids]}``; a cell is
    ``{value, status, rule_id, version, article}`` plus ``verified_in_text`` (only when the value
    comes from a full_text version), ``conflict`` (``equal`` parameters only) and ``alignment`` (aligned | divergent | missing | unknown) where a hard rule
    listing that jurisdiction targets the row. ``coverage`` (additive) is, per column, whether the
    registry holds official text of the topic binding it (``official``) and how many rules of the
    topic it holds in force by provenance (``held``), so pages can word an empty cell honestly.
    """
    cols = jurisdiction_list(jurisdictions)
    index = as_index(records)
    coverage = as_coverage(coverage)
    plist = list(params_by_key(params).values())
    hrs = list(hard_rules)
    rows = []
    for p, scope, cells in matrix_rows_for(topic, plist, index, hrs, cols, as_of):
        covered = {j: coverage.official(j, p.topic, as_of) for j in cols}
        rows.append(_row(p, scope, cells, cols, [h for h in hrs if h.row == (p.key, scope)], covered))
    return {
        "topic": topic,
        "as_of": as_of.isoformat(),
        "jurisdictions": cols,
        "rows": rows,
        "coverage": column_coverage(coverage, topic, cols, as_of),
    }


def column_coverage(coverage: Coverage, topic: str, cols: Sequence[str], on: dt.date) -> dict:
    """``{J: {official, held:{full_text, summary, unspecified}}}`` for the matrix's columns."""
    return {j: {"official": coverage.official(j, topic, on), "held": coverage.held(j, topic, on)} for j in cols}


def _row(
    p: ParameterDef,
    scope: str | None,
    cells: Mapping[str, Binding | None],
    cols: Sequence[str],
    targets: Sequence[HardRuleDef],
    covered: Mapping[str, bool] | None = None,
) -> dict:
    """One matrix row; ``covered`` says per column whether the registry holds official text of the
    parameter's topic binding it (missing vs unknown); none given: no column is covered."""
    covered = covered or {}
    present = {j: b for j, b in cells.items() if b is not None}
    values = [b.value for b in present.values()]
    ref = strictness.prevailing(values, p.stricter)
    holders = [j for j in cols if j in present and present[j].value == ref] if values else []
    out_cells: dict[str, dict | None] = {}
    for j in cols:
        b = present.get(j)
        applicable = [h for h in targets if j in h.jurisdictions]
        if b is None:
            out_cells[j] = (
                {
                    "value": None,
                    "status": CELL_MISSING,
                    "rule_id": None,
                    "version": None,
                    "article": None,
                    "alignment": cov.gap_status(covered.get(j, False)),
                }
                if applicable
                else None
            )
            continue
        cell = {"value": b.value, "status": CELL_STRICTEST if j in holders else CELL_LESS_STRICT, **_cite(b)}
        if b.conflict:
            cell["conflict"] = True
        if applicable:
            cell["alignment"] = _worst([strictness.alignment(b.value, h.target, p.stricter) for h in applicable])
        out_cells[j] = cell
    return {
        "key": p.key,
        "scope": scope,
        "label_zh": p.label_zh,
        "label_en": p.label_en,
        "unit": p.unit,
        "stricter": p.stricter,
        "values": out_cells,
        "status": row_status(values, len(cols)),
        "strictest": {"jurisdictions": holders, "value": ref},
        "spread": strictness.spread(values, p.stricter),
        "hard_rules": sorted(h.id for h in targets),
    }


def _cite(b: Binding) -> dict:
    return {"rule_id": b.rule_id, "version": b.version, "article": b.article_id, **b.verification()}


def _worst(statuses: Sequence[str]) -> str:
    """One cell, several hard rules: divergent if below any target, else missing, else unknown,
    else aligned."""
    for s in (strictness.DIVERGENT, strictness.MISSING, cov.UNKNOWN):
        if s in statuses:
            return s
    return strictness.ALIGNED


# ---------------------------------------------------------------- views of a matrix document (pages, downloads)

#: Heat-map bands of a less strict value, by its distance from the strictest value relative to it:
#: up to 25 % away → 2, up to 100 % → 3, further (or a yes/no that is not the strictest) → 4.
HEAT_NEAR, HEAT_FAR = 0.25, 1.0
HEAT_NONE, HEAT_STRICTEST, HEAT_LEVELS = 0, 1, 4


def values_count(row: Mapping) -> int:
    """How many columns of a matrix row hold a value."""
    return sum(1 for c in row["values"].values() if c is not None and c.get("value") is not None)


def filter_rows(doc: Mapping, *, differing: bool = False, min_values: int = 0, hard_rules: bool = False) -> dict:
    """The /matrix document with only the rows an official asked for: ``differing`` — the values
    differ (row status ``divergent``); ``min_values`` — at least that many columns hold a value;
    ``hard_rules`` — a hard rule targets the row. ``rows_total`` is the number of rows before
    filtering; the other keys are unchanged.

    >>> doc = {"rows": [{"status": "divergent", "values": {"A": {"value": 1}, "B": {"value": 2}},
    ...                  "hard_rules": []},
    ...                 {"status": "partial", "values": {"A": {"value": 1}, "B": None}, "hard_rules": ["h"]}]}
    >>> [len(filter_rows(doc, **kw)["rows"]) for kw in ({}, {"differing": True}, {"min_values": 2},
    ...                                                 {"hard_rules": True})]
    [2, 1, 1, 1]
    """
    if min_values < 0:
        raise ValueError(f"min_values must not be negative: {min_values}")
    rows = [
        r
        for r in doc.get("rows", [])
        if (not differing or r["status"] == ROW_DIVERGENT)
        and values_count(r) >= min_values
        and (not hard_rules or r.get("hard_rules"))
    ]
    return {**doc, "rows": rows, "rows_total": len(doc.get("rows", []))}


def heat_level(cell: Mapping | None, row: Mapping) -> int:
    """A cell's heat-map band: 0 no value, 1 the strictest value, 2..4 less strict by its distance
    from the strictest (``HEAT_NEAR``, ``HEAT_FAR``); a less strict yes/no value is 4.

    >>> row = {"strictest": {"value": 30.0}}
    >>> [heat_level(c, row) for c in (None, {"value": 30.0, "status": "strictest"},
    ...  {"value": 35.0, "status": "less_strict"}, {"value": 50.0, "status": "less_strict"},
    ...  {"value": 100.0, "status": "less_strict"})]
    [0, 1, 2, 3, 4]
    """
    if cell is None or cell.get("value") is None:
        return HEAT_NONE
    if cell.get("status") == CELL_STRICTEST:
        return HEAT_STRICTEST
    value, ref = cell["value"], (row.get("strictest") or {}).get("value")
    if isinstance(value, bool) or isinstance(ref, bool) or ref is None:
        return HEAT_LEVELS
    gap = abs(value - ref) / abs(ref) if ref else float("inf")
    return 2 if gap <= HEAT_NEAR else 3 if gap <= HEAT_FAR else HEAT_LEVELS
