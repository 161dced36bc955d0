"""Fetch in-force values, parameters and hard rules from the database and call the pure functions.

One query for all parameter values with their versions; validity intervals
come from ``app.corpus.validity`` so "in force" means the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from marshmallow import ValidationError as MarshmallowError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, load_only

from app.corpus import dates, validity
from app.corpus.dates import parse_date
from app.corpus.structure import article_id
from app.exceptions import ValidationError
from app.harmonization import (
    HardRuleDef,
    ParameterDef,
    ValueRecord,
    compliance_check,
    hard_rule_detail,
    hard_rules_status,
    matrix,
    scoreboard,
    values,
)
from app.harmonization.coverage import Coverage, HeldVersion
from app.harmonization.feeds import ChangeEvent
from app.harmonization.hard_rules import alignment_changes, progress_series
from app.harmonization.report import report_data
from app.harmonization.schemas import ComplianceCheckSchema
from app.harmonization.values import ValueIndex
from app.registry import repository
from app.registry.models import AuditEntry, HardRule, Parameter, ParameterValue, RuleVersion


def load_parameter_defs(session: Session) -> list[ParameterDef]:
    """Every stored parameter; parameters.yaml order is not kept in the database, key order is the stable substitute."""
    return values.as_parameter_defs(session.scalars(select(Parameter).order_by(Parameter.topic, Parameter.key)))


def load_hard_rule_defs(session: Session) -> list[HardRuleDef]:
    """Every stored hard rule, by id."""
    return values.as_hard_rule_defs(session.scalars(select(HardRule).order_by(HardRule.id)))


#: What the matrix, scoreboard and coverage read of a version (its text stays in the database).
HARMONIZATION_COLUMNS = (
    RuleVersion.id,
    RuleVersion.rule_id,
    RuleVersion.start,
    RuleVersion.repealed,
    RuleVersion.jurisdiction,
    RuleVersion.topic,
    RuleVersion.applies_to,
    RuleVersion.provenance,
)


def _versions(session: Session) -> tuple[dict[str, RuleVersion], dict[str, tuple[dt.date, dt.date | None]]]:
    """Every version by id, and its validity interval (``app.corpus.validity``)."""
    versions: dict[str, list[RuleVersion]] = defaultdict(list)
    for v in session.scalars(
        select(RuleVersion).options(load_only(*HARMONIZATION_COLUMNS)).order_by(RuleVersion.rule_id, RuleVersion.start)
    ):
        versions[v.rule_id].append(v)
    interval: dict[str, tuple[dt.date, dt.date | None]] = {}
    meta: dict[str, RuleVersion] = {}
    for vs in versions.values():
        for v, start, end in validity.intervals(vs):
            interval[v.id] = (start, end)
            meta[v.id] = v
    return meta, interval


Loaded = tuple[dict[str, RuleVersion], dict[str, tuple[dt.date, dt.date | None]]]


def held_versions(session: Session, loaded: Loaded | None = None) -> list[HeldVersion]:
    """Every stored version with its topic, provenance and validity (for official coverage)."""
    meta, interval = loaded or _versions(session)
    return [
        HeldVersion(
            rule_id=v.rule_id,
            version=v.id,
            topic=v.topic,
            jurisdiction_of_rule=v.jurisdiction,
            binds=v.binds,
            provenance=v.provenance,
            valid_from=interval[v.id][0],
            valid_to=interval[v.id][1],
        )
        for v in meta.values()
    ]


def coverage(session: Session, loaded: Loaded | None = None) -> Coverage:
    return Coverage(held_versions(session, loaded))


def value_records(session: Session, loaded: Loaded | None = None) -> list[ValueRecord]:
    """Every parameter value of every version, with the version's validity interval."""
    meta, interval = loaded or _versions(session)
    out = []
    for p in session.scalars(select(ParameterValue).order_by(ParameterValue.version_id, ParameterValue.seq)):
        v = meta[p.version_id]
        start, end = interval[p.version_id]
        out.append(
            ValueRecord(
                key=p.key,
                scope=p.scope,
                value=p.value,
                jurisdiction_of_rule=v.jurisdiction,
                binds=v.binds,
                rule_id=v.rule_id,
                version=v.id,
                article_id=article_id(v.rule_id, p.article),
                valid_from=start,
                valid_to=end,
                verified_in_text=p.verified_in_text,
            )
        )
    return out


def _inputs(session: Session) -> tuple[list[ParameterDef], ValueIndex, list[HardRuleDef], Coverage]:
    loaded = _versions(session)
    return (
        load_parameter_defs(session),
        ValueIndex(value_records(session, loaded)),
        load_hard_rule_defs(session),
        coverage(session, loaded),
    )


def topic_matrix(session: Session, topic: str, jurisdictions: list[str] | None, as_of: dt.date) -> dict:
    params, index, hrs, cov = _inputs(session)
    return matrix(topic, params, index, hrs, jurisdictions=jurisdictions or None, as_of=as_of, coverage=cov)


def progress(session: Session, as_of: dt.date) -> dict:
    params, index, hrs, cov = _inputs(session)
    return hard_rules_status(hrs, params, index, as_of, coverage=cov)


def hard_rule(session: Session, hard_rule_id: str, as_of: dt.date) -> dict:
    params, index, hrs, cov = _inputs(session)
    out = hard_rule_detail(hard_rule_id, hrs, params, index, as_of, coverage=cov)
    row = session.get(HardRule, hard_rule_id)
    if row is not None:
        out["revision"] = row.revision
    return out


def score(session: Session, as_of: dt.date) -> dict:
    params, index, hrs, cov = _inputs(session)
    return scoreboard(hrs, params, index, as_of, coverage=cov)


def check(
    session: Session, jurisdictions: list[str], facts: dict, scopes: dict | None, as_of: dt.date, expand_to: str | None
) -> dict:
    params, index, _hrs, cov = _inputs(session)
    return compliance_check(
        [j.upper() for j in jurisdictions],
        facts,
        params,
        index,
        as_of,
        scopes=scopes or None,
        expand_to=expand_to.upper() if expand_to else None,
        coverage=cov,
    )


def parse_check_request(data: dict) -> dict:
    """Validate a compliance check request (a profile file or the page's form) as the API does its body.

    Raises ValidationError naming the fields at fault. A YAML date (``as_of: 2024-01-01``
    unquoted) is read as the date it spells.
    """
    if not isinstance(data.get("as_of"), str | None):
        data = {**data, "as_of": str(data["as_of"])}
    try:
        return ComplianceCheckSchema().load(data)
    except MarshmallowError as err:
        raise ValidationError(
            "the compliance check request is not valid",
            fields={k: v if isinstance(v, list) else [str(v)] for k, v in err.messages.items()},
        ) from None


def run_check(session: Session, request: dict) -> dict:
    """The compliance check (SPEC §4 POST ``/compliance-check``) of a request loaded by ``ComplianceCheckSchema``.

    Jurisdiction codes are checked against the registry; ``as_of`` defaults to today (UTC+8).
    """
    codes = [repository.check_code(session, j) for j in request["jurisdictions"]]
    expand = repository.check_code(session, request["expand_to"]) if request.get("expand_to") else None
    as_of = request.get("as_of") or dates.today()
    return check(session, [c for c in codes if c], request["facts"], request.get("scopes"), as_of, expand)


# ---------------------------------------------------------------- for the web pages (charts and feeds)
# Added for app/web/pages/harmonization.py and feeds.py; thin readers over the pure functions above.


def progress_chart_series(session: Session, as_of: dt.date) -> dict[str, list[tuple[dt.date, float]]]:
    """Series for ``charts.progress_chart_svg``: the overall aligned share of every (hard rule,
    listed jurisdiction) pair over time (key ``"all"``), then one series per hard rule (key: its
    id; its timeline), each point ``(date, aligned_share)`` up to ``as_of``."""
    params, index, hrs, cov = _inputs(session)
    out: dict[str, list[tuple[dt.date, float]]] = {"all": progress_series(hrs, params, index, as_of)}
    for hr in hrs:
        detail = hard_rule_detail(hr.id, hrs, params, index, as_of, coverage=cov)
        out[hr.id] = _timeline_points(detail["timeline"])
    return out


def _timeline_points(timeline: list[dict]) -> list[tuple[dt.date, float]]:
    return [(parse_date(p["date"]), float(p["aligned_share"])) for p in timeline]


def hard_rule_series(session: Session, hard_rule_id: str, as_of: dt.date) -> dict[str, list[tuple[dt.date, float]]]:
    """One hard rule's timeline as a chart series ``{id: [(date, aligned_share)]}``; NotFound for an
    unknown id."""
    params, index, hrs, cov = _inputs(session)
    detail = hard_rule_detail(hard_rule_id, hrs, params, index, as_of, coverage=cov)
    return {hard_rule_id: _timeline_points(detail["timeline"])}


def alignment_events(session: Session, until: dt.date, since: dt.date | None = None) -> list:
    """``hard_rules.alignment_changes`` over the stored hard rules and values (newest first)."""
    params, index, hrs, cov = _inputs(session)
    return alignment_changes(hrs, params, index, until, since, coverage=cov)


# ---------------------------------------------------------------- changes and the annual report

CHANGE_ACTIONS = {"version_added": "added", "corrected": "corrected", "repealed": "repealed"}
MAX_AUDIT_ROWS = 5000


def change_events(session: Session, limit: int = MAX_AUDIT_ROWS) -> list:
    """Audit entries (version added, corrected, repealed) with their versions, newest first."""
    entries = list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action.in_(list(CHANGE_ACTIONS)))
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
    )
    ids = {e.target for e in entries}
    versions = {v.id: v for v in session.scalars(select(RuleVersion).where(RuleVersion.id.in_(ids)))} if ids else {}
    out = []
    for e in entries:
        v = versions.get(e.target)
        if v is None:  # a pruned rule: nothing left to link to
            continue
        kind = CHANGE_ACTIONS[e.action]
        date = v.repealed if kind == "repealed" and v.repealed else v.effective or v.start
        out.append(
            ChangeEvent(
                kind=kind,
                rule_id=v.rule_id,
                version=v.id,
                title=v.title,
                jurisdiction=v.jurisdiction,
                topic=v.topic,
                date=date,
                recorded_at=e.at,
            )
        )
    return out


def version_titles(session: Session, versions: list[str]) -> dict[str, str]:
    """``{version id: title}`` of the given rule versions (for citations in downloads)."""
    wanted = sorted({v for v in versions if v})
    if not wanted:
        return {}
    return dict(session.execute(select(RuleVersion.id, RuleVersion.title).where(RuleVersion.id.in_(wanted))).all())


def annual_report_data(session: Session, year: int) -> dict:
    """The 年度体检 for ``year`` as data (``app.harmonization.report.report_data``), for the page."""
    params, index, hrs, cov = _inputs(session)
    return report_data(year, hard_rules=hrs, params=params, records=index, changes=change_events(session), coverage=cov)


def report_years(session: Session) -> list[int]:
    """The years an annual report can be asked for, newest first: from the year of the earliest
    stored rule version to this year (only this year when nothing is stored)."""
    first = session.scalar(select(func.min(RuleVersion.start)))
    this_year = dates.today().year
    start = min(first.year, this_year) if first else this_year
    return list(range(this_year, start - 1, -1))
