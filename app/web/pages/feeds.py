"""Atom feeds (SPEC §4 "Feeds"): rule changes from the audit log, and hard-rule alignment changes.

``/feeds/changes.atom?jurisdiction=&topic=`` — versions added, corrected or repealed (audit
entries joined to their versions); ``/feeds/alignment.atom`` — a version that breaks or restores a
jurisdiction's alignment with a hard rule. The XML comes from ``app.harmonization.feeds``.
"""

from __future__ import annotations

from flask import Response, request

from app.corpus.dates import today
from app.extensions import db
from app.harmonization import services as hs
from app.harmonization.feeds import alignment_feed, changes_feed
from app.registry import repository
from app.web import bp

ATOM = "application/atom+xml; charset=utf-8"


def _atom(xml: str) -> Response:
    return Response(xml, content_type=ATOM)


@bp.route("/feeds/changes.atom")
def feed_changes():  # type: ignore[no-untyped-def]
    s = db()
    jur = repository.check_code(s, (request.args.get("jurisdiction") or "").strip() or None)
    topic = repository.check_code(s, (request.args.get("topic") or "").strip() or None, "topic")
    xml = changes_feed(
        hs.change_events(s), base_url=request.host_url, self_url=request.url, jurisdiction=jur, topic=topic
    )
    return _atom(xml)


@bp.route("/feeds/alignment.atom")
def feed_alignment():  # type: ignore[no-untyped-def]
    events = hs.alignment_events(db(), today())
    return _atom(alignment_feed(events, base_url=request.host_url, self_url=request.url))
