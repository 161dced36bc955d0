"""registry serve, run as a user runs it: a real process on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import FIXTURE_CORPUS

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_loads_an_empty_database_then_answers(tmp_path, database_url):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REGISTRY_CORPUS": str(FIXTURE_CORPUS),
        "REGISTRY_INDEX": str(tmp_path / "idx"),
        "SECRET_KEY": "serve-test",
        "WEB_WORKERS": "1",
    }
    registry = Path(sys.executable).with_name("registry")
    proc = subprocess.Popen(
        [str(registry), "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        body = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/rules", timeout=2) as r:
                    body = r.read().decode()
                break
            except OSError:
                time.sleep(0.3)
        assert body is not None, proc.stdout.read() if proc.poll() is not None else "server did not answer"
        assert '"total": 4' in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/registry.css", timeout=5) as r:
            assert r.status == 200 and b"--accent" in r.read()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            assert "长三角规则协同登记簿" in r.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=60)  # gunicorn lets its workers finish first (WEB_GRACEFUL_TIMEOUT)


def test_gunicorn_keeps_idle_connections_longer_than_the_proxy():
    """nginx keeps upstream connections 60 s: gunicorn must keep them longer (docs/deploy.md)."""
    from app import config as config_module
    from app.cli.serve import gunicorn_options

    defaults = config_module.defaults()
    assert gunicorn_options(defaults, "127.0.0.1", 8000)["keepalive"] > 60
    options = gunicorn_options(defaults | {"WEB_KEEPALIVE": 90.4}, "::1", 8000)
    assert options["keepalive"] == 90 and options["bind"] == "[::1]:8000"
