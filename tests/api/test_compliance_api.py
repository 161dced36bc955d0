"""POST /api/v1/compliance-check and the compliance form: results, units, and bad input as 400 (SPEC §4)."""

from __future__ import annotations

import re

import pytest

COD = "env.water.cod.max_concentration"


def test_compliance_check_api(client):
    body = {
        "jurisdictions": ["CN-SH", "cn-js"],
        "facts": {COD: 35},
        "scopes": {COD: "A级"},
        "as_of": "2024-01-01",
        "expand_to": "CN-ZJ",
    }
    r = client.post("/api/v1/compliance-check", json=body)
    assert r.status_code == 200, r.get_json()
    doc = r.get_json()
    assert {x["jurisdiction"]: x["compliant"] for x in doc["results"]} == {"CN-SH": False, "CN-JS": True}
    assert doc["strictest"][COD]["value"] == 30.0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"jurisdictions": [], "facts": {}},
        {"jurisdictions": ["CN-SH"], "facts": {COD: "thirty"}},
        {"jurisdictions": ["CN-XX"], "facts": {COD: 1}},
        {"jurisdictions": ["CN-SH"], "facts": {"no.such.key": 1}},
        {"jurisdictions": ["CN-SH"], "facts": {COD: 1}, "as_of": "2024-02-30"},
        {"jurisdictions": ["CN-SH"], "facts": {COD: 1}, "surprise": True},
    ],
)
def test_compliance_check_bad_input_is_400(client, body):
    r = client.post("/api/v1/compliance-check", json=body)
    assert r.status_code == 400, r.get_json()
    assert "error" in r.get_json()


def test_compliance_fact_with_a_unit_is_converted(client):
    body = {
        "jurisdictions": ["CN-SH"],
        "facts": {COD: {"value": 0.035, "unit": "g/L"}},
        "scopes": {COD: "A级"},
        "as_of": "2024-01-01",
    }
    doc = client.post("/api/v1/compliance-check", json=body).get_json()
    assert doc["results"][0]["fact"] == 35.0 and doc["results"][0]["compliant"] is False
    bad = client.post("/api/v1/compliance-check", json={**body, "facts": {COD: {"value": 1, "unit": "kg"}}})
    assert bad.status_code == 400
    extra = client.post("/api/v1/compliance-check", json={**body, "facts": {COD: {"value": 1, "colour": "red"}}})
    assert extra.status_code == 400


def test_compliance_form_accepts_a_unit(client):
    page = client.get("/compliance").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    r = client.post(
        "/compliance",
        data={
            "csrf_token": token,
            "jurisdictions": ["CN-SH"],
            "fact_key": [COD],
            "fact_value": ["35000"],
            "fact_unit": ["μg/L"],
            "fact_scope": ["A级"],
            "as_of": "2024-01-01",
        },
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 200, html[:500]
    assert 'class="compliant-false"' in html and '<span class="bad">✗' in html
    assert 'class="compliant-true"' not in html


def test_compliance_body_is_declared_and_unknown_fields_refused(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    op = spec["paths"]["/api/v1/compliance-check"]["post"]
    ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(spec["components"]["schemas"][ref]["properties"]) == {
        "jurisdictions",
        "facts",
        "scopes",
        "as_of",
        "expand_to",
    }
    r = client.post("/api/v1/compliance-check", json={"jurisdictions": ["CN-SH"], "facts": {COD: 1}, "surprise": True})
    assert r.status_code == 400
    assert r.get_json()["error"] == {
        "code": "bad_request",
        "message": "the request is not valid",
        "fields": {"surprise": ["Unknown field."]},
    }
