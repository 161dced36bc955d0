"""Writes: tokens, roles per jurisdiction, If-Match, validation like corpus files, audit chain, search freshness."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.documents import DOC


@pytest.fixture
def tokens(client, runner, cli):
    out = {}
    for name, role, juris in [("ed-sh", "editor", ["CN-SH"]), ("boss", "admin", []), ("reader", "viewer", [])]:
        args = ["user", "add", name, "--role", role]
        for j in juris:
            args += ["-j", j]
        assert runner.invoke(cli, args).exit_code == 0
        res = runner.invoke(cli, ["token", "create", name, "--json"])
        import json

        out[name] = json.loads(res.stdout)["token"]
    return out


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_write_without_token_is_401_before_validation(client):
    r = client.post("/api/v1/rules", data="not json at all")
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "unauthorized"
    r = client.post("/api/v1/rules", json={"document": DOC}, headers={"Authorization": "Bearer nope.nope"})
    assert r.status_code == 401


def test_editor_adds_rule_in_own_jurisdiction_and_search_sees_it(client, tokens, count_rows):
    audit_before = count_rows("audit_log")
    r = client.post("/api/v1/rules", json={"document": DOC, "slug": "sample-open-data"}, headers=auth(tokens["ed-sh"]))
    assert r.status_code == 201, r.get_json()
    assert r.get_json() == {
        "id": "cn-sh/data/sample-open-data",
        "version": "cn-sh/data/sample-open-data@2024-01-01",
        "indexed": True,
    }
    assert count_rows("audit_log") == audit_before + 1
    hits = client.get("/api/v1/search?q=公共数据开放&as_of=2024-06-01").get_json()
    assert "cn-sh/data/sample-open-data" in [h["id"] for h in hits["hits"]]


def test_editor_cannot_write_other_jurisdiction_viewer_cannot_write(client, tokens, count_rows):
    js_doc = DOC.replace("CN-SH", "CN-JS")
    assert client.post("/api/v1/rules", json={"document": js_doc}, headers=auth(tokens["ed-sh"])).status_code == 403
    assert client.post("/api/v1/rules", json={"document": DOC}, headers=auth(tokens["reader"])).status_code == 403
    assert (
        client.post("/api/v1/rules", json={"document": js_doc, "slug": "x"}, headers=auth(tokens["boss"])).status_code
        == 201
    )


@pytest.mark.parametrize(
    ("document", "field_fragment"),
    [
        (DOC.replace("kind: government_rule\n", ""), "kind"),
        (DOC.replace("article: 2", "article: 9"), "article 9 is not in the body"),
        (DOC.replace("unit: 个工作日", "unit: kg"), "cannot be converted"),
        (DOC.replace("effective: 2024-01-01", "effective: 2024-02-30"), "not a real date"),
        (DOC + "\n", None),
    ],
)
def test_invalid_document_is_400_with_fields_and_nothing_written(client, tokens, count_rows, document, field_fragment):
    before = (count_rows("rules"), count_rows("audit_log"))
    r = client.post("/api/v1/rules", json={"document": document, "slug": "bad-one"}, headers=auth(tokens["ed-sh"]))
    if field_fragment is None:
        assert r.status_code == 201
        return
    assert r.status_code == 400
    body = r.get_json()["error"]
    assert body["code"] == "invalid_document"
    assert field_fragment in str(body["fields"])
    assert (count_rows("rules"), count_rows("audit_log")) == before


def test_new_version_needs_current_if_match(client, tokens):
    rid = "cn-sh/environment/sample-wwtp"
    src = client.get(f"/api/v1/rules/{rid}?as_of=2024-01-01").get_json()
    doc = f"""---
title: {src["title"]}
jurisdiction: CN-SH
topic: environment
kind: local_standard
effective: 2026-01-01
source_url: https://example.org/v3
parameters:
  - key: env.water.cod.max_concentration
    value: 20
    unit: mg/L
    article: 3
    scope: A级
---
# 示例市污水排放标准

## 第三条 化学需氧量

A级标准的化学需氧量排放浓度不得超过20毫克/升。
"""
    h = auth(tokens["ed-sh"])
    stale = client.post(
        f"/api/v1/rules/{rid}/versions", json={"document": doc}, headers={**h, "If-Match": f"{rid}@2020-01-01"}
    )
    assert stale.status_code == 409
    missing = client.post(f"/api/v1/rules/{rid}/versions", json={"document": doc}, headers=h)
    assert missing.status_code == 400
    ok = client.post(
        f"/api/v1/rules/{rid}/versions", json={"document": doc}, headers={**h, "If-Match": f"{rid}@2023-03-01"}
    )
    assert ok.status_code == 201, ok.get_json()
    assert ok.get_json()["version"] == f"{rid}@2026-01-01"
    assert client.get(f"/api/v1/rules/{rid}?as_of=2026-02-01").get_json()["parameters"][0]["value"] == 20.0
    assert client.get(f"/api/v1/rules/{rid}?as_of=2025-02-01").get_json()["parameters"][0]["value"] == 30.0
    older = doc.replace("effective: 2026-01-01", "effective: 2022-01-01")
    again = client.post(
        f"/api/v1/rules/{rid}/versions", json={"document": older}, headers={**h, "If-Match": f"{rid}@2026-01-01"}
    )
    assert again.status_code == 409


def test_repeal(client, tokens):
    rid = "cn-sh/environment/sample-wwtp"
    h = {**auth(tokens["ed-sh"]), "If-Match": f"{rid}@2023-03-01"}
    bad = client.post(f"/api/v1/rules/{rid}/repeal", json={"repealed": "2025-13-01"}, headers=h)
    assert bad.status_code == 400
    r = client.post(f"/api/v1/rules/{rid}/repeal", json={"repealed": "2025-06-30"}, headers=h)
    assert r.status_code == 200
    assert client.get(f"/api/v1/rules/{rid}?as_of=2025-06-30").status_code == 404
    assert client.get(f"/api/v1/rules/{rid}?as_of=2025-06-29").status_code == 200
    assert client.post(f"/api/v1/rules/{rid}/repeal", json={"repealed": "2025-07-01"}, headers=h).status_code == 409


def test_hard_rule_put_admin_only_with_revision(client, tokens):
    body = {
        "id": "new-target",
        "title": "示例目标",
        "parameter": "data.sharing.response_days",
        "target": 10,
        "jurisdictions": ["CN-SH", "CN-JS"],
        "source_url": "https://example.org/t",
    }
    assert client.put("/api/v1/hard-rules/new-target", json=body, headers=auth(tokens["ed-sh"])).status_code == 403
    created = client.put("/api/v1/hard-rules/new-target", json=body, headers=auth(tokens["boss"]))
    assert created.status_code == 201 and created.get_json()["revision"] == 1
    no_match = client.put("/api/v1/hard-rules/new-target", json=body, headers=auth(tokens["boss"]))
    assert no_match.status_code == 400
    stale = client.put(
        "/api/v1/hard-rules/new-target", json={**body, "target": 5}, headers={**auth(tokens["boss"]), "If-Match": "7"}
    )
    assert stale.status_code == 409
    ok = client.put(
        "/api/v1/hard-rules/new-target", json={**body, "target": 5}, headers={**auth(tokens["boss"]), "If-Match": "1"}
    )
    assert ok.status_code == 200 and ok.get_json()["revision"] == 2
    bad = client.put("/api/v1/hard-rules/other", json={**body, "parameter": "no.such"}, headers=auth(tokens["boss"]))
    assert bad.status_code == 400
    listed = client.get("/api/v1/hard-rules").get_json()
    assert "new-target" in [h["id"] for h in listed["items"]]


def test_revoked_token_and_disabled_user_are_refused(client, runner, cli, tokens):
    token_id = tokens["ed-sh"].split(".")[0]
    assert runner.invoke(cli, ["token", "revoke", token_id]).exit_code == 0
    assert client.post("/api/v1/rules", json={"document": DOC}, headers=auth(tokens["ed-sh"])).status_code == 401
    assert runner.invoke(cli, ["user", "disable", "boss"]).exit_code == 0
    assert client.post("/api/v1/rules", json={"document": DOC}, headers=auth(tokens["boss"])).status_code == 401


def test_audit_chain_detects_tampering(client, runner, cli, tokens, engine):
    assert (
        client.post(
            "/api/v1/rules", json={"document": DOC, "slug": "audited"}, headers=auth(tokens["ed-sh"])
        ).status_code
        == 201
    )
    ok = runner.invoke(cli, ["audit", "verify"])
    assert ok.exit_code == 0 and "chain intact" in ok.output
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'someone-else' WHERE id = (SELECT min(id) FROM audit_log)"))
    bad = runner.invoke(cli, ["audit", "verify"])
    assert bad.exit_code == 1 and "row_hash does not match" in bad.output


def test_oversized_body_is_413(client, tokens):
    r = client.post("/api/v1/rules", json={"document": "x" * (3 * 1024 * 1024)}, headers=auth(tokens["ed-sh"]))
    assert r.status_code == 413 and r.get_json()["error"]["code"] == "payload_too_large"


def test_write_commits_and_reports_indexed_false_when_the_index_is_locked(client, tokens, loaded):
    """Another writer holds the index past the timeout: the write is kept, the update stays pending."""
    import json

    from app.cli import cli
    from app.search.indexer import SearchIndex

    loaded.extensions["search_backend"].lock_timeout = 0.2
    ix = SearchIndex(loaded.config["REGISTRY_INDEX"]).open()._index()
    holder = ix.writer()  # a real Whoosh writer lock, held by "someone else"
    try:
        r = client.post("/api/v1/rules", json={"document": DOC, "slug": "pending-one"}, headers=auth(tokens["ed-sh"]))
    finally:
        holder.cancel()
        ix.close()
    assert r.status_code == 201 and r.get_json()["indexed"] is False
    assert client.get("/api/v1/rules/cn-sh/data/pending-one?as_of=2024-06-01").status_code == 200
    runner = loaded.test_cli_runner()
    assert runner.invoke(cli, ["index"]).exit_code == 0  # the outbox still holds the update
    hits = json.loads(runner.invoke(cli, ["search", "公共数据开放", "--as-of", "2024-06-01", "--json"]).stdout)
    assert "cn-sh/data/pending-one" in [h["id"] for h in hits["hits"]]


def test_rule_write_bodies_are_declared_and_unknown_fields_refused(client, tokens, count_rows):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path, method, props in [
        ("/api/v1/rules", "post", {"document", "slug"}),
        ("/api/v1/rules/{rule_id}/versions", "post", {"document"}),
        ("/api/v1/rules/{rule_id}/repeal", "post", {"repealed"}),
    ]:
        op = spec["paths"][path][method]
        ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        assert set(spec["components"]["schemas"][ref]["properties"]) == props, path
    h = auth(tokens["ed-sh"])
    before = count_rows("rule_versions")
    r = client.post("/api/v1/rules", json={"document": DOC, "slug": "x", "id": "cn-sh/data/mine"}, headers=h)
    assert r.status_code == 400
    assert r.get_json()["error"]["fields"] == {"id": ["Unknown field."]}
    r = client.post("/api/v1/rules", json={"document": DOC, "slug": "Bad Slug"}, headers=h)
    assert r.status_code == 400
    assert "slug" in r.get_json()["error"]["fields"]
    r = client.post("/api/v1/rules/cn-sh/data/x/repeal", json={"repealed": "2023-02-30"}, headers=h)
    assert r.status_code == 400
    assert r.get_json()["error"]["fields"] == {"repealed": ["not a real date (YYYY-MM-DD)"]}
    # without a token: 401 before the body is looked at, even when the body is wrong
    assert client.post("/api/v1/rules", json={"nonsense": 1}).status_code == 401
    assert count_rows("rule_versions") == before


BODILESS = {("/api/v1/innovations/{slug}", "delete")}


def test_every_write_operation_declares_its_request_body(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    missing = [
        (path, method)
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if method in ("post", "put", "patch") and "requestBody" not in op
    ]
    assert missing == []
    for path, method in BODILESS:
        assert "requestBody" not in spec["paths"][path][method]
    hard = spec["paths"]["/api/v1/hard-rules/{hard_rule_id}"]["put"]
    ref = hard["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    schema = spec["components"]["schemas"][ref]
    from app.corpus.schemas import HardRuleSchema

    fields = HardRuleSchema().fields
    assert set(schema["properties"]) == set(fields)
    assert set(schema["required"]) == {n for n, f in fields.items() if f.required}


def test_hard_rule_unknown_field_refused_after_permission(client, tokens, count_rows):
    body = {
        "id": "new-target",
        "title": "示例目标",
        "parameter": "data.sharing.response_days",
        "target": 10,
        "jurisdictions": ["CN-SH"],
        "source_url": "https://example.org/t",
        "colour": "red",
    }
    before = count_rows("hard_rules")
    assert client.put("/api/v1/hard-rules/new-target", json=body, headers=auth(tokens["ed-sh"])).status_code == 403
    r = client.put("/api/v1/hard-rules/new-target", json=body, headers=auth(tokens["boss"]))
    assert r.status_code == 400
    assert r.get_json()["error"]["fields"] == {"colour": ["Unknown field."]}
    del body["title"]
    body.pop("colour")
    r = client.put("/api/v1/hard-rules/new-target", json=body, headers=auth(tokens["boss"]))
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid_document"
    assert r.get_json()["error"]["fields"] == {
        "title": ["hard_rules/new-target.yaml: title: required field is missing"]
    }
    assert count_rows("hard_rules") == before
