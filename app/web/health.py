"""``/healthz`` (the process answers) and ``/readyz`` (this node can serve: database, schema, search index).

Both answer JSON for load balancers and orchestrators; ``/readyz`` answers 503 while
any check fails, naming it. Neither needs a session, a migrated database or a locale.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from app.extensions import engine, search_backend
from app.registry.db import current_revision, head_revision
from app.search import services as search_services

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    """The process is alive and answering; nothing else is checked."""
    return jsonify(status="ok")


def _checks() -> dict[str, dict]:
    checks: dict[str, dict] = {}
    try:
        with engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = {"ok": True}
    except Exception as err:  # any driver error means "not reachable" to a load balancer
        checks["database"] = {"ok": False, "error": f"unreachable ({type(err).__name__})"}
        return checks
    revision, head = current_revision(engine()), head_revision()
    checks["migrations"] = {"ok": revision == head, "revision": revision, "head": head}
    if revision != head:
        checks["migrations"]["error"] = "the database schema is not up to date; run `registry db upgrade`"
        return checks
    lag = search_services.index_lag(engine(), search_backend())
    limit = current_app.config["READY_MAX_LAG"]
    ok = lag.built and search_backend().exists() and lag.oldest_seconds <= limit
    checks["search_index"] = {"ok": ok, **lag.as_dict(), "max_lag_seconds": limit}
    if not ok:
        checks["search_index"]["error"] = (
            "the search index has not been built" if not lag.built else "the search index is behind the outbox"
        )
    return checks


@bp.get("/readyz")
def readyz():  # type: ignore[no-untyped-def]
    """200 when the database answers, its schema is current and the index has caught up; else 503."""
    checks = _checks()
    ready = all(c["ok"] for c in checks.values()) and len(checks) == 3
    resp = jsonify(status="ready" if ready else "not ready", checks=checks)
    resp.status_code = 200 if ready else 503
    resp.headers["Cache-Control"] = "no-store"
    return resp
