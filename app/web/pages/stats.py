"""The coverage page (SPEC §7): what is and is not in the registry, stated plainly."""

from __future__ import annotations

from flask import render_template

from app.extensions import db
from app.registry import repository
from app.web import bp


@bp.route("/stats")
def stats():  # type: ignore[no-untyped-def]
    s = db()
    data = repository.stats(s)
    names = {j.code: j for j in repository.jurisdictions(s)}
    topics = {tp.code: tp for tp in repository.topics(s)}
    topic_codes = list(topics) or sorted({tc for row in data["by_jurisdiction_topic"].values() for tc in row})
    return render_template("stats/stats.html", stats=data, names=names, topics=topics, topic_codes=topic_codes)
