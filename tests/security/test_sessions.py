"""Sessions that end: server-side rows, a new token at sign-in, sign-out, disabled users, changed
rights, idle and absolute timeouts; role and jurisdictions always read from the database."""

from __future__ import annotations

import datetime as dt

from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import select, update

from app.accounts import services as accounts
from app.registry.db import session_factory, write_session
from app.registry.models import User, WebSession
from tests.security.conftest import PASSWORD
from tests.security.test_signin import sign_in

EDIT = "/rules/cn-sh/environment/sample-wwtp/edit"


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(app, cookie: str):
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def _signed_in(client) -> bool:
    r = client.get(EDIT)
    return r.status_code == 200


def _rows(app, name: str | None = None) -> list[WebSession]:
    with session_factory(app.extensions["registry_engine"])() as s:
        q = select(WebSession)
        if name:
            q = q.join(User).where(User.name == name)
        return list(s.scalars(q))


def _new_user(app, name: str, role: str = "editor", juris=("CN-SH",)) -> None:
    with write_session(app.extensions["registry_engine"]) as s:
        accounts.add_user(s, name, role, list(juris), PASSWORD)


def test_a_copied_cookie_is_useless_after_sign_out(shared):
    _new_user(shared, "sess-a")
    client = shared.test_client()
    assert sign_in(client, "sess-a").status_code == 303
    copied = _cookie(client)
    assert _signed_in(_replay(shared, copied))  # the copy works while the session lives
    client.get("/signin")  # a page with a form gives the signed-in session its CSRF token
    with client.session_transaction() as sess:
        token = sess["csrf"]
    assert client.post("/signout", data={"csrf_token": token}).status_code == 303
    assert _rows(shared, "sess-a") == []
    thief = _replay(shared, copied)
    r = thief.get(EDIT)
    assert r.status_code == 303 and "/signin" in r.headers["Location"]


def test_a_new_session_token_at_every_sign_in_and_the_old_one_ends(shared):
    _new_user(shared, "sess-b")
    client = shared.test_client()
    sign_in(client, "sess-b")
    with client.session_transaction() as sess:
        first = sess["sid"]
    first_cookie = _cookie(client)
    sign_in(client, "sess-b")
    with client.session_transaction() as sess:
        second = sess["sid"]
    assert first != second and len(second) >= 43  # 32 random bytes, base64
    assert len(_rows(shared, "sess-b")) == 1
    assert not _signed_in(_replay(shared, first_cookie))
    assert _signed_in(client)
    # the database keeps a hash, never the token itself
    assert all(row.id != second for row in _rows(shared, "sess-b"))


def test_disabling_a_user_ends_every_session_and_token_at_once(shared):
    _new_user(shared, "sess-c")
    engine = shared.extensions["registry_engine"]
    with write_session(engine) as s:
        _id, token = accounts.create_token(s, "sess-c")
    browsers = [shared.test_client() for _ in range(2)]
    for b in browsers:
        sign_in(b, "sess-c")
    copies = [_cookie(b) for b in browsers]
    with write_session(engine) as s:
        accounts.disable_user(s, "sess-c")
    assert _rows(shared, "sess-c") == []
    for b, c in zip(browsers, copies, strict=True):
        assert not _signed_in(b) and not _signed_in(_replay(shared, c))
    r = shared.test_client().post("/api/v1/rules", json={"document": "x"}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


def test_changed_rights_end_sessions_and_tokens_and_apply_at_once(shared):
    _new_user(shared, "sess-d")
    engine = shared.extensions["registry_engine"]
    with write_session(engine) as s:
        _id, token = accounts.create_token(s, "sess-d")
    client = shared.test_client()
    sign_in(client, "sess-d")
    with write_session(engine) as s:
        accounts.set_rights(s, "sess-d", "editor", ["CN-JS"])
    assert not _signed_in(client)
    r = shared.test_client().post("/api/v1/rules", json={"document": "x"}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    # and rights are read from the database on each request: changed behind the session's back
    sign_in(client, "sess-d")
    assert client.get(EDIT).status_code == 403  # a CN-JS editor now
    with engine.begin() as conn:
        conn.execute(update(User).where(User.name == "sess-d").values(jurisdictions=["CN-SH"]))
    assert client.get(EDIT).status_code == 200


def test_a_forged_cookie_naming_a_user_or_role_signs_nobody_in(shared):
    serializer = SecureCookieSessionInterface().get_signing_serializer(shared)
    forged = serializer.dumps({"user": "boss", "role": "admin", "sid": "made-up"})
    thief = _replay(shared, forged)
    r = thief.get(EDIT)
    assert r.status_code == 303 and "/signin" in r.headers["Location"]


def test_idle_and_absolute_timeouts_end_the_session(shared):
    engine = shared.extensions["registry_engine"]
    idle = dt.timedelta(seconds=shared.config["SESSION_IDLE_TIMEOUT"])
    absolute = dt.timedelta(seconds=shared.config["SESSION_ABSOLUTE_TIMEOUT"])
    _new_user(shared, "sess-e")
    client = shared.test_client()
    sign_in(client, "sess-e")
    (row,) = _rows(shared, "sess-e")
    user_id = row.user_id
    # used a minute short of the idle timeout: still signed in, and the use is recorded
    with engine.begin() as conn:
        conn.execute(
            update(WebSession)
            .where(WebSession.user_id == user_id)
            .values(last_seen_at=row.last_seen_at - idle + dt.timedelta(seconds=60))
        )
    assert _signed_in(client)
    assert _rows(shared, "sess-e")[0].last_seen_at >= row.last_seen_at
    # unused for longer than the idle timeout: ended, row gone
    with engine.begin() as conn:
        conn.execute(
            update(WebSession)
            .where(WebSession.user_id == user_id)
            .values(last_seen_at=row.last_seen_at - idle - dt.timedelta(seconds=1))
        )
    assert not _signed_in(client)
    assert _rows(shared, "sess-e") == []
    # in constant use, but signed in longer ago than the absolute timeout: ended
    sign_in(client, "sess-e")
    (row,) = _rows(shared, "sess-e")
    with engine.begin() as conn:
        conn.execute(
            update(WebSession)
            .where(WebSession.user_id == user_id)
            .values(created_at=row.created_at - absolute - dt.timedelta(seconds=1))
        )
    assert not _signed_in(client)
    assert _rows(shared, "sess-e") == []


def test_an_admin_can_end_a_users_sessions(shared):
    _new_user(shared, "sess-f")
    client = shared.test_client()
    sign_in(client, "sess-f")
    with write_session(shared.extensions["registry_engine"]) as s:
        assert accounts.end_sessions(s, "sess-f") == 1
    assert not _signed_in(client)


def test_cli_changes_rights_and_signs_out(shared):
    from app.cli import cli

    _new_user(shared, "sess-g")
    client = shared.test_client()
    sign_in(client, "sess-g")
    runner = shared.test_cli_runner()
    result = runner.invoke(cli, ["user", "signout", "sess-g"])
    assert result.exit_code == 0 and "1 session(s) ended" in result.output
    assert not _signed_in(client)
    result = runner.invoke(cli, ["user", "rights", "sess-g", "--role", "editor"])
    assert result.exit_code == 1 and "bound to one or more jurisdictions" in result.output
    result = runner.invoke(cli, ["user", "rights", "sess-g", "--role", "editor", "-j", "XX-YY"])
    assert result.exit_code == 1 and "unknown jurisdiction code 'XX-YY'" in result.output
    result = runner.invoke(cli, ["user", "rights", "nobody-here", "--role", "viewer"])
    assert result.exit_code == 1 and "no user 'nobody-here'" in result.output
    result = runner.invoke(cli, ["user", "rights", "sess-g", "--role", "viewer"])
    assert result.exit_code == 0, result.output
    sign_in(client, "sess-g")
    assert client.get(EDIT).status_code == 403
