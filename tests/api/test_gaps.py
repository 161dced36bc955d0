"""Gaps shown as gaps, and who a provision binds (SPEC §8.3, §8.4), through the database and the API.

The fixture corpus holds only summaries. ``add_gaps`` adds to it (and loads): Zhejiang's official text on the
environment (full_text, in force from 2022-01-01) that states a B级 and a C级 COD limit but no A级
one; an Anhui summary (articles_total 91, two articles) whose COD limit states no article; and a
government parameter. Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import pytest

from tests.gaps_corpus import COD, GOV, HR, write_gaps


@pytest.fixture
def add_gaps(corpus_dir, runner, cli):
    def add() -> None:
        write_gaps(corpus_dir)
        result = runner.invoke(cli, ["load", "--no-index"])
        assert result.exit_code == 0, result.output

    return add


@pytest.fixture
def gaps_client(client, add_gaps):
    add_gaps()
    return client


def _ok(resp):
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()


# ---------------------------------------------------------------- four statuses


def test_unknown_without_official_text_missing_with_it(client, add_gaps):
    plain = _ok(client.get(f"/api/v1/hard-rules/{HR}?as_of=2024-01-01"))
    assert plain["status"]["CN-ZJ"]["status"] == "unknown"
    assert plain["status"]["CN-ZJ"]["held"] == {"full_text": 0, "summary": 1, "unspecified": 0}  # the joint standard
    add_gaps()
    gaps_client = client
    gaps = _ok(gaps_client.get(f"/api/v1/hard-rules/{HR}?as_of=2024-01-01"))
    assert gaps["status"]["CN-ZJ"]["status"] == "missing"
    assert gaps["status"]["CN-ZJ"]["held"]["full_text"] == 1
    assert (gaps["status"]["CN-SH"]["status"], gaps["status"]["CN-JS"]["status"]) == ("aligned", "aligned")
    # before Zhejiang's official text took effect the gap was unknown; the timeline has a point on the
    # day coverage changed that status, and no point for anything else
    dates = [p["date"] for p in gaps["timeline"]]
    assert "2022-01-01" in dates
    before = [p for p in gaps["timeline"] if p["date"] < "2022-01-01"]
    assert before and all(p["status"]["CN-ZJ"] == "unknown" for p in before)
    assert next(p for p in gaps["timeline"] if p["date"] == "2022-01-01")["status"]["CN-ZJ"] == "missing"
    assert dates == sorted(set(dates))
    early = _ok(gaps_client.get("/api/v1/hard-rules?as_of=2021-12-31"))["items"][0]
    assert early["status"]["CN-ZJ"]["status"] == "unknown"


def test_matrix_cell_alignment_and_column_coverage(gaps_client):
    doc = _ok(gaps_client.get("/api/v1/matrix?topic=environment&as_of=2024-01-01"))
    row = next(r for r in doc["rows"] if r["key"] == COD and r["scope"] == "A级")
    assert row["values"]["CN-ZJ"]["alignment"] == "missing" and row["values"]["CN-ZJ"]["value"] is None
    assert row["values"]["CN-AH"] is None  # the hard rule does not list Anhui: SPEC shape null
    assert doc["coverage"]["CN-ZJ"] == {"official": True, "held": {"full_text": 1, "summary": 1, "unspecified": 0}}
    assert doc["coverage"]["CN-AH"]["official"] is False and doc["coverage"]["CN-AH"]["held"]["summary"] == 1
    # values of a full_text version carry the verification mark; summaries do not
    b = next(r for r in doc["rows"] if r["key"] == COD and r["scope"] == "B级")["values"]["CN-ZJ"]
    assert b["verified_in_text"] is True and b["article"] == "cn-zj/environment/zj-water#art-3"
    c = next(r for r in doc["rows"] if r["key"] == COD and r["scope"] == "C级")["values"]["CN-ZJ"]
    assert c["verified_in_text"] is False  # 60 is not in 第一条
    ah = next(r for r in doc["rows"] if r["key"] == COD and r["scope"] is None)["values"]["CN-AH"]
    assert ah["value"] == 60.0 and ah["article"] is None and "verified_in_text" not in ah
    early = _ok(gaps_client.get("/api/v1/matrix?topic=environment&as_of=2021-06-01"))
    row = next(r for r in early["rows"] if r["key"] == COD and r["scope"] == "A级")
    assert row["values"]["CN-ZJ"]["alignment"] == "unknown"


def test_scoreboard_counts_and_incomplete_rating(client, add_gaps):
    plain = _ok(client.get("/api/v1/scoreboard?as_of=2024-01-01"))["jurisdictions"]
    zj = plain["CN-ZJ"]
    assert {k: zj[k] for k in ("applicable", "aligned", "divergent", "missing", "unknown")} == {
        "applicable": 1,
        "aligned": 0,
        "divergent": 0,
        "missing": 0,
        "unknown": 1,
    }
    assert zj["deficit"] == 0.0 and zj["rating"] == "incomplete"  # unknown 1 > 1/4 of 1
    assert plain["CN-SH"]["rating"] == "green" and plain["CN-SH"]["unknown"] == 0
    add_gaps()
    zj = _ok(client.get("/api/v1/scoreboard?as_of=2024-01-01"))["jurisdictions"]["CN-ZJ"]
    assert (zj["missing"], zj["unknown"], zj["deficit"], zj["rating"]) == (1, 0, 1.0, "red")
    # a year earlier (2023-01-01) the official text was already in force: missing then too
    assert zj["deficit_year_before"] == 1.0 and zj["change"] == 0.0


# ---------------------------------------------------------------- compliance (SPEC §8.4)


def test_compliance_refuses_a_government_parameter_naming_it(gaps_client, count_rows):
    audit = count_rows("audit_log")
    resp = gaps_client.post("/api/v1/compliance-check", json={"jurisdictions": ["CN-ZJ"], "facts": {GOV: 80, COD: 30}})
    assert resp.status_code == 400
    err = resp.get_json()["error"]
    assert GOV in err["message"] and "government" in err["message"]
    assert f"facts.{GOV}" in err["fields"] and f"facts.{COD}" not in err["fields"]
    assert count_rows("audit_log") == audit


def test_compliance_coverage_none_or_full_text_and_expansion(gaps_client):
    body = {
        "jurisdictions": ["CN-ZJ", "CN-AH", "CN-SH"],
        "facts": {COD: 35},
        "scopes": {COD: "A级"},
        "as_of": "2024-01-01",
        "expand_to": "CN-ZJ",
    }
    out = _ok(gaps_client.post("/api/v1/compliance-check", json=body))
    by = {r["jurisdiction"]: r for r in out["results"]}
    assert by["CN-ZJ"]["required"] is None and by["CN-ZJ"]["compliant"] is None
    assert by["CN-ZJ"]["coverage"] == "full_text"  # official text held, states no A级 value
    assert by["CN-AH"]["coverage"] == "none"  # Anhui: a summary only
    assert "coverage" not in by["CN-SH"] and by["CN-SH"]["compliant"] is False
    for r in out["results"]:
        assert r["unit"] == "mg/L" and {"rule_id", "version", "article"} <= set(r)
    (exp,) = out["expansion"]
    assert exp["unit"] == "mg/L" and exp["required"] is None and exp["coverage"] == "full_text"
    body = {**body, "jurisdictions": ["CN-SH"], "expand_to": "CN-AH"}
    (exp,) = _ok(gaps_client.post("/api/v1/compliance-check", json=body))["expansion"]
    assert exp["coverage"] == "none" and exp["change"] == "same"
    b = _ok(
        gaps_client.post(
            "/api/v1/compliance-check",
            json={"jurisdictions": ["CN-ZJ"], "facts": {COD: 45}, "scopes": {COD: "B级"}, "as_of": "2024-01-01"},
        )
    )["results"][0]
    assert b["required"] == 50.0 and b["verified_in_text"] is True and "coverage" not in b


def test_compliance_names_the_scopes_a_jurisdiction_holds(gaps_client):
    """Zhejiang sets COD only per class (B级, C级): a fact without a scope, or with a scope it does
    not use, is not checked there, and the answer says which scopes would be."""
    for scopes in ({}, {COD: "A级"}):
        body = {"jurisdictions": ["CN-ZJ", "CN-AH"], "facts": {COD: 45}, "scopes": scopes, "as_of": "2024-01-01"}
        zj, ah = _ok(gaps_client.post("/api/v1/compliance-check", json=body))["results"]
        assert zj["required"] is None and zj["scopes_available"] == ["B级", "C级"]
        if scopes:  # Anhui's value has no scope: the fact is checked against it only without one
            assert ah["required"] is None and ah["scopes_available"] == [None]
        else:
            assert ah["required"] is not None and "scopes_available" not in ah


def test_registry_check_names_the_scopes_held(gaps_client, runner, cli, tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text(f"jurisdictions: [CN-ZJ]\nfacts:\n  {COD}: 45\nas_of: 2024-01-01\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", str(profile)])
    assert result.exit_code == 0, result.output
    assert "not checked: values are held per scope (B级, C级); name one under scopes:" in result.output
    profile.write_text(
        f"jurisdictions: [CN-ZJ]\nfacts:\n  {COD}: 45\nscopes:\n  {COD}: B级\nas_of: 2024-01-01\n", encoding="utf-8"
    )
    result = runner.invoke(cli, ["check", str(profile)])
    assert result.exit_code == 0 and "required 50.0\tcompliant\t(" in result.output, result.output


def test_registry_check_refuses_a_government_key(gaps_client, runner, cli, tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text(f"jurisdictions: [CN-ZJ]\nfacts:\n  {GOV}: 80\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", str(profile)])
    assert result.exit_code == 1 and GOV in result.output and "Traceback" not in result.output


# ---------------------------------------------------------------- compare wording (API fields)


def test_diff_says_whether_the_sides_are_versions_of_one_rule(client):
    same = _ok(
        client.get("/api/v1/diff?a=cn-sh/environment/sample-wwtp@2020-01-01&b=cn-sh/environment/sample-wwtp@2023-03-01")
    )
    assert same["same_rule"] is True and same["a"]["provenance"] == "summary"
    other = _ok(client.get("/api/v1/diff?a=cn-sh/environment/sample-wwtp&b=cn-js/environment/sample-wwtp-js"))
    assert other["same_rule"] is False and "only_in_a" in other and "only_in_b" in other
    nway = _ok(
        client.get(
            "/api/v1/compare?baseline=cn-sh/environment/sample-wwtp&as_of=2024-01-01"
            "&rules=cn-js/environment/sample-wwtp-js,cn-sh/environment/sample-wwtp@2020-01-01"
        )
    )
    assert [r["same_rule"] for r in nway["rules"]] == [False, True]
    assert nway["baseline"]["provenance"] == "summary"


# ---------------------------------------------------------------- /stats


def test_stats_coverage_per_jurisdiction_and_topic(gaps_client):
    stats = _ok(gaps_client.get("/api/v1/stats"))
    assert stats["coverage"]["CN-ZJ"]["environment"] == {"rules": 1, "full_text": 1, "articles": 3}
    assert stats["coverage"]["CN-AH"]["environment"] == {"rules": 1, "full_text": 0, "articles": 2}
    assert stats["coverage"]["CN-SH"]["environment"]["rules"] == 1
    assert stats["coverage"]["CN-SH"]["environment"]["full_text"] == 0
    assert stats["coverage"]["CN-AH"]["data"] == {"rules": 0, "full_text": 0, "articles": 0}


def test_registry_stats_json_prints_the_same_coverage(gaps_client, runner, cli):
    import json

    result = runner.invoke(cli, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["coverage"] == _ok(gaps_client.get("/api/v1/stats"))["coverage"]
    human = runner.invoke(cli, ["stats"])
    assert human.exit_code == 0 and "CN-ZJ: environment 1/1/3" in human.output
