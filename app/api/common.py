"""Small helpers shared by the API views: dates, bodies, the writing user."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from flask import g, request

from app.accounts.services import authenticate
from app.corpus.dates import today
from app.exceptions import ValidationError
from app.extensions import db
from app.registry.models import User


def on(as_of: dt.date | None) -> dt.date:
    return as_of or today()


def writer_user() -> User:
    """Authenticate first (SPEC §4: 401 before any validation)."""
    return authenticate(db(), request.headers.get("Authorization"))


def authenticated(fn: Callable) -> Callable:
    """Authenticate (401) before the body is parsed or validated (SPEC §4); the user is ``g.writer``.

    Put it above ``@blp.arguments`` so that a write without a valid token never reaches validation.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        g.writer = writer_user()
        return fn(*args, **kwargs)

    return wrapper


def writer_may(check: Callable[[User], None]) -> Callable[[Callable], Callable]:
    """Authenticate (401) and check the writer's permission (403, ``accounts.permissions``) before
    the body is parsed or validated (SPEC §4); put it above ``@blp.arguments``."""

    def decorate(fn: Callable) -> Callable:
        @authenticated
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            check(g.writer)
            return fn(*args, **kwargs)

        return wrapper

    return decorate


def json_body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError("the body must be a JSON object", fields={"body": ["expected a JSON object"]})
    return data
