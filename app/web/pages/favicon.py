"""``/favicon.ico``: browsers ask for it at the site root whatever the page links; the icon is a static file."""

from __future__ import annotations

from flask import send_from_directory

from app.web import bp


@bp.route("/favicon.ico")
def favicon():  # type: ignore[no-untyped-def]
    return send_from_directory(bp.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400)
