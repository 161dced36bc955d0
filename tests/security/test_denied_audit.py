"""A refused write changes nothing but leaves exactly one audit row, chained like every other."""

from __future__ import annotations

from sqlalchemy import select

from app.registry import audit
from app.registry.db import session_factory
from app.registry.models import AuditEntry
from tests.security.conftest import document, table_digests


def _audit_rows(app) -> list[AuditEntry]:
    with session_factory(app.extensions["registry_engine"])() as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def _chain_ok(app) -> bool:
    with session_factory(app.extensions["registry_engine"])() as s:
        return audit.verify(s)[1] == []


def test_denied_api_writes_are_audited_and_change_nothing_else(shared):
    acc = shared.extensions["test_accounts"]
    client = shared.test_client()
    engine = shared.extensions["registry_engine"]
    cases = [
        ("ed-js", acc["ed-js"].auth, 403),  # another province's rule
        ("reader", acc["reader"].auth, 403),  # a viewer
        ("anonymous", {}, 401),
        ("anonymous", {"Authorization": "Bearer nope.nope"}, 401),
    ]
    for actor, headers, status in cases:
        before = table_digests(engine, skip=("audit_log",))
        n = len(_audit_rows(shared))
        r = client.post("/api/v1/rules", json={"document": document("CN-SH"), "slug": "denied"}, headers=headers)
        assert r.status_code == status
        assert table_digests(engine, skip=("audit_log",)) == before
        rows = _audit_rows(shared)
        assert len(rows) == n + 1, actor
        row = rows[-1]
        assert (row.actor, row.action, row.target) == (actor, "write_denied", "/api/v1/rules")
        assert row.detail["status"] == status and row.detail["method"] == "POST" and row.detail["reason"]
        assert row.before_hash is None and row.after_hash is None
        assert "nope" not in repr(row.detail)  # no token text in the log
    assert _chain_ok(shared)


def test_denied_web_writes_are_audited(shared):
    client = shared.test_client()
    engine = shared.extensions["registry_engine"]
    before = table_digests(engine, skip=("audit_log",))
    n = len(_audit_rows(shared))
    # no CSRF token
    assert client.post("/rules/cn-sh/environment/sample-wwtp/edit", data={"document": "x"}).status_code == 400
    # a CSRF token but not signed in
    client.get("/signin")
    with client.session_transaction() as sess:
        token = sess["csrf"]
    r = client.post("/rules/cn-sh/environment/sample-wwtp/edit", data={"csrf_token": token, "document": "x"})
    assert r.status_code == 303 and "/signin" in r.headers["Location"]
    rows = _audit_rows(shared)[n:]
    assert [(r.actor, r.action, r.detail["reason"]) for r in rows] == [
        ("anonymous", "write_denied", "CSRF token missing or wrong"),
        ("anonymous", "write_denied", "not signed in"),
    ]
    assert table_digests(engine, skip=("audit_log",)) == before
    assert _chain_ok(shared)


def test_reads_and_successful_writes_add_no_denied_row(shared):
    acc = shared.extensions["test_accounts"]
    client = shared.test_client()
    n = len(_audit_rows(shared))
    assert client.get("/api/v1/rules").status_code == 200
    assert client.post("/api/v1/rules", data="x", headers={}).status_code == 401  # counted: a refused write
    r = client.post("/api/v1/rules", json={"document": document("CN-SH"), "slug": "allowed"}, headers=acc["ed-sh"].auth)
    assert r.status_code == 201
    assert [row.action for row in _audit_rows(shared)[n:]] == ["write_denied", "version_added"]
