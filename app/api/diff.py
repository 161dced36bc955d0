"""Compare rules: pairwise diff and N-way compare against a baseline (SPEC §4, §5)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app.api.common import on
from app.api.schemas import CompareQueryArgsSchema, CompareResultSchema, DiffQueryArgsSchema, DiffResultSchema
from app.diff import services as diff_services
from app.extensions import db

blp = Blueprint("diff", __name__, description="Side-by-side and N-way comparison of rules")


@blp.route("/diff")
class Diff(MethodView):
    @blp.arguments(DiffQueryArgsSchema, location="query")
    @blp.alt_response(200, schema=DiffResultSchema, description="the comparison")
    def get(self, args):
        """Articles aligned by content, typed differences, parameter differences."""
        return diff_services.diff(db(), args["a"], args["b"], on(args["as_of"]))


@blp.route("/compare")
class Compare(MethodView):
    @blp.arguments(CompareQueryArgsSchema, location="query")
    @blp.alt_response(200, schema=CompareResultSchema, description="the N-way comparison")
    def get(self, args):
        """Align every other rule's articles to the baseline's."""
        others = [r.strip() for r in args["rules"].split(",") if r.strip()]
        return diff_services.compare(db(), args["baseline"], others, on(args["as_of"]))
