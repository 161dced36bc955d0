"""Writes that bind a jurisdiction (``applies_to``) need write rights for that jurisdiction too."""

from __future__ import annotations

from app.accounts import services as accounts
from app.registry.db import write_session
from tests.security.conftest import document, table_digests

JS_BINDS_SH = document("CN-JS", extra="applies_to: [CN-JS, CN-SH]\n")


def _digests(app):
    return table_digests(app.extensions["registry_engine"], skip=("audit_log",))


def _current(client, rule_id):
    return client.get(f"/api/v1/rules/{rule_id}?as_of=2100-01-01").get_json()["version"]


def test_editor_cannot_bind_another_province_through_applies_to(shared):
    acc = shared.extensions["test_accounts"]
    client = shared.test_client()
    before = _digests(shared)
    r = client.post("/api/v1/rules", json={"document": JS_BINDS_SH, "slug": "binds-sh"}, headers=acc["ed-js"].auth)
    assert r.status_code == 403
    assert "CN-SH" in r.get_json()["error"]["message"] and "applies_to" in r.get_json()["error"]["message"]
    # a new version of a CN-JS rule that starts binding Shanghai: refused too
    rid = "cn-js/environment/sample-wwtp-js"
    doc = (
        document("CN-JS", effective="2030-01-01", extra="applies_to: [CN-SH]\n")
        .replace("topic: data", "topic: environment")
        .replace("data.sharing.response_days", "env.water.cod.max_concentration")
        .replace("unit: 个工作日\n", "scope: A级\n")
    )
    r = client.post(
        f"/api/v1/rules/{rid}/versions",
        json={"document": doc},
        headers={**acc["ed-js"].auth, "If-Match": _current(client, rid)},
    )
    assert r.status_code == 403, r.get_json()
    assert _digests(shared) == before
    # Shanghai's binding COD limit is what it was
    matrix = client.get("/api/v1/matrix?topic=environment&as_of=2031-01-01").get_json()
    cod = [row for row in matrix["rows"] if row["key"] == "env.water.cod.max_concentration"]
    assert all((row["values"].get("CN-SH") or {}).get("rule_id") != rid for row in cod)


def test_demonstration_zone_editor_cannot_change_what_its_joint_standard_binds(shared):
    acc = shared.extensions["test_accounts"]
    client = shared.test_client()
    rid = "yrd-dz/environment/sample-joint-standard"
    before = _digests(shared)
    r = client.post(
        f"/api/v1/rules/{rid}/repeal",
        json={"repealed": "2030-01-01"},
        headers={**acc["ed-dz"].auth, "If-Match": _current(client, rid)},
    )
    assert r.status_code == 403 and "CN-SH" in r.get_json()["error"]["message"]
    assert _digests(shared) == before


def test_rights_for_every_bound_jurisdiction_allow_the_write(shared):
    acc = shared.extensions["test_accounts"]
    client = shared.test_client()
    engine = shared.extensions["registry_engine"]
    with write_session(engine) as s:
        accounts.add_user(s, "ed-js-sh", "editor", ["CN-JS", "CN-SH"])
    with write_session(engine) as s:
        _id, token = accounts.create_token(s, "ed-js-sh")
    r = client.post(
        "/api/v1/rules",
        json={"document": JS_BINDS_SH, "slug": "binds-sh-ok"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 201, r.get_json()
    r = client.post(
        "/api/v1/rules",
        json={"document": JS_BINDS_SH, "slug": "binds-sh-admin"},
        headers=acc["boss"].auth,
    )
    assert r.status_code == 201, r.get_json()
