"""The compliance check (POST /compliance-check, SPEC §4, §8.4).

An enterprise states facts (e.g. COD 45 mg/L) and the jurisdictions it operates in; each fact is
compared with the binding value of every jurisdiction on ``as_of``. Only parameters addressed to
enterprises can be checked: a government target (``addressee: government``) binds no enterprise.
An entry with no binding value says what that absence rests on (``coverage``): ``full_text`` (the
official text on the parameter's topic is held and states no such value) or ``none`` (not recorded).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from app import units
from app.exceptions import ValidationError
from app.harmonization import coverage as cov
from app.harmonization import strictness
from app.harmonization.coverage import Coverage, HeldVersion, as_coverage
from app.harmonization.values import (
    Binding,
    ParameterDef,
    ValueRecord,
    as_index,
    jurisdiction_list,
    params_by_key,
)


def _fact_value(key: str, raw: object, p: ParameterDef) -> float | bool:
    """A fact is a bare value in the canonical unit, or ``{"value": v, "unit": u}`` (converted)."""
    value = raw
    if isinstance(raw, Mapping):
        if "value" not in raw:
            raise ValidationError(f"fact {key}: missing 'value'", fields={f"facts.{key}": "missing value"})
        value = raw["value"]
        unit = raw.get("unit")
        if unit is not None and not isinstance(value, bool):
            try:
                value = units.convert(value, str(unit), p.unit)
            except units.UnitError as exc:
                raise ValidationError(exc.message, fields={f"facts.{key}": exc.message}) from exc
    if not strictness.check_value_type(value, p.stricter):
        want = "true or false" if strictness.is_yes_no(p.stricter) else "a finite number"
        raise ValidationError(f"fact {key}: expected {want}", fields={f"facts.{key}": f"expected {want}"})
    return value  # type: ignore[return-value]


def compliance_check(
    jurisdictions: Iterable[str],
    facts: Mapping[str, object],
    params: Mapping[str, ParameterDef] | Iterable[ParameterDef],
    records: Iterable[ValueRecord],
    as_of: dt.date,
    *,
    scopes: Mapping[str, str | None] | None = None,
    expand_to: str | None = None,
    coverage: Coverage | Iterable[HeldVersion] | None = None,
) -> dict:
    """``{as_of, results:[…], strictest:{key:{value, jurisdictions}}, expansion?:[…]}``.

    * ``results``: one per (jurisdiction, fact) in input order: ``{jurisdiction, parameter, scope,
      fact, required, unit, stricter, rule_id, version, article, compliant}`` (plus
      ``verified_in_text`` when the value comes from a full_text version);
      ``compliant`` is whether the fact is at least as strict as the binding value; with no binding
      value ``required`` and ``compliant`` are null, ``coverage`` is ``full_text`` or ``none``, and
      ``scopes_available`` (when any) lists the scopes under which the jurisdiction does hold a
      value for the parameter — the fact must name one of them to be checked.
    * ``strictest``: per fact, the strictest binding value across the jurisdictions and which of
      them require it (for an ``equal`` parameter whose jurisdictions require different values:
      ``value`` null — no single value satisfies all — and ``jurisdictions`` empty).
    * ``expansion`` (only with ``expand_to``): per fact ``{parameter, scope, now, with_new, change,
      jurisdiction, required, unit, rule_id, version, article}`` (and ``coverage``
      when ``expand_to`` has no binding value) — ``now`` is the strictest today,
      ``with_new`` the strictest once ``expand_to`` is added, ``change`` is ``new`` (nothing was
      required), ``stricter`` (the new jurisdiction requires more than ``now`` satisfies) or
      ``same``.

    Unknown parameter keys, government parameters, wrongly typed facts and unconvertible units
    raise ValidationError naming the fact.
    """
    if not isinstance(facts, Mapping) or not facts:
        raise ValidationError("facts: give at least one {parameter_key: value}", fields={"facts": "required"})
    pmap = params_by_key(params)
    unknown = [k for k in facts if k not in pmap]
    government = [k for k in facts if k in pmap and pmap[k].addressee != "enterprise"]
    if unknown or government:
        problems = []
        if unknown:
            problems.append(f"unknown parameter key(s): {', '.join(map(str, unknown))}")
        if government:
            problems.append(
                f"not an enterprise parameter: {', '.join(map(str, government))} "
                "(a target or duty of a government; the compliance check takes only enterprise parameters)"
            )
        raise ValidationError(
            "; ".join(problems),
            fields={
                **{f"facts.{k}": "unknown parameter" for k in unknown},
                **{
                    f"facts.{k}": "a government parameter (addressee: government) binds no enterprise"
                    for k in government
                },
            },
        )
    given = [j for j in (jurisdictions or ()) if str(j).strip()]
    if not given:
        raise ValidationError("jurisdictions: give at least one", fields={"jurisdictions": "required"})
    js = jurisdiction_list(given)
    scopes = dict(scopes or {})
    values = {k: _fact_value(k, v, pmap[k]) for k, v in facts.items()}
    new_j = expand_to.strip().upper() if expand_to else None
    index = as_index(records)
    coverage = as_coverage(coverage)

    def gap(j: str, key: str) -> dict:
        """Why ``j`` has no binding value for ``key``: the coverage, and the scopes under which the
        registry does hold a value for ``j`` (many limits exist only per class, e.g. 一级A标准)."""
        out: dict = {"coverage": cov.compliance_coverage(coverage.official(j, pmap[key].topic, as_of))}
        held = [
            s
            for s in index.scopes(key)
            if s != (scopes.get(key) or None) and index.bindings(key, s, [j], as_of, pmap[key].stricter)[j] is not None
        ]
        if held:
            out["scopes_available"] = held
        return out

    cols = js + ([new_j] if new_j and new_j not in js else [])
    bindings: dict[str, dict[str, Binding | None]] = {}
    for key in values:
        p = pmap[key]
        bindings[key] = index.bindings(key, scopes.get(key) or None, cols, as_of, p.stricter)

    results = []
    for j in js:
        for key, fact in values.items():
            p = pmap[key]
            b = bindings[key][j]
            results.append(
                {
                    "jurisdiction": j,
                    "parameter": key,
                    "scope": scopes.get(key) or None,
                    "fact": fact,
                    "required": b.value if b else None,
                    "unit": p.unit,
                    "stricter": p.stricter,
                    "rule_id": b.rule_id if b else None,
                    "version": b.version if b else None,
                    "article": b.article_id if b else None,
                    **(b.verification() if b else {}),
                    "compliant": strictness.is_at_least_as_strict(fact, b.value, p.stricter) if b else None,
                    **({} if b else gap(j, key)),
                }
            )

    strictest = {}
    for key in values:
        strictest[key] = _strictest_across(bindings[key], js, pmap[key].stricter)
    out = {"as_of": as_of.isoformat(), "results": results, "strictest": strictest}

    if new_j:
        expansion = []
        for key in values:
            p = pmap[key]
            now = strictest[key]["value"]
            nb = bindings[key][new_j]
            with_new = _strictest_across(bindings[key], [*js, new_j], p.stricter)["value"]
            expansion.append(
                {
                    "parameter": key,
                    "scope": scopes.get(key) or None,
                    "now": now,
                    "with_new": with_new,
                    "change": _change(bindings[key], js, nb, p.stricter),
                    "jurisdiction": new_j,
                    "required": nb.value if nb else None,
                    "unit": p.unit,
                    "rule_id": nb.rule_id if nb else None,
                    "version": nb.version if nb else None,
                    "article": nb.article_id if nb else None,
                    **(nb.verification() if nb else {}),
                    **({} if nb else gap(new_j, key)),
                }
            )
        out["expansion"] = expansion
    return out


def _strictest_across(cells: Mapping[str, Binding | None], js: list[str], stricter: str) -> dict:
    present = [(j, cells[j]) for j in dict.fromkeys(js) if cells.get(j) is not None]
    value = strictness.strictest([b.value for _, b in present], stricter)  # type: ignore[union-attr]
    if value is None:
        return {"value": None, "jurisdictions": []}
    holders = [j for j, b in present if b.value == value]  # type: ignore[union-attr]
    return {"value": value, "jurisdictions": holders}


def _change(cells: Mapping[str, Binding | None], js: list[str], new: Binding | None, stricter: str) -> str:
    """``new`` / ``stricter`` / ``same``: ``same`` when some current requirement already implies
    the new one (strictness.tightens), which also handles ``equal`` parameters in conflict today."""
    if new is None:
        return "same"
    current = [cells[j].value for j in js if cells.get(j) is not None]  # type: ignore[union-attr]
    if not current:
        return "new"
    if any(strictness.tightens(v, new.value, stricter) == "same" for v in current):
        return "same"
    return "stricter"
