"""Hypothesis strategies for random rule histories, and a brute-force oracle written independently
of app.harmonization (plain loops over every record; no ValueIndex, no strictness module, no
Coverage).

A history is ``(records, held)``: the parameter values of every version (``ValueRecord``) and every
version the registry holds (``HeldVersion``: topic, provenance full_text / summary / unstated,
validity), including versions that state no parameter at all — official text on a topic is
coverage whether or not it holds a value (SPEC §8.3)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from hypothesis import strategies as st

from app import units
from app.harmonization.coverage import HeldVersion
from app.harmonization.values import HardRuleDef, ParameterDef, ValueRecord

PROVINCES = ["CN-SH", "CN-JS", "CN-ZJ", "CN-AH"]
ISSUERS = ["CN", *PROVINCES, "YRD-DZ", "YRD"]

PARAMS = [
    ParameterDef("p.lower", "下限", "lower", "environment", "mg/L", "lower"),
    ParameterDef("p.higher", "上限", "higher", "environment", "%", "higher"),
    ParameterDef("p.equal", "等值", "equal", "environment", "天", "equal"),
    ParameterDef("p.true", "是否", "yes/no", "environment", "", "true"),
    ParameterDef("p.other", "别的", "other topic", "energy", "tce", "lower"),
]
PMAP = {p.key: p for p in PARAMS}
# units a rule may state each parameter in (converted to canonical like the loader does)
STATED_UNITS = {
    "p.lower": ["mg/L", "g/L", "μg/L", "ug/L"],
    "p.higher": ["%"],
    "p.equal": ["天", "日"],
    "p.other": ["tce", "万tce", "吨标准煤"],
    "p.true": [""],
}

START = dt.date(2015, 1, 1)
dates = st.integers(min_value=0, max_value=3650).map(lambda n: START + dt.timedelta(days=n))


@st.composite
def value_for(draw, key):
    if key == "p.true":
        return draw(st.booleans())
    if key == "p.equal":
        return float(draw(st.sampled_from([5, 10, 15])))
    canonical = draw(st.sampled_from([10, 20, 30, 40, 50, 0.5, 12.5]))
    unit = draw(st.sampled_from(STATED_UNITS[key]))
    stated = units.convert(canonical, PMAP[key].unit, unit)
    return units.convert(stated, unit, PMAP[key].unit)


PROVENANCES = ["full_text", "summary", None]
TOPICS = ["environment", "environment", "energy"]


@st.composite
def histories(draw, max_rules=8):
    """``(records, held)``: several rules of topic environment or energy, each with 1-3 versions
    (consecutive, the last maybe repealed), each version of provenance full_text, summary or unstated
    and stating 0-4 parameters with a scope of None or "A级"; a summary's parameter may leave its
    article unstated (None)."""
    records: list[ValueRecord] = []
    held: list[HeldVersion] = []
    n_rules = draw(st.integers(min_value=0, max_value=max_rules))
    for i in range(n_rules):
        issuer = draw(st.sampled_from(ISSUERS))
        topic = draw(st.sampled_from(TOPICS))
        if issuer in ("YRD-DZ", "YRD"):
            binds = draw(st.lists(st.sampled_from(PROVINCES), min_size=0, max_size=3, unique=True))
        elif issuer == "CN":
            binds = ["CN"]
        else:
            binds = draw(st.sampled_from([[issuer], [issuer, draw(st.sampled_from(PROVINCES))]]))
        rule_id = f"{issuer.lower()}/{topic}/rule-{i}"
        starts = sorted(set(draw(st.lists(dates, min_size=1, max_size=3))))
        repealed = None
        if draw(st.booleans()):
            repealed = starts[-1] + dt.timedelta(days=draw(st.integers(min_value=1, max_value=1500)))
        for n, start in enumerate(starts):
            end = starts[n + 1] if n + 1 < len(starts) else repealed
            version = f"{rule_id}@{start.isoformat()}"
            provenance = draw(st.sampled_from(PROVENANCES))
            held.append(HeldVersion(rule_id, version, topic, issuer, binds, provenance, start, end))
            keys = draw(st.lists(st.sampled_from([p.key for p in PARAMS]), min_size=0, max_size=4, unique=True))
            for key in keys:
                scope = draw(st.sampled_from([None, None, "A级"]))
                article = f"{rule_id}#art-{draw(st.integers(min_value=1, max_value=9))}"
                if provenance == "summary" and draw(st.integers(min_value=0, max_value=3)) == 0:
                    article = None  # the summary's source does not state the article
                records.append(
                    ValueRecord(key, scope, draw(value_for(key)), issuer, binds, rule_id, version, article, start, end)
                )
    return records, held


@st.composite
def hard_rules_for(draw):
    out = []
    for i, key in enumerate(
        draw(st.lists(st.sampled_from(["p.lower", "p.higher", "p.equal", "p.true", "p.other"]), min_size=1, max_size=4))
    ):
        target = draw(value_for(key))
        js = draw(st.lists(st.sampled_from(PROVINCES), min_size=1, max_size=4, unique=True))
        deadline = draw(st.one_of(st.none(), dates))
        scope = draw(st.sampled_from([None, "A级"]))
        out.append(
            HardRuleDef(f"hr-{i}", f"硬规则{i}", key, scope, target, js, "YRD-DZ", "统一", deadline, "https://x")
        )
    return out


# ---------------------------------------------------------------- the oracle


def oracle_binding(records, key, scope, j, on, stricter):
    """(value, rule_id, version, article, conflict) or None — by brute force."""
    cands = []
    for r in records:
        if r.key != key or r.scope != scope:
            continue
        if not (r.valid_from <= on and (r.valid_to is None or on < r.valid_to)):
            continue
        if r.jurisdiction_of_rule == "CN" or j in r.binds:
            cands.append(r)
    if not cands:
        return None
    vals = [r.value for r in cands]
    conflict = False
    if stricter == "lower":
        best = min(vals)
    elif stricter == "higher":
        best = max(vals)
    elif stricter == "true":
        best = True in vals
    else:
        best = vals[0]
        conflict = len(set(vals)) > 1
    pool = cands if conflict else [r for r in cands if r.value == best]
    pool.sort(
        key=lambda r: (
            0 if r.jurisdiction_of_rule == j else 1,
            -r.valid_from.toordinal(),
            r.rule_id,
            r.version,
            r.article_id or "",
        )
    )
    r = pool[0]
    return (r.value, r.rule_id, r.version, r.article_id, conflict)


def oracle_official(held, j, topic, on):
    """SPEC §8.3: a full_text version of ``topic`` applying to J (CN applies to all) in force on D."""
    for v in held:
        if v.provenance != "full_text" or v.topic != topic:
            continue
        if not (v.valid_from <= on and (v.valid_to is None or on < v.valid_to)):
            continue
        if v.jurisdiction_of_rule == "CN" or j in v.binds:
            return True
    return False


def oracle_alignment(binding, target, stricter, covered):
    if binding is None:
        return "missing" if covered else "unknown"
    v = binding[0]
    if stricter == "lower":
        ok = v <= target
    elif stricter == "higher":
        ok = v >= target
    elif stricter == "true":
        ok = v is True or target is False
    else:
        ok = v == target
    return "aligned" if ok else "divergent"


def oracle_reference(values, stricter):
    if not values:
        return None
    if stricter == "lower":
        return min(values)
    if stricter == "higher":
        return max(values)
    if stricter == "true":
        return True in values
    counts = Counter(values)
    top = max(counts.values())
    return min(v for v in counts if counts[v] == top)


def oracle_row_status(values, n):
    if len(set(values)) > 1:
        return "divergent"
    return "aligned" if len(values) == n else "partial"


def oracle_status(records, held, hr, j, on):
    """The four-valued status of J against hard rule ``hr`` on ``on``."""
    p = PMAP[hr.parameter]
    b = oracle_binding(records, hr.parameter, hr.scope, j, on, p.stricter)
    return oracle_alignment(b, hr.target, p.stricter, oracle_official(held, j, p.topic, on))


def oracle_timeline_dates(records, held, hr, until):
    """Value change dates of the hard rule's row, plus every start/end of a full_text version of the
    parameter's topic binding a listed jurisdiction on which some listed status differs from the day
    before; all up to ``until``."""
    js = set(hr.jurisdictions)
    dates = set()
    for r in records:
        if r.key == hr.parameter and r.scope == hr.scope and (r.jurisdiction_of_rule == "CN" or set(r.binds) & js):
            dates.add(r.valid_from)
            if r.valid_to:
                dates.add(r.valid_to)
    topic = PMAP[hr.parameter].topic
    for v in held:
        if v.provenance != "full_text" or v.topic != topic:
            continue
        if not (v.jurisdiction_of_rule == "CN" or set(v.binds) & js):
            continue
        for d in (v.valid_from, v.valid_to):
            if d is None or d in dates:
                continue
            prev = d - dt.timedelta(days=1)
            if any(oracle_status(records, held, hr, j, d) != oracle_status(records, held, hr, j, prev) for j in js):
                dates.add(d)
    return sorted(d for d in dates if d <= until)
