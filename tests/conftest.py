"""Shared fixtures: a real database per test (SQLite file, or a fresh PostgreSQL schema when
TEST_DATABASE_URL is set), a real Whoosh index in a temporary folder, the app, client and CLI runner.

``create_app`` never migrates; the ``app`` and ``make_app`` fixtures bring their database to the
newest schema explicitly, as ``registry db upgrade`` does (``unmigrated_app`` does not)."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app import create_app
from app.registry.db import upgrade

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_CORPUS = ROOT / "tests" / "fixtures" / "corpus"
BUNDLED_CORPUS = ROOT / "rules_corpus"
LAWTEXTS = ROOT.parent / "shared" / "lawtexts"


@pytest.fixture
def fresh_database(tmp_path):
    """A factory of empty databases: SQLite files, or new PostgreSQL schemas when TEST_DATABASE_URL is set."""
    base = os.environ.get("TEST_DATABASE_URL")
    schemas: list[str] = []

    def make() -> str:
        if not base:
            return f"sqlite:///{tmp_path / f'registry-{uuid.uuid4().hex[:8]}.sqlite3'}"
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with create_engine(base).begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        schemas.append(schema)
        sep = "&" if "?" in base else "?"
        return f"{base}{sep}options=-csearch_path%3D{schema}"

    yield make
    if schemas:
        admin = create_engine(base)
        with admin.begin() as conn:
            for schema in schemas:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def database_url(fresh_database):
    """A database of its own for each test."""
    return fresh_database()


def _test_app(database_url: str, corpus_dir: Path, index: Path):  # type: ignore[no-untyped-def]
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "REGISTRY_CORPUS": str(corpus_dir),
            "REGISTRY_INDEX": str(index),
            "SECRET_KEY": "test-secret",
        }
    )


@pytest.fixture
def make_app(tmp_path):
    """Build further apps (e.g. on a second database), migrated, and disposed after the test."""
    apps = []

    def make(database_url: str, corpus: Path, index: Path | None = None):
        application = _test_app(database_url, corpus, index or tmp_path / f"index-{uuid.uuid4().hex[:6]}")
        apps.append(application)
        upgrade(application.extensions["registry_engine"])
        return application

    yield make
    for application in apps:
        application.extensions["registry_engine"].dispose()


@pytest.fixture
def corpus_dir(tmp_path):
    """A writable copy of the fixture corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, target)
    return target


@pytest.fixture
def unmigrated_app(database_url, corpus_dir, tmp_path):
    """The app on an empty database that nobody has migrated."""
    application = _test_app(database_url, corpus_dir, tmp_path / "index")
    yield application
    application.extensions["registry_engine"].dispose()


@pytest.fixture
def app(database_url, corpus_dir, tmp_path):
    """The app on a database of its own, migrated to the newest schema."""
    application = _test_app(database_url, corpus_dir, tmp_path / "index")
    upgrade(application.extensions["registry_engine"])
    yield application
    application.extensions["registry_engine"].dispose()


@pytest.fixture
def engine(app):
    return app.extensions["registry_engine"]


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def cli():
    from app.cli import cli as group

    return group


@pytest.fixture
def loaded(app, runner, cli):
    """The app with the fixture corpus loaded and the search index built."""
    result = runner.invoke(cli, ["load"])
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture
def client(loaded):
    return loaded.test_client()


def db_rows(engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


@pytest.fixture
def count_rows(engine):
    def _count(table: str) -> int:
        return db_rows(engine, table)

    return _count
