"""Innovations of the demonstration zone (read, and the audited register writes of SPEC §8.5) and coverage."""

from __future__ import annotations

from flask import g, jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint

from app.accounts.permissions import check_can_write_innovations
from app.api.common import writer_may
from app.api.schemas import (
    InnovationCreateSchema,
    InnovationDocumentSchema,
    InnovationListSchema,
    InnovationsQueryArgsSchema,
    InnovationWrittenSchema,
    StatsResultSchema,
)
from app.extensions import apply_index_updates, db, engine
from app.registry import innovations as register
from app.registry import repository
from app.registry.db import write_session

blp = Blueprint("innovations", __name__, description="Demonstration-zone innovations and coverage")

IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "schema": {"type": "string"},
    "description": "the innovation's current revision (missing or stale: 409)",
}


def _written(row, status: int):  # type: ignore[no-untyped-def]
    resp = jsonify({"id": row.slug, "revision": row.revision, "indexed": apply_index_updates()})
    resp.headers["ETag"] = f'"{row.revision}"'
    return resp, status


@blp.route("/innovations")
class Innovations(MethodView):
    @blp.arguments(InnovationsQueryArgsSchema, location="query")
    @blp.response(200, InnovationListSchema)
    def get(self, args):
        """All matching innovations (no paging) with the reported totals."""
        return repository.list_innovations(
            db(), category=args["category"], year=args["year"], promoted=args["promoted"], q=args["q"]
        )

    @blp.doc(security=[{"bearer": []}])
    @writer_may(check_can_write_innovations)
    @blp.arguments(InnovationCreateSchema)
    @blp.alt_response(201, schema=InnovationWrittenSchema, description="added")
    def post(self, body):
        """Add an innovation: body {document, slug?} → 201 {id, revision} (admins, YRD-DZ editors)."""
        with write_session(engine()) as s:
            row = register.add_innovation(s, g.writer, body["document"], body["slug"])
        return _written(row, 201)


@blp.route("/innovations/<string:slug>")
class InnovationItem(MethodView):
    @blp.doc(security=[{"bearer": []}], parameters=[IF_MATCH])
    @writer_may(check_can_write_innovations)
    @blp.arguments(InnovationDocumentSchema)
    @blp.alt_response(200, schema=InnovationWrittenSchema, description="corrected (revision bumped)")
    def put(self, body, slug):
        """Correct an innovation: body {document}, If-Match: <revision> → 200 {id, revision}; stale → 409."""
        with write_session(engine()) as s:
            row = register.update_innovation(s, g.writer, slug, body["document"], request.headers.get("If-Match"))
        return _written(row, 200)

    @blp.doc(security=[{"bearer": []}], parameters=[IF_MATCH])
    @writer_may(check_can_write_innovations)
    @blp.alt_response(204, description="deleted; the audit log keeps its content")
    def delete(self, slug):
        """Delete an innovation: If-Match: <revision> → 204; the audit row keeps its document."""
        with write_session(engine()) as s:
            register.delete_innovation(s, g.writer, slug, request.headers.get("If-Match"))
        apply_index_updates()
        return "", 204


@blp.route("/stats")
class Stats(MethodView):
    @blp.alt_response(200, schema=StatsResultSchema, description="the counts")
    def get(self):
        """Coverage: counts by jurisdiction × topic, kind, provenance; innovations; empty cells."""
        return repository.stats(db())
