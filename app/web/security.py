"""Page security: CSRF tokens on every form, the signed-in user, safe headers, sanitised Markdown.

The signed-in user is found on each request from the cookie's session token through the
database (``accounts.sessions``): role and jurisdictions come from the ``users`` row, never
from the cookie; an ended or timed-out session signs the browser out. The JSON API under
/api/ never uses cookie sessions and is exempt from CSRF (SPEC §4).
"""

from __future__ import annotations

import hmac
import json
import secrets

import markdown as md
import nh3
from flask import Flask, abort, current_app, g, request, session
from markupsafe import Markup

from app.accounts import sessions as web_sessions
from app.errors import deny_write
from app.extensions import db, engine
from app.registry import audit
from app.registry.db import write_session
from app.registry.models import User

#: Longest query string accepted (bytes, percent-encoded): a 2,000-character Chinese ``q`` needs 18 KB.
#: Longer ones are refused with 414 before anything decodes them (decoding 1 MB takes seconds).
MAX_QUERY_STRING_BYTES = 32 * 1024
MAX_MARKDOWN_CHARS = 20_000  # rendering cap (docs/decisions.md "Foundations: Markdown")
ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4", "a"}


#: Pages: scripts and styles from the app's own static files only (no inline script, no style attribute or
#: <style> element, no data: URLs), no plugins, no <base>, never framed, forms post back to the app.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
#: Everything else (SVG charts, Atom feeds, JSON, CSV, XLSX): opened on its own it may load nothing and run
#: nothing (an SVG or feed viewed directly is sandboxed; its presentation attributes need no styles).
OTHER_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox"


class _QueryStringLimit:
    """WSGI layer: a query string over MAX_QUERY_STRING_BYTES is answered 414 before Flask sees the request.

    Nothing decodes it first (locale selection, logging and argument parsing all would).
    """

    def __init__(self, wsgi_app):  # type: ignore[no-untyped-def]
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        if len(environ.get("QUERY_STRING", "")) <= MAX_QUERY_STRING_BYTES:
            return self.wsgi_app(environ, start_response)
        message = f"the query string is longer than {MAX_QUERY_STRING_BYTES} bytes"
        if environ.get("PATH_INFO", "").startswith("/api/"):
            body = json.dumps({"error": {"code": "uri_too_long", "message": message}}).encode()
            ctype = "application/json"
        else:
            body = f"<!doctype html><title>414</title><p>{message}</p>".encode()
            ctype = "text/html; charset=utf-8"
        csp = PAGE_CSP if ctype.startswith("text/html") else OTHER_CSP
        start_response(
            "414 URI Too Long",
            [
                ("Content-Type", ctype),
                ("Content-Length", str(len(body))),
                ("Content-Security-Policy", csp),
                ("X-Content-Type-Options", "nosniff"),
                ("Referrer-Policy", "same-origin"),
                ("X-Frame-Options", "DENY"),
            ],
        )
        return [body]


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def current_user() -> User | None:
    """The signed-in user of this request (read from the database), or None."""
    return g.get("user")


def _load_signed_in_user() -> None:
    g.user = None
    token = session.get("sid")
    if not token or request.path.startswith("/api/") or (request.endpoint or "").endswith("static"):
        return
    row = web_sessions.find(db(), token)
    now = audit.utcnow()
    state = web_sessions.state(
        row,
        now,
        idle=current_app.config["SESSION_IDLE_TIMEOUT"],
        absolute=current_app.config["SESSION_ABSOLUTE_TIMEOUT"],
    )
    if state in ("none", "expired"):
        if state == "expired":
            with write_session(engine()) as s:
                web_sessions.end(s, token)
        session.pop("sid", None)
        return
    if state == "touch":
        with write_session(engine()) as s:
            web_sessions.touch(s, token, now)
    assert row is not None
    g.user = row.user


def render_markdown(text: str | None) -> Markup:
    """Markdown → HTML through an allow-list (nh3); long inputs are shown as escaped text."""
    if not text:
        return Markup("")
    if len(text) > MAX_MARKDOWN_CHARS:
        return Markup("<p>") + Markup.escape(text[:MAX_MARKDOWN_CHARS]) + Markup("…</p>")
    html = md.markdown(text, extensions=[], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)


def init_app(app: Flask) -> None:
    app.before_request(_load_signed_in_user)

    app.wsgi_app = _QueryStringLimit(app.wsgi_app)  # type: ignore[method-assign]

    @app.before_request
    def _check_csrf() -> None:
        if request.method in ("POST", "PUT", "PATCH", "DELETE") and not request.path.startswith("/api/"):
            sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
            if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
                deny_write("CSRF token missing or wrong")
                abort(400, description="CSRF token missing or wrong; reload the page and try again")

    @app.after_request
    def _headers(resp):  # type: ignore[no-untyped-def]
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Content-Security-Policy", PAGE_CSP if resp.mimetype == "text/html" else OTHER_CSP)
        return resp

    app.jinja_env.globals.update(csrf_token=csrf_token, current_user=current_user)
    app.jinja_env.filters["markdown"] = render_markdown
