"""Home page and the rule list/rule page."""

from __future__ import annotations

import datetime as dt

from flask import render_template, request

from app.corpus.dates import parse_date, today
from app.exceptions import ValidationError
from app.extensions import db
from app.registry import repository
from app.web import bp


def as_of_arg() -> dt.date:
    """The page's as_of (?as_of=YYYY-MM-DD); a bad date falls back to today and is reported."""
    raw = request.args.get("as_of", "")
    if raw:
        try:
            return parse_date(raw)
        except ValueError:
            raise ValidationError(f"as_of {raw!r} is not a real date (YYYY-MM-DD)") from None
    return today()


@bp.route("/")
def home():  # type: ignore[no-untyped-def]
    s = db()
    stats = repository.stats(s)
    changes = repository.recent_changes(s, limit=12, actions=["version_added", "corrected", "repealed"])
    return render_template("home.html", stats=stats, changes=changes, today=today())


@bp.route("/rules")
def rules():  # type: ignore[no-untyped-def]
    s = db()
    as_of = as_of_arg()
    jur = repository.check_code(s, request.args.get("jurisdiction") or None)
    topic = repository.check_code(s, request.args.get("topic") or None, "topic")
    listing = repository.list_rules(s, as_of=as_of, jurisdiction=jur, topic=topic, per_page=1000)
    return render_template(
        "rules/list.html",
        listing=listing,
        as_of=as_of,
        jurisdiction=jur,
        topic=topic,
        jurisdictions=repository.jurisdictions(s),
        topics=repository.topics(s),
    )


@bp.route("/rules/<path:ident>")
def rule(ident: str):  # type: ignore[no-untyped-def]
    s = db()
    as_of = as_of_arg()
    doc = repository.show(s, ident, as_of)
    listing = repository.list_rules(s, as_of=as_of, per_page=1000)
    return render_template("rules/rule.html", doc=doc, as_of=as_of, all_rules=listing["items"])
