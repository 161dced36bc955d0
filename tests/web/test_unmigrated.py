"""A request against a database nobody migrated: 503 saying to run `registry db upgrade`, never a traceback."""

from __future__ import annotations

from app.registry.db import upgrade

MESSAGE = "the database schema is not up to date; run `registry db upgrade`"


def test_api_answers_503_with_the_error_envelope(unmigrated_app):
    client = unmigrated_app.test_client()
    for path in ("/api/v1/rules", "/api/v1/search?q=污水", "/api/v1/matrix?topic=environment"):
        resp = client.get(path)
        assert resp.status_code == 503, path
        assert resp.get_json() == {"error": {"code": "database_not_migrated", "message": MESSAGE}}


def test_pages_answer_503_with_an_error_page(unmigrated_app):
    client = unmigrated_app.test_client()
    for path in ("/", "/rules", "/search?q=污水"):
        resp = client.get(path)
        assert resp.status_code == 503, path
        assert resp.mimetype == "text/html"
        assert "registry db upgrade" in resp.get_data(as_text=True)
    assert client.get("/static/registry.css").status_code == 200  # the error page keeps its stylesheet


def test_requests_work_once_migrated_without_a_restart(unmigrated_app):
    client = unmigrated_app.test_client()
    assert client.get("/api/v1/rules").status_code == 503
    upgrade(unmigrated_app.extensions["registry_engine"])
    resp = client.get("/api/v1/rules")
    assert resp.status_code == 200
    assert resp.get_json()["total"] == 0
