"""Sign-in for officials (SPEC §7): a server-side session (``accounts.sessions``) whose token the
cookie carries; a new one at every sign-in, deleted at sign-out; CSRF on both forms.

A wrong password and an unknown user get the same answer (no account enumeration).
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext

from app.accounts import sessions
from app.accounts.services import check_password
from app.extensions import db, engine
from app.registry import audit
from app.registry.db import write_session
from app.web import bp


def _safe_next(target: str | None) -> str:
    """The page to return to after sign-in: only a path on this site, else the home page.

    Refused: anything with a scheme or host (``https://x``, ``//x``, ``javascript:``), a backslash
    (browsers read ``/\\x`` as ``//x``), and any whitespace or control character (browsers drop
    tabs and newlines, so ``/\t/x`` would become ``//x``). What is left must be ``/`` followed by
    something that is not another ``/``.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return url_for("web.home")
    if "\\" in target or any(ch.isspace() or _control(ch) for ch in target):
        return url_for("web.home")
    decoded = unquote(target)  # the same checks once percent-decoded: /%09/x and /%2F/x are off-site too
    if decoded.startswith("//") or "\\" in decoded or any(_control(ch) for ch in decoded):
        return url_for("web.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return url_for("web.home")
    return target


def _control(ch: str) -> bool:
    return ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029\ufeff\u200b"


@bp.route("/signin", methods=["GET", "POST"])
def signin():  # type: ignore[no-untyped-def]
    next_url = request.values.get("next", "")
    if request.method == "GET":
        return render_template("auth/signin.html", error=None, name="", next_url=next_url)
    name = (request.form.get("name") or "").strip()
    password = request.form.get("password") or ""
    user = check_password(db(), name, password) if name and password and len(password) <= 1024 else None
    if user is None:
        return render_template(
            "auth/signin.html", error=gettext("Wrong user name or password"), name=name, next_url=next_url
        ), 401
    with write_session(engine()) as s:
        sessions.end(s, session.get("sid"))  # whatever this browser held before
        token = sessions.start(s, user, audit.utcnow())
    session.clear()  # a fresh cookie session (and CSRF token) for the signed-in user
    session["sid"] = token
    return redirect(_safe_next(next_url), code=303)


@bp.route("/signout", methods=["POST"])
def signout():  # type: ignore[no-untyped-def]
    with write_session(engine()) as s:
        sessions.end(s, session.get("sid"))
    session.clear()
    return redirect(url_for("web.home"), code=303)
