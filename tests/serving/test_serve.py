"""`registry serve` as deployed: gunicorn in a real process on a free loopback port, /healthz and /readyz,
the access log, a graceful restart (HUP) and stop (TERM); readyz 503 while the schema is not current."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app import create_app
from tests.conftest import FIXTURE_CORPUS
from tests.serving.nodes import Node, free_port, http, node_env, run_registry


def _children(pid: int) -> set[int]:
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.add(int(stat.parent.name))
    return out


def _workers(pid: int, n: int, timeout: float = 30) -> set[int]:
    """The master's child processes once there are ``n`` (readiness comes from the first worker up;
    the others may still be starting)."""
    deadline = time.monotonic() + timeout
    found = _children(pid)
    while len(found) != n and time.monotonic() < deadline:
        time.sleep(0.1)
        found = _children(pid)
    return found


@pytest.fixture
def node(tmp_path, database_url):
    env = node_env(database_url, tmp_path / "index", REGISTRY_CORPUS=str(FIXTURE_CORPUS), WEB_WORKERS="2")
    n = Node(env, free_port(), tmp_path / "node.log").start()
    yield n
    n.stop()


def test_gunicorn_serves_health_readiness_pages_and_logs_each_request(node):
    ready = node.wait_ready()
    assert ready["status"] == "ready"
    assert set(ready["checks"]) == {"database", "migrations", "search_index"}
    assert ready["checks"]["search_index"]["pending"] == 0
    assert http("GET", f"{node.url}/healthz") == (200, {"status": "ok"})
    status, body = http("GET", f"{node.url}/api/v1/rules")
    assert status == 200 and body["total"] == 4
    status, page = http("GET", f"{node.url}/search?q=%E5%8C%96%E5%AD%A6%E9%9C%80%E6%B0%A7%E9%87%8F")
    assert status == 200 and "sample-wwtp" in page
    log = node.log_text()
    assert "Starting gunicorn" in log and "Using worker: gthread" in log
    assert '"GET /healthz HTTP/1.1" 200' in log  # the access log
    assert len(_workers(node.proc.pid, 2)) == 2  # WEB_WORKERS


def test_hup_replaces_the_workers_without_dropping_service_and_term_stops_cleanly(node):
    node.wait_ready()
    before = _workers(node.proc.pid, 2)
    assert len(before) == 2
    node.signal(signal.SIGHUP)
    deadline = time.monotonic() + 60
    after: set[int] = set()
    while time.monotonic() < deadline:
        after = _children(node.proc.pid)
        if len(after) == 2 and not (after & before):
            break
        time.sleep(0.2)
    assert len(after) == 2 and not (after & before), (before, after)
    assert node.wait_ready()["status"] == "ready"
    assert node.proc.poll() is None  # the master stayed
    assert node.stop() == 0
    assert "Handling signal: hup" in node.log_text() and "Shutting down: Master" in node.log_text()


def test_readyz_is_503_naming_the_migration_while_healthz_stays_200(node, database_url):
    node.wait_ready()
    eng = create_engine(database_url)
    try:
        with eng.begin() as conn:
            rev = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
            conn.execute(text("DELETE FROM alembic_version"))
        status, body = http("GET", f"{node.url}/readyz")
        assert status == 503 and body["status"] == "not ready"
        assert body["checks"]["migrations"]["ok"] is False
        assert "registry db upgrade" in body["checks"]["migrations"]["error"]
        assert http("GET", f"{node.url}/healthz") == (200, {"status": "ok"})
        with eng.begin() as conn:
            conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": rev})
        assert http("GET", f"{node.url}/readyz")[0] == 200
    finally:
        eng.dispose()


def test_bad_server_setting_stops_start_up_naming_it(tmp_path, database_url):
    env = node_env(database_url, tmp_path / "index", WEB_WORKERS="0")
    result = run_registry(env, "serve", "--port", str(free_port()))
    assert result.returncode == 1
    assert "WEB_WORKERS='0': must be at least 1" in result.stderr
    env = node_env(database_url, tmp_path / "index", WEB_TIMEOUT="soon")
    result = run_registry(env, "serve", "--port", str(free_port()))
    assert result.returncode == 1 and "WEB_TIMEOUT='soon': not a number" in result.stderr


def test_dev_flag_runs_the_development_server(tmp_path, database_url):
    env = node_env(database_url, tmp_path / "index", REGISTRY_CORPUS=str(FIXTURE_CORPUS))
    n = Node(env, free_port(), tmp_path / "dev.log", extra_args=["--dev"]).start()
    try:
        assert n.wait_ready()["status"] == "ready"
        assert "development server" in n.log_text() and "gunicorn" not in n.log_text()
    finally:
        n.stop()


# ------------------------------------------------------------- the same routes without a server


def test_unmigrated_database_readyz_503_healthz_200(unmigrated_app):
    client = unmigrated_app.test_client()
    assert client.get("/healthz").get_json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 503
    checks = r.get_json()["checks"]
    assert checks["database"] == {"ok": True}
    assert checks["migrations"]["ok"] is False and checks["migrations"]["revision"] is None
    assert "search_index" not in checks


def test_readyz_503_until_the_index_is_built_and_while_it_lags(app, runner, cli, engine):
    client = app.test_client()
    r = client.get("/readyz")
    assert (
        r.status_code == 503
        and r.get_json()["checks"]["search_index"]["error"] == "the search index has not been built"
    )
    assert runner.invoke(cli, ["load"]).exit_code == 0
    assert client.get("/readyz").status_code == 200
    with engine.begin() as conn:  # an update older than READY_MAX_LAG that this node has not applied
        conn.execute(
            text("INSERT INTO index_outbox (kind, target, created_at) VALUES ('rule', 'cn-sh/x/y', :at)"),
            {"at": "2020-01-01 00:00:00"},
        )
    r = client.get("/readyz")
    assert r.status_code == 503
    assert r.get_json()["checks"]["search_index"]["pending"] == 1
    assert r.get_json()["checks"]["search_index"]["error"] == "the search index is behind the outbox"
    assert runner.invoke(cli, ["index"]).exit_code == 0  # applies it (the rule is gone: removed from the index)
    assert client.get("/readyz").status_code == 200


def test_database_unreachable_readyz_503(tmp_path):
    application = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
            "REGISTRY_INDEX": str(tmp_path / "i"),
            "SECRET_KEY": "x",
        }
    )
    r = application.test_client().get("/readyz")
    assert r.status_code == 503
    assert r.get_json()["checks"] == {"database": {"ok": False, "error": "unreachable (OperationalError)"}}
    assert application.test_client().get("/healthz").status_code == 200
    application.extensions["registry_engine"].dispose()


def test_access_log_file_is_reopened_on_usr1_for_rotation(tmp_path, database_url):
    log = tmp_path / "access.log"
    env = node_env(database_url, tmp_path / "index", REGISTRY_CORPUS=str(FIXTURE_CORPUS), WEB_ACCESS_LOG=str(log))
    n = Node(env, free_port(), tmp_path / "node.log").start()
    try:
        n.wait_ready()
        assert http("GET", f"{n.url}/healthz")[0] == 200
        log.rename(tmp_path / "access.log.1")
        n.signal(signal.SIGUSR1)
        deadline = time.monotonic() + 30
        while not log.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert http("GET", f"{n.url}/api/v1/rules")[0] == 200
        deadline = time.monotonic() + 10
        while "GET /api/v1/rules" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert '"GET /api/v1/rules HTTP/1.1" 200' in log.read_text()
        assert '"GET /healthz HTTP/1.1" 200' in (tmp_path / "access.log.1").read_text()
        assert "GET /api/v1/rules" not in (tmp_path / "access.log.1").read_text()
    finally:
        n.stop()
