"""Server-rendered pages (SPEC §7): Chinese first, English available, every asset served locally.

``pages/<area>.py`` hold the views of one area; templates sit in ``templates/<area>/``.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/static")


def register_web(app: Flask) -> None:
    from app.web import health, i18n, security
    from app.web.pages import load_pages

    load_pages()
    app.register_blueprint(bp)
    app.register_blueprint(health.bp)
    i18n.init_app(app)
    security.init_app(app)
    app.jinja_env.globals["has_endpoint"] = lambda name: name in app.view_functions
