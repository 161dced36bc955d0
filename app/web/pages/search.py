"""The search page: box, clickable facets, as-of date, snippets, pagination, article links."""

from __future__ import annotations

from flask import render_template, request, url_for

from app.exceptions import QueryError
from app.extensions import db, search_backend
from app.search.services import run_search
from app.web import bp
from app.web.i18n import error_text
from app.web.pages.home import as_of_arg

PER_PAGE = 20


@bp.route("/search")
def search():  # type: ignore[no-untyped-def]
    q = request.args.get("q", "")
    as_of = as_of_arg()
    jurisdictions = [j for j in request.args.getlist("jurisdiction") if j]
    topic = request.args.get("topic") or None
    kind = request.args.get("kind") or None
    sort = request.args.get("sort", "relevance")
    sort = sort if sort in ("relevance", "date") else "relevance"
    try:
        page = max(1, min(1000, int(request.args.get("page", "1"))))
    except ValueError:
        page = 1
    result, error = None, None
    if q.strip() or jurisdictions or topic or kind:
        try:
            result = run_search(
                db(),
                search_backend(),
                q=q,
                jurisdictions=jurisdictions,
                topic=topic,
                kind=kind,
                as_of=as_of,
                sort=sort,
                page=page,
                per_page=PER_PAGE,
            )
            if jurisdictions and (q.strip() or topic or kind):
                # the province facet lists every province the search matches (counted without the
                # province filter), so a second province can be added to the first
                wider = run_search(
                    db(),
                    search_backend(),
                    q=q,
                    jurisdictions=[],
                    topic=topic,
                    kind=kind,
                    as_of=as_of,
                    sort=sort,
                    page=1,
                    per_page=1,
                )
                result["facets"]["jurisdiction"] = wider["facets"]["jurisdiction"]
        except QueryError as err:
            error = error_text(err)
    pages = ((result["total"] - 1) // PER_PAGE + 1) if result and result["total"] else 0
    base = {
        "q": q,
        "as_of": as_of.isoformat(),
        "topic": topic,
        "kind": kind,
        "sort": sort,
        "jurisdiction": jurisdictions,
        "page": page,
    }

    def link(**overrides: object) -> str:
        params = {**base, **overrides}
        return url_for("web.search", **{k: v for k, v in params.items() if v not in (None, "", [])})

    return render_template(
        "search/search.html",
        q=q,
        as_of=as_of,
        jurisdictions=jurisdictions,
        topic=topic,
        kind=kind,
        sort=sort,
        page=page,
        pages=pages,
        result=result,
        error=error,
        link=link,
    )
