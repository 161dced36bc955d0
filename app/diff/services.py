"""Diff and compare use cases over stored rules (SPEC §4 ``/diff`` and ``/compare``).

The one module of ``app.diff`` that reads the database: it turns stored rule
versions into :class:`app.diff.RuleSide` values and calls the pure engine. Each
function takes its session as an argument, so the API, the pages and the
command line call them alike.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.corpus.structure import article_id
from app.diff import (
    RuleSide,
    SideArticle,
    SideParameter,
    compare_rules,
    diff_rules,
    with_compare_sides,
    with_diff_sides,
)
from app.diff.counterparts import Counterpart, RuleCard, suggest_counterparts
from app.exceptions import ValidationError
from app.registry.models import Parameter, ParameterValue
from app.registry.repository import list_rules, resolve_version


def rule_side(session: Session, ident: str, as_of: dt.date) -> RuleSide:
    """A stored rule version as the diff engine sees it (bare ids resolve on ``as_of``)."""
    rule, v = resolve_version(session, ident, as_of)
    units = {p.key: p.unit for p in session.scalars(select(Parameter))}
    return RuleSide(
        id=rule.id,
        version=v.id,
        title=v.title,
        articles=[
            SideArticle(
                id=article_id(rule.id, a.number),
                number=a.number,
                label=a.label,
                text=f"{a.heading}\n{a.text}" if a.heading else a.text,
            )
            for a in v.articles
        ],
        parameters=[
            SideParameter(
                key=p.key,
                scope=p.scope,
                value=p.value,
                unit=units.get(p.key),
                article_id=article_id(rule.id, p.article),
            )
            for p in v.parameter_values
        ],
        provenance=v.provenance,
        articles_total=v.articles_total,
    )


def diff_sides(a: RuleSide, b: RuleSide) -> dict:
    """``/diff`` of two sides, with whether they are versions of one rule and their provenance."""
    return with_diff_sides(diff_rules(a, b), a, b)


def compare_sides(baseline: RuleSide, others: list[RuleSide]) -> dict:
    """``/compare`` of sides, with each side's provenance and whether it is a version of the baseline's rule."""
    return with_compare_sides(compare_rules(baseline, others), baseline, others)


def diff(session: Session, a: str, b: str, as_of: dt.date) -> dict:
    """The ``GET /diff`` body for two rules or versions."""
    return diff_sides(rule_side(session, a, as_of), rule_side(session, b, as_of))


def compare(session: Session, baseline: str, others: list[str], as_of: dt.date) -> dict:
    """The ``GET /compare`` body: every other rule aligned to the baseline."""
    if not others:
        raise ValidationError("name at least one rule to compare with the baseline", fields={"rules": ["required"]})
    return compare_sides(rule_side(session, baseline, as_of), [rule_side(session, o, as_of) for o in others])


def counterparts(session: Session, ident: str, as_of: dt.date, limit: int = 8) -> list[Counterpart]:
    """Suggested counterparts of a rule (``app.diff.counterparts``): rules of other jurisdictions
    on its topic, best match first, each read in the version it shows on ``as_of``."""
    rule, v = resolve_version(session, ident, as_of)
    listing = list_rules(session, as_of=as_of, topic=v.topic, per_page=100_000)["items"]
    versions = [item["version"] for item in listing] + [v.id]
    keys: dict[str, set[str]] = {}
    for version_id, key in session.execute(
        select(ParameterValue.version_id, ParameterValue.key).where(ParameterValue.version_id.in_(versions))
    ):
        keys.setdefault(version_id, set()).add(key)

    def card(item: dict) -> RuleCard:
        return RuleCard(
            id=item["id"],
            jurisdiction=item["jurisdiction"],
            topic=item["topic"],
            title=item["title"],
            kind=item["kind"],
            parameters=frozenset(keys.get(item["version"], ())),
            version=item["version"],
            title_en=item.get("title_en"),
        )

    me = RuleCard(rule.id, v.jurisdiction, v.topic, v.title, v.kind, frozenset(keys.get(v.id, ())), v.id)
    return suggest_counterparts(me, [card(item) for item in listing], limit=limit)
