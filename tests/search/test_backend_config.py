"""The app takes its search backend from SEARCH_BACKEND (default whoosh) and refuses an unknown name at start-up."""

from __future__ import annotations

import os

import pytest

from app import create_app
from app.search.backends import UnknownSearchBackend
from app.search.postgres_backend import PostgresBackend
from app.search.whoosh_backend import WhooshBackend


def config(tmp_path, **extra):
    return {
        "TESTING": True,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'r.sqlite3'}",
        "REGISTRY_INDEX": str(tmp_path / "index"),
        "SECRET_KEY": "x",
        **extra,
    }


def test_default_backend_is_whoosh_on_the_configured_index(tmp_path):
    app = create_app(config(tmp_path, SEARCH_LOCK_TIMEOUT=0.5))
    backend = app.extensions["search_backend"]
    assert isinstance(backend, WhooshBackend) and backend.name == "whoosh"
    assert backend.path == tmp_path / "index" and backend.lock_timeout == 0.5
    app.extensions["registry_engine"].dispose()


def test_unknown_backend_stops_the_start_up(tmp_path):
    with pytest.raises(UnknownSearchBackend, match="SEARCH_BACKEND='elastic'"):
        create_app(config(tmp_path, SEARCH_BACKEND="elastic"))


def test_postgres_backend_on_a_sqlite_database_stops_the_start_up(tmp_path):
    with pytest.raises(ValueError, match="SEARCH_BACKEND=postgres needs a PostgreSQL DATABASE_URL"):
        create_app(config(tmp_path, SEARCH_BACKEND="postgres"))


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs TEST_DATABASE_URL (PostgreSQL)")
def test_postgres_backend_is_built_from_the_settings(tmp_path):
    app = create_app(
        config(
            tmp_path,
            SEARCH_BACKEND="postgres",
            DATABASE_URL=os.environ["TEST_DATABASE_URL"],
            SEARCH_TIME_LIMIT=0.7,
            SEARCH_LOCK_TIMEOUT=0.5,
        )
    )
    backend = app.extensions["search_backend"]
    assert isinstance(backend, PostgresBackend) and backend.name == "postgres"
    assert (backend.time_limit, backend.lock_timeout) == (0.7, 0.5)
    assert backend.engine.url.render_as_string(hide_password=False) == os.environ["TEST_DATABASE_URL"]
    backend.close()
    app.extensions["registry_engine"].dispose()
