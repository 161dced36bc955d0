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
    for module in (rules, search, diff, harmonization, innovations, compliance):
        api.register_blueprint(module.blp, url_prefix="/api/v1")
