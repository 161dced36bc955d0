"""Input dataclasses of harmonization and the one-pass binding-value computation.

``services.py`` (the database side) builds ``ValueRecord``s for every parameter value of every
rule version; everything in this package is a pure function over them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from app.corpus import validity
from app.corpus.documents import ParameterDef  # the one definition; re-exported here
from app.corpus.jurisdictions import NATIONAL, PROVINCES
from app.harmonization import strictness

#: The matrix's default columns (SPEC §5): the four provinces.
DEFAULT_JURISDICTIONS: tuple[str, ...] = PROVINCES

RowKey = tuple[str, str | None]  # (parameter key, scope)


@dataclass(frozen=True)
class ValueRecord:
    """One parameter value of one rule version, in the parameter's canonical unit.

    ``valid_to`` is exclusive: the next version's start or the repeal date (None = open).
    ``binds`` is the rule's ``applies_to`` (default: its own jurisdiction); a rule of ``CN`` binds
    every jurisdiction whatever ``binds`` says. Codes are upper case.
    """

    key: str
    scope: str | None
    value: float | bool
    jurisdiction_of_rule: str
    binds: Sequence[str]
    rule_id: str
    version: str
    article_id: str | None  # None: a summary whose source does not state the article (SPEC §8.3)
    valid_from: dt.date
    valid_to: dt.date | None = None
    #: full_text versions: the value was found in its article's text (SPEC §8.2); None otherwise
    verified_in_text: bool | None = None

    def in_force(self, on: dt.date) -> bool:
        return validity.in_force_between(self.valid_from, self.valid_to, on)

    def binds_jurisdiction(self, jurisdiction: str) -> bool:
        return self.jurisdiction_of_rule == NATIONAL or jurisdiction in self.binds

    @property
    def row(self) -> RowKey:
        return (self.key, self.scope)


@dataclass(frozen=True)
class HardRuleDef:
    """One ``hard_rules/<id>.yaml`` (a harmonization target). ``target`` is in the parameter's unit."""

    id: str
    title: str
    parameter: str
    scope: str | None
    target: float | bool
    jurisdictions: Sequence[str]
    lead: str | None = None
    deliverable: str | None = None
    deadline: dt.date | None = None
    source_url: str | None = None
    title_en: str | None = None
    deliverable_en: str | None = None

    @property
    def row(self) -> RowKey:
        return (self.parameter, self.scope)


@dataclass(frozen=True)
class Binding:
    """The binding value of one ``(key, scope)`` for one jurisdiction on a date, with its source.

    ``conflict`` is True only for ``stricter: equal`` parameters when the values in force differ
    (no single value satisfies all of them); ``value`` is then the one the tie-break picks and
    ``values`` holds all of them.
    """

    key: str
    scope: str | None
    jurisdiction: str
    value: float | bool
    rule_id: str
    version: str
    article_id: str | None
    conflict: bool = False
    values: tuple = field(default=())
    verified_in_text: bool | None = None

    def verification(self) -> dict:
        """``{"verified_in_text": bool}`` when the value comes from a full_text version (SPEC §8.2),
        else ``{}``: summaries are not checked against a text, so the field is left out."""
        return {} if self.verified_in_text is None else {"verified_in_text": self.verified_in_text}

    def cell(self) -> dict:
        """``{value, rule_id, version, article}`` (SPEC citation shape)."""
        return {"value": self.value, "rule_id": self.rule_id, "version": self.version, "article": self.article_id}


def jurisdiction_list(jurisdictions: Iterable[str] | None) -> list[str]:
    """Upper-cased, de-duplicated, order kept; the SPEC default columns when empty."""
    out: list[str] = []
    for j in jurisdictions or ():
        code = j.strip().upper()
        if code and code not in out:
            out.append(code)
    return out or list(DEFAULT_JURISDICTIONS)


def _citation_order(record: ValueRecord, jurisdiction: str) -> tuple:
    """Tie-break among records holding the same (strictest) value, documented in __init__:
    the jurisdiction's own rule first, then the most recent version, then rule id, version and
    article id ascending (so the answer never depends on input order)."""
    return (
        record.jurisdiction_of_rule != jurisdiction,
        -record.valid_from.toordinal(),
        record.rule_id,
        record.version,
        record.article_id or "",
    )


def choose_binding(candidates: Sequence[ValueRecord], jurisdiction: str, stricter: str) -> Binding | None:
    """The binding value among the records in force for one jurisdiction and one ``(key, scope)``:
    the strictest value, cited by the tie-break above. For ``equal`` with differing values the
    record first in tie-break order is cited and the binding is marked ``conflict``.
    """
    if not candidates:
        return None
    s = strictness.normalize_stricter(stricter)
    values = [c.value for c in candidates]
    best_value = strictness.strictest(values, s)
    conflict = best_value is None
    pool = candidates if conflict else [c for c in candidates if c.value == best_value]
    # For "true", strictest() returns a bool; records may hold 1/0; compare by truth there.
    if not pool and s == "true":
        pool = [c for c in candidates if bool(c.value) == bool(best_value)]
    chosen = min(pool, key=lambda c: _citation_order(c, jurisdiction))
    distinct = tuple(sorted(set(values), key=lambda v: strictness.strictness_key(v, s))) if conflict else ()
    return Binding(
        key=chosen.key,
        scope=chosen.scope,
        jurisdiction=jurisdiction,
        value=chosen.value,
        rule_id=chosen.rule_id,
        version=chosen.version,
        article_id=chosen.article_id,
        conflict=conflict,
        values=distinct,
        verified_in_text=chosen.verified_in_text,
    )


class ValueIndex:
    """Records grouped once by ``(key, scope)``, so every query scans only its own group.

    All matrix cells of a topic (or all hard-rule statuses on a date) are computed from one pass
    over the relevant groups instead of one scan (or SQL query) per cell.
    """

    def __init__(self, records: Iterable[ValueRecord]):
        groups: dict[RowKey, list[ValueRecord]] = defaultdict(list)
        by_key: dict[str, set[str | None]] = defaultdict(set)
        for r in records:
            groups[r.row].append(r)
            by_key[r.key].add(r.scope)
        self._groups = dict(groups)
        self._scopes = {k: sorted(v, key=_scope_order) for k, v in by_key.items()}

    def records(self, key: str, scope: str | None) -> list[ValueRecord]:
        return self._groups.get((key, scope), [])

    def scopes(self, key: str) -> list[str | None]:
        """Every scope any record of ``key`` has (None first, then sorted)."""
        return list(self._scopes.get(key, []))

    def bindings(
        self,
        key: str,
        scope: str | None,
        jurisdictions: Sequence[str],
        on: dt.date,
        stricter: str,
    ) -> dict[str, Binding | None]:
        """``{J: Binding | None}`` for one ``(key, scope)`` on ``on`` — one pass over its records."""
        per_j: dict[str, list[ValueRecord]] = {j: [] for j in jurisdictions}
        for r in self._groups.get((key, scope), ()):
            if not r.in_force(on):
                continue
            if r.jurisdiction_of_rule == NATIONAL:
                for lst in per_j.values():
                    lst.append(r)
            else:
                for j in r.binds:
                    lst = per_j.get(j)
                    if lst is not None:
                        lst.append(r)
        return {j: choose_binding(c, j, stricter) for j, c in per_j.items()}

    def change_dates(self, key: str, scope: str | None, jurisdictions: Sequence[str]) -> list[dt.date]:
        """Dates on which a version relevant to ``jurisdictions`` took effect or stopped (sorted)."""
        dates: set[dt.date] = set()
        for r in self._groups.get((key, scope), ()):
            if r.jurisdiction_of_rule == NATIONAL or any(j in r.binds for j in jurisdictions):
                dates.add(r.valid_from)
                if r.valid_to is not None:
                    dates.add(r.valid_to)
        return sorted(dates)


def _scope_order(scope: str | None) -> tuple[bool, str]:
    return (scope is not None, scope or "")


def binding_values(
    records: Iterable[ValueRecord] | ValueIndex,
    params: Mapping[str, ParameterDef] | Iterable[ParameterDef],
    jurisdictions: Sequence[str],
    on: dt.date,
) -> dict[RowKey, dict[str, Binding | None]]:
    """Binding values of every ``(key, scope)`` that has records, for each jurisdiction, on ``on``.

    Keys without a ``ParameterDef`` are skipped (the loader refuses them anyway).
    """
    index = records if isinstance(records, ValueIndex) else ValueIndex(records)
    pmap = params_by_key(params)
    out: dict[RowKey, dict[str, Binding | None]] = {}
    for row in sorted(index._groups, key=lambda rk: (rk[0], _scope_order(rk[1]))):
        p = pmap.get(row[0])
        if p is not None:
            out[row] = index.bindings(row[0], row[1], jurisdictions, on, p.stricter)
    return out


def params_by_key(params: Mapping[str, ParameterDef] | Iterable[ParameterDef]) -> dict[str, ParameterDef]:
    if isinstance(params, Mapping):
        return dict(params)
    return {p.key: p for p in params}


def as_index(records: Iterable[ValueRecord] | ValueIndex) -> ValueIndex:
    return records if isinstance(records, ValueIndex) else ValueIndex(records)


def iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


# ------------------------------------------------------------------ from corpus documents


def as_parameter_defs(defs: Iterable) -> list[ParameterDef]:
    """``ParameterDef``s with the ``stricter`` spelling normalised (an unquoted YAML ``true`` → "true")."""
    return [
        ParameterDef(
            d.key,
            d.label_zh,
            d.label_en,
            d.topic,
            d.unit,
            strictness.normalize_stricter(d.stricter),
            getattr(d, "addressee", None) or "enterprise",
        )
        for d in defs
    ]


def as_hard_rule_defs(docs: Iterable) -> list[HardRuleDef]:
    """Our ``HardRuleDef`` from corpus ``HardRuleDocument``s (or ORM rows with the same fields)."""
    return [
        HardRuleDef(
            id=d.id,
            title=d.title,
            parameter=d.parameter,
            scope=d.scope,
            target=d.target,
            jurisdictions=[j.upper() for j in d.jurisdictions],
            lead=d.lead,
            deliverable=d.deliverable,
            deadline=d.deadline,
            source_url=d.source_url,
            title_en=getattr(d, "title_en", None),
            deliverable_en=getattr(d, "deliverable_en", None),
        )
        for d in docs
    ]
