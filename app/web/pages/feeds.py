"""Atom feeds (SPEC §4 "Feeds"): rule changes from the audit log, and hard-rule alignment changes.

``/feeds/changes.atom?jurisdiction=&topic=`` — versions added, corrected or repealed (audit
entries joined to their versions); ``/feeds/alignment.atom`` — a version that breaks or restores a
jurisdiction's alignment with a hard rule. The XML comes from ``app.harmonization.feeds``.
"""

from __future__ import annotations

from flask import Response, request
from sqlalchemy import select

from app.extensions import db
from app.harmonization import services as hs
from app.harmonization.feeds import ChangeEvent, alignment_feed, changes_feed
from app.registry import repository
from app.registry.models import AuditEntry, RuleVersion
from app.registry.temporal import today
from app.web import bp

ATOM = "application/atom+xml; charset=utf-8"
ACTIONS = {"version_added": "added", "corrected": "corrected", "repealed": "repealed"}
MAX_AUDIT_ROWS = 5000


def _atom(xml: str) -> Response:
    return Response(xml, content_type=ATOM)


def change_events(s) -> list[ChangeEvent]:  # type: ignore[no-untyped-def]
    """Audit entries (version_added|corrected|repealed, target = version id) with their versions."""
    entries = list(s.scalars(select(AuditEntry).where(AuditEntry.action.in_(list(ACTIONS)))
                             .order_by(AuditEntry.id.desc()).limit(MAX_AUDIT_ROWS)))
    ids = {e.target for e in entries}
    versions = {v.id: v for v in s.scalars(select(RuleVersion).where(RuleVersion.id.in_(ids)))} if ids else {}
    out = []
    for e in entries:
        v = versions.get(e.target)
        if v is None:  # a pruned rule: nothing left to link to
            continue
        kind = ACTIONS[e.action]
        date = (v.repealed if kind == "repealed" and v.repealed else v.effective or v.start)
        out.append(ChangeEvent(kind=kind, rule_id=v.rule_id, version=v.id, title=v.title,
                               jurisdiction=v.jurisdiction, topic=v.topic, date=date, recorded_at=e.at))
    return out


@bp.route("/feeds/changes.atom")
def feed_changes():  # type: ignore[no-untyped-def]
    s = db()
    jur = repository.check_code(s, (request.args.get("jurisdiction") or "").strip() or None)
    topic = repository.check_code(s, (request.args.get("topic") or "").strip() or None, "topic")
    xml = changes_feed(change_events(s), base_url=request.host_url, self_url=request.url,
                       jurisdiction=jur, topic=topic)
    return _atom(xml)


@bp.route("/feeds/alignment.atom")
def feed_alignment():  # type: ignore[no-untyped-def]
    events = hs.alignment_events(db(), today())
    return _atom(alignment_feed(events, base_url=request.host_url, self_url=request.url))
