"""Rules: list, read one version on a date, and the audited writes (new rule, new version, repeal)."""

from __future__ import annotations

from flask import g, jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint

from app.api.common import authenticated, on
from app.api.schemas import (
    AsOfArgsSchema,
    RepealSchema,
    RuleCreateSchema,
    RuleDetailSchema,
    RuleDocumentSchema,
    RuleListSchema,
    RulesQueryArgsSchema,
    RuleWrittenSchema,
)
from app.extensions import apply_index_updates, db, engine
from app.registry import repository, writes
from app.registry.db import write_session

blp = Blueprint("rules", __name__, description="Rules and their versions, point in time")


IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "schema": {"type": "string"},
    "description": "the rule's current version id (stale: 409)",
}


@blp.route("/rules")
class Rules(MethodView):
    @blp.arguments(RulesQueryArgsSchema, location="query")
    @blp.response(200, RuleListSchema)
    def get(self, args):
        """List rules with the version each shows on as_of."""
        s = db()
        return repository.list_rules(
            s,
            as_of=on(args["as_of"]),
            jurisdiction=repository.check_code(s, args["jurisdiction"]),
            topic=repository.check_code(s, args["topic"], "topic"),
            kind=args["kind"],
            page=args["page"],
            per_page=args["per_page"],
        )

    @blp.doc(security=[{"bearer": []}])
    @authenticated
    @blp.arguments(RuleCreateSchema)
    @blp.alt_response(201, schema=RuleWrittenSchema, description="added")
    def post(self, body):
        """Add a rule: body {document, slug?} → 201 {id, version}."""
        with write_session(engine()) as s:
            v = writes.add_rule(s, g.writer, body["document"], body["slug"])
        return jsonify({"id": v.rule_id, "version": v.id, "indexed": apply_index_updates()}), 201


@blp.route("/rules/<path:rule_id>/versions")
class RuleVersions(MethodView):
    @blp.doc(security=[{"bearer": []}], parameters=[IF_MATCH])
    @authenticated
    @blp.arguments(RuleDocumentSchema)
    @blp.alt_response(201, schema=RuleWrittenSchema, description="version added")
    def post(self, body, rule_id):
        """Add a version: body {document}, If-Match: <current version id> → 201 {id, version}."""
        rid, _ = repository.split_id(rule_id)
        with write_session(engine()) as s:
            v = writes.add_version(s, g.writer, rid, body["document"], request.headers.get("If-Match"))
        return jsonify({"id": v.rule_id, "version": v.id, "indexed": apply_index_updates()}), 201


@blp.route("/rules/<path:rule_id>/repeal")
class RuleRepeal(MethodView):
    @blp.doc(security=[{"bearer": []}], parameters=[IF_MATCH])
    @authenticated
    @blp.arguments(RepealSchema)
    @blp.response(200, RuleWrittenSchema)
    def post(self, body, rule_id):
        """Repeal a rule: body {repealed: D}, If-Match → 200 {id, version, repealed}."""
        rid, _ = repository.split_id(rule_id)
        d = body["repealed"]
        with write_session(engine()) as s:
            v = writes.repeal_rule(s, g.writer, rid, d, request.headers.get("If-Match"))
        return {"id": v.rule_id, "version": v.id, "repealed": d.isoformat(), "indexed": apply_index_updates()}


@blp.route("/rules/<path:rule_id>")
class RuleDetail(MethodView):
    @blp.arguments(AsOfArgsSchema, location="query")
    @blp.response(200, RuleDetailSchema)
    def get(self, args, rule_id):
        """One rule version with its articles and parameters (a bare id: the version in force on as_of)."""
        return repository.show(db(), rule_id, on(args["as_of"]))
