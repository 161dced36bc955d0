"""Throttling: failed sign-ins and token writes, per account and per client address → 429 + Retry-After."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts import services as accounts
from app.registry.db import session_factory, write_session
from app.registry.models import AuditEntry
from tests.security.conftest import PASSWORD, cheap_password


def _attempt(client, name, password, address="10.0.0.1"):
    client.get("/signin", environ_base={"REMOTE_ADDR": address})
    with client.session_transaction() as sess:
        token = sess["csrf"]
    return client.post(
        "/signin",
        data={"csrf_token": token, "name": name, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _audited(app, action: str) -> int:
    with session_factory(app.extensions["registry_engine"])() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def test_the_21st_wrong_password_in_a_minute_gets_429(app):
    assert app.config["SIGNIN_RATE_LIMIT"] == "20 per minute"  # the default
    engine = app.extensions["registry_engine"]
    with write_session(engine) as s:
        accounts.add_user(s, "li", "viewer", [], PASSWORD)
        accounts.add_user(s, "wang", "viewer", [], PASSWORD)
    for name in ("li", "wang"):
        cheap_password(engine, name)
    client = app.test_client()
    assert _attempt(client, "li", PASSWORD).status_code == 303  # successes are not counted
    for _ in range(20):
        assert _attempt(client, "li", "wrong").status_code == 401
    assert _audited(app, "signin_failed") == 20
    r = _attempt(client, "li", "wrong")
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) > 0
    assert _attempt(client, "li", PASSWORD).status_code == 429  # the account is throttled, right password or not
    assert _audited(app, "signin_failed") == 20  # a throttled attempt never reached the password check
    # the same address is throttled for other names too; another address may still sign in as another user
    assert _attempt(client, "wang", PASSWORD).status_code == 429
    assert _attempt(app.test_client(), "wang", PASSWORD, address="10.0.0.2").status_code == 303
    # and the name tried is throttled from any address
    assert _attempt(app.test_client(), "li", PASSWORD, address="10.0.0.3").status_code == 429


def test_token_writes_are_throttled_per_account_and_per_address(app):
    engine = app.extensions["registry_engine"]
    app.config["WRITE_RATE_LIMIT"] = "5 per minute"
    with write_session(engine) as s:
        accounts.add_user(s, "ed1", "viewer", [])
        accounts.add_user(s, "ed2", "viewer", [])
    tokens = {}
    for name in ("ed1", "ed1b", "ed2"):
        with write_session(engine) as s:
            tokens[name] = accounts.create_token(s, name.rstrip("b"))[1]
    client = app.test_client()

    def write(who, address):
        return client.post(
            "/api/v1/rules",
            json={"document": "x"},
            headers={"Authorization": f"Bearer {tokens[who]}"},
            environ_base={"REMOTE_ADDR": address},
        )

    for i in range(5):  # a viewer's writes are refused (400: not a document) but counted
        assert write("ed1" if i % 2 else "ed1b", f"10.1.0.{i}").status_code == 400
    r = write("ed1", "10.1.0.9")  # the account's 6th, from a fresh address
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert r.get_json()["error"]["code"] == "too_many_requests"
    for _ in range(4):
        assert write("ed2", "10.2.0.1").status_code == 400
    assert write("ed2", "10.2.0.1").status_code == 400  # ed2's 5th
    assert write("ed2", "10.2.0.1").status_code == 429  # ed2's 6th (and the address's 6th)
    # anonymous writes carry no token: refused with 401, not counted against anyone
    for _ in range(10):
        assert client.post("/api/v1/rules", json={}, environ_base={"REMOTE_ADDR": "10.3.0.1"}).status_code == 401


def test_rates_are_checked_at_start_up():
    import pytest

    from app.config import ConfigError, from_environment

    assert from_environment({"SIGNIN_RATE_LIMIT": "5/second"}) == {"SIGNIN_RATE_LIMIT": "5/second"}
    with pytest.raises(ConfigError, match="WRITE_RATE_LIMIT='lots': not a rate"):
        from_environment({"WRITE_RATE_LIMIT": "lots"})


def _redis_url() -> str | None:
    """The shared store of the next test: TEST_REDIS_URL, else a Redis server on this machine's
    loopback when one answers; with CI=true one must (the CI machines run it)."""
    import os
    import socket

    url = os.environ.get("TEST_REDIS_URL")
    if url:
        return url
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return "redis://127.0.0.1:6379/15"
    except OSError:
        if os.environ.get("CI") == "true":
            raise
        return None


def test_a_shared_store_counts_across_workers(tmp_path):
    """With RATELIMIT_STORAGE_URI=redis://… the failed sign-ins of two workers (two apps on one
    database) add up; with memory:// each counts its own (docs/deploy.md)."""
    import uuid

    import pytest

    from app import create_app
    from app.registry.db import upgrade

    url = _redis_url()
    if url is None:
        pytest.skip("no Redis server on 127.0.0.1:6379 (set TEST_REDIS_URL)")

    def worker(storage: str, prefix: str):  # type: ignore[no-untyped-def]
        return create_app(
            {
                "TESTING": True,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'registry.sqlite3'}",
                "REGISTRY_INDEX": str(tmp_path / "index"),
                "SECRET_KEY": "test-secret",
                "SIGNIN_RATE_LIMIT": "3 per minute",
                "RATELIMIT_STORAGE_URI": storage,
                "RATELIMIT_KEY_PREFIX": prefix,
            }
        )

    first = worker("memory://", "m")
    upgrade(first.extensions["registry_engine"])
    with write_session(first.extensions["registry_engine"]) as s:
        accounts.add_user(s, "zhao", "viewer", [], PASSWORD)
    cheap_password(first.extensions["registry_engine"], "zhao")
    # memory://: each worker counts alone, so two workers allow twice the limit
    a, b = first.test_client(), worker("memory://", "m").test_client()
    for _ in range(3):
        assert _attempt(a, "zhao", "wrong", "10.9.0.1").status_code == 401
    assert _attempt(b, "zhao", "wrong", "10.9.0.1").status_code == 401
    # a shared store: the second worker sees the first one's failures
    prefix = f"registry-test-{uuid.uuid4().hex}"
    a, b = worker(url, prefix).test_client(), worker(url, prefix).test_client()
    for _ in range(2):
        assert _attempt(a, "zhao", "wrong", "10.9.0.2").status_code == 401
    assert _attempt(b, "zhao", "wrong", "10.9.0.2").status_code == 401  # the third, on the other worker
    r = _attempt(b, "zhao", "wrong", "10.9.0.2")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert _attempt(a, "zhao", PASSWORD, "10.9.0.3").status_code == 429  # the name, from anywhere, on any worker
