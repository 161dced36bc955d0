"""GET /api/v1/search through the registry (database → outbox → Whoosh), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

SH = "cn-sh/environment/sample-wwtp"
JS = "cn-js/environment/sample-wwtp-js"
DATA = "cn-sh/data/sample-data-rule"


def ids(client, query: str, **params) -> list[str]:
    r = client.get("/api/v1/search", query_string={"q": query, **params})
    assert r.status_code == 200, r.get_json()
    return [h["id"] for h in r.get_json()["hits"]]


@pytest.mark.parametrize(
    ("query", "params", "found", "absent"),
    [
        ("化学需氧量", {"as_of": "2024-01-01"}, [SH, JS], [DATA]),
        ("需氧", {"as_of": "2024-01-01"}, [SH, JS], []),  # substring inside a longer word
        ("污水处理厂 本市", {"as_of": "2024-01-01"}, [SH], [JS]),  # words in any order, same article
        ('"十个工作日内答复"', {"as_of": "2022-01-01"}, [DATA], []),
        ("工作日 答复", {"as_of": "2026-01-01"}, [], [DATA]),  # repealed on 2025-01-01
        ("术语", {"as_of": "2022-06-01"}, [], [SH]),  # 第二条之一 only exists from 2023-03-01
        ("术语", {"as_of": "2023-03-01"}, [SH], []),
        ("30毫克", {"as_of": "2024-01-01"}, [SH], [JS]),
        ("50毫克", {"as_of": "2024-01-01"}, [], [SH]),  # the 2020 text is not in force on 2024-01-01
        ("50毫克", {"as_of": "2021-01-01"}, [SH], []),
        ("３０毫克／升", {"as_of": "2024-01-01"}, [SH], []),  # full-width digits and slash
        ("汙水", {"as_of": "2024-01-01"}, [SH], []),  # traditional 汙 → 污
        ("化学需氧量 OR 共享", {"as_of": "2022-01-01"}, [SH, JS, DATA], []),
        ("化学需氧量 -本市", {"as_of": "2024-01-01"}, [JS], []),
        ("jurisdiction:CN-JS 化学需氧量", {"as_of": "2024-01-01"}, [JS], [SH]),
        ("水", {"as_of": "2024-01-01", "topic": "environment"}, [SH, JS], [DATA]),
        ("DB00/0001-2022", {"as_of": "2024-01-01"}, [SH], []),  # doc_number searched
        ("sample municipal", {"as_of": "2024-01-01"}, [SH], []),  # title_en, any case
        ("项目审批", {}, ["sample-innovation"], []),  # innovations are hits too
    ],
)
def test_search_query_table(client, query, params, found, absent):
    got = ids(client, query, **params)
    for i in found:
        assert i in got, (query, got)
    for i in absent:
        assert i not in got, (query, got)


def test_hit_shape_facets_and_snippet(client):
    doc = client.get("/api/v1/search?q=化学需氧量&as_of=2024-01-01").get_json()
    assert doc["total"] == 2
    hit = next(h for h in doc["hits"] if h["id"] == SH)
    assert set(hit) >= {
        "type",
        "id",
        "rule_id",
        "version",
        "title",
        "kind",
        "jurisdiction",
        "topic",
        "article",
        "articles",
        "snippet",
        "score",
    }
    assert hit["version"] == f"{SH}@2023-03-01" and hit["article"] == f"{SH}#art-3"
    assert "<mark>" in hit["snippet"]
    assert doc["facets"]["jurisdiction"] == {"CN-SH": 1, "CN-JS": 1}
    assert doc["facets"]["topic"] == {"environment": 2}


def test_bad_queries_are_400(client):
    for q in ["*水", "(" * 50 + "水" + ")" * 50, "水 " * 400]:
        r = client.get("/api/v1/search", query_string={"q": q})
        assert r.status_code == 400, q
        assert r.get_json()["error"]["code"] in ("bad_query", "bad_request")
    assert client.get("/api/v1/search?q=水&sort=sideways").status_code == 400
    assert client.get("/api/v1/search?q=水&jurisdiction=ZZ").status_code == 400


def test_private_fields_are_not_searchable(client):
    for q in ("rule_id:cn-sh", "version:x", "valid_from:2020", "source_url:https"):
        r = client.get("/api/v1/search", query_string={"q": q})
        assert r.status_code == 400
        err = r.get_json()["error"]
        assert "not a searchable field" in err["message"] and isinstance(err["fields"]["q"], list)
    # any other name:value is literal text, never a field: nothing in the corpus contains it
    assert ids(client, "colour:red") == []


def test_search_page_renders_hits_and_facets(client):
    r = client.get("/search?q=化学需氧量&as_of=2024-01-01")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<mark>化学需氧量</mark>" in html
    assert (
        "/rules/cn-sh/environment/sample-wwtp%402023-03-01#art-3" in html
        or "/rules/cn-sh/environment/sample-wwtp@2023-03-01#art-3" in html
    )
    bad = client.get("/search?q=*水")
    assert bad.status_code == 200 and 'role="alert"' in bad.get_data(as_text=True)


def test_write_is_visible_in_search_immediately(client, runner, cli):
    import json

    assert runner.invoke(cli, ["user", "add", "w", "--role", "admin"]).exit_code == 0
    token = json.loads(runner.invoke(cli, ["token", "create", "w", "--json"]).stdout)["token"]
    doc = """---
title: 示例省节能条例
jurisdiction: CN-ZJ
topic: environment
kind: local_regulation
effective: 2024-01-01
source_url: https://example.org/zj
---
# 示例省节能条例

## 第一条 目的

为了推动独一无二的节能词汇，制定本条例。
"""
    r = client.post(
        "/api/v1/rules", json={"document": doc, "slug": "zj-energy"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 201
    assert "cn-zj/environment/zj-energy" in ids(client, "独一无二的节能词汇", as_of="2024-06-01")
