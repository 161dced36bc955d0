"""SPEC §3: the registry commands are a Flask CLI group, so `flask --app wsgi …` works as `registry …`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _flask(*args: str, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test"}
    flask = Path(sys.executable).with_name("flask")
    return subprocess.run(
        [str(flask), "--app", "wsgi", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_flask_app_wsgi_lists_and_runs_the_registry_commands(database_url):
    listing = _flask("--help", database_url=database_url)
    assert listing.returncode == 0, listing.stderr
    for command in ("db", "load", "import", "index", "search", "show", "diff", "matrix", "check", "export", "audit"):
        assert f"  {command} " in listing.stdout, command
    upgraded = _flask("db", "upgrade", database_url=database_url)
    assert upgraded.returncode == 0, upgraded.stderr
    stats = _flask("stats", "--json", database_url=database_url)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["rules"] == 0
