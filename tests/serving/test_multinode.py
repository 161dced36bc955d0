"""Several nodes, one truth: app servers on separate ports sharing one PostgreSQL, behind nginx.

Each node keeps its own Whoosh index and follows the outbox every 0.2 s (INDEX_FOLLOW_INTERVAL),
so a write accepted by one node is searchable on the other within 1 s: visibility is checked by
polling up to that deadline. A node that was down catches up when it returns; writers on two
nodes at once keep one audit chain. Needs TEST_DATABASE_URL (PostgreSQL) and nginx
(tests/serving/ensure_nginx.sh installs it as root).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from app.search import services
from app.search.whoosh_backend import WhooshBackend
from tests.conftest import FIXTURE_CORPUS
from tests.serving.docs import rule_document
from tests.serving.nodes import Cluster, http, nginx_binary, run_registry

FOLLOW_INTERVAL = 0.2
VISIBLE_WITHIN = 1.0  # seconds: the bound the follower's interval (0.2 s) leaves room for
HERE = Path(__file__).resolve().parent

pytestmark = pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql"),
    reason="several nodes share one PostgreSQL (set TEST_DATABASE_URL)",
)


@pytest.fixture(scope="module")
def nginx_installed() -> None:
    if nginx_binary() is None:
        result = subprocess.run(["bash", str(HERE / "ensure_nginx.sh")], capture_output=True, text=True)
        if result.returncode != 0:
            if os.environ.get("CI") == "true":
                pytest.fail(f"nginx could not be installed: {result.stderr}")
            pytest.skip(f"nginx could not be installed: {result.stderr.strip()}")


@pytest.fixture
def cluster(nginx_installed, database_url, tmp_path):
    c = Cluster(database_url, tmp_path, FIXTURE_CORPUS, settings={"INDEX_FOLLOW_INTERVAL": str(FOLLOW_INTERVAL)})
    c.prepare()
    yield c
    c.stop()


def search_ids(url: str) -> set[str]:
    status, body = http(
        "GET", f"{url}/api/v1/search?q=%E5%A4%9A%E8%8A%82%E7%82%B9%E6%A3%80%E7%B4%A2&as_of=2024-06-01&per_page=200"
    )
    assert status == 200, body
    return {h["id"] for h in body["hits"]}


def visible_by(url: str, rule_id: str, deadline: float) -> bool:
    while True:
        if rule_id in search_ids(url):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def post_rule(url: str, token: str, code: str, n: int) -> str:
    slug = f"sample-node-{code[-2:].lower()}-{n}"
    status, body = http("POST", f"{url}/api/v1/rules", {"document": rule_document(code, n), "slug": slug}, token)
    assert status == 201, body
    return body["id"]


def test_a_write_on_one_node_is_searchable_on_the_other_within_a_second_and_a_returning_node_catches_up(cluster):
    cluster.start(2)
    a, b = cluster.nodes
    assert all(n.env["INDEX_FOLLOW_INTERVAL"] == str(FOLLOW_INTERVAL) for n in cluster.nodes)
    assert FOLLOW_INTERVAL < VISIBLE_WITHIN
    token = cluster.tokens["CN-SH"]
    for n in range(1, 4):
        for writer, reader in ((a, b), (b, a)):
            rid = post_rule(writer.url, token, "CN-SH", n * 10 + (writer is b))
            assert visible_by(reader.url, rid, time.monotonic() + VISIBLE_WITHIN), f"{rid} not on {reader.port}"

    # nginx balances reads over both nodes and keeps writing while one is down
    before = [n.log_text().count("GET /api/v1/rules") for n in cluster.nodes]
    for _ in range(12):
        assert http("GET", f"{cluster.nginx.url}/api/v1/rules")[0] == 200
    after = [n.log_text().count("GET /api/v1/rules") for n in cluster.nodes]
    assert all(x > y for x, y in zip(after, before, strict=True)), (before, after)

    assert b.stop() == 0
    missed = [post_rule(cluster.nginx.url, token, "CN-SH", 100 + n) for n in range(3)]
    assert missed[0] in search_ids(a.url)
    b.start()
    b.wait_ready()
    assert set(missed) <= search_ids(b.url)  # caught up before it reported ready
    assert http("GET", f"{cluster.nginx.url}/readyz")[0] == 200


def test_concurrent_writers_on_two_nodes_keep_one_audit_chain_and_every_index_equals_the_database(cluster):
    cluster.start(2, with_nginx=False)
    a, b = cluster.nodes
    before = run_registry(cluster.env(), "audit", "verify", "--json")
    rows_before = int(before.stdout.split('"rows":')[1].split(",")[0])
    written: list[str] = []
    errors: list[str] = []
    start = threading.Barrier(2)

    def writer(node, code: str) -> None:
        start.wait()
        for n in range(6):
            try:
                written.append(post_rule(node.url, cluster.tokens[code], code, 200 + n))
            except AssertionError as err:
                errors.append(str(err))

    threads = [threading.Thread(target=writer, args=args) for args in ((a, "CN-SH"), (b, "CN-JS"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(written) == 12
    result = run_registry(cluster.env(), "audit", "verify", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f'"rows": {rows_before + 12}' in result.stdout and '"ok": true' in result.stdout
    deadline = time.monotonic() + 10
    for node in cluster.nodes:
        for rid in written:
            assert visible_by(node.url, rid, deadline)
    engine = create_engine(cluster.database_url)
    try:
        for node in cluster.nodes:
            backend = WhooshBackend(node.env["REGISTRY_INDEX"])
            assert services.check_index(engine, backend, repair=False).total == 0
            backend.close()
    finally:
        engine.dispose()


def test_nodes_started_together_on_an_empty_database_migrate_it_once(nginx_installed, database_url, tmp_path):
    c = Cluster(database_url, tmp_path, FIXTURE_CORPUS)
    try:
        c.start(2, with_nginx=False)  # both run `registry db upgrade` and find the database empty
        for node in c.nodes:
            assert http("GET", f"{node.url}/api/v1/rules")[1]["total"] == 4
    finally:
        c.stop()
