"""Reference implementations used only by tests and benchmarks: every cell computed by scanning
every record. The production code in ``app.harmonization`` must agree with them (the property tests
check it) and is measured against them (``bench/harmonization.py``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from app import units
from app.corpus import validity
from app.corpus.structure import article_id
from app.harmonization import coverage as cov
from app.harmonization import strictness
from app.harmonization.coverage import Coverage, HeldVersion
from app.harmonization.hard_rules import HardRuleDef
from app.harmonization.matrix import _row, column_coverage, jurisdiction_list
from app.harmonization.values import Binding, ParameterDef, ValueRecord, choose_binding, params_by_key


def matrix_naive(
    topic: str,
    params: Iterable[ParameterDef] | Mapping[str, ParameterDef],
    records: Sequence[ValueRecord],
    hard_rules: Iterable[HardRuleDef] = (),
    *,
    jurisdictions: Iterable[str] | None = None,
    as_of: dt.date,
    coverage: Iterable[HeldVersion] = (),
) -> dict:
    """The same document computed cell by cell, each cell scanning every record (the benchmark's
    baseline and a cross-check in the tests; do not use in production)."""
    held = list(coverage)
    cols = jurisdiction_list(jurisdictions)
    plist = list(params_by_key(params).values())
    hrs = list(hard_rules)
    rows_keys: list[tuple[ParameterDef, str | None]] = []
    for p in plist:
        if p.topic != topic:
            continue
        scopes = {r.scope for r in records if r.key == p.key} | {h.scope for h in hrs if h.parameter == p.key}
        kept = []
        for scope in sorted(scopes, key=lambda s: (s is not None, s or "")):
            if any(
                r.key == p.key and r.scope == scope and r.in_force(as_of) and any(r.binds_jurisdiction(j) for j in cols)
                for r in records
            ) or any(h.row == (p.key, scope) for h in hrs):
                kept.append(scope)
        rows_keys.extend((p, s) for s in (kept or [None]))
    rows = []
    for p, scope in rows_keys:
        cells: dict[str, Binding | None] = {}
        for j in cols:
            cand = [
                r
                for r in records
                if r.key == p.key and r.scope == scope and r.in_force(as_of) and r.binds_jurisdiction(j)
            ]
            cells[j] = choose_binding(cand, j, p.stricter)
        covered = {
            j: any(v.topic == p.topic and v.official and v.in_force(as_of) and v.binds_jurisdiction(j) for v in held)
            for j in cols
        }
        rows.append(_row(p, scope, cells, cols, [h for h in hrs if h.row == (p.key, scope)], covered))
    return {
        "topic": topic,
        "as_of": as_of.isoformat(),
        "jurisdictions": cols,
        "rows": rows,
        "coverage": column_coverage(Coverage(held), topic, cols, as_of),
    }


def statuses_naive(
    hr: HardRuleDef,
    p: ParameterDef | str,
    records: Sequence[ValueRecord],
    on: dt.date,
    held: Sequence[HeldVersion] = (),
) -> dict[str, str]:
    """Per-jurisdiction status scanning every record per cell (benchmark baseline / cross-check).
    ``p`` may be a bare ``stricter`` (then no topic, so no coverage: a gap is ``unknown``)."""
    stricter = p if isinstance(p, str) else p.stricter
    topic = None if isinstance(p, str) else p.topic
    out = {}
    for j in hr.jurisdictions:
        cand = [
            r
            for r in records
            if r.key == hr.parameter and r.scope == hr.scope and r.in_force(on) and r.binds_jurisdiction(j)
        ]
        b = choose_binding(cand, j, stricter)
        covered = any(v.topic == topic and v.official and v.in_force(on) and v.binds_jurisdiction(j) for v in held)
        out[j] = cov.alignment(b.value if b else None, hr.target, stricter, covered)
    return out


def records_from_documents(
    documents: Iterable, params: Mapping[str, ParameterDef] | Iterable[ParameterDef]
) -> list[ValueRecord]:
    """``ValueRecord``s from corpus ``RuleDocument``s (``app.corpus.documents``), for tests, tools and
    any caller that has documents rather than database rows.

    A version is valid from its start (effective, else published, else adopted) to the next
    version's start, the last one to its ``repealed`` date. Values are converted to the parameter's
    canonical unit with ``app.units``; keys without a ``ParameterDef`` are skipped.
    """
    pmap = params_by_key(params)
    by_rule: dict[str, list] = defaultdict(list)
    for doc in documents:
        by_rule[doc.rule_id].append(doc)
    out: list[ValueRecord] = []
    for rule_id in sorted(by_rule):
        for doc, start, end in validity.intervals(sorted(by_rule[rule_id], key=lambda d: d.start)):
            for entry in doc.parameters:
                p = pmap.get(entry.key)
                if p is None:
                    continue
                if strictness.is_yes_no(p.stricter):
                    value: float | bool = bool(entry.value)
                else:
                    value = units.convert(float(entry.value), entry.unit or p.unit, p.unit)
                out.append(
                    ValueRecord(
                        key=entry.key,
                        scope=entry.scope,
                        value=value,
                        jurisdiction_of_rule=doc.jurisdiction.upper(),
                        binds=[j.upper() for j in doc.binds],
                        rule_id=rule_id,
                        version=doc.version_id,
                        article_id=article_id(rule_id, entry.article),
                        valid_from=start,
                        valid_to=end,
                    )
                )
    return out
