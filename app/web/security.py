"""Page security: CSRF tokens on every form, session sign-in, safe headers, sanitised Markdown.

The JSON API under /api/ never uses cookie sessions and is exempt from CSRF (SPEC §4).
"""

from __future__ import annotations

import hmac
import secrets

import markdown as md
import nh3
from flask import Flask, abort, request, session
from markupsafe import Markup

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


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


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
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")

    @app.before_request
    def _check_csrf() -> None:
        if request.method in ("POST", "PUT", "PATCH", "DELETE") and not request.path.startswith("/api/"):
            sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
            if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
                abort(400, description="CSRF token missing or wrong; reload the page and try again")

    @app.after_request
    def _headers(resp):  # type: ignore[no-untyped-def]
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Content-Security-Policy", PAGE_CSP if resp.mimetype == "text/html" else OTHER_CSP)
        return resp

    app.jinja_env.globals.update(csrf_token=csrf_token)
    app.jinja_env.filters["markdown"] = render_markdown
