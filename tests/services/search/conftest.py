"""A loaded registry database (SQLite, or a PostgreSQL schema under TEST_DATABASE_URL) and a real Whoosh backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.corpus.loader import read_corpus
from app.registry.db import make_engine, upgrade, write_session
from app.registry.loading import load_corpus
from app.search.whoosh_backend import WhooshBackend

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
def backend(tmp_path):
    b = WhooshBackend(tmp_path / "index", lock_timeout=2)
    yield b
    b.close()
