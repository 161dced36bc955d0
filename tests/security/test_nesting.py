"""Deeply nested input is refused early with a clear message: JSON bodies, YAML front matter, corpus files."""

from __future__ import annotations

from app.cli import cli
from tests.security.conftest import document


def _body_routes(app) -> list[tuple[str, str]]:
    """Every API route that takes a body (POST/PUT/PATCH), with a sample path."""
    samples = {
        "rule_id": "cn-sh/environment/sample-wwtp",
        "hard_rule_id": "dz-cod-common-limit",
        "slug": "sample-innovation",
    }
    out = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH"}):
            path = rule.rule
            for arg in rule.arguments:
                path = path.replace(f"<path:{arg}>", samples[arg]).replace(f"<{arg}>", samples[arg])
            out.append((method, path))
    return out


def test_deep_json_on_every_body_endpoint_is_400_naming_the_depth(shared):
    acc = shared.extensions["test_accounts"]
    client = shared.test_client()
    routes = _body_routes(shared)
    assert ("POST", "/api/v1/compliance-check") in routes and (
        "PUT",
        "/api/v1/hard-rules/dz-cod-common-limit",
    ) in routes
    for depth in (1_000, 50_000):
        for body in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth, '{"facts":' + "[" * depth):
            for method, path in routes:
                for headers in ({}, acc["boss"].auth):  # anonymous (compliance check) and signed
                    r = client.open(path, method=method, data=body, content_type="application/json", headers=headers)
                    if r.status_code == 401:
                        continue
                    assert r.status_code == 400, (method, path, depth, r.status_code, r.get_data(as_text=True)[:300])
                    err = r.get_json()["error"]
                    assert err["code"] == "too_deeply_nested" and "nested" in err["message"], err


def test_shallow_json_still_works(shared):
    client = shared.test_client()
    r = client.post(
        "/api/v1/compliance-check",
        json={"jurisdictions": ["CN-SH"], "facts": {"env.water.cod.max_concentration": 30}},
    )
    assert r.status_code == 200, r.get_json()


def test_deep_yaml_front_matter_is_refused_early_naming_the_depth(shared):
    acc = shared.extensions["test_accounts"]
    client = shared.test_client()
    for nested in ("[" * 5_000 + "]" * 5_000, "\n".join("  " * i + "a:" for i in range(500)) + " 1"):
        doc = document(extra=f"note: {nested}\n") if nested.startswith("[") else document(extra=f"note:\n{nested}\n")
        r = client.post("/api/v1/rules", json={"document": doc, "slug": "deep-yaml"}, headers=acc["ed-sh"].auth)
        assert r.status_code == 400, r.get_data(as_text=True)[:300]
        assert "nested deeper than" in r.get_data(as_text=True)


def test_registry_load_reports_deep_nesting_and_a_bad_hard_rule_id_without_a_traceback(app, corpus_dir, runner):
    hard = corpus_dir / "hard_rules"
    (hard / "deep.yaml").write_text("id: deep\ntitle: " + "[" * 5_000 + "]" * 5_000 + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["load"])
    assert result.exit_code == 1
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(result.exception, SystemExit)
    assert "hard_rules/deep.yaml" in result.output and "nested deeper than" in result.output
    (hard / "deep.yaml").unlink()
    text = (hard / "dz-cod-common-limit.yaml").read_text(encoding="utf-8")
    for bad in ("Bad_Id", "x" * 81, "{1,80}", "[a, b]", "12"):
        (hard / "dz-cod-common-limit.yaml").write_text(
            text.replace("id: dz-cod-common-limit", f"id: {bad}"), encoding="utf-8"
        )
        result = runner.invoke(cli, ["load"])
        assert result.exit_code == 1, (bad, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), (bad, result.exception)
        assert "Traceback" not in result.output
        assert "hard_rules/dz-cod-common-limit.yaml" in result.output and "id" in result.output, result.output


def test_put_hard_rule_with_bad_ids_is_400(shared):
    acc = shared.extensions["test_accounts"]
    client = shared.test_client()
    body = {
        "title": "示例",
        "parameter": "env.water.cod.max_concentration",
        "scope": "A级",
        "target": 40,
        "jurisdictions": ["CN-SH"],
        "source_url": "https://example.org/hard-rule",
    }
    for bad in ("Bad_Id", "x" * 81, "{1,80}", "a{0}", "{x}"):
        r = client.put("/api/v1/hard-rules/new-one", json={**body, "id": bad}, headers=acc["boss"].auth)
        assert r.status_code == 400, (bad, r.status_code, r.get_data(as_text=True)[:300])
        assert "id" in r.get_json()["error"].get("fields", {}), r.get_json()
        r = client.put(f"/api/v1/hard-rules/{bad}", json={**body, "id": bad}, headers=acc["boss"].auth)
        assert r.status_code in (400, 404), (bad, r.status_code, r.get_data(as_text=True)[:300])
