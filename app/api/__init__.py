"""The JSON API under /api/v1 (SPEC §4): one module per resource, each view calls one service.

OpenAPI at /api/v1/openapi.json; view docstrings become its summaries.
"""

from __future__ import annotations

from flask import Flask


def register_api(app: Flask) -> None:
    from app.api import compliance, diff, harmonization, innovations, rules, search
    from app.api.schemas import ErrorEnvelopeSchema
    from app.extensions import api

    # the documented error responses are the registry's envelope, as the handlers send it
    api.ERROR_SCHEMA = ErrorEnvelopeSchema
    api.init_app(app)
    _check_json_depth_before_parsing()
    for module in (rules, search, diff, harmonization, innovations, compliance):
        api.register_blueprint(module.blp, url_prefix="/api/v1")


def _check_json_depth_before_parsing() -> None:
    """Bodies read by flask-smorest (webargs) are checked for nesting first: deep → 400, not a RecursionError."""
    from flask_smorest.arguments import ArgumentsMixin
    from webargs.flaskparser import is_json_request

    from app.jsonprovider import check_depth

    parser = ArgumentsMixin.ARGUMENTS_PARSER

    @parser.location_loader("json")
    def _load_json(req, schema):  # type: ignore[no-untyped-def]
        if is_json_request(req):
            check_depth(req.get_data(cache=True))
        return parser.load_json(req, schema)
