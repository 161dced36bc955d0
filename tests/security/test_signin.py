"""Sign-in: where it may send the browser afterwards, what the cookie says, what timing reveals."""

from __future__ import annotations

from app.web.pages.auth import _safe_next
from tests.security.conftest import PASSWORD


def csrf(client) -> str:
    client.get("/signin")
    with client.session_transaction() as sess:
        return sess["csrf"]


def sign_in(client, name: str, password: str = PASSWORD, **extra):
    return client.post("/signin", data={"csrf_token": csrf(client), "name": name, "password": password, **extra})


OFF_SITE = [
    "//evil.example/",
    "/%09/evil.example/",  # decoded to a tab: browsers drop it and read //evil.example/
    "/\t/evil.example/",
    "/\n/evil.example/",
    "/\r\n/evil.example/",
    "/ /evil.example/",
    "/\x00/evil.example/",
    "/\x7f/evil.example/",
    "/\u00a0/evil.example/",
    "/\u2028/evil.example/",
    "\\\\evil.example/",
    "/\\evil.example/",
    "\\/evil.example/",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    " /matrix",
    "\t//evil.example",
    "evil.example",
    "///evil.example",
    "////evil.example",
    "/%2F/evil.example/",
    "/%5Cevil.example/",
    "/%0d%0a/evil.example/",
    "",
]


def test_next_off_site_goes_home(shared):
    with shared.test_request_context("/signin"):
        for target in OFF_SITE:
            assert _safe_next(target) == "/", repr(target)
    client = shared.test_client()  # and through a real sign-in, for a few of them
    for target in ("/%09/evil.example/", "/\t/evil.example/", "\\\\evil.example/", "https://evil.example/"):
        r = sign_in(client, "reader", next=target)
        assert (r.status_code, r.headers["Location"]) == (303, "/"), repr(target)


def test_next_on_site_is_followed(shared):
    client = shared.test_client()
    for target in ["/matrix", "/rules/cn-sh/data/x?as_of=2024-01-01", "/search?q=%E6%95%B0%E6%8D%AE%20a"]:
        r = sign_in(client, "reader", next=target)
        assert (r.status_code, r.headers["Location"]) == (303, target)


def test_next_from_the_query_string_is_checked_too(shared):
    client = shared.test_client()
    token = csrf(client)
    r = client.post(
        "/signin?next=/%09/evil.example/", data={"csrf_token": token, "name": "reader", "password": PASSWORD}
    )
    assert r.status_code == 303 and r.headers["Location"] == "/"


def test_every_sign_in_checks_one_password_hash_whether_or_not_the_name_exists(shared, monkeypatch):
    """The time a sign-in takes must not tell which user names exist: each one verifies a hash."""
    from app.accounts import services
    from app.extensions import db

    calls: list[str] = []
    real = services.check_password_hash

    def counting(pwhash, password):
        calls.append(pwhash)
        return real(pwhash, password)

    monkeypatch.setattr(services, "check_password_hash", counting)
    with shared.app_context():
        s = db()
        assert services.check_password(s, "reader", PASSWORD).name == "reader"
        assert services.check_password(s, "reader", "wrong") is None
        assert services.check_password(s, "nobody-by-this-name", PASSWORD) is None
        assert services.check_password(s, "", "x") is None
    assert len(calls) == 4
    # the unknown names were checked against a real hash of the same kind as the users'
    assert calls[2] == calls[3] and calls[2].split("$")[0] == calls[0].split("$")[0]


def test_sign_in_cookie_is_httponly_samesite_lax_and_secure_when_configured(shared):
    client = shared.test_client()
    cookie = sign_in(client, "reader").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    shared.config["SESSION_COOKIE_SECURE"] = True
    try:
        cookie = sign_in(shared.test_client(), "reader").headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    finally:
        shared.config["SESSION_COOKIE_SECURE"] = False


def test_session_cookie_secure_is_read_from_the_environment():
    import pytest

    from app.config import ConfigError, from_environment

    assert from_environment({"SESSION_COOKIE_SECURE": "1"}) == {"SESSION_COOKIE_SECURE": True}
    assert from_environment({"SESSION_COOKIE_SECURE": "off"}) == {"SESSION_COOKIE_SECURE": False}
    with pytest.raises(ConfigError, match="SESSION_COOKIE_SECURE='maybe': not a yes/no value"):
        from_environment({"SESSION_COOKIE_SECURE": "maybe"})
