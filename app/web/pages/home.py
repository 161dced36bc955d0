"""Home page, and the ``?as_of=`` argument every dated page reads (the rules are in ``rules.py``)."""

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
