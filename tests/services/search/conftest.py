"""A loaded registry database (SQLite, or a PostgreSQL schema under TEST_DATABASE_URL) and a real search backend.

The backend is the one TEST_SEARCH_BACKEND names: ``whoosh`` (default, an index in a temporary
folder) or ``postgres`` (the search tables of the registry's own PostgreSQL database).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.corpus.loader import read_corpus
from app.registry.db import make_engine, upgrade, write_session
from app.registry.loading import load_corpus
from app.search.postgres_backend import PostgresBackend
from app.search.whoosh_backend import WhooshBackend

BACKEND = os.environ.get("TEST_SEARCH_BACKEND") or "whoosh"

FIXTURE_CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"


@pytest.fixture
def registry_engine(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    with write_session(engine) as session:
        load_corpus(session, read_corpus(FIXTURE_CORPUS))
    yield engine
    engine.dispose()


@pytest.fixture
def backend(tmp_path, request):
    if BACKEND == "postgres":
        if not os.environ.get("TEST_DATABASE_URL"):
            raise RuntimeError("TEST_SEARCH_BACKEND=postgres needs TEST_DATABASE_URL (a PostgreSQL server)")
        yield PostgresBackend(request.getfixturevalue("registry_engine"), lock_timeout=2)
        return
    b = WhooshBackend(tmp_path / "index", lock_timeout=2)
    yield b
    b.close()
