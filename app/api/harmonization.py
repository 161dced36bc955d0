"""Harmonization: topic matrix, hard rules (read and admin write), scoreboard."""

from __future__ import annotations

from flask import jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint

from app.api.common import json_body, on, writer_user
from app.api.schemas import AsOfArgsSchema, MatrixQueryArgsSchema
from app.extensions import db, engine
from app.harmonization import services as hs
from app.registry import repository, services

blp = Blueprint("harmonization", __name__, description="Matrix, hard rules and scoreboard")


@blp.route("/matrix")
class Matrix(MethodView):
    @blp.arguments(MatrixQueryArgsSchema, location="query")
    def get(self, args):
        """Quantitative provisions of a topic across jurisdictions, misalignments flagged."""
        s = db()
        topic = repository.check_code(s, args["topic"], "topic")
        cols = [repository.check_code(s, j) for j in args["jurisdiction"] if j] or None
        return hs.topic_matrix(s, topic, cols, on(args["as_of"]))


@blp.route("/hard-rules")
class HardRules(MethodView):
    @blp.arguments(AsOfArgsSchema, location="query")
    def get(self, args):
        """Every hard rule with its per-jurisdiction status on as_of."""
        return hs.progress(db(), on(args["as_of"]))


@blp.route("/hard-rules/<hard_rule_id>")
class HardRuleDetail(MethodView):
    @blp.arguments(AsOfArgsSchema, location="query")
    def get(self, args, hard_rule_id):
        """One hard rule with its status and timeline."""
        return hs.hard_rule(db(), hard_rule_id, on(args["as_of"]))

    @blp.doc(security=[{"bearer": []}])
    def put(self, hard_rule_id):
        """Create or replace a hard rule (admins only); If-Match: <revision> when it exists."""
        user = writer_user()
        data = json_body()
        row, created = services.put_hard_rule(engine(), user, hard_rule_id, data, request.headers.get("If-Match"))
        resp = jsonify({"id": row.id, "revision": row.revision})
        resp.headers["ETag"] = f'"{row.revision}"'
        return resp, 201 if created else 200


@blp.route("/scoreboard")
class Scoreboard(MethodView):
    @blp.arguments(AsOfArgsSchema, location="query")
    def get(self, args):
        """Per-jurisdiction alignment deficit and its change against a year earlier."""
        return hs.score(db(), on(args["as_of"]))
