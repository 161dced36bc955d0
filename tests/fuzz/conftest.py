"""Fixtures of the fuzz stage: one loaded app per module for the HTTP fuzzers."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory):
    """One loaded app for the HTTP fuzzers (read-only requests)."""
    from pathlib import Path

    from app import create_app
    from app.cli import cli
    from tests.conftest import FIXTURE_CORPUS

    tmp = tmp_path_factory.mktemp("fuzz")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp / 'r.sqlite3'}",
            "REGISTRY_CORPUS": str(Path(FIXTURE_CORPUS)),
            "REGISTRY_INDEX": str(tmp / "idx"),
            "SECRET_KEY": "fuzz",
        }
    )
    assert app.test_cli_runner().invoke(cli, ["load"]).exit_code == 0
    yield app.test_client()
    app.extensions["registry_engine"].dispose()
