"""Rules: list, read one version on a date, and the audited writes (new rule, new version, repeal)."""

from __future__ import annotations

from flask import jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint

from app.api.common import json_body, on, writer_user
from app.api.schemas import AsOfArgsSchema, RuleDetailSchema, RuleListSchema, RulesQueryArgsSchema, parse_date
from app.exceptions import ValidationError
from app.extensions import apply_index_updates, db, engine
from app.registry import repository, services

blp = Blueprint("rules", __name__, description="Rules and their versions, point in time")


def _document(body: dict) -> str:
    document = body.get("document")
    if not isinstance(document, str):
        raise ValidationError("document must be the corpus file text", fields={"document": ["required"]})
    return document


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
    def post(self):
        """Add a rule: body {document, slug?} → 201 {id, version}."""
        user = writer_user()
        body = json_body()
        document = _document(body)
        slug = body.get("slug")
        if slug is not None and not isinstance(slug, str):
            raise ValidationError("slug must be text", fields={"slug": ["must be text"]})
        v = services.add_rule(engine(), user, document, slug)
        return jsonify({"id": v.rule_id, "version": v.id, "indexed": apply_index_updates()}), 201


@blp.route("/rules/<path:rule_id>/versions")
class RuleVersions(MethodView):
    @blp.doc(security=[{"bearer": []}])
    def post(self, rule_id):
        """Add a version: body {document}, If-Match: <current version id> → 201 {id, version}."""
        user = writer_user()
        document = _document(json_body())
        rid, _ = repository.split_id(rule_id)
        v = services.add_version(engine(), user, rid, document, request.headers.get("If-Match"))
        return jsonify({"id": v.rule_id, "version": v.id, "indexed": apply_index_updates()}), 201


@blp.route("/rules/<path:rule_id>/repeal")
class RuleRepeal(MethodView):
    @blp.doc(security=[{"bearer": []}])
    def post(self, rule_id):
        """Repeal a rule: body {repealed: D}, If-Match → 200 {id, version, repealed}."""
        user = writer_user()
        body = json_body()
        if "repealed" not in body:
            raise ValidationError("repealed date is required", fields={"repealed": ["required"]})
        try:
            d = parse_date(body["repealed"], "repealed")
        except Exception:
            raise ValidationError(
                "repealed must be a date YYYY-MM-DD", fields={"repealed": ["not a real date"]}
            ) from None
        rid, _ = repository.split_id(rule_id)
        v = services.repeal_rule(engine(), user, rid, d, request.headers.get("If-Match"))
        return jsonify({"id": v.rule_id, "version": v.id, "repealed": d.isoformat(), "indexed": apply_index_updates()})


@blp.route("/rules/<path:rule_id>")
class RuleDetail(MethodView):
    @blp.arguments(AsOfArgsSchema, location="query")
    @blp.response(200, RuleDetailSchema)
    def get(self, args, rule_id):
        """One rule version with its articles and parameters (a bare id: the version in force on as_of)."""
        return repository.show(db(), rule_id, on(args["as_of"]))
