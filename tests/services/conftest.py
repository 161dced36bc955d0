"""Service-level fixtures: use cases run on a session whose work is rolled back after each test.

One database per test session (a SQLite file, or a PostgreSQL schema when TEST_DATABASE_URL is
set), migrated and loaded with the fixture corpus once; each test gets a connection in an open
transaction and a Session that turns its commits into savepoints (as warehouse does), rolled
back at the end. No Flask app is built.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from app.corpus.loader import read_corpus
from app.registry.db import make_engine, upgrade, write_session
from app.registry.loading import load_corpus

FIXTURE_CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


@pytest.fixture(scope="session")
def service_engine(tmp_path_factory):
    base = os.environ.get("TEST_DATABASE_URL")
    schema = None
    if base:
        schema = f"s_{uuid.uuid4().hex[:12]}"
        with create_engine(base).begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in base else "?"
        url = f"{base}{sep}options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('services') / 'registry.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    with write_session(engine) as s:
        load_corpus(s, read_corpus(FIXTURE_CORPUS))
    yield engine
    engine.dispose()
    if schema:
        admin = create_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def session(service_engine):
    """A session on the loaded registry; everything it writes is rolled back after the test."""
    conn = service_engine.connect()
    trans = conn.begin()
    s = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
    yield s
    s.close()
    trans.rollback()
    conn.close()


@pytest.fixture
def write(session):
    """Run one use case as its caller would: all of it, or (on any error) none of it."""

    def run(use_case, *args, **kwargs):  # type: ignore[no-untyped-def]
        with session.begin_nested():
            return use_case(session, *args, **kwargs)

    return run


@pytest.fixture
def count(session):
    def _count(table: str) -> int:
        return session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()

    return _count
