"""Sign-in for officials (SPEC §7): a cookie session holding the user name; CSRF on both forms.

A wrong password and an unknown user get the same answer (no account enumeration).
"""

from __future__ import annotations

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext

from app.accounts.services import check_password
from app.extensions import db
from app.web import bp


def _safe_next(target: str | None) -> str:
    """Only a local path (``/...``, not ``//host``) is followed after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("web.home")


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
    session.clear()  # a fresh session (and CSRF token) for the signed-in user
    session["user"] = user.name
    session["role"] = user.role
    return redirect(_safe_next(next_url), code=303)


@bp.route("/signout", methods=["POST"])
def signout():  # type: ignore[no-untyped-def]
    session.clear()
    return redirect(url_for("web.home"), code=303)
