"""Harmonization: topic matrix, hard rules (read and admin write), scoreboard."""

from __future__ import annotations

from flask import g, jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint

from app.accounts.permissions import check_can_write_hard_rules
from app.api.common import on, writer_may
from app.api.schemas import (
    AsOfArgsSchema,
    HardRuleBodySchema,
    HardRuleDetailSchema,
    HardRuleListSchema,
    HardRuleWrittenSchema,
    MatrixQueryArgsSchema,
    MatrixResultSchema,
    ScoreboardResultSchema,
)
from app.extensions import db, engine
from app.harmonization import services as hs
from app.registry import repository, writes
from app.registry.db import write_session

blp = Blueprint("harmonization", __name__, description="Matrix, hard rules and scoreboard")

IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "the hard rule's current revision, required when it exists (missing: 400, stale: 409)",
}


@blp.route("/matrix")
class Matrix(MethodView):
    @blp.arguments(MatrixQueryArgsSchema, location="query")
    @blp.alt_response(200, schema=MatrixResultSchema, description="the matrix")
    def get(self, args):
        """Quantitative provisions of a topic across jurisdictions, misalignments flagged."""
        s = db()
        topic = repository.check_code(s, args["topic"], "topic")
        cols = [repository.check_code(s, j) for j in args["jurisdiction"] if j] or None
        return hs.topic_matrix(s, topic, cols, on(args["as_of"]))


@blp.route("/hard-rules")
class HardRules(MethodView):
    @blp.arguments(AsOfArgsSchema, location="query")
    @blp.alt_response(200, schema=HardRuleListSchema, description="hard rules and their status")
    def get(self, args):
        """Every hard rule with its per-jurisdiction status on as_of."""
        return hs.progress(db(), on(args["as_of"]))


@blp.route("/hard-rules/<hard_rule_id>")
class HardRuleDetail(MethodView):
    @blp.arguments(AsOfArgsSchema, location="query")
    @blp.alt_response(200, schema=HardRuleDetailSchema, description="the hard rule")
    def get(self, args, hard_rule_id):
        """One hard rule with its status and timeline."""
        return hs.hard_rule(db(), hard_rule_id, on(args["as_of"]))

    @blp.doc(security=[{"bearer": []}], parameters=[IF_MATCH])
    @writer_may(check_can_write_hard_rules)
    @blp.arguments(HardRuleBodySchema)
    @blp.alt_response(201, schema=HardRuleWrittenSchema, description="created")
    @blp.alt_response(200, schema=HardRuleWrittenSchema, description="replaced (revision bumped)")
    def put(self, body, hard_rule_id):
        """Create or replace a hard rule (admins only); If-Match: <revision> when it exists."""
        with write_session(engine()) as s:
            row, created = writes.put_hard_rule(s, g.writer, hard_rule_id, body, request.headers.get("If-Match"))
        resp = jsonify({"id": row.id, "revision": row.revision})
        resp.headers["ETag"] = f'"{row.revision}"'
        return resp, 201 if created else 200


@blp.route("/scoreboard")
class Scoreboard(MethodView):
    @blp.arguments(AsOfArgsSchema, location="query")
    @blp.alt_response(200, schema=ScoreboardResultSchema, description="the scoreboard")
    def get(self, args):
        """Per-jurisdiction alignment deficit and its change against a year earlier."""
        return hs.score(db(), on(args["as_of"]))
