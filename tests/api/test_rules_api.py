"""GET /api/v1/rules, /rules/<id>, /innovations, /stats, openapi: shapes, as_of, errors."""

from __future__ import annotations

MULTI = "cn-sh/environment/sample-wwtp"


def test_rules_list_shape_and_filters(client):
    r = client.get("/api/v1/rules?as_of=2022-01-01")
    assert r.status_code == 200
    doc = r.get_json()
    assert doc["total"] == 4 and doc["page"] == 1
    item = next(i for i in doc["items"] if i["id"] == MULTI)
    assert set(item) == {
        "id",
        "version",
        "title",
        "title_en",
        "jurisdiction",
        "topic",
        "kind",
        "status",
        "effective",
        "effective_known",
    }
    assert item["version"] == f"{MULTI}@2020-01-01" and item["jurisdiction"] == "CN-SH"
    only_js = client.get("/api/v1/rules?jurisdiction=cn-js").get_json()
    assert [i["jurisdiction"] for i in only_js["items"]] == ["CN-JS"]
    page2 = client.get("/api/v1/rules?per_page=3&page=2").get_json()
    assert page2["total"] == 4 and len(page2["items"]) == 1


def test_rule_detail_on_dates(client):
    old = client.get(f"/api/v1/rules/{MULTI}?as_of=2021-01-01").get_json()
    new = client.get(f"/api/v1/rules/{MULTI}?as_of=2024-01-01").get_json()
    assert old["version"].endswith("2020-01-01") and new["version"].endswith("2023-03-01")
    assert new["parameters"][0]["value"] == 30.0 and new["parameters"][0]["stated_unit"] == "g/L"
    assert new["parameters"][0]["article"] == f"{MULTI}#art-3"
    assert [c["id"] for c in new["chapters"]] == ["ch-1", "ch-2"]
    assert new["articles"][2]["id"] == f"{MULTI}#art-2-1"
    by_version = client.get(f"/api/v1/rules/{MULTI}@2020-01-01?as_of=2024-01-01").get_json()
    assert by_version["status"] == "superseded"


def test_not_in_force_is_404_with_code(client):
    r = client.get(f"/api/v1/rules/{MULTI}?as_of=2019-01-01")
    assert r.status_code == 404
    assert r.get_json()["error"]["code"] == "not_in_force"


def test_unknown_rule_and_bad_inputs_use_the_error_envelope(client):
    r = client.get("/api/v1/rules/cn-sh/data/nothing")
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"
    bad_date = client.get("/api/v1/rules?as_of=2023-02-30")
    assert bad_date.status_code == 400 and "as_of" in bad_date.get_json()["error"]["fields"]
    bad_page = client.get("/api/v1/rules?page=0")
    assert bad_page.status_code == 400
    bad_code = client.get("/api/v1/rules?jurisdiction=XX-YY")
    assert bad_code.status_code == 400 and bad_code.get_json()["error"]["code"] == "bad_request"
    assert client.get("/api/v1/nothing-here").status_code == 404


def test_json_never_echoes_angle_brackets_raw(client):
    r = client.get("/api/v1/rules?jurisdiction=<script>alert(1)</script>")
    assert r.status_code == 400
    body = r.get_data(as_text=True)
    assert "<script>" not in body and "\\u003cscript\\u003e" in body


def test_innovations_shape(client):
    doc = client.get("/api/v1/innovations").get_json()
    assert doc["total"] == 1
    assert doc["reported"] == {
        "as_of": "2025-09-13",
        "total": 154,
        "promoted_nationally": 57,
        "source_url": "https://example.org/count-2025",
    }
    assert doc["promotion_known"] == 0 and doc["promoted_known"] == 0
    item = doc["items"][0]
    assert item["id"] == "sample-innovation" and item["promoted_nationally"] is None and item["verified"] is True
    assert client.get("/api/v1/innovations?category=项目管理").get_json()["total"] == 1
    assert client.get("/api/v1/innovations?promoted=true").get_json()["total"] == 0
    assert client.get("/api/v1/innovations?year=abc").status_code == 400


def test_openapi_lists_the_routes(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    for p in [
        "/api/v1/rules",
        "/api/v1/rules/{rule_id}",
        "/api/v1/innovations",
        "/api/v1/search",
        "/api/v1/diff",
        "/api/v1/compare",
        "/api/v1/matrix",
        "/api/v1/hard-rules",
        "/api/v1/scoreboard",
        "/api/v1/compliance-check",
        "/api/v1/stats",
    ]:
        assert p in paths, p


def test_stats_counts(client):
    doc = client.get("/api/v1/stats").get_json()
    assert doc["by_jurisdiction_topic"]["CN-SH"] == {"data": 1, "environment": 1}
    assert {"jurisdiction": "CN-AH", "topic": "data"} in doc["empty_cells"]
    assert doc["innovations"]["catalogued"] == 1 and doc["innovations"]["reported_total"] == 154
