"""Small helpers shared by the API views: dates, bodies, the writing user."""

from __future__ import annotations

import datetime as dt

from flask import request

from app.exceptions import ValidationError
from app.extensions import db
from app.registry.models import User
from app.registry.temporal import today


def on(as_of: dt.date | None) -> dt.date:
    return as_of or today()


def writer_user() -> User:
    """Authenticate first (SPEC §4: 401 before any validation)."""
    from app.accounts.services import authenticate

    return authenticate(db(), request.headers.get("Authorization"))


def json_body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError("the body must be a JSON object", fields={"body": ["expected a JSON object"]})
    return data
