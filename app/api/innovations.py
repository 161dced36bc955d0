"""Innovations of the demonstration zone and coverage statistics."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app.api.schemas import InnovationListSchema, InnovationsQueryArgsSchema
from app.extensions import db
from app.registry import repository

blp = Blueprint("innovations", __name__, description="Demonstration-zone innovations and coverage")


@blp.route("/innovations")
class Innovations(MethodView):
    @blp.arguments(InnovationsQueryArgsSchema, location="query")
    @blp.response(200, InnovationListSchema)
    def get(self, args):
        """All matching innovations (no paging) with the reported totals."""
        return repository.list_innovations(
            db(), category=args["category"], year=args["year"], promoted=args["promoted"], q=args["q"]
        )


@blp.route("/stats")
class Stats(MethodView):
    def get(self):
        """Coverage: counts by jurisdiction × topic, kind, provenance; innovations; empty cells."""
        return repository.stats(db())
