"""The only glue between Flask and the registry: engine, per-request session, searcher, API object."""

from __future__ import annotations

from flask import Flask, current_app, g, request
from flask_smorest import Api
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.config import engine_options
from app.exceptions import SchemaNotCurrent
from app.registry.db import make_engine, schema_is_current, session_factory


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
    if not (request.endpoint or "").endswith("static"):  # the error page's stylesheet needs no database
        require_current_schema()


def engine() -> Engine:
    return current_app.extensions["registry_engine"]


def db() -> Session:
    """The request's (or CLI command's) read session, closed at teardown."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["registry_sessions"]()
    return g.db_session


_searchers: dict[str, object] = {}


def searcher():  # type: ignore[no-untyped-def]
    """This worker's searcher (one per process and index), refreshed when the index changed on disk."""
    from app.search.indexer import SearchIndex

    path = str(current_app.config["REGISTRY_INDEX"])
    s = _searchers.get(path)
    if s is None:
        s = SearchIndex(path).open().searcher(time_limit=float(current_app.config["SEARCH_TIME_LIMIT"]))
        _searchers[path] = s
    else:
        s.refresh()
    return s


def apply_index_updates() -> bool:
    """Bring the index up to date after a write, before the response returns (SPEC §6).

    Returns False when the index could not be written (another writer held it past the lock
    timeout): the write itself is committed and its update stays in the outbox for the next
    sync, so the caller reports ``indexed: false`` rather than an error that invites a retry.
    """
    from pathlib import Path

    from app.exceptions import SearchIndexError
    from app.workflows import sync_index

    try:
        sync_index(
            engine(),
            Path(current_app.config["REGISTRY_INDEX"]),
            lock_timeout=float(current_app.config["SEARCH_LOCK_TIMEOUT"]),
        )
    except SearchIndexError as err:
        current_app.logger.warning("search index not updated after a write: %s", err.message)
        return False
    return True
