"""The innovation register over the API (SPEC §8.5): roles, If-Match, validation like a corpus file,
one audit row per write, search sees a new innovation before the response returns."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

DOC = """---
title: 示范区跨省通办窗口
title_en: Cross-province one-stop service window
category: 公共服务
year: 2022
batch: 二
promoted_nationally: true
promotion_notice: 国家发展改革委办公厅关于推广示范区第二批制度创新经验的通知
promotion_date: 2022-07-15
related_rules: [cn-sh/environment/sample-wwtp]
source_url: https://example.org/dz-window
verified: false
---
三地政务服务窗口互设，企业在任一窗口办理跨省事项（测试用示例）。
"""


@pytest.fixture
def tokens(client, runner, cli):
    out = {}
    for name, role, juris in [
        ("dz-editor", "editor", ["YRD-DZ"]),
        ("sh-editor", "editor", ["CN-SH"]),
        ("boss", "admin", []),
        ("reader", "viewer", []),
    ]:
        args = ["user", "add", name, "--role", role]
        for j in juris:
            args += ["-j", j]
        assert runner.invoke(cli, args).exit_code == 0
        res = runner.invoke(cli, ["token", "create", name, "--json"])
        out[name] = json.loads(res.stdout)["token"]
    return out


def auth(token, **headers):
    return {"Authorization": f"Bearer {token}", **headers}


def audit_rows(engine, target):
    with engine.connect() as conn:
        return [
            dict(r._mapping)
            for r in conn.execute(
                text(
                    "SELECT action, actor, before_hash, after_hash, detail FROM audit_log WHERE target = :t ORDER BY id"
                ),
                {"t": target},
            )
        ]


def test_anonymous_is_401_before_validation(client, count_rows):
    before = count_rows("innovations")
    r = client.post("/api/v1/innovations", data="not json at all")
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "unauthorized"
    assert client.put("/api/v1/innovations/sample-innovation", json={"bogus": 1}).status_code == 401
    assert client.delete("/api/v1/innovations/sample-innovation").status_code == 401
    r = client.post("/api/v1/innovations", json={"document": DOC}, headers={"Authorization": "Bearer x.y"})
    assert r.status_code == 401
    assert count_rows("innovations") == before


def test_viewer_and_editor_of_another_jurisdiction_are_403(client, tokens, count_rows):
    before = (count_rows("innovations"), count_rows("audit_log"))
    for who in ("reader", "sh-editor"):
        r = client.post("/api/v1/innovations", json={"document": DOC}, headers=auth(tokens[who]))
        assert r.status_code == 403, who
        assert "YRD-DZ" in r.get_json()["error"]["message"]
        # 403 comes before validation too: a malformed body still gets 403
        assert client.post("/api/v1/innovations", json={"x": 1}, headers=auth(tokens[who])).status_code == 403
        r = client.put(
            "/api/v1/innovations/sample-innovation",
            json={"document": DOC},
            headers=auth(tokens[who], **{"If-Match": "1"}),
        )
        assert r.status_code == 403
        r = client.delete("/api/v1/innovations/sample-innovation", headers=auth(tokens[who], **{"If-Match": "1"}))
        assert r.status_code == 403
    # nothing written; each of the 8 refusals leaves one write_denied audit row
    assert (count_rows("innovations"), count_rows("audit_log")) == (before[0], before[1] + 8)


@pytest.mark.parametrize("who", ["dz-editor", "boss"])
def test_dz_editor_and_admin_add_an_innovation_search_sees_it(client, tokens, engine, who):
    r = client.post("/api/v1/innovations", json={"document": DOC}, headers=auth(tokens[who]))
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body == {"id": "cross-province-one-stop-service-window", "revision": 1, "indexed": True}
    assert r.headers["ETag"] == '"1"'
    rows = audit_rows(engine, "innovation:cross-province-one-stop-service-window")
    assert [(a["action"], a["actor"], a["before_hash"]) for a in rows] == [("innovation_added", who, None)]
    assert len(rows[0]["after_hash"]) == 64
    hits = client.get("/api/v1/search?q=政务服务窗口互设").get_json()["hits"]
    assert [(h["type"], h["id"]) for h in hits] == [("innovation", "cross-province-one-stop-service-window")]
    items = {i["id"]: i for i in client.get("/api/v1/innovations").get_json()["items"]}
    item = items["cross-province-one-stop-service-window"]
    assert item["revision"] == 1
    assert item["promotion_batch"] == {
        "notice": "国家发展改革委办公厅关于推广示范区第二批制度创新经验的通知",
        "date": "2022-07-15",
    }
    assert item["related_rules"] == ["cn-sh/environment/sample-wwtp"]
    assert items["sample-innovation"]["promotion_batch"] is None


def test_explicit_slug_and_duplicate_slug(client, tokens, count_rows):
    r = client.post("/api/v1/innovations", json={"document": DOC, "slug": "dz-window"}, headers=auth(tokens["boss"]))
    assert r.status_code == 201 and r.get_json()["id"] == "dz-window"
    audit = count_rows("audit_log")
    again = client.post(
        "/api/v1/innovations", json={"document": DOC, "slug": "dz-window"}, headers=auth(tokens["boss"])
    )
    assert again.status_code == 409 and "exists" in again.get_json()["error"]["message"]
    # without a slug the derived one gets -2 instead of colliding
    derived = client.post("/api/v1/innovations", json={"document": DOC}, headers=auth(tokens["boss"]))
    first = derived.get_json()["id"]
    assert first == "cross-province-one-stop-service-window"
    second = client.post("/api/v1/innovations", json={"document": DOC}, headers=auth(tokens["boss"])).get_json()["id"]
    assert second == first + "-2"
    assert count_rows("audit_log") == audit + 2


def test_pinyin_slug_when_there_is_no_english_title(client, tokens):
    doc = DOC.replace("title_en: Cross-province one-stop service window\n", "")
    r = client.post("/api/v1/innovations", json={"document": doc}, headers=auth(tokens["boss"]))
    assert r.status_code == 201 and r.get_json()["id"] == "shi-fan-qu-kua-sheng-tong-ban-chuang-kou"


@pytest.mark.parametrize(
    ("document", "field", "reason"),
    [
        (DOC.replace("category: 公共服务\n", ""), "category", "required"),
        (DOC.replace("source_url: https://example.org/dz-window", "source_url: example.org"), "source_url", "URL"),
        (DOC.replace("year: 2022", "year: 二〇二二"), "year", ""),
        (DOC.replace("promotion_date: 2022-07-15", "promotion_date: 2022-02-30"), "promotion_date", "not a real date"),
        (DOC.replace("verified: false", "verified: false\nstatus: draft"), "status", "nknown"),
        (
            DOC.replace("[cn-sh/environment/sample-wwtp]", "[cn-sh/environment/no-such-rule]"),
            "related_rules",
            "not a rule id",
        ),
        (DOC.replace("promoted_nationally: true", "promoted_nationally: maybe"), "promoted_nationally", ""),
        ("title: 没有前言\n", "document", "front matter"),
        ("\ufeff" + DOC, "document", "BOM"),
        (DOC.replace("\n", "\r\n"), "document", "CRLF"),
        (DOC.replace("verified: false", "verified: false\nx: &a 1\ny: *a"), "document", ""),
    ],
)
def test_malformed_documents_are_400_naming_the_field_and_nothing_is_written(
    client, tokens, count_rows, document, field, reason
):
    before = (count_rows("innovations"), count_rows("audit_log"), count_rows("index_outbox"))
    r = client.post("/api/v1/innovations", json={"document": document}, headers=auth(tokens["dz-editor"]))
    assert r.status_code == 400, r.get_json()
    err = r.get_json()["error"]
    assert field in err["fields"], err
    assert reason in " ".join(err["fields"][field])
    assert (count_rows("innovations"), count_rows("audit_log"), count_rows("index_outbox")) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "document"),
        ({"document": ""}, "document"),
        ({"document": 5}, "document"),
        ({"document": DOC, "slug": "Not A Slug"}, "slug"),
        ({"document": DOC, "slug": "abc\n"}, "slug"),
        ({"document": DOC, "title": "x"}, "title"),
    ],
)
def test_request_bodies_are_checked_by_their_schema(client, tokens, count_rows, body, field):
    before = count_rows("innovations")
    r = client.post("/api/v1/innovations", json=body, headers=auth(tokens["boss"]))
    assert r.status_code == 400 and field in r.get_json()["error"]["fields"], r.get_json()
    if field == "slug":
        assert r.get_json()["error"]["fields"]["slug"] == ["must match [a-z0-9-]{1,80}"]
    assert count_rows("innovations") == before


def test_not_json_body_is_400(client, tokens):
    r = client.post(
        "/api/v1/innovations", data="{nope", headers=auth(tokens["boss"], **{"Content-Type": "application/json"})
    )
    assert r.status_code == 400


def test_put_needs_the_current_revision(client, tokens, engine, count_rows):
    doc = client.get("/api/v1/innovations").get_json()["items"][0]
    assert doc["id"] == "sample-innovation" and doc["revision"] == 1
    new = DOC.replace("related_rules: [cn-sh/environment/sample-wwtp]\n", "")
    audit = count_rows("audit_log")
    missing = client.put("/api/v1/innovations/sample-innovation", json={"document": new}, headers=auth(tokens["boss"]))
    assert missing.status_code == 409 and "If-Match" in missing.get_json()["error"]["message"]
    stale = client.put(
        "/api/v1/innovations/sample-innovation",
        json={"document": new},
        headers=auth(tokens["boss"], **{"If-Match": "7"}),
    )
    assert stale.status_code == 409 and "revision 1" in stale.get_json()["error"]["message"]
    assert count_rows("audit_log") == audit
    ok = client.put(
        "/api/v1/innovations/sample-innovation",
        json={"document": new},
        headers=auth(tokens["dz-editor"], **{"If-Match": '"1"'}),
    )
    assert ok.status_code == 200 and ok.get_json() == {"id": "sample-innovation", "revision": 2, "indexed": True}
    # the revision just read, not the old one, is now required
    again = client.put(
        "/api/v1/innovations/sample-innovation",
        json={"document": new},
        headers=auth(tokens["boss"], **{"If-Match": "1"}),
    )
    assert again.status_code == 409
    # the same document again: nothing changes, no audit row
    same = client.put(
        "/api/v1/innovations/sample-innovation",
        json={"document": new},
        headers=auth(tokens["boss"], **{"If-Match": "2"}),
    )
    assert same.status_code == 200 and same.get_json()["revision"] == 2
    rows = audit_rows(engine, "innovation:sample-innovation")
    assert [a["action"] for a in rows] == ["innovation_added", "innovation_corrected"]
    assert rows[1]["before_hash"] == rows[0]["after_hash"] and rows[1]["after_hash"] != rows[0]["after_hash"]
    item = client.get("/api/v1/innovations").get_json()["items"]
    changed = next(i for i in item if i["id"] == "sample-innovation")
    assert changed["title"] == "示范区跨省通办窗口" and changed["revision"] == 2
    hits = client.get("/api/v1/search?q=政务服务窗口互设").get_json()["hits"]
    assert [h["id"] for h in hits] == ["sample-innovation"]
    assert client.get("/api/v1/search?q=统一项目审批流程").get_json()["total"] == 0


def test_put_unknown_innovation_is_404_and_invalid_document_is_400(client, tokens, count_rows):
    r = client.put(
        "/api/v1/innovations/no-such", json={"document": DOC}, headers=auth(tokens["boss"], **{"If-Match": "1"})
    )
    assert r.status_code == 404
    r = client.put(
        "/api/v1/innovations/sample-innovation",
        json={"document": DOC.replace("category: 公共服务\n", "")},
        headers=auth(tokens["boss"], **{"If-Match": "1"}),
    )
    assert r.status_code == 400 and "category" in r.get_json()["error"]["fields"]


def test_delete_keeps_the_content_in_the_audit_log(client, tokens, engine, runner, cli, count_rows):
    missing = client.delete("/api/v1/innovations/sample-innovation", headers=auth(tokens["boss"]))
    assert missing.status_code == 409
    stale = client.delete("/api/v1/innovations/sample-innovation", headers=auth(tokens["boss"], **{"If-Match": "2"}))
    assert stale.status_code == 409
    assert count_rows("innovations") == 1
    assert client.get("/api/v1/search?q=统一项目审批流程").get_json()["total"] == 1
    r = client.delete("/api/v1/innovations/sample-innovation", headers=auth(tokens["dz-editor"], **{"If-Match": "1"}))
    assert r.status_code == 204 and r.data == b""
    assert count_rows("innovations") == 0
    rows = audit_rows(engine, "innovation:sample-innovation")
    assert [a["action"] for a in rows] == ["innovation_added", "innovation_deleted"]
    deleted = rows[1]
    assert deleted["before_hash"] == rows[0]["after_hash"] and deleted["after_hash"] is None
    detail = deleted["detail"] if isinstance(deleted["detail"], dict) else json.loads(deleted["detail"])
    assert detail["revision"] == 1
    assert detail["document"].startswith("---\ntitle: 示例跨域项目审批制度\n")
    assert "示范区三地统一项目审批流程" in detail["document"]
    assert client.get("/api/v1/search?q=统一项目审批流程").get_json()["total"] == 0
    assert (
        client.delete(
            "/api/v1/innovations/sample-innovation", headers=auth(tokens["boss"], **{"If-Match": "1"})
        ).status_code
        == 404
    )
    verify = runner.invoke(cli, ["audit", "verify"])
    assert verify.exit_code == 0, verify.output


def test_audit_chain_verifies_after_add_correct_delete(client, tokens, runner, cli):
    h = auth(tokens["boss"])
    assert client.post("/api/v1/innovations", json={"document": DOC, "slug": "w"}, headers=h).status_code == 201
    r = client.put(
        "/api/v1/innovations/w",
        json={"document": DOC.replace("batch: 二", "batch: 三")},
        headers={**h, "If-Match": "1"},
    )
    assert r.status_code == 200
    assert client.delete("/api/v1/innovations/w", headers={**h, "If-Match": "2"}).status_code == 204
    verify = runner.invoke(cli, ["audit", "verify"])
    assert verify.exit_code == 0, verify.output


def test_openapi_declares_the_request_bodies(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    post = spec["paths"]["/api/v1/innovations"]["post"]
    ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(spec["components"]["schemas"][ref]["properties"]) == {"document", "slug"}
    put = spec["paths"]["/api/v1/innovations/{slug}"]["put"]
    assert "requestBody" in put and any(p["name"] == "If-Match" for p in put["parameters"])
    assert "delete" in spec["paths"]["/api/v1/innovations/{slug}"]


def test_export_writes_innovations_with_promotion_date(client, tokens, runner, cli, tmp_path):
    r = client.post("/api/v1/innovations", json={"document": DOC, "slug": "dz-window"}, headers=auth(tokens["boss"]))
    assert r.status_code == 201
    out = tmp_path / "exported"
    res = runner.invoke(cli, ["export", str(out)])
    assert res.exit_code == 0, res.output
    assert (out / "innovations" / "dz-window.md").read_text(encoding="utf-8") == DOC
