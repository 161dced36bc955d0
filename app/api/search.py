"""Full-text search (SPEC §5)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app.api.common import on
from app.api.schemas import SearchQueryArgsSchema, SearchResultSchema
from app.extensions import db, search_backend
from app.search.services import run_search

blp = Blueprint("search", __name__, description="Chinese full-text search over rules, articles and innovations")


@blp.route("/search")
class Search(MethodView):
    @blp.arguments(SearchQueryArgsSchema, location="query")
    @blp.alt_response(200, schema=SearchResultSchema, description="hits, total and facets")
    def get(self, args):
        """Search rules (one hit per rule, its matching articles) and innovations, with facets."""
        return run_search(
            db(),
            search_backend(),
            q=args["q"],
            jurisdictions=args["jurisdiction"],
            topic=args["topic"],
            kind=args["kind"],
            as_of=on(args["as_of"]),
            sort=args["sort"],
            page=args["page"],
            per_page=args["per_page"],
        )
