"""Full-text search (SPEC §5)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app.api.common import on
from app.api.schemas import SearchQueryArgsSchema
from app.extensions import db, searcher
from app.registry import repository

blp = Blueprint("search", __name__, description="Chinese full-text search over rules, articles and innovations")


def run_search(*, q, jurisdictions, topic, kind, as_of, sort, page, per_page) -> dict:  # type: ignore[no-untyped-def]
    """The one entry point for search from the API, the CLI and the pages."""
    from app.search.searcher import SearchRequest

    s = db()
    codes = [repository.check_code(s, j) for j in jurisdictions if j]
    req = SearchRequest(
        q=q or "",
        jurisdictions=[c for c in codes if c],
        topic=repository.check_code(s, topic, "topic"),
        kind=kind,
        as_of=as_of,
        sort=sort,
        page=page,
        per_page=per_page,
    )
    return searcher().search(req).to_dict()


@blp.route("/search")
class Search(MethodView):
    @blp.arguments(SearchQueryArgsSchema, location="query")
    def get(self, args):
        """Search rules (one hit per rule, its matching articles) and innovations, with facets."""
        return run_search(
            q=args["q"],
            jurisdictions=args["jurisdiction"],
            topic=args["topic"],
            kind=args["kind"],
            as_of=on(args["as_of"]),
            sort=args["sort"],
            page=args["page"],
            per_page=args["per_page"],
        )
