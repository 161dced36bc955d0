"""The innovations browser (SPEC §7): filter by category and promotion, coverage stated plainly.

The registry catalogues only innovations it found a public source for; the page states how many
of the reported total (154) are catalogued and for how many of the reported promoted (57) the
promotion is known, and never pads the list.
"""

from __future__ import annotations

from flask import render_template, request

from app.exceptions import ValidationError
from app.extensions import db
from app.registry import repository
from app.web import bp

PROMOTED_VALUES = {"true": True, "false": False, "unknown": None}


def innovations_doc(s) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    """``(document, filters)`` for ``?category=&promoted=true|false|unknown&q=``: the
    ``list_innovations`` document with ``items`` filtered (``unknown`` = promotion status not known)."""
    category = (request.args.get("category") or "").strip() or None
    promoted_raw = (request.args.get("promoted") or "").strip().lower()
    q = (request.args.get("q") or "").strip() or None
    if promoted_raw and promoted_raw not in PROMOTED_VALUES:
        raise ValidationError("promoted is true, false or unknown", fields={"promoted": ["true, false or unknown"]})
    promoted = PROMOTED_VALUES.get(promoted_raw) if promoted_raw in ("true", "false") else None
    doc = repository.list_innovations(s, category=category, promoted=promoted, q=q)
    if promoted_raw == "unknown":
        doc["items"] = [i for i in doc["items"] if i["promoted_nationally"] is None]
        doc["total"] = len(doc["items"])
    return doc, {"category": category, "promoted": promoted_raw or None, "q": q}


@bp.route("/innovations")
def innovations():  # type: ignore[no-untyped-def]
    s = db()
    doc, filters = innovations_doc(s)
    everything = repository.list_innovations(s)
    categories: dict[str, int] = {}
    for item in everything["items"]:
        categories[item["category"]] = categories.get(item["category"], 0) + 1
    query = {k: v for k, v in filters.items() if v}
    return render_template(
        "innovations/list.html",
        doc=doc,
        filters=filters,
        query=query,
        catalogued=everything["total"],
        categories=sorted(categories.items()),
        known={"known": everything["promotion_known"], "promoted": everything["promoted_known"]},
        reported=everything["reported"],
    )
