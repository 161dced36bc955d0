"""The only glue between Flask and the registry: engine, per-request session, search backend, API object."""

from __future__ import annotations

from flask import Flask, current_app, g, request
from flask_smorest import Api
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.config import engine_options
from app.exceptions import SchemaNotCurrent, SearchIndexError
from app.registry.db import make_engine, schema_is_current, session_factory
from app.search import services as search_services
from app.search.backends import make_backend
from app.search.interfaces import SearchBackend


class RegistryApi(Api):
    """flask-smorest's Api with the registry's JSON error envelope (SPEC §4)."""

    def handle_http_exception(self, error):  # type: ignore[no-untyped-def]
        from app.errors import http_error_response

        return http_error_response(error)


api = RegistryApi()


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"], **engine_options(app.config))
    app.extensions["registry_engine"] = engine  # never migrated here: `registry db upgrade` / serve / load do it
    app.extensions["registry_sessions"] = session_factory(engine)
    # One backend per app (so per worker process); an unknown name stops the start-up here.
    app.extensions["search_backend"] = make_backend(app.config["SEARCH_BACKEND"], app.config)
    app.before_request(_require_current_schema)

    @app.teardown_appcontext
    def _close_session(_exc):  # type: ignore[no-untyped-def]
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def require_current_schema() -> None:
    """Raise SchemaNotCurrent (503) until the database is migrated; checked until it first is."""
    if current_app.extensions.get("registry_schema_current"):
        return
    if not schema_is_current(current_app.extensions["registry_engine"]):
        raise SchemaNotCurrent()
    current_app.extensions["registry_schema_current"] = True


def _require_current_schema() -> None:
    endpoint = request.endpoint or ""
    # the error page's stylesheet needs no database; /healthz and /readyz report the schema themselves
    if not endpoint.endswith("static") and not endpoint.startswith("health."):
        require_current_schema()


def engine() -> Engine:
    return current_app.extensions["registry_engine"]


def db() -> Session:
    """The request's (or CLI command's) read session, closed at teardown."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["registry_sessions"]()
    return g.db_session


def search_backend() -> SearchBackend:
    """The app's search backend (``SEARCH_BACKEND``, built once at start-up)."""
    return current_app.extensions["search_backend"]


def apply_index_updates() -> bool:
    """Bring the index up to date after a write, before the response returns (SPEC §6).

    Returns False when the index could not be written (another writer held it past the lock
    timeout): the write itself is committed and its update stays in the outbox for the next
    sync, so the caller reports ``indexed: false`` rather than an error that invites a retry.
    """
    try:
        search_services.sync_index(engine(), search_backend())
    except SearchIndexError as err:
        current_app.logger.warning("search index not updated after a write: %s", err.message)
        return False
    return True
