"""Atom feeds (SPEC §4 "Feeds"): rule changes from the audit log, and hard-rule alignment changes.

``/feeds/changes.atom?jurisdiction=&topic=`` — versions added, corrected or repealed (audit
entries joined to their versions); ``/feeds/alignment.atom`` — a version that breaks or restores a
jurisdiction's alignment with a hard rule. The XML comes from ``app.harmonization.feeds``.
"""

from __future__ import annotations

from flask import Response, current_app, request

from app.corpus.dates import today
from app.extensions import db
from app.harmonization import services as hs
from app.harmonization.feeds import alignment_feed, changes_feed
from app.registry import repository
from app.web import bp

ATOM = "application/atom+xml; charset=utf-8"


def _atom(xml: str) -> Response:
    return Response(xml, content_type=ATOM)


def _urls() -> tuple[str, str]:
    """(base URL, this feed's URL) from the PUBLIC_BASE_URL setting: a forged Host header never reaches a feed."""
    base = current_app.config["PUBLIC_BASE_URL"]
    query = request.query_string.decode("utf-8", "replace")
    return base, base.rstrip("/") + request.path + (f"?{query}" if query else "")


@bp.route("/feeds/changes.atom")
def feed_changes():  # type: ignore[no-untyped-def]
    s = db()
    jur = repository.check_code(s, (request.args.get("jurisdiction") or "").strip() or None)
    topic = repository.check_code(s, (request.args.get("topic") or "").strip() or None, "topic")
    base, self_url = _urls()
    xml = changes_feed(hs.change_events(s), base_url=base, self_url=self_url, jurisdiction=jur, topic=topic)
    return _atom(xml)


@bp.route("/feeds/alignment.atom")
def feed_alignment():  # type: ignore[no-untyped-def]
    events = hs.alignment_events(db(), today())
    base, self_url = _urls()
    return _atom(alignment_feed(events, base_url=base, self_url=self_url))
