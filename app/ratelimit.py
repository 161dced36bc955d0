"""Throttling (Flask-Limiter, ASVS 6.3.1 / 2.4.1): failed sign-ins and token-authenticated writes,
each counted per account and per client address; over the limit → 429 with ``Retry-After``.

``SIGNIN_RATE_LIMIT`` counts failed sign-ins only (a wrong password or an unknown name), per
user name tried and per client address; ``WRITE_RATE_LIMIT`` counts API writes that carry a
token, per account (the token's user) and per client address. Limits are kept in
``RATELIMIT_STORAGE_URI``: ``memory://`` (the default) counts in each worker process, so N
workers allow up to N times the limit; a shared Redis (``redis://host:6379/0``; the ``redis``
client is a dependency) counts across workers and nodes. The client address is the connection's (``request.remote_addr``), never a header
the client sets.
"""

from __future__ import annotations

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from app.extensions import db
from app.registry.models import ApiToken

WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]


def _signin_account() -> str:
    return "signin:" + (request.form.get("name") or "").strip().lower()[:100]


def _write_account() -> str:
    """The writing account: the user behind the token's public id (any of their tokens counts)."""
    header = request.headers.get("Authorization", "")
    token_id = header.removeprefix("Bearer ").strip().partition(".")[0][:40]
    tok = db().get(ApiToken, token_id) if token_id else None
    return f"writer:user:{tok.user_id}" if tok is not None else f"writer:token:{token_id}"


def _anonymous() -> bool:
    return "Authorization" not in request.headers


def init_app(app: Flask) -> None:
    """Throttle the sign-in form and every API write route (call after the routes are registered)."""
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)  # Retry-After (and X-RateLimit-*) on 429
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        strategy="moving-window",
        default_limits=[],
    )
    app.extensions["registry_limiter"] = limiter

    def signin_limit() -> str:
        return app.config["SIGNIN_RATE_LIMIT"]

    def write_limit() -> str:
        return app.config["WRITE_RATE_LIMIT"]

    def failed(resp) -> bool:  # type: ignore[no-untyped-def]
        return resp.status_code == 401

    view = app.view_functions["web.signin"]
    for key in (_signin_account, get_remote_address):
        view = limiter.limit(signin_limit, key_func=key, methods=["POST"], deduct_when=failed, scope=key.__name__)(view)
    app.view_functions["web.signin"] = view

    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and set(rule.methods or ()) & set(WRITE_METHODS):
            view = app.view_functions[rule.endpoint]
            for key in (_write_account, get_remote_address):
                view = limiter.limit(
                    write_limit, key_func=key, methods=WRITE_METHODS, exempt_when=_anonymous, scope=key.__name__
                )(view)
            app.view_functions[rule.endpoint] = view
