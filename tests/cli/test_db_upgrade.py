"""Migrations happen on request only: `registry db upgrade`, `serve` and `load` — never `create_app`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect

from app.registry.db import current_revision, head_revision


def _tables(app) -> list[str]:  # type: ignore[no-untyped-def]
    return inspect(app.extensions["registry_engine"]).get_table_names()


def test_create_app_on_an_empty_database_creates_no_tables(unmigrated_app):
    assert _tables(unmigrated_app) == []
    assert current_revision(unmigrated_app.extensions["registry_engine"]) is None


def test_db_upgrade_creates_the_schema_and_is_idempotent(unmigrated_app, cli):
    runner = unmigrated_app.test_cli_runner()
    first = runner.invoke(cli, ["db", "upgrade"])
    assert first.exit_code == 0, first.output
    head = head_revision()
    assert f"database schema upgraded from empty to revision {head}" in first.output
    assert f"database schema up to date (revision {head})" in first.output
    tables = set(_tables(unmigrated_app))
    assert {"rules", "rule_versions", "alembic_version"} <= tables
    assert current_revision(unmigrated_app.extensions["registry_engine"]) == head

    again = runner.invoke(cli, ["db", "upgrade"])
    assert again.exit_code == 0, again.output
    assert again.output == f"database schema up to date (revision {head})\n"
    assert set(_tables(unmigrated_app)) == tables


def test_other_commands_refuse_an_unmigrated_database(unmigrated_app, cli):
    runner = unmigrated_app.test_cli_runner()
    for args in (["stats", "--json"], ["show", "cn-sh/environment/sample-wwtp"], ["user", "disable", "x"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 1, args
        assert result.output == "error: the database schema is not up to date; run `registry db upgrade`\n", args
    assert _tables(unmigrated_app) == []


def test_load_migrates_first(unmigrated_app, cli):
    result = unmigrated_app.test_cli_runner().invoke(cli, ["load", "--no-index"])
    assert result.exit_code == 0, result.output
    assert f"database schema upgraded from empty to revision {head_revision()}" in result.output
    assert current_revision(unmigrated_app.extensions["registry_engine"]) == head_revision()


def test_a_bad_setting_stops_the_command_naming_the_variable(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'r.sqlite3'}", "SECRET_KEY": "t"}
    registry = Path(sys.executable).with_name("registry")
    for name, value, reason in (
        ("SEARCH_TIME_LIMIT", "abc", "not a number (seconds, e.g. 2.0)"),
        ("SEARCH_TIME_LIMIT", "-1", "must be at least 0.01 seconds"),
        ("DB_POOL_SIZE", "many", "not a whole number"),
    ):
        run = subprocess.run(
            [str(registry), "stats"], env={**env, name: value}, capture_output=True, text=True, timeout=60
        )
        assert run.returncode == 1
        assert run.stderr == f"Error: configuration: {name}={value!r}: {reason}\n"
        assert "Traceback" not in run.stderr
    assert not (tmp_path / "r.sqlite3").exists()
